"""Pack problems said as a question author wants them: the line of a YAML error (where it was
found, once), and validation errors as the field in plain words and what it should hold."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import yaml
from pydantic_core import ErrorDetails

# PyYAML's wording of the mistakes authors make most, in their words.
_YAML_PLAIN: Final = (
    (
        "mapping values are not allowed",
        "a `: ` inside a value: put that value in quotes, or indent it under its field",
    ),
    (
        "could not find expected ':'",
        "a line that is neither `field: value` nor a `- ` list item (check the indentation)",
    ),
    ("cannot start any token", "a tab or a character YAML does not allow here: indent with spaces"),
    ("did not find expected key", "the indentation does not match the lines above"),
    ("expected <block end>", "the indentation does not match the lines above"),
    ("found unexpected end of stream", "a quote or bracket opened and never closed"),
    ("did not find expected node content", "a list or mapping that stops half-way"),
    ("found duplicate anchor", "an `&anchor` name used twice"),
)

_BOUNDS: Final = (("ge", "at least"), ("gt", "more than"), ("le", "at most"), ("lt", "less than"))


def yaml_problem(exc: yaml.YAMLError) -> str:
    """'not valid YAML at line N, column C: what is wrong'. Only where the problem was found is
    named: PyYAML's context mark (where the enclosing block began) only confused authors."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "the file"
    found = str(getattr(exc, "problem", None) or exc).strip()
    plain = next((text for key, text in _YAML_PLAIN if key in found), found)
    return f"not valid YAML at {where}: {plain}"


def field_path(loc: Sequence[int | str]) -> str:
    """('rubric', 1, 'max') -> '`rubric`, item 2, `max`'."""
    parts = [f"item {p + 1}" if isinstance(p, int) else f"`{p}`" for p in loc]
    return ", ".join(parts) or "the question"


def _expected(error: ErrorDetails) -> str:
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    kind = error["type"]
    plain = {
        "missing": "is missing: add it",
        "extra_forbidden": "is not a field questions have: check its spelling, or remove it",
        "string_type": "should be text (put it in quotes if it looks like a number, yes or no)",
        "int_type": "should be a whole number",
        "int_parsing": "should be a whole number",
        "int_from_float": "should be a whole number",
        "float_type": "should be a number",
        "float_parsing": "should be a number",
        "bool_type": "should be true or false",
        "bool_parsing": "should be true or false",
        "list_type": "should be a list (one `- ` line per item)",
        "tuple_type": "should be a list (one `- ` line per item)",
        "dict_type": "should be a group of `field: value` lines",
        "model_type": "should be a group of `field: value` lines",
        "model_attributes_type": "should be a group of `field: value` lines",
    }
    if kind == "extra_forbidden" and "translations" in error["loc"]:
        return "is not something a translation has: only `title` and `prompt` are translated"
    if kind in plain:
        return plain[kind]
    if kind == "literal_error" or kind == "enum":
        return f"should be one of {ctx.get('expected', '')}"
    if kind == "string_too_short":
        return f"is too short: at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"takes at most {ctx.get('max_length')} item(s)"
    for bound, words in (
        ("ge", "at least"),
        ("gt", "more than"),
        ("le", "at most"),
        ("lt", "less than"),
    ):
        if bound in ctx:
            return f"should be {words} {ctx[bound]}"
    message = error["msg"]
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def validation_problem(error: ErrorDetails, loc: Sequence[int | str] | None = None) -> str:
    """One validation error as '`field`, item 2: what it should be'. `loc` overrides the
    error's own location (a caller that already named the question drops its part)."""
    path = field_path(error["loc"] if loc is None else loc)
    return f"{path} {_expected(error)}"
