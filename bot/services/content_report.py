"""`content report`: the pack's size and balance, its closest pair of questions, what pasting a
prompt back scores, and how long the default daily rotation lasts before a round repeats."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from bot.content.loader import QuestionBank
from bot.content.schema import DIFFICULTIES, ROUNDS, Difficulty, Question, Round
from bot.domain.schedule import DEFAULT_ROTATION, parse_rotation, reserved_difficulties
from bot.domain.selection import Candidate, pick_question
from bot.llm.offline import OfflineGrader

# Pasting the prompt back should score badly; above this it gives too much away.
PASTED_PROMPT_WARNING = 2.5
_ROTATION_HORIZON_DAYS = 366 * 5
_WORD = re.compile(r"[a-z][a-z0-9+#-]{2,}")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "the and for with that this you your are from how what which when would will can each "
        "one all not any but into its has have was were they them their pin pins pinterest "
        "user users",
    )
)


@dataclass(frozen=True)
class RotationLife:
    slot: str  # e.g. "coding (easy)"
    uses_per_week: int
    weeks: float | None  # None: lasts beyond the horizon


@dataclass(frozen=True)
class ContentReport:
    counts: dict[tuple[Round, Difficulty], int]
    closest: tuple[str, str, float] | None
    pasted_scores: dict[str, float]
    rotation: tuple[RotationLife, ...]

    @property
    def worst_pasted(self) -> tuple[str, float] | None:
        if not self.pasted_scores:
            return None
        question_id = max(self.pasted_scores, key=lambda q: self.pasted_scores[q])
        return question_id, self.pasted_scores[question_id]


def _terms(question: Question) -> Counter[str]:
    text = f"{question.title} {question.prompt} {question.reference_outline}".casefold()
    return Counter(w for w in _WORD.findall(text) if w not in _STOP)


def closest_pair(questions: list[Question]) -> tuple[str, str, float] | None:
    """The two most similar questions: cosine of their tf-idf vectors (title, prompt, outline)."""
    terms = {q.id: _terms(q) for q in questions}
    documents = Counter(w for counts in terms.values() for w in counts)
    idf = {w: math.log(len(terms) / n) for w, n in documents.items()}
    vectors = {}
    for qid, counts in terms.items():
        vector = {w: (1 + math.log(n)) * idf[w] for w, n in counts.items() if idf[w] > 0}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors[qid] = {w: v / norm for w, v in vector.items()}
    best: tuple[str, str, float] | None = None
    for a, b in combinations(sorted(vectors), 2):
        small, large = sorted((vectors[a], vectors[b]), key=len)
        score = sum(v * large.get(w, 0.0) for w, v in small.items())
        if best is None or score > best[2]:
            best = (a, b, score)
    return best


def rotation_life(
    questions: list[Question], rotation_text: str = DEFAULT_ROTATION
) -> tuple[RotationLife, ...]:
    """Simulate one server's daily posts: the week a slot first gets a repeat (or, for a slot with
    a difficulty, a question of another difficulty because its own are used up)."""
    rotation = parse_rotation(rotation_text)
    candidates = [Candidate(q.id, q.round, q.difficulty) for q in questions]
    posted: Counter[str] = Counter()
    ended: dict[str, float] = {}
    labels = [slot.label() for slot in rotation]
    for day in range(_ROTATION_HORIZON_DAYS):
        slot = rotation[day % 7]
        label = slot.label()
        pick = pick_question(
            candidates,
            posted,
            round_name=slot.round,
            difficulty=slot.difficulty,
            seed=str(day),
            reserved=reserved_difficulties(rotation, slot),
        )
        if pick is None:
            ended.setdefault(label, day / 7)
            continue
        if label not in ended and (
            posted[pick.question_id] or (slot.difficulty and pick.difficulty != slot.difficulty)
        ):
            ended[label] = day / 7
        posted[pick.question_id] += 1
        if len(ended) == len(set(labels)):
            break
    uses = Counter(labels)
    return tuple(
        RotationLife(label, uses[label], ended.get(label)) for label in dict.fromkeys(labels)
    )


async def build_report(bank: QuestionBank) -> ContentReport:
    questions = [loaded.question for loaded in bank.questions()]
    counts = Counter((q.round, q.difficulty) for q in questions)
    grader = OfflineGrader()
    pasted = {}
    for question in questions:
        grade = await grader.grade(question, f"{question.title}\n\n{question.prompt}")
        pasted[question.id] = grade.overall
    return ContentReport(
        counts={(r, d): counts.get((r, d), 0) for r in ROUNDS for d in DIFFICULTIES},
        closest=closest_pair(questions),
        pasted_scores=pasted,
        rotation=rotation_life(questions),
    )


def report_lines(report: ContentReport) -> list[str]:
    lines = [f"{'round':<18}" + "".join(f"{d:>8}" for d in DIFFICULTIES) + f"{'total':>8}"]
    for round_name in ROUNDS:
        row = [report.counts[(round_name, d)] for d in DIFFICULTIES]
        lines.append(f"{round_name:<18}" + "".join(f"{n:>8}" for n in row) + f"{sum(row):>8}")
    total = [sum(report.counts[(r, d)] for r in ROUNDS) for d in DIFFICULTIES]
    lines.append(f"{'all':<18}" + "".join(f"{n:>8}" for n in total) + f"{sum(total):>8}")
    if report.closest is not None:
        a, b, score = report.closest
        lines.append(f"closest pair: {a} / {b}: similarity {score:.3f}")
    worst = report.worst_pasted
    if worst is not None:
        over = sum(1 for s in report.pasted_scores.values() if s >= PASTED_PROMPT_WARNING)
        lines.append(
            f"prompt pasted back as the answer (offline grader): max {worst[1]:.1f}/5 "
            f"({worst[0]}); {over} question(s) at {PASTED_PROMPT_WARNING} or more"
        )
    lines.append("default rotation: weeks until a slot repeats a question")
    for life in report.rotation:
        weeks = "over 5 years" if life.weeks is None else f"{life.weeks:.1f} weeks"
        lines.append(f"  {life.slot:<22} {life.uses_per_week}x/week  {weeks}")
    return lines
