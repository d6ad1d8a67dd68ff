"""Every coding question ships runnable tests: visible and hidden cases and reference solutions."""

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.loader import PACKS_DIR, TESTS_FOLDER, QuestionBank, check_packs, load_bank

LANGUAGES = ("python", "javascript")
# Near-duplicates that issue 19 removes from the pack; they get no tests of their own.
AWAITING_REMOVAL: set[str] = set()


def _tests_files() -> list[Path]:
    return sorted(PACKS_DIR.glob(f"*/{TESTS_FOLDER}/*.yaml"))


@cache
def _bank() -> QuestionBank:
    return load_bank()


def _load(path: Path) -> Any:
    return yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def test_every_coding_question_has_a_tests_file() -> None:
    bank = _bank()
    missing = [
        loaded.question.id
        for loaded in bank.questions()
        if loaded.question.round == "coding"
        and loaded.question.id not in AWAITING_REMOVAL
        and not (PACKS_DIR / loaded.pack / TESTS_FOLDER / f"{loaded.question.id}.yaml").is_file()
    ]
    assert missing == []


@pytest.mark.parametrize("path", _tests_files(), ids=lambda p: p.stem)
def test_tests_file_names_a_coding_question_and_carries_enough_cases(path: Path) -> None:
    spec = _load(path)
    question = _bank().get(spec["question"])
    assert spec["question"] == path.stem
    assert question is not None and question.round == "coding"
    assert all(spec["function"].get(language) for language in LANGUAGES)
    assert all(spec["reference"].get(language, "").strip() for language in LANGUAGES)
    assert spec["compare"] in ("exact", "unordered", "float")
    assert spec["time_limit_ms"] > 0
    cases = spec["cases"]
    names = [case["name"] for case in cases]
    assert len(set(names)) == len(names)
    assert all("args" in case and "expected" in case for case in cases)
    assert sum(not case["hidden"] for case in cases) >= 3
    assert sum(bool(case["hidden"]) for case in cases) >= 8


def test_the_loader_does_not_read_tests_as_questions(tmp_path: Path) -> None:
    pack = tmp_path / "packs" / "demo"
    (pack / TESTS_FOLDER).mkdir(parents=True)
    example = Path(__file__).resolve().parents[2] / "docs" / "content-example.yaml"
    (pack / "coding.yaml").write_text(example.read_text("utf-8"))
    (pack / TESTS_FOLDER / "pin-coding-board-reach.yaml").write_text(
        "question: pin-coding-board-reach\ncases: []\n"
    )
    bank, problems = check_packs(tmp_path / "packs")
    assert [str(p) for p in problems] == []
    assert bank.get("pin-coding-board-reach") is not None
