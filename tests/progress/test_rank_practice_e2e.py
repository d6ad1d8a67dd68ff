"""`/rank` and `/practice` end to end, and streaks across the guild's local midnight."""

from __future__ import annotations

import pytest

from bot.domain.points import daily_answer_points, streak_bonus_points
from bot.domain.progress import theme_of
from bot.ui.plural import points
from emulator import Message
from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, answer, at, daily_posts, fire, setup_daily
from tests.e2e.test_isolation import forge_click
from tests.progress.helpers import FixedGrader, give, store_of
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases

PNG = b"\x89PNG\r\n\x1a\n"


async def post_today(app: App) -> Message:
    await setup_daily(app)  # 09:00 Europe/Berlin
    app.clock.set(at(2026, 11, 26, 8, 0))
    await fire(app)
    return daily_posts(app)[-1]


async def practise(app: App, text: str, round_name: str | None = None) -> tuple[str, Message]:
    """Run /practice and answer it; returns the question id and the feedback message."""
    options = {"round": round_name} if round_name else {}
    offered = await app.emu.slash(app.world.alice, app.world.practice, "practice", **options)
    assert offered.ephemeral and offered.original is not None
    button = offered.original.buttons[0]
    question_id = str(button["custom_id"]).removeprefix("practice:answer:")
    opened = await app.emu.click(app.world.alice, offered.original, label="Answer")
    assert opened.modal is not None and opened.modal.title.startswith("Practice")
    submitted = await app.emu.submit_modal(app.world.alice, opened, {"answer": text})
    await submitted.wait_for_followups(1)
    return question_id, submitted.followups[0]


async def test_rank_card_summary_and_chart(running: App) -> None:
    post = await post_today(running)
    await answer(running, running.world.alice, post, STRONG_ANSWER)
    await answer(running, running.world.bob, post, "A BFS, I think.")

    own = await running.emu.slash(running.world.alice, running.world.daily, "rank", chart=True)
    await own.wait_for_followups(1)
    card = own.followups[-1]
    assert own.ephemeral and card.ephemeral
    assert [a.filename for a in card.attachments] == ["rank.png", "progress.png"]
    assert all(a.data.startswith(PNG) for a in card.attachments)
    assert "Rank · alice" in card.text and "Streak: **1 day**" in card.text
    assert "Average grade over 1 answer: Coding" in card.text
    assert "Weakest:" in card.text and "/practice" in card.text

    other = await running.emu.slash(
        running.world.bob, running.world.daily, "rank", member=running.world.alice
    )
    await other.wait_for_followups(1)
    seen = other.followups[-1]
    assert [a.filename for a in seen.attachments] == ["rank.png"]
    # Another member sees points, rank and streak; grades and weak spots are alice's alone.
    assert "Streak: **1 day**" in seen.text and "all time (#1)" in seen.text
    assert "Weakest:" not in seen.text and "Average grade" not in seen.text
    assert "kept to themself" in seen.text
    assert [b["label"] for b in seen.buttons] == []  # the sharing button is alice's
    no_chart = await running.emu.slash(
        running.world.bob, running.world.daily, "rank", member=running.world.alice, chart=True
    )
    await no_chart.wait_for_followups(1)
    assert "no chart" in no_chart.followups[-1].text
    assert not no_chart.followups[-1].attachments
    assert_requests_match_spec(running.emu.requests)


