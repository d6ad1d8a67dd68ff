"""`/mock status` and `/mock settings`: what the member has running and has done, and the
guild's limits."""

from __future__ import annotations

from bot.domain.mock import MockSettings, candidate_count, check_settings, minutes_left
from bot.services.mocks.deps import MockDeps
from bot.services.mocks.results import MockStatus

RECENT_ROUNDS = 3


async def status(deps: MockDeps, guild_id: int, user_id: int) -> MockStatus:
    mocks = deps.store.mocks
    settings = await mocks.settings(guild_id)
    now = deps.clock.now()
    today = await deps.local_date(guild_id, now)
    current = await mocks.current(guild_id, user_id)
    answers = candidate_count(await mocks.turns(current.round_id)) if current else 0
    loop = await mocks.active_loop(guild_id, user_id)
    loop_rounds = await mocks.loop_rounds(loop.loop_id) if loop else []
    recent = await mocks.recent(guild_id, user_id, RECENT_ROUNDS)
    titles: dict[str, str] = {}
    for mock in [*([current] if current else []), *loop_rounds, *recent]:
        question = await deps.catalog.question(guild_id, mock.question_id)
        titles[mock.question_id] = question.title if question else mock.question_id
    return MockStatus(
        settings=settings,
        rounds_today=await mocks.started_on(guild_id, user_id, today),
        current=current,
        current_answers=answers,
        current_minutes_left=minutes_left(current, now) if current else 0,
        loop=loop,
        loop_rounds=tuple(loop_rounds),
        recent=tuple(recent),
        titles=titles,
    )


async def configure(
    deps: MockDeps, guild_id: int, *, idle_minutes: int | None, daily_limit: int | None
) -> MockSettings:
    """Change what was given; with nothing given, just show the settings."""
    check_settings(idle_minutes, daily_limit)
    current = await deps.store.mocks.settings(guild_id)
    if idle_minutes is None and daily_limit is None:
        return current
    updated = MockSettings(
        idle_minutes=idle_minutes if idle_minutes is not None else current.idle_minutes,
        daily_limit=daily_limit if daily_limit is not None else current.daily_limit,
    )
    await deps.store.mocks.save_settings(guild_id, updated, deps.clock.now())
    return updated
