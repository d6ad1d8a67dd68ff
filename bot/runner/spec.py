"""A coding question's tests file: parsed and validated before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.content.loader import PACKS_DIR, TESTS_FOLDER

Compare = Literal["exact", "unordered", "float"]
COMPARES: tuple[Compare, ...] = ("exact", "unordered", "float")
LANGUAGES = ("python", "javascript")
MIN_VISIBLE = 3
MIN_HIDDEN = 8


class TestsFileError(ValueError):
    """A tests file that cannot be used; the message names the file and what to fix."""


@dataclass(frozen=True)
class Case:
    name: str
    hidden: bool
    args: list[Any]
    expected: Any


@dataclass(frozen=True)
class TestSpec:
    question: str
    functions: dict[str, str]
    signature: str
    compare: Compare
    time_limit_ms: int
    cases: tuple[Case, ...]
    reference: dict[str, str]
    naive: dict[str, str] = field(default_factory=dict)
    # A language's own limit, where the shared one (set for Python) would let a slow solution pass.
    language_limits_ms: dict[str, int] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in LANGUAGES if lang in self.functions)

    def for_language(self, language: str) -> TestSpec:
        """The spec as one language's run sees it: its own time limit, if it has one."""
        limit = self.language_limits_ms.get(language, self.time_limit_ms)
        return self if limit == self.time_limit_ms else replace(self, time_limit_ms=limit)


def path_of_tests(question_id: str, pack: str = "pinterest", packs_dir: Path = PACKS_DIR) -> Path:
    return packs_dir / pack / TESTS_FOLDER / f"{question_id}.yaml"


def find_tests(question_id: str, packs_dir: Path = PACKS_DIR) -> Path | None:
    """The tests file of a question in any pack, or None when it has none."""
    found = sorted(packs_dir.glob(f"*/{TESTS_FOLDER}/{question_id}.yaml"))
    return found[0] if found else None


def all_tests_files(packs_dir: Path = PACKS_DIR) -> list[Path]:
    return sorted(packs_dir.glob(f"*/{TESTS_FOLDER}/*.yaml"))


def load_spec(path: Path) -> TestSpec:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(path.read_text("utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise TestsFileError(f"{path.name}: cannot be read: {exc}") from None
    try:
        return parse_spec(raw)
    except TestsFileError as exc:
        raise TestsFileError(f"{path.name}: {exc}") from None


def parse_spec(raw: Any) -> TestSpec:
    if not isinstance(raw, dict):
        raise TestsFileError("the file must be a mapping with question, function, cases, ...")
    functions = _language_map(raw, "function")
    reference = _language_map(raw, "reference")
    naive = _language_map(raw, "naive") if raw.get("naive") is not None else {}
    if missing := [lang for lang in functions if lang not in reference]:
        raise TestsFileError(f"no reference solution for {', '.join(missing)}")
    compare = raw.get("compare")
    if compare not in COMPARES:
        raise TestsFileError(f"compare must be one of {', '.join(COMPARES)}, not {compare!r}")
    limit = raw.get("time_limit_ms")
    if not isinstance(limit, int) or not _is_limit(limit):
        raise TestsFileError("time_limit_ms must be a whole number of milliseconds, 1 to 10000")
    question = raw.get("question")
    if not isinstance(question, str) or not question:
        raise TestsFileError("question must be the id of a coding question")
    return TestSpec(
        question=question,
        functions=functions,
        signature=str(raw.get("signature", "")),
        compare=compare,
        time_limit_ms=limit,
        cases=_cases(raw.get("cases")),
        reference=reference,
        naive=naive,
        language_limits_ms=_language_limits(raw, functions),
    )


def _is_limit(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 10_000


def _language_limits(raw: dict[str, Any], functions: dict[str, str]) -> dict[str, int]:
    value = raw.get("time_limit_ms_by_language")
    if value is None:
        return {}
    if not isinstance(value, dict) or not value:
        raise TestsFileError("time_limit_ms_by_language must map a language to milliseconds")
    unknown = [str(lang) for lang in value if lang not in functions]
    if unknown:
        raise TestsFileError(
            f"time_limit_ms_by_language: {', '.join(unknown)} is not a language of this file"
        )
    if not all(_is_limit(limit) for limit in value.values()):
        raise TestsFileError(
            "time_limit_ms_by_language: each limit must be a whole number of milliseconds, "
            "1 to 10000"
        )
    return dict(value)


def _language_map(raw: dict[str, Any], key: str) -> dict[str, str]:
    value = raw.get(key)
    if not isinstance(value, dict) or not value:
        raise TestsFileError(f"{key} must map a language ({', '.join(LANGUAGES)}) to text")
    unknown = [lang for lang in value if lang not in LANGUAGES]
    if unknown:
        raise TestsFileError(f"{key}: unknown language {', '.join(map(str, unknown))}")
    if any(not isinstance(text, str) or not text.strip() for text in value.values()):
        raise TestsFileError(f"{key}: every language needs non-empty text")
    return {lang: text for lang, text in value.items()}


def _cases(raw: Any) -> tuple[Case, ...]:
    if not isinstance(raw, list):
        raise TestsFileError("cases must be a list")
    cases: list[Case] = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not {"name", "args", "expected"} <= item.keys():
            raise TestsFileError(f"case {number} needs name, hidden, args and expected")
        if not isinstance(item["args"], list):
            raise TestsFileError(f"case {item['name']!r}: args must be a list of arguments")
        is_hidden = bool(item.get("hidden"))
        cases.append(Case(str(item["name"]), is_hidden, item["args"], item["expected"]))
    names = [case.name for case in cases]
    if len(set(names)) != len(names):
        raise TestsFileError("case names must be unique")
    visible = sum(not case.hidden for case in cases)
    hidden = len(cases) - visible
    if visible < MIN_VISIBLE or hidden < MIN_HIDDEN:
        raise TestsFileError(
            f"needs at least {MIN_VISIBLE} visible and {MIN_HIDDEN} hidden cases "
            f"(has {visible} visible, {hidden} hidden)"
        )
    return tuple(cases)
