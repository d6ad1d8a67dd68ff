"""Point values, the daily cap, rubric themes, trends and the practice pick (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.loader import load_bank
from bot.domain.points import (
    DAILY_CAP,
    daily_answer_points,
    mock_round_points,
    practice_answer_points,
    streak_bonus_points,
    within_cap,
)
from bot.domain.progress import (
    THEMES,
    CriterionResult,
    GradedAnswer,
    PracticeCandidate,
    SeasonNotStarted,
    parse_season,
    period_label,
    pick_practice,
    round_averages,
    theme_of,
    theme_trends,
)


def test_quality_matters_more_than_volume() -> None:
    best = daily_answer_points(5.0, 5, 0)
    weak = daily_answer_points(1.0, 5, 0)
    assert best == 20 and weak == 3
    assert best > 3 * daily_answer_points(2.0, 5, 0)  # one excellent answer beats three weak
    assert daily_answer_points(4.0, 5, 2) == daily_answer_points(4.0, 5, 0) - 4
    assert daily_answer_points(0.0, 5, 3) == 1  # never below the minimum
    assert practice_answer_points(2.4, 5) == 0  # practice below half marks earns nothing
    assert practice_answer_points(5.0, 5) == 10
    assert mock_round_points(5.0, 5) > mock_round_points(2.5, 5) * 2


def test_daily_cap_and_streak_bonus() -> None:
    assert within_cap(20, 0) == 20
    assert within_cap(20, DAILY_CAP - 5) == 5
    assert within_cap(20, DAILY_CAP) == 0
    assert [streak_bonus_points(n) for n in (0, 1, 2, 7, 30)] == [0, 0, 1, 6, 10]


@pytest.mark.parametrize(
    ("name", "round_name", "theme"),
    [
        ("Capacity and hot-key analysis", "system_design", "capacity estimates"),
        ("Storage and bandwidth estimates", "system_design", "capacity estimates"),
        ("Complexity and tests", "coding", "complexity"),
        ("Quantified result", "behavioral", "STAR results"),
        ("Personal ownership", "behavioral", "ownership"),
        ("Tie-breaking and result rules", "coding", "edge cases"),
        ("Offline metrics matched to the task", "ml_design", "evaluation and metrics"),
        ("Two balanced heaps", "coding", "two balanced heaps"),
    ],
)
def test_criteria_group_into_themes(name: str, round_name: str, theme: str) -> None:
    assert theme_of(name, round_name) == theme


def test_most_bundled_criteria_share_a_theme() -> None:
    names = [(c.name, q.question.round) for q in load_bank().questions() for c in q.question.rubric]
    # A criterion named exactly like its theme ("Complexity") is themed, not left on its own.
    themes = {theme for theme, _ in THEMES}
    themed = [n for n, r in names if theme_of(n, r) in themes]
    assert len(themed) / len(names) > 0.5


def graded(when: int, round_name: str, scores: dict[str, float], qid: str = "q") -> GradedAnswer:
    criteria = tuple(CriterionResult(name, s, 5, 1) for name, s in scores.items())
    overall = sum(scores.values()) / len(scores)
    return GradedAnswer(
        question_id=f"{qid}-{when}",
        round=round_name,
        source="daily",
        overall=overall,
        max=5,
        submitted_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=when),
        criteria=criteria,
    )


def test_trends_name_the_weakest_themes_and_their_direction() -> None:
    answers = [
        graded(1, "system_design", {"Capacity estimate": 1.0, "Serving and latency": 4.0}),
        graded(2, "system_design", {"Scoping and capacity estimate": 1.5, "Trade-offs": 4.5}),
        graded(3, "behavioral", {"Quantified result": 2.0, "Personal ownership": 4.0}),
        graded(4, "system_design", {"Throughput and capacity planning": 3.0}),
        graded(5, "system_design", {"Capacity and storage": 3.5}),
    ]
    trends = theme_trends(answers)
    assert [t.theme for t in trends[:2]] == ["STAR results", "capacity estimates"]
    capacity = trends[1]
    assert capacity.samples == 4 and capacity.average == pytest.approx(2.25)
    assert capacity.change == pytest.approx(3.25 - 1.25)  # improving
    assert round_averages(answers)["behavioral"] == pytest.approx(3.0)


def test_practice_pick_aims_at_weak_themes_and_skips_answered() -> None:
    trends = theme_trends(
        [graded(1, "system_design", {"Capacity estimate": 1.0, "Trade-offs": 5.0})]
    )
    candidates = [
        PracticeCandidate("feed", "system_design", "hard", (("Trade-offs and cost", 5),)),
        PracticeCandidate("cdn", "system_design", "medium", (("Bandwidth and cache sizing", 4),)),
        PracticeCandidate(
            "kv", "system_design", "medium", (("Key space and storage estimate", 5),)
        ),
        PracticeCandidate("bfs", "coding", "easy", (("Complexity", 3),)),
    ]
    first = pick_practice(candidates, trends, {"kv"}, round_name=None, seed="a")
    assert first is not None and first.question_id == "cdn"
    assert first.aims_at[0] == "capacity estimates"
    coding = pick_practice(candidates, trends, set(), round_name="coding", seed="a")
    assert coding is not None and coding.question_id == "bfs"
    assert pick_practice(candidates, trends, {"bfs"}, round_name="coding", seed="a") is None
    # The same seed gives the same question: asking again the same day is not a reroll.
    fresh = [pick_practice(candidates, [], set(), round_name=None, seed="x") for _ in range(3)]
    assert len({p.question_id for p in fresh if p}) == 1


def test_seasons_and_labels() -> None:
    today = date(2026, 11, 26)
    assert parse_season("2026-10", today) == "m2026-10"
    for bad in ("2026-13", "2026-00", "October", "2026-1"):
        with pytest.raises(ValueError) as refused:
            parse_season(bad, today)
        assert not isinstance(refused.value, SeasonNotStarted), bad
    with pytest.raises(SeasonNotStarted):
        parse_season("2027-01", today)
    assert period_label("m2026-10", today) == "October 2026"
    assert period_label("m2026-11", today) == "this month"
    assert period_label("w2026-11-23", today) == "this week"
    assert period_label("w2026-11-16", today) == "week of 16 Nov 2026"
    assert period_label("all", today) == "all time"


@given(
    overall=st.floats(0, 5),
    hints=st.integers(0, 3),
)
def test_an_injection_attempt_earns_the_minimum_whatever_the_score(
    overall: float, hints: int
) -> None:
    assert daily_answer_points(overall, 5, hints, injection_attempt=True) == 1
    assert practice_answer_points(overall, 5, injection_attempt=True) == 0
    assert mock_round_points(overall, 5, injection_attempt=True) == mock_round_points(0.0, 5)
