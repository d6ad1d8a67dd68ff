"""Points, streaks and milestones: every award goes through here (or through the store's
`award`, which applies the daily cap on its own), and the streak bonus and milestone roles follow
from the work recorded."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.grading import Grade
from bot.domain.models import StoredAnswer
from bot.domain.points import (
    KIND_DAILY,
    KIND_PRACTICE,
    daily_answer_points,
    practice_answer_points,
)
from bot.domain.progress import ProgressSettings
from bot.domain.schedule import local_date
from bot.domain.streaks import (
    MAX_FREEZES_PER_WEEK,
    MAX_RESTORE_DAYS,
    Streak,
    StreakHistory,
    compute_streak,
    history_start,
    month_key,
)
from bot.store import Store
from bot.store.points import ALL_ROUNDS, Awarded, PointsClaim
from bot.store.progress import AuditEntry
from bot.store.streaks import Milestone, StreakRewards

log = logging.getLogger(__name__)

TOP_PLACES = 3


class MemberRoles(Protocol):
    """Gives and takes milestone roles on Discord; False when Discord refused."""

    async def add_role(self, guild_id: int, user_id: int, role_id: int, reason: str) -> bool: ...

    async def remove_role(self, guild_id: int, user_id: int, role_id: int, reason: str) -> bool: ...


@dataclass(frozen=True)
class Award:
    points: int  # what the work counts for, after the daily cap
    raw: int  # what it was worth
    streak_bonus: int  # given now (0 when today's bonus was already given)


@dataclass(frozen=True)
class RestoreOutcome:
    days: tuple[date, ...]
    before: int
    after: int


class PointsService:
    def __init__(self, store: Store, clock: Clock, roles: MemberRoles | None = None) -> None:
        self._store = store
        self._clock = clock
        self._roles = roles

    async def today(self, guild_id: int) -> date:
        return local_date(self._clock.now(), await self._store.guilds.zone(guild_id))

    async def answer_claim(
        self, answer: StoredAnswer, round_name: str, grade: Grade, hints_used: int
    ) -> PointsClaim:
        """Points for a graded daily or practice answer, on the local day it was submitted (a
        resubmission keeps the first day: the answer counts once), to be stored with the grade
        (`AnswerRepo.save_grade`) and then passed to `after_award`."""
        if answer.source == "practice":
            kind, ref = KIND_PRACTICE, str(answer.answer_id)
            raw = practice_answer_points(
                grade.overall, grade.max, injection_attempt=grade.injection_attempt
            )
        else:
            kind, ref = KIND_DAILY, str(answer.post_id)
            raw = daily_answer_points(
                grade.overall, grade.max, hints_used, injection_attempt=grade.injection_attempt
            )
        return await self.claim(
            guild_id=answer.guild_id,
            user_id=answer.user_id,
            kind=kind,
            ref=ref,
            round_name=round_name,
            amount=raw,
            at=answer.submitted_at,
        )

    async def claim(
        self,
        *,
        guild_id: int,
        user_id: int,
        kind: str,
        ref: str,
        round_name: str | None,
        amount: int,
        at: datetime | None = None,
    ) -> PointsClaim:
        """Work worth `amount` (a mock round, a peer session, feedback...) on the guild's local
        day of `at` (now by default)."""
        when = at or self._clock.now()
        day = local_date(when, await self._store.guilds.zone(guild_id))
        return PointsClaim(guild_id, user_id, kind, ref, round_name, amount, day.isoformat())

    @property
    def gives_milestone_roles(self) -> bool:
        """Whether a grade's transaction should claim streak milestones (their roles are given
        here, on Discord, once it committed)."""
        return self._roles is not None

    async def after_award(
        self, claim: PointsClaim, awarded: Awarded, rewards: StreakRewards | None
    ) -> Award:
        """After the points, the day's streak bonus and the milestones' claims are stored (with
        the work they are for, `AnswerRepo.save_grade`): the milestone roles and the month's
        top-three roles on Discord. A milestone whose role Discord refused is released, so a
        later award tries again."""
        if not awarded.recorded or rewards is None:
            return Award(0, claim.amount, 0)
        for milestone in rewards.milestones:
            await self._give_milestone_role(claim.guild_id, claim.user_id, milestone)
        await self._settle_month(
            claim.guild_id, await self._store.progress.settings(claim.guild_id)
        )
        return Award(awarded.points, claim.amount, rewards.bonus)

    async def _give_milestone_role(self, guild_id: int, user_id: int, milestone: Milestone) -> None:
        if self._roles is None:
            return
        reason = f"{milestone.days}-day streak"
        if not await self._roles.add_role(guild_id, user_id, milestone.role_id, reason):
            await self._store.progress.release_milestone(guild_id, user_id, milestone.name)

    async def _history(self, guild_id: int, user_id: int, today: date) -> StreakHistory:
        since = history_start(today).isoformat()
        worked = await self._store.points.worked_days(guild_id, user_id, since)
        restored = await self._store.progress.restored_days(guild_id, user_id, since)
        return StreakHistory(
            worked=frozenset(date.fromisoformat(d) for d in worked),
            restored=frozenset(date.fromisoformat(d) for d in restored),
        )

    async def streak(self, guild_id: int, user_id: int) -> Streak:
        settings = await self._store.progress.settings(guild_id)
        today = await self.today(guild_id)
        history = await self._history(guild_id, user_id, today)
        return compute_streak(history, today, settings.freezes_per_week)

    async def _settle_month(self, guild_id: int, settings: ProgressSettings) -> None:
        """Once a month has closed in the guild's calendar, its top three get the month role
        (taken from the month before's), hidden members excepted."""
        role_id = settings.top3_role_id
        if self._roles is None or role_id is None:
            return
        closed = (await self.today(guild_id)).replace(day=1) - timedelta(days=1)
        season = month_key(closed)
        if await self._store.progress.season_settled(guild_id, season):
            return
        standings = await self._store.points.page(guild_id, season, ALL_ROUNDS, offset=0, limit=10)
        # Ties share a place, so a tie for third gives the role to everyone tied.
        cutoff = standings[min(len(standings), TOP_PLACES) - 1].points if standings else 0
        winners = [(s.user_id, s.points) for s in standings if s.points >= cutoff]
        if not await self._store.progress.settle_season(
            guild_id, season, winners, self._clock.now()
        ):
            return
        earlier = month_key(closed.replace(day=1) - timedelta(days=1))
        reason = f"top three of {season[1:]}"
        for user_id in await self._store.progress.season_winners(guild_id, earlier):
            if user_id not in dict(winners):
                await self._roles.remove_role(guild_id, user_id, role_id, reason)
        for user_id, _ in winners:
            await self._roles.add_role(guild_id, user_id, role_id, reason)

    async def restore_streak(
        self, guild_id: int, *, actor_id: int, user_id: int, reason: str | None
    ) -> RestoreOutcome:
        """An admin fills the missed days that broke the member's latest streak; audited."""
        settings = await self._store.progress.settings(guild_id)
        today = await self.today(guild_id)
        history = await self._history(guild_id, user_id, today)
        before = compute_streak(history, today, settings.freezes_per_week)
        days = before.break_gap
        if not days:
            raise UserError(
                "That member has no broken streak to restore: there is no earlier streak to "
                "join. Nothing was changed.",
                code="nothing-to-restore",
            )
        if len(days) > MAX_RESTORE_DAYS:
            raise UserError(
                "That streak broke {days} days ago; a restore fills at most {limit} missed days. "
                "Nothing was changed.",
                code="restore-too-long",
                days=len(days),
                limit=MAX_RESTORE_DAYS,
            )
        restored = StreakHistory(history.worked, history.restored | frozenset(days))
        after = compute_streak(restored, today, settings.freezes_per_week)
        detail: dict[str, Any] = {
            "days": [d.isoformat() for d in days],
            "streak_before": before.current,
            "streak_after": after.current,
            "reason": reason,
        }
        await self._store.progress.restore(
            guild_id, user_id, days, actor_id=actor_id, detail=detail, now=self._clock.now()
        )
        return RestoreOutcome(days, before.current, after.current)

    async def settings(self, guild_id: int) -> ProgressSettings:
        return await self._store.progress.settings(guild_id)

    async def audit(self, guild_id: int, limit: int = 10) -> list[AuditEntry]:
        return await self._store.progress.audit_entries(guild_id, limit)

    async def set_freezes(self, guild_id: int, *, actor_id: int, per_week: int) -> ProgressSettings:
        if not 0 <= per_week <= MAX_FREEZES_PER_WEEK:
            raise UserError(
                "Freezes per week must be between 0 and {limit}. Nothing was changed.",
                code="bad-freezes",
                limit=MAX_FREEZES_PER_WEEK,
            )
        return await self._store.progress.update_settings(
            guild_id,
            {"freezes_per_week": per_week},
            actor_id=actor_id,
            action="set_freezes",
            now=self._clock.now(),
        )

    async def set_milestone_roles(
        self,
        guild_id: int,
        *,
        actor_id: int,
        streak7: int | None,
        streak30: int | None,
        top3: int | None,
    ) -> ProgressSettings:
        return await self._store.progress.update_settings(
            guild_id,
            {"streak7_role_id": streak7, "streak30_role_id": streak30, "top3_role_id": top3},
            actor_id=actor_id,
            action="set_milestone_roles",
            now=self._clock.now(),
        )
