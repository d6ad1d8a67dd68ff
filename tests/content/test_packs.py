"""Every bundled pack validates; broken files are reported precisely."""

from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.loader import PACKS_DIR, check_packs, load_bank, pack_files, parse_pack_text
from bot.content.schema import ROUNDS, PackFile
from bot.content.tips import load_tips

EXAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "content-example.yaml").read_text()


@pytest.mark.parametrize("path", pack_files(), ids=lambda p: p.name)
def test_every_bundled_file_validates(path: Path) -> None:
    pack = PackFile.model_validate(yaml.safe_load(path.read_text("utf-8")))
    assert pack.questions


def test_bank_has_no_problems_and_meets_the_round_counts() -> None:
    bank, problems = check_packs()
    assert [str(p) for p in problems] == []
    counts = Counter(q.question.round for q in bank.questions())
    assert set(counts) == set(ROUNDS)
    assert counts["coding"] >= 80
    easy = Counter(q.question.round for q in bank.questions() if q.question.difficulty == "easy")
    assert easy["coding"] >= 25
    assert easy["ml_design"] >= 8
    assert counts["system_design"] >= 40
    assert counts["ml_design"] >= 45
    assert counts["behavioral"] >= 40
    assert counts["recruiter_screen"] >= 15


def test_the_seed_questions_are_all_present() -> None:
    bank = load_bank()
    seeded = [q.question for q in bank.questions() if "seed" in q.question.tags]
    assert len([q for q in seeded if q.round == "system_design"]) >= 9
    assert any(q.round == "behavioral" for q in seeded)


def test_ids_are_unique_across_files(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "a.yaml").write_text(EXAMPLE)
    (packs / "b.yaml").write_text(EXAMPLE)
    _, problems = check_packs(packs)
    assert [str(p) for p in problems] == [
        "packs/b.yaml: pin-coding-board-reach: duplicate id (also in packs/a.yaml)"
    ]


def test_a_broken_question_yields_file_id_and_problem() -> None:
    broken = EXAMPLE.replace("difficulty: medium", "difficulty: brutal").replace(
        "    hints:\n", "    hints_typo:\n"
    )
    pack, problems = parse_pack_text(broken, "packs/x.yaml")
    assert pack is None
    text = [str(p) for p in problems]
    # Said as an author wants it: the field in plain words and what it should hold.
    assert any(
        t.startswith("packs/x.yaml: pin-coding-board-reach: `difficulty` should be one of 'easy'")
        for t in text
    ), text
    assert any("pin-coding-board-reach: `hints` is missing: add it" in t for t in text)
    assert any("`hints_typo` is not a field questions have" in t for t in text)
    assert not any("Input should" in t or "Field required" in t for t in text)


def test_invalid_yaml_names_the_line() -> None:
    pack, problems = parse_pack_text("pack: x\nquestions: [\n  - {", "packs/bad.yaml")
    assert pack is None and "not valid YAML at line" in str(problems[0])


@settings(deadline=None)  # the first call loads the fact sheet
@given(st.integers(min_value=0, max_value=EXAMPLE.count("\n") - 1))
def test_a_yaml_error_names_one_line_the_one_that_is_wrong(after: int) -> None:
    """From the issue: a YAML error said "line 4 … line 3". A value holding `: ` unquoted is
    named at its own line, once, with what to do about it (or the indentation it breaks)."""
    lines = EXAMPLE.split("\n")
    indent = len(lines[after]) - len(lines[after].lstrip()) if lines[after].strip() else 0
    broken = [*lines[: after + 1], " " * indent + "note: see: below", *lines[after + 1 :]]
    pack, problems = parse_pack_text("\n".join(broken), "f.yaml")
    if pack is not None:  # a spot where the extra line is valid YAML (and schema) after all
        return
    message = str(problems[0])
    if "YAML" not in message:
        return  # parsed, and refused by the schema instead (an unknown field)
    assert message.count("line ") == 1
    assert f"line {after + 2}," in message
    assert "quotes" in message or "indentation" in message


def test_rubric_weights_and_sizes_are_enforced() -> None:
    broken = EXAMPLE.replace("weight: 3", "weight: 9")
    _, problems = parse_pack_text(broken, "f.yaml")
    assert any("`rubric`, item 1, `weight` should be at most" in str(p) for p in problems), problems


def test_tips_load() -> None:
    tips = load_tips()
    assert 8 <= len(tips) <= 25
    assert all(len(t.title) <= 80 for t in tips)


def test_packs_dir_is_inside_the_package() -> None:
    assert PACKS_DIR.is_dir() and PACKS_DIR.parent.name == "content"
