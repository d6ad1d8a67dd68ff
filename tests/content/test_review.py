"""The review rules: prompts that test the candidate, hints that nudge, one set of facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.content.facts import load_facts, parse_facts
from bot.content.loader import check_packs, parse_pack_text, review_packs
from bot.content.review import (
    GRADING_LANGUAGE,
    HINT_SHARE_LIMIT,
    TECHNIQUE_TAGS,
    hint_share,
    pending_review,
    review_question,
)
from bot.content.schema import Question

FACTS = load_facts()


def question(**changes: Any) -> Question:
    raw: dict[str, Any] = {
        "id": "pin-coding-x",
        "round": "coding",
        "title": "Boards within reach",
        "prompt": "Given boards and directed repin edges, count the boards reachable from s in "
        "at most k repins.",
        "difficulty": "easy",
        "tags": ["graphs", "bfs"],
        "time_box_minutes": 30,
        "rubric": [
            {
                "name": "Bounded traversal",
                "weight": 3,
                "strong": "Traverses level by level and stops expanding at depth k.",
                "weak": "Ignores the depth limit entirely.",
                "signals": ["level", "depth", "queue", "frontier"],
            },
            {
                "name": "Cycles handled",
                "weight": 2,
                "strong": "Marks boards as visited when they are enqueued.",
                "weak": "Loops forever on a cycle.",
                "signals": ["visited", "cycle", "seen"],
            },
            {
                "name": "Complexity",
                "weight": 1,
                "strong": "States linear time in boards plus edges.",
                "weak": "No complexity given.",
                "signals": ["o(n + e)", "linear", "adjacency list"],
            },
        ],
        "hints": ["Which boards can you reach in one repin?", "What stops you going round a loop?"],
        "follow_ups": ["What if edges had weights?", "What if the graph did not fit in memory?"],
        "reference_outline": "- BFS from s, level by level, for k levels, with a visited set.\n"
        "- O(n + e) time and space.",
        "notes": "After the bounded traversal and the visited set; BFS is the expected tool.",
    }
    raw.update(changes)
    return Question.model_validate(raw)


def test_the_baseline_question_passes() -> None:
    assert review_question(question(), FACTS) == []


@pytest.mark.parametrize(
    "phrase",
    ["The interviewer is probing for", "A strong answer covers", "We look for", "Cover: metrics"],
)
def test_grading_language_in_the_prompt_fails(phrase: str) -> None:
    problems = review_question(question(prompt=f"{question().prompt}\n\n{phrase} x."), FACTS)
    assert any("grading language" in p for p in problems)


@given(st.sampled_from(sorted(TECHNIQUE_TAGS)))
def test_a_title_naming_its_tagged_technique_fails(tag: str) -> None:
    name = TECHNIQUE_TAGS[tag][0]
    problems = review_question(question(title=f"Boards with {name}", tags=["graphs", tag]), FACTS)
    assert any(f"`{tag}`" in p for p in problems)


def test_a_technique_not_in_the_tags_is_allowed() -> None:
    assert review_question(question(title="Boards without a heap"), FACTS) == []


def test_quoting_a_rubric_criterion_fails() -> None:
    quoted = question(prompt=question().prompt + " Marks boards as visited when they are enqueued.")
    named = question(prompt=question().prompt + " Mind the bounded traversal.")
    assert any("quotes rubric criterion" in p for p in review_question(quoted, FACTS))
    assert any("names rubric criterion" in p for p in review_question(named, FACTS))


def test_hints_that_give_the_rubric_away_fail() -> None:
    generous = question(
        hints=[
            "Go level by level with a queue and a frontier; stop at depth k?",
            "Keep a visited set so a cycle is seen once; it is linear with an adjacency list.",
        ]
    )
    assert hint_share(generous) > HINT_SHARE_LIMIT
    assert any("hints together" in p for p in review_question(generous, FACTS))


def test_the_first_hint_asks_a_question() -> None:
    problems = review_question(question(hints=["Think about levels.", "Then loops."]), FACTS)
    assert "the first hint should ask the candidate a question back" in problems


def test_design_questions_need_a_short_brief_and_clarifications() -> None:
    problems = review_question(question(round="system_design", prompt="x " * 500), FACTS)
    assert any("a design brief is at most" in p for p in problems)
    assert any("clarifications; a design question has at least" in p for p in problems)


@pytest.mark.parametrize(
    "text",
    ["Scale: 400M monthly active users.", "MAU: 500 million", "an Idea Pin with steps"],
)
def test_a_figure_or_name_that_contradicts_the_facts_fails(text: str) -> None:
    assert review_question(question(notes=f"Context. {text}"), FACTS) != []


def test_the_confirmed_figure_and_its_placeholder_pass() -> None:
    assert FACTS.facts["mau"].confirmed
    text = "Pinterest has {fact:mau} monthly active users and 600M MAU."
    resolved, unknown = FACTS.resolve(text)
    assert unknown == [] and "{fact" not in resolved
    assert review_question(question(notes=resolved), FACTS) == []


def test_every_fact_names_a_source_and_a_date() -> None:
    for fact in FACTS.facts.values():
        assert fact.source and fact.as_of and isinstance(fact.confirmed, bool)


def test_placeholders_are_resolved_on_load_and_unknown_keys_reported() -> None:
    raw = {"pack": "x", "questions": [question(prompt="There are {fact:mau} monthly " * 3)]}
    text = yaml.safe_dump(
        {"pack": "x", "questions": [q.model_dump(exclude_none=True) for q in raw["questions"]]}
    )
    pack, problems = parse_pack_text(text, "f.yaml")
    assert problems == [] and pack is not None
    assert "600 million monthly" in pack.questions[0].prompt
    broken, problems = parse_pack_text(text.replace("{fact:mau}", "{fact:nope}"), "f.yaml")
    assert broken is None
    assert [str(p) for p in problems] == ["f.yaml: pin-coding-x: unknown fact `{fact:nope}`"]


def _pack_dir(tmp_path: Path, q: Question) -> Path:
    packs = tmp_path / "packs"
    packs.mkdir(parents=True)
    dumped = {"pack": "x", "questions": [q.model_dump(exclude_none=True)]}
    (packs / "a.yaml").write_text(yaml.safe_dump(dumped))
    (packs / "tests").mkdir()
    (packs / "tests" / "pin-coding-x.yaml").write_text("question: pin-coding-x\n")
    return packs


def test_pending_questions_are_reported_apart_and_leave_the_list_once_they_pass(
    tmp_path: Path,
) -> None:
    bad = question(title="Boards with BFS")
    packs = _pack_dir(tmp_path, bad)
    _, problems, waiting = review_packs(packs, frozenset({"pin-coding-x"}))
    assert problems == [] and any("`bfs`" in p.message for p in waiting)
    _, problems = check_packs(packs, frozenset())
    assert any("`bfs`" in p.message for p in problems)
    good = _pack_dir(tmp_path / "good", question())
    _, problems = check_packs(good, frozenset({"pin-coding-x"}))
    assert [p.message for p in problems] == ["passes review: remove it from pending-review.txt"]


def test_the_pending_list_names_only_bundled_questions() -> None:
    bank, _ = check_packs()
    assert pending_review() <= set(bank.by_id)


def test_a_fact_sheet_without_values_checks_nothing() -> None:
    sheet = parse_facts(
        {"facts": {"x": {"text": "t", "source": "s", "as_of": "d", "confirmed": 1}}}
    )
    assert sheet.resolve("{fact:x}") == ("t", [])


def test_grading_phrases_are_all_lowercase_patterns() -> None:
    assert all(p == p.casefold() for p in GRADING_LANGUAGE)
