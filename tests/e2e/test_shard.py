"""Sharding: with BOT_SHARD_COUNT the bot is an AutoShardedBot, and each process schedules,
catches up and retries only for the guilds on its own shards, on one shared SQLite file."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from discord.ext import commands

from bot.app import InterviewBot, ShardedInterviewBot, make_bot
from bot.domain.clock import ManualClock
from bot.domain.schedule import parse_post_time
from bot.scheduler import job_id
from bot.settings import Settings
from bot.sharding import ShardPlan, shard_of
from bot.store import Store
from bot.store.database import Database
from emulator import DiscordEmulator
from emulator.harness import connected
from tests.conftest import World, build_world
from tests.e2e.bot_process import BotProcess
from tests.e2e.daily_helpers import at

POST_AT = at(2026, 11, 26, 8, 0)  # 09:00 in Berlin


class FastShardedBot(ShardedInterviewBot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before each non-first IDENTIFY (Discord's limit); not on
        loopback in a test."""


def settings_for(emu: DiscordEmulator, db_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "discord_token": "emulator-token",
        "discord_api_base_url": emu.api_base_url,
        "discord_gateway_url": emu.gateway_url,
        "bot_database_path": db_path,
        "anthropic_api_key": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def configure(db_path: Path, worlds: list[World], *, when: datetime) -> None:
    store = Store(db_path)
    await store.open()
    try:
        for world in worlds:
            await store.guilds.save_schedule(
                world.guild.id,
                channel_id=world.daily.id,
                post_time=parse_post_time("09:00"),
                timezone="Europe/Berlin",
                ping_role_id=None,
                config_channel_id=world.practice.id,
                now=when,
            )
    finally:
        await store.close()


def posts_in(emu: DiscordEmulator, world: World) -> int:
    return sum(1 for m in emu.messages(world.daily) if m.embeds)


def worlds_on_both_shards(emu: DiscordEmulator) -> list[World]:
    worlds = [build_world(emu, f"Guild {i}") for i in range(4)]
    while {shard_of(w.guild.id, 2) for w in worlds} != {0, 1}:
        worlds.append(build_world(emu, f"Guild {len(worlds)}"))
    return worlds


@contextlib.asynccontextmanager
async def shard_process(
    emu: DiscordEmulator, db_path: Path, clock: ManualClock, shard: int
) -> AsyncIterator[InterviewBot]:
    """One process's bot: shard `shard` of 2, on the shared database file."""
    settings = settings_for(emu, db_path, bot_shard_count=2, bot_shard_ids=(shard,))
    bot = FastShardedBot(
        settings, clock=clock, guild_ready_timeout=0.05, shard_count=2, shard_ids=[shard]
    )
    async with connected(bot, emu):
        yield bot


def test_the_bot_class_follows_the_settings(tmp_path: Path) -> None:
    base = {"discord_token": "t", "bot_database_path": tmp_path / "bot.db"}
    plain = make_bot(Settings(_env_file=None, **base))  # type: ignore[call-arg]
    assert not isinstance(plain, commands.AutoShardedBot)
    assert plain.shard_plan == ShardPlan()
    sharded = make_bot(
        Settings(_env_file=None, bot_shard_count=4, bot_shard_ids="1,3", **base)  # type: ignore[call-arg]
    )
    assert isinstance(sharded, commands.AutoShardedBot) and isinstance(sharded, InterviewBot)
    assert (sharded.shard_count, sharded.shard_ids) == (4, [1, 3])
    assert sharded.shard_plan.owns(2 << 22) is False and sharded.shard_plan.owns(3 << 22)
    every = make_bot(Settings(_env_file=None, bot_shard_count=2, **base))  # type: ignore[call-arg]
    assert isinstance(every, commands.AutoShardedBot) and every.shard_ids is None
    assert every.shard_plan.everything


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"BOT_SHARD_IDS": "1"}, "needs BOT_SHARD_COUNT"),
        ({"BOT_SHARD_COUNT": "2", "BOT_SHARD_IDS": "2"}, "from 0 to 1"),
        ({"BOT_SHARD_COUNT": "2", "BOT_SHARD_IDS": "0,0"}, "distinct"),
        ({"BOT_SHARD_COUNT": "0"}, "BOT_SHARD_COUNT"),
    ],
)
def test_bad_shard_settings_are_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], problem: str
) -> None:
    from bot.settings import SettingsError, load_settings

    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=problem):
        load_settings()


