"""A member's control over what the bot keeps about them in one guild (export, delete, hide),
the one-time notice that answers go to Anthropic, and the purge of a guild the bot left."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.message import Channel, Command
from bot.domain.models import GuildConfig
from bot.store import Store
from bot.store._convert import to_iso
from bot.store.privacy import Busy
from bot.store.privacy_coverage import MEMBER_COLUMNS, OnDelete

log = logging.getLogger(__name__)

# The notice shown before a member's first answer is sent to Anthropic.
AI_NOTICE = "ai_grading"
# How often the scheduler looks for guilds whose retention has passed.
PURGE_SWEEP_SECONDS = 3600
EXPORT_FORMAT = "interview-prep-bot/privacy-export/1"


@dataclass(frozen=True)
class MemberExport:
    guild_id: int
    user_id: int
    exported_at: datetime
    sections: dict[str, list[dict[str, Any]]]

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.sections.items()}

    def document(self) -> dict[str, Any]:
        return {
            "format": EXPORT_FORMAT,
            "about": (
                "Everything this bot stores about you in one Discord server. Ids are Discord "
                "ids; times are UTC (ISO 8601)."
            ),
            "guild_id": self.guild_id,
            "user_id": self.user_id,
            "exported_at": to_iso(self.exported_at),
            **self.sections,
        }


@dataclass(frozen=True)
class Footprint:
    """What `/privacy delete` would do, in rows per export section: removed, or kept without
    the member's id (shared with a partner or the guild); and the points that go."""

    removed: dict[str, int]
    unnamed: dict[str, int]
    points: int

    @property
    def empty(self) -> bool:
        return not any(self.removed.values()) and not any(self.unnamed.values())


