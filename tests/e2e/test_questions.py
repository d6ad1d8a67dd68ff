"""A server's own questions through the real bot: YAML import (all or nothing) and the form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from emulator import Message
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
    assert rejected.ephemeral and "Nothing was added" in text and "club-two" in text
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


async def test_every_rejected_import_says_nothing_was_added(running: App) -> None:
    """A schema error and an id clash are refused with the same words."""
    schema_error = custom("club-one").replace("difficulty: medium", "difficulty: brutal")
    clash = EXAMPLE  # its id is a bundled question's
    replies = []
    for text in (schema_error, clash):
        rejected = await running.emu.slash(
            running.world.admin,
            running.world.practice,
            "questions import",
            file=running.emu.make_attachment("club.yaml", text),
        )
        await rejected.wait_for_followups(1)
        reply = rejected.followups[-1].text
        replies.append(reply)
        assert reply.startswith("Nothing was added. Fix these and try again"), reply
        assert "Input should" not in reply
    assert "`difficulty` should be one of 'easy'" in replies[0], replies[0]
    assert await count_custom(running) == 0


async def test_a_yaml_error_names_its_line_once_in_plain_words(running: App) -> None:
    text = custom("club-one").replace("title: ", "title: Boards: ", 1)
    rejected = await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "questions import",
        file=running.emu.make_attachment("club.yaml", text),
    )
    await rejected.wait_for_followups(1)
    reply = rejected.followups[-1].text
    line = 1 + next(n for n, t in enumerate(text.splitlines()) if "title: Boards: " in t)
    assert f"not valid YAML at line {line}," in reply and reply.count("line ") == 1, reply
    assert "quotes" in reply
    assert await count_custom(running) == 0


def listed_ids(message: Message) -> list[str]:
    description = str(message.embeds[0].get("description", ""))
    # Whole lines only: every code span and strike-through is closed on its own line.
    for line in description.splitlines():
        assert line.count("`") == 2 and line.count("~~") in (0, 2), line
    return re.findall(r"`([a-z0-9-]+)`", description)


async def test_the_question_list_pages_through_every_question_and_survives_a_restart(
    running: App,
) -> None:
    bank = running.running.services.catalog.bank
    every = sorted(q.question.id for q in bank.questions())
    disabled = await running.emu.slash(
        running.world.admin, running.world.practice, "questions disable", question_id=every[5]
    )
    assert every[5] in disabled.text
    listing = await running.emu.slash(running.world.admin, running.world.practice, "questions list")
    message = listing.original
    assert message is not None and listing.ephemeral
    pages = int(re.search(r"Page 1/(\d+)", message.text)[1])  # type: ignore[index]
    assert f"{len(every)} questions · 0 custom · 1 disabled" in message.text
    seen: list[str] = []
    for number in range(1, pages + 1):
        shown = running.emu.get_message(message.id)
        assert shown is not None and f"Page {number}/{pages}" in shown.text
        seen += listed_ids(shown)
        if number == 2:
            await running.restart()  # buttons sent before a restart keep working
        if number < pages:
            turned = await running.emu.click(running.world.admin, shown, label="Next")
            assert turned.response_type == 7  # the same message, edited
    last = running.emu.get_message(message.id)
    assert last is not None and last.find_button("Next")["disabled"]  # type: ignore[index]
    assert sorted(seen) == every
    coding = await running.emu.slash(
        running.world.alice, running.world.daily, "questions list", round="coding"
    )
    total = sum(q.question.round == "coding" for q in bank.questions())
    assert f"{total} questions" in coding.text and "Coding" in coding.text
