"""A server's own questions through the real bot: YAML import (all or nothing) and the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import App
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases

EXAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "content-example.yaml").read_text()


def custom(question_id: str) -> str:
    return EXAMPLE.replace("pin-coding-board-reach", question_id)


async def count_custom(app: App) -> int:
    rows = await app.running.services.store.db.fetchall("SELECT COUNT(*) FROM custom_questions")
    return int(next(iter(rows))[0])


async def test_a_bad_import_lists_every_error_and_imports_nothing(running: App) -> None:
    good = custom("club-one")
    bad = good + custom("club-two").split("questions:\n", 1)[1].replace(
        "difficulty: medium", "difficulty: brutal"
    )
    file = running.emu.make_attachment("club.yaml", bad)
    rejected = await running.emu.slash(
        running.world.admin, running.world.practice, "questions import", file=file
    )
    await rejected.wait_for_followups(1)
    text = rejected.followups[-1].text
    assert rejected.ephemeral and "Nothing was imported" in text and "club-two" in text
    assert await count_custom(running) == 0

    accepted = await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "questions import",
        file=running.emu.make_attachment("club.yaml", good),
    )
    await accepted.wait_for_followups(1)
    assert "Imported 1 question" in accepted.followups[-1].text
    listing = await running.emu.slash(running.world.alice, running.world.daily, "questions list")
    assert "club-one" in listing.text and "(custom)" in listing.text
    assert_requests_match_spec(running.emu.requests)


async def test_members_cannot_import_and_non_yaml_is_refused(running: App) -> None:
    member = await running.emu.slash(
        running.world.alice,
        running.world.practice,
        "questions import",
        file=running.emu.make_attachment("q.yaml", custom("club-x")),
    )
    assert member.ephemeral and "Manage Server" in member.text
    text_file = await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "questions import",
        file=running.emu.make_attachment("notes.txt", "hello"),
    )
    assert text_file.ephemeral and ".yaml" in text_file.text
    assert await count_custom(running) == 0


async def test_add_by_form(running: App) -> None:
    opened = await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "questions add",
        round="behavioral",
        difficulty="medium",
    )
    assert opened.modal is not None
    fields = [item["custom_id"] for item in opened.modal.inputs]
    values: dict[str, str] = {}
    values[fields[0]] = "Leading a study group through a slump"
    values[fields[1]] = (
        "Tell me about a time you kept a group motivated when progress stalled. What did you "
        "do, and what changed?"
    )
    values[fields[2]] = (
        "Ownership | 3 | Says what they personally did, step by step | Talks only about 'we'\n"
        "Result | 3 | Gives a measurable change in participation or outcomes | States no "
        "result at all\n"
        "Reflection | 2 | Names what they would do differently next time | Nothing learned, "
        "no reflection"
    )
    values[fields[3]] = "Think of a concrete low point.\nWhat number changed afterwards?"
    values[fields[4]] = "What would you do differently?\nHow did you know it worked?"
    submitted = await running.emu.submit_modal(running.world.admin, opened, values)
    assert submitted.ephemeral and "Added `g" in submitted.text
    assert await count_custom(running) == 1
