"""`python -m bot privacy export|delete --user ID`: a member's data request from outside Discord
(they left the server, or deleted their account, and can no longer run /privacy), over every
server the bot stores something for. The same rules as /privacy: rows shared with a partner or
the server are kept without the member's id."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import timedelta

from bot.domain.clock import SystemClock
from bot.domain.errors import UserError
from bot.services.privacy import EXPORT_FORMAT, Footprint, PrivacyService
from bot.settings import Settings
from bot.store import Store
from bot.store._convert import to_iso


def _service(store: Store, settings: Settings) -> PrivacyService:
    retention = timedelta(days=settings.bot_guild_retention_days)
    return PrivacyService(store, SystemClock(), ai_grading=False, retention=retention)


def _footprint_lines(guild_id: int, footprint: Footprint) -> list[str]:
    removed = ", ".join(f"{k} {n}" for k, n in footprint.removed.items()) or "nothing"
    unnamed = ", ".join(f"{k} {n}" for k, n in footprint.unnamed.items()) or "nothing"
    return [
        f"server {guild_id}:",
        f"  removed: {removed}; {footprint.points} points",
        f"  kept without the member's id: {unnamed}",
    ]


def _confirmed(confirm: Callable[[str], str], prompt: str) -> bool:
    try:
        return confirm(prompt).strip().lower() in ("y", "yes")
    except EOFError:  # no terminal to ask at: --yes is how a script says yes
        return False


async def privacy_export(settings: Settings, user_id: int) -> int:
    """Print one JSON document: the member's /privacy export of every server."""
    store = Store(settings.database_location())
    await store.open()
    try:
        exports = await _service(store, settings).export_everywhere(user_id)
    finally:
        await store.close()
    document = {
        "format": EXPORT_FORMAT,
        "user_id": user_id,
        "exported_at": to_iso(SystemClock().now()),
        "servers": [export.document() for export in exports],
    }
    print(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    print(f"{len(exports)} server(s) hold data about user {user_id}", file=sys.stderr)
    return 0


async def privacy_delete(
    settings: Settings, user_id: int, *, yes: bool, confirm: Callable[[str], str] = input
) -> int:
    """Show what would go, ask (unless `yes`), then delete in every server."""
    store = Store(settings.database_location())
    await store.open()
    try:
        service = _service(store, settings)
        try:
            plan = await service.footprint_everywhere(user_id)
        except UserError as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 1
        if not plan:
            print(f"nothing is stored about user {user_id}")
            return 0
        for guild_id, footprint in plan.items():
            print("\n".join(_footprint_lines(guild_id, footprint)))
        if not yes and not _confirmed(confirm, f"Delete in {len(plan)} server(s)? [y/N] "):
            print("nothing deleted")
            return 1
        try:
            done = await service.delete_everywhere(user_id)
        except UserError as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 1
    finally:
        await store.close()
    print(f"deleted the data of user {user_id} in {len(done)} server(s)")
    return 0
