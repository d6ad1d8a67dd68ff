"""`python -m bot demo`: the real bot (cogs, SQLite, scheduler, offline grader) against the
emulator, driven through a scripted study-server session, printed as a transcript.

`BOT_DEMO_LOCALE=ja` runs it in another Discord locale: the server's preferred locale and every
member's client language, so the channel posts and the private replies are both in it."""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import InterviewBot
from bot.content.schema import Question
from bot.domain.clock import ManualClock
from bot.i18n.locales import DISCORD_LOCALES
from bot.i18n.messages import tr
from bot.settings import Settings
from emulator.emulator import DiscordEmulator
from emulator.harness import DEFAULT_TOKEN, connected
from emulator.models import Channel, Guild, Member, Message

# Thursday 26 November 2026, 08:55 in Berlin: five minutes before the daily post.
DEMO_START = datetime(2026, 11, 26, 7, 55, tzinfo=UTC)


def _answer_from_outline(question: Question) -> str:
    """A thorough answer, written from the question's own outline of an excellent answer."""
    points = [
        re.sub(r"^[-*•]\s*", "", line).strip() for line in question.reference_outline.splitlines()
    ]
    body = " ".join(p.rstrip(".") + "." for p in points if p)
    return f"Here is how I would approach it. {body} I would test the edge cases before finishing."


def _weak_answer(question: Question) -> str:
    return f"{question.hints[0]} I think that is most of it."


def demo_locale() -> str:
    """The demo's Discord locale, from BOT_DEMO_LOCALE (English by default)."""
    locale = os.environ.get("BOT_DEMO_LOCALE", "").strip() or "en-US"
    if locale not in DISCORD_LOCALES:
        raise SystemExit(
            f"BOT_DEMO_LOCALE={locale} is not a Discord locale: one of {DISCORD_LOCALES}"
        )
    return locale


def _daily_post(emu: DiscordEmulator, channel: Channel, locale: str) -> Message:
    heading = tr(locale, "Daily question · {title}", title="")
    posts = [
        m
        for m in emu.messages(channel)
        if m.embeds and str(m.embeds[0].get("title", "")).startswith(heading)
    ]
    return posts[-1]


async def _answer(
    emu: DiscordEmulator, member: Member, post: Message, text: str, locale: str
) -> None:
    opened = await emu.click(member, post, label=tr(locale, "Answer"), locale=locale)
    submitted = await emu.submit_modal(member, opened, {"answer": text}, locale=locale)
    await submitted.wait_for_followups(1)


async def _mock_round(
    emu: DiscordEmulator, bot: InterviewBot, member: Member, channel: Channel, locale: str
) -> None:
    """A short mock round: start, two answers with the interviewer's follow-ups, the scorecard."""
    start = await emu.slash(member, channel, "mock start", round="system_design", locale=locale)
    await start.wait_for_followups(1)
    thread = emu.threads(channel)[-1]
    mock = await bot.services.mocks.round_for_thread(thread.id)
    assert mock is not None
    question = await bot.services.catalog.question(mock.guild_id, mock.question_id)
    assert question is not None
    first = emu.messages(thread)[0]
    opened = await emu.click(member, first, label=first.buttons[0]["label"], locale=locale)
    answer = {"answer": _answer_from_outline(question)}
    await emu.submit_modal(member, opened, answer, locale=locale)
    await emu.wait_for(lambda: len(emu.messages(thread)) >= 3)
    await emu.post_message(member, thread, f"<@{emu.bot_user.id}> {_weak_answer(question)}")
    await emu.wait_for(lambda: len(emu.messages(thread)) >= 5)
    end = await emu.slash(member, thread, "mock end", locale=locale)
    await end.wait_for_followups(1)


# Called once the scripted session is over, the bot still connected (the web demo serves the
# companion from here): the emulator, the database, the demo server, its admin, a channel.
AfterDemo = Callable[[DiscordEmulator, Path, Guild, Member, Channel], Awaitable[None]]


async def run_demo(*, keep: Path | None = None, after: AfterDemo | None = None) -> int:
    logging.getLogger("discord").setLevel(logging.WARNING)
    locale = demo_locale()
    with tempfile.TemporaryDirectory(prefix="interview-bot-demo-") as folder:
        db_path = keep or Path(folder) / "demo.db"
        async with DiscordEmulator() as emu:
            guild = emu.add_guild("Pinterest Prep", locale=locale)
            daily = emu.add_text_channel(guild, "daily-question")
            lounge = emu.add_text_channel(guild, "study-lounge")
            emu.add_role(guild, "Daily Ping", mentionable=True)
            dana = emu.add_member(guild, "dana (admin)", manage_guild=True)
            ana = emu.add_member(guild, "ana")
            ben = emu.add_member(guild, "ben")
            clock = ManualClock(DEMO_START)
            settings = Settings(
                _env_file=None,
                discord_token=DEFAULT_TOKEN,
                discord_api_base_url=emu.api_base_url,
                discord_gateway_url=emu.gateway_url,
                bot_database_path=db_path,
                anthropic_api_key=None,
            )
            bot = InterviewBot(settings, clock=clock, guild_ready_timeout=0.05)
            async with connected(bot, emu):
                services = bot.services
                await emu.slash(dana, lounge, "help", locale=locale)
                await emu.slash(
                    dana,
                    lounge,
                    "daily setup",
                    channel=daily,
                    time="09:00",
                    timezone="Europe/Berlin",
                    locale=locale,
                )
                await emu.slash(ana, lounge, "daily status", locale=locale)
                clock.set(DEMO_START + timedelta(minutes=5))
                emu.log.add("— the clock reaches 09:00 in Europe/Berlin —")
                await services.scheduler.fire(guild.id)
                post = _daily_post(emu, daily, locale)
                found = await services.daily.todays_post(guild.id)
                assert found is not None
                question = found[1]
                await emu.click(ben, post, label=tr(locale, "Hint"), locale=locale)
                await _answer(emu, ana, post, _answer_from_outline(question), locale)
                await _answer(emu, ben, post, _weak_answer(question), locale)
                await emu.slash(ben, lounge, "leaderboard", locale=locale)
                await _mock_round(emu, bot, ana, lounge, locale)
                rank = await emu.slash(ana, lounge, "rank", locale=locale)
                await rank.wait_for_followups(1)
                clock.advance(timedelta(days=1))
                emu.log.add("— a day later, 09:00 in Europe/Berlin —")
                await services.scheduler.fire(guild.id)
                await emu.flush()
                print(emu.render_transcript(), flush=True)
                if after is not None:
                    await after(emu, db_path, guild, dana, lounge)
    return 0


if __name__ == "__main__":
    import asyncio

    sys.exit(asyncio.run(run_demo()))
