"""The real sandbox, or a visible skip where bubblewrap cannot run."""

from __future__ import annotations

import asyncio
import os
from functools import cache
from typing import Any

import pytest

from bot.runner.toolchains import Discovery, discover


@cache
def discovery() -> Discovery:
    return asyncio.run(discover())


def pytest_terminal_summary(terminalreporter: Any) -> None:
    found = discovery()
    if not found.enabled:
        reason = found.problems.get("sandbox", "")
        terminalreporter.write_sep("=", f"SKIPPED the code runner tests: {reason}", yellow=True)


@pytest.fixture
def sandbox() -> Discovery:
    found = discovery()
    if not found.enabled:
        if os.environ.get("CI") == "true" or os.environ.get("BOT_TEST_REQUIRE_SANDBOX"):
            pytest.fail(f"CI needs the real sandbox: {found.problems}", pytrace=False)
        pytest.skip(f"SKIPPED: no sandbox here: {found.problems.get('sandbox')}")
    return found
