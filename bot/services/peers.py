"""Peer mock sessions: the queue, matching, the session's halves, no-shows, feedback, reminders."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.content.schema import Difficulty, Question, Round
from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.grading import Grade, GradingUnavailable
from bot.domain.models import DELETED_MEMBER
from bot.domain.peer_feedback import PeerFeedback, parse_scores
from bot.domain.peer_matching import (
    RECENT_PARTNER_DAYS,
    Availability,
    PeerSettings,
    QueueEntry,
    choose_partner,
    parse_when,
    queue_position,
)
from bot.domain.peer_session import (
    OPENING_TIMEOUT,
    Nudge,
    PeerSession,
    Role,
    abandoned,
    absent_member,
    due_nudges,
    half_earns_points,
    require_member,
    require_open,
)
from bot.domain.points import feedback_given_points, peer_session_points
from bot.domain.schedule import local_date
from bot.domain.selection import pick_question
from bot.domain.text import is_blank
from bot.llm.base import Grader, Transcript, candidate_turns
from bot.llm.usage import usage_scope
from bot.services.catalog import Catalog
from bot.services.grading import GradingService
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store import Store
from bot.store.points import PointsClaim

log = logging.getLogger(__name__)

FEEDBACK_TEXT_MAX = 1000


class RoomError(Exception):
    """Discord would not open the session's private thread; `fix` says what to do."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


class PeerRooms(Protocol):
    """What the peer service needs from Discord (implemented in bot/ui/peer_rooms.py)."""

    def room_problem(self, channel_id: int) -> str | None:
        """Why a private session thread cannot be opened in that channel, or None."""
        ...

    async def open_room(
        self, session: PeerSession, question: Question, settings: PeerSettings, *, ai_notes: bool
    ) -> int:
        """Open the private thread, add both members, post the start (with the notice and a way
        to say no when `ai_notes`: the thread's text would go to Anthropic); returns the thread
        id. Raises RoomError."""
        ...

    async def post_nudge(self, session: PeerSession, nudge: Nudge, question: Question) -> None: ...

    async def post_auto_closed(self, outcome: HalfOutcome) -> None: ...

    async def deliver_feedback(self, feedback: PeerFeedback, question: Question) -> bool:
        """Send it privately to the receiver; False when that is impossible (closed DMs)."""
        ...

    async def notify_expired(self, entry: QueueEntry) -> None: ...

    async def transcripts(self, session: PeerSession) -> dict[int, Transcript]:
        """What was typed in the thread, per half, as (speaker, text) turns."""
        ...

    async def deliver_summary(self, user_id: int, question: Question, grade: Grade) -> bool: ...


@dataclass(frozen=True)
class MatchResult:
    """A match found for a queue entry: the opened session, or why its room failed."""

    session: PeerSession | None
    question: Question | None
    problem: RoomError | None = None


@dataclass(frozen=True)
class JoinOutcome:
    entry: QueueEntry
    match: MatchResult | None
    position: int
    waiting: int


@dataclass(frozen=True)
class PeerStatus:
    settings: PeerSettings
    entry: QueueEntry | None
    position: int
    waiting_by_round: dict[str, int]
    session: PeerSession | None
    undelivered: list[tuple[PeerFeedback, Question | None]]
    no_shows: int


@dataclass(frozen=True)
class HalfOutcome:
    """After Swap roles or End session: the session and the points each member earned now."""

    session: PeerSession
    question: Question | None
    points: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class NoShowOutcome:
    session: PeerSession
    absent_id: int
    entry: QueueEntry


@dataclass(frozen=True)
class Guide:
    """The question the member interviews on, and in which half."""

    session: PeerSession
    question: Question
    half: int


@dataclass(frozen=True)
class FeedbackForm:
    session: PeerSession
    receiver_id: int
    receiver_name: str
    question: Question


@dataclass(frozen=True)
class FeedbackOutcome:
    feedback: PeerFeedback
    delivered: bool
    points: int


@dataclass(frozen=True)
class SweepReport:
    expired: int = 0
    nudges: int = 0
    closed: int = 0
    undone: int = 0


