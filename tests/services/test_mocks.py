"""The mock service on a real SQLite file, with a recording room instead of Discord."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.content.loader import QuestionBank, load_bank
from bot.content.schema import Question, Round
from bot.domain.clock import ManualClock
from bot.domain.errors import UserError
from bot.domain.grading import Grade, GradingUnavailable, round_half_up
from bot.domain.mock import MAX_CANDIDATE_TURNS, MockRound
from bot.domain.mock_loop import Packet
from bot.llm.base import Grader, Transcript
from bot.llm.offline import LAST_ANSWER_REPLY, OfflineGrader
from bot.services.catalog import Catalog
from bot.services.grading import GradingService
from bot.services.mocks.ports import InterviewerLine, LoopPlace, Notice, Scorecard
from bot.services.mocks.score import SCORE_RETRY
from bot.services.mocks.service import MockService
from bot.services.ports import PublishError
from bot.store import Store

pytestmark = pytest.mark.both_databases

GUILD, ALICE, BOB = 1, 11, 12
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@dataclass
class RecordingRoom:
    """Everything the service would show in Discord, as (kind, round id, detail)."""

    posts: list[tuple[str, int, object]] = field(default_factory=list)
    opened: list[int] = field(default_factory=list)
    refuse_threads: bool = False

    async def open_thread(
        self,
        channel_id: int,
        user_id: int,
        display_name: str,
        round_name: Round,
        locale: str | None = None,
    ) -> int:
        await asyncio.sleep(0)  # let a concurrent start interleave here
        if self.refuse_threads:
            raise PublishError(
                "missing Create Private Threads.", "Grant it.", certain_not_sent=True
            )
        self.opened.append(5000 + len(self.opened))
        return self.opened[-1]

    async def post_opening(
        self, mock: MockRound, question: Question, loop: LoopPlace | None
    ) -> None:
        self.posts.append(("opening", mock.round_id, question.id))

    async def post_second_question(self, mock: MockRound, question: Question) -> None:
        self.posts.append(("second_question", mock.round_id, question.id))

    async def post_echo(self, mock: MockRound, display_name: str, text: str) -> None:
        self.posts.append(("echo", mock.round_id, text))

    async def post_interviewer(
        self, mock: MockRound, line: InterviewerLine, *, reply_to: int | None
    ) -> None:
        self.posts.append(("interviewer", mock.round_id, line))

    async def post_notice(self, mock: MockRound, notice: Notice) -> None:
        self.posts.append(("notice", mock.round_id, notice))

    async def post_scorecard(self, card: Scorecard) -> None:
        self.posts.append(("scorecard", card.mock.round_id, card))

    async def post_packet(self, mock: MockRound, packet: Packet) -> None:
        self.posts.append(("packet", mock.round_id, packet))

    async def archive(self, mock: MockRound) -> None:
        self.posts.append(("archive", mock.round_id, None))

    def typing(self, mock: MockRound) -> AbstractAsyncContextManager[None]:
        return contextlib.nullcontext()

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.posts]


class UnavailableGrader(OfflineGrader):
    """The AI grader down: every call fails the way ClaudeGrader fails."""

    name = "claude"
    approximate = False

    def __init__(self, *, retryable: bool = True) -> None:
        self.retryable = retryable
        self.calls = 0

    async def grade_transcript(
        self,
        question: Question,
        transcript: Transcript,
        *,
        locale: str | None = None,
        tests: object = None,
    ) -> Grade:
        self.calls += 1
        raise GradingUnavailable("overloaded", retryable=self.retryable)

    async def interview_turn(
        self,
        question: Question,
        transcript: Transcript,
        *,
        phase: str | None,
        locale: str | None = None,
    ) -> str:
        self.calls += 1
        raise GradingUnavailable("overloaded", retryable=self.retryable)


@dataclass
class Harness:
    service: MockService
    store: Store
    room: RecordingRoom
    clock: ManualClock

    async def start(self, user_id: int = ALICE, round_name: Round = "system_design") -> MockRound:
        outcome = await self.service.start(
            guild_id=GUILD,
            user_id=user_id,
            display_name=f"member{user_id}",
            channel_id=99,
            round_name=round_name,
            difficulty=None,
            locale="en-US",
        )
        return outcome.mock

    async def turn(self, mock: MockRound, text: str, message_id: int | None = None) -> object:
        return await self.service.take_turn(
            guild_id=mock.guild_id,
            round_id=mock.round_id,
            user_id=mock.user_id,
            display_name="alice",
            text=text,
            source="message" if message_id else "modal",
            message_id=message_id,
        )

    async def end(self, mock: MockRound) -> object:
        assert mock.thread_id is not None
        return await self.service.end(
            guild_id=GUILD,
            thread_id=mock.thread_id,
            user_id=mock.user_id,
            display_name="alice",
            is_admin=False,
        )


@functools.cache
def bank() -> QuestionBank:
    return load_bank()  # loading and validating every pack takes a second: once per run


async def _harness(database: Path | str, grader: Grader) -> AsyncIterator[Harness]:
    store = Store(database)
    await store.open()
    clock, room = ManualClock(NOW), RecordingRoom()
    service = MockService(
        store, Catalog(bank(), store), grader, clock, room, GradingService(store, clock)
    )
    yield Harness(service, store, room, clock)
    await store.close()


@pytest.fixture
async def offline(database: Path | str) -> AsyncIterator[Harness]:
    async for harness in _harness(database, OfflineGrader()):
        yield harness


@pytest.fixture
async def down(database: Path | str) -> AsyncIterator[Harness]:
    async for harness in _harness(database, UnavailableGrader()):
        yield harness


async def test_two_starts_at_once_open_one_round(offline: Harness) -> None:
    results = await asyncio.gather(offline.start(), offline.start(), return_exceptions=True)
    refused = [r for r in results if isinstance(r, UserError)]
    assert len(refused) == 1 and refused[0].code == "round-active"
    assert len(offline.room.opened) == 1


async def test_a_refused_thread_starts_nothing(offline: Harness) -> None:
    offline.room.refuse_threads = True
    with pytest.raises(UserError, match="Create Private Threads"):
        await offline.start()
    assert list(await offline.store.db.fetchall("SELECT * FROM mock_rounds")) == []
    offline.room.refuse_threads = False
    assert (await offline.start()).is_active  # nothing left over blocks the next start


async def test_turn_limit_duplicates_and_offline_follow_ups(offline: Harness) -> None:
    mock = await offline.start()
    _, question = await offline.service.for_response(mock.round_id, ALICE, guild_id=GUILD)
    first = await offline.turn(mock, "Requirements: 100k QPS reads.", message_id=1)
    assert isinstance(first, InterviewerLine) and first.text == question.follow_ups[0]
    assert await offline.turn(mock, "Requirements: 100k QPS reads.", message_id=1) is None
    for n in range(2, MAX_CANDIDATE_TURNS + 1):
        line = await offline.turn(mock, f"Answer number {n}.")
    # The last allowed answer gets no new question, and says it was the last.
    assert isinstance(line, InterviewerLine) and line.text == LAST_ANSWER_REPLY
    assert line.is_last
    with pytest.raises(UserError, match="/mock end"):
        await offline.service.for_response(mock.round_id, ALICE, guild_id=GUILD)
    with pytest.raises(UserError, match="/mock end"):
        await offline.turn(mock, "One too many.")
    turns = await offline.store.mocks.turns(mock.round_id)
    assert sum(t.speaker == "candidate" for t in turns) == MAX_CANDIDATE_TURNS
    with pytest.raises(UserError, match="Only"):
        await offline.service.take_turn(
            guild_id=GUILD,
            round_id=mock.round_id,
            user_id=BOB,
            display_name="bob",
            text="hi",
            source="mention",
        )


async def test_points_need_a_real_exchange(offline: Harness) -> None:
    one = await offline.start()
    await offline.turn(one, "A short answer about fan-out on write.")
    await offline.end(one)
    assert (await offline.store.mocks.get(one.round_id)).points is None  # type: ignore[union-attr]
    two = await offline.start(round_name="coding")
    await offline.turn(two, "BFS with a visited set, O(n + e).")
    await offline.turn(two, "Edge cases: empty graph, self loops.")
    await offline.end(two)
    scored = await offline.store.mocks.get(two.round_id)
    assert scored is not None and scored.points is not None and scored.grade is not None
    assert scored.grade.approximate and scored.grade.hiring_signal is not None
    assert await offline.store.points.total(GUILD, ALICE) == scored.points


async def test_ai_down_the_round_goes_on_and_the_scorecard_comes_later(down: Harness) -> None:
    mock = await down.start()
    _, question = await down.service.for_response(mock.round_id, ALICE, guild_id=GUILD)
    line = await down.turn(mock, "Requirements: personalised feed, 400M users.")
    assert isinstance(line, InterviewerLine) and line.fallback
    assert line.text == question.follow_ups[0]
    outcome = await down.end(mock)
    assert outcome.delayed  # type: ignore[attr-defined]
    # Nobody waits with nothing: the offline stand-in at once, saying the AI card follows.
    stand_in = down.room.posts[-1][2]
    assert isinstance(stand_in, Scorecard) and stand_in.follows and stand_in.grade.approximate
    assert outcome.scorecard is stand_in  # type: ignore[attr-defined]
    assert (await down.store.mocks.get(mock.round_id)).status == "scoring"  # type: ignore[union-attr]
    # Retried by the sweep; after the last attempt the offline grader writes the card.
    assert (await down.service.sweep()).scored == 0  # not due yet
    down.clock.advance(SCORE_RETRY)
    assert (await down.service.sweep()).scored == 0
    down.clock.advance(SCORE_RETRY)
    assert (await down.service.sweep()).scored == 1
    card = down.room.posts[-2][2]
    assert isinstance(card, Scorecard) and card.grade.approximate and not card.follows
    assert down.room.kinds()[-2:] == ["scorecard", "archive"]
    assert [k for k in down.room.kinds() if k == "scorecard"] == ["scorecard"] * 2


async def test_a_phone_screen_stand_in_grades_each_question_offline(down: Harness) -> None:
    await down.service.configure(GUILD, idle_minutes=120, daily_limit=None)
    started = await down.service.start(
        guild_id=GUILD,
        user_id=ALICE,
        display_name="alice",
        channel_id=99,
        round_name="coding",
        difficulty="easy",
        locale="en-US",
        phone_screen=True,
    )
    mock = started.mock
    assert mock.is_phone_screen and mock.time_box_minutes == 60
    await down.turn(mock, "A hash map from value to index, one pass: O(n) time and space.")
    await down.turn(mock, "Duplicates keep the first index; an empty list returns nothing.")
    down.clock.advance(timedelta(minutes=30))
    assert (await down.service.sweep()).second_questions == 1
    assert down.room.posts[-1] == ("second_question", mock.round_id, mock.second_question_id)
    _, current = await down.service.for_response(mock.round_id, ALICE, guild_id=GUILD)
    assert current.id == mock.second_question_id
    await down.turn(mock, "Sort, then two pointers from both ends: O(n log n).")
    outcome = await down.end(mock)
    card = outcome.scorecard  # type: ignore[attr-defined]
    assert isinstance(card, Scorecard) and card.follows and card.grade.approximate
    assert [p.question.id for p in card.parts] == [mock.question_id, mock.second_question_id]
    grades = [p.grade for p in card.parts]
    assert all(g is not None and g.approximate for g in grades)
    assert card.grade.overall == round_half_up(sum(g.overall for g in grades if g) / 2)
    assert len(card.grade.criteria) == sum(len(g.criteria) for g in grades if g)
    assert card.points is not None  # three answers: points like any coding round


async def test_a_refusal_is_graded_offline_at_once(database: Path | str) -> None:
    async for harness in _harness(database, UnavailableGrader(retryable=False)):
        mock = await harness.start()
        await harness.turn(mock, "An answer.")
        outcome = await harness.end(mock)
        assert outcome.scorecard is not None and outcome.scorecard.grade.approximate  # type: ignore[attr-defined]


async def test_a_stale_claim_is_released(offline: Harness) -> None:
    claim = await offline.store.mocks.claim(
        guild_id=GUILD,
        user_id=ALICE,
        channel_id=99,
        question_id="pin-coding-board-reach",
        round_name="coding",
        difficulty="medium",
        time_box_minutes=30,
        locale=None,
        loop_id=None,
        loop_position=None,
        local_date="2026-11-26",
        now=NOW,
    )
    assert claim is not None
    with pytest.raises(UserError, match="one at a time"):
        await offline.start()
    offline.clock.advance(timedelta(minutes=11))
    assert (await offline.service.sweep()).released == 1
    assert (await offline.start()).is_active


async def test_settings_change_only_what_was_given(offline: Harness) -> None:
    shown = await offline.service.configure(GUILD, idle_minutes=None, daily_limit=None)
    assert (shown.idle_minutes, shown.daily_limit) == (30, 4)
    saved = await offline.service.configure(GUILD, idle_minutes=45, daily_limit=None)
    assert (saved.idle_minutes, saved.daily_limit) == (45, 4)
    with pytest.raises(UserError):
        await offline.service.configure(GUILD, idle_minutes=1000, daily_limit=None)
    assert (await offline.store.mocks.settings(GUILD)).idle_minutes == 45
