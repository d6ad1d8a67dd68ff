"""Soak: the daily flow, round after round, with the bot process SIGKILLed at random points.

The bot runs as a real child process (`python -m bot run`) against the emulator in this process,
on a SQLite file. Each round is one guild's day: an admin sets the schedule up and posts with
`/daily now`, two members answer. In some rounds the process is SIGKILLed, at a random moment or
at the worst ones (right after Discord accepted the daily post, or a member's feedback), then
restarted; the members and the admin then do what they would do in Discord: try again.

Afterwards: `PRAGMA integrity_check` passes, every daily post in Discord is one row of the
database (none doubled, none unrecorded), and every answer whose feedback a member saw is stored.
The 100 rounds are split into four tests so that xdist can run them side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from emulator import DiscordEmulator, EmulatorError, InteractionTimeout, Member, Message
from emulator.server import RecordedRequest
from tests.conftest import World, build_world
from tests.e2e.bot_process import BotProcess
from tests.e2e.daily_helpers import STRONG_ANSWER

ROUNDS = 25
SEEDS = (101, 202, 303, 404)  # 4 x 25 = 100 rounds
KILL_SHARE = 0.2
STEP_TIMEOUT = 5.0
KILL_POINTS = ("timer", "post-accepted", "feedback-sent", "startup")


@dataclass
class Ledger:
    """What the members and admins saw, to hold the database to it."""

    acknowledged: dict[tuple[int, int], str] = field(default_factory=dict)
    kills: dict[str, int] = field(default_factory=dict)


def daily_posts(emu: DiscordEmulator, world: World) -> list[Message]:
    return [
        m
        for m in emu.messages(world.daily)
        if m.embeds and str(m.embeds[0].get("title", "")).startswith("Daily question")
    ]


async def play_round(emu: DiscordEmulator, world: World, ledger: Ledger) -> None:
    """Set up, post, answer; steps already acknowledged are not repeated (as in Discord)."""
    setup = await emu.slash(
        world.admin,
        world.practice,
        "daily setup",
        channel=world.daily,
        time="09:00",
        timezone="UTC",
        timeout=STEP_TIMEOUT,
    )
    assert "scheduled" in setup.text, setup.text
    if not daily_posts(emu, world):
        now = await emu.slash(world.admin, world.practice, "daily now", timeout=STEP_TIMEOUT)
        [done] = await now.wait_for_followups(1, timeout=STEP_TIMEOUT)
        assert "Posted" in done.text or "already posted" in done.text, done.text
    [post] = daily_posts(emu, world)
    for member in (world.alice, world.bob):
        if (world.guild.id, member.id) not in ledger.acknowledged:
            await answer(emu, world, member, post, ledger)


async def answer(
    emu: DiscordEmulator, world: World, member: Member, post: Message, ledger: Ledger
) -> None:
    text = f"{STRONG_ANSWER} [{world.guild.name} / {member.name}]"
    opened = await emu.click(member, post, label="Answer", timeout=STEP_TIMEOUT)
    assert opened.modal is not None, opened.text
    submitted = await emu.submit_modal(member, opened, {"answer": text}, timeout=STEP_TIMEOUT)
    followups = await submitted.wait_for_followups(1, timeout=STEP_TIMEOUT)
    assert "/5" in followups[-1].text, followups[-1].text
    ledger.acknowledged[(world.guild.id, member.id)] = text


def kill_on(
    emu: DiscordEmulator, bot: BotProcess, matches: Callable[[RecordedRequest], bool]
) -> asyncio.Event:
    """SIGKILL the bot inside the emulator's request handler, before the bot reads the answer:
    Discord did the work, the bot never learned it did."""
    fired = asyncio.Event()
    api = emu._api  # the emulator's request hook: the one place that runs before the reply
    original = api.on_request

    def hook(record: RecordedRequest) -> None:
        if original is not None:
            original(record)
        if not fired.is_set() and matches(record):
            os.kill(bot.pid, signal.SIGKILL)
            fired.set()
            api.on_request = original

    api.on_request = hook
    return fired


def is_daily_post(world: World) -> Callable[[RecordedRequest], bool]:
    path = f"/channels/{world.daily.id}/messages"
    return lambda r: r.method == "POST" and r.path == path and r.status == 200


def is_feedback(record: RecordedRequest) -> bool:
    return (
        record.method == "POST"
        and record.path.startswith("/webhooks/")
        and "/5" in str(record.json)
    )


async def killed_round(
    emu: DiscordEmulator, bot: BotProcess, world: World, ledger: Ledger, rng: random.Random
) -> None:
    point = rng.choice(KILL_POINTS)
    ledger.kills[point] = ledger.kills.get(point, 0) + 1
    if point == "startup":
        # Killed while starting up (opening the database, syncing, connecting), then again up.
        await bot.kill()
        await bot.spawn()
        await asyncio.sleep(rng.uniform(0.0, 1.5))
        await bot.kill()
        await bot.start()
        await play_round(emu, world, ledger)
        return
    fired: asyncio.Event | None = None
    if point == "post-accepted":
        fired = kill_on(emu, bot, is_daily_post(world))
    elif point == "feedback-sent":
        fired = kill_on(emu, bot, is_feedback)
    task = asyncio.create_task(play_round(emu, world, ledger))
    if fired is None:
        await asyncio.wait({task}, timeout=rng.uniform(0.0, 0.3))
        await bot.kill()
    else:
        await asyncio.wait({task, asyncio.create_task(fired.wait())}, return_when="FIRST_COMPLETED")
        await bot.kill()
    task.cancel()
    with contextlib.suppress(
        asyncio.CancelledError, AssertionError, EmulatorError, InteractionTimeout
    ):
        await task
    await bot.start()
    await play_round(emu, world, ledger)


async def settled(db_path: Path, within: float = 15.0) -> None:
    """A post Discord accepted just before a kill is recorded by the next start (it finds it in
    the channel once ready): wait for that, as an admin would wait for the bot."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        conn = sqlite3.connect(db_path)
        try:
            [unsent] = conn.execute(
                "SELECT COUNT(*) FROM daily_posts WHERE status != 'posted'"
            ).fetchone()
        finally:
            conn.close()
        if unsent == 0 or asyncio.get_running_loop().time() > deadline:
            return
        await asyncio.sleep(0.1)


