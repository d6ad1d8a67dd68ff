"""The `messages` catalogs: the template holds exactly what the source shows members, every
shipped messages.po is complete with the English placeholders, and the wrapped ui modules show no
English literal outside the catalog."""

from __future__ import annotations

import ast
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from bot.i18n.catalogs import po_path, read_catalog, template_path
from bot.i18n.locales import translated_locales
from bot.i18n.messages import MESSAGES_DOMAIN, ntr, tr
from tools.i18n_messages import extracted, keys, shipped_locales

ROOT = Path(__file__).resolve().parents[2]
# The locales whose catalogs this project ships complete (others fall back to English until a
# translator adds theirs with `make catalogs INIT=<locale>`).
REQUIRED = ("fr", "ja", "pt-BR")
# Modules (or, for some, functions) where every text a member sees goes through `tr` (the web
# companion's templates call `_`/`ngettext`, bound to `tr`/`ntr`, and are extracted too).
WRAPPED: dict[str, frozenset[str] | None] = {
    "bot/ui/answer_form.py": None,
    "bot/ui/daily_views.py": None,
    "bot/ui/feedback.py": None,
    "bot/ui/cooldowns.py": None,
    "bot/ui/replies.py": None,
    "bot/ui/language.py": None,
    "bot/ui/publisher.py": frozenset(
        {
            "_text_channel",
            "publish_daily",
            "open_discussion",
            "publish_reveal",
            "notify_admins",
            "deliver_feedback",
            "_gone",
        }
    ),
    "bot/ui/daily_notices.py": None,
    "bot/ui/embeds.py": frozenset(
        {
            "daily_embed",
            "clarifications_embed",
            "question_embed",
            "reveal_embed",
            "_facts",
            "status_embed",
            "_last_post",
            "tips_embed",
        }
    ),
    "bot/cogs/daily/_cog.py": None,
    "bot/cogs/grading/_cog.py": None,
    "bot/cogs/grading/_embeds.py": None,
    "bot/cogs/leaderboard.py": None,
    "bot/cogs/practice/_cog.py": None,
    "bot/cogs/privacy/_cog.py": None,
    "bot/cogs/privacy/_guilds.py": None,
    "bot/cogs/questions/_cog.py": None,
    "bot/cogs/questions/_modal.py": None,
    "bot/cogs/rank/_admin.py": None,
    "bot/cogs/rank/_cog.py": None,
    "bot/cogs/web.py": None,
    "bot/ui/code_run_views.py": None,
    "bot/ui/leaderboard_roles.py": None,
    "bot/ui/privacy_notice.py": None,
    "bot/ui/rank_card.py": None,
    "bot/ui/leaderboard_embeds.py": None,
    "bot/ui/message.py": None,
    "bot/ui/privacy_embeds.py": None,
    "bot/ui/peer_embeds.py": None,
    "bot/ui/peer_replies.py": None,
    "bot/ui/peer_guide.py": None,
    "bot/ui/peer_views.py": None,
    "bot/ui/peer_rooms.py": None,
    "bot/cogs/peer/_cog.py": None,
    "bot/cogs/help.py": frozenset({"help", "languages_text"}),
    "bot/ui/periods.py": None,
    "bot/web/admin.py": None,
    "bot/web/app.py": frozenset({"home"}),
    "bot/web/board.py": None,
    "bot/web/charts.py": None,
    "bot/web/login.py": None,
    "bot/web/member.py": None,
    "bot/web/pages.py": None,
    "bot/web/security.py": None,
    "bot/ui/mock_embeds.py": None,
    "bot/ui/mock_scorecard.py": None,
    "bot/ui/mock_replies.py": None,
    "bot/ui/mock_text.py": None,
    "bot/ui/run_summary.py": None,
    "bot/ui/mock_room.py": None,
    "bot/ui/mock_views.py": None,
    "bot/cogs/mock/_cog.py": None,
    "bot/cogs/mock/_listener.py": None,
}
# The command tree's own texts belong to the `commands` catalog (tests/i18n/test_command_catalogs).
COMMAND_TREE_CALLS = {
    "command",
    "Group",
    "AdminGroup",
    "describe",
    "Choice",
    "choices",
    "rename",
}
SHOWN_KEYWORDS = {
    "title",
    "description",
    "name",
    "value",
    "label",
    "placeholder",
    "text",
    "content",
}
_WORDS = re.compile(r"[A-Za-z]{2,}")
_CODE = re.compile(r"(?<!`)`[^`]+`(?!`)")


def _template() -> list[Message]:
    return [m for m in read_catalog(template_path(MESSAGES_DOMAIN)) if m.id]


