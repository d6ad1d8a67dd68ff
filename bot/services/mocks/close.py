"""Closing a round, once, whoever closes it first: the member or an admin with /mock end, or
the sweep when the time box or the member's silence runs out. A round with answers is scored."""

from __future__ import annotations

from bot.domain.errors import UserError
from bot.domain.message import Channel, Command, Member
from bot.domain.mock import EndReason, MockRound, candidate_count
from bot.services.mocks.deps import MockDeps, quietly, require_active
from bot.services.mocks.ports import RoundClosed
from bot.services.mocks.results import EndOutcome
from bot.services.mocks.score import score


async def end(
    deps: MockDeps,
    *,
    guild_id: int,
    thread_id: int,
    user_id: int,
    display_name: str,
    is_admin: bool,
) -> EndOutcome:
    mock = await deps.store.mocks.by_thread(thread_id)
    if mock is None or mock.guild_id != guild_id:
        current = await deps.store.mocks.current(guild_id, user_id)
        if current is not None and current.thread_id:
            raise UserError(
                "Use {command} inside your round's thread: {thread}.",
                code="wrong-place",
                command=Command("/mock end"),
                thread=Channel(current.thread_id),
            )
        raise UserError(
            "You have no mock round running. Start one with {command}.",
            code="no-round",
            command=Command("/mock start"),
        )
    if user_id != mock.user_id and not is_admin:
        raise UserError(
            "Only {member} (or an admin) can end this round.",
            code="not-candidate",
            member=Member(mock.user_id),
        )
    if user_id != mock.user_id:
        # The scorecard names the admin who ended someone else's round.
        await deps.store.members.remember(guild_id, user_id, display_name)
    async with deps.locks.hold(mock.round_id):
        current_round = require_active(await deps.store.mocks.get(mock.round_id), guild_id)
        return await close(deps, current_round, "ended", by=user_id)


async def close(
    deps: MockDeps, mock: MockRound, reason: EndReason, *, by: int | None = None
) -> EndOutcome:
    """Close the round (under its lock) and score it, or say there is nothing to score."""
    now = deps.clock.now()
    answers = candidate_count(await deps.store.mocks.turns(mock.round_id))
    status = "scoring" if answers else "abandoned"
    if not await deps.store.mocks.close(mock.round_id, status, reason, now, by=by):
        return EndOutcome(mock, None, False)
    closed = await deps.store.mocks.get(mock.round_id)
    assert closed is not None
    if not answers:
        notice = RoundClosed(reason, scored=False)
        await quietly(deps.room.post_notice(closed, notice), "notice", closed)
        await quietly(deps.room.archive(closed), "archive", closed)
        return EndOutcome(closed, None, False)
    if reason != "ended":
        notice = RoundClosed(reason, scored=True)
        await quietly(deps.room.post_notice(closed, notice), "notice", closed)
    card = await score(deps, closed)
    scored = await deps.store.mocks.get(mock.round_id)
    return EndOutcome(scored or closed, card, card is None or card.follows)
