"""Every runtime setting, read from the environment and `.env`, validated once at start."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Field names are the environment variable names, lower-cased (matched case-insensitively)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    discord_token: SecretStr | None = None
    discord_api_base_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str | None = None
    bot_database_path: Path = Path("data/bot.db")
    # postgresql://user:password@host:5432/db: when set, the store runs on PostgreSQL (shared by
    # processes on several hosts) and BOT_DATABASE_PATH is not used.
    bot_database_url: SecretStr | None = None
    # redis://host:6379/0: when set, every process takes its Discord requests from one limiter.
    bot_redis_url: SecretStr | None = None
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    bot_llm_model: str = Field(default="claude-haiku-5-5", min_length=1)
    # Tried once when the model refuses, before the offline grader stands in (none by default).
    bot_llm_fallback_model: str | None = None
    bot_dev_guild_id: int | None = None
    bot_message_content: bool = False
    # Per-member cooldowns on costly actions (tests turn them off unless they test them).
    bot_cooldowns: bool = True
    bot_log_level: LogLevel = "INFO"
    # Days a guild's data is kept after the bot leaves it (0: purged at the next sweep).
    bot_guild_retention_days: int = Field(default=30, ge=0, le=3650)
    # The web companion (`python -m bot web`).
    bot_web_host: str = "127.0.0.1"
    bot_web_port: int = Field(default=8080, ge=1, le=65535)
    # The address members reach it at (links in replies, the OAuth2 redirect). Empty: none.
    bot_web_base_url: str | None = None
    discord_client_id: int | None = None
    discord_client_secret: SecretStr | None = None
    # Signs session cookies; without it the companion serves public boards only.
    bot_web_secret_key: SecretStr | None = None
    bot_shard_count: int | None = Field(default=None, ge=1)
    # Comma-separated in the environment ("0,2"), hence NoDecode (not JSON).
    bot_shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = None

    @field_validator("bot_database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(
            ("postgresql://", "postgres://")
        ):
            raise ValueError("must be a URL starting with postgresql://")
        return value

    @field_validator("bot_redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(
            ("redis://", "rediss://", "unix://")
        ):
            raise ValueError("must be a URL starting with redis:// or rediss://")
        return value

    def database_location(self) -> Path | str:
        """The PostgreSQL URL when one is set, else the SQLite file."""
        if self.bot_database_url is not None:
            return self.bot_database_url.get_secret_value()
        return self.bot_database_path

    @field_validator("bot_log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("bot_shard_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip()) or None
        return value

    @field_validator("bot_shard_ids")
    @classmethod
    def _ids_fit(
        cls, value: tuple[int, ...] | None, info: ValidationInfo
    ) -> tuple[int, ...] | None:
        if value is None:
            return None
        count = info.data.get("bot_shard_count")
        if count is None:
            raise ValueError("needs BOT_SHARD_COUNT as well")
        if any(not 0 <= i < count for i in value) or len(set(value)) != len(value):
            raise ValueError(f"must be distinct shard numbers from 0 to {count - 1}")
        return value

    @field_validator("discord_api_base_url", "anthropic_base_url", "bot_web_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return None if value is None else _secure_url(value, "https", "http").rstrip("/")

    @field_validator("discord_gateway_url")
    @classmethod
    def _gateway_url(cls, value: str | None) -> str | None:
        return None if value is None else _secure_url(value, "wss", "ws")


def _secure_url(value: str, secure: str, plain: str) -> str:
    """The token and the API key travel with every request: plain text only to this machine."""
    parts = urlsplit(value)
    if parts.scheme not in (secure, plain) or not parts.hostname:
        raise ValueError(f"must be a URL starting with {secure}://")
    if parts.scheme == plain and not _is_loopback(parts.hostname):
        raise ValueError(
            f"must use {secure}:// (the token or key would cross the network in plain text); "
            f"{plain}:// is allowed only for a loopback address such as 127.0.0.1"
        )
    return value


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line a person can act on."""


def load_settings() -> Settings:
    """Read the settings, turning validation errors into one readable line."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]).upper() or "settings"
            problems.append(f"{name}: {error['msg']}")
        raise SettingsError(
            "invalid setting " + "; ".join(problems) + " (fix it in the environment or .env)"
        ) from None


def require_token(settings: Settings) -> str:
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise SettingsError(
            "DISCORD_TOKEN is not set: put DISCORD_TOKEN=<your bot token> in .env "
            "(see .env.example) or export it in the environment"
        )
    return settings.discord_token.get_secret_value().strip()
