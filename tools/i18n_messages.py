"""Keep the `messages` catalogs in step with the source (a development tool).

    python -m tools.i18n_messages              # writes messages.pot, updates every messages.po
    python -m tools.i18n_messages --init de    # also starts de's messages.po (all entries empty)

Babel extracts every text the bot shows a member: the English msgid of each `tr(locale, "…")`,
`ntr(locale, "…", "…", n)`, `N_("…")` (a text defined as data, translated where it is shown) and
`UserError("…")` under `bot/`, and each `_("…")` and `ngettext("…", "…", n)` of the web companion's
templates (bot/web/templates, read by Jinja2's Babel extractor). Only a whole literal is a msgid:
an f-string (or a literal joined to one) is skipped, so a text with values uses `{placeholders}`
and keyword arguments instead. A comment starting with `i18n:` just above a text (in a template,
`{# i18n: … #}`) is passed on to translators.

The template is then merged into each locale's catalog: a new text arrives empty, a changed one
fuzzy, and tests/i18n fails until a reviewed translation is written. A locale without a
messages.po shows English."""

from __future__ import annotations

import argparse
import ast
import io
import tokenize
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from bot.i18n.catalogs import po_path, read_catalog, template_path
from bot.i18n.locales import DISCORD_LOCALES, SOURCE_LOCALES, catalog_id, translated_locales
from bot.i18n.messages import MESSAGES_DOMAIN

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "bot"
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "tr": (2,),
    "ntr": (2, 3),
    "N_": None,
    "NN_": (1, 2),
    "UserError": None,
}
TEMPLATE_DIR = SOURCE_DIR / "web" / "templates"
# The template calls bound to `tr` and `ntr` (bot/web/pages.py).
TEMPLATE_KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "ngettext": (1, 2)}
COMMENT_TAGS = ("i18n:",)
HEADER = {
    "project": "interview-prep-bot",
    "version": "0.1",
    "copyright_holder": "interview-prep-bot contributors",
    "msgid_bugs_address": "the project's issue tracker",
}

Key = str | tuple[str, ...] | list[str]


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def extract_python_ast(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Any
) -> Iterator[tuple[int, str, tuple[str | None, ...], list[str]]]:
    """Babel extraction method read from the syntax tree: each call to a keyword with its
    positional arguments, a whole string literal as itself and anything else (an f-string, a
    name, a literal joined to an f-string) as None, which Babel then skips. A UserError is a
    msgid only when its message is one text."""
    source = fileobj.read()
    tree = ast.parse(source)
    comments = _comments(source)
    statements = sorted(
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt)
    )
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _call_name(node) not in keywords:
            continue
        arguments = tuple(
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            for arg in node.args
        )
        if _call_name(node) == "UserError" and len(arguments) != 1:
            # Words and references (a member, a button, ...): rendered as written, no msgid.
            arguments = (None,)
        # The comment just above the call's line, else just above its statement (a dict's).
        notes = _comment_above(comments, node.lineno)
        if not notes:
            start = max(
                (first for first, last in statements if first <= node.lineno <= last),
                default=node.lineno,
            )
            notes = _comment_above(comments, start)
        # A tagged comment runs on to the end of its block.
        first = next((i for i, n in enumerate(notes) if n.startswith(tuple(comment_tags))), None)
        tagged = [] if first is None else [" ".join(notes[first:])]
        yield node.lineno, str(_call_name(node)), arguments, tagged


def _comments(source: bytes) -> dict[int, str]:
    """Each line that holds only a comment: its text after `#`."""
    found: dict[int, str] = {}
    lines = source.decode("utf-8").splitlines()
    for token in tokenize.tokenize(io.BytesIO(source).readline):
        if token.type == tokenize.COMMENT:
            line = token.start[0]
            if lines[line - 1].strip().startswith("#"):
                found[line] = token.string.lstrip("#").strip()
    return found


