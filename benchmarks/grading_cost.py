"""The cost of one graded daily answer with the default model, from recorded usage.

ClaudeGrader grades every "medium" answer of the evaluation set (real questions, answers as
candidates write them) through the real anthropic SDK against the local fake Messages API.
The fake counts input tokens at 4 characters a token and replies with a grade shaped like a real
one (two-sentence comments, short quotes, three strengths/improvements/additions), so output
tokens are realistic too. Usage goes through the bot's own listener into the `llm_usage` table,
and the cost is computed from those rows with the bot's price table.

Two runs: prompt caching as documented for Haiku (a 4096-token minimum prefix, which one
question's prefix does not reach, so nothing is cached), and a hypothetical 1024-token minimum
where the second and later answers to the same question read the prefix from the cache.

    .venv/bin/python benchmarks/grading_cost.py
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
from bot.llm.claude import ClaudeGrader
from bot.llm.evaluation import load_evalset
from bot.llm.schemas import GradeOutput, output_config_for
from bot.llm.usage import usage_scope
from bot.services.grading import GradingService
from bot.settings import Settings
from bot.store import Store
from emulator.fake_messages_api import FakeMessagesAPI, GradeReply

GUILD = 1
MEMBERS_PER_QUESTION = 3


def realistic_reply(question: Question, answer: str) -> GradeReply:
    words = answer.split()
    quote = " ".join(words[5:17])
    criteria = [
        {
            "name": c.name,
            "score": 3.5,
            "evidence": quote,
            "comment": (
                f"The answer addresses {c.name.lower()} with a concrete approach, but it stops "
                "short of explaining the trade-off an interviewer would probe next. Naming the "
                "failure case and how you would detect it would move this to a 4."
            ),
        }
        for c in question.rubric
    ]
    item = (
        "State the capacity assumptions up front (requests per second, storage per day) and "
        "let them drive the choice of store and cache; right now the choice comes first."
    )
    payload: dict[str, Any] = {
        "criteria": criteria,
        "strengths": [item[:110], item[:120], item[:100]],
        "improvements": [item, item, item],
        "strong_answer_adds": [item[:130], item[:120], item[:125]],
        "star": None,
        "injection_attempt": False,
        "language": "en",
    }
    if question.round == "behavioral":
        part = "The candidate describes this part in two sentences with a concrete detail."
        payload["star"] = dict.fromkeys(
            ("situation", "task", "action", "result", "ownership"), part
        )
    return GradeReply(payload=payload)


async def run(min_cacheable: int, model: str) -> tuple[int, Usage, float, int]:
    items = load_evalset()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bot.db")
        await store.open()
        grading = GradingService(store, ManualClock(datetime(2026, 11, 26, 8, tzinfo=UTC)))
        async with FakeMessagesAPI(min_cacheable_tokens=min_cacheable) as fake:
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
    return calls, usage, dollars, len(items)


async def main() -> None:
    model = Settings(_env_file=None).bot_llm_model  # type: ignore[call-arg]
    print(f"model: {model}; {MEMBERS_PER_QUESTION} members answer each evaluation question")
    for label, minimum in (
        ("caching as documented (4096-token minimum)", 4096),
        ("hypothetical 1024-token cache minimum", 1024),
    ):
        calls, usage, dollars, questions = await run(minimum, model)
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
        print(f"  cost per graded answer: ${each:.6f} (${each * 1000:.3f} per 1000 answers)")
        # The API also counts the structured-output schema as input; the fake does not see it.
        price = price_of(model)
        if price is not None:
            schema = math.ceil(len(json.dumps(output_config_for(GradeOutput))) / 4)
            extra = schema * price.input / 1_000_000
            print(
                f"  with the output schema (~{schema} tokens) billed as input: "
                f"${each + extra:.6f} (${(each + extra) * 1000:.3f} per 1000 answers)"
            )


if __name__ == "__main__":
    asyncio.run(main())
