"""Mock interview rounds with the AI interviewer: opening a round, taking turns, timed nudges,
closing (by the member, the time box or idleness) and the scorecard; onsite loops on top.

Every candidate turn is saved before the interviewer is asked anything, so a failing model never
loses what the member typed: the interviewer falls back to the question's own follow-ups and the
round goes on. Everything a round needs survives a restart: it lives in the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.content.schema import Difficulty, Question, Round
from bot.domain.clock import Clock
from bot.domain.code_tests import RunEvidence, run_notice, run_turn
from bot.domain.errors import UserError
from bot.domain.grading import Grade, GradingUnavailable, hiring_signal_for
from bot.domain.mock import (
    MAX_CANDIDATE_TURNS,
    MIN_TURNS_FOR_POINTS,
    STALE_OPENING,
    CandidateSource,
    EndReason,
    MockRound,
    MockSettings,
    candidate_count,
    check_settings,
    clean_turn,
    closing_reason,
    due_nudge,
    interviewer_phase,
    minutes_left,
    opening_turn,
    require_answer_left,
    transcript_of,
)
from bot.domain.mock_loop import (
    TRACK_NAMES,
    LoopTrack,
    MockLoop,
    PacketEntry,
    committee_packet,
    next_position,
    signal_of,
    track_fixed_by,
)
from bot.domain.points import mock_round_points
from bot.domain.schedule import local_date
from bot.domain.selection import pick_question
from bot.llm.base import (
    PHASE_LAST_ANSWER,
    PHASE_TESTS_FAILED,
    PHASE_TESTS_PASSED,
    PHASE_WRAP_UP,
    Grader,
    Transcript,
)
from bot.llm.offline import OfflineGrader
from bot.llm.usage import usage_scope
from bot.services.catalog import Catalog
from bot.services.grading import NOTHING_ADMITTED, Admission, GradingService
from bot.services.keyed_locks import KeyedLocks
from bot.services.mock_code import MockCodeRuns
from bot.services.mock_ports import InterviewerLine, LoopPlace, MockRoom, Scorecard
from bot.services.ports import PublishError
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store import Store
from bot.store.points import PointsClaim

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30
SCORE_RETRY = timedelta(minutes=2)
MAX_SCORE_ATTEMPTS = 3
# A live conversation cannot wait for the grader's full retry budget (about 4 minutes): past
# this the question's own follow-up is asked instead.
INTERVIEWER_BUDGET = timedelta(seconds=90)
# `/mock end` answers a deferred interaction whose token lasts 15 minutes.
SCORECARD_BUDGET = timedelta(minutes=10)
RECENT_ROUNDS = 3


@dataclass(frozen=True)
class StartOutcome:
    mock: MockRound
    question: Question
    loop: LoopPlace | None
    rounds_today: int
    daily_limit: int
    switched_track: LoopTrack | None = None  # `/mock loop track:` moved the loop to this track


@dataclass(frozen=True)
class EndOutcome:
    mock: MockRound
    scorecard: Scorecard | None
    delayed: bool  # closed with answers, but the scorecard comes later


@dataclass(frozen=True)
class MockStatus:
    settings: MockSettings
    rounds_today: int
    current: MockRound | None
    current_answers: int
    current_minutes_left: int
    loop: MockLoop | None
    loop_rounds: tuple[MockRound, ...]
    recent: tuple[MockRound, ...]
    titles: dict[str, str]


@dataclass
class SweepReport:
    nudged: int = 0
    closed: int = 0
    scored: int = 0
    released: int = 0


class MockService:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        grader: Grader,
        clock: Clock,
        room: MockRoom,
        budget: GradingService,
        code: MockCodeRuns | None = None,
    ) -> None:
        self._store = store
        self._code = code
        self._budget = budget
        self._catalog = catalog
        self._grader = grader
        self._clock = clock
        self._room = room
        self._fallback = OfflineGrader()
        # One thing at a time per round: turns stay in order and a close never races a turn.
        self._locks = KeyedLocks()
        self._sweeping = asyncio.Lock()

    # --- starting ---------------------------------------------------------------------------

    async def start(
        self,
        *,
        guild_id: int,
        user_id: int,
        display_name: str,
        channel_id: int,
        round_name: Round,
        difficulty: Difficulty | None,
        locale: str | None,
    ) -> StartOutcome:
        return await self._open(
            guild_id=guild_id,
            user_id=user_id,
            display_name=display_name,
            channel_id=channel_id,
            round_name=round_name,
            difficulty=difficulty,
            locale=locale,
            loop=None,
        )

    async def start_loop(
        self,
        *,
        guild_id: int,
        user_id: int,
        display_name: str,
        channel_id: int,
        locale: str | None,
        track: LoopTrack | None,
        fresh: bool,
    ) -> StartOutcome:
        """Start the member's loop, or its next round; `fresh` abandons a loop in progress. A
        `track` other than the loop's switches it while no round of its own has started."""
        await self._refuse_if_busy(guild_id, user_id)
        now = self._clock.now()
        loop = await self._store.mocks.active_loop(guild_id, user_id)
        if loop is not None and fresh:
            await self._store.mocks.finish_loop(loop.loop_id, "abandoned", None, now)
            loop = None
        if loop is None:
            loop = await self._store.mocks.start_loop(guild_id, user_id, track or "swe", now)
            if loop is None:
                raise UserError("Your loop is being set up already; try again.", code="busy")
        rounds = await self._store.mocks.loop_rounds(loop.loop_id)
        taken = {r.loop_position for r in rounds if r.loop_position is not None}
        switched = None
        if track is not None and track != loop.track:
            loop = await self._switch_track(loop, track, taken)
            switched = track
        position = next_position(loop.plan, taken)
        if position is None:
            raise UserError(
                "Every round of your loop is done. The committee packet is posted in the last "
                "round's thread as soon as its scorecard is ready.",
                code="loop-scoring",
            )
        step = loop.plan[position]
        started = await self._open(
            guild_id=guild_id,
            user_id=user_id,
            display_name=display_name,
            channel_id=channel_id,
            round_name=step.round,
            difficulty=step.difficulty,
            locale=locale,
            loop=(loop, LoopPlace(position, len(loop.plan), step)),
        )
        return replace(started, switched_track=switched)

    async def _switch_track(self, loop: MockLoop, track: LoopTrack, taken: set[int]) -> MockLoop:
        fixed_by = track_fixed_by(loop.track, track, taken)
        if fixed_by is not None:
            raise UserError(
                f"Your loop stays on the {TRACK_NAMES[loop.track]} track: its {fixed_by.label} "
                f"round has started. Go on with `/mock loop`, or start a new "
                f"{TRACK_NAMES[track]} loop with `/mock loop track:{track} fresh:true` (this "
                "abandons the loop in progress). Nothing was changed.",
                code="loop-track-fixed",
            )
        if not await self._store.mocks.set_loop_track(loop.loop_id, track):
            raise UserError("Your loop changed meanwhile; try again.", code="busy")
        return replace(loop, track=track)

    async def _open(
        self,
        *,
        guild_id: int,
        user_id: int,
        display_name: str,
        channel_id: int,
        round_name: Round,
        difficulty: Difficulty | None,
        locale: str | None,
        loop: tuple[MockLoop, LoopPlace] | None,
    ) -> StartOutcome:
        await self._refuse_if_busy(guild_id, user_id)
        settings = await self._store.mocks.settings(guild_id)
        now = self._clock.now()
        today = await self._local_date(guild_id, now)
        started = await self._store.mocks.started_on(guild_id, user_id, today)
        if started >= settings.daily_limit:
            raise UserError(
                f"You have started {started} mock rounds today, this server's daily limit. "
                "Review your scorecards with `/mock status` and come back tomorrow.",
                code="daily-limit",
            )
        question = await self._pick(guild_id, user_id, round_name, difficulty, now)
        mock = await self._store.mocks.claim(
            guild_id=guild_id,
            user_id=user_id,
            channel_id=channel_id,
            question_id=question.id,
            round_name=question.round,
            difficulty=question.difficulty,
            time_box_minutes=question.time_box_minutes,
            locale=locale,
            loop_id=loop[0].loop_id if loop else None,
            loop_position=loop[1].position if loop else None,
            local_date=today,
            now=now,
        )
        if mock is None:
            await self._refuse_if_busy(guild_id, user_id)  # a second start won the race
            raise UserError("That round of your loop has started already.", code="loop-slot")
        await self._store.members.remember(guild_id, user_id, display_name)
        try:
            thread_id = await self._room.open_thread(
                channel_id, user_id, display_name, question.round
            )
        except PublishError as exc:
            await self._store.mocks.release(mock.round_id)
            raise UserError(
                f"I could not open your private thread: {exc.problem} {exc.fix} "
                "Nothing was started.",
                code="no-thread",
            ) from None
        opening = opening_turn(question.title, question.prompt, question.round)
        active = await self._store.mocks.activate(
            mock.round_id, thread_id, opening, self._clock.now()
        )
        assert active is not None, "only this call activates its own claim"
        place = loop[1] if loop else None
        try:
            await self._room.post_opening(active, question, place)
        except PublishError as exc:
            await self._store.mocks.close(active.round_id, "abandoned", "ended", now)
            raise UserError(
                f"I opened <#{thread_id}> but could not post the question there: {exc.problem} "
                f"{exc.fix}",
                code="no-opening",
            ) from None
        return StartOutcome(active, question, place, started + 1, settings.daily_limit)

    async def _refuse_if_busy(self, guild_id: int, user_id: int) -> None:
        current = await self._store.mocks.current(guild_id, user_id)
        if current is not None:
            where = f" in <#{current.thread_id}>" if current.thread_id else ""
            raise UserError(
                f"You already have a mock round running{where}: one at a time. Finish it there "
                "with `/mock end` first.",
                code="round-active",
            )

    async def _pick(
        self,
        guild_id: int,
        user_id: int,
        round_name: Round,
        difficulty: Difficulty | None,
        now: datetime,
    ) -> Question:
        """A question of the round the member has met least often (mock or daily)."""
        candidates = await self._catalog.candidates(guild_id)
        seen = await self._store.mocks.question_counts(guild_id, user_id)
        choice = pick_question(
            candidates,
            seen,
            round_name=round_name,
            difficulty=difficulty,
            seed=f"{guild_id}:{user_id}:{now.isoformat()}",
        )
        question = await self._catalog.question(guild_id, choice.question_id) if choice else None
        if question is None:
            raise UserError(
                f"This server has no {round_name.replace('_', ' ')} questions enabled. "
                "An admin can add some with `/questions add`.",
                code="no-questions",
            )
        return question

    async def _local_date(self, guild_id: int, now: datetime) -> str:
        return local_date(now, await self._store.guilds.zone(guild_id)).isoformat()

    # --- turns ------------------------------------------------------------------------------

    async def round_for_thread(self, thread_id: int) -> MockRound | None:
        return await self._store.mocks.by_thread(thread_id)

    async def active_rounds(self) -> list[MockRound]:
        return await self._store.mocks.with_status("active")

    async def for_response(
        self, round_id: int, user_id: int, *, guild_id: int
    ) -> tuple[MockRound, Question]:
        """The round and question behind a Respond button, if this member may answer now."""
        mock = _require_active(await self._store.mocks.get(round_id), guild_id)
        _require_candidate(mock, user_id)
        # Refused before the form opens, not after a whole answer is typed into it.
        require_answer_left(candidate_count(await self._store.mocks.turns(round_id)))
        return mock, await self._question(mock)

    async def take_turn(
        self,
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
        async with self._locks.hold(round_id):
            mock = _require_active(await self._store.mocks.get(round_id), guild_id)
            _require_candidate(mock, user_id)
            cleaned = clean_turn(text)
            turns = await self._store.mocks.turns(round_id)
            answers = candidate_count(turns)
            require_answer_left(answers)
            question = await self._question(mock)
            now = self._clock.now()
            saved = await self._store.mocks.add_turn(
                round_id, "candidate", cleaned, source, now, message_id=message_id
            )
            if not saved:
                return None
            answers += 1
            if source == "modal":
                await _quietly(self._room.post_echo(mock, display_name, cleaned), "echo", mock)
            transcript: Transcript = [*transcript_of(turns), ("candidate", cleaned)]
            phase = interviewer_phase(mock, now, answers)
            tests = await self._code.on_turn(question, cleaned) if self._code else None
            if tests is not None:
                transcript, phase = await self._record_run(mock, tests, transcript, phase)
            return await self._reply(mock, question, transcript, phase, answers, message_id)

    async def run_code(self, *, guild_id: int, round_id: int, user_id: int) -> InterviewerLine:
        """The Run button: the candidate's latest code against the tests, the results posted and
        given to the interviewer, whose next line asks about them."""
        async with self._locks.hold(round_id):
            mock = _require_active(await self._store.mocks.get(round_id), guild_id)
            _require_candidate(mock, user_id)
            if self._code is None:
                raise UserError("Code does not run on this bot.", code="off")
            question = await self._question(mock)
            turns = await self._store.mocks.turns(round_id)
            tests = await self._code.latest(mock, question, turns)
            answers = candidate_count(turns)
            phase = interviewer_phase(mock, self._clock.now(), answers)
            transcript, phase = await self._record_run(mock, tests, transcript_of(turns), phase)
            return await self._reply(mock, question, transcript, phase, answers, None)

    async def _record_run(
        self, mock: MockRound, tests: RunEvidence, transcript: Transcript, phase: str
    ) -> tuple[Transcript, str]:
        """Post a test run in the thread and keep it as an interviewer-side turn."""
        await _quietly(self._room.post_notice(mock, run_notice(tests), respond=False), "run", mock)
        if not tests.ran:
            return transcript, phase
        line = run_turn(tests)
        await self._store.mocks.add_turn(
            mock.round_id, "interviewer", line, "tests", self._clock.now()
        )
        if phase not in (PHASE_WRAP_UP, PHASE_LAST_ANSWER):
            phase = PHASE_TESTS_PASSED if tests.passed == tests.total else PHASE_TESTS_FAILED
        return [*transcript, ("interviewer", line)], phase

    async def _reply(
        self,
        mock: MockRound,
        question: Question,
        transcript: Transcript,
        phase: str,
        answers: int,
        message_id: int | None,
    ) -> InterviewerLine:
        async with self._room.typing(mock):
            reply, fallback = await self._interviewer(mock, question, transcript, phase)
        await self._store.mocks.add_turn(
            mock.round_id,
            "interviewer",
            reply,
            "fallback" if fallback else "interviewer",
            self._clock.now(),
        )
        now = self._clock.now()
        line = InterviewerLine(
            reply, answers, MAX_CANDIDATE_TURNS, minutes_left(mock, now), fallback
        )
        await _quietly(self._room.post_interviewer(mock, line, reply_to=message_id), "reply", mock)
        return line

    async def _interviewer(
        self, mock: MockRound, question: Question, transcript: Transcript, phase: str
    ) -> tuple[str, bool]:
        try:
            async with self._budget.admitted_call(
                mock.guild_id, mock.user_id, "interview_turn", costs=not self._grader.approximate
            ) as call:
                if call.admitted:
                    with usage_scope(mock.guild_id, mock.user_id):
                        async with asyncio.timeout(INTERVIEWER_BUDGET.total_seconds()):
                            text = await self._grader.interview_turn(
                                question, transcript, phase=phase, locale=mock.locale
                            )
                    return text, False
            log.info("interviewer for round %s: over today's AI limits", mock.round_id)
        except (GradingUnavailable, TimeoutError) as exc:
            reason = exc.reason if isinstance(exc, GradingUnavailable) else "budget"
            log.warning("interviewer for round %s fell back: %s", mock.round_id, reason)
        text = await self._fallback.interview_turn(
            question, transcript, phase=phase, locale=mock.locale
        )
        return text, True

    async def _question(self, mock: MockRound) -> Question:
        question = await self._catalog.question(mock.guild_id, mock.question_id)
        if question is None:
            raise UserError(
                "This round's question was removed from the server's bank.", code="no-question"
            )
        return question

    # --- closing and scoring ----------------------------------------------------------------

    async def end(
        self, *, guild_id: int, thread_id: int, user_id: int, display_name: str, is_admin: bool
    ) -> EndOutcome:
        mock = await self._store.mocks.by_thread(thread_id)
        if mock is None or mock.guild_id != guild_id:
            current = await self._store.mocks.current(guild_id, user_id)
            if current is not None and current.thread_id:
                raise UserError(
                    f"Use `/mock end` inside your round's thread: <#{current.thread_id}>.",
                    code="wrong-place",
                )
            raise UserError(
                "You have no mock round running. Start one with `/mock start`.", code="no-round"
            )
        if user_id != mock.user_id and not is_admin:
            raise UserError(
                f"Only <@{mock.user_id}> (or an admin) can end this round.", code="not-candidate"
            )
        if user_id != mock.user_id:
            # The scorecard names the admin who ended someone else's round.
            await self._store.members.remember(guild_id, user_id, display_name)
        async with self._locks.hold(mock.round_id):
            current_round = _require_active(await self._store.mocks.get(mock.round_id), guild_id)
            return await self._close(current_round, "ended", by=user_id)

    async def _close(
        self, mock: MockRound, reason: EndReason, *, by: int | None = None
    ) -> EndOutcome:
        now = self._clock.now()
        answers = candidate_count(await self._store.mocks.turns(mock.round_id))
        status = "scoring" if answers else "abandoned"
        if not await self._store.mocks.close(mock.round_id, status, reason, now, by=by):
            return EndOutcome(mock, None, False)
        closed = await self._store.mocks.get(mock.round_id)
        assert closed is not None
        if not answers:
            await _quietly(
                self._room.post_notice(closed, _EMPTY_CLOSE[reason], respond=False),
                "notice",
                closed,
            )
            await _quietly(self._room.archive(closed), "archive", closed)
            return EndOutcome(closed, None, False)
        if reason != "ended":
            await _quietly(
                self._room.post_notice(closed, _CLOSING[reason], respond=False), "notice", closed
            )
        card = await self._score(closed)
        scored = await self._store.mocks.get(mock.round_id)
        return EndOutcome(scored or closed, card, card is None or card.follows)

    async def _score(self, mock: MockRound) -> Scorecard | None:
        """The scorecard posted (None when there is none yet), or, when the AI scorecard is
        delayed at the first try, the offline stand-in posted while the member waits."""
        question = await self._catalog.question(mock.guild_id, mock.question_id)
        if question is None:
            await self._store.mocks.close_scoring_as_abandoned(mock.round_id)
            log.warning(
                "round %s: question %s is gone; not scored", mock.round_id, mock.question_id
            )
            return None
        turns = await self._store.mocks.turns(mock.round_id)
        transcript = transcript_of(turns)
        # The scorecard reports the final code's pass rate; the criteria about the code follow it.
        tests = await self._code.final(question, turns) if self._code else None
        answers = candidate_count(turns)
        graded = await self._grade(mock, question, transcript, tests)
        if isinstance(graded, _Delayed):
            return await self._stand_in(
                mock, question, transcript, tests, answers, graded.retry_after
            )
        grade, admitted = graded
        points, claim = _points_of(mock, grade, answers)
        try:
            saved = await self._store.mocks.save_scorecard(
                mock.round_id,
                grade,
                points,
                self._clock.now(),
                claim=claim,
                admission_id=admitted.admission_id,
            )
        except BaseException:
            # The call answered and its usage is recorded: its reservation must not outlive it.
            await self._budget.settle(admitted, answered=True)
            raise
        if not saved:
            return None
        card = Scorecard(mock, question, grade, points, answers, await self._ended_by(mock))
        await _quietly(self._room.post_scorecard(card), "scorecard", mock)
        if mock.loop_id is not None:
            await self._advance_loop(mock, mock.loop_id)
        await _quietly(self._room.archive(mock), "archive", mock)
        return card

    async def _stand_in(
        self,
        mock: MockRound,
        question: Question,
        transcript: Transcript,
        tests: RunEvidence | None,
        answers: int,
        retry_after: datetime,
    ) -> Scorecard | None:
        """The AI scorecard is delayed. At the first try (the member is waiting) the offline
        scorecard is kept with its points and posted at once, labelled approximate; the sweep
        retries the AI scorecard, which replaces it and its points."""
        if mock.score_attempts > 0:
            await self._store.mocks.delay_scoring(mock.round_id, retry_after)
            return None
        grade = _with_signal(
            await self._fallback.grade_transcript(
                question, transcript, locale=mock.locale, tests=tests
            )
        )
        points, claim = _points_of(mock, grade, answers)
        await self._store.mocks.delay_scoring(
            mock.round_id,
            retry_after,
            stand_in=grade,
            points=points,
            claim=claim,
            now=self._clock.now(),
        )
        ended_by = await self._ended_by(mock)
        card = Scorecard(mock, question, grade, points, answers, ended_by, follows=True)
        await _quietly(self._room.post_scorecard(card), "scorecard", mock)
        return card

    async def _ended_by(self, mock: MockRound) -> str | None:
        """The admin who ended someone else's round, by name."""
        if mock.ended_by is None or mock.ended_by == mock.user_id:
            return None
        admin = await self._store.members.get(mock.guild_id, mock.ended_by)
        return admin.display_name if admin else None

    async def _grade(
        self,
        mock: MockRound,
        question: Question,
        transcript: Transcript,
        tests: RunEvidence | None = None,
    ) -> tuple[Grade, Admission] | _Delayed:
        """Claude's scorecard and its admission, settled when the scorecard is stored; when to
        retry if it is delayed; the offline grader's after the last attempt or a failure that
        retrying cannot fix."""
        admitted = NOTHING_ADMITTED  # the offline grader costs nothing and needs no admission
        if not self._grader.approximate:
            admitted = await self._budget.admit(mock.guild_id, mock.user_id, "scorecard")
        try:
            if admitted.admitted:
                with usage_scope(mock.guild_id, mock.user_id), self._budget.stoppable():
                    async with asyncio.timeout(SCORECARD_BUDGET.total_seconds()):
                        grade = await self._grader.grade_transcript(
                            question, transcript, locale=mock.locale, tests=tests
                        )
            else:
                log.info(
                    "scorecard for round %s graded offline: over today's AI limits", mock.round_id
                )
                grade = await self._fallback.grade_transcript(
                    question, transcript, locale=mock.locale, tests=tests
                )
        except (GradingUnavailable, TimeoutError) as exc:
            await self._budget.settle(admitted, answered=False)
            admitted = NOTHING_ADMITTED
            retryable = exc.retryable if isinstance(exc, GradingUnavailable) else True
            reason = exc.reason if isinstance(exc, GradingUnavailable) else "budget"
            if retryable and mock.score_attempts + 1 < MAX_SCORE_ATTEMPTS:
                hint = exc.retry_after if isinstance(exc, GradingUnavailable) else None
                log.warning("scorecard for round %s delayed: %s", mock.round_id, reason)
                wait = max(SCORE_RETRY, timedelta(seconds=hint or 0))
                return _Delayed(self._clock.now() + wait)
            log.warning("scorecard for round %s graded offline: %s", mock.round_id, reason)
            grade = await self._fallback.grade_transcript(
                question, transcript, locale=mock.locale, tests=tests
            )
        except BaseException:
            await self._budget.settle(admitted, answered=False)
            raise
        return _with_signal(grade), admitted

    async def _advance_loop(self, mock: MockRound, loop_id: int) -> None:
        """After a loop round's scorecard: point to the next round, or post the packet."""
        loop = await self._store.mocks.loop(loop_id)
        if loop is None or loop.status != "active":
            return
        rounds = await self._store.mocks.loop_rounds(loop_id)
        scored = {
            r.loop_position: r for r in rounds if r.status == "closed" and r.grade is not None
        }
        plan = loop.plan
        if len(scored) < len(plan):
            taken = {r.loop_position for r in rounds if r.loop_position is not None}
            following = next_position(plan, taken)
            text = f"✅ Round {len(scored)} of {len(plan)} of your onsite loop is done."
            if following is not None:
                text += (
                    f" Next: **{plan[following].label}**. Run `/mock loop` when you are ready "
                    "(a break first is fine: the loop waits for you)."
                )
            await _quietly(self._room.post_notice(mock, text, respond=False), "notice", mock)
            return
        entries = []
        for position, step in enumerate(plan):
            done = scored[position]
            grade = done.grade
            assert grade is not None
            question = await self._catalog.question(done.guild_id, done.question_id)
            entries.append(
                PacketEntry(
                    label=step.label,
                    title=question.title if question else done.question_id,
                    overall=grade.overall,
                    max=grade.max,
                    signal=signal_of(grade.hiring_signal, grade.overall),
                    round_id=done.round_id,
                    thread_id=done.thread_id,
                )
            )
        packet = committee_packet(entries)
        now = self._clock.now()
        if await self._store.mocks.finish_loop(loop_id, "complete", packet.decision, now):
            await _quietly(self._room.post_packet(mock, packet), "packet", mock)

    # --- the sweep: nudges, idle and time-up closing, delayed scorecards --------------------

    async def sweep(self, shards: ShardPlan = EVERY_GUILD) -> SweepReport:
        """The scheduler's periodic job, for the guilds on this process's shards (tests call it
        directly after moving the clock)."""
        report = SweepReport()
        if self._sweeping.locked():
            return report
        async with self._sweeping:
            now = self._clock.now()
            settings: dict[int, MockSettings] = {}
            for mock in await self._store.mocks.with_status("active", shards):
                if mock.guild_id not in settings:
                    settings[mock.guild_id] = await self._store.mocks.settings(mock.guild_id)
                try:
                    await self._sweep_round(mock, now, settings[mock.guild_id], report)
                except Exception:
                    # One broken round must not stop every other round's clock.
                    log.exception("sweeping mock round %s failed", mock.round_id)
            for mock in await self._store.mocks.scoring_due(now, shards):
                try:
                    report.scored += await self._retry_scorecard(mock)
                except Exception:
                    log.exception("scoring mock round %s failed", mock.round_id)
            for mock in await self._store.mocks.with_status("opening", shards):
                if now - mock.started_at > STALE_OPENING:
                    await self._store.mocks.close(mock.round_id, "abandoned", "ended", now)
                    report.released += 1
        return report

    async def _retry_scorecard(self, mock: MockRound) -> bool:
        if self._locks.locked(mock.round_id):
            return False  # being scored right now
        async with self._locks.hold(mock.round_id):
            fresh = await self._store.mocks.get(mock.round_id)
            if fresh is None or fresh.status != "scoring":
                return False
            return await self._score(fresh) is not None

    async def _sweep_round(
        self, mock: MockRound, now: datetime, settings: MockSettings, report: SweepReport
    ) -> None:
        if self._locks.locked(mock.round_id):
            return  # a turn is in flight: the round is anything but idle
        async with self._locks.hold(mock.round_id):
            fresh = await self._store.mocks.get(mock.round_id)
            if fresh is None or not fresh.is_active:
                return
            reason = closing_reason(fresh, now, settings)
            if reason is not None:
                await self._close(fresh, reason)
                report.closed += 1
                return
            sent = await self._store.mocks.sent_nudges(fresh.round_id)
            answers = candidate_count(await self._store.mocks.turns(fresh.round_id))
            nudge, keys = due_nudge(fresh, now, sent, settings, answers)
            if nudge is None:
                return
            if nudge.key in await self._store.mocks.claim_nudges(fresh.round_id, keys, now):
                await _quietly(
                    self._room.post_notice(fresh, nudge.text, respond=True), "nudge", fresh
                )
                report.nudged += 1

    # --- status and settings ----------------------------------------------------------------

    async def status(self, guild_id: int, user_id: int) -> MockStatus:
        settings = await self._store.mocks.settings(guild_id)
        now = self._clock.now()
        today = await self._local_date(guild_id, now)
        current = await self._store.mocks.current(guild_id, user_id)
        answers = 0
        if current is not None:
            answers = candidate_count(await self._store.mocks.turns(current.round_id))
        loop = await self._store.mocks.active_loop(guild_id, user_id)
        loop_rounds = await self._store.mocks.loop_rounds(loop.loop_id) if loop else []
        recent = await self._store.mocks.recent(guild_id, user_id, RECENT_ROUNDS)
        titles: dict[str, str] = {}
        for mock in [*([current] if current else []), *loop_rounds, *recent]:
            question = await self._catalog.question(guild_id, mock.question_id)
            titles[mock.question_id] = question.title if question else mock.question_id
        return MockStatus(
            settings=settings,
            rounds_today=await self._store.mocks.started_on(guild_id, user_id, today),
            current=current,
            current_answers=answers,
            current_minutes_left=minutes_left(current, now) if current else 0,
            loop=loop,
            loop_rounds=tuple(loop_rounds),
            recent=tuple(recent),
            titles=titles,
        )

    async def configure(
        self, guild_id: int, *, idle_minutes: int | None, daily_limit: int | None
    ) -> MockSettings:
        """Change what was given; with nothing given, just show the settings."""
        check_settings(idle_minutes, daily_limit)
        current = await self._store.mocks.settings(guild_id)
        if idle_minutes is None and daily_limit is None:
            return current
        updated = MockSettings(
            idle_minutes=idle_minutes if idle_minutes is not None else current.idle_minutes,
            daily_limit=daily_limit if daily_limit is not None else current.daily_limit,
        )
        await self._store.mocks.save_settings(guild_id, updated, self._clock.now())
        return updated


_EMPTY_CLOSE: dict[EndReason, str] = {
    "ended": "Round closed with no answers, so there is nothing to score. Start another with "
    "`/mock start` when you are ready.",
    "time_up": "⏰ The time box is over and no answer came: round closed without a scorecard.",
    "idle": "💤 Round closed: no answer came in time, so there is nothing to score.",
}
_CLOSING: dict[str, str] = {
    "time_up": "⏰ The time box is over: I am closing the round. Your scorecard follows.",
    "idle": "💤 No answer for a while: I am closing the round. Your scorecard follows.",
}


def _require_active(mock: MockRound | None, guild_id: int) -> MockRound:
    """The round, if it is running in this server: round ids come from custom_ids, which a
    modified client can send from any server."""
    if mock is None or mock.guild_id != guild_id:
        raise UserError("That mock round does not exist in this server.", code="no-round")
    if not mock.is_active:
        raise UserError(
            "This round is over (its scorecard is in its thread). Start another with "
            "`/mock start`.",
            code="round-over",
        )
    return mock


def _require_candidate(mock: MockRound, user_id: int) -> None:
    if user_id != mock.user_id:
        raise UserError(
            f"Only <@{mock.user_id}> answers in this round: it is their mock interview. Start "
            "your own with `/mock start`.",
            code="not-candidate",
        )


async def _quietly(action: Awaitable[None], what: str, mock: MockRound) -> None:
    """Discord failing to show something must not undo what is saved; log it and go on."""
    try:
        await action
    except PublishError as exc:
        log.warning("mock round %s: %s not posted: %s", mock.round_id, what, exc.problem)


@dataclass(frozen=True)
class _Delayed:
    """The AI scorecard could not be had now: retry at `retry_after`."""

    retry_after: datetime


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
