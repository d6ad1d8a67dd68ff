"""Mock rounds, their turns and nudges, onsite loops and per-guild mock settings: one repository
(`store.mocks`) made of a table class per concern."""

from __future__ import annotations

from bot.store.mocks.loops import MockLoopsTable
from bot.store.mocks.rounds import MockRoundsTable
from bot.store.mocks.scoring import MockScoringTable
from bot.store.mocks.settings import MockSettingsTable
from bot.store.mocks.turns import MockTurnsTable


class MockRepo(
    MockRoundsTable, MockTurnsTable, MockScoringTable, MockLoopsTable, MockSettingsTable
):
    """Everything the mock service stores, under one name."""
