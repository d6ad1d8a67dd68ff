"""Mock rounds at their edges, through the real bot: who ended a round, the last allowed answer,
nudges that agree with every deadline, and switching a loop's track."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.mock import MAX_CANDIDATE_TURNS
from tests.conftest import App
from tests.e2e.test_mock import (
    TURN_1,
    TURN_2,
    answered,
    bot_messages,
    end_round,
    live,
    mention,
    mock_round,
    respond,
    start_round,
)

__all__ = ["live"]  # a fixture, imported for the tests below


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


async def test_the_last_allowed_answer_says_so_and_takes_the_button_away(live: App) -> None:
    app, alice = live, live.world.alice
    await app.running.services.mocks.configure(
        app.world.guild.id, idle_minutes=120, daily_limit=None
    )
    _, thread = await start_round(app)
    for n in range(1, MAX_CANDIDATE_TURNS):
        line = await mention(app, alice, thread, f"{TURN_1} (turn {n})")
        assert line.find_button("Respond") is not None and "last answer" not in line.text
    last = await respond(app, alice, thread, "My closing thoughts: the fan-out trade-off.")
    assert f"Answer {MAX_CANDIDATE_TURNS}/{MAX_CANDIDATE_TURNS}" in last.text
    assert "last answer" in last.text and "/mock end" in last.text
    assert last.find_button("Respond") is None
    # An older button does not open a form that could only be refused once filled in.
    older = [m for m in bot_messages(app, thread) if m.find_button("Respond")][-1]
    pressed = await app.emu.click(alice, older, label="Respond")
    assert pressed.modal is None and pressed.ephemeral
    assert f"{MAX_CANDIDATE_TURNS} answers" in pressed.text and "/mock end" in pressed.text
    # Nothing is left to answer, so the clock's nudges (and their buttons) stop too.
    mock = await mock_round(app, thread)
    seen = len(bot_messages(app, thread))
    for minutes_left in (10, 0):
        app.clock.set(mock.deadline - timedelta(minutes=minutes_left))
        assert (await app.running.services.mocks.sweep()).nudged == 0
    assert len(bot_messages(app, thread)) == seen


async def finish_next_loop_round(app: App, **options: object) -> str:
    record = await app.emu.slash(app.world.alice, app.world.practice, "mock loop", **options)
    text = await answered(record)
    thread = app.emu.threads(app.world.practice)[-1]
    await mention(app, app.world.alice, thread, TURN_1)
    await mention(app, app.world.alice, thread, TURN_2)
    _, card = await end_round(app, app.world.alice, thread)
    assert card is not None
    return text


async def test_a_loop_switches_track_until_its_own_round_has_started(live: App) -> None:
    app, alice = live, live.world.alice
    await app.running.services.mocks.configure(app.world.guild.id, idle_minutes=None, daily_limit=8)
    assert "1/4 (Coding screen)" in await finish_next_loop_round(app)  # swe, by default
    # Round 3 differs between the tracks and has not started: the switch is made, and said.
    switched = await finish_next_loop_round(app, track="ml")
    assert "now on the **ML** track" in switched and "2/4 (System design)" in switched, switched
    # Without `track:` the loop keeps its (new) track.
    third = await finish_next_loop_round(app)
    assert "3/4 (ML design)" in third and "track" not in third, third
    # Now the ML round has started: the track is fixed, and the way to start afresh is given.
    back = await app.emu.slash(alice, app.world.practice, "mock loop", track="swe")
    refused = await answered(back)
    assert "stays on the ML track" in refused and "ML design" in refused, refused
    assert "`/mock loop track:swe fresh:true`" in refused
    loops = list(await app.running.services.store.db.fetchall("SELECT track FROM mock_loops"))
    assert [r["track"] for r in loops] == ["ml"]
