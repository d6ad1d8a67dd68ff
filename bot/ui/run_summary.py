"""A code run's summary lines (bot/runner/report.py) in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.domain.code_tests import RunEvidence
from bot.i18n.messages import number, tr
from bot.runner.report import VERBATIM, Line


def line_text(line: Line, locale: object) -> str:
    """One line: a msgid in `locale` with its counts written the locale's way, or the program's
    own words as they are."""
    text, params = line
    if text == VERBATIM:
        return str(params.get("text", ""))
    return tr(locale, text, **{name: _value(value, locale) for name, value in params.items()})


def lines_text(lines: Iterable[Line], locale: object) -> list[str]:
    return [line_text(line, locale) for line in lines]


def evidence_lines(tests: RunEvidence, locale: object) -> Sequence[str]:
    """A stored run's summary; evidence kept before its lines were stored reads in English."""
    return lines_text(tests.lines, locale) if tests.lines else tests.summary


def _value(value: Any, locale: object) -> Any:
    counted = isinstance(value, int) and not isinstance(value, bool)
    return number(locale, value) if counted else value
