"""The phone-screen format of a coding mock: two questions in 60 minutes, the second (one level
harder) from the halfway mark on, and one scorecard with a rubric section per question."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Final

from bot.content.schema import Difficulty, Round
from bot.domain.errors import UserError
from bot.domain.grading import Grade, round_half_up
from bot.domain.message import Command
from bot.domain.mock.phases import SECOND_QUESTION_PHASE, phase_minutes
from bot.domain.mock.round import MockRound, MockTurn, candidate_count
from bot.i18n.messages import tr

PHONE_SCREEN_MINUTES: Final = 60
QUESTIONS: Final = 2
# The interviewer's turn that asks the second question: where its part of the transcript starts.
SECOND_QUESTION_SOURCE: Final = "second_question"

_HARDER: Final[dict[Difficulty, Difficulty]] = {"easy": "medium", "medium": "hard"}


def check_phone_screen(round_name: Round) -> None:
    if round_name != "coding":
        raise UserError(
            "A phone screen is a coding round: two coding questions in 60 minutes. Use "
            "{command}, or leave phone_screen out for this round. Nothing was started.",
            code="phone-screen-round",
            command=Command("/mock start round:coding phone_screen:true"),
        )


def difficulties(preferred: Difficulty | None) -> tuple[Difficulty, Difficulty]:
    """A warm-up, then a step up: the first question at the preferred difficulty (easy when none
    is given), the second one level harder; asking for hard gives a medium one, then the hard."""
    if preferred == "hard":
        return "medium", "hard"
    first = preferred or "easy"
    return first, _HARDER[first]


def second_question_at(mock: MockRound) -> datetime:
    spans = phase_minutes(mock.round, mock.time_box_minutes, phone_screen=True)
    start = next(start for phase, start, _ in spans if phase.key == SECOND_QUESTION_PHASE)
    return mock.started_at + timedelta(minutes=start)


def second_question_asked(turns: Sequence[MockTurn]) -> bool:
    return any(t.source == SECOND_QUESTION_SOURCE for t in turns)


def second_question_due(mock: MockRound, now: datetime, turns: Sequence[MockTurn]) -> bool:
    return (
        mock.is_phone_screen
        and now >= second_question_at(mock)
        and not second_question_asked(turns)
    )


def question_parts(turns: Sequence[MockTurn]) -> list[list[MockTurn]]:
    """The turns about each question asked so far: everything before the second question's
    turn, then everything from it on."""
    for i, turn in enumerate(turns):
        if turn.source == SECOND_QUESTION_SOURCE:
            return [list(turns[:i]), list(turns[i:])]
    return [list(turns)]


def answered_parts(turns: Sequence[MockTurn], questions: int) -> list[list[MockTurn] | None]:
    """Each question's turns, None for a question the candidate never answered (or never
    reached): it scores nothing."""
    parts = question_parts(turns)
    return [
        parts[i] if i < len(parts) and candidate_count(parts[i]) else None for i in range(questions)
    ]


def combined_grade(grades: Sequence[Grade | None], locale: object = None) -> Grade:
    """One grade for the whole screen: the questions' average (an unanswered question counts as
    0, as it would in a real screen), each question's criteria and notes labelled with it (in
    `locale`, the round's language, like the notes themselves). The hiring signal is left for
    the score to decide."""
    answered = [(i + 1, g) for i, g in enumerate(grades) if g is not None]
    assert answered, "a scored phone screen has at least one answered question"
    first = answered[0][1]

    def labelled(items: Sequence[str], n: int) -> tuple[str, ...]:
        # i18n: a scorecard's note about one of a phone screen's two questions.
        return tuple(tr(locale, "Question {n}: {note}", n=n, note=item) for item in items)

    usages = [g.usage for _, g in answered if g.usage is not None]
    usage = sum(usages[1:], usages[0]) if usages else None
    missing = [
        tr(locale, "Question {n} was not answered: it scores 0.", n=i + 1)
        for i, g in enumerate(grades)
        if g is None
    ]
    return replace(
        first,
        overall=round_half_up(sum(g.overall for _, g in answered) / len(grades)),
        criteria=tuple(
            replace(c, name=f"Q{n} · {c.name}") for n, g in answered for c in g.criteria
        ),
        strengths=tuple(s for n, g in answered for s in labelled(g.strengths, n)),
        improvements=tuple(s for n, g in answered for s in labelled(g.improvements, n)),
        strong_answer_adds=tuple(s for n, g in answered for s in labelled(g.strong_answer_adds, n)),
        star=None,
        injection_attempt=any(g.injection_attempt for _, g in answered),
        approximate=any(g.approximate for _, g in answered),
        usage=usage,
        hiring_signal=None,
        hiring_reasons=(*missing, *(r for n, g in answered for r in labelled(g.hiring_reasons, n))),
        hints_note=None,
        tests=None,
    )
