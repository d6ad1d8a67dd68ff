"""Per-member cooldowns on what costs an AI call or heavy work: the kinds, their defaults and the
bounds an admin may set them within."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CooldownKind = Literal["answer", "mock_turn", "practice", "export", "chart", "code_run"]
MAX_COOLDOWN_SECONDS = 3600


@dataclass(frozen=True)
class CooldownRule:
    kind: CooldownKind
    label: str  # what the member did, for "You can <label> again in ..."
    default_seconds: int
    why: str


# Defaults: long enough that a script or a stuck key cannot burn the AI budget or the event loop,
# short enough that nobody acting in good faith meets them.
RULES: dict[CooldownKind, CooldownRule] = {
    rule.kind: rule
    for rule in (
        CooldownRule(
            "answer",
            "submit an answer",
            20,
            "each submission is an AI grading call; a considered resubmission takes longer",
        ),
        CooldownRule(
            "mock_turn",
            "answer the interviewer",
            5,
            "each turn is an AI call; reading the follow-up takes longer than this",
        ),
        CooldownRule(
            "practice",
            "ask for a practice question",
            30,
            "choosing one reads every graded answer of yours",
        ),
        CooldownRule(
            "export",
            "export your data",
            600,
            "an export reads and compresses everything the bot keeps about you",
        ),
        CooldownRule(
            "chart",
            "draw the progress chart",
            60,
            "the chart is drawn from every graded answer",
        ),
        CooldownRule(
            "code_run",
            "run the tests",
            10,
            "each run takes a sandbox slot other members are waiting for",
        ),
    )
}
KINDS: tuple[CooldownKind, ...] = tuple(RULES)


def effective(overrides: dict[str, int]) -> dict[CooldownKind, int]:
    """Every kind's seconds: an admin's setting where there is one, else the default."""
    return {kind: overrides.get(kind, rule.default_seconds) for kind, rule in RULES.items()}
