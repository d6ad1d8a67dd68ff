"""The `commands` catalogs: the template holds what the command tree sends, names Discord accepts,
the same numbers and literals as the English, and no untranslated or fuzzy entry in any locale."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from babel.messages.catalog import Message
from discord import Locale, app_commands
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n.catalogs import po_path, read_catalog, template_path
from bot.i18n.locales import DISCORD_LOCALES, babel_locale, catalog_id, translated_locales
from bot.ui.command_translator import COMMANDS_DOMAIN, CommandTranslator, valid_command_name
from emulator.validation import check_commands
from tools.i18n_catalogs import command_payloads, command_strings

NAME_CONTEXTS = {"command_name", "group_name", "parameter_name"}
_LITERALS = re.compile(r"`[^`]*`|\{[^}]*\}|:(?:easy|medium|hard)")
_NUMBERS = re.compile(r"\d+")


def _entries(locale: str) -> list[Message]:
    return [m for m in read_catalog(po_path(COMMANDS_DOMAIN, locale)) if m.id]


def _template() -> list[Message]:
    return [m for m in read_catalog(template_path(COMMANDS_DOMAIN)) if m.id]


def test_there_are_32_discord_locales_and_30_catalogs() -> None:
    assert len(DISCORD_LOCALES) == 32
    assert len(translated_locales()) == 30
    for code in translated_locales():
        assert po_path(COMMANDS_DOMAIN, code).exists(), code
        assert babel_locale(code).language == catalog_id(code).split("_")[0]


async def test_the_template_holds_exactly_what_the_command_tree_sends() -> None:
    """A command, option or choice added, renamed or removed without `make catalogs` fails here."""
    tree = await command_strings()
    template = {(m.context, m.id) for m in _template()}
    assert sorted(tree - template) == [], "not in the template: run `make catalogs`"
    assert sorted(template - tree) == [], "no longer in the tree: run `make catalogs`"


async def test_the_localized_tree_is_one_discord_accepts() -> None:
    """Every rule Discord applies to a sync body, for all locales at once: names, lengths, and no
    two sibling commands or options sharing a name in any locale."""
    check_commands(await command_payloads(CommandTranslator()))


@pytest.mark.parametrize("locale", translated_locales())
def test_every_catalog_is_complete_and_not_fuzzy(locale: str) -> None:
    translated = {(m.context, m.id): m for m in _entries(locale)}
    missing = [
        (m.context, m.id)
        for m in _template()
        if not (found := translated.get((m.context, m.id))) or not found.string or found.fuzzy
    ]
    assert missing == []
    stale = set(translated) - {(m.context, m.id) for m in _template()}
    assert sorted(stale, key=str) == []


@pytest.mark.parametrize("locale", translated_locales())
def test_translated_names_are_ones_discord_accepts(locale: str) -> None:
    bad = [
        (m.id, m.string)
        for m in _entries(locale)
        if m.context in NAME_CONTEXTS and m.string and not valid_command_name(str(m.string))
    ]
    assert bad == []


@pytest.mark.parametrize("locale", translated_locales())
def test_translations_keep_numbers_and_literals(locale: str) -> None:
    """Placeholders and values a member types stay as they are; every number of the English
    text is still there (a language may add one, as Japanese does in "1 日")."""
    changed = [
        (m.id, m.string)
        for m in _entries(locale)
        if m.string
        and (
            Counter(_LITERALS.findall(str(m.id))) != Counter(_LITERALS.findall(str(m.string)))
            or Counter(_NUMBERS.findall(str(m.id))) - Counter(_NUMBERS.findall(str(m.string)))
        )
    ]
    assert changed == []


@pytest.mark.parametrize("locale", translated_locales())
def test_descriptions_fit_discord_limits(locale: str) -> None:
    too_long = [m.string for m in _entries(locale) if m.string and len(str(m.string)) > 100]
    assert too_long == []


@given(st.text(max_size=40))
def test_the_name_rule_refuses_upper_case_spaces_and_length(name: str) -> None:
    if valid_command_name(name):
        assert 1 <= len(name) <= 32
        assert name == name.lower()
        assert " " not in name


def test_the_name_rule_takes_the_scripts_discord_takes() -> None:
    assert valid_command_name("सेटअप")  # Hindi, with a combining vowel sign
    assert valid_command_name("ตั้งค่า")  # Thai
    assert valid_command_name("設定")
    assert valid_command_name("restaurer-série")
    assert not valid_command_name("Setup")
    assert not valid_command_name("two words")
    assert not valid_command_name("x" * 33)


async def test_the_translator_answers_from_the_catalog_and_leaves_english_alone() -> None:
    translator = CommandTranslator()
    name_context = app_commands.TranslationContext(
        app_commands.TranslationContextLocation.group_name, None
    )
    daily = app_commands.locale_str("daily")
    assert await translator.translate(daily, Locale.french, name_context) == "quotidien"
    assert await translator.translate(daily, Locale.american_english, name_context) is None
    unknown = app_commands.locale_str("no-such-command")
    assert await translator.translate(unknown, Locale.french, name_context) is None
