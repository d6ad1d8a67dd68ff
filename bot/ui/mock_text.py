"""The words a mock round's thread shows besides the conversation: how to answer, the clock's
nudges, closing and test-run notices, the loop's progress; and reading a message addressed to
the bot. The services hand over data; the Discord markup is chosen here."""

from __future__ import annotations

import re
from typing import Final

from bot.content.schema import Round
from bot.domain.code_tests import RunEvidence
from bot.domain.mock import GRACE, Nudge
from bot.i18n.messages import N_, number, tr
from bot.services.mocks.ports import CodeRun, LoopProgress, Notice, RoundClosed
from bot.ui.run_summary import evidence_lines

# i18n: how to answer in a mock interview round, shown in the round's opening.
ANSWER_GUIDE: Final[dict[Round, str]] = {
    "coding": N_(
        "Clarify first, then give your approach and its time and space complexity "
        "**before** any code. Paste code in a code block: a line with `` ```python `` before it "
        "and a line with `` ``` `` after it."
    ),
    "system_design": N_(
        "Start with requirements and scale estimates, then the high-level design, "
        "then go deep on one or two components. Name your trade-offs."
    ),
    "ml_design": N_(
        "Frame the problem and metrics first, then data and features, the model and "
        "its training, then serving and monitoring."
    ),
    "behavioral": N_(
        "Answer with one STAR story: the Situation, your Task, the Actions *you* took "
        "(say “I”, not “we”) and the Result, with numbers if you can."
    ),
    "recruiter_screen": N_(
        "A conversation with a recruiter: keep it short and specific, and ask "
        "your own questions about the team and the process."
    ),
}

_EMPTY_CLOSE: Final = {
    "ended": N_(
        "Round closed with no answers, so there is nothing to score. Start another with "
        "`/mock start` when you are ready."
    ),
    "time_up": N_("⏰ The time box is over and no answer came: round closed without a scorecard."),
    "idle": N_("💤 Round closed: no answer came in time, so there is nothing to score."),
}
_CLOSING: Final = {
    "ended": N_("Round closed. Your scorecard follows."),
    "time_up": N_("⏰ The time box is over: I am closing the round. Your scorecard follows."),
    "idle": N_("💤 No answer for a while: I am closing the round. Your scorecard follows."),
}


def answer_guide(round_name: Round, locale: object = None) -> str:
    return tr(locale, ANSWER_GUIDE[round_name])


def nudge_text(nudge: Nudge, locale: object = None) -> str:
    minutes = number(locale, nudge.minutes)
    if nudge.kind in ("phase", "second_question") and nudge.phase is not None:
        phase = nudge.phase
        return tr(
            locale,
            "⏱ **{minutes} min left**: time for **{phase}**: {tip}",
            minutes=minutes,
            phase=tr(locale, phase.label),
            tip=tr(locale, phase.tip),
        )
    if nudge.kind == "left":
        return tr(
            locale,
            "⏱ **{minutes} minutes left.** Start bringing your answer together.",
            minutes=minutes,
        )
    if nudge.kind == "idle":
        return tr(
            locale,
            "👋 Still there? This round closes in {minutes} minutes unless you answer "
            "(press **Respond**).",
            minutes=minutes,
        )
    grace = int(GRACE.total_seconds() // 60)
    return tr(
        locale,
        "⏰ **Time's up** ({minutes} min). Finish your last thought: I will close the round and "
        "post your scorecard in {grace} minutes, or use `/mock end` now.",
        minutes=minutes,
        grace=number(locale, grace),
    )


def loop_progress_text(progress: LoopProgress, locale: object = None) -> str:
    done = tr(
        locale,
        "✅ Round {done} of {total} of your onsite loop is done.",
        done=progress.done,
        total=progress.total,
    )
    if progress.next_label is None:
        return done
    following = tr(
        locale,
        "Next: **{step}**. Run `/mock loop` when you are ready (a break first is fine: the loop "
        "waits for you).",
        step=tr(locale, progress.next_label),
    )
    return f"{done} {following}"


def run_text(tests: RunEvidence, locale: object = None) -> str:
    """A test run as the thread shows it."""
    if not tests.ran:
        return tr(locale, "🧪 Tests not run: {reason}.", reason=tests.not_run)
    return "🧪 " + "\n".join(evidence_lines(tests, locale))


def notice_text(notice: Notice, locale: object = None) -> str:
    if isinstance(notice, Nudge):
        return nudge_text(notice, locale)
    if isinstance(notice, RoundClosed):
        return tr(locale, (_CLOSING if notice.scored else _EMPTY_CLOSE)[notice.reason])
    if isinstance(notice, CodeRun):
        return run_text(notice.tests, locale)
    return loop_progress_text(notice, locale)


def strip_mention(content: str, bot_id: int) -> str:
    """A message addressed to the bot, without the mention itself."""
    return re.sub(rf"<@!?{bot_id}>", "", content).strip()
