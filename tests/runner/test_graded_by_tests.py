"""Both graders follow the tests, not the prose: the real sandbox runs the code, the offline grader
and Claude (through the fake Messages API) grade with the results."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anthropic
import pytest

from bot.content.loader import load_bank
from bot.content.schema import Question
from bot.domain.code_tests import RunEvidence, about_the_code
from bot.domain.grading import Grade
from bot.llm.claude import ClaudeGrader
from bot.llm.offline import OfflineGrader
from bot.runner.pool import CodeRunner
from bot.runner.report import evidence
from bot.runner.spec import find_tests, load_spec
from bot.runner.toolchains import Discovery
from emulator.fake_messages_api import FakeMessagesAPI, GradeReply

QUESTION = "pin-coding-board-reach"
PROSE = (
    "I'd run BFS level by level from s with a queue, marking boards in a visited set on "
    "enqueue, and stop after k levels, so each board is counted once even with cycles and "
    "duplicate edges. That's O(n + e) time and space with an adjacency list. Edge cases: k = 0 "
    "returns 0, a self-loop on the start, isolated boards and an empty edge list."
)
# The same words, and code that forgets the visited set and the edges' direction.
WRONG = """from collections import deque

def board_reach(n, edges, s, k):
    adjacent = [[] for _ in range(n)]
    for a, b in edges:
        adjacent[a].append(b)
        adjacent[b].append(a)
    queue = deque([(s, 0)])
    reached = 0
    while queue:
        node, depth = queue.popleft()
        if depth >= k:
            continue
        for other in adjacent[node]:
            reached += 1
            queue.append((other, depth + 1))
    return reached
"""


def _question() -> Question:
    question = load_bank().get(QUESTION)
    assert question is not None
    return question


def _answer(code: str) -> str:
    return f"{PROSE}\n\n```python\n{code}```"


def _right() -> str:
    path = find_tests(QUESTION)
    assert path is not None
    return load_spec(path).reference["python"]


async def _run(sandbox: Discovery, code: str) -> RunEvidence:
    path = find_tests(QUESTION)
    assert path is not None
    return evidence(await CodeRunner(sandbox, slots=1).run(load_spec(path), "python", code))


def _code_scores(grade: Grade) -> list[float]:
    scores = [c.score for c in grade.criteria if about_the_code(c.name)]
    assert scores, "the question has criteria about the code"
    return scores


async def test_offline_correctness_follows_the_tests(sandbox: Discovery) -> None:
    question, grader = _question(), OfflineGrader()
    wrong = await _run(sandbox, WRONG)
    assert wrong.ran and wrong.passed <= 2 and wrong.failing[0].name == "example 1"
    without = await grader.grade(question, _answer(WRONG))
    failed = await grader.grade(question, _answer(WRONG), tests=wrong)
    # The prose alone earns these criteria something; the tests take it away.
    assert max(_code_scores(failed)) <= 1.0 < min(_code_scores(without))
    assert failed.overall < without.overall and failed.tests == wrong
    assert "Tests: " in failed.improvements[0] and "example 1" in failed.improvements[0]
    card = await grader.grade_transcript(question, [("candidate", _answer(WRONG))], tests=wrong)
    assert max(_code_scores(card)) <= 1.0 and card.tests == wrong
    passed = await grader.grade(question, _answer(_right()), tests=await _run(sandbox, _right()))
    assert passed.tests is not None and passed.tests.passed == passed.tests.total
    assert min(_code_scores(passed)) >= 3.5


@pytest.fixture
async def claude() -> AsyncIterator[tuple[ClaudeGrader, FakeMessagesAPI]]:
    async with FakeMessagesAPI(min_cacheable_tokens=100) as fake:
        client = anthropic.AsyncAnthropic(api_key="test-key", base_url=fake.base_url)
        yield ClaudeGrader(client, "claude-haiku-5-5", backoff_base_s=0.01, timeout_s=5.0), fake
        await client.close()


async def test_claude_sees_the_results_and_is_held_to_them(
    sandbox: Discovery, claude: tuple[ClaudeGrader, FakeMessagesAPI]
) -> None:
    grader, fake = claude
    question = _question()
    wrong = await _run(sandbox, WRONG)
    # A model taken in by the vocabulary: every criterion 4.5.
    fake.enqueue(GradeReply(score=4.5), GradeReply(score=4.5), GradeReply(score=4.5))
    plain = await grader.grade(question, _answer(WRONG))
    failed = await grader.grade(question, _answer(WRONG), tests=wrong)
    assert min(_code_scores(plain)) == 4.5
    assert max(_code_scores(failed)) <= 1.0 and failed.tests == wrong
    without, with_tests = fake.requests[0], fake.requests[1]
    # The cached prefix (system block 1) is the same; the results come after it.
    assert with_tests.system_blocks[0] == without.system_blocks[0]
    assert f"{wrong.passed} of {wrong.total} pass" in with_tests.system_blocks[1]["text"]
    assert 'name="example 1"' in with_tests.user_text and "expected 3" in with_tests.user_text
    passed = await grader.grade(question, _answer(_right()), tests=await _run(sandbox, _right()))
    assert min(_code_scores(passed)) == 4.5
    fake.enqueue(GradeReply(score=4.5))
    card = await grader.grade_transcript(question, [("candidate", _answer(WRONG))], tests=wrong)
    assert max(_code_scores(card)) <= 1.0 and card.tests == wrong
    assert f"passes {wrong.passed} of {wrong.total}" in fake.requests[-1].system_blocks[1]["text"]
