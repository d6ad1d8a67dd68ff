"""Load question packs from YAML and report every problem as `file: id: problem`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.content.author_errors import validation_problem, yaml_problem
from bot.content.facts import FactSheet, load_facts, resolve_placeholders
from bot.content.review import pending_review, review_question
from bot.content.schema import TRANSLATION_LOCALES, PackFile, Question

PACKS_DIR = Path(__file__).resolve().parent / "packs"
# Each pack's `tests/` folder holds the code-runner cases of its coding questions, not questions.
TESTS_FOLDER = "tests"


@dataclass(frozen=True)
class Problem:
    file: str
    question_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.question_id}: {self.message}"


@dataclass(frozen=True)
class LoadedQuestion:
    pack: str
    question: Question


@dataclass
class QuestionBank:
    """Every bundled question, by id, with the pack each came from."""

    by_id: dict[str, LoadedQuestion] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, question_id: str) -> Question | None:
        loaded = self.by_id.get(question_id)
        return loaded.question if loaded else None

    def questions(self) -> Iterator[LoadedQuestion]:
        return iter(self.by_id.values())

    def translated(self) -> dict[str, int]:
        """How many questions have a translated title or prompt, by locale (Discord's order)."""
        return translation_counts(loaded.question for loaded in self.questions())


def translation_counts(questions: Iterable[Question]) -> dict[str, int]:
    """Locale -> how many of `questions` have a translation in it; locales with none left out."""
    counts = dict.fromkeys(TRANSLATION_LOCALES, 0)
    for question in questions:
        for code in question.translations:
            counts[code] += 1
    return {code: count for code, count in counts.items() if count}


class ContentError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _question_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
        return str(raw["id"])
    return f"questions[{index}]"


def _resolve_facts(raw: dict[str, Any], file_label: str, facts: FactSheet) -> list[Problem]:
    """Fill `{fact:KEY}` placeholders in place; an unknown key is a problem of its question."""
    listed = raw.get("questions")
    if not isinstance(listed, list):
        return []
    problems = []
    for index, question in enumerate(listed):
        resolved, unknown = resolve_placeholders(question, facts)
        listed[index] = resolved
        label = _question_label(question, index)
        problems += [Problem(file_label, label, f"unknown fact `{{fact:{k}}}`") for k in unknown]
    return problems


def parse_pack_text(
    text: str, file_label: str, facts: FactSheet | None = None
) -> tuple[PackFile | None, list[Problem]]:
    """Validate one YAML document; on failure list every problem, question by question."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return None, [Problem(file_label, "-", yaml_problem(exc))]
    if not isinstance(raw, dict):
        return None, [Problem(file_label, "-", "expected a mapping with `pack` and `questions`")]
    unknown_facts = _resolve_facts(raw, file_label, facts or load_facts())
    if unknown_facts:
        return None, unknown_facts
    try:
        return PackFile.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        listed = raw.get("questions")
        questions: list[Any] = listed if isinstance(listed, list) else []
        for error in exc.errors():
            loc = list(error["loc"])
            label = "-"
            if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
                index = loc[1]
                label = _question_label(questions[index] if index < len(questions) else None, index)
                loc = loc[2:]
            problems.append(Problem(file_label, label, validation_problem(error, loc)))
        return None, problems


def duplicate_id_problems(entries: Iterable[tuple[str, str]]) -> list[Problem]:
    """`entries` are (file, id); ids must be unique across every pack."""
    first_seen: dict[str, str] = {}
    problems = []
    for file_label, question_id in entries:
        if question_id in first_seen:
            problems.append(
                Problem(
                    file_label, question_id, f"duplicate id (also in {first_seen[question_id]})"
                )
            )
        else:
            first_seen[question_id] = file_label
    return problems


def pack_files(directory: Path = PACKS_DIR) -> list[Path]:
    return sorted(
        path
        for path in directory.rglob("*.yaml")
        if TESTS_FOLDER not in path.relative_to(directory).parts[:-1]
    )


def review_problems(
    bank: QuestionBank, labels: dict[str, str], pending: frozenset[str]
) -> tuple[list[Problem], list[Problem]]:
    """(failures, pending): review rules broken by each question; a question still waiting for
    its rewrite reports them as pending, and one that passes must leave the pending list."""
    facts = load_facts()
    failures: list[Problem] = []
    waiting: list[Problem] = []
    for loaded in bank.questions():
        question = loaded.question
        found = [
            Problem(labels[question.id], question.id, m) for m in review_question(question, facts)
        ]
        if question.id not in pending:
            failures += found
        elif found:
            waiting += found
        else:
            failures.append(
                Problem(
                    labels[question.id],
                    question.id,
                    "passes review: remove it from pending-review.txt",
                )
            )
    return failures, waiting


def check_packs(
    directory: Path = PACKS_DIR, pending: frozenset[str] | None = None
) -> tuple[QuestionBank, list[Problem]]:
    """Every pack's questions and every problem that makes the content unfit to ship."""
    bank, problems, _ = review_packs(directory, pending)
    return bank, problems


def review_packs(
    directory: Path = PACKS_DIR, pending: frozenset[str] | None = None
) -> tuple[QuestionBank, list[Problem], list[Problem]]:
    """Like check_packs, plus the review problems of questions still waiting for their rewrite."""
    bank, problems, labels = _load_packs(directory)
    failures, waiting = review_problems(
        bank, labels, pending_review() if pending is None else pending
    )
    return bank, problems + failures, waiting


def _load_packs(directory: Path) -> tuple[QuestionBank, list[Problem], dict[str, str]]:
    bank = QuestionBank()
    problems: list[Problem] = []
    entries: list[tuple[str, str]] = []
    labels: dict[str, str] = {}
    for path in pack_files(directory):
        label = str(path.relative_to(directory.parent))
        pack, found = parse_pack_text(path.read_text(encoding="utf-8"), label)
        problems.extend(found)
        if pack is None:
            continue
        for question in pack.questions:
            entries.append((label, question.id))
            labels.setdefault(question.id, label)
            bank.by_id.setdefault(question.id, LoadedQuestion(pack.pack, question))
    problems.extend(duplicate_id_problems(entries))
    return bank, problems, labels


def load_bank(directory: Path = PACKS_DIR) -> QuestionBank:
    """The questions the bot serves; only broken files stop it (review rules are for authors)."""
    bank, problems, _ = _load_packs(directory)
    if problems:
        raise ContentError(problems)
    return bank


def export_rows(bank: QuestionBank) -> list[dict[str, Any]]:
    rows = []
    for loaded in bank.questions():
        row = loaded.question.model_dump(mode="json")
        row["pack"] = loaded.pack
        rows.append(row)
    return rows
