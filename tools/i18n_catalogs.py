"""Keep the `commands` catalogs in step with the slash-command tree (a development tool).

    python -m tools.i18n_catalogs      # writes bot/i18n/locales/commands.pot, updates every .po

Every string discord.py will ask the translator for (names, descriptions, choices) is collected by
building the tree and asking for its translated payload, so the template holds exactly what a sync
sends. Babel then merges the template into each locale's catalog: a new string arrives empty, a
changed one is marked fuzzy, and the catalog test fails until a reviewed translation is written."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

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


async def command_strings() -> set[Entry]:
    """Every (context, English text) of the command tree."""
    from bot.app import InterviewBot
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        os.environ["BOT_DATABASE_PATH"] = str(Path(folder) / "catalogs.db")
        os.environ.setdefault("DISCORD_TOKEN", "catalog-extraction")
        bot = InterviewBot(Settings(), sync_only=True)
        async with bot:
            await bot.setup_hook()
            recorder = _Recorder()
            for command in bot.tree.get_commands():
                await command.get_translated_payload(bot.tree, recorder)
            await bot.services.store.close()
    return recorder.seen


def template(entries: set[Entry]) -> Catalog:
    catalog = Catalog(project="interview-prep-bot", domain=COMMANDS_DOMAIN)
    for context, text in sorted(entries):
        catalog.add(text, context=context)
    return catalog


def write_catalogs(entries: set[Entry]) -> None:
    pot = template(entries)
    pot_file = template_path(COMMANDS_DOMAIN)
    pot_file.parent.mkdir(parents=True, exist_ok=True)
    with pot_file.open("wb") as handle:
        write_po(handle, pot, omit_header=False, sort_output=True, width=100)
    for code in translated_locales():
        path = po_path(COMMANDS_DOMAIN, code)
        if path.exists():
            catalog = read_catalog(path)
        else:
            catalog = Catalog(locale=catalog_id(code), domain=COMMANDS_DOMAIN)
        catalog.update(pot, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, width=100, ignore_obsolete=True)


def main() -> None:
    entries = asyncio.run(command_strings())
    write_catalogs(entries)
    print(f"{len(entries)} strings; {len(translated_locales())} catalogs updated")


if __name__ == "__main__":
    main()
