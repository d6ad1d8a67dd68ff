"""APScheduler wiring: one cron job per guild in its own timezone, plus the retry sweeps."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.domain.models import GuildConfig
from bot.services.answers import AnswerService
from bot.services.daily import DailyService, PostOutcome
from bot.sharding import EVERY_GUILD, ShardPlan

log = logging.getLogger(__name__)

RETRY_POSTS_SECONDS = 300
RETRY_GRADES_SECONDS = 60

T = TypeVar("T")


def job_id(guild_id: int) -> str:
    return f"daily:{guild_id}"


class DailyScheduler:
    def __init__(
        self, daily: DailyService, answers: AnswerService, shards: ShardPlan = EVERY_GUILD
    ) -> None:
        self._daily = daily
        self._answers = answers
        # Jobs and sweeps only for the guilds on this process's shards.
        self.shards = shards
        # The posts under way (a job's work runs in a task of its own), so the shutdown can let
        # them finish or cancel them before the HTTP session closes.
        self._under_way: set[asyncio.Task[Any]] = set()
        # A job that fires late (a busy loop, a slow start) should still run, once.
        self.scheduler = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
        )

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def start(self, configs: list[GuildConfig]) -> None:
        """Start once (needs the running loop) and build every guild's job from the database."""
        if self.scheduler.running:
            return
        for config in configs:
            self.schedule(config)
        self.scheduler.add_job(
            self.retry_posts,
            "interval",
            seconds=RETRY_POSTS_SECONDS,
            id="retry-posts",
        )
        self.scheduler.add_job(
            self._answers.retry_delayed,
            "interval",
            args=[self.shards],
            seconds=RETRY_GRADES_SECONDS,
            id="retry-grades",
        )
        self.scheduler.start()

    def schedule(self, config: GuildConfig) -> None:
        """(Re)build one guild's job after any settings change; a paused guild has none."""
        self.unschedule(config.guild_id)
        if not config.is_configured or config.paused or config.post_time is None:
            return
        if not self.shards.owns(config.guild_id):
            return
        trigger = CronTrigger(
            hour=config.post_time.hour, minute=config.post_time.minute, timezone=config.zone
        )
        self.scheduler.add_job(
            self.fire,
            trigger,
            args=[config.guild_id],
            id=job_id(config.guild_id),
            replace_existing=True,
        )

    def unschedule(self, guild_id: int) -> None:
        if self.scheduler.get_job(job_id(guild_id)) is not None:
            self.scheduler.remove_job(job_id(guild_id))

    def next_run(self, guild_id: int) -> Any:
        job = self.scheduler.get_job(job_id(guild_id))
        return job.next_run_time if job else None

    async def fire(self, guild_id: int) -> None:
        """The cron job's body: post if today's time has come (the daily service decides)."""
        await self._track(self._post_if_due(guild_id))

    async def retry_posts(self) -> list[PostOutcome]:
        """The retry sweep's body: this process's posts claimed today but not sent."""
        return await self._track(self._daily.retry_failed(self.shards)) or []

    async def _post_if_due(self, guild_id: int) -> None:
        try:
            outcome = await self._daily.post_if_due(guild_id)
            log.info("daily job for guild %s: %s", guild_id, outcome.reason)
        except Exception:
            log.exception("daily job for guild %s failed", guild_id)

    async def _track(self, work: Coroutine[Any, Any, T]) -> T | None:
        """Run a job's work in a task the shutdown can see. A job cancelled by the shutdown ends
        quietly (APScheduler would log the cancellation of its own task as an error); the post
        catches up at the next start."""
        task = asyncio.create_task(work)
        self._under_way.add(task)
        task.add_done_callback(self._under_way.discard)
        await asyncio.wait({task})
        return None if task.cancelled() else task.result()

    def stop(self) -> None:
        """Stop firing; jobs already running go on (see `under_way`)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def under_way(self) -> set[asyncio.Task[Any]]:
        """The jobs still running: after `stop`, the shutdown finishes or cancels them."""
        return set(self._under_way)