class PeerService:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        clock: Clock,
        rooms: PeerRooms,
        budget: GradingService,
        *,
        summary_grader: Grader | None = None,
    ) -> None:
        self._store = store
        # The AI notes count against the day's limits.
        self._budget = budget
        self._catalog = catalog
        self._clock = clock
        self._rooms = rooms
        # Set only when the bot can read the thread (message content) and an AI grader is there.
        self._summary_grader = summary_grader
        # Matching reads the queue and then claims two entries: one guild at a time.
        self._guild_locks: dict[int, asyncio.Lock] = {}
        self._sweeping = asyncio.Lock()

    def _lock(self, guild_id: int) -> asyncio.Lock:
        return self._guild_locks.setdefault(guild_id, asyncio.Lock())

    @property
    def summaries_enabled(self) -> bool:
        return self._summary_grader is not None

    # ------------------------------------------------------------------ settings
    async def settings(self, guild_id: int) -> PeerSettings:
        return await self._store.peers.settings(guild_id)

    async def configure(
        self,
        guild_id: int,
        *,
        channel_id: int | None,
        expiry_minutes: int | None,
        no_show_minutes: int | None,
    ) -> PeerSettings:
        """Change only what was given; the channel is checked before anything is saved."""
        current = await self._store.peers.settings(guild_id)
        if channel_id is not None:
            problem = self._rooms.room_problem(channel_id)
            if problem:
                raise UserError(f"{problem} Nothing was changed.", code="bad-channel")
        updated = PeerSettings(
            guild_id,
            channel_id if channel_id is not None else current.channel_id,
            expiry_minutes if expiry_minutes is not None else current.expiry_minutes,
            no_show_minutes if no_show_minutes is not None else current.no_show_minutes,
        )
        await self._store.peers.save_settings(updated, self._clock.now())
        return updated

    # ------------------------------------------------------------------ the queue
    async def join(
        self,
        *,
        guild_id: int,
        user_id: int,
        display_name: str,
        round_name: Round,
        level: Difficulty | None,
        when: str | None,
        channel_id: int,
    ) -> JoinOutcome:
        async with self._lock(guild_id):
            await self._refuse_if_busy(guild_id, user_id)
            settings = await self._store.peers.settings(guild_id)
            room_channel = self._room_channel(settings, channel_id)
            candidates = await self._catalog.candidates(guild_id)
            if not any(c.round == round_name for c in candidates):
                raise UserError(
                    "This server has no questions for that round: pick another round.",
                    code="no-questions",
                )
            now = self._clock.now()
            availability = parse_when(
                when, now=now, zone=await self._store.guilds.zone(guild_id), wait=settings.expiry
            )
            await self._store.members.remember(guild_id, user_id, display_name)
            entry = await self._add(
                guild_id, user_id, round_name, level, room_channel, availability
            )
            match = await self._match(entry, room_channel)
            waiting = await self._store.peers.waiting(guild_id)
        position, total = queue_position(entry, waiting)
        return JoinOutcome(entry, match, position, total)

    async def _refuse_if_busy(self, guild_id: int, user_id: int) -> None:
        session = await self._store.peers.open_session_of(guild_id, user_id)
        if session is not None:
            where = f" in <#{session.thread_id}>" if session.thread_id else ""
            raise UserError(
                f"You are in a peer session with <@{session.partner_of(user_id)}>{where}: "
                "finish it with **End session** before joining again.",
                code="in-session",
            )
        entry = await self._store.peers.waiting_entry(guild_id, user_id)
        if entry is not None:
            raise UserError(
                f"You are already in the queue for {entry.round.replace('_', ' ')}. "
                "`/peer status` shows your place; `/peer leave` first to change round or time.",
                code="already-waiting",
            )

    def _room_channel(self, settings: PeerSettings, channel_id: int) -> int:
        """The configured peer channel, else this one; refused when no private thread fits."""
        if settings.channel_id is not None:
            problem = self._rooms.room_problem(settings.channel_id)
            if problem is None:
                return settings.channel_id
            raise UserError(
                f"The peer channel an admin set (<#{settings.channel_id}>) does not work: "
                f"{problem} An admin can pick another with `/peer setup`.",
                code="bad-channel",
            )
        problem = self._rooms.room_problem(channel_id)
        if problem is not None:
            raise UserError(
                f"{problem} Use `/peer join` in a text channel, or an admin can set one with "
                "`/peer setup`. Nothing was changed.",
                code="bad-channel",
            )
        return channel_id

    async def _add(
        self,
        guild_id: int,
        user_id: int,
        round_name: str,
        level: str | None,
        channel_id: int,
        availability: Availability,
        *,
        joined_at: datetime | None = None,
        front: bool = False,
    ) -> QueueEntry:
        entry = await self._store.peers.add_entry(
            guild_id=guild_id,
            user_id=user_id,
            round_name=round_name,
            level=level,
            channel_id=channel_id,
            availability=availability,
            joined_at=joined_at or self._clock.now(),
            front=front,
        )
        if entry is None:
            raise UserError("You are already in the queue.", code="already-waiting")
        return entry

    async def _match(self, entry: QueueEntry, channel_id: int) -> MatchResult | None:
        """Pair `entry` with the best waiting member and open their room (under the lock)."""
        now = self._clock.now()
        peers = self._store.peers
        waiting = await peers.waiting(entry.guild_id)
        recent = await peers.recent_partners(
            entry.guild_id, entry.user_id, now - timedelta(days=RECENT_PARTNER_DAYS)
        )
        match = choose_partner(entry, waiting, recent, now)
        if match is None:
            return None
        question = await self._pick_question(
            entry.guild_id,
            entry.round,
            match.second.level,
            (match.first.user_id, match.second.user_id),
            avoid=None,
        )
        session = await peers.create_session(
            match, question_id=question.id, channel_id=channel_id, now=now
        )
        if session is None:
            return None
        settings = await peers.settings(entry.guild_id)
        try:
            thread_id = await self._rooms.open_room(
                session, question, settings, ai_notes=self.summaries_enabled
            )
        except RoomError as exc:
            log.warning("peer session %s: room not opened: %s", session.session_id, exc.problem)
            await peers.undo(session.session_id, self._clock.now())
            return MatchResult(None, question, exc)
        return MatchResult(await peers.opened(session.session_id, thread_id), question)

    async def _pick_question(
        self,
        guild_id: int,
        round_name: Round,
        level: Difficulty | None,
        users: tuple[int, int],
        *,
        avoid: str | None,
    ) -> Question:
        """A question neither member met in a peer session yet, at the candidate's level."""
        candidates = await self._catalog.candidates(guild_id)
        seen = await self._store.peers.questions_seen(guild_id, users)
        if avoid is not None:
            seen[avoid] = seen.get(avoid, 0) + 1_000
        now = self._clock.now()
        choice = pick_question(
            candidates,
            seen,
            round_name=round_name,
            difficulty=level,
            seed=f"peer:{guild_id}:{users[0]}:{users[1]}:{now.isoformat()}",
        )
        question = await self._catalog.question(guild_id, choice.question_id) if choice else None
        if question is None:
            raise UserError("This server has no questions for that round.", code="no-questions")
        return question

    async def leave(self, guild_id: int, user_id: int) -> QueueEntry:
        async with self._lock(guild_id):
            entry = await self._store.peers.leave(guild_id, user_id, self._clock.now())
        if entry is None:
            session = await self._store.peers.open_session_of(guild_id, user_id)
            if session is not None:
                raise UserError(
                    "You are not in the queue: you are matched already. To call the session "
                    f"off, press **End session** in <#{session.thread_id}>.",
                    code="in-session",
                )
            raise UserError("You are not in the peer queue.", code="not-waiting")
        return entry

    async def status(self, guild_id: int, user_id: int) -> PeerStatus:
        peers = self._store.peers
        waiting = await peers.waiting(guild_id)
        entry = next((e for e in waiting if e.user_id == user_id), None)
        by_round: dict[str, int] = {}
        for e in waiting:
            by_round[e.round] = by_round.get(e.round, 0) + 1
        undelivered = [
            (f, await self._catalog.question(guild_id, f.question_id))
            for f in await peers.claim_undelivered(guild_id, user_id)
        ]
        return PeerStatus(
            settings=await peers.settings(guild_id),
            entry=entry,
            position=queue_position(entry, waiting)[0] if entry else 0,
            waiting_by_round=by_round,
            session=await peers.open_session_of(guild_id, user_id),
            undelivered=undelivered,
            no_shows=await peers.no_shows(guild_id, user_id),
        )

    # ------------------------------------------------------------------ in the session
    async def _session(self, session_id: int, user_id: int, guild_id: int) -> PeerSession:
        """The session behind a button, refused unless it belongs to the server the button was
        pressed in (ids come from custom_ids, which a modified client can forge) and to the
        member; a refusal changes nothing."""
        session = await self._store.peers.session(session_id)
        if session is None or session.guild_id != guild_id:
            raise UserError("That peer session does not exist in this server.", code="no-session")
        require_member(session, user_id)
        if session.is_open and not session.seen(user_id):
            await self._store.peers.mark_seen(session_id, user_id, self._clock.now())
            session = await self._store.peers.session(session_id)
            assert session is not None
        return session

    async def _question(self, session: PeerSession, half: int) -> Question:
        question = await self._catalog.question(session.guild_id, session.question_ids[half - 1])
        if question is None:
            raise UserError("That question does not exist in this server.", code="no-question")
        return question

    async def check_in(self, session_id: int, user_id: int, *, guild_id: int) -> PeerSession:
        session = await self._session(session_id, user_id, guild_id)
        require_open(session)
        return session

    async def seen_in_thread(self, thread_id: int, user_id: int, *, guild_id: int) -> None:
        """A message in a session thread shows its author turned up."""
        session = await self._store.peers.session_in_thread(thread_id)
        if (
            session is not None
            and session.guild_id == guild_id
            and session.is_open
            and session.is_member(user_id)
        ):
            await self._store.peers.mark_seen(session.session_id, user_id, self._clock.now())

    async def guide(self, session_id: int, user_id: int, *, guild_id: int) -> Guide:
        """The interviewer's guide: only for the member interviewing now (or, once the session
        ended, for the half they interviewed, to help them write feedback)."""
        session = await self._session(session_id, user_id, guild_id)
        if session.status in ("no_show", "cancelled"):
            require_open(session)
        if session.is_open:
            if user_id != session.interviewer_id:
                raise UserError(
                    f"Only the interviewer sees the guide. In this half that is "
                    f"<@{session.interviewer_id}>; you are the candidate, so the question above "
                    "is all you need. No peeking!",
                    code="not-interviewer",
                )
            return Guide(session, await self._question(session, session.half), session.half)
        half = 1 if user_id == session.first_user_id else 2
        if half > session.half:
            raise UserError("You did not interview in this session.", code="not-interviewer")
        return Guide(session, await self._question(session, half), half)

    async def swap(self, session_id: int, user_id: int, *, guild_id: int) -> HalfOutcome:
        session = await self._session(session_id, user_id, guild_id)
        require_open(session)
        if session.half != 1:
            raise UserError(
                "Roles were already swapped: this is the second half. Press **End session** "
                "when you are done.",
                code="swapped",
            )
        question = await self._pick_question(
            session.guild_id,
            session.round,
            session.first_level,
            session.members,
            avoid=session.question_ids[0],
        )
        now = self._clock.now()
        swapped = await self._store.peers.swap(session_id, question.id, now)
        if swapped is None:
            raise UserError("Roles were already swapped.", code="swapped")
        points = await self._award_half(session, 1, now)
        return HalfOutcome(swapped, question, points)

    async def end(self, session_id: int, user_id: int, *, guild_id: int) -> HalfOutcome:
        session = await self._session(session_id, user_id, guild_id)
        require_open(session)
        finished = await self._finish(session)
        if finished is None:
            raise UserError("This session has already ended.", code="closed")
        return finished

    async def _finish(self, session: PeerSession) -> HalfOutcome | None:
        """Close the session and award its last half; None when it was already closed."""
        now = self._clock.now()
        ended = await self._store.peers.end(session.session_id, now)
        if ended is None:
            return None
        points = await self._award_half(ended, ended.half, now)
        return HalfOutcome(ended, None, points)

    async def _award_half(self, session: PeerSession, half: int, now: datetime) -> dict[int, int]:
        """Points for a half both members turned up for and that lasted long enough."""
        both_seen = session.seen(session.first_user_id) and session.seen(session.second_user_id)
        if not both_seen or not half_earns_points(session.half_started_at, now):
            return {}
        day = local_date(now, await self._store.guilds.zone(session.guild_id)).isoformat()
        earned: dict[int, int] = {}
        roles: tuple[tuple[int, Role], ...] = (
            (session.interviewer_in(half), "interviewer"),
            (session.candidate_in(half), "candidate"),
        )
        for user_id, role in roles:
            amount = peer_session_points(role)
            await self._store.points.award(
                guild_id=session.guild_id,
                user_id=user_id,
                kind=f"peer_{role}",
                ref=f"{session.session_id}:{half}",
                round_name=session.round,
                amount=amount,
                local_date=day,
                now=now,
            )
            earned[user_id] = amount
        return earned

    async def report_no_show(
        self, session_id: int, reporter_id: int, *, guild_id: int
    ) -> NoShowOutcome:
        """Record the partner's no-show and put the reporter back at the front of the queue.
        Matching them again is `rematch`, so this answers within Discord's 3 s."""
        session = await self._session(session_id, reporter_id, guild_id)
        settings = await self._store.peers.settings(session.guild_id)
        now = self._clock.now()
        absent = absent_member(session, reporter_id, now, settings.no_show_after)
        async with self._lock(session.guild_id):
            closed = await self._store.peers.record_no_show(session_id, absent, now)
            if closed is None:
                raise UserError("This session is already closed.", code="closed")
            old = await self._store.peers.session_entry(session_id, reporter_id)
            # Same round and level, available now, and ahead of everyone who waits.
            entry = await self._add(
                session.guild_id,
                reporter_id,
                session.round,
                session.level_of(reporter_id),
                session.channel_id,
                Availability(now, now + settings.expiry, windowed=False),
                joined_at=old.joined_at if old else now,
                front=True,
            )
        return NoShowOutcome(closed, absent, entry)

    async def rematch(self, entry: QueueEntry) -> MatchResult | None:
        """Try to match a requeued member at once (None: they wait, or were matched meanwhile)."""
        if self._rooms.room_problem(entry.channel_id) is not None:
            return None
        async with self._lock(entry.guild_id):
            return await self._match(entry, entry.channel_id)

    # ------------------------------------------------------------------ feedback
    async def feedback_form(self, session_id: int, giver_id: int, *, guild_id: int) -> FeedbackForm:
        session = await self._session(session_id, giver_id, guild_id)
        if session.status != "ended":
            raise UserError(
                "Feedback opens when the session ends: press **End session** first.",
                code="not-ended",
            )
        receiver = session.partner_of(giver_id)
        if receiver == DELETED_MEMBER:
            raise UserError(
                "Your partner deleted their data with `/privacy delete`, so there is no one to "
                "send feedback to. Nothing was saved.",
                code="partner-deleted",
            )
        half = session.half_for_candidate(receiver)
        if half is None:
            raise UserError(
                f"<@{receiver}> was not the candidate in this session (it ended before the "
                "swap), so there is no answer of theirs to rate.",
                code="no-candidate-turn",
            )
        if await self._store.peers.feedback_from(session_id, giver_id) is not None:
            raise UserError("You already sent your feedback for this session.", code="sent")
        name = await self._store.peers.display_name(session.guild_id, receiver)
        question = await self._question(session, half)
        return FeedbackForm(session, receiver, name or "your partner", question)

    async def submit_feedback(
        self,
        session_id: int,
        giver_id: int,
        *,
        guild_id: int,
        scores_text: str,
        went_well: str,
        to_improve: str,
    ) -> FeedbackOutcome:
        form = await self.feedback_form(session_id, giver_id, guild_id=guild_id)
        scores = parse_scores(scores_text, [c.name for c in form.question.rubric])
        # A comment of only zero-width or control characters is no comment.
        well, improve = ("" if is_blank(t) else t.strip() for t in (went_well, to_improve))
        if not scores.scores and not well and not improve:
            raise UserError(
                "The form was empty: score at least one criterion or write a comment.",
                code="empty",
            )
        now = self._clock.now()
        feedback = PeerFeedback(
            session_id=session_id,
            guild_id=form.session.guild_id,
            giver_id=giver_id,
            receiver_id=form.receiver_id,
            question_id=form.question.id,
            scores=scores,
            went_well=well[:FEEDBACK_TEXT_MAX],
            to_improve=improve[:FEEDBACK_TEXT_MAX],
            created_at=now,
        )
        points = feedback_given_points()
        zone = await self._store.guilds.zone(feedback.guild_id)
        claim = PointsClaim(
            guild_id=feedback.guild_id,
            user_id=giver_id,
            kind="peer_feedback",
            ref=str(session_id),
            round_name=form.session.round,
            amount=points,
            local_date=local_date(now, zone).isoformat(),
        )
        if not await self._store.peers.save_feedback(feedback, claim):
            raise UserError("You already sent your feedback for this session.", code="sent")
        delivered = await self._rooms.deliver_feedback(feedback, form.question)
        if delivered:
            await self._store.peers.mark_delivered(session_id, giver_id)
        return FeedbackOutcome(feedback, delivered, points)

    async def decline_notes(self, session_id: int, user_id: int, *, guild_id: int) -> None:
        """Either member may say no to AI notes (shown before any text is sent); then the
        session's thread text is not sent to Anthropic, for either of them."""
        session = await self._session(session_id, user_id, guild_id)
        await self._store.peers.decline_ai_notes(session.session_id)

    async def summarize(self, session: PeerSession) -> int:
        """Optional AI notes for each candidate, from what was typed in the thread, sent to them
        privately; returns how many were sent. Best effort: the session is already closed."""
        if self._summary_grader is None:
            return 0
        if not await self._store.peers.ai_notes_allowed(session.session_id):
            return 0  # a member said no: nothing of the thread leaves
        sent = 0
        transcripts = await self._rooms.transcripts(session)
        for half in range(1, session.half + 1):
            transcript = transcripts.get(half, [])
            if not candidate_turns(transcript):
                continue
            question = await self._question(session, half)
            grade = await self._note(session, session.candidate_in(half), question, transcript)
            if grade is not None and await self._rooms.deliver_summary(
                session.candidate_in(half), question, grade
            ):
                sent += 1
        return sent

    async def _note(
        self, session: PeerSession, candidate: int, question: Question, transcript: Transcript
    ) -> Grade | None:
        """One candidate's AI notes, within the day's limits; None when there are none."""
        grader = self._summary_grader
        if grader is None:
            return None
        try:
            async with self._budget.admitted_call(session.guild_id, candidate, "peer_note") as call:
                if not call.admitted:
                    log.info(
                        "peer notes for session %s: over today's AI limits", session.session_id
                    )
                    return None
                with usage_scope(session.guild_id, candidate):
                    return await grader.grade_transcript(
                        question, transcript, operation="peer_note"
                    )
        except GradingUnavailable as exc:
            log.warning("peer summary for session %s: %s", session.session_id, exc.reason)
            return None

    # ------------------------------------------------------------------ the sweep
    async def sweep(self, shards: ShardPlan = EVERY_GUILD) -> SweepReport:
        """Expire old entries, undo half-opened matches, send due reminders, close abandoned
        sessions, for the guilds on this process's shards. The scheduler calls it every minute;
        running it twice sends nothing twice."""
        if self._sweeping.locked():
            return SweepReport()
        async with self._sweeping:
            now = self._clock.now()
            expired = await self._store.peers.expire(now, shards)
            for entry in expired:
                await self._rooms.notify_expired(entry)
            undone = 0
            for session in await self._store.peers.sessions_with_status("opening", shards):
                if now - session.created_at >= OPENING_TIMEOUT:
                    await self._store.peers.undo(session.session_id, now)
                    undone += 1
            nudged = closed = 0
            for session in await self._store.peers.sessions_with_status("active", shards):
                try:
                    sent, was_closed = await self._tend(session, now)
                except Exception:
                    log.exception("peer sweep failed for session %s", session.session_id)
                    continue
                nudged += sent
                closed += was_closed
        return SweepReport(len(expired), nudged, closed, undone)

    async def _tend(self, session: PeerSession, now: datetime) -> tuple[int, bool]:
        settings = await self._store.peers.settings(session.guild_id)
        question = await self._question(session, session.half)
        time_box = timedelta(minutes=question.time_box_minutes)
        if abandoned(session, time_box, now):
            finished = await self._finish(session)
            if finished is not None:
                await self._rooms.post_auto_closed(finished)
                await self.summarize(finished.session)
            return 0, finished is not None
        sent = 0
        due = due_nudges(
            session,
            time_box=time_box,
            no_show_after=settings.no_show_after,
            sent=await self._store.peers.sent_nudges(session.session_id),
            now=now,
        )
        for nudge, timely in due:
            if await self._store.peers.claim_nudge(session.session_id, nudge.key, now) and timely:
                await self._rooms.post_nudge(session, nudge, question)
                sent += 1
        return sent, False
