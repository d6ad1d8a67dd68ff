"""Mock interview rounds: the phases of a time box, which nudge is due, limits, and when a round
closes. Pure: the service feeds it stored rounds and the clock's time."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from bot.content.schema import Difficulty, Round
from bot.domain.errors import UserError
from bot.domain.grading import Grade
from bot.domain.text import is_blank

RoundStatus = Literal["opening", "active", "scoring", "closed", "abandoned"]
EndReason = Literal["ended", "time_up", "idle"]
Speaker = Literal["interviewer", "candidate"]
CandidateSource = Literal["modal", "mention", "message"]

MAX_TURN_CHARS: Final = 4000
MAX_CANDIDATE_TURNS: Final = 25
# After the time box: a last answer is still welcome for this long, then the round closes.
GRACE: Final = timedelta(minutes=5)
IDLE_WARNING: Final = timedelta(minutes=5)
# A round earns points only with a real exchange: an answer and at least one follow-up answer.
MIN_TURNS_FOR_POINTS: Final = 2
# A claim whose thread never appeared (a crash between claim and thread) is released after this.
STALE_OPENING: Final = timedelta(minutes=10)
LEFT_NUDGE_MINUTES: Final = 10

DEFAULT_IDLE_MINUTES: Final = 30
DEFAULT_DAILY_LIMIT: Final = 4
IDLE_MINUTES_RANGE: Final = (10, 180)
DAILY_LIMIT_RANGE: Final = (1, 20)


@dataclass(frozen=True)
class MockSettings:
    """What a guild's admins can change."""

    idle_minutes: int = DEFAULT_IDLE_MINUTES
    daily_limit: int = DEFAULT_DAILY_LIMIT

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)


@dataclass(frozen=True)
class MockRound:
    round_id: int
    guild_id: int
    user_id: int
    channel_id: int
    thread_id: int | None
    question_id: str
    round: Round
    difficulty: Difficulty
    time_box_minutes: int
    locale: str | None
    loop_id: int | None
    loop_position: int | None
    status: RoundStatus
    end_reason: str | None
    local_date: str
    started_at: datetime
    last_turn_at: datetime
    ended_at: datetime | None
    score_attempts: int
    retry_after: datetime | None
    grade: Grade | None
    points: int | None
    ended_by: int | None = None  # who used /mock end: the candidate or an admin

    @property
    def deadline(self) -> datetime:
        return self.started_at + timedelta(minutes=self.time_box_minutes)

    @property
    def is_active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class MockTurn:
    seq: int
    speaker: Speaker
    content: str
    source: str
    created_at: datetime


def transcript_of(turns: Sequence[MockTurn]) -> list[tuple[str, str]]:
    """The (speaker, text) pairs the graders read."""
    return [(t.speaker, t.content) for t in turns]


def candidate_count(turns: Sequence[MockTurn]) -> int:
    return sum(1 for t in turns if t.speaker == "candidate")


# --- phases ---------------------------------------------------------------------------------


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
            "Clarify and approach",
            0.0,
            "clarify the problem, then get the approach and its time and space complexity "
            "before any code",
            "clarify, then give your approach and its complexity before coding.",
        ),
        Phase(
            "code",
            "Code",
            0.3,
            "the candidate writes the code; probe correctness, naming and edge cases",
            "write the code (use a ``` code block).",
        ),
        Phase(
            "test",
            "Test and optimise",
            0.75,
            "walk through an example and the edge cases; ask whether the complexity can improve",
            "walk through an example, the edge cases, and whether it can be faster.",
        ),
    ),
    "system_design": (
        Phase(
            "requirements",
            "Requirements",
            0.0,
            "functional and non-functional requirements and scale estimates",
            "pin down the requirements and the scale.",
        ),
        Phase(
            "high_level",
            "High-level design",
            0.2,
            "the main components, the data flow, the APIs and the data model",
            "sketch the main components, APIs and data flow.",
        ),
        Phase(
            "deep_dive",
            "Deep dive",
            0.5,
            "one or two components in depth: bottlenecks, trade-offs, failure modes",
            "go deep on one or two components: bottlenecks, trade-offs, failures.",
        ),
        Phase(
            "wrap_up",
            "Wrap-up",
            0.85,
            "what the candidate would revisit, monitor or build next",
            "sum up, name the risks and what you would do next.",
        ),
    ),
    "ml_design": (
        Phase(
            "problem",
            "Problem and metrics",
            0.0,
            "the business goal, the ML objective, and offline and online metrics",
            "frame the problem and choose offline and online metrics.",
        ),
        Phase(
            "data",
            "Data and features",
            0.2,
            "training data, labels, features and their freshness",
            "cover the data, the labels and the features.",
        ),
        Phase(
            "model",
            "Model and training",
            0.4,
            "the model choice, training, evaluation and baselines",
            "choose a model, how to train it and how to evaluate it.",
        ),
        Phase(
            "serving",
            "Serving and monitoring",
            0.65,
            "serving at scale, latency budgets, monitoring, drift and iteration",
            "serve it at scale, monitor it, and say how you'd iterate.",
        ),
        Phase(
            "wrap_up",
            "Wrap-up",
            0.9,
            "risks and next steps",
            "sum up the design and its risks.",
        ),
    ),
    "behavioral": (
        Phase(
            "story",
            "Your story",
            0.0,
            "one STAR story: the situation, the task, what the candidate personally did, and a "
            "measurable result",
            "tell one STAR story.",
        ),
        Phase(
            "probe",
            "Follow-ups",
            0.5,
            "the missing or vague STAR parts, and what the candidate did themselves ('I', not "
            "'we')",
            "fill in any missing STAR part and say what *you* did.",
        ),
        Phase(
            "wrap_up",
            "Wrap-up",
            0.85,
            "what the candidate learned and would do differently",
            "say what you learned and would do differently.",
        ),
    ),
    "recruiter_screen": (
        Phase(
            "background",
            "Background",
            0.0,
            "a short, relevant walk through the candidate's background and current work",
            "walk through your background in two or three minutes.",
        ),
        Phase(
            "motivation",
            "Motivation",
            0.35,
            "why Pinterest and this team, specifically, and the candidate's relevant experience",
            "say why Pinterest, and which of your work fits this team.",
        ),
        Phase(
            "logistics",
            "Logistics and questions",
            0.75,
            "timeline, location and level, and the candidate's own questions for the recruiter",
            "cover timeline and location, and ask your questions.",
        ),
    ),
}

