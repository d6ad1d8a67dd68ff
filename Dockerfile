# The bot as an image: the package alone (no emulator, no tests), run as an unprivileged user.
FROM python:3.11-slim
# The rank card's fonts: Noto covers every script the bot speaks (Pillow's own font: Latin only).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
RUN pip install --no-cache-dir . && useradd --system --no-create-home bot
USER bot
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