def _entries(locale: str) -> list[Message]:
    return [m for m in read_catalog(po_path(MESSAGES_DOMAIN, locale)) if m.id]


def _forms(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value or "")]


def _placeholders(text: str) -> Counter[str]:
    return Counter(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_the_template_holds_exactly_what_the_source_shows() -> None:
    """A text added, changed or removed without `make catalogs` fails here."""
    source = keys(extracted())
    template = keys(read_catalog(template_path(MESSAGES_DOMAIN)))
    assert sorted(map(str, source - template)) == [], "not in messages.pot: run `make catalogs`"
    assert sorted(map(str, template - source)) == [], "no longer in the source: `make catalogs`"


def test_the_required_locales_ship_a_catalog() -> None:
    assert set(REQUIRED) <= set(shipped_locales())
    assert set(shipped_locales()) <= set(translated_locales())


@pytest.mark.parametrize("locale", sorted(set(REQUIRED) | set(shipped_locales())))
def test_every_shipped_catalog_is_complete_and_not_fuzzy(locale: str) -> None:
    translated = {str(m.id): m for m in _entries(locale)}
    missing = [
        m.id
        for m in _template()
        if not (found := translated.get(str(m.id))) or found.fuzzy or not all(_forms(found.string))
    ]
    assert missing == []
    stale = set(translated) - {str(m.id) for m in _template()}
    assert sorted(stale) == []


@pytest.mark.parametrize("locale", sorted(set(REQUIRED) | set(shipped_locales())))
def test_translations_keep_the_placeholders_and_code(locale: str) -> None:
    """Each form has the msgid's `{placeholders}` and `code spans`, and as many plural forms as
    the language's rule has."""
    catalog = read_catalog(po_path(MESSAGES_DOMAIN, locale))
    changed = []
    for message in (m for m in catalog if m.id):
        english = _forms(message.id)
        # An empty form is not translated yet: the completeness test reports it.
        for form in filter(None, _forms(message.string)):
            reference = english[-1] if message.pluralizable else english[0]
            if _placeholders(form) != _placeholders(reference) or sorted(
                _CODE.findall(form)
            ) != sorted(_CODE.findall(reference)):
                changed.append((message.id, form))
        if message.pluralizable:
            assert len(_forms(message.string)) == catalog.num_plurals, message.id
    assert changed == []


def _shown_literals(tree: ast.AST, functions: frozenset[str] | None) -> list[str]:
    scopes: list[ast.AST] = (
        [tree]
        if functions is None
        else [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in functions
        ]
    )
    found = []
    for scope in scopes:
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if name in COMMAND_TREE_CALLS:
                continue
            shown = [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
            if name in {"reply", "send", "send_message"} and len(node.args) > (name == "reply"):
                shown.append(node.args[1 if name == "reply" else 0])
            for value in shown:
                parts = value.values if isinstance(value, ast.JoinedStr) else [value]
                literal = "".join(
                    p.value
                    for p in parts
                    if isinstance(p, ast.Constant) and isinstance(p.value, str)
                )
                if _WORDS.search(literal):
                    found.append(f"line {node.lineno}: {literal!r}")
    return found


@pytest.mark.parametrize("module", sorted(WRAPPED))
def test_wrapped_modules_show_no_text_outside_the_catalog(module: str) -> None:
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    assert _shown_literals(tree, WRAPPED[module]) == []


def test_the_checker_sees_a_literal_shown_to_a_member() -> None:
    tree = ast.parse('embed = discord.Embed(title=f"Daily question · {t}")\nreply(i, "Done")')
    assert len(_shown_literals(tree, None)) == 2
    assert _shown_literals(ast.parse('discord.Embed(title=tr(l, "Daily"))'), None) == []


def test_translations_and_plural_rules_come_from_the_catalogs() -> None:
    assert tr("fr", "Answer") == "Répondre"
    assert tr("pt-BR", "Feedback · {title}", title="X") == "Feedback · X"
    assert tr("ja", "Daily question · {title}", title="X") == "デイリー問題 · X"
    # French and Brazilian Portuguese say "0 pt" (singular), English "0 pts"; Japanese has one form.
    assert ntr("fr", "{n} pt", "{n} pts", 0) == "0 pt"
    assert ntr("pt-BR", "{n} answer", "{n} answers", 2) == "2 respostas"
    assert ntr("en-US", "{n} pt", "{n} pts", 0) == "0 pts"
    assert ntr("ja", "{n} answer", "{n} answers", 1234) == "回答 1,234 件"
    assert ntr("fr", "{n} answer", "{n} answers", 1234) == "1\u202f234 réponses"
