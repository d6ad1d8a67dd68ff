"""The daily question: configuring a guild's schedule and posting exactly once per local date."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from bot.content.schema import ROUNDS, Question, Round
from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.message import Command, Verbatim
from bot.domain.models import DailyPost, GuildConfig
from bot.domain.schedule import (
    format_rotation,
    local_date,
    next_post_at,
    parse_post_time,
    parse_rotation,
    parse_timezone,
    reserved_difficulties,
    scheduled_instant,
    slot_for,
)
from bot.domain.selection import LOW_POOL_WARNING, pick_question, unposted_count
from bot.i18n.locales import DISCORD_LOCALES
from bot.services.catalog import Catalog
from bot.services.daily_notices import encode
from bot.services.ports import AdminNotice, LowPool, PostProblem, Published, Publisher, PublishError
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store import Store

log = logging.getLogger(__name__)

# Automatic attempts per guild-local date (the cron job, catch-up, the retry sweep every 5
# minutes): about half an hour of retries, then a problem that needs an admin (a deleted channel,
# a refused permission) stops costing requests. `/daily now` still tries.
MAX_POST_ATTEMPTS = 6


@dataclass(frozen=True)
class PostOutcome:
    """`created` is True only for the call that actually sent the post; `reason` is for logs,
    `problem` why a post failed, for admins."""

    post: DailyPost | None
    created: bool
    reason: str
    problem: PostProblem | None = None


@dataclass(frozen=True)
class ScheduleSaved:
    config: GuildConfig
    next_post: datetime
    posted_today: bool


@dataclass(frozen=True)
class DailyStatus:
    config: GuildConfig | None
    next_post: datetime | None
    last_post: DailyPost | None
    remaining: dict[Round, int]
    today_posted: bool


class DailyService:
    def __init__(self, store: Store, catalog: Catalog, clock: Clock, publisher: Publisher) -> None:
        self._store = store
        self._catalog = catalog
        self._clock = clock
        self._publisher = publisher
        # One post attempt per guild at a time, so a cron fire and `/daily now` cannot interleave.
        self._guild_locks: dict[int, asyncio.Lock] = {}

    async def configure(
        self,
        guild_id: int,
        *,
        channel_id: int,
        time_text: str,
        timezone_text: str,
        ping_role_id: int | None,
        config_channel_id: int | None,
    ) -> ScheduleSaved:
        """Validate everything before saving anything; returns the config and the next post."""
        at = parse_post_time(time_text)
        zone = parse_timezone(timezone_text)
        now = self._clock.now()
        config = await self._store.guilds.save_schedule(
            guild_id,
            channel_id=channel_id,
            post_time=at,
            timezone=zone.key,
            ping_role_id=ping_role_id,
            config_channel_id=config_channel_id,
            now=now,
        )
        today = await self._store.posts.for_date(guild_id, local_date(now, zone).isoformat())
        posted_today = today is not None and today.status == "posted"
        return ScheduleSaved(
            config, next_post_at(now, at, zone, posted_today=posted_today), posted_today
        )

    async def set_paused(self, guild_id: int, paused: bool) -> GuildConfig:
        if not await self._store.guilds.set_paused(guild_id, paused, self._clock.now()):
            raise _not_set_up()
        config = await self._store.guilds.get(guild_id)
        assert config is not None
        return config

    async def set_language(self, guild_id: int, language: str | None) -> str | None:
        """The language of the server's channel posts, a Discord locale code; None follows the
        server's own preferred locale."""
        if language is not None and language not in DISCORD_LOCALES:
            raise UserError(
                "{language} is not a language Discord offers: pick one from the suggestions. "
                "Nothing was changed.",
                code="bad-language",
                language=Verbatim(language[:20]),
            )
        await self._store.guilds.set_language(guild_id, language, self._clock.now())
        return language

    async def language(self, guild_id: int) -> str | None:
        """The language an admin chose for the server's channel posts, if any."""
        return await self._store.guilds.language(guild_id)

    async def set_rotation(self, guild_id: int, text: str) -> str:
        rotation = format_rotation(parse_rotation(text))
        if not await self._store.guilds.set_rotation(guild_id, rotation, self._clock.now()):
            raise UserError(
                "Use {command} before changing the rotation.",
                code="not-setup",
                command=Command("/daily setup"),
            )
        return rotation

    async def status(self, guild_id: int) -> DailyStatus:
        config = await self._store.guilds.get(guild_id)
        times = await self._store.posts.times_posted(guild_id)
        candidates = await self._catalog.candidates(guild_id)
        remaining = {r: unposted_count(candidates, times, r) for r in ROUNDS}
        if config is None or not config.is_configured:
            return DailyStatus(config, None, None, remaining, False)
        assert config.post_time is not None
        now = self._clock.now()
        today = local_date(now, config.zone).isoformat()
        todays = await self._store.posts.for_date(guild_id, today)
        posted_today = todays is not None and todays.status == "posted"
        next_post = (
            None
            if config.paused
            else next_post_at(now, config.post_time, config.zone, posted_today=posted_today)
        )
        last = await self._store.posts.latest_posted(guild_id)
        return DailyStatus(config, next_post, last, remaining, posted_today)

    async def todays_post(self, guild_id: int) -> tuple[DailyPost, Question] | None:
        config = await self._store.guilds.get(guild_id)
        if config is None or not config.is_configured:
            return None
        post = await self._store.posts.latest_posted(guild_id)
        if post is None:
            return None
        question = await self._catalog.question(guild_id, post.question_id)
        return (post, question) if question else None

    def _lock(self, guild_id: int) -> asyncio.Lock:
        return self._guild_locks.setdefault(guild_id, asyncio.Lock())

    async def post_if_due(self, guild_id: int) -> PostOutcome:
        """The scheduler's entry point: post when today's time has come and nothing is posted."""
        config = await self._store.guilds.get(guild_id)
        if config is None or not config.is_configured or config.post_time is None:
            return PostOutcome(None, False, "not configured")
        if config.paused:
            return PostOutcome(None, False, "paused")
        now = self._clock.now()
        today = local_date(now, config.zone)
        due_at = scheduled_instant(today, config.post_time, config.zone)
        if now < due_at:
            return PostOutcome(None, False, "not yet")
        if config.schedule_changed_at is not None and config.schedule_changed_at > due_at:
            # `/daily setup` never posts by itself: a time already past when it was chosen
            # starts tomorrow.
            return PostOutcome(None, False, "configured after today's time")
        return await self._post(config, today.isoformat(), now, manual=False)

    async def post_now(self, guild_id: int) -> PostOutcome:
        config = await self._store.guilds.get(guild_id)
        if config is None or not config.is_configured:
            raise _not_set_up()
        now = self._clock.now()
        return await self._post(config, local_date(now, config.zone).isoformat(), now, manual=True)

    async def _post(
        self, config: GuildConfig, today: str, now: datetime, *, manual: bool
    ) -> PostOutcome:
        assert config.channel_id is not None
        async with self._lock(config.guild_id):
            post = await self._store.posts.for_date(config.guild_id, today)
            if post is not None and post.status == "posted":
                return await self._already_posted(config, post)
            if post is not None and not manual and post.attempts >= MAX_POST_ATTEMPTS:
                return PostOutcome(post, False, f"gave up after {post.attempts} attempts today")
            if post is None:
                post = await self._claim(config, today, now)
                if post is None:
                    return PostOutcome(None, False, "no questions available")
            return await self._send(config, post)

    async def _claim(self, config: GuildConfig, today: str, now: datetime) -> DailyPost | None:
        assert config.channel_id is not None
        slot = slot_for(datetime.fromisoformat(today).date(), config.rotation)
        candidates = await self._catalog.candidates(config.guild_id)
        times = await self._store.posts.times_posted(config.guild_id)
        choice = pick_question(
            candidates,
            times,
            round_name=slot.round,
            difficulty=slot.difficulty,
            seed=f"{config.guild_id}:{today}",
            reserved=reserved_difficulties(config.rotation, slot),
        )
        if choice is None:
            return None
        claimed = await self._store.posts.claim(
            config.guild_id,
            today,
            question_id=choice.question_id,
            round_name=choice.round,
            channel_id=config.channel_id,
            now=now,
        )
        return claimed or await self._store.posts.for_date(config.guild_id, today)

    async def _already_posted(self, config: GuildConfig, post: DailyPost) -> PostOutcome:
        """A post recorded without its thread (a crash or a failure between the two) gets it
        now, so the next day's reveal goes to the discussion."""
        if post.thread_id is not None:
            return PostOutcome(post, False, "already posted today")
        question = await self._catalog.question(config.guild_id, post.question_id)
        if question is None:
            return PostOutcome(post, False, "already posted today")
        settled, thread_note = await self._settle_thread(post, question)
        return PostOutcome(settled, False, f"already posted today; {thread_note}")

    async def _send(self, config: GuildConfig, post: DailyPost) -> PostOutcome:
        assert config.channel_id is not None
        question = await self._catalog.question(config.guild_id, post.question_id)
        if question is None:
            return PostOutcome(post, False, f"question {post.question_id} no longer exists")
        if post.attempts > 0:
            # An earlier attempt may have reached Discord before failing: look before resending.
            found = await self._publisher.find_published(post)
            if found is not None:
                return await self._adopt(config, post, found, question)
        await self._reveal_previous(config, post.local_date)
        await self._store.posts.begin_attempt(post.post_id, channel_id=config.channel_id)
        try:
            published = await self._publisher.publish_daily(
                _with_channel(post, config.channel_id), question, config.ping_role_id
            )
        except PublishError as exc:
            return await self._failed(config, post, exc)
        posted = await self._record(config, post, published.message_id, published.thread_id)
        # Threads come after the post itself: in a burst every guild gets its question first.
        posted, _ = await self._settle_thread(posted, question)
        return PostOutcome(posted, True, "posted")

    async def _adopt(
        self, config: GuildConfig, post: DailyPost, found: Published, question: Question
    ) -> PostOutcome:
        """An earlier attempt did reach the channel: record that post instead of sending it
        again, and give it the thread it may never have got."""
        posted = await self._record(config, post, found.message_id, found.thread_id)
        posted, thread_note = await self._settle_thread(posted, question)
        reason = f"found in the channel from an earlier attempt, not sent again; {thread_note}"
        log.info("daily post %s of guild %s %s", post.post_id, config.guild_id, reason)
        return PostOutcome(posted, False, reason)

    async def _settle_thread(self, post: DailyPost, question: Question) -> tuple[DailyPost, str]:
        """Open the post's discussion thread unless it has one; says what happened."""
        if post.thread_id is not None:
            return post, "its discussion thread was already there"
        thread_id = await self._publisher.open_discussion(post, question)
        if thread_id is None:
            return post, "its discussion thread could not be opened"
        await self._store.posts.set_thread(post.post_id, thread_id)
        settled = await self._store.posts.get(post.post_id)
        assert settled is not None
        return settled, "discussion thread opened"

    async def _failed(self, config: GuildConfig, post: DailyPost, exc: PublishError) -> PostOutcome:
        await self._store.posts.mark_failed(post.post_id)
        attempts = post.attempts + 1
        problem = PostProblem(
            exc.problem,
            exc.fix,
            dict(exc.params),
            gave_up_after=attempts if attempts >= MAX_POST_ATTEMPTS else 0,
        )
        await self._report_error(config, problem)
        failed = await self._store.posts.get(post.post_id)
        return PostOutcome(failed, False, f"failed: {exc}", problem)

    async def _record(
        self, config: GuildConfig, post: DailyPost, message_id: int, thread_id: int | None
    ) -> DailyPost:
        now = self._clock.now()
        await self._store.posts.mark_posted(
            post.post_id, message_id=message_id, thread_id=thread_id, now=now
        )
        if config.last_error:
            await self._store.guilds.set_error(config.guild_id, None, now)
        await self._warn_if_pool_low(config, post.round)
        posted = await self._store.posts.get(post.post_id)
        assert posted is not None
        return posted

    async def _reveal_previous(self, config: GuildConfig, today: str) -> None:
        for previous in await self._store.posts.unrevealed_before(config.guild_id, today):
            question = await self._catalog.question(config.guild_id, previous.question_id)
            if question is None:
                continue
            if not await self._store.posts.mark_revealed(previous.post_id, self._clock.now()):
                continue
            stats = await self._store.posts.stats(previous.post_id)
            try:
                await self._publisher.publish_reveal(previous, question, stats)
            except PublishError as exc:
                log.warning("reveal of post %s failed: %s", previous.post_id, exc.problem)

    async def _report_error(self, config: GuildConfig, problem: PostProblem) -> None:
        """Kept as the guild's last error; its admins hear of it once, not at every retry."""
        text = encode(problem)
        first_time = config.last_error != text
        await self._store.guilds.set_error(config.guild_id, text, self._clock.now())
        if first_time:
            await self._notify(config, problem)

    async def _notify(self, config: GuildConfig, notice: AdminNotice) -> None:
        if not config.config_channel_id:
            return
        try:
            await self._publisher.notify_admins(config.guild_id, config.config_channel_id, notice)
        except PublishError as exc:
            log.warning("could not tell admins of guild %s: %s", config.guild_id, exc)

    async def _warn_if_pool_low(self, config: GuildConfig, round_name: Round) -> None:
        candidates = await self._catalog.candidates(config.guild_id)
        times = await self._store.posts.times_posted(config.guild_id)
        left = unposted_count(candidates, times, round_name)
        notice = LowPool(left, round_name) if left < LOW_POOL_WARNING else None
        warning = encode(notice) if notice else None
        if warning != config.last_warning:
            await self._store.guilds.set_warning(config.guild_id, warning)
            if notice:
                await self._notify(config, notice)

    async def retry_failed(self, shards: ShardPlan = EVERY_GUILD) -> list[PostOutcome]:
        """Posts claimed for today but not sent (Discord or permissions failed): try again,
        up to MAX_POST_ATTEMPTS a day, for the guilds on this process's shards."""
        outcomes = []
        for post in await self._store.posts.unsent(shards):
            if post.attempts >= MAX_POST_ATTEMPTS:
                continue
            config = await self._store.guilds.get(post.guild_id)
            if config is None or not config.is_configured or config.paused:
                continue
            today = local_date(self._clock.now(), config.zone).isoformat()
            if post.local_date != today:
                continue
            outcomes.append(await self._post(config, today, self._clock.now(), manual=False))
        return outcomes


def _with_channel(post: DailyPost, channel_id: int) -> DailyPost:
    """A post retried after `/daily setup` moved the channel goes to the new channel."""
    return replace(post, channel_id=channel_id)


def _not_set_up() -> UserError:
    return UserError(
        "The daily question is not set up here yet: use {command} first.",
        code="not-setup",
        command=Command("/daily setup"),
    )
