"""One set of Pinterest facts (facts.yaml): `{fact:KEY}` placeholders, and numbers that disagree."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

FACTS_PATH = Path(__file__).resolve().parent / "facts.yaml"
PLACEHOLDER = re.compile(r"\{fact:([a-z0-9_]+)\}")

_MAGNITUDES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "b": 1e9,
    "billion": 1e9,
}
# A number with a magnitude ("600M", "1.5 billion", "30k") or written in full ("30,000").
_NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(k|thousand|m|million|b|billion)\b|(?<![\w.,])(\d{1,3}(?:,\d{3})+)(?![\w,])",
    re.IGNORECASE,
)
# How far apart a number and its context phrase may be: a few words, within one sentence.
_GAP = r"[^.;:\n\d]{0,30}?"
# A number after the phrase counts only when the phrase introduces it ("MAU: 600M", "DAU of 200M").
_AFTER = re.compile(r"\s*(?::|=|\bis\b|\bof\b|\bare\b)\s*(?:about|around|roughly|over|~)?\s*")


@dataclass(frozen=True)
class Fact:
    key: str
    text: str
    source: str
    confirmed: bool
    as_of: str
    value: float | None = None
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactSheet:
    checked: str
    facts: Mapping[str, Fact]
    retired_names: Mapping[str, str]

    def resolve(self, text: str) -> tuple[str, list[str]]:
        """The text with every known placeholder filled in, and the unknown keys."""
        unknown: list[str] = []

        def fill(match: re.Match[str]) -> str:
            fact = self.facts.get(match.group(1))
            if fact is None:
                unknown.append(match.group(1))
                return match.group(0)
            return fact.text

        return PLACEHOLDER.sub(fill, text), unknown


def parse_facts(raw: Any) -> FactSheet:
    facts = {}
    for key, entry in dict(raw.get("facts") or {}).items():
        value = entry.get("value")
        facts[key] = Fact(
            key=key,
            text=str(entry["text"]),
            source=str(entry["source"]),
            confirmed=bool(entry["confirmed"]),
            as_of=str(entry["as_of"]),
            value=float(value) if value is not None else None,
            context=tuple(str(c) for c in entry.get("context") or ()),
        )
    return FactSheet(
        checked=str(raw.get("checked", "")),
        facts=facts,
        retired_names={str(k): str(v) for k, v in dict(raw.get("retired_names") or {}).items()},
    )


@lru_cache(maxsize=4)
def load_facts(path: Path = FACTS_PATH) -> FactSheet:
    return parse_facts(yaml.safe_load(path.read_text(encoding="utf-8")))


def resolve_placeholders(raw: Any, sheet: FactSheet) -> tuple[Any, list[str]]:
    """Every string inside a YAML value with its placeholders filled; unknown keys listed once."""
    unknown: list[str] = []

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            text, missing = sheet.resolve(value)
            unknown.extend(k for k in missing if k not in unknown)
            return text
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return walk(raw), unknown


def number_value(match: re.Match[str]) -> float:
    if match.group(3):
        return float(match.group(3).replace(",", ""))
    return float(match.group(1)) * _MAGNITUDES[match.group(2).casefold()]


def _near(context: str) -> re.Pattern[str]:
    phrase = r"\s+".join(re.escape(w) for w in context.split())
    return re.compile(rf"(?<!\w){phrase}(?!\w)", re.IGNORECASE)


def _numbers_next_to(text: str, context: str) -> Iterator[float]:
    """Numbers just before the phrase ("400M monthly active users") or after it ("MAU: 400M")."""
    phrase = _near(context)
    for hit in phrase.finditer(text):
        before = text[max(0, hit.start() - 60) : hit.start()]
        after = text[hit.end() : hit.end() + 40]
        tail = re.search(rf"({_NUMBER.pattern}){_GAP}$", before, re.IGNORECASE)
        if tail is not None:
            inner = _NUMBER.search(tail.group(1))
            if inner is not None:
                yield number_value(inner)
        head = _AFTER.match(after)
        if head is not None:
            lead = _NUMBER.match(after, head.end())
            if lead is not None:
                yield number_value(lead)


def contradictions(text: str, sheet: FactSheet) -> list[str]:
    """Each figure in the text that sits next to a fact's context and differs from the fact."""
    found: list[str] = []
    for fact in sheet.facts.values():
        if fact.value is None:
            continue
        for context in fact.context:
            for number in _numbers_next_to(text, context):
                if abs(number - fact.value) > 0.01 * fact.value:
                    found.append(
                        f"says {_short(number)} where facts.yaml has {fact.text} "
                        f"({fact.key}): write {{fact:{fact.key}}}"
                    )
    for name, use in sheet.retired_names.items():
        if re.search(rf"(?<!\w){re.escape(name)}s?(?!\w)", text, re.IGNORECASE):
            found.append(f"names `{name}`, a product Pinterest retired: say {use}")
    return sorted(set(found))


def _short(number: float) -> str:
    for suffix, scale in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if number >= scale:
            return f"{number / scale:g}{suffix}"
    return f"{number:g}"