def verify(db_path: Path, emu: DiscordEmulator, worlds: list[World], ledger: Ledger) -> None:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for world in worlds:
            rows = conn.execute(
                "SELECT local_date, status, message_id FROM daily_posts WHERE guild_id = ?",
                (world.guild.id,),
            ).fetchall()
            sent = {m.id for m in daily_posts(emu, world)}
            recorded = {message_id for _, status, message_id in rows if status == "posted"}
            # One row per local date (the schema), one message per row: nothing doubled.
            assert sent == recorded and len(sent) == len(rows) >= 1, (world.guild.name, rows)
        stored = {
            (guild_id, user_id): content
            for guild_id, user_id, content in conn.execute(
                "SELECT guild_id, user_id, content FROM answers"
            )
        }
        for key, text in ledger.acknowledged.items():
            assert stored.get(key) == text, key
        assert len(ledger.acknowledged) == 2 * len(worlds)
    finally:
        conn.close()


@pytest.mark.parametrize("seed", SEEDS)
async def test_daily_flow_survives_sigkill(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db_path = tmp_path / "bot.db"
    async with DiscordEmulator() as emu:
        worlds = [build_world(emu, f"Guild {seed}-{i}") for i in range(ROUNDS)]
        bot = BotProcess(emu, db_path, cwd=tmp_path)
        ledger = Ledger()
        await bot.start()
        try:
            for world in worlds:
                if rng.random() < KILL_SHARE:
                    await killed_round(emu, bot, world, ledger, rng)
                else:
                    await play_round(emu, world, ledger)
            await settled(db_path)
        except BaseException:
            print(bot.tail(60))
            raise
        finally:
            exit_code = await bot.stop()
        assert exit_code == 0, bot.tail()
        assert sum(ledger.kills.values()) >= 2, ledger.kills
        verify(db_path, emu, worlds, ledger)
        assert emu.internal_errors == []
        print(f"seed {seed}: {bot.starts} starts, kills {ledger.kills}")
