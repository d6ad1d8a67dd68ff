"""compose.yaml and the Dockerfile stay in step with the bot: every variable they set is a setting
the bot reads, every command is one the CLI accepts, and the shards are covered exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.__main__ import build_parser
from bot.settings import Settings
from bot.sharding import ShardPlan

REPO = Path(__file__).resolve().parents[2]


def _bot_services() -> dict[str, dict[str, Any]]:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text("utf-8"))  # merge keys resolved
    return {name: s for name, s in compose["services"].items() if "build" in s}


def _plan(environment: dict[str, str]) -> ShardPlan:
    """The shards a process with this environment runs, read as the bot reads them."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_shard_count=environment["BOT_SHARD_COUNT"],
        bot_shard_ids=environment["BOT_SHARD_IDS"],
    )
    return ShardPlan.of(settings.bot_shard_count, settings.bot_shard_ids)


def test_every_variable_set_for_the_bot_is_a_setting() -> None:
    known = {name.upper() for name in Settings.model_fields}
    for name, service in _bot_services().items():
        unknown = set(service["environment"]) - known
        assert unknown == set(), f"{name} sets {unknown}, which the bot does not read"


@pytest.mark.parametrize("name", sorted(_bot_services()))
def test_every_command_is_one_the_cli_accepts(name: str) -> None:
    command = _bot_services()[name]["command"]
    assert build_parser().parse_args(command).command == command[0]


def test_the_shard_processes_run_every_shard_exactly_once() -> None:
    plans = [
        _plan(service["environment"])
        for service in _bot_services().values()
        if "BOT_SHARD_IDS" in service["environment"]
    ]
    assert plans, "compose.yaml runs no shard process"
    ran = sorted(i for plan in plans for i in plan.ids)
    assert ran == list(range(plans[0].count))
    assert {plan.count for plan in plans} == {plans[0].count}


def test_shards_start_after_migrations_and_with_the_shared_stores() -> None:
    for name, service in _bot_services().items():
        environment = service["environment"]
        assert environment["BOT_DATABASE_URL"].startswith("postgresql://"), name
        assert environment["BOT_REDIS_URL"].startswith("redis://"), name
        if service["command"] == ["run"]:
            assert service["depends_on"]["migrate"]["condition"] == (
                "service_completed_successfully"
            )


def test_the_image_runs_the_package_not_the_checkout() -> None:
    dockerfile = (REPO / "Dockerfile").read_text("utf-8")
    assert 'ENTRYPOINT ["python", "-m", "bot"]' in dockerfile
    assert "pip install --no-cache-dir ." in dockerfile and "USER bot" in dockerfile
    assert "COPY emulator" not in dockerfile and "COPY tests" not in dockerfile
