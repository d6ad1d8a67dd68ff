"""Keep the `commands` catalogs in step with the slash-command tree (a development tool).

    python -m tools.i18n_catalogs      # writes bot/i18n/locales/commands.pot, updates every .po

Every string discord.py will ask the translator for (names, descriptions, choices) is collected by
building the tree and asking for its translated payload, so the template holds exactly what a sync
sends. Babel then merges the template into each locale's catalog: a new string arrives empty, a
changed one is marked fuzzy, and the catalog test fails until a reviewed translation is written."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import discord
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from discord import app_commands

from bot.i18n.catalogs import po_path, read_catalog, template_path
from bot.i18n.locales import catalog_id, translated_locales
from bot.ui.command_translator import COMMANDS_DOMAIN, context_key

Entry = tuple[str, str]


class _Recorder(app_commands.Translator):
    def __init__(self) -> None:
        self.seen: set[Entry] = set()

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        self.seen.add((context_key(context.location), string.message))
        return None


async def command_payloads(translator: app_commands.Translator) -> list[dict[str, Any]]:
    """The body a sync sends: every global command, localized by `translator`."""
    from bot.app import InterviewBot
    from bot.content.loader import QuestionBank
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        # Neither `.env` nor the environment decides the tree: a scratch SQLite file, no keys.
        settings = Settings(
            _env_file=None,
            bot_database_path=Path(folder) / "catalogs.db",
            bot_database_url=None,
            bot_redis_url=None,
            anthropic_api_key=None,
            discord_token="catalog-extraction",
        )
        # The tree does not depend on the questions: an empty bank spares parsing every pack.
        bot = InterviewBot(settings, bank=QuestionBank(), sync_only=True)
        async with bot:
            await bot.setup_hook()
            payloads = [
                await command.get_translated_payload(bot.tree, translator)
                for command in bot.tree.get_commands()
            ]
            await bot.services.store.close()
    return payloads


async def command_strings() -> set[Entry]:
    """Every (context, English text) of the command tree."""
    recorder = _Recorder()
    await command_payloads(recorder)
    return recorder.seen


HEADER = {
    "project": "interview-prep-bot",
    "version": "0.1",
    "copyright_holder": "interview-prep-bot contributors",
    "msgid_bugs_address": "the project's issue tracker",
}


def _new_catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=COMMANDS_DOMAIN,
        project=HEADER["project"],
        version=HEADER["version"],
        copyright_holder=HEADER["copyright_holder"],
        msgid_bugs_address=HEADER["msgid_bugs_address"],
    )


def template(entries: set[Entry]) -> Catalog:
    catalog = _new_catalog()
    for context, text in sorted(entries):
        catalog.add(text, context=context)
    return catalog


def write_catalogs(entries: set[Entry]) -> bool:
    """Write the template and merge it into every catalog; False when nothing changed."""
    pot = template(entries)
    pot_file = template_path(COMMANDS_DOMAIN)
    if pot_file.exists():
        current = {(m.context, m.id) for m in read_catalog(pot_file) if m.id}
        if current == entries:
            return False
    pot_file.parent.mkdir(parents=True, exist_ok=True)
    with pot_file.open("wb") as handle:
        write_po(handle, pot, omit_header=False, sort_output=True, width=100)
    for code in translated_locales():
        path = po_path(COMMANDS_DOMAIN, code)
        catalog = read_catalog(path) if path.exists() else _new_catalog(catalog_id(code))
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.project, catalog.version = HEADER["project"], HEADER["version"]
        catalog.copyright_holder = HEADER["copyright_holder"]
        catalog.msgid_bugs_address = HEADER["msgid_bugs_address"]
        catalog.last_translator = "interview-prep-bot contributors"
        catalog.language_team = catalog_id(code)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, width=100, ignore_obsolete=True)
    return True


def main() -> None:
    entries = asyncio.run(command_strings())
    if write_catalogs(entries):
        print(f"{len(entries)} strings; {len(translated_locales())} catalogs updated")
    else:
        print(f"{len(entries)} strings; the catalogs are up to date")


if __name__ == "__main__":
    main()
