# The bot as an image: the package alone (no emulator, no tests), run as an unprivileged user.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
RUN pip install --no-cache-dir . && useradd --system --no-create-home bot
USER bot
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