ANSWER_GUIDE: Final[dict[Round, str]] = {
    "coding": "Clarify first, then give your approach and its time and space complexity "
    "**before** any code. Paste code in a code block: a line with `` ```python `` before it "
    "and a line with `` ``` `` after it.",
    "system_design": "Start with requirements and scale estimates, then the high-level design, "
    "then go deep on one or two components. Name your trade-offs.",
    "ml_design": "Frame the problem and metrics first, then data and features, the model and "
    "its training, then serving and monitoring.",
    "behavioral": "Answer with one STAR story: the Situation, your Task, the Actions *you* took "
    "(say “I”, not “we”) and the Result, with numbers if you can.",
    "recruiter_screen": "A conversation with a recruiter: keep it short and specific, and ask "
    "your own questions about the team and the process.",
}


def phase_minutes(round_name: Round, time_box: int) -> list[tuple[Phase, int, int]]:
    """Each phase with its start and end minute in this time box."""
    phases = PHASES[round_name]
    starts = [round(p.start * time_box) for p in phases]
    ends = [*starts[1:], time_box]
    return list(zip(phases, starts, ends, strict=True))


def phase_at(round_name: Round, time_box: int, elapsed: timedelta) -> Phase:
    current = PHASES[round_name][0]
    for phase, start, _ in phase_minutes(round_name, time_box):
        if elapsed >= timedelta(minutes=start):
            current = phase
    return current


def opening_turn(title: str, prompt: str, round_name: Round) -> str:
    """The interviewer's first turn as the transcript keeps it."""
    return f"{title}\n\n{prompt}\n\n{ANSWER_GUIDE[round_name]}"


def interviewer_phase(mock: MockRound, now: datetime, answers: int) -> str:
    """The phase hint for the interviewer: no new question after the last allowed answer, wrap
    up at the end, else the phase and its focus."""
    if answers >= MAX_CANDIDATE_TURNS:
        return "last_answer"
    if now >= mock.deadline:
        return "wrap_up"
    phase = phase_at(mock.round, mock.time_box_minutes, now - mock.started_at)
    if phase.key == "wrap_up":
        return "wrap_up"
    return f"{phase.label}: {phase.focus}"


