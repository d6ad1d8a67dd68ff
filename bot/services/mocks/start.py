"""Starting a round: the member's daily limit, a question they have met least, a claim that
only one round runs at a time, the private thread and the opening."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.content.schema import Difficulty, Question, Round, round_label
from bot.domain.errors import UserError
from bot.domain.message import Channel, Command, Phrase
from bot.domain.mock import MockRound, opening_turn
from bot.domain.mock.phone_screen import PHONE_SCREEN_MINUTES, check_phone_screen, difficulties
from bot.domain.mock_loop import MockLoop
from bot.domain.selection import Candidate, pick_question
from bot.services.mocks.deps import MockDeps
from bot.services.mocks.ports import LoopPlace
from bot.services.mocks.results import StartOutcome
from bot.services.ports import PublishError


@dataclass(frozen=True)
class Opening:
    """Who starts which round, and where."""

    guild_id: int
    user_id: int
    display_name: str
    channel_id: int
    round_name: Round
    difficulty: Difficulty | None
    locale: str | None
    loop: tuple[MockLoop, LoopPlace] | None = None
    phone_screen: bool = False  # two coding questions in 60 minutes


async def open_round(deps: MockDeps, opening: Opening) -> StartOutcome:
    guild_id, user_id = opening.guild_id, opening.user_id
    if opening.phone_screen:
        check_phone_screen(opening.round_name)
    await refuse_if_busy(deps, guild_id, user_id)
    settings = await deps.store.mocks.settings(guild_id)
    now = deps.clock.now()
    today = await deps.local_date(guild_id, now)
    started = await deps.store.mocks.started_on(guild_id, user_id, today)
    if started >= settings.daily_limit:
        raise UserError(
            "You have started {started} mock rounds today, this server's daily limit. "
            "Review your scorecards with {command} and come back tomorrow.",
            code="daily-limit",
            started=started,
            command=Command("/mock status"),
        )
    question, second = await _questions(deps, opening, now)
    loop = opening.loop
    mock = await deps.store.mocks.claim(
        guild_id=guild_id,
        user_id=user_id,
        channel_id=opening.channel_id,
        question_id=question.id,
        round_name=question.round,
        difficulty=question.difficulty,
        time_box_minutes=PHONE_SCREEN_MINUTES if second else question.time_box_minutes,
        locale=opening.locale,
        loop_id=loop[0].loop_id if loop else None,
        loop_position=loop[1].position if loop else None,
        local_date=today,
        now=now,
        second_question_id=second.id if second else None,
    )
    if mock is None:
        await refuse_if_busy(deps, guild_id, user_id)  # a second start won the race
        raise UserError("That round of your loop has started already.", code="loop-slot")
    await deps.store.members.remember(guild_id, user_id, opening.display_name)
    place = loop[1] if loop else None
    active = await _open_thread(deps, opening, mock.round_id, question, place)
    return StartOutcome(active, question, place, started + 1, settings.daily_limit)


async def _open_thread(
    deps: MockDeps, opening: Opening, round_id: int, question: Question, place: LoopPlace | None
) -> MockRound:
    """The claimed round's thread and opening; the claim is given back when Discord refuses."""
    try:
        thread_id = await deps.room.open_thread(
            opening.channel_id,
            opening.user_id,
            opening.display_name,
            question.round,
            opening.locale,
        )
    except PublishError as exc:
        await deps.store.mocks.release(round_id)
        raise UserError(
            "I could not open your private thread: {problem} {fix} Nothing was started.",
            code="no-thread",
            problem=exc.problem,
            fix=exc.fix,
        ) from None
    now = deps.clock.now()
    active = await deps.store.mocks.activate(
        round_id, thread_id, opening_turn(question.title, question.prompt), now
    )
    assert active is not None, "only this call activates its own claim"
    try:
        await deps.room.post_opening(active, question, place)
    except PublishError as exc:
        await deps.store.mocks.close(active.round_id, "abandoned", "ended", now)
        raise UserError(
            "I opened {thread} but could not post the question there: {problem} {fix}",
            code="no-opening",
            thread=Channel(thread_id),
            problem=exc.problem,
            fix=exc.fix,
        ) from None
    return active


async def refuse_if_busy(deps: MockDeps, guild_id: int, user_id: int) -> None:
    current = await deps.store.mocks.current(guild_id, user_id)
    if current is not None:
        if current.thread_id:
            raise UserError(
                "You already have a mock round running in {thread}: one at a time. Finish it "
                "there with {command} first.",
                code="round-active",
                thread=Channel(current.thread_id),
                command=Command("/mock end"),
            )
        raise UserError(
            "You already have a mock round running: one at a time. Finish it there with "
            "{command} first.",
            code="round-active",
            command=Command("/mock end"),
        )


async def _questions(
    deps: MockDeps, opening: Opening, now: datetime
) -> tuple[Question, Question | None]:
    """The round's question; for a phone screen, a warm-up and a harder second question on
    another topic."""
    if not opening.phone_screen:
        return await pick(deps, opening, now), None
    first_level, second_level = difficulties(opening.difficulty)
    first = await pick(deps, replace(opening, difficulty=first_level), now)
    second = await pick(deps, replace(opening, difficulty=second_level), now, after=first)
    return first, second


async def pick(
    deps: MockDeps, opening: Opening, now: datetime, *, after: Question | None = None
) -> Question:
    """A question of the round the member has met least often (mock or daily); `after` (a phone
    screen's first question) is never picked again, and its topics only when nothing else is
    left."""
    guild_id, user_id = opening.guild_id, opening.user_id
    candidates = await deps.catalog.candidates(guild_id)
    seen = await deps.store.mocks.question_counts(guild_id, user_id)
    if after is not None:
        candidates = [c for c in candidates if c.question_id != after.id]
        other_topics = [c for c in candidates if not await _shares_topic(deps, guild_id, c, after)]
        candidates = other_topics or candidates
    choice = pick_question(
        candidates,
        seen,
        round_name=opening.round_name,
        difficulty=opening.difficulty,
        seed=f"{guild_id}:{user_id}:{now.isoformat()}",
    )
    question = await deps.catalog.question(guild_id, choice.question_id) if choice else None
    if question is None:
        # i18n: {round} is an interview round's name ("System design").
        raise UserError(
            "This server has no {round} questions enabled. An admin can add some with {command}.",
            code="no-questions",
            round=Phrase(round_label(opening.round_name)),
            command=Command("/questions add"),
        )
    return question


async def _shares_topic(
    deps: MockDeps, guild_id: int, candidate: Candidate, other: Question
) -> bool:
    if candidate.round != other.round:
        return False  # not a candidate for this round anyway
    question = await deps.catalog.question(guild_id, candidate.question_id)
    return question is not None and bool(set(question.tags) & set(other.tags))
