"""The evaluation set and the eval runner, against the offline grader and Claude (fake API)."""

from __future__ import annotations

from collections.abc import Callable

from bot.content.schema import ROUNDS
from bot.llm.claude import ClaudeGrader
from bot.llm.eval_report import format_report, goals
from bot.llm.eval_variants import VARIANT_KINDS
from bot.llm.evaluation import EvalItem, injection_cases, run_eval
from bot.llm.offline import OfflineGrader
from emulator.fake_messages_api import FakeMessagesAPI, Overloaded

MakeClaude = Callable[..., ClaudeGrader]


def test_evalset_is_broad_and_realistic(evalset: list[EvalItem]) -> None:
    assert len(evalset) >= 24
    assert sum(item.held_out for item in evalset) >= 12  # answers the grader was not tuned on
    ids = [item.question.id for item in evalset]
    assert len(set(ids)) == len(ids)
    assert "pin-coding-board-reach" in ids  # the documented example question
    for round_ in ROUNDS:
        if round_ != "recruiter_screen":  # a conversation, not graded against a written answer
            assert sum(item.question.round == round_ for item in evalset) >= 6, round_
    for item in evalset:
        words = {level: len(item.answer(level).split()) for level in ("strong", "medium", "weak")}
        assert 150 <= words["strong"] <= 400, (item.question.id, words)
        assert 90 <= words["medium"] <= 210, (item.question.id, words)
        assert 30 <= words["weak"] <= 80, (item.question.id, words)


async def test_offline_grader_orders_strong_medium_weak(evalset: list[EvalItem]) -> None:
    report = await run_eval(OfflineGrader(), repeats=1, items=evalset)
    text = format_report(report)
    print("\n" + text)
    assert report.max_spread == 0.0  # deterministic
    assert len(report.injections) == sum(len(injection_cases(i)) for i in evalset)
    assert all(len(i.variants) == len(VARIANT_KINDS) for i in report.items)
    assert not report.errors
    for goal in goals(report):  # every goal of issue 13, on every question of the set
        assert goal.passed, (goal.name, goal.figure)
        assert any(
            line.startswith(goal.name) and line.endswith("PASS") for line in text.splitlines()
        )


async def test_repeats_of_a_deterministic_grader_do_not_spread(evalset: list[EvalItem]) -> None:
    report = await run_eval(OfflineGrader(), repeats=3, items=evalset[:2])
    assert all(len(i.scores["strong"]) == 3 for i in report.items)
    assert report.mean_spread == 0.0


async def test_claude_grader_through_the_fake_api(
    fake: FakeMessagesAPI, make_claude: MakeClaude, evalset: list[EvalItem]
) -> None:
    report = await run_eval(make_claude(concurrency=8), repeats=2, items=evalset)
    text = format_report(report)
    print("\n" + text)
    assert report.grader == "claude" and not report.approximate
    assert not report.errors
    per_item = 3 * 2 + len(VARIANT_KINDS) + len(injection_cases(evalset[0]))
    assert report.calls == len(evalset) * per_item
    assert len(fake.requests) == report.calls
    assert report.max_spread == 0.0  # the fake scores deterministically
    assert report.injection_flag_rate == 1.0
    assert report.usage.output_tokens > 0
    assert "Tokens over" in text


async def test_unavailable_grades_count_against_agreement(
    fake: FakeMessagesAPI, make_claude: MakeClaude, evalset: list[EvalItem]
) -> None:
    fake.enqueue(Overloaded())
    report = await run_eval(make_claude(max_retries=0), repeats=1, items=evalset[:1])
    assert report.errors and "overloaded" in report.errors[0]
    assert report.agreement == 0.0
    assert "Unavailable (1)" in format_report(report)
