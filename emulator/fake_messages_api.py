"""A local fake of the Anthropic Messages API, for tests and the offline demo.

It listens on 127.0.0.1 (a random port) and speaks the wire format the real `anthropic` SDK
expects, so tests exercise the SDK itself (headers, retries, error classes, parsing) rather than a
mock of it:

    async with FakeMessagesAPI() as fake:
        client = anthropic.AsyncAnthropic(api_key="test-key", base_url=fake.base_url)
        fake.enqueue(Overloaded(), GradeReply())     # one 529, then a normal grade

Every request is recorded (`fake.requests`: headers and JSON body). Each request takes the next
scripted behaviour from the queue; with the queue empty it answers normally: a structured grade
when the request asks for JSON (`output_config.format`), an interviewer line otherwise.

A normal grade is built from the requested JSON schema: rubric criterion names are read from the
system prompt (`<criterion name="...">`, in order: `criteria.c1` is the first), the candidate's
text from the `<answer-NONCE>` or `<transcript-NONCE>` tag in the user turn, and scores come from
`scorer` (deterministic; by default from the answer's length). With `arbitrary=True` the reply is
instead ANY instance of the requested schema (drawn by `hypothesis-jsonschema`): what structured
outputs guarantee, and nothing more.

Thinking is modelled: at the effort the request asks for (`output_config.effort`, default
`medium`) the model spends `thinking_tokens[effort]` output tokens thinking before it writes, out
of `max_tokens`; when they run out the reply stops at `max_tokens` (after the thinking block, or
with the text cut), so limits that are too tight fail a test. Token usage is estimated at 4
characters a token (thinking tokens are output tokens) and prompt caching is simulated: a system
prefix ending in a `cache_control` block of at least `min_cacheable_tokens` (default 512, the
default model's documented minimum) is written on first sight and read afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import json
import math
import random
import re
import secrets
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from aiohttp import web

Scorer: TypeAlias = Callable[[str, Sequence[str]], Mapping[str, float]]

DEFAULT_TURN = "Thanks. How would your approach change if the input were ten times larger?"
REFUSAL_TEXT = "I can't help with that request."
DEFAULT_EFFORT = "medium"
# Thinking tokens spent per reply at each effort: rough figures for a rubric grade on a small
# model, deliberately on the generous side so that tests catch a max_tokens set too low.
THINKING_TOKENS: Mapping[str, int] = {
    "low": 600,
    "medium": 2500,
    "high": 6000,
    "xhigh": 12000,
    "max": 24000,
}


# --- scripted behaviours --------------------------------------------------------------------


@dataclass(frozen=True)
class GradeReply:
    """A structured reply. `payload` is sent as given (any JSON value); otherwise one is built
    from the request's schema, with `scores` (by criterion name) or a uniform `score` overriding
    the scorer, and `extra` merged over the top level."""

    payload: Any = None
    scores: Mapping[str, float] | None = None
    score: float | None = None
    extra: Mapping[str, Any] | None = None


def TurnReply(message: str) -> GradeReply:
    """An interviewer turn: the turn schema's instance with this message."""
    return GradeReply(extra={"message": message})


@dataclass(frozen=True)
class TextReply:
    text: str = DEFAULT_TURN
    stop_reason: str = "end_turn"


@dataclass(frozen=True)
class Malformed:
    """A 200 whose text is not the requested JSON."""

    text: str = '{"criteria": [{"name": "oops", "score": '


@dataclass(frozen=True)
class Refusal:
    text: str = REFUSAL_TEXT
    category: str | None = None


@dataclass(frozen=True)
class MaxTokens:
    """Output cut off mid-JSON, as when max_tokens runs out."""


@dataclass(frozen=True)
class Arbitrary:
    """One reply that is any instance of the requested schema (as `arbitrary=True` answers)."""


@dataclass(frozen=True)
class StatusError:
    status: int
    error_type: str
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)


def Overloaded() -> StatusError:
    return StatusError(529, "overloaded_error", "Overloaded", {"x-should-retry": "true"})


def RateLimited(retry_after: float) -> StatusError:
    headers = {"retry-after": f"{retry_after:g}", "x-should-retry": "true"}
    return StatusError(429, "rate_limit_error", "Rate limited", headers)


@dataclass(frozen=True)
class Slow:
    """Wait `delay_s` before answering (with `then`, or normally): makes client timeouts."""

    delay_s: float
    then: Behaviour | None = None


