"""What a candidate's turn must be: not empty, not too long, not past the round's last answer."""

from __future__ import annotations

from bot.domain.errors import UserError
from bot.domain.message import Button, Command
from bot.domain.mock.round import MAX_CANDIDATE_TURNS, MAX_TURN_CHARS
from bot.domain.text import is_blank


def clean_turn(text: str) -> str:
    """The candidate's text as a turn, or a UserError saying what to fix."""
    cleaned = text.strip()
    if is_blank(cleaned):
        raise UserError(
            "Your answer is empty: write it in the message (or press ",
            Button("Respond"),
            ").",
            code="empty",
        )
    if len(cleaned) > MAX_TURN_CHARS:
        raise UserError(
            f"That answer is {len(cleaned)} characters; one turn holds up to {MAX_TURN_CHARS}. "
            "Split it into two turns.",
            code="too-long",
        )
    return cleaned


def require_answer_left(answers: int) -> None:
    """Refuses a turn (or the form for one) once the round has had all its answers."""
    if answers >= MAX_CANDIDATE_TURNS:
        raise UserError(
            f"This round has had its {MAX_CANDIDATE_TURNS} answers, the most one round takes: use ",
            Command("/mock end"),
            " in this thread for your scorecard.",
            code="turn-limit",
        )
