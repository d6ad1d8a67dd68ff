import asyncio
import time

from bot.ui.pacer import FOLLOW_UP, POST, Pacer


async def test_rate_is_respected_and_posts_go_first() -> None:
    pacer = Pacer(rate=100.0)
    order: list[str] = []

    async def take(label: str, priority: int) -> None:
        await pacer.acquire(priority)
        order.append(label)

    started = time.monotonic()
    await asyncio.gather(
        *(take(f"thread{i}", FOLLOW_UP) for i in range(5)),
        *(take(f"post{i}", POST) for i in range(10)),
    )
    elapsed = time.monotonic() - started
    assert elapsed >= 0.13  # 15 slots at 100/s with a burst of 1
    # The first caller found a token waiting; after that every post goes before any thread.
    assert order[0] == "thread0"
    assert [label[:4] for label in order[1:]] == ["post"] * 10 + ["thre"] * 4


async def test_idle_pacer_does_not_wait() -> None:
    pacer = Pacer(rate=2.0)
    started = time.monotonic()
    await pacer.acquire()
    assert time.monotonic() - started < 0.05
