"""The phases of a round's time box: what the interviewer pushes on when, and how much time is
left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from bot.content.schema import Round
from bot.domain.mock.round import MAX_CANDIDATE_TURNS, MockRound
from bot.i18n.messages import N_


@dataclass(frozen=True)
class Phase:
    key: str
    label: str
    start: float  # fraction of the time box
    focus: str  # what the interviewer pushes on in this phase
    tip: str  # what the candidate is told when the phase begins


PHASES: Final[dict[Round, tuple[Phase, ...]]] = {
    "coding": (
        Phase(
            "approach",
            N_("Clarify and approach"),
            0.0,
            "clarify the problem, then get the approach and its time and space complexity "
            "before any code",
            N_("clarify, then give your approach and its complexity before coding."),
        ),
        Phase(
            "code",
            N_("Code"),
            0.3,
            "the candidate writes the code; probe correctness, naming and edge cases",
            N_("write the code, in a code block."),
        ),
        Phase(
            "test",
            N_("Test and optimise"),
            0.75,
            "walk through an example and the edge cases; ask whether the complexity can improve",
            N_("walk through an example, the edge cases, and whether it can be faster."),
        ),
    ),
    "system_design": (
        Phase(
            "requirements",
            N_("Requirements"),
            0.0,
            "functional and non-functional requirements and scale estimates",
            N_("pin down the requirements and the scale."),
        ),
        Phase(
            "high_level",
            N_("High-level design"),
            0.2,
            "the main components, the data flow, the APIs and the data model",
            N_("sketch the main components, APIs and data flow."),
        ),
        Phase(
            "deep_dive",
            N_("Deep dive"),
            0.5,
            "one or two components in depth: bottlenecks, trade-offs, failure modes",
            N_("go deep on one or two components: bottlenecks, trade-offs, failures."),
        ),
        Phase(
            "wrap_up",
            N_("Wrap-up"),
            0.85,
            "what the candidate would revisit, monitor or build next",
            N_("sum up, name the risks and what you would do next."),
        ),
    ),
    "ml_design": (
        Phase(
            "problem",
            N_("Problem and metrics"),
            0.0,
            "the business goal, the ML objective, and offline and online metrics",
            N_("frame the problem and choose offline and online metrics."),
        ),
        Phase(
            "data",
            N_("Data and features"),
            0.2,
            "training data, labels, features and their freshness",
            N_("cover the data, the labels and the features."),
        ),
        Phase(
            "model",
            N_("Model and training"),
            0.4,
            "the model choice, training, evaluation and baselines",
            N_("choose a model, how to train it and how to evaluate it."),
        ),
        Phase(
            "serving",
            N_("Serving and monitoring"),
            0.65,
            "serving at scale, latency budgets, monitoring, drift and iteration",
            N_("serve it at scale, monitor it, and say how you'd iterate."),
        ),
        Phase(
            "wrap_up",
            N_("Wrap-up"),
            0.9,
            "risks and next steps",
            N_("sum up the design and its risks."),
        ),
    ),
    "behavioral": (
        Phase(
            "story",
            N_("Your story"),
            0.0,
            "one STAR story: the situation, the task, what the candidate personally did, and a "
            "measurable result",
            N_("tell one STAR story."),
        ),
        Phase(
            "probe",
            N_("Follow-ups"),
            0.5,
            "the missing or vague STAR parts, and what the candidate did themselves ('I', not "
            "'we')",
            N_("fill in any missing STAR part and say what you did."),
        ),
        Phase(
            "wrap_up",
            N_("Wrap-up"),
            0.85,
            "what the candidate learned and would do differently",
            N_("say what you learned and would do differently."),
        ),
    ),
    "recruiter_screen": (
        Phase(
            "background",
            N_("Background"),
            0.0,
            "a short, relevant walk through the candidate's background and current work",
            N_("walk through your background in two or three minutes."),
        ),
        Phase(
            "motivation",
            N_("Motivation"),
            0.35,
            "why Pinterest and this team, specifically, and the candidate's relevant experience",
            N_("say why Pinterest, and which of your work fits this team."),
        ),
        Phase(
            "logistics",
            N_("Logistics and questions"),
            0.75,
            "timeline, location and level, and the candidate's own questions for the recruiter",
            N_("cover timeline and location, and ask your questions."),
        ),
    ),
}


# A phone screen: two coding questions in one hour, the second from the halfway mark on. The
# second question's first phase opens with the question itself, not with a nudge.
SECOND_QUESTION_PHASE: Final = "q2_approach"
PHONE_SCREEN_PHASES: Final = (
    Phase(
        "q1_approach",
        N_("Question 1: clarify and approach"),
        0.0,
        "the first question: clarify it, then the approach and its complexity before any code",
        N_("clarify, then give your approach and its complexity before coding."),
    ),
    Phase(
        "q1_code",
        N_("Question 1: code"),
        0.1,
        "the first question's code: correctness, naming and edge cases; keep it moving, a second "
        "question follows at the halfway mark",
        N_("write the code, in a code block."),
    ),
    Phase(
        "q1_test",
        N_("Question 1: test"),
        0.35,
        "walk through an example and the edge cases of the first question, briefly",
        N_("walk through an example and the edge cases: question 2 comes at the halfway mark."),
    ),
    Phase(
        SECOND_QUESTION_PHASE,
        N_("Question 2: clarify and approach"),
        0.5,
        "the second question: clarify it, then the approach and its complexity before any code",
        N_("clarify, then give your approach and its complexity before coding."),
    ),
    Phase(
        "q2_code",
        N_("Question 2: code"),
        0.6,
        "the second question's code: correctness, naming and edge cases",
        N_("write the code, in a code block."),
    ),
    Phase(
        "q2_test",
        N_("Question 2: test and optimise"),
        0.85,
        "walk through an example and the edge cases; ask whether the complexity can improve",
        N_("walk through an example, the edge cases, and whether it can be faster."),
    ),
)


def phases_of(round_name: Round, *, phone_screen: bool = False) -> tuple[Phase, ...]:
    return PHONE_SCREEN_PHASES if phone_screen else PHASES[round_name]


def phase_minutes(
    round_name: Round, time_box: int, *, phone_screen: bool = False
) -> list[tuple[Phase, int, int]]:
    """Each phase with its start and end minute in this time box."""
    phases = phases_of(round_name, phone_screen=phone_screen)
    starts = [round(p.start * time_box) for p in phases]
    ends = [*starts[1:], time_box]
    return list(zip(phases, starts, ends, strict=True))


def phase_at(
    round_name: Round, time_box: int, elapsed: timedelta, *, phone_screen: bool = False
) -> Phase:
    spans = phase_minutes(round_name, time_box, phone_screen=phone_screen)
    current = spans[0][0]
    for phase, start, _ in spans:
        if elapsed >= timedelta(minutes=start):
            current = phase
    return current


def opening_turn(title: str, prompt: str) -> str:
    """The interviewer's first turn as the transcript keeps it."""
    return f"{title}\n\n{prompt}"


def interviewer_phase(mock: MockRound, now: datetime, answers: int) -> str:
    """The phase hint for the interviewer: no new question after the last allowed answer, wrap
    up at the end, else the phase and its focus."""
    if answers >= MAX_CANDIDATE_TURNS:
        return "last_answer"
    if now >= mock.deadline:
        return "wrap_up"
    elapsed = now - mock.started_at
    phase = phase_at(mock.round, mock.time_box_minutes, elapsed, phone_screen=mock.is_phone_screen)
    if phase.key == "wrap_up":
        return "wrap_up"
    return f"{phase.label}: {phase.focus}"


def minutes_left(mock: MockRound, now: datetime) -> int:
    seconds = (mock.deadline - now).total_seconds()
    return max(0, int(-(-seconds // 60)))  # round up: "1 min left" until the very end
