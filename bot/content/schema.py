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
from bot.i18n.locales import DISCORD_LOCALES, SOURCE_LOCALES
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
# English; the ui and the web show them through the `messages` catalog.
DIFFICULTY_LABELS = {"easy": N_("Easy"), "medium": N_("Medium"), "hard": N_("Hard")}

QUESTION_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]*$")]
TITLE_MAX = 120
PROMPT_MAX = 3000
# The locales a question may carry a translated title and prompt for: Discord's, less English,
# the language every pack is written in.
TRANSLATION_LOCALES: tuple[str, ...] = tuple(
    code for code in DISCORD_LOCALES if code not in SOURCE_LOCALES
)


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


class Translation(BaseModel):
    """A question's title and prompt in one more language; either may be left out, and what is
    left out reads in the pack's language. Everything else (rubric, hints, outline) stays there.
    No minimum lengths but one visible character: a title in Japanese can be four characters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=TITLE_MAX)] | None = (
        None
    )
    prompt: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=PROMPT_MAX)] | None
    ) = None

    @field_validator("title", "prompt")
    @classmethod
    def _not_empty(cls, value: str | None) -> str | None:
        if value is not None and is_blank(value):
            raise ValueError("is empty: write the translated text, or leave the key out")
        return value

    @field_validator("prompt")
    @classmethod
    def _laid_out(cls, value: str | None) -> str | None:
        return None if value is None else unwrap(value)

    @model_validator(mode="after")
    def _says_something(self) -> Translation:
        if self.title is None and self.prompt is None:
            raise ValueError("has neither `title` nor `prompt`: add one, or remove the locale")
        return self


def _locale_code(locale: object) -> str:
    """`fr`, `pt-BR`: the Discord code of a string or a `discord.Locale` (its `value`)."""
    return str(getattr(locale, "value", locale) or "")


class Question(BaseModel):
    """A complete, self-contained interview question with everything a grader needs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=QUESTION_ID_PATTERN, min_length=3, max_length=60)]
    round: Round
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=5, max_length=TITLE_MAX)
    ]
    prompt: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=40, max_length=PROMPT_MAX)
    ]
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
    # Discord locale -> the title and prompt members with that locale read instead of English.
    translations: dict[str, Translation] = Field(default_factory=dict)

    @field_validator("title", "prompt")
    @classmethod
    def _visible(cls, value: str) -> str:
        if is_blank(value):
            raise ValueError("must contain visible text, not only invisible characters")
        return value

    @field_validator("translations", mode="before")
    @classmethod
    def _quoted_no(cls, value: object) -> object:
        if isinstance(value, dict) and any(isinstance(code, bool) for code in value):
            raise ValueError(
                "has a locale YAML reads as true or false: write Norwegian as `'no'`, in quotes"
            )
        return value

    @field_validator("translations")
    @classmethod
    def _known_locales(cls, translations: dict[str, Translation]) -> dict[str, Translation]:
        for code in translations:
            if code in SOURCE_LOCALES:
                raise ValueError(f"has `{code}`, the pack's own language: remove it")
            if code not in TRANSLATION_LOCALES:
                raise ValueError(
                    f"has an unknown locale `{code}`: use a Discord locale code such as `fr`, "
                    "`pt-BR` or `ja`"
                )
        return translations

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

    def title_in(self, locale: object) -> str:
        """The title a member with `locale` reads: its translation, else the pack's. A regional
        locale has only its own (`es-419` does not read `es-ES`)."""
        translation = self.translations.get(_locale_code(locale))
        return translation.title if translation and translation.title else self.title

    def prompt_in(self, locale: object) -> str:
        """The prompt a member with `locale` reads: its translation, else the pack's."""
        translation = self.translations.get(_locale_code(locale))
        return translation.prompt if translation and translation.prompt else self.prompt


class PackFile(BaseModel):
    """One YAML file of a pack."""

    model_config = ConfigDict(extra="forbid")

    pack: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    questions: list[Question] = Field(min_length=1)