Behaviour: TypeAlias = (
    GradeReply | TextReply | Malformed | Refusal | MaxTokens | Arbitrary | StatusError | Slow
)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: Mapping[str, str]
    body: Mapping[str, Any]

    @property
    def system_blocks(self) -> list[Mapping[str, Any]]:
        system = self.body.get("system")
        if isinstance(system, str):
            return [{"type": "text", "text": system}]
        return list(system or [])

    @property
    def system_text(self) -> str:
        return "\n".join(str(b.get("text", "")) for b in self.system_blocks)

    @property
    def user_text(self) -> str:
        return "\n".join(
            _content_text(m.get("content"))
            for m in self.body.get("messages", [])
            if m.get("role") == "user"
        )

    @property
    def response_schema(self) -> Mapping[str, Any] | None:
        config = self.body.get("output_config") or {}
        fmt = config.get("format") or {}
        schema = fmt.get("schema")
        return schema if fmt.get("type") == "json_schema" and isinstance(schema, dict) else None

    @property
    def effort(self) -> str:
        config = self.body.get("output_config") or {}
        return str(config.get("effort") or DEFAULT_EFFORT)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(b.get("text", "")) for b in content if isinstance(b, dict))
    return ""


# --- reading the request ----------------------------------------------------------------------

_CRITERION = re.compile(r'<criterion name="([^"]*)"')
_ANSWER = re.compile(r"<answer-([0-9a-f]+)>\n?(.*?)\n?</answer-\1>", re.DOTALL)
_TRANSCRIPT = re.compile(r"<transcript-([0-9a-f]+)>\n?(.*?)\n?</transcript-\1>", re.DOTALL)
_CANDIDATE_TURN = re.compile(r'<turn speaker="candidate">\n?(.*?)\n?</turn>', re.DOTALL)
# Text addressed to the grader; a well-behaved model flags it and grades only what precedes it.
# `‹` is how the grader defangs a `<` in a fake closing tag.
_INJECTION = re.compile(
    r"ignore (all |any )?(previous|prior|above) instructions|grader note|full marks"
    r"|[<‹]\s*/?\s*answer",
    re.IGNORECASE,
)


def rubric_names(system_text: str) -> list[str]:
    return [html.unescape(name) for name in _CRITERION.findall(system_text)]


def candidate_text(user_text: str) -> str:
    """The graded text: the answer inside its nonce tag, or the candidate's transcript turns."""
    match = _ANSWER.search(user_text)
    if match:
        return match.group(2)
    match = _TRANSCRIPT.search(user_text)
    if match:
        return "\n\n".join(_CANDIDATE_TURN.findall(match.group(2)))
    return ""


def substance(answer: str) -> str:
    """The answer up to the first text addressed to the grader."""
    match = _INJECTION.search(answer)
    return answer[: match.start()] if match else answer


def length_scorer(answer: str, names: Sequence[str]) -> dict[str, float]:
    """Deterministic: longer answers score higher, with a fixed per-criterion offset.

    Text addressed to the grader is ignored, as a well-behaved model would.
    """
    words = len(substance(answer).split())
    base = min(4.5, 0.5 + words / 70)
    scores = {}
    for name in names:
        offset = (int(hashlib.sha256(name.encode()).hexdigest(), 16) % 3 - 1) * 0.5
        scores[name] = max(0.0, min(5.0, round((base + offset) * 2) / 2))
    return scores


def _estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / 4) if text else 0


def instance_for_schema(
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    overrides: Mapping[str, Any],
    prop: str = "",
) -> Any:
    """A value valid for `schema`: overrides by property name first, then a generic filler."""
    if prop in overrides:
        return overrides[prop]
    if "$ref" in schema:
        ref = str(schema["$ref"]).rsplit("/", 1)[-1]
        return instance_for_schema(root.get("$defs", {})[ref], root, overrides, prop)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "anyOf" in schema:
        variants = [v for v in schema["anyOf"] if v.get("type") != "null"]
        if not variants:
            return None
        return instance_for_schema(variants[0], root, overrides, prop)
    kind = schema.get("type")
    if kind == "object":
        return {
            key: instance_for_schema(sub, root, overrides, key)
            for key, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        item = instance_for_schema(schema.get("items", {"type": "string"}), root, {}, prop)
        return [item]
    if kind == "string":
        return f"Fake {prop or 'text'}."
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return 0
    return None


_ARBITRARY_POOLS: dict[str, list[Any]] = {}
_POOL_SIZE = 25


def arbitrary_instance(schema: Mapping[str, Any]) -> Any:
    """Any instance of `schema`, drawn by hypothesis-jsonschema (a development dependency).

    Drawn a batch at a time (Hypothesis starts each run from the simplest instance) and handed
    out in random order, so replies vary from the minimal to the odd.
    """
    key = json.dumps(schema, sort_keys=True)
    pool = _ARBITRARY_POOLS.setdefault(key, [])
    if not pool:
        pool.extend(_draw(schema, _POOL_SIZE))
        random.shuffle(pool)
    return pool.pop()


def _draw(schema: Mapping[str, Any], count: int) -> list[Any]:
    import warnings

    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import NonInteractiveExampleWarning
    from hypothesis_jsonschema import from_schema

    drawn: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(dict(schema)))
    def draw(instance: Any) -> None:
        drawn.append(instance)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        draw()
    return drawn


