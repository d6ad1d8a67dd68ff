"""The scorecard: the AI grader's within a time budget and the guild's AI limits, else the
offline grader's, labelled; at the first delay an offline stand-in is posted while the sweep
retries. Points are claimed in the same transaction as the scorecard."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.content.schema import Question
from bot.domain.code_tests import RunEvidence
from bot.domain.grading import Grade, GradingUnavailable, hiring_signal_for
from bot.domain.mock import MIN_TURNS_FOR_POINTS, MockRound, candidate_count, transcript_of
from bot.domain.mock.phone_screen import answered_parts, combined_grade
from bot.domain.points import mock_round_points
from bot.llm.base import Grader, Transcript
from bot.llm.usage import usage_scope
from bot.services.grading import NOTHING_ADMITTED, Admission
from bot.services.mocks.deps import MockDeps, log, quietly
from bot.services.mocks.loop import advance_loop
from bot.services.mocks.ports import PartScore, Scorecard
from bot.store.points import PointsClaim

SCORE_RETRY = timedelta(minutes=2)
MAX_SCORE_ATTEMPTS = 3
# `/mock end` answers a deferred interaction whose token lasts 15 minutes.
SCORECARD_BUDGET = timedelta(minutes=10)


@dataclass(frozen=True)
class _Delayed:
    """The AI scorecard could not be had now: retry at `retry_after`."""

    retry_after: datetime


@dataclass(frozen=True)
class _Evidence:
    """What one question's part of the scorecard is graded on."""

    question: Question
    transcript: Transcript
    tests: RunEvidence | None


@dataclass(frozen=True)
class _Round:
    """What the whole scorecard is graded on: a part per question (None for a phone screen's
    question that was never answered), and the round's answers."""

    parts: tuple[_Evidence | None, ...]
    answers: int


async def score(deps: MockDeps, mock: MockRound) -> Scorecard | None:
    """The scorecard posted (None when there is none yet), or, when the AI scorecard is
    delayed at the first try, the offline stand-in posted while the member waits."""
    questions = await _questions(deps, mock)
    if questions is None:
        await deps.store.mocks.close_scoring_as_abandoned(mock.round_id)
        log.warning("round %s: its question is gone; not scored", mock.round_id)
        return None
    evidence = await _evidence(deps, mock, questions)
    graded = await _grade(deps, mock, evidence)
    if isinstance(graded, _Delayed):
        return await _stand_in(deps, mock, questions, evidence, graded.retry_after)
    grades, admitted = graded
    grade = _combined(grades, mock.locale)
    points, claim = _points_of(mock, grade, evidence.answers)
    try:
        saved = await deps.store.mocks.save_scorecard(
            mock.round_id,
            grade,
            points,
            deps.clock.now(),
            claim=claim,
            admission_id=admitted.admission_id,
        )
    except BaseException:
        # The call answered and its usage is recorded: its reservation must not outlive it.
        await deps.budget.settle(admitted, answered=True)
        raise
    if not saved:
        return None
    card = await _card(deps, mock, questions, grades, points, evidence.answers)
    await quietly(deps.room.post_scorecard(card), "scorecard", mock)
    if mock.loop_id is not None:
        await advance_loop(deps, mock, mock.loop_id)
    await quietly(deps.room.archive(mock), "archive", mock)
    return card


async def _questions(deps: MockDeps, mock: MockRound) -> list[Question] | None:
    """The round's questions (two for a phone screen); None when one left the bank."""
    ids = [mock.question_id, *([mock.second_question_id] if mock.second_question_id else [])]
    found = [await deps.catalog.question(mock.guild_id, question_id) for question_id in ids]
    questions = [q for q in found if q is not None]
    return questions if len(questions) == len(ids) else None


async def _evidence(deps: MockDeps, mock: MockRound, questions: Sequence[Question]) -> _Round:
    turns = await deps.store.mocks.turns(mock.round_id)
    parts: list[_Evidence | None] = []
    for question, part in zip(questions, answered_parts(turns, len(questions)), strict=True):
        if part is None:
            parts.append(None)
            continue
        # The scorecard reports the final code's pass rate; the criteria about the code
        # follow it.
        tests = await deps.code.final(question, part) if deps.code else None
        parts.append(_Evidence(question, transcript_of(part), tests))
    return _Round(tuple(parts), candidate_count(turns))


def _combined(grades: Sequence[Grade | None], locale: str | None) -> Grade:
    if len(grades) == 1 and grades[0] is not None:
        return _with_signal(grades[0])
    return _with_signal(combined_grade(grades, locale))


async def _card(
    deps: MockDeps,
    mock: MockRound,
    questions: Sequence[Question],
    grades: Sequence[Grade | None],
    points: int | None,
    answers: int,
    *,
    follows: bool = False,
) -> Scorecard:
    parts: tuple[PartScore, ...] = ()
    if mock.is_phone_screen:
        parts = tuple(
            PartScore(q, _with_signal(g) if g else None)
            for q, g in zip(questions, grades, strict=True)
        )
    ended_by = await _ended_by(deps, mock)
    grade = _combined(grades, mock.locale)
    return Scorecard(mock, questions[0], grade, points, answers, ended_by, follows, parts)


