"""Leaderboards over the guild's own calendar, and each member's progress for `/rank`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.grading import Grade
from bot.domain.message import Command, Verbatim
from bot.domain.models import LeaderboardRow
from bot.domain.progress import (
    CriterionResult,
    GradedAnswer,
    Period,
    SeasonNotStarted,
    ThemeTrend,
    is_period_key,
    parse_season,
    period_key,
    period_label,
    round_averages,
    theme_trends,
)
from bot.domain.streaks import Streak, week_key
from bot.services.catalog import Catalog
from bot.services.points import PointsService
from bot.store import Store
from bot.store.points import ALL_ROUNDS

PAGE_SIZE = 10
# Deep pages are for browsing, not for scraping the whole guild.
MAX_PAGE = 999


@dataclass(frozen=True)
class ViewerRank:
    user_id: int
    rank: int | None  # None: no points in the period, or hidden
    points: int
    hidden: bool


@dataclass(frozen=True)
class BoardPage:
    key: str  # the summary period key: 'w2026-11-23', 'm2026-10' or 'all'
    label: str  # 'this week', 'October 2026', 'all time'
    round_name: str | None
    page: int  # from 0
    rows: list[LeaderboardRow]
    has_next: bool
    viewer: ViewerRank

    @property
    def viewer_on_page(self) -> bool:
        return any(row.user_id == self.viewer.user_id for row in self.rows)


@dataclass(frozen=True)
class RankProfile:
    user_id: int
    name: str
    hidden: bool
    total: int
    rank: int | None  # all time, among visible members
    week_points: int
    week_rank: int | None
    streak: Streak
    round_averages: dict[str, float]  # 0..5
    answers: list[GradedAnswer]  # oldest first
    trends: list[ThemeTrend]  # weakest first
    # False: another member's card without their grades, weak spots and chart (not shared)
    details: bool = True
    shared: bool = False  # the member lets others see their details


async def graded_answers(
    store: Store, catalog: Catalog, guild_id: int, user_id: int
) -> list[GradedAnswer]:
    """The member's graded answers with their round and rubric scores, oldest first."""
    rounds: dict[str, str | None] = {}
    graded = []
    for row in await store.progress.graded_history(guild_id, user_id):
        round_name = row.round
        if round_name is None:
            if row.question_id not in rounds:
                question = await catalog.question(guild_id, row.question_id)
                rounds[row.question_id] = question.round if question else None
            round_name = rounds[row.question_id]
        if round_name is None:
            continue  # a custom question deleted since: its round is unknown
        grade = Grade.from_dict(row.detail)
        graded.append(
            GradedAnswer(
                question_id=row.question_id,
                round=round_name,
                source=row.source,
                overall=row.overall,
                max=row.max_score,
                submitted_at=row.submitted_at,
                criteria=tuple(
                    CriterionResult(c.name, c.score, c.max, c.weight) for c in grade.criteria
                ),
            )
        )
    return graded


