"""Run tests on a member's coding answer: whose it is, where its code is, and how many runs a day.

The sandbox pool is found on first use, not at start: most processes never run code.
"""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.content.schema import Question
from bot.domain.clock import Clock
from bot.domain.code_blocks import extract_code
from bot.domain.code_tests import RunEvidence, not_run
from bot.domain.errors import UserError
from bot.domain.message import Button, Verbatim
from bot.i18n.messages import N_
from bot.runner.pool import CodeRunner, ExecutionOff, OnQueued
from bot.runner.report import RunReport, evidence
from bot.runner.spec import TestSpec, find_tests, load_spec
from bot.runner.toolchains import LABELS
from bot.services.catalog import Catalog
from bot.store import Store

# Runs per member per server per UTC day; counted in this process (a restart forgives).
DAILY_RUNS = 40
# A parsed tests file holds large inputs (megabytes as Python objects): keep only the recent few.
CACHED_SPECS = 8
# i18n: the label of the button under a coding answer's feedback that runs its tests.
RUN_TESTS = N_("Run tests")


@functools.lru_cache(maxsize=CACHED_SPECS)
def _spec_of(path: Path) -> TestSpec:
    return load_spec(path)


@dataclass(frozen=True)
class CodeRun:
    question: Question
    language: str
    report: RunReport
    runs_left: int


class CodeRunService:
    def __init__(
        self, store: Store, catalog: Catalog, clock: Clock, *, daily_runs: int = DAILY_RUNS
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._clock = clock
        self._daily_runs = daily_runs
        self._runner: CodeRunner | None = None
        self._starting = asyncio.Lock()
        self._runs: Counter[tuple[str, int, int]] = Counter()

    async def runner(self) -> CodeRunner:
        async with self._starting:
            if self._runner is None:
                self._runner = await CodeRunner.start()
        return self._runner

    def has_tests(self, question_id: str) -> bool:
        return find_tests(question_id) is not None

    async def run_answer(
        self, guild_id: int, user_id: int, answer_id: int, on_queued: OnQueued | None = None
    ) -> CodeRun:
        answer = await self._store.answers.get(answer_id)
        if answer is None or (answer.guild_id, answer.user_id) != (guild_id, user_id):
            raise UserError(
                "This {button} button runs the code of the member who answered; answer the "
                "question yourself to run your own code.",
                code="not-your-answer",
                button=Button(RUN_TESTS),
            )
        question = await self._catalog.question(guild_id, answer.question_id)
        path = find_tests(answer.question_id)
        if question is None or path is None:
            raise UserError("This question has no tests to run.", code="no-tests")
        language, code = await self._code_of(answer.content)
        day_key = self.take_run(guild_id, user_id)
        spec = _spec_of(path)
        try:
            report = await (await self.runner()).run(spec, language, code, on_queued=on_queued)
        except ExecutionOff as off:
            self._runs[day_key] -= 1
            raise UserError(
                "Tests cannot run on this bot right now: {reason}.", code="off", reason=str(off)
            ) from None
        return CodeRun(question, language, report, self._daily_runs - self._runs[day_key])

    def take_run(self, guild_id: int, user_id: int) -> tuple[str, int, int]:
        """Count one run pressed by a member today; refused past the daily cap."""
        day_key = (self._clock.now().date().isoformat(), guild_id, user_id)
        if self._runs[day_key] >= self._daily_runs:
            raise UserError(
                "You have used your {limit} test runs for today; they come back at midnight UTC. "
                "Your answers are still saved and graded.",
                code="run-cap",
                limit=self._daily_runs,
            )
        self._runs[day_key] += 1
        return day_key

    async def evidence_for(self, question_id: str, content: str) -> RunEvidence | None:
        """The tests run on a submitted answer's code, for its grade: None for a question without
        tests; the reason they did not run when they could not (no code, the sandbox is off).
        Not counted in the daily runs: submissions have limits of their own."""
        path = find_tests(question_id)
        if path is None:
            return None
        submitted = extract_code(content)
        runner = await self.runner()
        if submitted is None:
            return not_run(N_("the answer has no code block to run"))
        if not runner.languages:
            return not_run(f"code execution is off on this bot ({runner.off_reason})")
        if submitted.language not in runner.languages:
            return not_run(f"this bot cannot run '{submitted.tag}' code")
        try:
            report = await runner.run(_spec_of(path), submitted.language, submitted.code)
        except ExecutionOff as off:
            return not_run(str(off))
        return evidence(report)

    async def _code_of(self, content: str) -> tuple[str, str]:
        submitted = extract_code(content)
        runner = await self.runner()
        if not runner.languages:
            raise UserError(
                "Tests cannot run on this bot: {reason}. Your answer is still graded.",
                code="off",
                reason=runner.off_reason or "no sandbox",
            )
        if submitted is None:
            raise UserError(
                "Your answer has no code block to run. Submit it again with your solution "
                "between ```python and ``` (or ```js), then press {button}.",
                code="no-code",
                button=Button(RUN_TESTS),
            )
        if submitted.language not in runner.languages:
            raise UserError(
                "This bot runs {languages} code, not {language}. Submit the solution again in "
                "one of those, then press {button}.",
                code="language",
                languages=" / ".join(LABELS[lang] for lang in runner.languages),
                language=Verbatim(submitted.tag),
                button=Button(RUN_TESTS),
            )
        return submitted.language, submitted.code
