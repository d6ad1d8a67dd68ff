"""The offline grader: rubric coverage from each criterion's `signals`, read for substance.

It is what runs without an API key (and in the demo). It cannot judge correctness, only whether an
answer reasons about what the rubric asks for, so every grade it makes is labelled approximate;
when a coding answer's code ran against the question's tests, the criteria about the code follow
the tests instead. A
signal earns full credit only in a sentence that explains something or in code; in a bare keyword
list it earns a little, and filler, repeats and text copied from the prompt earn nothing (see
`offline_text`). Round-specific structure (`offline_structure`) rewards connected reasoning,
trade-offs given with a reason and numbers with units.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from bot.content.schema import Criterion, Question
from bot.domain.code_tests import RunEvidence, tested_score
from bot.domain.grading import (
    MAX_SCORE,
    CriterionScore,
    Grade,
    hiring_signal_for,
    looks_like_injection,
    overall_of,
    round_half_up,
)
from bot.domain.signals import signal_pattern, signal_target
from bot.i18n.messages import N_, number, tr, written_in
from bot.llm.base import (
    PHASE_LAST_ANSWER,
    PHASE_OPENING,
    PHASE_TESTS_FAILED,
    PHASE_TESTS_PASSED,
    PHASE_WRAP_UP,
    Transcript,
    candidate_turns,
)
from bot.llm.offline_clarify import clarification_for
from bot.llm.offline_feedback import (
    evidence,
    lower_first,
    question_terms,
    terms,
    uncovered_points,
)
from bot.llm.offline_structure import NUMBERS_WITH_UNITS, star_breakdown, structure_score
from bot.llm.offline_text import CONNECTIVES, Unit, UnitKind, answer_units, vocabulary_ratio
from bot.llm.usage import Operation

PROMPT_VERSION: Final = "offline-v2"

# Very short answers cannot be strong however many keywords they drop: (words below, cap).
_LENGTH_CAPS: Final = ((25, 1.5), (50, 2.5), (90, 3.5), (140, 4.3))
# A real attempt (not a one-liner) earns a small floor, rubric coverage earns most of a criterion's
# score and round-specific structure the rest. The total tops out at 4.5, not 5: matching keywords
# cannot show that an answer is correct, so the offline grader never awards full marks.
_ATTEMPT_WORDS: Final = 20
_ATTEMPT_FLOOR: Final = 0.5
_COVERAGE_SHARE: Final = 3.2
_STRUCTURE_SHARE: Final = 0.8
OFFLINE_CEILING: Final = _ATTEMPT_FLOOR + _COVERAGE_SHARE + _STRUCTURE_SHARE
# What one signal is worth by where it appears; a keyword list names things without relating them.
_CREDIT: Final[dict[UnitKind, float]] = {"prose": 1.0, "code": 1.0, "list": 0.15}
# Prose earns full credit with at least this many words of its own per signal it names, and less
# as the ratio falls towards one (a keyword with one stock word attached), never below a list.
_FULL_VOCABULARY_RATIO: Final = 2.0
# Using this share of the words of a criterion's description of a strong answer, in sentences that
# name a signal or a number, covers it up to _DESCRIBED_MAX: less than naming what the rubric names.
_DESCRIBED_FULL_SHARE: Final = 0.6
_DESCRIBED_MAX: Final = 0.6
# With test results, a criterion about the code scores within this much below what the pass rate
# allows: the tests decide, the explanation moves the score within the band.
_TESTS_BAND: Final = 1.0
# Words in a keyword list count for this much towards an answer's length.
_LIST_WORD_WEIGHT: Final = 0.5
# A sentence is about the question when it uses this many of the question's own terms.
_ON_TOPIC_TERMS: Final = 2

# The offline interviewer's own lines, said in the round's thread in the round's language (the
# server's); the question's follow-ups and clarifications stay in the pack's language.
# i18n: the mock interviewer speaking to the candidate, near the end of the round.
WRAP_UP_PROMPT: Final = N_(
    "We're close to time. Before we wrap up: is there anything you'd revisit or add to your "
    "answer? When you're done, use /mock end to get your scorecard."
)
# i18n: the mock interviewer, after the candidate's code failed a test.
TESTS_FAILED_PROMPT: Final = N_(
    "Let's look at the first failing test above. What does your code return on that input, and "
    "why? Walk me through it step by step."
)
# i18n: the mock interviewer, after the candidate's code passed every test.
TESTS_PASSED_PROMPT: Final = N_(
    "Every test passes. What are the time and space complexity, and which input would you still "
    "worry about?"
)
# i18n: the mock interviewer, after the candidate's last answer of the round.
LAST_ANSWER_REPLY: Final = N_(
    "Thank you, that was your last answer in this round. Use /mock end to get your scorecard."
)


def length_cap(words: float) -> float:
    for limit, cap in _LENGTH_CAPS:
        if words < limit:
            return cap
    return float(MAX_SCORE)


@dataclass(frozen=True)
class _Reading:
    """One answer as the grader reads it: its own units, and how much of it is substance."""

    units: list[Unit]
    words: float  # substantive words: code, on-topic prose, half of any keyword list
    structure: float
    credit: dict[UnitKind, float]  # what one signal earns in each kind of unit
    concrete_terms: set[str]  # content words of the prose and code that name a signal or number


def _concrete(unit: Unit, signals: Sequence[str]) -> bool:
    if unit.kind == "code" or NUMBERS_WITH_UNITS.search(unit.text):
        return True
    return any(signal_pattern(s).search(unit.text) for s in signals)


def _on_topic(unit: Unit, vocabulary: set[str], signals: Sequence[str]) -> bool:
    return len(terms(unit.text) & vocabulary) >= _ON_TOPIC_TERMS or _concrete(unit, signals)


def read_answer(question: Question, answer: str, hints: Sequence[str] = ()) -> _Reading:
    signals = [s for c in question.rubric for s in c.signals]
    units = answer_units(answer, signals, [question.prompt, *hints])
    vocabulary = question_terms(question)
    on_topic = [u for u in units if u.kind != "list" and _on_topic(u, vocabulary, signals)]
    written = sum(u.words for u in on_topic)
    words = written + _LIST_WORD_WEIGHT * sum(u.words for u in units if u.kind == "list")
    # Connectives count where they relate concrete things: a rubric signal or a measured number.
    reasoning = sum(
        len(CONNECTIVES.findall(u.text))
        for u in on_topic
        if u.kind == "prose" and _concrete(u, signals)
    )
    structure = structure_score(question.round, on_topic, reasoning, written)
    ratio = vocabulary_ratio(units, signals)
    prose = min(1.0, max(_CREDIT["list"], ratio - (_FULL_VOCABULARY_RATIO - 1.0)))
    concrete = [u for u in on_topic if _concrete(u, signals)]
    concrete_terms = terms(" ".join(u.text for u in concrete))
    return _Reading(units, words, structure, {**_CREDIT, "prose": prose}, concrete_terms)


def _best_matches(criterion: Criterion, reading: _Reading) -> list[tuple[str, Unit, re.Match[str]]]:
    """Each signal found, with the unit that credits it most (its first such occurrence)."""
    found: list[tuple[str, Unit, re.Match[str]]] = []
    for signal in criterion.signals:
        best: tuple[Unit, re.Match[str]] | None = None
        for unit in reading.units:
            match = signal_pattern(signal).search(unit.text)
            if match and (best is None or reading.credit[unit.kind] > reading.credit[best[0].kind]):
                best = (unit, match)
        if best is not None:
            found.append((signal, *best))
    return found


def _described(criterion: Criterion, reading: _Reading) -> float:
    """Coverage read from the criterion's description of a strong answer, for answers that say it
    in other words than its signals; paraphrase alone never covers a criterion fully."""
    wanted = terms(criterion.strong)
    if not wanted:
        return 0.0
    share = len(wanted & reading.concrete_terms) / len(wanted) * reading.credit["prose"]
    return min(_DESCRIBED_MAX, share / _DESCRIBED_FULL_SHARE)


def _criterion_score(
    criterion: Criterion, reading: _Reading, tests: RunEvidence | None, locale: str | None
) -> CriterionScore:
    found = _best_matches(criterion, reading)
    credit = sum(reading.credit[unit.kind] for _, unit, _ in found)
    coverage = max(
        min(1.0, credit / signal_target(len(criterion.signals))), _described(criterion, reading)
    )
    floor = _ATTEMPT_FLOOR if reading.words >= _ATTEMPT_WORDS else 0.0
    raw = floor + _COVERAGE_SHARE * coverage + _STRUCTURE_SHARE * reading.structure
    cap = length_cap(reading.words)
    if found:
        names = ", ".join(s for s, _, _ in found[:5])
        comment = tr(
            locale,
            "Mentions {names} ({found} of {signals} signals).",
            names=names,
            found=len(found),
            signals=len(criterion.signals),
        )
        if all(unit.kind == "list" for _, unit, _ in found):
            comment += " " + tr(locale, "Only as a list: explain how and why each applies.")
    else:
        comment = tr(locale, "No sign of this criterion in the answer.")
    if raw > cap:
        comment += " " + tr(locale, "Short answer: capped at {cap}.", cap=number(locale, cap))
    # Keywords cannot show that code works; the tests can, so they decide (within a band).
    score = tested_score(
        criterion.name, min(cap, raw), tests, ceiling=OFFLINE_CEILING, band=_TESTS_BAND
    )
    if tests is not None and score != min(cap, raw):
        comment += " " + tr(
            locale,
            "The tests decide this one: {passed} of {total} pass.",
            passed=tests.passed,
            total=tests.total,
        )
    _, unit, match = found[0] if found else (None, None, None)
    return CriterionScore(
        name=criterion.name,
        score=round_half_up(score),
        max=MAX_SCORE,
        weight=criterion.weight,
        evidence=evidence(unit.text, match) if unit and match else None,
        comment=comment,
    )


def _fix_the_tests(tests: RunEvidence, locale: str | None) -> str:
    first = next(iter(tests.failing), None)
    if first is None:
        return tr(
            locale,
            "Tests: {passed} of {total} pass. Make the code pass them; the correctness "
            "criteria follow the tests.",
            passed=tests.passed,
            total=tests.total,
        )
    return tr(
        locale,
        "Tests: {passed} of {total} pass. Make the code pass them, starting with “{case}”; the "
        "correctness criteria follow the tests.",
        passed=tests.passed,
        total=tests.total,
        case=first.name,
    )


class OfflineGrader:
    """Keyword-coverage grading read for substance: honest about what it is, deterministic, free."""

    name = "offline"
    approximate = True

    async def grade(
        self,
        question: Question,
        answer: str,
        *,
        locale: str | None = None,
        hints: Sequence[str] = (),
        tests: RunEvidence | None = None,
        clarified: bool | None = None,
    ) -> Grade:
        reading = read_answer(question, answer, hints)
        text = "\n".join(u.text for u in reading.units)
        scored = [(c, _criterion_score(c, reading, tests, locale)) for c in question.rubric]
        criteria = tuple(score for _, score in scored)
        strengths = [
            tr(locale, "{criterion}: well covered.", criterion=c.name)
            for c, score in scored
            if score.score >= 3.5
        ][:3]
        weakest = sorted(scored, key=lambda pair: (pair[1].score, -pair[0].weight))
        # The criterion's description stays in the pack's language, like its name.
        improvements = [
            tr(
                locale,
                "{criterion}: a strong answer {description}",
                criterion=c.name,
                description=lower_first(c.strong),
            )
            for c, score in weakest
            if score.score < 3.0
        ][:3]
        if tests is not None and tests.ran and tests.passed < tests.total:
            improvements = [_fix_the_tests(tests, locale), *improvements][:3]
        return Grade(
            overall=overall_of(criteria),
            max=MAX_SCORE,
            grader=self.name,
            model=None,
            prompt_version=PROMPT_VERSION,
            criteria=criteria,
            strengths=tuple(strengths),
            improvements=tuple(improvements),
            strong_answer_adds=tuple(uncovered_points(question.reference_outline, text)),
            star=star_breakdown(text, locale) if question.round == "behavioral" else None,
            injection_attempt=looks_like_injection(answer),
            approximate=True,
            # Its own sentences come from the `messages` catalog; quotes and criteria do not.
            language=written_in(locale),
            usage=None,
            tests=tests,
        )

    async def grade_transcript(
        self,
        question: Question,
        transcript: Transcript,
        *,
        locale: str | None = None,
        operation: Operation = "scorecard",
        tests: RunEvidence | None = None,
    ) -> Grade:
        said = "\n\n".join(candidate_turns(transcript))
        grade = await self.grade(question, said, locale=locale, tests=tests)
        # i18n: why the offline grader gave its hiring signal: a strength it found.
        reasons = [tr(locale, "Strength: {strength}", strength=s) for s in grade.strengths[:2]]
        # i18n: why the offline grader gave its hiring signal: a rubric criterion scored low.
        reasons += [
            tr(locale, "Gap: {criterion}", criterion=c.name)
            for c in grade.criteria
            if c.score < 2.5
        ][:2]
        if not reasons:
            reasons = [tr(locale, "Covered the rubric unevenly; see the per-criterion scores.")]
        return replace(
            grade, hiring_signal=hiring_signal_for(grade.overall), hiring_reasons=tuple(reasons)
        )

    async def interview_turn(
        self,
        question: Question,
        transcript: Transcript,
        *,
        phase: str | None,
        locale: str | None = None,
    ) -> str:
        """Follow-ups in pack order, one per candidate turn so far, then a wrap-up; a clarifying
        question the question's clarifications cover gets its answer instead."""
        said = candidate_turns(transcript)
        # Turns that only asked for a clarification do not use up a follow-up.
        turns = sum(1 for text in said if clarification_for(question.clarifications, text) is None)
        normalised = (phase or "").replace("-", "_").casefold()
        if normalised == PHASE_OPENING or (not said and normalised != PHASE_WRAP_UP):
            invite = tr(
                locale,
                "Take a minute to ask clarifying questions, then walk me through your approach.",
            )
            return f"**{question.title}**\n\n{question.prompt}\n\n{invite}"
        if normalised == PHASE_LAST_ANSWER:
            return tr(locale, LAST_ANSWER_REPLY)
        if normalised == PHASE_TESTS_FAILED:
            return tr(locale, TESTS_FAILED_PROMPT)
        if normalised == PHASE_TESTS_PASSED:
            return tr(locale, TESTS_PASSED_PROMPT)
        asked = clarification_for(question.clarifications, said[-1]) if said else None
        if asked is not None and normalised != PHASE_WRAP_UP:
            return asked.answer
        if normalised == PHASE_WRAP_UP or turns > len(question.follow_ups):
            return tr(locale, WRAP_UP_PROMPT)
        return question.follow_ups[turns - 1]

    async def aclose(self) -> None:
        return None
