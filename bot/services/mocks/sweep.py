"""The scheduler's periodic job: the clock's nudges, a phone screen's second question, closing
rounds whose time box or member has run out, retrying delayed scorecards, and releasing claims
whose thread never opened."""

from __future__ import annotations

from datetime import datetime

from bot.domain.mock import (
    STALE_OPENING,
    MockRound,
    MockSettings,
    candidate_count,
    closing_reason,
    due_nudge,
)
from bot.services.mocks.close import close
from bot.services.mocks.deps import MockDeps, log, quietly
from bot.services.mocks.phone_screen import ask_second_question
from bot.services.mocks.results import SweepReport
from bot.services.mocks.score import score
from bot.sharding import EVERY_GUILD, ShardPlan

SWEEP_SECONDS = 30


async def sweep(deps: MockDeps, shards: ShardPlan = EVERY_GUILD) -> SweepReport:
    """One pass over the guilds on this process's shards (tests call it directly after moving
    the clock). The caller keeps passes from overlapping."""
    report = SweepReport()
    now = deps.clock.now()
    settings: dict[int, MockSettings] = {}
    for mock in await deps.store.mocks.with_status("active", shards):
        if mock.guild_id not in settings:
            settings[mock.guild_id] = await deps.store.mocks.settings(mock.guild_id)
        try:
            await _sweep_round(deps, mock, now, settings[mock.guild_id], report)
        except Exception:
            # One broken round must not stop every other round's clock.
            log.exception("sweeping mock round %s failed", mock.round_id)
    for mock in await deps.store.mocks.scoring_due(now, shards):
        try:
            report.scored += await _retry_scorecard(deps, mock)
        except Exception:
            log.exception("scoring mock round %s failed", mock.round_id)
    for mock in await deps.store.mocks.with_status("opening", shards):
        if now - mock.started_at > STALE_OPENING:
            await deps.store.mocks.close(mock.round_id, "abandoned", "ended", now)
            report.released += 1
    return report


async def _retry_scorecard(deps: MockDeps, mock: MockRound) -> bool:
    if deps.locks.locked(mock.round_id):
        return False  # being scored right now
    async with deps.locks.hold(mock.round_id):
        fresh = await deps.store.mocks.get(mock.round_id)
        if fresh is None or fresh.status != "scoring":
            return False
        return await score(deps, fresh) is not None


async def _sweep_round(
    deps: MockDeps, mock: MockRound, now: datetime, settings: MockSettings, report: SweepReport
) -> None:
    if deps.locks.locked(mock.round_id):
        return  # a turn is in flight: the round is anything but idle
    async with deps.locks.hold(mock.round_id):
        fresh = await deps.store.mocks.get(mock.round_id)
        if fresh is None or not fresh.is_active:
            return
        reason = closing_reason(fresh, now, settings)
        if reason is not None:
            await close(deps, fresh, reason)
            report.closed += 1
            return
        if await ask_second_question(deps, fresh, now):
            report.second_questions += 1
        sent = await deps.store.mocks.sent_nudges(fresh.round_id)
        answers = candidate_count(await deps.store.mocks.turns(fresh.round_id))
        nudge, keys = due_nudge(fresh, now, sent, settings, answers)
        if nudge is None:
            return
        claimed = nudge.key in await deps.store.mocks.claim_nudges(fresh.round_id, keys, now)
        if claimed and nudge.kind != "second_question":  # that one's question was posted
            await quietly(deps.room.post_notice(fresh, nudge), "nudge", fresh)
            report.nudged += 1