async def test_each_process_catches_up_and_schedules_only_its_shards(tmp_path: Path) -> None:
    db_path = tmp_path / "bot.db"
    async with DiscordEmulator(shard_count=2) as emu:
        worlds = worlds_on_both_shards(emu)
        mine = {0: [w for w in worlds if shard_of(w.guild.id, 2) == 0]}
        mine[1] = [w for w in worlds if w not in mine[0]]
        await configure(db_path, worlds, when=POST_AT - timedelta(days=1))
        clock = ManualClock(POST_AT + timedelta(hours=1))  # today's post was missed: catch up

        async with shard_process(emu, db_path, clock, 0) as first:
            await emu.wait_for(lambda: all(posts_in(emu, w) == 1 for w in mine[0]))
            await emu.flush()
            # The other shard's guilds wait for their own process.
            assert [posts_in(emu, w) for w in mine[1]] == [0] * len(mine[1])
            assert [s.shard_id for s in emu.sessions] == [0]
            jobs = first.services.scheduler.scheduler
            assert {w.guild.id for w in worlds if jobs.get_job(job_id(w.guild.id))} == {
                w.guild.id for w in mine[0]
            }

            async with shard_process(emu, db_path, clock, 1) as second:
                await emu.wait_for(lambda: all(posts_in(emu, w) == 1 for w in worlds))
                assert sorted(s.shard_id for s in emu.sessions) == [0, 1]
                jobs = second.services.scheduler.scheduler
                assert {w.guild.id for w in worlds if jobs.get_job(job_id(w.guild.id))} == {
                    w.guild.id for w in mine[1]
                }
                # A command reaches the process of its guild's shard, which schedules it.
                target = mine[1][0]
                done = await emu.slash(
                    target.admin,
                    target.practice,
                    "daily setup",
                    channel=target.daily,
                    time="10:00",
                    timezone="UTC",
                )
                assert "10:00" in done.text
                assert second.services.scheduler.next_run(target.guild.id) is not None
                assert first.services.scheduler.next_run(target.guild.id) is None
        assert all(posts_in(emu, w) == 1 for w in worlds)  # none doubled
        assert emu.internal_errors == []


async def test_retry_sweeps_touch_only_their_shards(tmp_path: Path) -> None:
    db_path = tmp_path / "bot.db"
    async with DiscordEmulator(shard_count=2) as emu:
        worlds = worlds_on_both_shards(emu)
        await configure(db_path, worlds, when=POST_AT - timedelta(days=1))
        clock = ManualClock(POST_AT - timedelta(minutes=5))
        for world in worlds:  # every post fails at its time
            emu.set_bot_channel_permissions(world.daily, deny=["SEND_MESSAGES"])

        async with (
            shard_process(emu, db_path, clock, 0) as first,
            shard_process(emu, db_path, clock, 1) as second,
        ):
            clock.set(POST_AT)
            for bot in (first, second):
                for world in worlds:
                    if bot.shard_plan.owns(world.guild.id):
                        await bot.services.scheduler.fire(world.guild.id)
            for world in worlds:
                emu.set_bot_channel_permissions(world.daily, deny=[])
            await emu.flush()

            # The job APScheduler runs every 5 minutes, run by hand in the first process.
            sweep = first.services.scheduler.scheduler.get_job("retry-posts")
            outcomes = await sweep.func(*sweep.args)
            posted = {w.guild.id for w in worlds if posts_in(emu, w) == 1}
            assert posted == {w.guild.id for w in worlds if shard_of(w.guild.id, 2) == 0}
            assert len(outcomes) == len(posted)

            sweep = second.services.scheduler.scheduler.get_job("retry-posts")
            await sweep.func(*sweep.args)
            assert all(posts_in(emu, w) == 1 for w in worlds)
            grades = second.services.scheduler.scheduler.get_job("retry-grades")
            assert grades.args == (second.shard_plan,)


async def open_work(db: Database, guild_id: int) -> dict[str, list[str]]:
    """What the peer and mock sweeps tend in a guild: statuses of its queue entries, peer
    sessions and mock rounds."""
    found = {}
    for table in ("peer_queue", "peer_sessions", "mock_rounds"):
        found[table] = [
            row["status"]
            for row in await db.fetchall(
                f"SELECT status FROM {table} WHERE guild_id = ? ORDER BY rowid", (guild_id,)
            )
        ]
    return found


WAITING = {"peer_queue": ["matched", "matched", "waiting"], "peer_sessions": ["active"]}
SWEPT = {"peer_queue": ["matched", "matched", "expired"], "peer_sessions": ["ended"]}


