from bot.domain.points import daily_answer_points
from bot.domain.selection import Candidate, pick_question, unposted_count

POOL = [
    Candidate("c1", "coding", "easy"),
    Candidate("c2", "coding", "medium"),
    Candidate("c3", "coding", "hard"),
    Candidate("s1", "system_design", "hard"),
]


def test_never_repeats_until_the_round_pool_is_used_up() -> None:
    posted: dict[str, int] = {}
    seen = []
    for day in range(3):
        pick = pick_question(POOL, posted, round_name="coding", difficulty=None, seed=str(day))
        assert pick is not None
        seen.append(pick.question_id)
        posted[pick.question_id] = posted.get(pick.question_id, 0) + 1
    assert sorted(seen) == ["c1", "c2", "c3"]
    fourth = pick_question(POOL, posted, round_name="coding", difficulty=None, seed="3")
    assert fourth is not None and fourth.question_id in {"c1", "c2", "c3"}


def test_difficulty_is_a_preference_not_a_filter() -> None:
    pick = pick_question(POOL, {"c1": 1}, round_name="coding", difficulty="easy", seed="x")
    assert pick is not None and pick.question_id in {"c2", "c3"}
    easy = pick_question(POOL, {}, round_name="coding", difficulty="easy", seed="x")
    assert easy is not None and easy.question_id == "c1"


def test_draw_is_reproducible_and_empty_round_gives_none() -> None:
    a = pick_question(POOL, {}, round_name="coding", difficulty=None, seed="g:2026-11-26")
    b = pick_question(POOL, {}, round_name="coding", difficulty=None, seed="g:2026-11-26")
    assert a == b
    assert pick_question(POOL, {}, round_name="behavioral", difficulty=None, seed="x") is None
    assert unposted_count(POOL, {"c1": 2}, "coding") == 2


def test_quality_outweighs_volume_and_hints_cost() -> None:
    best = daily_answer_points(5.0, 5, hints_used=0)
    worst = daily_answer_points(1.0, 5, hints_used=0)
    assert best == 20 and worst == 3
    assert daily_answer_points(5.0, 5, hints_used=2) == 16
    assert daily_answer_points(0.0, 5, hints_used=3) == 1
