"""A guild's own questions, through the service and a real SQLite file."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.content.loader import load_bank
from bot.domain.clock import ManualClock
from bot.domain.errors import UserError
from bot.services.catalog import Catalog
from bot.services.questions import ImportRejected, QuestionService
from bot.store import Store

pytestmark = pytest.mark.both_databases

EXAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "content-example.yaml").read_text()
GUILD_A, GUILD_B = 111, 222


def custom_yaml(question_id: str = "club-reach") -> str:
    return EXAMPLE.replace("pin-coding-board-reach", question_id)


@pytest.fixture
async def service(database: Path | str) -> AsyncIterator[tuple[QuestionService, Catalog, Store]]:
    store = Store(database)
    await store.open()
    catalog = Catalog(load_bank(), store)
    yield (
        QuestionService(store, catalog, ManualClock(datetime(2026, 11, 26, tzinfo=UTC))),
        catalog,
        store,
    )
    await store.close()


async def test_import_is_all_or_nothing(service: tuple[QuestionService, Catalog, Store]) -> None:
    questions, _, store = service
    good = custom_yaml("club-one")
    bad_second = good + custom_yaml("club-two").split("questions:\n", 1)[1].replace(
        "difficulty: medium", "difficulty: nightmare"
    )
    with pytest.raises(ImportRejected) as rejected:
        await questions.import_yaml(guild_id=GUILD_A, user_id=1, text=bad_second, filename="q.yaml")
    assert any("club-two: `difficulty` should be one of" in p for p in rejected.value.problems)
    assert "Nothing was added" in rejected.value.message
    assert await store.questions.custom(GUILD_A) == []
    imported = await questions.import_yaml(
        guild_id=GUILD_A, user_id=1, text=good, filename="q.yaml"
    )
    assert [q.id for q in imported] == ["club-one"]


async def test_clashing_ids_are_listed_and_nothing_changes(
    service: tuple[QuestionService, Catalog, Store],
) -> None:
    questions, _, store = service
    with pytest.raises(ImportRejected) as rejected:
        await questions.import_yaml(guild_id=GUILD_A, user_id=1, text=EXAMPLE, filename="q.yaml")
    assert rejected.value.problems == [
        "q.yaml: pin-coding-board-reach: id is already used by a bundled question"
    ]
    assert await store.questions.custom(GUILD_A) == []


async def test_a_guild_never_sees_another_guilds_questions(
    service: tuple[QuestionService, Catalog, Store],
) -> None:
    questions, catalog, _ = service
    await questions.import_yaml(
        guild_id=GUILD_A, user_id=1, text=custom_yaml("club-only-a"), filename="a.yaml"
    )
    assert await catalog.question(GUILD_A, "club-only-a") is not None
    assert await catalog.question(GUILD_B, "club-only-a") is None
    assert "club-only-a" not in {c.question_id for c in await catalog.candidates(GUILD_B)}
    assert "club-only-a" not in {r.question_id for r in await questions.listing(GUILD_B, None)}
    with pytest.raises(UserError, match="No question 'club-only-a'"):
        await questions.set_disabled(
            guild_id=GUILD_B, user_id=2, question_id="club-only-a", disabled=True
        )


async def test_disable_removes_from_the_draw_for_that_guild_only(
    service: tuple[QuestionService, Catalog, Store],
) -> None:
    questions, catalog, _ = service
    await questions.set_disabled(
        guild_id=GUILD_A, user_id=1, question_id="pin-coding-board-reach", disabled=True
    )
    assert "pin-coding-board-reach" not in {
        c.question_id for c in await catalog.candidates(GUILD_A)
    }
    assert "pin-coding-board-reach" in {c.question_id for c in await catalog.candidates(GUILD_B)}
    with pytest.raises(UserError, match="already disabled"):
        await questions.set_disabled(
            guild_id=GUILD_A, user_id=1, question_id="pin-coding-board-reach", disabled=True
        )


async def test_add_from_form_builds_a_valid_question(
    service: tuple[QuestionService, Catalog, Store],
) -> None:
    questions, catalog, _ = service
    question = await questions.add_from_form(
        guild_id=GUILD_A,
        user_id=1,
        round_name="system_design",
        difficulty="medium",
        time_box_minutes=40,
        title="Design a study-group reminder service",
        prompt="Design a service that reminds 2M members of their study sessions across timezones, "
        "at most once per session, with retries when a push provider fails.",
        rubric_text=(
            "Scheduling | 3 | Uses a durable delayed queue keyed by session with idempotent "
            "sends | polling the whole table every minute\n"
            "Timezones | 2 | Stores UTC instants and converts with the member's IANA zone, DST "
            "handled | stores local times only\n"
            "Failure handling | 2 | Retries with backoff and an idempotency key per reminder "
            "| fire and forget"
        ),
        hints_text="Think about when the reminder must fire.\n"
        "What happens when the push provider is down?",
        follow_ups_text="How do you avoid duplicate reminders?\nHow would you shard the queue?",
    )
    assert question.id == f"g{GUILD_A}-design-a-study-group-reminder-service"
    assert len(question.rubric) == 3 and all(len(c.signals) >= 3 for c in question.rubric)
    assert await catalog.question(GUILD_A, question.id) == question


async def test_form_with_bad_rubric_lines_lists_them(
    service: tuple[QuestionService, Catalog, Store],
) -> None:
    questions, _, store = service
    with pytest.raises(ImportRejected) as rejected:
        await questions.add_from_form(
            guild_id=GUILD_A,
            user_id=1,
            round_name="coding",
            difficulty="easy",
            time_box_minutes=20,
            title="Two sum on pins",
            prompt="Given pin prices and a budget find two pins summing to it exactly.",
            rubric_text="just one line without pipes",
            hints_text="a hint here\nanother hint",
            follow_ups_text="x",
        )
    assert any("rubric line 1" in p for p in rejected.value.problems)
    assert await store.questions.custom(GUILD_A) == []


async def test_form_schema_problems_are_said_in_plain_words(
    service: tuple[QuestionService, Catalog, Store],
) -> None:
    questions, _, store = service
    with pytest.raises(ImportRejected) as rejected:
        await questions.add_from_form(
            guild_id=GUILD_A,
            user_id=1,
            round_name="coding",
            difficulty="easy",
            time_box_minutes=20,
            title="Two",
            prompt="Short.",
            rubric_text="Correctness | 3 | works on the examples\nClarity | 2 | names things",
            hints_text="a hint here\nanother hint",
            follow_ups_text="What if the input is huge?",
        )
    problems = rejected.value.problems
    assert "`prompt` is too short: at least 40 characters" in problems, problems
    assert "`follow_ups` needs at least 2 item(s)" in problems, problems
    assert not any("String should" in p or "Input should" in p for p in problems), problems
    assert await store.questions.custom(GUILD_A) == []
