"""Rendering: Jinja2 templates shipped in the package, autoescaped, in the request's language.

Templates write their texts as `{{ _("Hello {name}", name=x) }}` and
`{{ ngettext("{n} day", "{n} days", n) }}`: the same calls, msgids and `{placeholders}` as
`tr` and `ntr` in Python, bound to the page's locale (bot/web/language.py), and read by the same
extractor (tools/i18n_messages.py, through Jinja2's Babel extractor). Jinja2's `{% trans %}`
blocks are not used: they fill `%(name)s` placeholders, which the bot's catalogs do not have."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from markupsafe import Markup

from bot.content.schema import DIFFICULTY_LABELS, ROUNDS, round_label
from bot.domain.errors import UserError
from bot.i18n.messages import N_, day, decimal, ntr, number, tr
from bot.ui.message import localized
from bot.web.keys import SESSION, TEMPLATES
from bot.web.language import request_locale

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(rounds=ROUNDS)
    return env


# i18n: the state of a mock interview round.
MOCK_STATUSES = {
    "opening": N_("opening"),
    "active": N_("active"),
    "scoring": N_("scoring"),
    "closed": N_("closed"),
    "abandoned": N_("abandoned"),
}
# i18n: a grader's hiring signal after a mock interview round.
HIRING_SIGNALS = {
    "strong no": N_("strong no"),
    "no": N_("no"),
    "lean no": N_("lean no"),
    "lean yes": N_("lean yes"),
    "yes": N_("yes"),
    "strong yes": N_("strong yes"),
}


def _label(locale: str, labels: dict[str, str], value: str) -> str:
    """A stored value's words in `locale`; an unknown value as it is."""
    return tr(locale, labels[value]) if value in labels else value


# i18n: a question's state in the admin's question bank: from the pack or the server's own
# (custom), and whether it is turned off.
QUESTION_STATES = {
    (False, False): N_("pack"),
    (False, True): N_("pack, disabled"),
    (True, False): N_("custom"),
    (True, True): N_("custom, disabled"),
}


def _question_state(locale: str, custom: bool, disabled: bool) -> str:
    return tr(locale, QUESTION_STATES[(bool(custom), bool(disabled))])


def _day(locale: str, value: date | str) -> str:
    """A calendar date (or an ISO date as stored, "2026-11-26") as the locale writes it."""
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        value = date.fromisoformat(value)
    return day(locale, value)


def _gettext(locale: str, message: str, /, **params: object) -> str:
    """`tr` for a template. With values, the translation is escaped and filled with them, each
    escaped too unless it is markup (`code(...)`), so a sentence can hold a `<code>` span."""
    if not params:
        return tr(locale, message)
    try:
        return Markup.escape(tr(locale, message)).format(**params)
    except (KeyError, IndexError, ValueError):
        # A broken translation (the catalog test catches it) must not break the page.
        return Markup.escape(message).format(**params)


def _code(text: str) -> Markup:
    return Markup("<code>{}</code>").format(text)


def page_helpers(locale: str) -> dict[str, Any]:
    """What every template reads for its language: texts, numbers, dates and round names."""
    return {
        "lang": locale,
        "_": partial(_gettext, locale),
        "ngettext": partial(ntr, locale),
        "number": partial(number, locale),
        "decimal": partial(decimal, locale),
        "day": partial(_day, locale),
        "round_label": lambda name: tr(locale, round_label(name)),
        "code": _code,
        "status_label": partial(_label, locale, MOCK_STATUSES),
        "signal_label": partial(_label, locale, HIRING_SIGNALS),
        "difficulty_label": partial(_label, locale, DIFFICULTY_LABELS),
        "question_state": partial(_question_state, locale),
    }


def render(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    env = request.app[TEMPLATES]
    context.setdefault("viewer", request.get(SESSION))
    body = env.get_template(template).render(**{**page_helpers(request_locale(request)), **context})
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def not_found(request: web.Request, what: str = N_("This page does not exist.")) -> web.Response:
    """`what`: a msgid (marked with `N_`), shown in the request's language."""
    locale = request_locale(request)
    return render(
        request, "error.html", status=404, title=tr(locale, "Not found"), message=tr(locale, what)
    )


def refusal(locale: str, refused: UserError) -> str:
    """A service's refusal in `locale`: a message of one text is a msgid of the catalog; one of
    several parts is shown as written (as the bot does)."""
    match refused.parts:
        case (str() as text,):
            return localized(locale, text, refused.params, plain_refs=True)
        case _:
            return refused.message


def redirect(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location})