def _split(counts: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """Counts per section, split by what deletion does to them (derived rows left out)."""
    handling = {c.section: c.on_delete for c in MEMBER_COLUMNS.values()}
    removed = {k: n for k, n in counts.items() if n and handling[k] is OnDelete.DELETE}
    unnamed = {k: n for k, n in counts.items() if n and handling[k] is OnDelete.ANONYMISE}
    return removed, unnamed


@dataclass(frozen=True)
class Rejoined:
    purge_cancelled: bool
    config: GuildConfig | None  # the guild's daily settings, to schedule again


@dataclass(frozen=True)
class Reconciled:
    recorded: list[int]  # left while the bot was offline: departures recorded now
    cancelled: list[int]  # back while the bot was offline: purges cancelled
    away: set[int]  # every guild now waiting for its purge


def _busy_error(busy: Busy) -> UserError:
    again = Command("/privacy delete")
    if busy.what == "mock_round":
        if busy.thread_id:
            return UserError(
                "You have a mock round running in {thread}. Finish it with {end} there (or let "
                "it close), then run {command} again. Nothing was deleted.",
                code="busy",
                thread=Channel(busy.thread_id),
                end=Command("/mock end"),
                command=again,
            )
        return UserError(
            "You have a mock round running. Finish it with {end} there (or let it close), then "
            "run {command} again. Nothing was deleted.",
            code="busy",
            end=Command("/mock end"),
            command=again,
        )
    if busy.thread_id:
        return UserError(
            "You are in a peer session in {thread} right now. End it first, then run {command} "
            "again. Nothing was deleted.",
            code="busy",
            thread=Channel(busy.thread_id),
            command=again,
        )
    return UserError(
        "You are in a peer session right now. End it first, then run {command} again. Nothing "
        "was deleted.",
        code="busy",
        command=again,
    )


class PrivacyService:
    def __init__(
        self, store: Store, clock: Clock, *, ai_grading: bool, retention: timedelta
    ) -> None:
        self._store = store
        self._clock = clock
        # Answers go to Anthropic only with the Claude grader; the offline grader keeps them here.
        self._ai_grading = ai_grading
        self.retention = retention

    # ------------------------------------------------------------------ one member
    async def export(self, guild_id: int, user_id: int) -> MemberExport:
        sections = await self._store.privacy.export_member(guild_id, user_id)
        return MemberExport(guild_id, user_id, self._clock.now(), sections)

    async def footprint(self, guild_id: int, user_id: int) -> Footprint:
        """What a deletion would remove; refuses while something is still running."""
        busy = await self._store.privacy.busy(guild_id, user_id)
        if busy is not None:
            raise _busy_error(busy)
        removed, unnamed = _split(await self._store.privacy.footprint(guild_id, user_id))
        return Footprint(removed, unnamed, await self._store.points.total(guild_id, user_id))

    async def delete(self, guild_id: int, user_id: int) -> Footprint:
        """Everything about the member in the guild, in one transaction; the boards follow
        from the points triggers. Returns what was removed and what was kept unnamed."""
        points = await self._store.points.total(guild_id, user_id)
        changed = await self._store.privacy.delete_member(guild_id, user_id)
        if isinstance(changed, Busy):
            raise _busy_error(changed)
        log.info("deleted the data of member %s in guild %s", user_id, guild_id)
        return Footprint(*_split(changed), points)

    # ------------------------------------------------------------------ one member, every guild
    # For requests from outside Discord (`python -m bot privacy`): a member who left a server,
    # or deleted their account, can no longer run /privacy there.
    async def export_everywhere(self, user_id: int) -> list[MemberExport]:
        return [await self.export(g, user_id) for g in await self.guilds_of(user_id)]

    async def footprint_everywhere(self, user_id: int) -> dict[int, Footprint]:
        """What deleting would do in each guild; refuses (naming it) while something runs."""
        return {g: await self.footprint(g, user_id) for g in await self.guilds_of(user_id)}

    async def delete_everywhere(self, user_id: int) -> dict[int, Footprint]:
        """Each guild's deletion is all or nothing; a busy guild stops the run (guilds already
        done stay done, and running it again finishes the rest)."""
        return {g: await self.delete(g, user_id) for g in await self.guilds_of(user_id)}

    async def guilds_of(self, user_id: int) -> list[int]:
        return await self._store.privacy.member_guilds(user_id)

    async def hide(self, guild_id: int, user_id: int, display_name: str) -> bool:
        """Leave the guild's boards (and milestone roles, and others' `/rank`); False when
        already hidden."""
        return await self._store.privacy.set_hidden(guild_id, user_id, display_name, True)

    async def show(self, guild_id: int, user_id: int) -> bool:
        return await self._store.privacy.set_hidden(guild_id, user_id, "", False)

    async def notice_due(self, guild_id: int, user_id: int) -> bool:
        """Whether the member should see the AI notice before answering: once, and only when
        answers really go to Anthropic."""
        if not self._ai_grading:
            return False
        return not await self._store.privacy.notice_seen(guild_id, user_id, AI_NOTICE)

    async def notice_shown(self, guild_id: int, user_id: int) -> None:
        await self._store.privacy.mark_notice_seen(guild_id, user_id, AI_NOTICE, self._clock.now())

    # ------------------------------------------------------------------ whole guilds
    def purge_at(self, left_at: datetime) -> datetime:
        return left_at + self.retention

    async def guild_left(self, guild_id: int) -> bool:
        """Start the guild's retention period; False when it had already started."""
        recorded = await self._store.privacy.record_departure(guild_id, self._clock.now())
        if recorded:
            log.info(
                "left guild %s: its data is purged after %s unless the bot is added back",
                guild_id,
                self.purge_at(self._clock.now()).date(),
            )
        return recorded

    async def guild_joined(self, guild_id: int) -> Rejoined:
        cancelled = await self._store.privacy.cancel_departure(guild_id)
        if cancelled:
            log.info("back in guild %s: its data is kept", guild_id)
        return Rejoined(cancelled, await self._store.guilds.get(guild_id))

    async def reconcile(self, present: Collection[int], owns: Callable[[int], bool]) -> Reconciled:
        """At connect: the guilds this process serves that are gone (left while the bot was
        offline: no event said so) start their retention; those back again cancel theirs."""
        pending = await self._store.privacy.pending_departures()
        cancelled = [g for g in sorted(pending) if g in present]
        for guild_id in cancelled:
            await self._store.privacy.cancel_departure(guild_id)
        recorded = []
        for guild_id in sorted(await self._store.privacy.guilds_with_data()):
            if guild_id in present or guild_id in pending or not owns(guild_id):
                continue
            if await self.guild_left(guild_id):
                recorded.append(guild_id)
        away = (pending - set(cancelled)) | set(recorded)
        return Reconciled(recorded, cancelled, away)

    async def purge_due(self) -> list[int]:
        """The sweep: purge every guild whose retention has passed; returns their ids."""
        cutoff = self._clock.now() - self.retention
        purged = []
        for departure in await self._store.privacy.departures_before(cutoff):
            rows = await self._store.privacy.purge_guild(departure.guild_id, cutoff)
            if rows is None:
                continue  # the bot was added back meanwhile
            log.info(
                "purged guild %s (left %s): %d rows deleted",
                departure.guild_id,
                departure.left_at.date(),
                rows,
            )
            purged.append(departure.guild_id)
        return purged
