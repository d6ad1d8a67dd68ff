"""The real sandbox, or a visible skip where bubblewrap cannot run."""

from __future__ import annotations

import asyncio
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
        pytest.skip(f"SKIPPED: no sandbox here: {found.problems.get('sandbox')}")
    return found
