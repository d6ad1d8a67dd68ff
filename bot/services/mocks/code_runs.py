"""Running the candidate's code in a mock coding round: on a code block in a turn, on the Run
button, and once more for the scorecard (its final pass rate)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.content.schema import Question
from bot.domain.code_blocks import extract_code
from bot.domain.code_tests import RunEvidence
from bot.domain.errors import UserError
from bot.domain.message import Button
from bot.domain.mock import MockRound, MockTurn
from bot.services.code_runs import CodeRunService


class MockCodeRuns:
    def __init__(self, code_runs: CodeRunService) -> None:
        self._code_runs = code_runs

    def runs_code(self, question: Question) -> bool:
        return question.round == "coding" and self._code_runs.has_tests(question.id)

    async def on_turn(self, question: Question, text: str) -> RunEvidence | None:
        """A turn with a code block runs it; None for any other turn, or a round without tests."""
        if not self.runs_code(question) or extract_code(text) is None:
            return None
        return await self._code_runs.evidence_for(question.id, text)

    async def latest(
        self, mock: MockRound, question: Question, turns: Sequence[MockTurn]
    ) -> RunEvidence:
        """The Run button: the candidate's latest code block, run now (counted in the member's
        daily runs, as Run tests is: each press also costs an interviewer turn)."""
        if not self.runs_code(question):
            raise UserError("This round's question has no tests to run.", code="no-tests")
        code = _latest_code(turns)
        if code is None:
            raise UserError(
                "There is no code to run yet: send your solution in a Python or JavaScript code "
                "block, in a message or with {button}; it runs by itself.",
                code="no-code",
                button=Button("Respond"),
            )
        self._code_runs.take_run(mock.guild_id, mock.user_id)
        tests = await self._code_runs.evidence_for(question.id, code)
        if tests is None or not tests.ran:
            reason = tests.not_run if tests else "no tests"
            raise UserError("Your code cannot run here: {reason}.", code="off", reason=reason)
        return tests

    async def final(self, question: Question, turns: Sequence[MockTurn]) -> RunEvidence | None:
        """The scorecard's run: the candidate's last code, None when they wrote none."""
        code = _latest_code(turns)
        if not self.runs_code(question) or code is None:
            return None
        return await self._code_runs.evidence_for(question.id, code)


def _latest_code(turns: Sequence[MockTurn]) -> str | None:
    for turn in reversed(turns):
        if turn.speaker == "candidate" and extract_code(turn.content) is not None:
            return turn.content
    return None