def _comment_above(comments: dict[int, str], line: int) -> list[str]:
    """The block of comment lines that ends just above `line`, top to bottom."""
    block: list[str] = []
    above = line - 1
    while above in comments:
        block.insert(0, comments[above])
        above -= 1
    return block


def _new_catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=MESSAGES_DOMAIN,
        project=HEADER["project"],
        version=HEADER["version"],
        copyright_holder=HEADER["copyright_holder"],
        msgid_bugs_address=HEADER["msgid_bugs_address"],
    )


def _texts(
    folder: Path, pattern: str, method: str, keywords: dict[str, tuple[int, ...] | None]
) -> Iterator[tuple[str, Any, list[str], str | None]]:
    """Babel's extraction of `folder`: (path from the repository, message, comments, context)."""
    prefix = folder.relative_to(SOURCE_DIR.parent).as_posix()
    for filename, _line, message, comments, context in extract_from_dir(
        folder,
        method_map=[(pattern, method)],
        keywords=keywords,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        yield f"{prefix}/{filename}", message, comments, context


def extracted() -> Catalog:
    """Every member-facing text of the source, with where it is used (files, not lines)."""
    catalog = _new_catalog()
    python = _texts(SOURCE_DIR, "**.py", "tools.i18n_messages:extract_python_ast", KEYWORDS)
    templates = _texts(TEMPLATE_DIR, "**.html", "jinja2.ext.babel_extract", TEMPLATE_KEYWORDS)
    for path, message, comments, context in (*python, *templates):
        location = (path, 0)
        existing = catalog.get(message, context=context)
        if existing is not None:
            if location not in existing.locations:
                existing.locations.append(location)
            existing.auto_comments.extend(c for c in comments if c not in existing.auto_comments)
            continue
        catalog.add(
            message,
            locations=[location],
            auto_comments=comments,
            context=context,
            flags=("python-brace-format",) if "{" in str(message) else (),
        )
    return catalog


def keys(catalog: Catalog) -> set[Key]:
    return {m.id for m in catalog if m.id}


def shipped_locales() -> tuple[str, ...]:
    """The Discord locales that have a messages.po."""
    return tuple(code for code in translated_locales() if po_path(MESSAGES_DOMAIN, code).exists())


def _write(path: Path, catalog: Catalog, **options: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, sort_output=True, width=100, include_lineno=False, **options)


def _contents(catalog: Catalog) -> set[tuple[str, tuple[str, ...]]]:
    return {(str(m.id), tuple(sorted(p for p, _ in m.locations))) for m in catalog if m.id}


def write_catalogs(pot: Catalog, start: tuple[str, ...] = ()) -> int:
    """Write the template when the source's texts changed, and merge it into every shipped catalog
    (and the `start` ones) whose entries differ from it; the number of catalogs written. A catalog
    already in step is left alone, so its dates do not churn, whatever the template's state."""
    pot_file = template_path(MESSAGES_DOMAIN)
    if not pot_file.exists() or _contents(read_catalog(pot_file)) != _contents(pot):
        _write(pot_file, pot)
    written = 0
    for code in sorted(set(shipped_locales()) | set(start)):
        path = po_path(MESSAGES_DOMAIN, code)
        catalog = read_catalog(path) if path.exists() else _new_catalog(catalog_id(code))
        if path.exists() and keys(catalog) == keys(pot):
            continue
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.last_translator = "interview-prep-bot contributors"
        catalog.language_team = catalog_id(code)
        _write(path, catalog, ignore_obsolete=True)
        written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--init", nargs="*", default=(), metavar="LOCALE")
    args = parser.parse_args()
    start = tuple(args.init)
    for code in start:
        if code not in DISCORD_LOCALES or code in SOURCE_LOCALES:
            parser.error(f"{code} is not a Discord locale that needs a catalog")
    pot = extracted()
    written = write_catalogs(pot, start)
    print(f"messages: {len(keys(pot))} strings; {written} catalogs updated")


if __name__ == "__main__":
    main()
