"""The question-pack schema: what every bundled or imported question must carry."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.content.layout import unwrap
from bot.domain.text import is_blank
from bot.i18n.messages import N_

Round = Literal["coding", "system_design", "ml_design", "behavioral", "recruiter_screen"]
ROUNDS: tuple[Round, ...] = (
    "coding",
    "system_design",
    "ml_design",
    "behavioral",
    "recruiter_screen",
)
# English; the ui shows them through the `messages` catalog.
ROUND_LABELS = {
    "coding": N_("Coding"),
    "system_design": N_("System design"),
    "ml_design": N_("ML design"),
    "behavioral": N_("Behavioral"),
    "recruiter_screen": N_("Recruiter screen"),
}


def round_label(round_name: str) -> str:
    return ROUND_LABELS.get(round_name, round_name)


Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")

QUESTION_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Criterion(BaseModel):
    """One rubric line: what it is worth, and what strong and weak answers show."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=80)]
    weight: int = Field(ge=1, le=5)
    strong: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=600)]
    weak: Annotated[str, StringConstraints(strip_whitespace=True, min_length=15, max_length=600)]
    # Words or short phrases an answer that covers this criterion tends to use; the offline grader
    # matches them (case-insensitive, word boundaries), so they should be specific, not generic.
    signals: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=2)]] = Field(
        min_length=3, max_length=20
    )


class Clarification(BaseModel):
    """A fact the candidate gets only by asking, as in a real interview (scale, constraints)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ask: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=120)]
    answer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


class Question(BaseModel):
    """A complete, self-contained interview question with everything a grader needs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=QUESTION_ID_PATTERN, min_length=3, max_length=60)]
    round: Round
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=120)]
    prompt: Annotated[str, StringConstraints(strip_whitespace=True, min_length=40, max_length=3000)]
    difficulty: Difficulty
    tags: list[Tag] = Field(min_length=1, max_length=10)
    time_box_minutes: int = Field(ge=5, le=90)
    rubric: list[Criterion] = Field(min_length=3, max_length=6)
    hints: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=10)]] = Field(
        min_length=2, max_length=3
    )
    follow_ups: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=10)]] = (
        Field(min_length=2, max_length=4)
    )
    reference_outline: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=80, max_length=3500)
    ]
    # For interviewers only (peer guide, AI interviewer, reveal): what the question is after.
    notes: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=1500)]
        | None
    ) = None
    clarifications: list[Clarification] = Field(default_factory=list, max_length=8)

    @field_validator("title", "prompt")
    @classmethod
    def _visible(cls, value: str) -> str:
        if is_blank(value):
            raise ValueError("must contain visible text, not only invisible characters")
        return value

    @field_validator("prompt", "reference_outline")
    @classmethod
    def _laid_out_for_discord(cls, value: str) -> str:
        return unwrap(value)

    @field_validator("rubric")
    @classmethod
    def _unique_criteria(cls, rubric: list[Criterion]) -> list[Criterion]:
        names = [c.name.casefold() for c in rubric]
        if len(set(names)) != len(names):
            raise ValueError("rubric criterion names must be unique")
        return rubric

    @model_validator(mode="after")
    def _id_is_slug(self) -> Question:
        if not re.fullmatch(QUESTION_ID_PATTERN, self.id):
            raise ValueError("id must be lowercase words joined by hyphens")
        return self

    @property
    def max_score(self) -> int:
        return 5


class PackFile(BaseModel):
    """One YAML file of a pack."""

    model_config = ConfigDict(extra="forbid")

    pack: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    questions: list[Question] = Field(min_length=1)