class LeaderboardService:
    def __init__(self, store: Store, clock: Clock, catalog: Catalog, points: PointsService) -> None:
        self._store = store
        self._clock = clock
        self._catalog = catalog
        self._points = points

    async def board(
        self,
        guild_id: int,
        viewer_id: int,
        period: Period,
        round_name: str | None,
        season: str | None = None,
    ) -> BoardPage:
        """The first page of `/leaderboard`; a season (YYYY-MM) shows that month."""
        today = await self._points.today(guild_id)
        if season:
            try:
                key = parse_season(season, today)
            except SeasonNotStarted:
                raise UserError(
                    "{season}: that month has not started yet. Nothing to show.",
                    code="season",
                    season=Verbatim(season[:20]),
                ) from None
            except ValueError:
                raise UserError(
                    "{season}: a season is a month written YYYY-MM, e.g. 2026-10. Nothing to show.",
                    code="season",
                    season=Verbatim(season[:20]),
                ) from None
        else:
            key = period_key(period, today)
        return await self.page(guild_id, viewer_id, key, round_name, 0)

    async def page(
        self, guild_id: int, viewer_id: int, key: str, round_name: str | None, page: int
    ) -> BoardPage:
        """One page of a board whose period is fixed by its key, so a button pressed next week
        still pages through the week it was made for."""
        if not is_period_key(key) or not 0 <= page <= MAX_PAGE:
            raise UserError("That leaderboard page no longer exists.", code="bad-page")
        today = await self._points.today(guild_id)
        round_key = round_name or ALL_ROUNDS
        standings = await self._store.points.page(
            guild_id, key, round_key, offset=page * PAGE_SIZE, limit=PAGE_SIZE + 1
        )
        rows: list[LeaderboardRow] = []
        for i, standing in enumerate(standings[:PAGE_SIZE]):
            if rows and rows[-1].points == standing.points:
                rank = rows[-1].rank  # ties share a rank
            elif i == 0 and page > 0:
                rank = 1 + await self._store.points.count_above(
                    guild_id, key, round_key, standing.points
                )
            else:
                rank = page * PAGE_SIZE + i + 1
            rows.append(LeaderboardRow(rank, standing.user_id, standing.name, standing.points))
        return BoardPage(
            key=key,
            label=period_label(key, today),
            round_name=round_name,
            page=page,
            rows=rows,
            has_next=len(standings) > PAGE_SIZE and page < MAX_PAGE,
            viewer=await self._viewer(guild_id, viewer_id, key, round_key),
        )

    async def _viewer(self, guild_id: int, user_id: int, key: str, round_key: str) -> ViewerRank:
        member = await self._store.members.get(guild_id, user_id)
        if member is not None and member.hidden:
            return ViewerRank(user_id, None, 0, hidden=True)
        totals = await self._store.points.totals(guild_id, user_id, (key,))
        points = totals.get((key, round_key), 0)
        if points <= 0:
            return ViewerRank(user_id, None, 0, hidden=False)
        above = await self._store.points.count_above(guild_id, key, round_key, points)
        return ViewerRank(user_id, above + 1, points, hidden=False)

    async def profile(
        self, guild_id: int, viewer_id: int, user_id: int, name: str, *, chart: bool = False
    ) -> RankProfile:
        """Points, rank and streak for anyone; grades per round, weakest themes and the chart
        only for the member themself, or for others when the member shares them."""
        member = await self._store.members.get(guild_id, user_id)
        hidden = member is not None and member.hidden
        own = viewer_id == user_id
        if hidden and not own:
            raise UserError("That member keeps their progress private.", code="hidden")
        details = own or (member is not None and member.shares_progress)
        if chart and not details:
            raise UserError(
                "{name} keeps their grades to themself, so there is no chart to show; {command} "
                "without {option} shows their points, rank and streak.",
                code="progress-private",
                name=member.display_name if member else name,
                command=Command("/rank"),
                option=Verbatim("chart"),
            )
        week = week_key(await self._points.today(guild_id))
        totals = await self._store.points.totals(guild_id, user_id, ("all", week))
        total = totals.get(("all", ALL_ROUNDS), 0)
        week_points = totals.get((week, ALL_ROUNDS), 0)
        answers = (
            await graded_answers(self._store, self._catalog, guild_id, user_id) if details else []
        )
        return RankProfile(
            user_id=user_id,
            name=member.display_name if member else name,
            hidden=hidden,
            total=total,
            rank=await self._rank(guild_id, "all", total, hidden),
            week_points=week_points,
            week_rank=await self._rank(guild_id, week, week_points, hidden),
            streak=await self._points.streak(guild_id, user_id),
            round_averages=round_averages(answers),
            answers=answers,
            trends=theme_trends(answers),
            details=details,
            shared=member is not None and member.shares_progress,
        )

    async def share_progress(
        self, guild_id: int, user_id: int, display_name: str, shared: bool
    ) -> bool:
        """Let other members see (or stop them seeing) the member's grades on /rank; False
        when it already was so."""
        return await self._store.members.set_progress_shared(
            guild_id, user_id, display_name, shared
        )

    async def _rank(self, guild_id: int, key: str, points: int, hidden: bool) -> int | None:
        if hidden or points <= 0:
            return None
        return 1 + await self._store.points.count_above(guild_id, key, ALL_ROUNDS, points)
