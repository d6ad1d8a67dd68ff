"""The one interface every grader implements, and the transcript conventions they share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol, runtime_checkable

from bot.content.schema import Question
from bot.domain.code_tests import RunEvidence
from bot.domain.grading import Grade
from bot.llm.usage import Operation

# A mock-interview transcript is a list of (speaker, text) turns. The interviewer's turns use one
# of these speaker names; every other speaker is the candidate.
INTERVIEWER: Final = "interviewer"
CANDIDATE: Final = "candidate"
INTERVIEWER_SPEAKERS: Final = frozenset({"interviewer", "assistant", "bot"})

Transcript = Sequence[tuple[str, str]]

# Phase hints for `interview_turn`; free text is accepted too, these are the ones graders know.
PHASE_OPENING: Final = "opening"
PHASE_PROBE: Final = "probe"
PHASE_WRAP_UP: Final = "wrap_up"
PHASE_LAST_ANSWER: Final = "last_answer"  # the round has had all its answers
# The candidate's code just ran against the tests (the run is the transcript's last turn).
PHASE_TESTS_FAILED: Final = "tests_failed"
PHASE_TESTS_PASSED: Final = "tests_passed"


def is_interviewer(speaker: str) -> bool:
    return speaker.strip().casefold() in INTERVIEWER_SPEAKERS


def candidate_turns(transcript: Transcript) -> list[str]:
    return [text for speaker, text in transcript if not is_interviewer(speaker) and text.strip()]


@runtime_checkable
class Grader(Protocol):
    """Grades answers and transcripts against a question's rubric, and plays the interviewer.

    Every method raises `bot.domain.grading.GradingUnavailable` when it cannot produce a usable
    result: the caller keeps the answer and tries again later.
    """

    name: str
    approximate: bool

    async def grade(
        self,
        question: Question,
        answer: str,
        *,
        locale: str | None = None,
        hints: Sequence[str] = (),
        tests: RunEvidence | None = None,
        clarified: bool | None = None,
    ) -> Grade:
        """Grade one written answer; comments in the member's locale where supported. `hints`
        are the question's hints the member saw before answering; `tests`, what running the
        answer's code found: the criteria about the code follow them (`follow_tests`); `clarified`,
        whether the member asked for the question's clarifications (None: not known)."""
        ...

    async def grade_transcript(
        self,
        question: Question,
        transcript: Transcript,
        *,
        locale: str | None = None,
        operation: Operation = "scorecard",
        tests: RunEvidence | None = None,
    ) -> Grade:
        """Grade a transcript per criterion, with a hiring signal and reasons. `operation` says
        what it is for (a mock scorecard or a peer note), for the usage record; `tests`, the
        final run of the candidate's code, as for `grade`."""
        ...

    async def interview_turn(
        self,
        question: Question,
        transcript: Transcript,
        *,
        phase: str | None,
        locale: str | None = None,
    ) -> str:
        """The interviewer's next message: one focused follow-up, never the answer itself."""
        ...

    async def aclose(self) -> None:
        """Release network resources (the HTTP client); safe to call twice."""
        ...
