"""`make catalogs` brings every shipped messages.po in step with the source and leaves alone the
ones already in step (their dates do not churn)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from bot.i18n.catalogs import read_catalog
from tools import i18n_messages
from tools.i18n_messages import keys, write_catalogs


def _template(*ids: str) -> Catalog:
    catalog = Catalog(locale=None, project="test")
    for msgid in ids:
        catalog.add(msgid, locations=[("bot/ui/x.py", None)])
    return catalog


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(i18n_messages, "template_path", lambda domain: tmp_path / f"{domain}.pot")
    monkeypatch.setattr(
        i18n_messages,
        "po_path",
        lambda domain, code: tmp_path / code / "LC_MESSAGES" / f"{domain}.po",
    )
    monkeypatch.setattr(
        i18n_messages,
        "shipped_locales",
        lambda: tuple(p.name for p in tmp_path.iterdir() if p.is_dir()),
    )
    return tmp_path


def test_a_catalog_behind_an_unchanged_template_still_gets_the_new_strings(
    locales: Path,
) -> None:
    assert write_catalogs(_template("Answer"), start=("de",)) == 1
    de = locales / "de" / "LC_MESSAGES" / "messages.po"
    before = de.read_bytes()
    # In step: nothing is rewritten.
    assert write_catalogs(_template("Answer")) == 0
    assert de.read_bytes() == before
    # The template already holds a string the catalog lacks (a branch merged it in): it is added.
    (locales / "fr" / "LC_MESSAGES").mkdir(parents=True)
    write_catalogs(_template("Answer"), start=("fr",))
    write_catalogs(_template("Answer", "Hint"))
    fr = locales / "fr" / "LC_MESSAGES" / "messages.po"
    fr.write_bytes(before.replace(b"Language: de", b"Language: fr"))
    assert write_catalogs(_template("Answer", "Hint")) == 1
    assert keys(read_catalog(fr)) == {"Answer", "Hint"}
    assert keys(read_catalog(de)) == {"Answer", "Hint"}
