"""Every bundled pack validates; broken files are reported precisely."""

from collections import Counter
from pathlib import Path

import pytest
import yaml

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
    assert counts["coding"] >= 50
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
    assert any(t.startswith("packs/x.yaml: pin-coding-board-reach: difficulty:") for t in text)
    assert any("pin-coding-board-reach: hints: Field required" in t for t in text)
    assert any("hints_typo: Extra inputs are not permitted" in t for t in text)


def test_invalid_yaml_names_the_line() -> None:
    pack, problems = parse_pack_text("pack: x\nquestions: [\n  - {", "packs/bad.yaml")
    assert pack is None and "not valid YAML at line" in str(problems[0])


def test_rubric_weights_and_sizes_are_enforced() -> None:
    broken = EXAMPLE.replace("weight: 3", "weight: 9")
    _, problems = parse_pack_text(broken, "f.yaml")
    assert any("rubric.0.weight" in str(p) for p in problems)


def test_tips_load() -> None:
    tips = load_tips()
    assert 8 <= len(tips) <= 25
    assert all(len(t.title) <= 80 for t in tips)


def test_packs_dir_is_inside_the_package() -> None:
    assert PACKS_DIR.is_dir() and PACKS_DIR.parent.name == "content"
