"""Every instance of every schema the bot sends reads into a complete result.

Structured outputs guarantee a reply is an instance of the schema, nothing more. So for each
schema the bot can send (written-answer grades and transcript scorecards/peer notes for every
rubric size and round kind, and the interviewer turn), hypothesis-jsonschema generates arbitrary
instances; each goes into a `Message` exactly as the SDK builds one from the API's JSON (thinking
block first), then through `grade_of` / `turn_of`, the code `ClaudeGrader` reads real replies with.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

import pytest
from anthropic import transform_schema
from anthropic.types import Message
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema

from bot.content.schema import Question
from bot.domain.grading import HIRING_SIGNALS, MAX_SCORE, overall_of
from bot.llm.claude_messages import grade_of, turn_of
from bot.llm.evaluation import EvalItem
from bot.llm.prompts import GRADE_PROMPT_VERSION, TRANSCRIPT_PROMPT_VERSION
from bot.llm.replies import ReplyContext, normalise_signal
from bot.llm.schemas import TURN_SCHEMA, Schema, grade_schema, scorecard_schema

INSTANCES_PER_SCHEMA: Final = 200
RUBRIC_SIZES: Final = (3, 4, 5, 6)  # what the content schema allows
ANSWER: Final = "I would use BFS from the start with a visited set, O(n + e)."

property_settings = settings(
    max_examples=INSTANCES_PER_SCHEMA,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def with_rubric_size(question: Question, size: int) -> Question:
    base = question.rubric[0]
    rubric = [base.model_copy(update={"name": f"Criterion {i + 1}"}) for i in range(size)]
    return question.model_copy(update={"rubric": rubric})


def message_with(instance: Any) -> Message:
    return Message.model_validate(
        {
            "id": "msg_property",
            "type": "message",
            "role": "assistant",
            "model": "claude-haiku-5-5",
            "content": [
                {"type": "thinking", "thinking": "...", "signature": "sig"},
                {"type": "text", "text": json.dumps(instance)},
            ],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 10},
        }
    )


def context(question: Question, version: str) -> ReplyContext:
    return ReplyContext(question, ANSWER, "claude", "claude-haiku-5-5", version, "fr", None)


def assert_complete(question: Question, instance: Any, version: str, scorecard: bool) -> None:
    grade = grade_of(message_with(instance), context(question, version))
    assert [c.name for c in grade.criteria] == [c.name for c in question.rubric]
    assert [c.weight for c in grade.criteria] == [c.weight for c in question.rubric]
    for criterion in grade.criteria:
        assert 0 <= criterion.score <= MAX_SCORE and math.isfinite(criterion.score)
        assert criterion.evidence is None or criterion.evidence.strip()
    assert grade.overall == overall_of(grade.criteria)
    assert len(grade.strengths) <= 3 and len(grade.improvements) <= 3
    assert all(item.strip() for item in grade.strengths + grade.improvements)
    assert grade.language  # the model's code when it is one, else the member's locale
    assert (grade.star is not None) == (question.round == "behavioral")
    if scorecard:
        assert grade.hiring_signal in HIRING_SIGNALS
    else:
        assert grade.hiring_signal is None


def schema_cases(coding: Question, behavioral: Question) -> list[tuple[str, Question, Schema]]:
    cases = []
    for base in (coding, behavioral):
        for size in RUBRIC_SIZES:
            question = with_rubric_size(base, size)
            label = f"{base.round}-{size}"
            cases.append((f"grade-{label}", question, grade_schema(question, GRADE_PROMPT_VERSION)))
            cases.append(
                (
                    f"scorecard-{label}",
                    question,
                    scorecard_schema(question, TRANSCRIPT_PROMPT_VERSION),
                )
            )
    return cases


@pytest.fixture(scope="module")
def questions(coding_item: EvalItem, behavioral_item: EvalItem) -> tuple[Question, Question]:
    return coding_item.question, behavioral_item.question


def test_every_schema_is_inside_the_documented_subset(questions: tuple[Question, Question]) -> None:
    # The SDK's transform_schema rewrites what the API does not support; ours it leaves alone.
    cases = schema_cases(*questions)
    assert len(cases) == 16
    for _label, _question, schema in [*cases, ("turn", questions[0], TURN_SCHEMA)]:
        assert transform_schema(schema) == schema


@pytest.mark.parametrize("index", range(16))
def test_every_instance_of_a_grading_schema_is_a_complete_grade(
    questions: tuple[Question, Question], index: int
) -> None:
    label, question, schema = schema_cases(*questions)[index]
    version = TRANSCRIPT_PROMPT_VERSION if label.startswith("scorecard") else GRADE_PROMPT_VERSION
    seen: list[int] = []

    @property_settings
    @given(from_schema(schema))
    def check(instance: Any) -> None:
        seen.append(1)
        assert_complete(question, instance, version, label.startswith("scorecard"))

    check()
    assert len(seen) >= INSTANCES_PER_SCHEMA


def test_every_instance_of_the_turn_schema_is_a_turn_or_a_stand_in() -> None:
    seen: list[int] = []

    @property_settings
    @given(from_schema(TURN_SCHEMA))
    def check(instance: Any) -> None:
        seen.append(1)
        text = turn_of(message_with(instance))
        assert text == text.strip() and len(text) <= 1800
        if any(ch.isalnum() for ch in instance["message"]):
            assert text  # only a message with nothing to say leaves the stand-in to speak

    check()
    assert len(seen) >= INSTANCES_PER_SCHEMA


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("lean Yes", "lean yes"),
        ("lean_yes", "lean yes"),
        ("Lean-YES", "lean yes"),
        ("  strong   no ", "strong no"),
        ("STRONG_YES", "strong yes"),
        ("maybe", None),
    ],
)
def test_hiring_signals_are_normalised_never_rejected(written: str, expected: str | None) -> None:
    assert normalise_signal(written) == expected
