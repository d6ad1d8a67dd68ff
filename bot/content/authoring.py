"""Turning what an admin typed into a modal into a full question (pure; no Discord)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "because",
        "before",
        "being",
        "below",
        "between",
        "could",
        "doesn",
        "during",
        "every",
        "their",
        "there",
        "these",
        "those",
        "through",
        "under",
        "until",
        "where",
        "which",
        "while",
        "would",
        "should",
        "other",
        "answer",
        "strong",
        "shows",
        "explains",
        "candidate",
        "using",
        "without",
        "within",
    ]
)
_WORD = re.compile(r"[a-z][a-z0-9+#-]{3,}")


def slugify(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug[:limit].strip("-") or "question"


def derive_signals(text: str, count: int = 8) -> list[str]:
    """The most frequent distinctive words of a criterion's description, for the offline grader."""
    words = [w for w in _WORD.findall(text.casefold()) if w not in STOPWORDS]
    ranked = [w for w, _ in Counter(words).most_common(count)]
    return ranked if len(ranked) >= 3 else ([*ranked, "example", "trade-off", "because"])[:3]


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


def parse_rubric_lines(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Each line: `name | weight | what a strong answer shows | what a weak answer shows`."""
    criteria: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, line in enumerate(_lines(text), start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4:
            problems.append(
                f"rubric line {number}: expected `name | weight | strong | weak`, got "
                f"{len(parts)} part(s)"
            )
            continue
        name, weight, strong, weak = parts
        if not weight.isdigit():
            problems.append(f"rubric line {number}: weight `{weight[:10]}` is not a number 1-5")
            continue
        criteria.append(
            {
                "name": name,
                "weight": int(weight),
                "strong": strong,
                "weak": weak,
                "signals": derive_signals(f"{name} {strong}"),
            }
        )
    return criteria, problems


def question_from_form(
    *,
    guild_id: int,
    round_name: str,
    difficulty: str,
    title: str,
    prompt: str,
    rubric_text: str,
    hints_text: str,
    follow_ups_text: str,
    time_box_minutes: int,
) -> tuple[dict[str, Any], list[str]]:
    """A raw question dict to validate with the schema, plus problems found while parsing."""
    criteria, problems = parse_rubric_lines(rubric_text)
    outline = "\n".join(f"- {c['name']}: {c['strong']}" for c in criteria)
    raw = {
        "id": f"g{guild_id}-{slugify(title)}",
        "round": round_name,
        "title": title.strip(),
        "prompt": prompt.strip(),
        "difficulty": difficulty,
        "tags": ["custom"],
        "time_box_minutes": time_box_minutes,
        "rubric": criteria,
        "hints": _lines(hints_text),
        "follow_ups": _lines(follow_ups_text),
        "reference_outline": outline,
    }
    return raw, problems
