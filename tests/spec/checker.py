"""Check requests recorded by the Discord emulator against Discord's OpenAPI spec.

``SpecChecker().check_all(emu.requests)`` returns a list of :class:`SpecIssue`;
``assert_valid`` raises ``AssertionError`` listing them. A request is anything with ``method``,
``path`` (under ``/api/v10``; a full URL path with the prefix works too) and ``json`` (the JSON
body, or the ``payload_json`` part of a multipart upload).
"""

from __future__ import annotations

import functools
import json
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).with_name("discord-openapi.json")
SPEC_URI = "urn:discord-openapi"
API_PREFIX = "/api/v10"
METHODS = ("get", "put", "post", "patch", "delete")


class RequestLike(Protocol):
    method: str
    path: str
    json: Any


@dataclass(frozen=True)
class SpecIssue:
    method: str
    path: str
    operation: str | None
    location: str
    message: str

    def __str__(self) -> str:
        op = f" [{self.operation}]" if self.operation else ""
        where = f" at {self.location}" if self.location else ""
        return f"{self.method} {self.path}{op}{where}: {self.message}"


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    operation_id: str | None
    regex: re.Pattern[str]
    literal_segments: int
    has_body: bool


def _pointer(*parts: str) -> str:
    return "/".join(
        urllib.parse.quote(p.replace("~", "~0").replace("/", "~1"), safe="") for p in parts
    )


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _template_regex(template: str) -> tuple[re.Pattern[str], int]:
    pattern = ""
    literal = 0
    for seg in template.strip("/").split("/"):
        if seg.startswith("{") and seg.endswith("}"):
            pattern += "/[^/]+"
        else:
            pattern += "/" + re.escape(seg)
            literal += 1
    return re.compile(f"^{pattern}$"), literal


def _deepest(error: ValidationError) -> ValidationError:
    """The most specific error (anyOf/oneOf errors hide the useful one in their context)."""
    best = error
    for sub in error.context or ():
        candidate = _deepest(sub)
        if len(candidate.absolute_path) > len(best.absolute_path) or best is error:
            best = candidate
    return best


def _short(message: str, limit: int = 240) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _describe(error: ValidationError) -> str:
    instance = error.instance
    limit = error.validator_value
    if error.validator == "maxLength" and isinstance(instance, str):
        return f"is too long: {len(instance)} characters, at most {limit}"
    if error.validator == "minLength" and isinstance(instance, str):
        return f"is too short: {len(instance)} characters, at least {limit}"
    if error.validator == "maxItems" and isinstance(instance, list):
        return f"has too many items: {len(instance)}, at most {limit}"
    return _short(error.message)


def _widened(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with ``SnowflakeType`` also accepting JSON integers.

    Discord accepts snowflakes as integers too, and discord.py sends several that way (upload
    ``attachments[].id``, ``allowed_mentions.users``/``roles``, ``message_reference`` ids), while
    the spec only allows strings. Everything else is checked as written.
    """
    spec = dict(spec)
    components = dict(spec["components"])
    schemas = dict(components["schemas"])
    original = schemas["SnowflakeType"]
    schemas["SnowflakeType"] = {"anyOf": [original, {"type": "integer", "minimum": 0}]}
    components["schemas"] = schemas
    spec["components"] = components
    return spec


class SpecChecker:
    def __init__(self, spec_path: Path | str = SPEC_PATH) -> None:
        self.spec = _widened(_load(str(spec_path)))
        self.registry: Registry[Any] = Registry().with_resource(
            SPEC_URI, DRAFT202012.create_resource(self.spec)
        )
        self.operations: list[Operation] = []
        for template, item in self.spec["paths"].items():
            regex, literal = _template_regex(template)
            for method in METHODS:
                op = item.get(method)
                if op is None:
                    continue
                self.operations.append(
                    Operation(
                        method=method.upper(),
                        template=template,
                        operation_id=op.get("operationId"),
                        regex=regex,
                        literal_segments=literal,
                        has_body="requestBody" in op,
                    )
                )
        self.operations.sort(key=lambda o: -o.literal_segments)
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}

    def find_operation(self, method: str, path: str) -> Operation | None:
        path = urllib.parse.urlsplit(path).path
        if path.startswith(API_PREFIX):
            path = path[len(API_PREFIX) :]
        method = method.upper()
        for op in self.operations:
            if op.method == method and op.regex.match(path):
                return op
        return None

    def _validator(self, op: Operation) -> Draft202012Validator | None:
        key = (op.method, op.template)
        if key in self._validators:
            return self._validators[key]
        content = self.spec["paths"][op.template][op.method.lower()]["requestBody"]["content"]
        if "application/json" not in content:
            return None
        ref = f"{SPEC_URI}#/" + _pointer(
            "paths",
            op.template,
            op.method.lower(),
            "requestBody",
            "content",
            "application/json",
            "schema",
        )
        validator = Draft202012Validator({"$ref": ref}, registry=self.registry)
        self._validators[key] = validator
        return validator

    def check(self, request: RequestLike, *, allow_unknown_routes: bool = False) -> list[SpecIssue]:
        method = request.method.upper()
        path = request.path
        op = self.find_operation(method, path)
        if op is None:
            if allow_unknown_routes:
                return []
            return [SpecIssue(method, path, None, "", "no such operation in Discord's API")]
        body = request.json
        if body is None or not op.has_body:
            return []
        validator = self._validator(op)
        if validator is None:
            return []
        issues: list[SpecIssue] = []
        for error in validator.iter_errors(body):
            best = _deepest(error)
            location = "/".join(str(p) for p in best.absolute_path)
            issues.append(SpecIssue(method, path, op.operation_id, location, _describe(best)))
        return issues

    def iter_issues(
        self, requests: Iterable[RequestLike], *, allow_unknown_routes: bool = False
    ) -> Iterator[SpecIssue]:
        for request in requests:
            yield from self.check(request, allow_unknown_routes=allow_unknown_routes)

    def check_all(
        self, requests: Iterable[RequestLike], *, allow_unknown_routes: bool = False
    ) -> list[SpecIssue]:
        return list(self.iter_issues(requests, allow_unknown_routes=allow_unknown_routes))

    def assert_valid(
        self, requests: Iterable[RequestLike], *, allow_unknown_routes: bool = False
    ) -> None:
        issues = self.check_all(requests, allow_unknown_routes=allow_unknown_routes)
        if issues:
            lines = "\n".join(f"  - {issue}" for issue in issues)
            raise AssertionError(f"{len(issues)} request(s) break Discord's API spec:\n{lines}")


@functools.lru_cache(maxsize=1)
def default_checker() -> SpecChecker:
    """A process-wide checker (the spec is parsed and validators compiled once)."""
    return SpecChecker()


def assert_requests_match_spec(
    requests: Iterable[RequestLike], *, allow_unknown_routes: bool = False
) -> None:
    """``assert_requests_match_spec(emu.requests)`` in any end-to-end test."""
    default_checker().assert_valid(requests, allow_unknown_routes=allow_unknown_routes)
