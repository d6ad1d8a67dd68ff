"""The cost of one graded daily answer with the default model, from recorded usage.

ClaudeGrader grades every "medium" answer of the evaluation set (real questions, answers as
candidates write them) through the real anthropic SDK against the local fake Messages API.
The fake counts input tokens at 4 characters a token and replies with a grade shaped like a real
one (two-sentence comments, short quotes, three strengths/improvements/additions), so output
tokens are realistic too. Usage goes through the bot's own listener into the `llm_usage` table,
and the cost is computed from those rows with the bot's price table.

Prompt caching is modelled as documented for the default model (a 512-token minimum prefix,
which one question's rubric prefix reaches, so the second and later answers to the same question
read it from the cache). Two runs: thinking at the effort the grader asks for (the fake spends
its `THINKING_TOKENS` for that effort, billed as output), and no thinking at all, the floor.

    .venv/bin/python benchmarks/grading_cost.py [--quick]
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anthropic

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.content.schema import Question
from bot.domain.clock import ManualClock
from bot.domain.grading import Usage
from bot.domain.spend import cost_usd, price_of, total_tokens
from bot.llm.claude import LIMITS, ClaudeGrader
from bot.llm.evaluation import load_evalset
from bot.llm.prompts import GRADE_PROMPT_VERSION
from bot.llm.schemas import grade_schema
from bot.llm.usage import usage_scope
from bot.services.grading import GradingService
from bot.settings import Settings
from bot.store import Store
from emulator.fake_messages_api import THINKING_TOKENS, FakeMessagesAPI, GradeReply

GUILD = 1
MEMBERS_PER_QUESTION = 3


def realistic_reply(question: Question, answer: str) -> GradeReply:
    words = answer.split()
    quote = " ".join(words[5:17])
    comment = (
        "The answer addresses this with a concrete approach, but it stops short of explaining "
        "the trade-off an interviewer would probe next. Naming the failure case and how you "
        "would detect it would move this to a 4."
    )
    criteria = {
        f"c{i + 1}": {"score": 3.5, "evidence": quote, "comment": comment}
        for i in range(len(question.rubric))
    }
    item = (
        "State the capacity assumptions up front (requests per second, storage per day) and "
        "let them drive the choice of store and cache; right now the choice comes first."
    )
    payload: dict[str, Any] = {
        "criteria": criteria,
        "strengths": [item[:110], item[:120], item[:100]],
        "improvements": [item, item, item],
        "strong_answer_adds": [item[:130], item[:120], item[:125]],
        "injection_attempt": False,
        "language": "en",
        "hints_gave_away": "",
    }
    if question.round == "behavioral":
        part = "The candidate describes this part in two sentences with a concrete detail."
        payload["star"] = dict.fromkeys(
            ("situation", "task", "action", "result", "ownership"), part
        )
    return GradeReply(payload=payload)


async def run(
    thinking: dict[str, int], model: str, quick: bool
) -> tuple[int, Usage, float, int, int]:
    items = load_evalset()[: 4 if quick else None]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bot.db")
        await store.open()
        grading = GradingService(store, ManualClock(datetime(2026, 11, 26, 8, tzinfo=UTC)))
        async with FakeMessagesAPI(min_cacheable_tokens=512, thinking_tokens=thinking) as fake:
            client = anthropic.AsyncAnthropic(api_key="bench", base_url=fake.base_url)
            grader = ClaudeGrader(client, model)
            grader.set_usage_listener(grading.record)
            for item in items:
                answer = item.answer("medium")
                for member in range(MEMBERS_PER_QUESTION):
                    fake.enqueue(realistic_reply(item.question, answer))
                    with usage_scope(GUILD, member):
                        await grader.grade(item.question, answer)
            await grader.aclose()
        rows = await store.usage.summary(
            GUILD, datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
        )
        await store.close()
    calls = sum(r.calls for r in rows)
    usage = sum((r.usage for r in rows), Usage(0, 0, 0, 0))
    dollars = sum(cost_usd(r.usage, r.model) or 0.0 for r in rows)
    # The API also counts the structured-output schema as input; the fake does not see it.
    schema_tokens = max(
        math.ceil(len(json.dumps(grade_schema(i.question, GRADE_PROMPT_VERSION))) / 4)
        for i in items
    )
    return calls, usage, dollars, len(items), schema_tokens


async def main() -> None:
    quick = "--quick" in sys.argv[1:]
    model = Settings(_env_file=None).bot_llm_model  # type: ignore[call-arg]
    effort = LIMITS["grade"].effort
    print(f"model: {model}; {MEMBERS_PER_QUESTION} members answer each evaluation question")
    print(f"grade: effort {effort}, max_tokens {LIMITS['grade'].max_tokens:,}; 512-token cache")
    for label, thinking in (
        (f"thinking at {effort} effort ({THINKING_TOKENS[effort]:,} tokens)", THINKING_TOKENS),
        ("no thinking (the floor)", {}),
    ):
        calls, usage, dollars, questions, schema = await run(dict(thinking), model, quick)
        per = Usage(
            *(
                v // calls
                for v in (
                    usage.input_tokens,
                    usage.output_tokens,
                    usage.cache_read_tokens,
                    usage.cache_write_tokens,
                )
            )
        )
        print(f"\n{label}: {calls} graded answers over {questions} questions")
        print(
            f"  per answer: input {per.input_tokens:,} · output {per.output_tokens:,} · "
            f"cache read {per.cache_read_tokens:,} · cache write {per.cache_write_tokens:,} "
            f"= {total_tokens(per):,} tokens"
        )
        each = dollars / calls
        price = price_of(model)
        if price is not None:
            each += schema * price.input / 1_000_000
        print(
            f"  cost per graded answer, output schema (~{schema} tokens) billed as input: "
            f"${each:.5f} (${each * 1000:.2f} per 1000 answers)"
        )


if __name__ == "__main__":
    asyncio.run(main())
