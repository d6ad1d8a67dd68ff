"""AI grading end to end: the real bot with ClaudeGrader, the real anthropic SDK and the fake
Messages API, through the Discord emulator. Cost controls, delays, retries and late delivery."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

import pytest
from discord.utils import escape_markdown

from bot.domain.grading import MAX_AI_ATTEMPTS, Grade, Usage
from bot.domain.points import DAILY_MINIMUM, daily_answer_points
from bot.domain.spend import cost_usd
from bot.llm.prompts import GRADE_PROMPT_VERSION
from bot.ui.feedback import PENDING_INTRO
from emulator.fake_messages_api import (
    FakeMessagesAPI,
    GradeReply,
    Overloaded,
    Refusal,
    Slow,
    criteria_instance,
)
from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, answer, at
from tests.e2e.grading_helpers import MODEL, claude_grader, posted_question, rows
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases


async def test_graded_answer_is_stored_with_model_prompt_and_usage(
    claude: App, fake: FakeMessagesAPI
) -> None:
    post = await posted_question(claude)
    opened = await claude.emu.click(claude.world.alice, post, label="Answer")
    submitted = await claude.emu.submit_modal(
        claude.world.alice, opened, {"answer": STRONG_ANSWER}, locale="pt-BR"
    )
    feedback = (await submitted.wait_for_followups(1))[-1]

    # The feedback is in the member's language, and so is what the grader writes.
    assert feedback.ephemeral and "**Geral: " in feedback.text and "/5" in feedback.text
    assert "Aproximada" not in feedback.text and MODEL in feedback.text
    request = fake.requests[-1]
    assert "Portuguese" in request.system_text  # the member's locale reaches the grader
    assert STRONG_ANSWER not in request.system_text
    [grade] = await rows(claude, "SELECT * FROM grades")
    assert (grade["grader"], grade["model"], grade["prompt_version"], grade["fallback"]) == (
        "claude",
        MODEL,
        GRADE_PROMPT_VERSION,
        None,
    )
    assert grade["input_tokens"] > 0 and grade["output_tokens"] > 0
    assert json.loads(grade["detail_json"])["usage"]["input_tokens"] == grade["input_tokens"]
    [usage] = await rows(claude, "SELECT * FROM llm_usage")
    assert (usage["guild_id"], usage["user_id"], usage["operation"]) == (
        claude.world.guild.id,
        claude.world.alice.id,
        "grade",
    )
    assert (usage["model"], usage["prompt_version"], usage["stop_reason"]) == (
        MODEL,
        GRADE_PROMPT_VERSION,
        "end_turn",
    )
    tokens = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens")
    assert [usage[k] for k in tokens] == [grade[k] for k in tokens]
    assert_requests_match_spec(claude.emu.requests)


@pytest.mark.parametrize("failure", ["overloaded", "timeout"])
async def test_failed_grading_is_saved_retried_and_sent_by_dm(
    claude: App, fake: FakeMessagesAPI, failure: str
) -> None:
    post = await posted_question(claude)
    # Two attempts per grading call (max_retries=1), both failing.
    if failure == "overloaded":
        fake.enqueue(Overloaded(), Overloaded())
    else:
        fake.enqueue(Slow(3.0), Slow(3.0))  # past the grader's 1 s per-attempt timeout
    submitted = await answer(claude, claude.world.alice, post, STRONG_ANSWER)

    reply = submitted.followups[-1]  # never nothing: the offline grade at once, labelled
    assert reply.ephemeral and "/5" in reply.text and "Approximate" in reply.text
    assert "AI feedback will follow" in reply.text and "Points for this answer" in reply.text
    [saved] = await rows(claude, "SELECT content, status, grade_attempts FROM answers")
    assert saved == {"content": STRONG_ANSWER, "status": "delayed", "grade_attempts": 1}
    [stand_in] = await rows(claude, "SELECT grader, fallback FROM grades")
    assert stand_in == {"grader": "offline", "fallback": "claude_pending"}
    answers = claude.running.services.answers
    assert await answers.retry_delayed() == 0  # not due yet: the retry waits two minutes

    claude.clock.advance(timedelta(minutes=2))
    assert await answers.retry_delayed() == 1
    dm = claude.emu.dm_channel(claude.world.alice)
    [message] = claude.emu.messages(dm)  # retry_delayed returns once the DM is sent
    assert "feedback" in message.text and "Study Hall" in message.text
    assert "/5" in message.text and "Approximate" not in message.text
    [graded] = await rows(claude, "SELECT status, delivered FROM answers")
    assert graded == {"status": "graded", "delivered": 1}
    [final] = await rows(claude, "SELECT grader, overall, fallback FROM grades")
    assert final["grader"] == "claude" and final["fallback"] is None
    # The points follow the final grade, in the one ledger row the stand-in opened.
    [ledger] = await rows(claude, "SELECT amount FROM points WHERE kind = 'daily'")
    assert ledger["amount"] == daily_answer_points(final["overall"], 5, 0)
    assert await answers.retry_delayed() == 0  # graded once, sent once
    assert len(claude.emu.messages(dm)) == 1
    assert_requests_match_spec(claude.emu.requests)


async def test_closed_dms_feedback_is_shown_on_next_use_once(
    claude: App, fake: FakeMessagesAPI
) -> None:
    post = await posted_question(claude)
    claude.emu.close_dms(claude.world.alice)
    fake.enqueue(Overloaded(), Overloaded())
    await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    claude.clock.advance(timedelta(minutes=2))
    assert await claude.running.services.answers.retry_delayed() == 1
    assert claude.emu.messages(claude.emu.dm_channel(claude.world.alice)) == []
    [graded] = await rows(claude, "SELECT status, delivered FROM answers")
    assert graded == {"status": "graded", "delivered": 0}

    # Bob using the bot does not see Alice's feedback.
    other = await claude.emu.slash(claude.world.bob, claude.world.daily, "leaderboard")
    await claude.emu.flush()
    assert other.followups == []

    board = await claude.emu.slash(claude.world.alice, claude.world.daily, "leaderboard")
    shown = (await board.wait_for_followups(1))[-1]
    assert shown.ephemeral and shown.text.startswith(PENDING_INTRO)
    assert "/5" in shown.text and "Feedback ·" in shown.text
    [delivered] = await rows(claude, "SELECT delivered FROM answers")
    assert delivered == {"delivered": 1}

    again = await claude.emu.slash(claude.world.alice, claude.world.daily, "leaderboard")
    hint = await claude.emu.click(claude.world.alice, post, label="Hint")
    await claude.emu.flush()
    assert again.followups == [] and hint.followups == []


async def test_pending_feedback_rides_on_the_hint_button(
    claude: App, fake: FakeMessagesAPI
) -> None:
    post = await posted_question(claude)
    claude.emu.close_dms(claude.world.alice)
    fake.enqueue(Overloaded(), Overloaded())
    await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    claude.clock.advance(timedelta(minutes=2))
    await claude.running.services.answers.retry_delayed()

    hint = await claude.emu.click(claude.world.alice, post, label="Hint")
    assert "Hint 1/" in hint.text
    shown = (await hint.wait_for_followups(1))[-1]
    assert shown.ephemeral and PENDING_INTRO in shown.text and "/5" in shown.text


async def test_member_limit_grades_offline_and_says_so(claude: App, fake: FakeMessagesAPI) -> None:
    post = await posted_question(claude)
    limits = await claude.emu.slash(
        claude.world.admin, claude.world.practice, "grading limits", member_answers=1
    )
    assert limits.ephemeral and "Limits saved" in limits.text and "**1**" in limits.text

    first = await answer(claude, claude.world.alice, post, "BFS with a visited set.")
    assert "Approximate" not in first.followups[-1].text
    second = await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    limited = second.followups[-1].text
    assert "Approximate" in limited and "today's AI-graded answers" in limited
    assert "not by judging correctness" in limited and "<t:" in limited
    assert len(fake.requests) == 1  # the second answer never reached the API
    [saved] = await rows(claude, "SELECT content, revision, status FROM answers")
    assert saved == {"content": STRONG_ANSWER, "revision": 2, "status": "graded"}
    graders = await rows(claude, "SELECT grader, fallback FROM grades ORDER BY grade_id")
    assert graders == [
        {"grader": "claude", "fallback": None},
        {"grader": "offline", "fallback": "member_limit"},
    ]
    # Bob has his own allowance; Alice's comes back at midnight, Berlin time.
    bob = await answer(claude, claude.world.bob, post, STRONG_ANSWER)
    assert "Approximate" not in bob.followups[-1].text
    claude.clock.set(at(2026, 11, 26, 23, 0))  # 00:00 on the 27th in Berlin
    again = await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    assert "Approximate" not in again.followups[-1].text
    assert len(fake.requests) == 3


async def test_server_budget_grades_offline_and_admin_sees_it(
    claude: App, fake: FakeMessagesAPI
) -> None:
    post = await posted_question(claude)
    await claude.emu.slash(
        claude.world.admin, claude.world.practice, "grading limits", server_tokens=1
    )
    await answer(claude, claude.world.alice, post, STRONG_ANSWER)  # under budget when it started
    bob = await answer(claude, claude.world.bob, post, STRONG_ANSWER)
    text = bob.followups[-1].text
    assert "Approximate" in text and "budget is used up" in text
    assert len(fake.requests) == 1
    usage = await claude.emu.slash(claude.world.admin, claude.world.practice, "grading usage")
    assert "Budget:" in usage.text and "/ 1 tokens" in usage.text


async def test_admin_spend_view_shows_tokens_and_dollars(
    claude: App, fake: FakeMessagesAPI
) -> None:
    post = await posted_question(claude)
    await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    await answer(claude, claude.world.bob, post, STRONG_ANSWER + " I also considered DFS.")

    refused = await claude.emu.slash(
        claude.world.alice, claude.world.practice, "grading usage", ignore_default_permissions=True
    )
    assert refused.ephemeral and "Manage Server" in refused.text
    view = await claude.emu.slash(claude.world.admin, claude.world.practice, "grading usage")
    assert view.ephemeral
    recorded = await rows(claude, "SELECT * FROM llm_usage")
    total = Usage(0, 0, 0, 0)
    for row in recorded:
        total += Usage(
            row["input_tokens"],
            row["output_tokens"],
            row["cache_read_tokens"],
            row["cache_write_tokens"],
        )
    dollars = cost_usd(total, MODEL)
    assert dollars is not None and dollars > 0
    tokens = sum(
        (total.input_tokens, total.output_tokens, total.cache_read_tokens, total.cache_write_tokens)
    )
    assert f"2 calls · {tokens:,} tokens · ≈ ${dollars:.4f}" in view.text
    assert f"<@{claude.world.alice.id}>" in view.text and "answer grades" in view.text
    assert "Per member: **10**" in view.text  # the default limits, shown with the spend
    assert not view.original or not view.original.pinged_users


async def test_limits_need_manage_server_and_sane_values(claude: App) -> None:
    refused = await claude.emu.slash(
        claude.world.alice,
        claude.world.practice,
        "grading limits",
        member_answers=50,
        ignore_default_permissions=True,
    )
    assert refused.ephemeral and "Manage Server" in refused.text
    shown = await claude.emu.slash(claude.world.admin, claude.world.practice, "grading limits")
    assert "Current AI grading limits" in shown.text and "the defaults" in shown.text
    assert await rows(claude, "SELECT * FROM grading_limits") == []


async def test_refusal_is_graded_offline_with_a_clear_label(
    claude: App, fake: FakeMessagesAPI
) -> None:
    post = await posted_question(claude)
    fake.enqueue(Refusal())
    submitted = await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    text = submitted.followups[-1].text
    assert "Approximate" in text and "could not grade this answer" in text
    [usage] = await rows(claude, "SELECT operation, stop_reason FROM llm_usage")
    assert usage == {"operation": "grade", "stop_reason": "refusal"}  # paid for, so recorded


async def test_grading_gives_up_to_offline_after_hours_of_failures(
    claude: App, fake: FakeMessagesAPI
) -> None:
    post = await posted_question(claude)
    fake.enqueue(*[Overloaded()] * (2 * MAX_AI_ATTEMPTS))
    await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    answers = claude.running.services.answers
    waits = []
    for _ in range(MAX_AI_ATTEMPTS - 1):
        [queued] = await rows(claude, "SELECT retry_after FROM answers")
        retry_at = datetime.fromisoformat(queued["retry_after"])
        waits.append(int((retry_at - claude.clock.now()).total_seconds() // 60))
        claude.clock.set(retry_at)
        await answers.retry_delayed()
    [graded] = await rows(claude, "SELECT status, grade_attempts FROM answers")
    assert graded == {"status": "graded", "grade_attempts": MAX_AI_ATTEMPTS - 1}
    [grade] = await rows(claude, "SELECT grader, fallback FROM grades")
    assert grade == {"grader": "offline", "fallback": "claude_unavailable"}
    dm = claude.emu.messages(claude.emu.dm_channel(claude.world.alice))
    assert len(dm) == 1 and "stayed unavailable" in dm[0].text
    assert waits == [2, 4, 8, 16, 32]  # minutes: the backoff between attempts


async def test_long_feedback_is_split_within_discord_limits(
    app: App, fake: FakeMessagesAPI
) -> None:
    # A long reply under a loaded machine: room for the fake API's answer to arrive at once,
    # so the AI feedback itself is what is split (not the offline stand-in).
    app.grader = claude_grader(fake, timeout_s=10.0)
    await app.start()
    claude = app
    post = await posted_question(claude)
    sentences = [
        f"Point {i}: I would keep a visited set keyed by board id so that each board is counted "
        f"once even when {i} cycles or duplicate edges appear, and I would explain why clearly."
        for i in range(12)
    ]
    long_answer = " ".join(sentences)
    [row] = await rows(claude, "SELECT post_id FROM daily_posts")
    question = await claude.running.services.answers.question_for_post(
        claude.world.guild.id, row["post_id"]
    )
    names = [c.name for c in question.rubric]
    comment = "Specific, long comment about this criterion. " * 13  # about 600 characters
    criteria = criteria_instance(names, dict.fromkeys(names, 4.0), "")
    for i, entry in enumerate(criteria.values()):
        entry.update(evidence=sentences[i][:390], comment=comment)
    payload = {
        "criteria": criteria,
        "strengths": ["A strength explained at length. " * 12] * 3,
        "improvements": ["An improvement explained at length. " * 11] * 3,
        "strong_answer_adds": ["Something a strong answer adds, at length. " * 9] * 3,
        "injection_attempt": False,
        "language": "en",
        "hints_gave_away": "",
    }
    fake.enqueue(GradeReply(payload=payload))
    submitted = await answer(claude, claude.world.alice, post, long_answer)
    await claude.emu.flush()

    messages = submitted.followups
    assert len(messages) >= 2  # too long for one message's 6000 characters
    for message in messages:
        assert message.ephemeral
        assert sum(_embed_length(e) for e in message.embeds) <= 6000
        assert all(len(f["value"]) <= 1024 for e in message.embeds for f in e.get("fields", []))
    text = "\n".join(m.text for m in messages)
    assert all(escape_markdown(n) in text for n in names)  # e.g. `has\_next`, `O(n \* M)`
    assert text.count(comment.strip()) == len(names)  # no comment was cut
    assert sentences[0][:390] in text  # evidence quotes are shown
    assert_requests_match_spec(claude.emu.requests)


def _embed_length(embed: dict[str, object]) -> int:
    fields = embed.get("fields") or []
    assert isinstance(fields, list)
    footer = embed.get("footer") or {}
    assert isinstance(footer, dict)
    return (
        len(str(embed.get("title") or ""))
        + len(str(embed.get("description") or ""))
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
        + len(str(footer.get("text") or ""))
    )


class StuckGrader:
    """An AI grader that never answers (a request stuck behind a full concurrency queue)."""

    name = "claude"
    approximate = False

    async def grade(
        self,
        question: object,
        answer: str,
        *,
        locale: str | None = None,
        hints: object = (),
        tests: object = None,
        clarified: object = None,
    ) -> Grade:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        return None


async def test_grading_past_its_budget_is_queued_while_the_token_still_works(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.services.answer_grading.GRADING_BUDGET", timedelta(seconds=0.2))
    app.grader = StuckGrader()
    await app.start()
    post = await posted_question(app)
    submitted = await answer(app, app.world.alice, post, STRONG_ANSWER)
    assert "AI feedback will follow" in submitted.followups[-1].text
    [saved] = await rows(app, "SELECT status, grade_attempts FROM answers")
    assert saved == {"status": "delayed", "grade_attempts": 1}


async def test_hints_used_reach_the_grader_and_what_they_gave_away_is_shown(
    claude: App, fake: FakeMessagesAPI
) -> None:
    post = await posted_question(claude)
    await claude.emu.click(claude.world.alice, post, label="Hint")
    fake.enqueue(GradeReply(extra={"hints_gave_away": "The visited-set idea was in hint 1."}))
    submitted = await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    feedback = (await submitted.wait_for_followups(1))[-1]
    instructions = fake.requests[-1].system_blocks[1]["text"]
    assert "saw 1 hint" in instructions
    assert "Hints: The visited-set idea was in hint 1." in feedback.text


async def test_an_injection_attempt_earns_the_minimum_points(
    claude: App, fake: FakeMessagesAPI
) -> None:
    post = await posted_question(claude)
    fake.enqueue(GradeReply(score=5.0, extra={"injection_attempt": True}))
    submitted = await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    feedback = (await submitted.wait_for_followups(1))[-1]
    assert "5.0/5" in feedback.text and "minimum points" in feedback.text
    [ledger] = await rows(claude, "SELECT amount FROM points WHERE kind = 'daily'")
    assert ledger["amount"] == DAILY_MINIMUM
