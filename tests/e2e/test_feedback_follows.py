"""A member never waits with nothing, against a Messages API that answers with arbitrary schema
instances (thinking on) once it answers at all: when it is overloaded or too slow, the daily or
practice answer gets the offline grade at once, labelled approximate, and the AI feedback follows
by DM with the points of the final grade, counted once. A refusal is tried once on the fallback
model before the offline grader."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.domain.grading import Grade
from bot.domain.points import daily_answer_points, practice_answer_points
from emulator import Message
from emulator.fake_messages_api import Behaviour, FakeMessagesAPI, Overloaded, Refusal, Slow
from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, answer
from tests.e2e.grading_helpers import MODEL, claude_grader, posted_question, rows
from tests.progress.test_rank_practice_e2e import practise

pytestmark = pytest.mark.both_databases

FALLBACK_MODEL = "claude-fallback-1"
# Two requests per grading attempt (max_retries=1), both failing.
FAILURES: dict[str, tuple[Behaviour, ...]] = {
    "overloaded": (Overloaded(), Overloaded()),
    "timeout": (Slow(3.0), Slow(3.0)),  # past the grader's 1 s per-attempt timeout
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeMessagesAPI]:
    async with FakeMessagesAPI(arbitrary=True) as api:
        yield api


async def submit(app: App, source: str) -> Message:
    """The member's daily or practice answer; the reply they see at once."""
    if source == "daily":
        post = await posted_question(app)
        return (await answer(app, app.world.alice, post, STRONG_ANSWER)).followups[-1]
    return (await practise(app, STRONG_ANSWER))[1]


def points_for(source: str, grade: Grade) -> int:
    flagged = grade.injection_attempt  # an arbitrary reply may flag the answer
    if source == "daily":
        return daily_answer_points(grade.overall, grade.max, 0, injection_attempt=flagged)
    return practice_answer_points(grade.overall, grade.max, injection_attempt=flagged)


@pytest.mark.parametrize("source", ["daily", "practice"])
@pytest.mark.parametrize("failure", sorted(FAILURES))
async def test_the_offline_grade_comes_at_once_and_the_ai_feedback_follows(
    app: App, fake: FakeMessagesAPI, source: str, failure: str
) -> None:
    app.grader = claude_grader(fake)
    await app.start()
    fake.enqueue(*FAILURES[failure])
    shown = await submit(app, source)
    assert "Approximate" in shown.text and "AI feedback will follow" in shown.text
    assert "/5" in shown.text
    [stand_in] = await rows(app, "SELECT grader, fallback FROM grades")
    assert stand_in == {"grader": "offline", "fallback": "claude_pending"}

    app.clock.advance(timedelta(minutes=2))
    assert await app.running.services.answers.retry_delayed() == 1
    [dm] = app.emu.messages(app.emu.dm_channel(app.world.alice))
    assert "/5" in dm.text and "Approximate" not in dm.text
    [final] = await rows(app, "SELECT grader, detail_json, fallback FROM grades")
    assert final["grader"] == "claude" and final["fallback"] is None
    ledger = await rows(app, "SELECT amount FROM points WHERE kind = ?", source)
    expected = points_for(source, Grade.from_dict(json.loads(final["detail_json"])))
    assert [row["amount"] for row in ledger] == ([expected] if expected else [])
    assert await app.running.services.answers.retry_delayed() == 0  # graded and sent once
    assert len(app.emu.messages(app.emu.dm_channel(app.world.alice))) == 1


@pytest.mark.parametrize("source", ["daily", "practice"])
async def test_a_refusal_is_answered_by_the_fallback_model_at_once(
    app: App, fake: FakeMessagesAPI, source: str
) -> None:
    app.grader = claude_grader(fake, fallback_model=FALLBACK_MODEL)
    await app.start()
    fake.enqueue(Refusal())
    shown = await submit(app, source)
    assert "/5" in shown.text and FALLBACK_MODEL in shown.text
    assert "Approximate" not in shown.text and "will follow" not in shown.text
    [grade] = await rows(app, "SELECT grader, model FROM grades")
    assert grade == {"grader": "claude", "model": FALLBACK_MODEL}
    assert [r.body["model"] for r in fake.requests] == [MODEL, FALLBACK_MODEL]


@pytest.mark.parametrize("source", ["daily", "practice"])
async def test_refused_by_both_models_is_graded_offline_at_once_and_labelled(
    app: App, fake: FakeMessagesAPI, source: str
) -> None:
    app.grader = claude_grader(fake, fallback_model=FALLBACK_MODEL)
    await app.start()
    fake.enqueue(Refusal(), Refusal())
    shown = await submit(app, source)
    assert "Approximate" in shown.text and "could not grade this answer" in shown.text
    [grade] = await rows(app, "SELECT grader, fallback FROM grades")
    assert grade == {"grader": "offline", "fallback": "claude_refused"}
    app.clock.advance(timedelta(minutes=2))
    assert await app.running.services.answers.retry_delayed() == 0  # final: nothing follows
