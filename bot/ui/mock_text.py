"""The words a mock round's thread shows besides the conversation: how to answer, the clock's
nudges, closing and test-run notices, the loop's progress; and reading a message addressed to
the bot. The services hand over data; the Discord markup is chosen here."""

from __future__ import annotations

import re
from typing import Final

from bot.content.schema import Round
from bot.domain.code_tests import run_notice
from bot.domain.mock import GRACE, Nudge
from bot.services.mocks.ports import CodeRun, LoopProgress, Notice, RoundClosed

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

_EMPTY_CLOSE: Final = {
    "ended": "Round closed with no answers, so there is nothing to score. Start another with "
    "`/mock start` when you are ready.",
    "time_up": "⏰ The time box is over and no answer came: round closed without a scorecard.",
    "idle": "💤 Round closed: no answer came in time, so there is nothing to score.",
}
_CLOSING: Final = {
    "ended": "Round closed. Your scorecard follows.",
    "time_up": "⏰ The time box is over: I am closing the round. Your scorecard follows.",
    "idle": "💤 No answer for a while: I am closing the round. Your scorecard follows.",
}


def nudge_text(nudge: Nudge) -> str:
    if nudge.kind in ("phase", "second_question") and nudge.phase is not None:
        phase = nudge.phase
        return f"⏱ **{nudge.minutes} min left**: time for **{phase.label}**: {phase.tip}"
    if nudge.kind == "left":
        return f"⏱ **{nudge.minutes} minutes left.** Start bringing your answer together."
    if nudge.kind == "idle":
        return (
            f"👋 Still there? This round closes in {nudge.minutes} minutes unless you answer "
            "(press **Respond**)."
        )
    grace = int(GRACE.total_seconds() // 60)
    return (
        f"⏰ **Time's up** ({nudge.minutes} min). Finish your last thought: I will close the "
        f"round and post your scorecard in {grace} minutes, or use `/mock end` now."
    )


def loop_progress_text(progress: LoopProgress) -> str:
    text = f"✅ Round {progress.done} of {progress.total} of your onsite loop is done."
    if progress.next_label is not None:
        text += (
            f" Next: **{progress.next_label}**. Run `/mock loop` when you are ready "
            "(a break first is fine: the loop waits for you)."
        )
    return text


def notice_text(notice: Notice) -> str:
    if isinstance(notice, Nudge):
        return nudge_text(notice)
    if isinstance(notice, RoundClosed):
        return (_CLOSING if notice.scored else _EMPTY_CLOSE)[notice.reason]
    if isinstance(notice, CodeRun):
        return run_notice(notice.tests)
    return loop_progress_text(notice)


def strip_mention(content: str, bot_id: int) -> str:
    """A message addressed to the bot, without the mention itself."""
    return re.sub(rf"<@!?{bot_id}>", "", content).strip()
