"""Mock rounds at their edges, through the real bot: who ended a round, the last allowed answer,
nudges that agree with every deadline, and switching a loop's track."""

from __future__ import annotations

from tests.conftest import App
from tests.e2e.test_mock import (
    TURN_1,
    bot_messages,
    end_round,
    fake,
    live,
    mention,
    start_round,
)

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


async def test_the_coding_guide_keeps_code_fences_out_of_its_sentence(live: App) -> None:
    _, thread = await start_round(live, round_name="coding")
    opening = bot_messages(live, thread)[0]
    [guide] = [f for f in opening.embeds[0]["fields"] if f["name"] == "How to answer"]
    assert "(```" not in guide["value"] and "`` ```python ``" in guide["value"]