def criteria_instance(
    names: Sequence[str], scores: Mapping[str, float], quote: str
) -> dict[str, Any]:
    """The `criteria` object of the wire format: `c1..cN` in rubric order."""
    return {
        f"c{i + 1}": {
            "score": scores.get(name, 0.0),
            "evidence": quote,
            "comment": f"Fake comment on {name}.",
        }
        for i, name in enumerate(names)
    }


# --- the server -------------------------------------------------------------------------------


class FakeMessagesAPI:
    def __init__(
        self,
        *,
        scorer: Scorer = length_scorer,
        min_cacheable_tokens: int = 512,
        turn_text: str = DEFAULT_TURN,
        arbitrary: bool = False,
        thinking_tokens: Mapping[str, int] = THINKING_TOKENS,
    ) -> None:
        self.requests: list[RecordedRequest] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._queue: deque[Behaviour] = deque()
        self._scorer = scorer
        self._min_cacheable = min_cacheable_tokens
        self._turn_text = turn_text
        self.arbitrary = arbitrary
        self._thinking = dict(thinking_tokens)
        self._cache: set[str] = set()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("FakeMessagesAPI is not started")
        return self._base_url

    def enqueue(self, *behaviours: Behaviour) -> None:
        self._queue.extend(behaviours)

    @property
    def pending(self) -> int:
        return len(self._queue)

    async def start(self) -> None:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post("/v1/messages", self._messages)
        app.router.add_post("/v1/messages/count_tokens", self._count_tokens)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._base_url = f"http://{host}:{port}"

    async def stop(self) -> None:
        self._closing.set()  # wake slow handlers so shutdown does not wait for them
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeMessagesAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- handlers -----------------------------------------------------------------------------

    async def _read(self, request: web.Request) -> RecordedRequest | web.Response:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "invalid_request_error", "Body is not JSON.")
        recorded = RecordedRequest(request.method, request.path, dict(request.headers), body)
        self.requests.append(recorded)
        if not (request.headers.get("authorization") or request.headers.get("x-api-key")):
            return _error(401, "authentication_error", "Missing credentials.")
        missing = [k for k in ("model", "messages") if k not in body]
        if missing:
            return _error(400, "invalid_request_error", f"{missing[0]}: Field required")
        return recorded

    async def _count_tokens(self, request: web.Request) -> web.Response:
        recorded = await self._read(request)
        if isinstance(recorded, web.Response):
            return recorded
        total = _estimate_tokens(recorded.system_text) + _estimate_tokens(recorded.user_text)
        return web.json_response({"input_tokens": total})

    async def _messages(self, request: web.Request) -> web.Response:
        recorded = await self._read(request)
        if isinstance(recorded, web.Response):
            return recorded
        if "max_tokens" not in recorded.body:
            return _error(400, "invalid_request_error", "max_tokens: Field required")
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            behaviour = self._queue.popleft() if self._queue else None
            while isinstance(behaviour, Slow):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), behaviour.delay_s)
                behaviour = behaviour.then
            return self._respond(recorded, behaviour)
        finally:
            self._in_flight -= 1

    def _default(self, req: RecordedRequest) -> Behaviour:
        if req.response_schema is None:
            return TextReply(self._turn_text)
        return Arbitrary() if self.arbitrary else GradeReply()

    def _respond(self, req: RecordedRequest, behaviour: Behaviour | None) -> web.Response:
        if behaviour is None:
            behaviour = self._default(req)
        if isinstance(behaviour, StatusError):
            return _error(
                behaviour.status, behaviour.error_type, behaviour.message, behaviour.headers
            )
        if isinstance(behaviour, GradeReply):
            return self._message(req, json.dumps(self._grade_payload(req, behaviour)), "end_turn")
        if isinstance(behaviour, Arbitrary):
            schema = req.response_schema or {"type": "object", "properties": {}}
            return self._message(req, json.dumps(arbitrary_instance(schema)), "end_turn")
        if isinstance(behaviour, TextReply):
            return self._message(req, behaviour.text, behaviour.stop_reason)
        if isinstance(behaviour, Malformed):
            return self._message(req, behaviour.text, "end_turn")
        if isinstance(behaviour, Refusal):
            details = {"type": "refusal", "category": behaviour.category, "explanation": None}
            return self._message(req, behaviour.text, "refusal", details)
        if isinstance(behaviour, MaxTokens):
            full = json.dumps(self._grade_payload(req, GradeReply()))
            return self._message(req, full[: len(full) // 2], "max_tokens")
        raise AssertionError(f"unhandled behaviour {behaviour!r}")

    def _grade_payload(self, req: RecordedRequest, reply: GradeReply) -> Any:
        if reply.payload is not None:
            return reply.payload
        schema = req.response_schema or {"type": "object", "properties": {}}
        names = rubric_names(req.system_text)
        answer = candidate_text(req.user_text)
        scores = dict(self._scorer(answer, names))
        if reply.scores:
            scores.update(reply.scores)
        if reply.score is not None:
            scores = dict.fromkeys(names, reply.score)
        overrides: dict[str, Any] = {
            "criteria": criteria_instance(names, scores, " ".join(answer.split()[:8])),
            "injection_attempt": bool(_INJECTION.search(answer)),
            "language": "en",
            "hiring_signal": "lean_yes",
            "hints_gave_away": "",
            "message": self._turn_text,
        }
        payload = instance_for_schema(schema, schema, overrides)
        if isinstance(payload, dict) and reply.extra:
            payload.update(reply.extra)
        return payload

    def _usage(self, req: RecordedRequest, output_text: str, thinking: int) -> dict[str, Any]:
        blocks = req.system_blocks
        cut = max((i + 1 for i, b in enumerate(blocks) if b.get("cache_control")), default=0)
        prefix = "\n".join(str(b.get("text", "")) for b in blocks[:cut])
        rest = "\n".join(str(b.get("text", "")) for b in blocks[cut:])
        prefix_tokens = _estimate_tokens(prefix)
        uncached = _estimate_tokens(rest) + _estimate_tokens(req.user_text)
        read = write = 0
        if prefix_tokens >= self._min_cacheable:
            key = hashlib.sha256(f"{req.body.get('model')}\0{prefix}".encode()).hexdigest()
            if key in self._cache:
                read = prefix_tokens
            else:
                write = prefix_tokens
                self._cache.add(key)
        else:
            uncached += prefix_tokens
        return {
            "input_tokens": uncached,
            "output_tokens": max(1, thinking + _estimate_tokens(output_text)),
            "cache_creation_input_tokens": write,
            "cache_read_input_tokens": read,
            "service_tier": "standard",
        }

    def _message(
        self,
        req: RecordedRequest,
        text: str,
        stop_reason: str,
        stop_details: Mapping[str, Any] | None = None,
    ) -> web.Response:
        content: list[dict[str, Any]] = []
        thinking = 0
        if stop_reason == "end_turn":  # a reply the model finished: it thought first
            thinking = self._thinking.get(req.effort, 0)
            limit = int(req.body.get("max_tokens", 0))
            if thinking:
                content.append(_thinking_block(min(thinking, limit)))
            room = limit - thinking
            if room <= 0:
                thinking, text, stop_reason = limit, "", "max_tokens"
            elif _estimate_tokens(text) > room:
                text, stop_reason = text[: room * 4], "max_tokens"
        if text or not content:
            content.append({"type": "text", "text": text})
        body = {
            "id": f"msg_fake_{secrets.token_hex(12)}",
            "type": "message",
            "role": "assistant",
            "model": req.body.get("model", "claude-fake"),
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "stop_details": stop_details,
            "usage": self._usage(req, text, thinking),
        }
        return web.json_response(body, headers={"request-id": f"req_fake_{secrets.token_hex(8)}"})


def _thinking_block(tokens: int) -> dict[str, Any]:
    summary = f"(thinking: {tokens} tokens)"
    return {"type": "thinking", "thinking": summary, "signature": secrets.token_hex(16)}


def _error(
    status: int, error_type: str, message: str, headers: Mapping[str, str] | None = None
) -> web.Response:
    request_id = f"req_fake_{secrets.token_hex(8)}"
    body = {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    }
    return web.json_response(
        body, status=status, headers={"request-id": request_id, **(headers or {})}
    )