async def test_a_member_who_shares_their_grades_shows_them_to_others(running: App) -> None:
    alice, bob = running.world.alice, running.world.bob
    post = await post_today(running)
    await answer(running, alice, post, STRONG_ANSWER)

    own = await running.emu.slash(alice, running.world.daily, "rank")
    await own.wait_for_followups(1)
    card = own.followups[-1]
    assert "see only your points, rank and streak" in card.text
    # Bob cannot press alice's button: a modified client puts her id on his own card's button.
    bobs = await running.emu.slash(bob, running.world.daily, "rank")
    await bobs.wait_for_followups(1)
    forged = await forge_click(running, bob, bobs.followups[-1], f"rank:share:{alice.id}")
    assert forged.ephemeral and "whose card it is" in forged.text
    shared = await running.emu.click(alice, card, label="Let others see my grades")
    assert shared.ephemeral and "now see your grades" in shared.text

    other = await running.emu.slash(bob, running.world.daily, "rank", member=alice, chart=True)
    await other.wait_for_followups(1)
    seen = other.followups[-1]
    assert [a.filename for a in seen.attachments] == ["rank.png", "progress.png"]
    assert "Average grade over 1 answer" in seen.text and "Weakest:" in seen.text
    assert "/practice" not in seen.text  # the advice is alice's

    again = await running.emu.slash(alice, running.world.daily, "rank")
    await again.wait_for_followups(1)
    assert "(your choice)" in again.followups[-1].text
    private = await running.emu.click(alice, again.followups[-1], label="Keep my grades to myself")
    assert "only your points, rank and streak" in private.text
    hidden = await running.emu.slash(bob, running.world.daily, "rank", member=alice)
    await hidden.wait_for_followups(1)
    assert "Average grade" not in hidden.followups[-1].text
    [row] = await store_of(running).db.fetchall(
        "SELECT share_progress FROM members WHERE user_id = ?", (alice.id,)
    )
    assert row["share_progress"] == 0


async def test_practice_aims_at_the_weakest_theme_and_never_repeats(app: App) -> None:
    app.grader = FixedGrader(4.0, weak=("complexity",))
    running = app
    await app.start()
    await setup_daily(running)
    # Today's question is claimed by hand so that it surely has a complexity criterion (the
    # draw depends on the guild's id, which changes from run to run).
    running.clock.set(at(2026, 11, 26, 8, 0))
    await store_of(running).posts.claim(
        running.world.guild.id,
        "2026-11-26",
        question_id="pin-coding-board-reach",
        round_name="coding",
        channel_id=running.world.daily.id,
        now=running.clock.now(),
    )
    await fire(running)
    post = daily_posts(running)[-1]
    await answer(running, running.world.alice, post, STRONG_ANSWER)
    card = await running.emu.slash(running.world.alice, running.world.daily, "rank")
    await card.wait_for_followups(1)
    assert "Weakest: complexity (1.0/5)" in card.followups[-1].text
    daily_question = str(
        (await store_of(running).db.fetchone("SELECT question_id FROM daily_posts"))[0]
    )

    offered = await running.emu.slash(running.world.alice, running.world.practice, "practice")
    assert offered.ephemeral and "Your weak spots: complexity" in offered.text
    first, feedback = await practise(running, "Consistent hashing, replication, a cache.")
    assert first != daily_question  # the open daily question is not handed out for practice
    assert feedback.ephemeral and "/5" in feedback.text and "pts" in feedback.text
    question = await running.running.services.catalog.question(running.world.guild.id, first)
    assert question is not None
    assert any(theme_of(c.name, question.round) == "complexity" for c in question.rubric)
    rows = list(
        await store_of(running).db.fetchall(
            "SELECT question_id, source, post_id, status FROM answers WHERE source = 'practice'"
        )
    )
    assert [tuple(r) for r in rows] == [(first, "practice", None, "graded")]

    second, _ = await practise(running, "Another answer.")
    assert second != first

    behavioral, _ = await practise(running, "A heap.", round_name="behavioral")
    chosen = await running.running.services.catalog.question(running.world.guild.id, behavioral)
    assert chosen is not None and chosen.round == "behavioral"


