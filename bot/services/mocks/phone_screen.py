"""A phone screen's second question: asked at the halfway mark, and from then on the question
the interviewer talks about (with only its own part of the transcript)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.content.schema import Question
from bot.domain.errors import UserError
from bot.domain.mock import MockRound, MockTurn, opening_turn
from bot.domain.mock.phone_screen import SECOND_QUESTION_SOURCE, question_parts, second_question_due
from bot.services.mocks.deps import MockDeps, quietly


async def current_question(
    deps: MockDeps, mock: MockRound, turns: Sequence[MockTurn]
) -> tuple[Question, list[MockTurn]]:
    """The question the candidate is on, and the turns about it."""
    parts = question_parts(turns)
    if len(parts) == 1 or mock.second_question_id is None:
        return await deps.question_of(mock), list(turns)
    second = await deps.catalog.question(mock.guild_id, mock.second_question_id)
    if second is None:
        raise UserError(
            "This round's second question was removed from the server's bank.",
            code="no-question",
        )
    return second, parts[1]


async def ask_second_question(deps: MockDeps, mock: MockRound, now: datetime) -> bool:
    """Move a phone screen on to its second question once it is due (under the round's lock);
    True when it was asked now."""
    turns = await deps.store.mocks.turns(mock.round_id)
    if not second_question_due(mock, now, turns) or mock.second_question_id is None:
        return False
    question = await deps.catalog.question(mock.guild_id, mock.second_question_id)
    if question is None:
        return False  # removed from the bank: the first question carries the round to its end
    turn = opening_turn(question.title, question.prompt)
    await deps.store.mocks.add_turn(mock.round_id, "interviewer", turn, SECOND_QUESTION_SOURCE, now)
    await quietly(deps.room.post_second_question(mock, question), "second question", mock)
    return True
