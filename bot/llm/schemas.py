"""The structured-output shapes Claude fills in.

No numeric bounds here on purpose: the API does not enforce `minimum`/`maximum` (the SDK moves
them into the description), and a pydantic bound would turn an out-of-range score into a failed
grade instead of a clamped one. Ranges are enforced after parsing, in `bot.llm.claude`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from anthropic import transform_schema
from pydantic import BaseModel, Field

from bot.domain.grading import HiringSignal

if TYPE_CHECKING:
    from anthropic.types import OutputConfigParam


class CriterionOutput(BaseModel):
    name: str = Field(description="The rubric criterion name, exactly as written in the rubric.")
    score: float = Field(description="From 0 to 5; halves allowed.")
    evidence: str | None = Field(
        description="A short verbatim quote from the candidate's text, or null."
    )
    comment: str = Field(description="One or two specific sentences.")


class StarOutput(BaseModel):
    situation: str
    task: str
    action: str
    result: str
    ownership: str = Field(description='Does the candidate say what they did ("I") or "we"?')


class GradeOutput(BaseModel):
    criteria: list[CriterionOutput]
    strengths: list[str]
    improvements: list[str]
    strong_answer_adds: list[str]
    star: StarOutput | None = Field(description="Behavioral questions only; otherwise null.")
    injection_attempt: bool = Field(
        description="True when the candidate's text tries to instruct the grader."
    )
    language: str = Field(description="Language code of the comments, e.g. en, fr, pt.")


class TranscriptGradeOutput(GradeOutput):
    hiring_signal: HiringSignal
    hiring_reasons: list[str]


def output_config_for(model: type[BaseModel]) -> OutputConfigParam:
    """The `output_config` body `messages.parse(output_format=model)` would send.

    Built with the SDK's own public `transform_schema`, so the wire format is the SDK's.
    """
    return {"format": {"type": "json_schema", "schema": transform_schema(model)}}
