"""The composition root: settings -> store -> services -> a Bot with its cogs."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import discord
import yarl
from discord.ext import commands

from bot.content.loader import QuestionBank, load_bank
from bot.domain.clock import Clock, SystemClock
from bot.host import Services, StudyBot
from bot.llm.base import Grader
from bot.llm.factory import configured_grader
from bot.services.catalog import Catalog
from bot.services.mocks.sweep import SWEEP_SECONDS as MOCK_SWEEP_SECONDS
from bot.services.privacy import PURGE_SWEEP_SECONDS
from bot.settings import Settings
from bot.sharding import ShardPlan
from bot.shutdown import finish_or_cancel
from bot.store import Store
from bot.throttle import Throttle
from bot.ui.answer_form import handle_answer_form
from bot.ui.command_translator import CommandTranslator
from bot.ui.components import PERSISTENT_ITEMS
from bot.ui.replies import report_error
from bot.ui.shared_limit import make_pacer
from bot.ui.shared_routes import shared_limits
from bot.ui.unrouted import answer_unrouted, mark_routing
from bot.wiring import build_services

log = logging.getLogger("bot")

COG_MODULES = (
    "bot.cogs.help",
    "bot.cogs.daily",
    "bot.cogs.leaderboard",
    "bot.cogs.rank",
    "bot.cogs.practice",
    "bot.cogs.questions",
    "bot.cogs.grading",
    "bot.cogs.peer",
    "bot.cogs.mock",
    "bot.cogs.privacy",
    "bot.cogs.web",
)
TREE_HASH_KEY = "command_tree_hash"
# DESIGN.md allows 10 s from SIGTERM to exit. One budget for everything the shutdown waits on
# (scheduled posts, background work, gradings, the client), leaving the rest for the interpreter.
SHUTDOWN_BUDGET_SECONDS = 8.0
# Kept back from the waiting for closing the gateway, the grader and the database.
CLOSE_RESERVE_SECONDS = 2.0
# Kept back, before that, for the work still under way to unwind once cancelled.
UNWIND_RESERVE_SECONDS = 2.0
# A cancelled grading unwinds at once; this only bounds a stuck one.
HAND_BACK_SECONDS = 1.0
PEER_SWEEP_SECONDS = 60


def point_at_discord(settings: Settings) -> None:
    """Aim discord.py's class-level endpoints at the configured API (the emulator sets them)."""
    discord.http.Route.BASE = settings.discord_api_base_url
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


# The bot never joins voice: discord.py's warnings about missing voice libraries are noise.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


def make_intents(settings: Settings) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.bot_message_content
    return intents


