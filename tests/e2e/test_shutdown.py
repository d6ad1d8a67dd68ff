"""SIGTERM to the real bot process (`python -m bot run`) with an answer being graded, a mock turn
waiting on the AI and daily posts going out in several servers: it exits 0 within the 10 s the
design allows, and the answer, still saved, is graded by the next start, its day's budget
charged once (the stopped call's reservation is released)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from emulator import DiscordEmulator, Message
from emulator.fake_messages_api import FakeMessagesAPI, Slow
from tests.conftest import World, build_world
from tests.e2e.bot_process import BotProcess
from tests.e2e.daily_helpers import STRONG_ANSWER
from tests.e2e.waits import until

FAN_OUT = 4  # servers whose /daily now is under way when SIGTERM arrives
HELD = 60.0  # the fake API holds these calls far past the shutdown


def admissions(db_path: Path, user_id: int) -> list[tuple[str, int]]:
    """The member's AI call admissions still counted: (operation, tokens still reserved)."""
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT operation, reserved_tokens FROM llm_admissions WHERE user_id = ? "
            "ORDER BY admission_id",
            (user_id,),
        ).fetchall()
    finally:
        conn.close()
    return [(str(operation), int(reserved)) for operation, reserved in rows]


def answer_status(db_path: Path, user_id: int) -> str | None:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT status FROM answers WHERE user_id = ?", (user_id,)).fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


async def post_daily(emu: DiscordEmulator, world: World) -> None:
    setup = await emu.slash(
        world.admin,
        world.practice,
        "daily setup",
        channel=world.daily,
        time="09:00",
        timezone="UTC",
    )
    assert "scheduled" in setup.text, setup.text
    now = await emu.slash(world.admin, world.practice, "daily now")
    await now.wait_for_followups(1)


def daily_post(emu: DiscordEmulator, world: World) -> Message:
    [post] = [m for m in emu.messages(world.daily) if m.find_button("Answer")]
    return post


async def mock_turn_in_flight(emu: DiscordEmulator, world: World, api: FakeMessagesAPI) -> None:
    start = await emu.slash(world.alice, world.practice, "mock start", round="system_design")
    await start.wait_until(lambda r: bool(r.followups) or bool(r.text.strip()))
    [thread] = [t for t in emu.threads(world.practice) if world.alice.id in t.members]
    await emu.wait_for(lambda: any(m.find_button("Respond") for m in emu.messages(thread)))
    button = [m for m in emu.messages(thread) if m.find_button("Respond")][-1]
    opened = await emu.click(world.alice, button, label="Respond")
    assert opened.modal is not None, opened.text
    api.enqueue(Slow(HELD))
    await emu.submit_modal(world.alice, opened, {"answer": "I would start from the load."})
    await until(lambda: api._in_flight == 1, "the mock turn reaching the AI")


async def test_sigterm_mid_work_exits_in_time_and_the_answer_is_graded_after(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "bot.db"
    async with DiscordEmulator() as emu, FakeMessagesAPI() as api:
        world = build_world(emu, "Shutdown")
        others = [build_world(emu, f"Fan-out {i}") for i in range(FAN_OUT)]
        env = {"ANTHROPIC_API_KEY": "test-key", "ANTHROPIC_BASE_URL": api.base_url}
        bot = BotProcess(emu, db_path, cwd=tmp_path, env=env)
        await bot.start()
        try:
            await post_daily(emu, world)
            for other in others:
                await emu.slash(
                    other.admin,
                    other.practice,
                    "daily setup",
                    channel=other.daily,
                    time="09:00",
                    timezone="UTC",
                )
            await mock_turn_in_flight(emu, world, api)
            # Bob's answer: saved, its grading held by the API.
            api.enqueue(Slow(HELD))
            opened = await emu.click(world.bob, daily_post(emu, world), label="Answer")
            assert opened.modal is not None, opened.text
            await emu.submit_modal(world.bob, opened, {"answer": STRONG_ANSWER})
            await until(lambda: api._in_flight == 2, "the grading reaching the AI")
            assert answer_status(db_path, world.bob.id) == "pending"
            assert [op for op, _ in admissions(db_path, world.bob.id)] == ["grade"]
            fan_out = [
                asyncio.create_task(emu.slash(o.admin, o.practice, "daily now")) for o in others
            ]
            await emu.wait_for(lambda: any(emu.messages(o.daily) for o in others))

            started = time.monotonic()
            exit_code = await bot.stop(within=10.0)
            took = time.monotonic() - started
        except BaseException:
            print(bot.tail(60))
            raise
        print(f"SIGTERM to exit: {took:.2f} s")
        assert exit_code == 0, bot.tail()
        assert took < 10.0
        await asyncio.gather(*fan_out, return_exceptions=True)
        # Still saved, queued for the next start rather than lost or left 'pending'.
        assert answer_status(db_path, world.bob.id) == "delayed"
        # The stopped grading's reservation is released: the retry is the only one charged.
        assert admissions(db_path, world.bob.id) == []
        assert admissions(db_path, world.alice.id) == [], "the stopped mock turn's too"

        await bot.start()
        try:
            await until(
                lambda: answer_status(db_path, world.bob.id) == "graded",
                "the handed-back answer graded after the restart",
            )
        finally:
            assert await bot.stop() == 0, bot.tail()
        assert admissions(db_path, world.bob.id) == [("grade", 0)]
        assert emu.internal_errors == []
