"""The daily service's notices for a server's admins (bot/services/daily_notices.py), worded:
posted in the config channel in the server's language, shown by `/daily status` in the
reader's, and on the web companion's admin page with references written plainly (`plain`).
Discord-free, so the web can word them too."""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.schema import round_label
from bot.i18n.messages import ntr, tr
from bot.services.daily_notices import decode
from bot.services.ports import AdminNotice, LowPool, PostProblem
from bot.ui.message import localized


def problem_text(
    locale: object, problem: str, fix: str, params: Mapping[str, object], *, plain: bool = False
) -> str:
    """A `PublishError`'s problem and what to do about it, each a sentence of its own."""
    said = localized(locale, problem, params, plain_refs=plain)
    return f"{said} {localized(locale, fix, params, plain_refs=plain)}" if fix else said


def post_problem_text(locale: object, problem: PostProblem, *, plain: bool = False) -> str:
    """Why today's question was not posted, and whether the bot still retries."""
    text = problem_text(locale, problem.problem, problem.fix, problem.params, plain=plain)
    if not problem.gave_up_after:
        return text
    return ntr(
        locale,
        "{problem} I stopped retrying after {n} attempt today: fix it, then use {command}.",
        "{problem} I stopped retrying after {n} attempts today: fix it, then use {command}.",
        problem.gave_up_after,
        problem=text,
        command="/daily now",
    )


def notice_text(locale: object, notice: AdminNotice) -> str:
    """The notice the config channel gets (without its ⚠)."""
    if isinstance(notice, LowPool):
        return ntr(
            locale,
            "Only {n} unposted {round} question left: add some with {add} or {load}, or they "
            "will start repeating.",
            "Only {n} unposted {round} questions left: add some with {add} or {load}, or they "
            "will start repeating.",
            notice.left,
            round=tr(locale, round_label(notice.round)),
            add="/questions add",
            load="/questions import",
        )
    error = post_problem_text(locale, notice)
    if notice.gave_up_after:
        return tr(locale, "I could not post today's question: {error}", error=error)
    return tr(locale, "I could not post today's question: {error} I will retry.", error=error)


def stored_text(locale: object, text: str, *, plain: bool = False) -> str:
    """A guild's kept error or warning (`last_error`, `last_warning`) in `locale`; a row kept
    before notices were data shows as it was written."""
    notice = decode(text)
    if notice is None:
        return text
    if isinstance(notice, LowPool):
        return notice_text(locale, notice)
    return post_problem_text(locale, notice, plain=plain)
