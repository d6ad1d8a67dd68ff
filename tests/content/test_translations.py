"""A question's optional `translations`: a title and prompt per Discord locale, validated with the
same problem reporting as the rest of the pack, read back with `title_in` / `prompt_in`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from discord import Locale
from hypothesis import given
from hypothesis import strategies as st

from bot.content.loader import parse_pack_text, translation_counts
from bot.content.schema import PROMPT_MAX, TITLE_MAX, TRANSLATION_LOCALES, Question
from bot.i18n.locales import DISCORD_LOCALES, SOURCE_LOCALES

EXAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "content-example.yaml").read_text()
RAW: dict[str, Any] = yaml.safe_load(EXAMPLE)["questions"][0]
FRENCH_TITLE = "Tableaux atteignables en k repins"
FRENCH_PROMPT = "Pinterest enregistre les « repins » : trouvez les tableaux atteignables."


def question(translations: object) -> Question:
    return Question.model_validate({**RAW, "translations": translations})


def problems(translations: object) -> list[str]:
    """What `content check` says about the example with these translations."""
    text = yaml.safe_dump({"pack": "club", "questions": [{**RAW, "translations": translations}]})
    pack, found = parse_pack_text(text, "club.yaml")
    assert (pack is None) == bool(found)
    return [str(p) for p in found]


def test_the_key_is_optional_and_a_translation_may_give_either_text() -> None:
    assert question({}).translations == {}
    assert Question.model_validate(RAW).translations == {}
    both = question(
        {
            "fr": {"title": FRENCH_TITLE, "prompt": FRENCH_PROMPT},
            "pt-BR": {"title": "Quadros alcançáveis"},
            "ja": {"prompt": "到達可能なボードの数を返してください。"},
            "no": {"title": "Tavler"},
        }
    )
    assert both.translations["fr"].title == FRENCH_TITLE
    assert both.translations["pt-BR"].prompt is None
    assert problems({"fr": {"title": FRENCH_TITLE}}) == []


def test_title_in_and_prompt_in_fall_back_to_the_pack_text() -> None:
    q = question(
        {"fr": {"title": FRENCH_TITLE, "prompt": FRENCH_PROMPT}, "es-ES": {"title": "Tít"}}
    )
    assert q.title_in("fr") == FRENCH_TITLE and q.prompt_in("fr") == FRENCH_PROMPT
    assert q.title_in(Locale.french) == FRENCH_TITLE  # what interactions carry
    assert q.title_in("es-ES") == "Tít" and q.prompt_in("es-ES") == q.prompt
    # A regional locale reads only its own translation, then English.
    assert q.title_in("es-419") == q.title
    for other in (None, "en-US", "en-GB", "de", "xx-YY", Locale.japanese):
        assert q.title_in(other) == q.title and q.prompt_in(other) == q.prompt


@given(st.sampled_from(TRANSLATION_LOCALES), st.booleans())
def test_every_discord_locale_but_english_takes_a_translation(code: str, title: bool) -> None:
    text = {"title": "Ein Titel"} if title else {"prompt": "Ein Prompt"}
    q = question({code: text})
    assert (q.title_in(code) == "Ein Titel") == title
    assert (q.prompt_in(code) == "Ein Prompt") == (not title)
    assert translation_counts([q, q, question({})]) == {code: 2}


@given(
    st.text(min_size=1, max_size=8).filter(
        lambda code: code.strip() == code and code not in DISCORD_LOCALES
    )
)
def test_an_unknown_locale_is_named(code: str) -> None:
    assert problems({code: {"title": "Titre"}}) == [
        f"club.yaml: pin-coding-board-reach: `translations` has an unknown locale `{code}`: use a "
        "Discord locale code such as `fr`, `pt-BR` or `ja`"
    ]


@pytest.mark.parametrize("code", sorted(SOURCE_LOCALES))
def test_english_is_the_pack_itself(code: str) -> None:
    assert problems({code: {"title": "Colour boards"}}) == [
        f"club.yaml: pin-coding-board-reach: `translations` has `{code}`, the pack's own "
        "language: remove it"
    ]


@given(
    st.sampled_from(["title", "prompt"]),
    st.text(alphabet=" \t\n\u200b\u200c\ufeff", max_size=5),
)
def test_empty_text_is_refused(key: str, blank: str) -> None:
    assert problems({"fr": {key: blank}}) == [
        f"club.yaml: pin-coding-board-reach: `translations`, `fr`, `{key}` is empty: write the "
        "translated text, or leave the key out"
    ]


@given(st.sampled_from([("title", TITLE_MAX), ("prompt", PROMPT_MAX)]), st.integers(1, 50))
def test_text_longer_than_the_english_limit_is_refused(field: tuple[str, int], extra: int) -> None:
    key, limit = field
    assert problems({"fr": {key: "é" * limit}}) == []
    assert problems({"fr": {key: "é" * (limit + extra)}}) == [
        f"club.yaml: pin-coding-board-reach: `translations`, `fr`, `{key}` is too long: at most "
        f"{limit} characters"
    ]


@given(
    st.from_regex(r"[a-z_]{1,12}", fullmatch=True).filter(lambda k: k not in ("title", "prompt"))
)
def test_an_unknown_key_is_refused(key: str) -> None:
    assert problems({"fr": {key: "Texte"}}) == [
        f"club.yaml: pin-coding-board-reach: `translations`, `fr`, `{key}` is not something a "
        "translation has: only `title` and `prompt` are translated"
    ]


def test_other_shapes_are_refused_plainly() -> None:
    prefix = "club.yaml: pin-coding-board-reach: `translations`"
    assert problems({"fr": {}}) == [
        f"{prefix}, `fr` has neither `title` nor `prompt`: add one, or remove the locale"
    ]
    assert problems({"fr": None}) == [f"{prefix}, `fr` should be a group of `field: value` lines"]
    assert problems(["fr"]) == [f"{prefix} should be a group of `field: value` lines"]
    assert problems({"fr": {"title": 12}}) == [
        f"{prefix}, `fr`, `title` should be text (put it in quotes if it looks like a number, "
        "yes or no)"
    ]


def test_unquoted_no_reads_as_false_and_says_so() -> None:
    text = EXAMPLE.replace(
        "    difficulty: medium\n", "    difficulty: medium\n    translations:\n      no:\n", 1
    ).replace(
        "    translations:\n      no:\n", "    translations:\n      no:\n        title: Tavler\n"
    )
    _, found = parse_pack_text(text, "club.yaml")
    assert [str(p) for p in found] == [
        "club.yaml: pin-coding-board-reach: `translations` has a locale YAML reads as true or "
        "false: write Norwegian as `'no'`, in quotes"
    ]
    pack, found = parse_pack_text(text.replace("      no:\n", "      'no':\n"), "club.yaml")
    assert found == [] and pack is not None
    assert pack.questions[0].title_in("no") == "Tavler"


def test_the_question_stays_immutable_and_the_prompt_is_laid_out() -> None:
    q = question({"fr": {"prompt": "Une ligne\ncoupée au milieu.\n\nUn autre paragraphe."}})
    with pytest.raises(ValueError):
        q.translations["fr"].title = "x"  # type: ignore[misc]
    assert q.prompt_in("fr") == "Une ligne coupée au milieu.\n\nUn autre paragraphe."
