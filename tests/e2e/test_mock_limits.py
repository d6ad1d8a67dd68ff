"""Mock rounds at their edges, through the real bot: who ended a round, the last allowed answer,
nudges that agree with every deadline, and switching a loop's track."""

from __future__ import annotations

from tests.conftest import App
from tests.e2e.test_mock import TURN_1, end_round, fake, live, mention, start_round

__all__ = ["fake", "live"]  # fixtures, imported for the tests below


async def test_an_admin_ending_a_round_is_named_on_the_scorecard(live: App) -> None:
    app = live
    _, thread = await start_round(app)
    await mention(app, app.world.alice, thread, TURN_1)
    _, card = await end_round(app, app.world.admin, thread)
    assert card is not None
    footer = str(card.embeds[0]["footer"]["text"])
    assert "ended with /mock end by admin" in footer, footer
    assert "· 1 answer" in card.text and "1 answers" not in card.text