async def test_practice_button_resubmits_and_works_after_a_restart(running: App) -> None:
    offered = await running.emu.slash(running.world.alice, running.world.practice, "practice")
    assert offered.original is not None
    await running.restart()
    for text in ("First try.", "Second, better try with more detail."):
        opened = await running.emu.click(running.world.alice, offered.original, label="Answer")
        submitted = await running.emu.submit_modal(running.world.alice, opened, {"answer": text})
        await submitted.wait_for_followups(1)
    row = await store_of(running).db.fetchone(
        "SELECT COUNT(*) AS n, MAX(revision) AS r FROM answers WHERE source = 'practice'"
    )
    assert row is not None and (row["n"], row["r"]) == (1, 2)
    assert "replaces" in submitted.followups[0].text


async def test_a_practice_form_opened_before_a_restart_is_graded_after_it(running: App) -> None:
    offered = await running.emu.slash(running.world.alice, running.world.practice, "practice")
    assert offered.original is not None
    opened = await running.emu.click(running.world.alice, offered.original, label="Answer")
    assert opened.modal is not None
    await running.restart()
    submitted = await running.emu.submit_modal(
        running.world.alice, opened, {"answer": "Typed before the restart."}
    )
    await submitted.wait_for_followups(1)
    assert "/5" in submitted.followups[0].text
    row = await store_of(running).db.fetchone(
        "SELECT content FROM answers WHERE source = 'practice'"
    )
    assert row is not None and row["content"] == "Typed before the restart."


async def test_answers_at_2359_and_0001_local_make_a_two_day_streak(app: App) -> None:
    app.grader = FixedGrader(4.0)
    running = app
    await app.start()
    post = await post_today(running)  # 26 November, Berlin (UTC+1)
    running.clock.set(at(2026, 11, 26, 22, 59))  # 23:59 in Berlin
    submitted = await answer(running, running.world.alice, post, STRONG_ANSWER)
    assert "Points for this answer" in submitted.followups[0].text
    running.clock.set(at(2026, 11, 26, 23, 1))  # 00:01 on the 27th in Berlin, still the 26th UTC
    await practise(running, STRONG_ANSWER)

    store = store_of(running)
    ledger = await store.db.fetchall(
        "SELECT kind, local_date, amount FROM points WHERE kind IN ('daily', 'streak') "
        "ORDER BY local_date"
    )
    assert [tuple(r) for r in ledger] == [
        ("daily", "2026-11-26", daily_answer_points(4.0, 5, 0)),
        ("streak", "2026-11-27", streak_bonus_points(2)),
    ]
    card = await running.emu.slash(running.world.alice, running.world.daily, "rank")
    await card.wait_for_followups(1)
    assert "Streak: **2 days**" in card.followups[-1].text


async def test_points_after_a_resubmission_count_once(running: App) -> None:
    post = await post_today(running)
    await answer(running, running.world.alice, post, "BFS maybe.")
    again = await answer(running, running.world.alice, post, STRONG_ANSWER)
    assert "replaces" in again.followups[0].text
    store = store_of(running)
    ledger = list(await store.db.fetchall("SELECT kind, amount FROM points"))
    grade = await store.answers.latest_grade(1)
    assert grade is not None
    expected = daily_answer_points(grade.overall, grade.max_score, 0)
    assert [(r["kind"], r["amount"]) for r in ledger] == [("daily", expected)]
    board = await running.emu.slash(running.world.bob, running.world.daily, "leaderboard")
    assert f"**{points(expected)}**" in board.text and board.text.count(" pt") == 1
    total = await store.points.total(running.world.guild.id, running.world.alice.id)
    assert total == expected


async def test_work_worth_nothing_is_not_recorded(running: App) -> None:
    await give(running, running.world.alice.id, 0, kind="practice")
    assert list(await store_of(running).db.fetchall("SELECT * FROM points")) == []


async def test_rank_refuses_the_bot_itself_and_other_bots(running: App) -> None:
    helper = running.emu.add_member(running.world.guild, "HelperBot", bot=True)
    await running.emu.flush()
    for subject in (running.emu.bot_user, helper.user):
        refused = await running.emu.slash(
            running.world.alice, running.world.daily, "rank", member=subject
        )
        assert refused.ephemeral and "is a bot" in refused.text, refused.text
        assert not refused.followups
