"""The token and the API key travel with every request: plain http/ws only to this machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings
from tests.cli.test_main import run_bot

PLAIN_REMOTE = [
    ("DISCORD_API_BASE_URL", "http://discord.example.com/api/v10"),
    ("ANTHROPIC_BASE_URL", "http://10.0.0.5:8080"),
    ("DISCORD_GATEWAY_URL", "ws://gateway.example.com"),
    ("ANTHROPIC_BASE_URL", "http://127.0.0.1.example.com"),
    ("DISCORD_API_BASE_URL", "ftp://discord.com/api"),
]
ALLOWED = [
    ("DISCORD_API_BASE_URL", "https://discord.com/api/v10"),
    ("DISCORD_API_BASE_URL", "http://127.0.0.1:8080/api/v10"),
    ("ANTHROPIC_BASE_URL", "http://localhost:9000"),
    ("ANTHROPIC_BASE_URL", "http://[::1]:9000"),
    ("DISCORD_GATEWAY_URL", "ws://127.0.0.2:7000"),
    ("DISCORD_GATEWAY_URL", "wss://gateway.discord.gg"),
]


@pytest.mark.parametrize(("name", "url"), PLAIN_REMOTE)
def test_plain_text_to_another_machine_is_refused(
    name: str, url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, url)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert name in str(refused.value)
    assert "://" in str(refused.value)


@pytest.mark.parametrize(("name", "url"), ALLOWED)
def test_https_or_loopback_is_accepted(
    name: str, url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, url)
    settings = load_settings()
    assert getattr(settings, name.lower()) == url


def test_the_cli_stops_with_one_line_naming_the_variable(tmp_path: Path) -> None:
    result = run_bot(
        "run",
        cwd=tmp_path,
        env={"DISCORD_TOKEN": "x", "ANTHROPIC_BASE_URL": "http://api.example.com"},
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "ANTHROPIC_BASE_URL" in line and "https://" in line


def test_defaults_are_https() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.discord_api_base_url.startswith("https://")
