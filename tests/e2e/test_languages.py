"""Three members in three languages answer the same daily question: each sees the form, the
errors and the feedback in their own Discord locale, while what the bot posts in the channel (the
post, its buttons, the thread, the reveal) follows the server's language. Real bot, emulator,
ClaudeGrader through the real SDK at the fake Messages API."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.content.loader import LoadedQuestion, QuestionBank
from bot.content.schema import Question
from emulator import Member, Message
from emulator.fake_messages_api import FakeMessagesAPI, GradeReply
from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, at, daily_posts, fire, setup_daily

EXAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "content-example.yaml").read_text()
FRENCH = {
    "title": "Tableaux atteignables en k repins",
    "prompt": "Pinterest enregistre les « repins » : combien de tableaux sont atteignables ?",
}

# What each member must see, in their language: the form, the empty-answer refusal, the feedback.
EXPECTED = {
    "fr": ("Réponse · ", "Votre réponse", "Expliquez votre approche", "Votre réponse est vide",
           "Retour · ", "**Note globale : ", "French"),
    "ja": ("回答 · ", "あなたの回答", "アプローチ、トレードオフ", "回答が空です",
           "フィードバック · ", "**総合：", "Japanese"),
    "pt-BR": ("Resposta · ", "Sua resposta", "Explique sua abordagem", "Sua resposta está vazia",
              "Feedback · ", "**Geral: ", "Portuguese"),
    "en-US": ("Answer · ", "Your answer", "Explain your approach", "Your answer is empty",
              "Feedback · ", "**Overall: ", "English"),
}  # fmt: skip


async def _answer_in(
    app: App, fake: FakeMessagesAPI, member: Member, post: Message, locale: str
) -> None:
    form_title, label, placeholder, refusal, feedback, overall, language = EXPECTED[locale]
    opened = await app.emu.click(member, post, label=post.buttons[0]["label"], locale=locale)
    assert opened.modal is not None and opened.modal.title.startswith(form_title)
    [field] = opened.modal.inputs
    assert field["label"] == label and str(field["placeholder"]).startswith(placeholder)

    refused = await app.emu.submit_modal(member, opened, {"answer": "   "}, locale=locale)
    await refused.wait_for_followups(1)
    said = "\n".join(m.text for m in refused.messages)
    assert refused.ephemeral and refusal in said, said

    again = await app.emu.click(member, post, label=post.buttons[0]["label"], locale=locale)
    fake.enqueue(GradeReply(score=4))
    graded = await app.emu.submit_modal(member, again, {"answer": STRONG_ANSWER}, locale=locale)
    await graded.wait_for_followups(1)
    shown = graded.messages[-1]
    assert shown.ephemeral and shown.embeds, shown.text
    assert str(shown.embeds[0]["title"]).startswith(feedback)
    assert overall in str(shown.embeds[0]["description"])
    assert f"in {language}" in fake.requests[-1].system_text  # Claude writes in it too


async def test_each_member_reads_their_language_and_the_channel_the_servers(
    claude: App, fake: FakeMessagesAPI
) -> None:
    app = claude
    chosen = await app.emu.slash(
        app.world.admin, app.world.practice, "daily language", language="fr"
    )
    assert "**Français (French) · fr**" in chosen.text
    await setup_daily(app)
    app.clock.set(at(2026, 11, 26, 8, 0))
    await fire(app)
    [post] = [m for m in app.emu.messages(app.world.daily) if m.embeds]
    assert str(post.embeds[0]["title"]).startswith("Question du jour · ")
    assert [b["label"] for b in post.buttons][:2] == ["Répondre", "Indice"]
    assert "Discutez-en dans le fil ci-dessous." in post.text
    [thread] = app.emu.threads(app.world.daily)
    assert thread.name.startswith("Discussion · ")

    members = {
        "fr": app.emu.add_member(app.world.guild, "claire"),
        "ja": app.emu.add_member(app.world.guild, "kenji"),
        "pt-BR": app.emu.add_member(app.world.guild, "joao"),
        "en-US": app.world.bob,
    }
    for locale, member in members.items():
        await _answer_in(app, fake, member, post, locale)

    hint = await app.emu.click(members["ja"], post, label="Indice", locale="ja")
    assert hint.ephemeral and hint.text.startswith("💡 **ヒント 1/")

    app.clock.set(at(2026, 11, 27, 8, 0))
    await fire(app)
    reveal = [
        m
        for m in app.emu.messages(thread)
        if m.embeds and str(m.embeds[0].get("title", "")).startswith("Corrigé · ")
    ]
    assert len(reveal) == 1 and "Réponses" in reveal[0].text
    assert len(daily_posts(app)) == 0  # every post of the day is in French, none in English


def _small_pack() -> QuestionBank:
    """Two coding questions: one with a French title and prompt, one in English only."""
    raw = yaml.safe_load(EXAMPLE)["questions"][0]
    bank = QuestionBank()
    for question in (
        Question.model_validate({**raw, "translations": {"fr": FRENCH}}),
        Question.model_validate({**raw, "id": "club-boards-untranslated"}),
    ):
        bank.by_id[question.id] = LoadedQuestion("club", question)
    return bank


async def test_a_french_server_reads_a_question_s_french_title_and_english_otherwise(
    app: App,
) -> None:
    await app.start(bank=_small_pack())
    await app.emu.slash(app.world.admin, app.world.practice, "daily language", language="fr")
    await app.emu.slash(
        app.world.admin, app.world.practice, "daily rotation", slots=",".join(["coding"] * 7)
    )
    await setup_daily(app)
    seen = {}
    for day in (26, 27):
        app.clock.set(at(2026, 11, day, 8, 0))
        await fire(app)
        post = [m for m in app.emu.messages(app.world.daily) if m.embeds][-1]
        title, prompt = str(post.embeds[0]["title"]), str(post.embeds[0]["description"])
        seen[str(post.embeds[0]["footer"]["text"])] = (title, prompt)
    translated = next(v for k, v in seen.items() if k.endswith("pin-coding-board-reach"))
    english = next(v for k, v in seen.items() if k.endswith("club-boards-untranslated"))
    assert translated == (f"Question du jour · {FRENCH['title']}", FRENCH["prompt"])
    raw = yaml.safe_load(EXAMPLE)["questions"][0]
    assert english[0] == f"Question du jour · {raw['title']}"
    assert english[1].startswith("Pinterest records")
    # The form a French member opens from today's post names the question in French when it has a
    # French title (yesterday's post is closed once revealed; which question came first is drawn).
    today = [m for m in app.emu.messages(app.world.daily) if m.embeds][-1]
    translated_today = today.embeds[0]["footer"]["text"].endswith("pin-coding-board-reach")
    member = app.emu.add_member(app.world.guild, "claire")
    opened = await app.emu.click(member, today, label="Répondre", locale="fr")
    assert opened.modal is not None, opened.text
    assert (FRENCH["title"] if translated_today else raw["title"]) in opened.modal.title
    helped = await app.emu.slash(member, app.world.daily, "help")
    assert "Some questions also have their title and prompt in Français (1)." in helped.text
