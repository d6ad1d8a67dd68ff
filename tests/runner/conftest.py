"""The real sandbox, or a visible skip where bubblewrap cannot run."""

from __future__ import annotations

import asyncio
import os
from functools import cache

import pytest

from bot.runner.toolchains import Discovery, discover


@cache
def discovery() -> Discovery:
    return asyncio.run(discover())


@pytest.fixture
def sandbox() -> Discovery:
    found = discovery()
    if not found.enabled:
        if os.environ.get("CI") == "true" or os.environ.get("BOT_TEST_REQUIRE_SANDBOX"):
            pytest.fail(f"CI needs the real sandbox: {found.problems}", pytrace=False)
        pytest.skip(f"SKIPPED: no sandbox here: {found.problems.get('sandbox')}")
    return found