async def test_every_process_sweeps_the_peer_sessions_and_mock_rounds_of_its_shards(
    tmp_path: Path,
) -> None:
    async with DiscordEmulator(shard_count=2) as emu:
        worlds = worlds_on_both_shards(emu)
        # One guild per shard, each with a peer session, a member waiting alone and a mock round.
        busy = [next(w for w in worlds if shard_of(w.guild.id, 2) == shard) for shard in (0, 1)]
        clock = ManualClock(POST_AT)
        async with (
            shard_process(emu, tmp_path / "bot.db", clock, 0) as first,
            shard_process(emu, tmp_path / "bot.db", clock, 1) as second,
        ):
            for world in busy:
                for member, round_name in ((world.alice, "coding"), (world.bob, "coding")):
                    joined = await emu.slash(member, world.daily, "peer join", round=round_name)
                    await joined.wait_for_followups(1)
                carol = emu.add_member(world.guild, "carol")
                await emu.flush()
                alone = await emu.slash(carol, world.daily, "peer join", round="behavioral")
                await alone.wait_for_followups(1)
                started = await emu.slash(world.admin, world.practice, "mock start", round="coding")
                await started.wait_for_followups(1)
            db = first.services.store.db
            for world in busy:
                assert await open_work(db, world.guild.id) == {**WAITING, "mock_rounds": ["active"]}

            clock.advance(timedelta(hours=6))  # every entry expired, every session abandoned
            for bot, done in ((first, busy[:1]), (second, busy)):
                for name in ("peer-sweep", "mock-sweep"):
                    job = bot.services.scheduler.scheduler.get_job(name)
                    assert job.args == (bot.shard_plan,)
                    await job.func(*job.args)
                for world in busy:
                    expected = (
                        {**SWEPT, "mock_rounds": ["abandoned"]}
                        if world in done
                        else {**WAITING, "mock_rounds": ["active"]}
                    )
                    assert await open_work(db, world.guild.id) == expected, bot.shard_plan
        assert emu.internal_errors == []


async def test_delayed_scorecards_are_retried_by_their_shards_process(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.db")
    await store.open()
    try:
        guilds = [(1 << 22) * n for n in (10, 11, 12, 13)]  # shards 0, 1, 0, 1 of 2
        now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        async with store.db.transaction() as conn:
            for n, guild_id in enumerate(guilds):
                await conn.execute(
                    "INSERT INTO mock_rounds (guild_id, user_id, channel_id, question_id, round, "
                    "difficulty, time_box_minutes, status, local_date, started_at, last_turn_at) "
                    "VALUES (?, ?, 1, 'q', 'coding', 'easy', 45, 'scoring', '2026-11-26', ?, ?)",
                    (guild_id, n, now.isoformat(), now.isoformat()),
                )
        for shard in (0, 1):
            plan = ShardPlan(2, frozenset({shard}))
            due = await store.mocks.scoring_due(now, plan)
            assert [m.guild_id for m in due] == [g for g in guilds if shard_of(g, 2) == shard]
            assert await store.mocks.with_status("scoring", plan) == due
        assert len(await store.mocks.scoring_due(now)) == 4
    finally:
        await store.close()


async def test_queued_answers_are_retried_by_their_shards_process(tmp_path: Path) -> None:
    """The grading sweep's query takes only this process's guilds (and its LIMIT cannot fill up
    with another process's backlog)."""
    store = Store(tmp_path / "bot.db")
    await store.open()
    try:
        guilds = [(1 << 22) * n for n in (10, 11, 12, 13)]  # shards 0, 1, 0, 1 of 2
        now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        async with store.db.transaction() as conn:
            for user, guild_id in enumerate(guilds):
                await conn.execute(
                    "INSERT INTO answers (guild_id, user_id, question_id, source, content, "
                    "status, local_date, submitted_at, retry_after) "
                    "VALUES (?, ?, 'q', 'daily', 'text', 'delayed', '2026-11-26', ?, ?)",
                    (guild_id, user, now.isoformat(), now.isoformat()),
                )
        stale = now - timedelta(minutes=15)
        for shard in (0, 1):
            due = await store.answers.due_for_retry(
                now, stale_before=stale, shards=ShardPlan(2, frozenset({shard}))
            )
            assert [q.answer.guild_id for q in due] == [
                g for g in guilds if shard_of(g, 2) == shard
            ]
        assert len(await store.answers.due_for_retry(now, stale_before=stale)) == 4
    finally:
        await store.close()


async def test_the_command_line_runs_the_configured_shards(tmp_path: Path) -> None:
    async with DiscordEmulator(shard_count=2) as emu:
        worlds = worlds_on_both_shards(emu)
        bot = BotProcess(
            emu,
            tmp_path / "bot.db",
            cwd=tmp_path,
            env={"BOT_SHARD_COUNT": "2", "BOT_SHARD_IDS": "1"},
        )
        try:
            await bot.start()
            ready = await bot.wait_for_line("ready:")
            assert "shards 1 of 2" in ready
            assert [(s.shard_id, s.shard_count) for s in emu.sessions] == [(1, 2)]
            target = next(w for w in worlds if shard_of(w.guild.id, 2) == 1)
            status = await emu.slash(target.alice, target.daily, "daily status")
            assert "not set up" in status.text.lower()
        except BaseException:
            print(bot.tail())
            raise
        finally:
            exit_code = await bot.stop()
        assert exit_code == 0, bot.tail()