def minutes_left(mock: MockRound, now: datetime) -> int:
    seconds = (mock.deadline - now).total_seconds()
    return max(0, int(-(-seconds // 60)))  # round up: "1 min left" until the very end


# --- nudges and closing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Nudge:
    key: str
    at: datetime
    text: str


def time_nudges(mock: MockRound) -> list[Nudge]:
    """The nudges a round's clock brings: each new phase, 10 minutes left, and time up."""
    nudges: list[Nudge] = []
    box = mock.time_box_minutes
    for phase, start, _ in phase_minutes(mock.round, box)[1:]:
        nudges.append(
            Nudge(
                f"phase:{phase.key}",
                mock.started_at + timedelta(minutes=start),
                f"⏱ **{box - start} min left**: time for **{phase.label}**: {phase.tip}",
            )
        )
    if box >= 2 * LEFT_NUDGE_MINUTES:
        nudges.append(
            Nudge(
                f"left:{LEFT_NUDGE_MINUTES}",
                mock.deadline - timedelta(minutes=LEFT_NUDGE_MINUTES),
                f"⏱ **{LEFT_NUDGE_MINUTES} minutes left.** Start bringing your answer together.",
            )
        )
    grace = int(GRACE.total_seconds() // 60)
    nudges.append(
        Nudge(
            "time_up",
            mock.deadline,
            f"⏰ **Time's up** ({box} min). Finish your last thought: I will close the round and "
            f"post your scorecard in {grace} minutes, or use `/mock end` now.",
        )
    )
    return nudges


def idle_nudge(mock: MockRound, settings: MockSettings) -> Nudge | None:
    if settings.idle <= 2 * IDLE_WARNING:
        return None
    warning = int(IDLE_WARNING.total_seconds() // 60)
    return Nudge(
        # Keyed by the last answer's time, so each quiet spell gets its own warning.
        f"idle:{int(mock.last_turn_at.timestamp())}",
        mock.last_turn_at + settings.idle - IDLE_WARNING,
        f"👋 Still there? This round closes in {warning} minutes unless you answer "
        "(press **Respond**).",
    )


def nudge_schedule(mock: MockRound, settings: MockSettings, answers: int) -> list[Nudge]:
    """Every nudge the round has left, in order, agreeing with every deadline. The round closes
    at the time box's end plus GRACE, or earlier after `settings.idle` without an answer:
    - nothing once the round has had all its answers (the last one said so);
    - no clock nudge ("N min left", a new phase, time up) once the idle close is near: it
      would promise time the round does not have;
    - the idle warning only while an answer can still keep the round open, that is when the
      idle close comes before the time box's own close (never after "Time's up")."""
    if answers >= MAX_CANDIDATE_TURNS:
        return []
    idle_close = mock.last_turn_at + settings.idle
    closing_idle = idle_close < mock.deadline + GRACE
    quiet_from = idle_close - IDLE_WARNING if closing_idle else None
    nudges = [n for n in time_nudges(mock) if quiet_from is None or n.at < quiet_from]
    warning = idle_nudge(mock, settings)
    if warning is not None and closing_idle:
        nudges.append(warning)
    return sorted(nudges, key=lambda n: n.at)


def due_nudge(
    mock: MockRound, now: datetime, sent: Collection[str], settings: MockSettings, answers: int
) -> tuple[Nudge | None, list[str]]:
    """The one nudge of the schedule to send now, and every due key to mark as sent. After
    downtime several can be due at once: only the latest is worth sending, the older ones are
    stale."""
    due = [n for n in nudge_schedule(mock, settings, answers) if n.at <= now and n.key not in sent]
    if not due:
        return None, []
    return due[-1], [n.key for n in due]


def closing_reason(mock: MockRound, now: datetime, settings: MockSettings) -> EndReason | None:
    if now >= mock.deadline + GRACE:
        return "time_up"
    if now >= mock.last_turn_at + settings.idle:
        return "idle"
    return None


# --- turns ------------------------------------------------------------------------------------


def clean_turn(text: str) -> str:
    """The candidate's text as a turn, or a UserError saying what to fix."""
    cleaned = text.strip()
    if is_blank(cleaned):
        raise UserError(
            "Your answer is empty: write it in the message (or press **Respond**).", code="empty"
        )
    if len(cleaned) > MAX_TURN_CHARS:
        raise UserError(
            f"That answer is {len(cleaned)} characters; one turn holds up to {MAX_TURN_CHARS}. "
            "Split it into two turns.",
            code="too-long",
        )
    return cleaned


def require_answer_left(answers: int) -> None:
    """Refuses a turn (or the form for one) once the round has had all its answers."""
    if answers >= MAX_CANDIDATE_TURNS:
        raise UserError(
            f"This round has had its {MAX_CANDIDATE_TURNS} answers, the most one round takes: "
            "use `/mock end` in this thread for your scorecard.",
            code="turn-limit",
        )


def strip_mention(content: str, bot_id: int) -> str:
    """A message addressed to the bot, without the mention itself."""
    return re.sub(rf"<@!?{bot_id}>", "", content).strip()


def check_settings(idle_minutes: int | None, daily_limit: int | None) -> None:
    low, high = IDLE_MINUTES_RANGE
    if idle_minutes is not None and not low <= idle_minutes <= high:
        raise UserError(
            f"`idle_minutes` must be between {low} and {high}. Nothing was changed.",
            code="bad-setting",
        )
    low, high = DAILY_LIMIT_RANGE
    if daily_limit is not None and not low <= daily_limit <= high:
        raise UserError(
            f"`daily_limit` must be between {low} and {high}. Nothing was changed.",
            code="bad-setting",
        )
