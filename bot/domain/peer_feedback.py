"""Peer feedback scores: one `criterion: score` line per rubric criterion, typed in a modal.

A modal holds at most five inputs and a rubric has up to six criteria, so the scores share one
text box, pre-filled with the criterion names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import UserError
from bot.domain.message import Verbatim

SCORE_MIN = 1
SCORE_MAX = 5
_LINE = re.compile(r"^(?P<name>.*?)\s*[:=]\s*(?P<score>.*)$")
_BARE = re.compile(r"^(?P<name>.*?)\s+(?P<score>\d+(?:\s*/\s*\d+)?)$")
_SCORE = re.compile(r"^(?P<n>\d+)(?:\s*/\s*(?P<of>\d+))?$")


@dataclass(frozen=True)
class PeerScores:
    """Scores by criterion name, in rubric order; criteria left blank are absent."""

    scores: tuple[tuple[str, int], ...]

    @property
    def average(self) -> float | None:
        if not self.scores:
            return None
        return sum(s for _, s in self.scores) / len(self.scores)


def score_template(criteria: Sequence[str]) -> str:
    return "\n".join(f"{name}: " for name in criteria)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _criterion(name: str, criteria: Sequence[str]) -> str:
    wanted = _norm(name)
    if wanted.isdigit() and 1 <= int(wanted) <= len(criteria):
        return criteria[int(wanted) - 1]
    exact = [c for c in criteria if _norm(c) == wanted]
    if exact:
        return exact[0]
    prefixed = [c for c in criteria if len(wanted) >= 3 and _norm(c).startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    raise UserError(
        "{name} is not one of this question's criteria: {criteria}.",
        code="bad-criterion",
        name=Verbatim(name[:60]),
        # The names are the rubric's own words (not translated), typed back as written.
        criteria=Verbatim(", ".join(criteria)),
    )


def _score(text: str, criterion: str) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    match = _SCORE.fullmatch(cleaned)
    # "4" and "4/5" are fine; "4/10" is not a score on this scale.
    out_of_five = match is not None and match["of"] in (None, str(SCORE_MAX))
    value = int(match["n"]) if match is not None and out_of_five else None
    if value is None or not SCORE_MIN <= value <= SCORE_MAX:
        raise UserError(
            "{line}: a score is a whole number from {low} to {high} (or leave it blank).",
            code="bad-score",
            line=Verbatim(f"{criterion}: {cleaned[:20]}"),
            low=SCORE_MIN,
            high=SCORE_MAX,
        )
    return value


def parse_scores(text: str, criteria: Sequence[str]) -> PeerScores:
    """Read `criterion: score` lines (names may be shortened or numbered; blank scores skip)."""
    found: dict[str, int] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _LINE.fullmatch(line) or _BARE.fullmatch(line)
        if match is None:
            raise UserError(
                "{line}: write one {form} per line.",
                code="bad-score",
                line=Verbatim(line[:60]),
                form=Verbatim("criterion: score"),
            )
        name = _criterion(match["name"], criteria)
        score = _score(match["score"], name)
        if score is None:
            continue
        if name in found:
            raise UserError("{name} is scored twice.", code="bad-score", name=Verbatim(name))
        found[name] = score
    return PeerScores(tuple((c, found[c]) for c in criteria if c in found))


@dataclass(frozen=True)
class PeerFeedback:
    """What one member wrote about the other's turn as candidate."""

    session_id: int
    guild_id: int
    giver_id: int
    receiver_id: int
    question_id: str
    scores: PeerScores
    went_well: str
    to_improve: str
    created_at: datetime
