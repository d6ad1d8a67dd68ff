"""What every web companion test starts from: the emulator on loopback and its study server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from emulator import DiscordEmulator
from tests.conftest import World, build_world


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with DiscordEmulator() as emulator:
        yield emulator


@pytest.fixture
def world(emu: DiscordEmulator) -> World:
    return build_world(emu)