async def _stand_in(
    deps: MockDeps,
    mock: MockRound,
    questions: Sequence[Question],
    evidence: _Round,
    retry_after: datetime,
) -> Scorecard | None:
    """The AI scorecard is delayed. At the first try (the member is waiting) the offline
    scorecard is kept with its points and posted at once, labelled approximate; the sweep
    retries the AI scorecard, which replaces it and its points."""
    if mock.score_attempts > 0:
        await deps.store.mocks.delay_scoring(mock.round_id, retry_after)
        return None
    grades = await _offline(deps, mock, evidence)
    grade = _combined(grades, mock.locale)
    points, claim = _points_of(mock, grade, evidence.answers)
    await deps.store.mocks.delay_scoring(
        mock.round_id,
        retry_after,
        stand_in=grade,
        points=points,
        claim=claim,
        now=deps.clock.now(),
    )
    card = await _card(deps, mock, questions, grades, points, evidence.answers, follows=True)
    await quietly(deps.room.post_scorecard(card), "scorecard", mock)
    return card


async def _ended_by(deps: MockDeps, mock: MockRound) -> str | None:
    """The admin who ended someone else's round, by name."""
    if mock.ended_by is None or mock.ended_by == mock.user_id:
        return None
    admin = await deps.store.members.get(mock.guild_id, mock.ended_by)
    return admin.display_name if admin else None


async def _each_part(grader: Grader, mock: MockRound, evidence: _Round) -> list[Grade | None]:
    return [
        await grader.grade_transcript(
            part.question, part.transcript, locale=mock.locale, tests=part.tests
        )
        if part
        else None
        for part in evidence.parts
    ]


async def _offline(deps: MockDeps, mock: MockRound, evidence: _Round) -> list[Grade | None]:
    return await _each_part(deps.fallback, mock, evidence)


async def _grade(
    deps: MockDeps, mock: MockRound, evidence: _Round
) -> tuple[list[Grade | None], Admission] | _Delayed:
    """Claude's grades (one per question) and their admission, settled when the scorecard is
    stored; when to retry if they are delayed; the offline grader's after the last attempt or a
    failure that retrying cannot fix. A phone screen's two questions share one admission and one
    time budget: they are one scorecard."""
    admitted = NOTHING_ADMITTED  # the offline grader costs nothing and needs no admission
    if not deps.grader.approximate:
        admitted = await deps.budget.admit(mock.guild_id, mock.user_id, "scorecard")
    try:
        if admitted.admitted:
            with usage_scope(mock.guild_id, mock.user_id), deps.budget.stoppable():
                async with asyncio.timeout(SCORECARD_BUDGET.total_seconds()):
                    grades = await _each_part(deps.grader, mock, evidence)
        else:
            log.info("scorecard for round %s graded offline: over today's AI limits", mock.round_id)
            grades = await _offline(deps, mock, evidence)
    except (GradingUnavailable, TimeoutError) as exc:
        await deps.budget.settle(admitted, answered=False)
        admitted = NOTHING_ADMITTED
        retryable = exc.retryable if isinstance(exc, GradingUnavailable) else True
        reason = exc.reason if isinstance(exc, GradingUnavailable) else "budget"
        if retryable and mock.score_attempts + 1 < MAX_SCORE_ATTEMPTS:
            hint = exc.retry_after if isinstance(exc, GradingUnavailable) else None
            log.warning("scorecard for round %s delayed: %s", mock.round_id, reason)
            wait = max(SCORE_RETRY, timedelta(seconds=hint or 0))
            return _Delayed(deps.clock.now() + wait)
        log.warning("scorecard for round %s graded offline: %s", mock.round_id, reason)
        grades = await _offline(deps, mock, evidence)
    except BaseException:
        await deps.budget.settle(admitted, answered=False)
        raise
    return grades, admitted


def _points_of(
    mock: MockRound, grade: Grade, answers: int
) -> tuple[int | None, PointsClaim | None]:
    """The round's points (None below the answers that earn any) and their ledger claim."""
    if answers < MIN_TURNS_FOR_POINTS:
        return None, None
    points = mock_round_points(grade.overall, grade.max, injection_attempt=grade.injection_attempt)
    claim = PointsClaim(
        mock.guild_id, mock.user_id, "mock", str(mock.round_id), mock.round, points, mock.local_date
    )
    return points, claim


def _with_signal(grade: Grade) -> Grade:
    """A scorecard always carries a hiring signal: from the score when the grader gave none."""
    if grade.hiring_signal is not None:
        return grade
    return replace(grade, hiring_signal=hiring_signal_for(grade.overall))
