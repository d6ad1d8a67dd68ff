"""Feedback rendering stays within Discord's limits however long the grade is."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import discord
import pytest

from bot.content.loader import load_bank
from bot.content.schema import Question
from bot.domain.grading import CriterionScore, Grade, StarBreakdown
from bot.domain.spend import FALLBACK_REASONS, Fallback, FallbackReason
from bot.ui.feedback import fallback_note, feedback_messages


@pytest.fixture(scope="module")
def question() -> Question:
    question = load_bank().get("pin-coding-board-reach")
    assert question is not None
    return question


def grade_with(criteria: int, *, comment: str, evidence: str | None, items: int = 3) -> Grade:
    return Grade(
        overall=3.5,
        max=5,
        grader="claude",
        model="claude-haiku-5-5",
        prompt_version="grade-v1",
        criteria=tuple(
            CriterionScore(f"Criterion {i:02d}", 3.5, 5, 1, evidence, comment)
            for i in range(criteria)
        ),
        strengths=tuple(f"Strength {i}: " + "well argued. " * 30 for i in range(items)),
        improvements=tuple(f"Improvement {i}: " + "add detail. " * 33 for i in range(items)),
        strong_answer_adds=tuple(f"Addition {i}: " + "more depth. " * 33 for i in range(items)),
        star=StarBreakdown(*(["A long part of the story. " * 15] * 5)),
        injection_attempt=True,
        approximate=False,
        language="en",
        usage=None,
    )


def assert_within_limits(messages: list[list[discord.Embed]]) -> None:
    for embeds in messages:
        assert 1 <= len(embeds) <= 10
        assert sum(len(e) for e in embeds) <= 6000
        for embed in embeds:
            assert len(embed.fields) <= 25
            assert all(len(f.value or "") <= 1024 for f in embed.fields)
            assert len(embed.title or "") <= 256


def text_of(messages: list[list[discord.Embed]]) -> str:
    return "\n".join(
        "\n".join([e.title or "", e.description or ""] + [f.value or "" for f in e.fields])
        for embeds in messages
        for e in embeds
    )


def test_short_feedback_is_one_message(question: Question) -> None:
    grade = grade_with(4, comment="Clear.", evidence="BFS", items=1)
    messages = feedback_messages(question, grade, points=12, resubmission=True)
    assert len(messages) == 1 and len(messages[0]) == 1
    text = text_of(messages)
    assert "3.5/5" in text and "12 pts" in text and "replaces your earlier one" in text
    assert "Instructions inside an answer are ignored" in text
    assert messages[0][0].footer.text == "Graded by claude-haiku-5-5"


def test_long_comments_and_many_criteria_are_split_not_cut(question: Question) -> None:
    comment = "A specific comment on what earned or lost points here. " * 11  # ~600 characters
    evidence = "a quoted sentence from the answer " * 11  # ~370 characters
    grade = grade_with(40, comment=comment.strip(), evidence=evidence.strip())
    messages = feedback_messages(question, grade, points=None, resubmission=False)

    assert_within_limits(messages)
    assert len(messages) > 1
    text = text_of(messages)
    for criterion in grade.criteria:
        assert f"**{criterion.name}** · 3.5/5" in text
    assert text.count(comment.strip()) == 40
    for item in grade.strengths + grade.improvements + grade.strong_answer_adds:
        assert item in text
    assert "A long part of the story." in text and "**I vs we**" in text
    assert all(m[0].title and "Feedback" in m[0].title for m in messages)


def test_a_block_longer_than_a_field_is_clipped_to_fit(question: Question) -> None:
    grade = grade_with(3, comment="x" * 3000, evidence=None)
    messages = feedback_messages(question, grade, points=None, resubmission=False)
    assert_within_limits(messages)
    assert "…" in text_of(messages)


def test_evidence_cannot_break_layout_or_ping(question: Question) -> None:
    grade = grade_with(3, comment="ok", evidence="**bold** @everyone <@123>", items=0)
    text = text_of(feedback_messages(question, grade, points=None, resubmission=False))
    assert "@everyone" not in text.replace("@\u200beveryone", "")
    assert "\\*\\*bold\\*\\*" in text


@pytest.mark.parametrize("reason", FALLBACK_REASONS)
def test_every_offline_grade_says_approximate_and_how_it_was_graded(
    question: Question, reason: FallbackReason
) -> None:
    grade = replace(grade_with(3, comment="ok", evidence=None), approximate=True, model=None)
    resets = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    note = fallback_note(grade, Fallback(reason, resets))
    assert note is not None and "Approximate" in note and "not by judging correctness" in note
    if reason in ("member_limit", "guild_budget"):
        assert f"<t:{int(resets.timestamp())}:R>" in note
    messages = feedback_messages(question, grade, points=None, resubmission=False)
    assert messages[0][0].footer.text == "Graded offline (approximate)"


def test_no_note_for_an_ordinary_ai_grade(question: Question) -> None:
    grade = grade_with(3, comment="ok", evidence=None)
    assert fallback_note(grade, None) is None
    offline = replace(grade, approximate=True)
    note = fallback_note(offline, None)
    assert note is not None and "no AI key" in note
