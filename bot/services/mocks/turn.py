"""A candidate's turn: saved before anything else, its code run when it has some, then the
interviewer's reply (the question's own follow-ups when the model fails or is over its limits).
The Run button takes the same path without a new answer."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.content.schema import Question
from bot.domain.code_tests import RunEvidence, run_turn
from bot.domain.errors import UserError
from bot.domain.grading import GradingUnavailable
from bot.domain.mock import (
    MAX_CANDIDATE_TURNS,
    CandidateSource,
    MockRound,
    candidate_count,
    clean_turn,
    interviewer_phase,
    minutes_left,
    require_answer_left,
    transcript_of,
)
from bot.llm.base import (
    PHASE_LAST_ANSWER,
    PHASE_TESTS_FAILED,
    PHASE_TESTS_PASSED,
    PHASE_WRAP_UP,
    Transcript,
)
from bot.llm.usage import usage_scope
from bot.services.mocks.deps import MockDeps, log, quietly, require_active, require_candidate
from bot.services.mocks.phone_screen import current_question
from bot.services.mocks.ports import CodeRun, InterviewerLine

# A live conversation cannot wait for the grader's full retry budget (about 4 minutes): past
# this the question's own follow-up is asked instead.
INTERVIEWER_BUDGET = timedelta(seconds=90)


async def for_response(
    deps: MockDeps, round_id: int, user_id: int, *, guild_id: int
) -> tuple[MockRound, Question]:
    """The round and question behind a Respond button, if this member may answer now."""
    mock = require_active(await deps.store.mocks.get(round_id), guild_id)
    require_candidate(mock, user_id)
    turns = await deps.store.mocks.turns(round_id)
    # Refused before the form opens, not after a whole answer is typed into it.
    require_answer_left(candidate_count(turns))
    question, _ = await current_question(deps, mock, turns)
    return mock, question


async def take_turn(
    deps: MockDeps,
    *,
    guild_id: int,
    round_id: int,
    user_id: int,
    display_name: str,
    text: str,
    source: CandidateSource,
    message_id: int | None = None,
) -> InterviewerLine | None:
    """Save the candidate's turn, then get and post the interviewer's reply. None when the
    same Discord message arrived twice."""
    async with deps.locks.hold(round_id):
        mock = require_active(await deps.store.mocks.get(round_id), guild_id)
        require_candidate(mock, user_id)
        cleaned = clean_turn(text)
        turns = await deps.store.mocks.turns(round_id)
        answers = candidate_count(turns)
        require_answer_left(answers)
        question, part = await current_question(deps, mock, turns)
        now = deps.clock.now()
        saved = await deps.store.mocks.add_turn(
            round_id, "candidate", cleaned, source, now, message_id=message_id
        )
        if not saved:
            return None
        answers += 1
        if source == "modal":
            await quietly(deps.room.post_echo(mock, display_name, cleaned), "echo", mock)
        transcript: Transcript = [*transcript_of(part), ("candidate", cleaned)]
        phase = interviewer_phase(mock, now, answers)
        tests = await deps.code.on_turn(question, cleaned) if deps.code else None
        if tests is not None:
            transcript, phase = await _record_run(deps, mock, tests, transcript, phase)
        return await _reply(deps, mock, question, transcript, phase, answers, message_id)


async def run_code(
    deps: MockDeps, *, guild_id: int, round_id: int, user_id: int
) -> InterviewerLine:
    """The Run button: the candidate's latest code against the tests, the results posted and
    given to the interviewer, whose next line asks about them."""
    async with deps.locks.hold(round_id):
        mock = require_active(await deps.store.mocks.get(round_id), guild_id)
        require_candidate(mock, user_id)
        if deps.code is None:
            raise UserError("Code does not run on this bot.", code="off")
        turns = await deps.store.mocks.turns(round_id)
        question, part = await current_question(deps, mock, turns)
        tests = await deps.code.latest(mock, question, part)
        answers = candidate_count(turns)
        phase = interviewer_phase(mock, deps.clock.now(), answers)
        transcript, phase = await _record_run(deps, mock, tests, transcript_of(part), phase)
        return await _reply(deps, mock, question, transcript, phase, answers, None)


async def _record_run(
    deps: MockDeps, mock: MockRound, tests: RunEvidence, transcript: Transcript, phase: str
) -> tuple[Transcript, str]:
    """Post a test run in the thread and keep it as an interviewer-side turn."""
    await quietly(deps.room.post_notice(mock, CodeRun(tests)), "run", mock)
    if not tests.ran:
        return transcript, phase
    line = run_turn(tests)
    await deps.store.mocks.add_turn(mock.round_id, "interviewer", line, "tests", deps.clock.now())
    if phase not in (PHASE_WRAP_UP, PHASE_LAST_ANSWER):
        phase = PHASE_TESTS_PASSED if tests.passed == tests.total else PHASE_TESTS_FAILED
    return [*transcript, ("interviewer", line)], phase


async def _reply(
    deps: MockDeps,
    mock: MockRound,
    question: Question,
    transcript: Transcript,
    phase: str,
    answers: int,
    message_id: int | None,
) -> InterviewerLine:
    async with deps.room.typing(mock):
        reply, fallback = await _interviewer(deps, mock, question, transcript, phase)
    await deps.store.mocks.add_turn(
        mock.round_id,
        "interviewer",
        reply,
        "fallback" if fallback else "interviewer",
        deps.clock.now(),
    )
    now = deps.clock.now()
    line = InterviewerLine(reply, answers, MAX_CANDIDATE_TURNS, minutes_left(mock, now), fallback)
    await quietly(deps.room.post_interviewer(mock, line, reply_to=message_id), "reply", mock)
    return line


async def _interviewer(
    deps: MockDeps, mock: MockRound, question: Question, transcript: Transcript, phase: str
) -> tuple[str, bool]:
    grader = deps.grader
    try:
        async with deps.budget.admitted_call(
            mock.guild_id, mock.user_id, "interview_turn", costs=not grader.approximate
        ) as call:
            if call.admitted:
                with usage_scope(mock.guild_id, mock.user_id):
                    async with asyncio.timeout(INTERVIEWER_BUDGET.total_seconds()):
                        text = await grader.interview_turn(
                            question, transcript, phase=phase, locale=mock.locale
                        )
                return text, False
        log.info("interviewer for round %s: over today's AI limits", mock.round_id)
    except (GradingUnavailable, TimeoutError) as exc:
        reason = exc.reason if isinstance(exc, GradingUnavailable) else "budget"
        log.warning("interviewer for round %s fell back: %s", mock.round_id, reason)
    text = await deps.fallback.interview_turn(question, transcript, phase=phase, locale=mock.locale)
    return text, True
