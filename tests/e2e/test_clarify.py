"""The Clarify button on a design question's daily post: the facts privately, and the AI grader
told who asked. Real bot, emulator, ClaudeGrader through the real SDK at the fake Messages API."""

from __future__ import annotations

import pytest

from emulator.fake_messages_api import FakeMessagesAPI, GradeReply
from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, answer, at, daily_posts, fire, setup_daily
from tests.e2e.grading_helpers import rows

pytestmark = pytest.mark.both_databases


async def test_clarify_shows_the_facts_privately_and_the_grader_knows_who_asked(
    claude: App, fake: FakeMessagesAPI
) -> None:
    await setup_daily(claude)
    await claude.emu.slash(
        claude.world.admin,
        claude.world.practice,
        "daily rotation",
        slots="system_design," * 6 + "system_design",
    )
    claude.clock.set(at(2026, 11, 26, 8, 0))
    await fire(claude)
    post = daily_posts(claude)[0]
    assert [b["label"] for b in post.buttons] == ["Answer", "Hint", "Clarify"]
    [row] = await rows(claude, "SELECT post_id FROM daily_posts")
    question = await claude.running.services.answers.question_for_post(
        claude.world.guild.id, row["post_id"]
    )
    assert question.round == "system_design" and question.clarifications

    fake.enqueue(GradeReply())
    await answer(claude, claude.world.bob, post, STRONG_ANSWER)
    assert "did not ask for the question's clarifications" in fake.requests[-1].system_text

    for _ in range(2):  # pressed twice, recorded once
        shown = await claude.emu.click(claude.world.alice, post, label="Clarify")
        assert shown.ephemeral
        for clarification in question.clarifications:
            assert clarification.ask in shown.text
    assert await rows(claude, "SELECT user_id FROM clarify_uses") == [
        {"user_id": claude.world.alice.id}
    ]
    fake.enqueue(GradeReply())
    await answer(claude, claude.world.alice, post, STRONG_ANSWER)
    instructions = fake.requests[-1].system_blocks[1]["text"]
    assert "pressed Clarify before answering" in instructions
    # The facts themselves sit in the cached prefix, the same for both members.
    assert question.clarifications[0].answer in fake.requests[-1].system_blocks[0]["text"]
    assert fake.requests[-1].system_blocks[0] == fake.requests[-2].system_blocks[0]
