from hypothesis import given
from hypothesis import strategies as st

from bot.content.schema import DIFFICULTIES, Difficulty
from bot.domain.points import daily_answer_points
from bot.domain.schedule import DEFAULT_ROTATION, parse_rotation, reserved_difficulties
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


def test_a_plain_slot_leaves_a_reserved_difficulty_to_its_own_day() -> None:
    rotation = parse_rotation("coding,coding,coding,coding,coding,coding:easy,behavioral")
    plain, easy_day = rotation[0], rotation[5]
    assert reserved_difficulties(rotation, plain) == frozenset({"easy"})
    assert reserved_difficulties(rotation, easy_day) == frozenset()
    reserved = reserved_difficulties(rotation, plain)
    posted = {"c2": 1, "c3": 1}
    pick = pick_question(
        POOL, posted, round_name="coding", difficulty=None, seed="x", reserved=reserved
    )
    # A repeat of medium or hard before the easy day's question.
    assert pick is not None and pick.question_id in {"c2", "c3"}
    only_easy = [Candidate("e1", "coding", "easy")]
    fallback = pick_question(
        only_easy, {}, round_name="coding", difficulty=None, seed="x", reserved=reserved
    )
    assert fallback is not None and fallback.question_id == "e1"


@given(
    st.lists(st.sampled_from(DIFFICULTIES), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=200),
)
def test_the_easy_day_lasts_as_many_weeks_as_there_are_easy_questions(
    difficulties: list[Difficulty], weeks: int
) -> None:
    pool = [Candidate(f"q{i}", "coding", d) for i, d in enumerate(difficulties)]
    easy_count = difficulties.count("easy")
    has_other = len(pool) > easy_count
    rotation = parse_rotation(DEFAULT_ROTATION)
    posted: dict[str, int] = {}
    easy_days = 0
    for day in range(7 * weeks):
        slot = rotation[day % 7]
        if slot.round != "coding":
            continue
        pick = pick_question(
            pool,
            posted,
            round_name="coding",
            difficulty=slot.difficulty,
            seed=str(day),
            reserved=reserved_difficulties(rotation, slot),
        )
        assert pick is not None
        if slot.difficulty == "easy" and easy_days < easy_count and has_other:
            assert posted.get(pick.question_id, 0) == 0 and pick.difficulty == "easy"
            easy_days += 1
        elif slot.difficulty is None and has_other:
            assert pick.difficulty != "easy"
        posted[pick.question_id] = posted.get(pick.question_id, 0) + 1