class InterviewBot(StudyBot):
    def __init__(
        self,
        settings: Settings,
        *,
        bank: QuestionBank | None = None,
        clock: Clock | None = None,
        grader: Grader | None = None,
        guild_ready_timeout: float = 2.0,
        sync_only: bool = False,
        **options: Any,
    ) -> None:
        shard_plan = ShardPlan.of(settings.bot_shard_count, settings.bot_shard_ids)
        shared = shared_limits(
            settings.bot_redis_url.get_secret_value() if settings.bot_redis_url else None,
            settings.discord_token.get_secret_value() if settings.discord_token else "",
            shard_plan,
        )
        if shared is not None:
            options["http_trace"] = shared.trace
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=make_intents(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            **options,
        )
        self._shared_limits = shared
        self.settings = settings
        self.shard_plan = shard_plan
        self.throttle = Throttle()
        self._bank = bank
        self._clock: Clock = clock or SystemClock()
        self._grader = grader
        self._services: Services | None = None
        self.synced_on_start = False
        # `python -m bot sync` builds the tree and pushes it; it neither schedules nor posts.
        self._sync_only = sync_only
        self._background: set[asyncio.Task[None]] = set()
        self.tree.error(self._on_app_command_error)

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are built in setup_hook")
        return self._services

    async def setup_hook(self) -> None:
        store = Store(self.settings.database_location())
        applied = await store.open()
        if applied:
            log.info("database migrated to version %s", applied[-1])
        bank = self._bank if self._bank is not None else load_bank()
        shared = self._shared_limits
        pacer = make_pacer(self.shard_plan, shared.posts_first if shared is not None else None)
        grader = self._grader or configured_grader(self.settings)
        self._services = build_services(
            self, store, Catalog(bank, store), grader, self._clock, pacer
        )
        for module in COG_MODULES:
            await self.load_extension(module)
        self.add_dynamic_items(*PERSISTENT_ITEMS)
        await self.tree.set_translator(CommandTranslator())
        if self._sync_only:
            return
        self.synced_on_start = await self.sync_commands(force=False)
        await self._start_background(self._services)

    async def _start_background(self, services: Services) -> None:
        """The schedules, the sweeps, and the catch-up after a restart."""
        scheduler = services.scheduler
        # With several processes, each schedules and catches up only its own shards' guilds.
        configs = [
            c for c in await services.store.guilds.scheduled() if self.shard_plan.owns(c.guild_id)
        ]
        scheduler.start(configs)
        # Every process tends the peer sessions and mock rounds of its own shards' guilds only,
        # so two processes never tend the same session.
        scheduler.scheduler.add_job(
            services.peers.sweep.run,
            "interval",
            args=[self.shard_plan],
            seconds=PEER_SWEEP_SECONDS,
            id="peer-sweep",
        )
        scheduler.scheduler.add_job(
            services.mocks.sweep,
            "interval",
            args=[self.shard_plan],
            seconds=MOCK_SWEEP_SECONDS,
            id="mock-sweep",
        )
        # Work not split by guild runs once for the whole bot: under a lock every process can
        # take (PostgreSQL), else in the process running shard 0 (one SQLite file, one host).
        if self.shard_plan.runs_shard_zero or services.store.db.shared_locks:
            # Guilds the bot left, once their retention has passed (any process may record a
            # departure; the database is shared).
            scheduler.scheduler.add_job(
                self._once_for_the_bot,
                "interval",
                args=["privacy-purge", services.privacy.purge_due],
                seconds=PURGE_SWEEP_SECONDS,
                id="privacy-purge",
            )
        # Catch-up: a post whose time passed today while the bot was down is made now, once.
        for config in configs:
            self._track(self._catch_up(config.guild_id))
        # A post claimed but not known to be sent (a crash, a Discord failure) is settled now
        # rather than at the retry sweep's next turn: found in the channel, or sent once.
        self._track(self._retry_unsent())
        # Answers a shutdown handed back (or a crash left pending) are graded now, not at the
        # retry sweep's next turn.
        self._track(self._regrade_waiting())

    async def _once_for_the_bot(
        self, name: str, work: Callable[[], Coroutine[Any, Any, object]]
    ) -> None:
        async with self.services.store.db.lock(name) as held:
            if held:
                await work()

    def _track(self, coro: Coroutine[Any, Any, None]) -> None:
        """Background work the shutdown waits for, so no write is cut off half-way."""
        task = self.loop.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _catch_up(self, guild_id: int) -> None:
        await self.wait_until_ready()
        try:
            outcome = await self.services.daily.post_if_due(guild_id)
            log.info("catch-up for guild %s: %s", guild_id, outcome.reason)
        except Exception:
            log.exception("catch-up for guild %s failed", guild_id)

    async def _retry_unsent(self) -> None:
        await self.wait_until_ready()
        try:
            await self.services.daily.retry_failed(self.shard_plan)
        except Exception:
            log.exception("retrying unsent daily posts failed")

    async def _regrade_waiting(self) -> None:
        await self.wait_until_ready()
        try:
            graded = await self.services.answers.retry_delayed(self.shard_plan)
            log.info("graded %d answer(s) waiting since before the start", graded)
        except Exception:
            log.exception("grading answers waiting since before the start failed")

    def _sync_guild(self) -> discord.Object | None:
        guild_id = self.settings.bot_dev_guild_id
        return discord.Object(id=guild_id) if guild_id else None

    async def tree_hash(self) -> str:
        """A digest of what a sync would send, localizations included."""
        guild = self._sync_guild()
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        translator = self.tree.translator
        payload = [
            await cmd.get_translated_payload(self.tree, translator)
            if translator
            else cmd.to_dict(self.tree)
            for cmd in self.tree.get_commands(guild=guild)
        ]
        blob = json.dumps(
            {"guild": guild.id if guild else None, "commands": payload}, sort_keys=True
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    async def sync_commands(self, *, force: bool) -> bool:
        """Sync only when the tree differs from the last synced one; returns whether it synced."""
        digest = await self.tree_hash()
        store = self.services.store
        # Processes starting together: one syncs, the others find the tree synced (or being so).
        async with store.db.lock("command-sync") as held:
            if not held:
                log.info("another process is syncing the command tree")
                return False
            if not force and await store.meta.get(TREE_HASH_KEY) == digest:
                log.info("command tree unchanged; not syncing")
                return False
            synced = await self.tree.sync(guild=self._sync_guild())
            await store.meta.set(TREE_HASH_KEY, digest)
        log.info("synced %d commands", len(synced))
        return True

    async def on_message(self, message: discord.Message, /) -> None:
        """No text commands here (the mention prefix would log every mention of the bot as an
        unknown command); cogs read the messages they need through listeners."""

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        if event_name == "interaction":
            mark_routing(self, args[0])
        super().dispatch(event_name, *args, **kwargs)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if not await handle_answer_form(interaction):
                await answer_unrouted(interaction)
        except discord.HTTPException as exc:
            log.warning("could not answer interaction %s: %s", interaction.id, exc)

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "ready: %s (%s) in %d guilds (%s)",
            user,
            user.id if user else "?",
            len(self.guilds),
            self.shard_plan.describe(),
        )

    async def _on_app_command_error(
        self, interaction: discord.Interaction[Any], error: discord.app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()  # self.loop is gone once the client has closed
        deadline = loop.time() + SHUTDOWN_BUDGET_SECONDS

        def left(reserve: float = 0.0) -> float:
            return max(deadline - reserve - loop.time(), 0.0)

        services = self._services
        under_way = set(self._background)
        if services is not None:
            services.scheduler.stop()
            under_way |= services.scheduler.under_way()
            # Gradings can take minutes: stopped now, their answers queued for the next start.
            await asyncio.gather(
                services.answers.hand_back(within=HAND_BACK_SECONDS),
                services.grading.stop_calls(within=HAND_BACK_SECONDS),
            )
        if not self.is_ready():
            # Each background task waits for ready before it writes anything: nothing to finish.
            for task in self._background:
                task.cancel()
        # Posts and threads under way (a fan-out, a catch-up) finish while the budget lasts; the
        # rest are cancelled and unwound before the HTTP session closes, which would otherwise
        # fail their requests mid-flight. A guild cut off catches up once at the next start.
        cancelled = await finish_or_cancel(
            under_way,
            finish_by=deadline - CLOSE_RESERVE_SECONDS - UNWIND_RESERVE_SECONDS,
            unwound_by=deadline - CLOSE_RESERVE_SECONDS,
        )
        if cancelled:
            log.info("stopped %d post(s) under way; they catch up at the next start", cancelled)
        try:
            async with asyncio.timeout(max(left(), 0.5)):
                await super().close()
        except TimeoutError:
            log.warning("closing the Discord client took too long; going on")
        if services is not None:
            await services.answers.grader.aclose()
            await services.store.close()
        if self._shared_limits is not None:
            await self._shared_limits.aclose()
        log.info("shut down in %.1f s", SHUTDOWN_BUDGET_SECONDS - left())


class ShardedInterviewBot(InterviewBot, commands.AutoShardedBot):
    """The same bot on `AutoShardedBot`: one gateway connection per shard it runs."""


def make_bot(settings: Settings, **kwargs: Any) -> InterviewBot:
    """The bot for these settings: sharded when BOT_SHARD_COUNT is set."""
    if settings.bot_shard_count is None:
        return InterviewBot(settings, **kwargs)
    ids = settings.bot_shard_ids
    return ShardedInterviewBot(
        settings,
        shard_count=settings.bot_shard_count,
        shard_ids=list(ids) if ids else None,
        **kwargs,
    )
