"""The HTTP side: routing, body parsing (JSON / multipart), recording, rate limits, faults."""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from .errors import ApiError
from .ratelimit import FaultInjector, GlobalLimiter, RouteLimiter
from .state import Upload

JSON = dict[str, Any]
log = logging.getLogger(__name__)
API_PREFIX = "/api/v10"
JSON_TYPE = "application/json"


@dataclass
class RecordedRequest:
    """One REST request the bot made (``path`` is under ``/api/v10``: ``/channels/1/messages``)."""

    method: str
    path: str
    route: str | None
    query: dict[str, str]
    json: Any
    files: list[tuple[str, int]]
    status: int
    time: float
    response: Any = None
    content_type: str | None = None

    @property
    def full_path(self) -> str:
        return API_PREFIX + self.path

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


@dataclass
class Ctx:
    method: str
    path: str
    route: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    uploads: list[Upload]
    headers: Any
    content_type: str | None

    def snowflake(self, name: str) -> int:
        try:
            return int(self.params[name])
        except (KeyError, ValueError):
            raise ApiError(404, 0, "404: Not Found") from None

    def body(self) -> JSON:
        return self.json if isinstance(self.json, dict) else {}

    def flag(self, name: str) -> bool:
        return self.query.get(name, "").lower() in ("1", "true", "yes")


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def no_content(cls) -> Reply:
        return cls(204)


Handler = Callable[[Ctx], Awaitable[Reply]]


@dataclass
class Route:
    method: str
    template: str
    handler: Handler
    regex: re.Pattern[str]
    literal_segments: int
    majors: tuple[str, ...]
    auth: bool
    global_limited: bool


class Router:
    MAJOR = ("channel_id", "guild_id", "webhook_id", "webhook_token", "interaction_id")

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(
        self,
        method: str,
        template: str,
        handler: Handler,
        *,
        auth: bool = True,
        global_limited: bool = True,
    ) -> None:
        segments = template.strip("/").split("/")
        pattern = ""
        majors: list[str] = []
        literal = 0
        for seg in segments:
            if seg.startswith("{") and seg.endswith("}"):
                name = seg[1:-1]
                pattern += f"/(?P<{name}>[^/]+)"
                if name in self.MAJOR:
                    majors.append(name)
            else:
                pattern += "/" + re.escape(seg)
                literal += 1
        route = Route(
            method,
            template,
            handler,
            re.compile(f"^{pattern}$"),
            literal,
            tuple(majors),
            auth,
            global_limited,
        )
        self.routes.append(route)
        self.routes.sort(key=lambda r: -r.literal_segments)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        path_matched = False
        for route in self.routes:
            found = route.regex.match(path)
            if found is None:
                continue
            path_matched = True
            if route.method == method:
                return route, {k: urllib.parse.unquote(v) for k, v in found.groupdict().items()}
        if path_matched:
            raise ApiError(405, 0, "405: Method Not Allowed")
        raise ApiError(404, 0, "404: Not Found")


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    all_headers = {"Content-Type": JSON_TYPE}
    all_headers.update(headers or {})
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return web.Response(status=status, body=data, headers=all_headers)


class ApiServer:
    """Runs every ``/api/v10`` request through faults, limits, routing and recording."""

    def __init__(
        self,
        router: Router,
        *,
        route_limiter: RouteLimiter,
        global_limiter: GlobalLimiter | None,
        faults: FaultInjector,
        on_error: Callable[[Ctx | None, str, str, ApiError], None] | None = None,
    ) -> None:
        self.router = router
        self.route_limiter = route_limiter
        self.global_limiter = global_limiter
        self.faults = faults
        self.requests: list[RecordedRequest] = []
        self.stats: dict[str, int] = {
            "requests": 0,
            "global_rate_limited": 0,
            "route_rate_limited": 0,
            "faults": 0,
            "errors": 0,
            "interaction_callbacks": 0,
        }
        self.tokens_seen: set[str] = set()
        self.internal_errors: list[Exception] = []
        self.on_request: Callable[[RecordedRequest], None] | None = None
        self.on_error = on_error

    async def _parse_body(self, request: web.Request) -> tuple[Any, list[Upload], str | None]:
        ctype = request.content_type
        if not request.can_read_body:
            return None, [], None
        if ctype == "multipart/form-data":
            payload: Any = None
            uploads: list[Upload] = []
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                data = await part.read(decode=False)
                if name == "payload_json":
                    payload = json.loads(bytes(data).decode("utf-8"))
                    continue
                match = re.fullmatch(r"files\[(\d+)\]|file(\d*)", name)
                if match is None:
                    continue
                index = int(match.group(1) or match.group(2) or 0)
                uploads.append(
                    Upload(
                        index=index,
                        filename=part.filename or f"file{index}",
                        content_type=part.headers.get("Content-Type"),
                        data=bytes(data),
                    )
                )
            return payload, uploads, ctype
        raw = await request.read()
        if not raw:
            return None, [], ctype
        try:
            return json.loads(raw.decode("utf-8")), [], ctype
        except ValueError:
            raise ApiError(400, 50109, "The request body contains invalid JSON.") from None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.monotonic()
        method = request.method.upper()
        path = request.path[len(API_PREFIX) :] or "/"
        query = {k: v for k, v in request.query.items()}
        # Filled in as the request is understood; `_finish` adds the outcome and keeps it.
        record = RecordedRequest(method, path, None, query, None, [], 0, started)
        route_template: str | None = None
        ctx: Ctx | None = None
        headers: dict[str, str] = {}
        self.stats["requests"] += 1
        try:
            body, uploads, ctype = await self._parse_body(request)
            record.json = body
            record.files = [(u.filename, len(u.data)) for u in uploads]
            record.content_type = ctype
            fault = self.faults.take(method, path)
            if fault is not None:
                self.stats["faults"] += 1
                status, fault_body, headers = fault
                return self._finish(record, None, status, fault_body, headers)
            route, params = self._match(method, path)
            route_template = route.template
            limited = self._global_limit(route)
            if limited is not None:
                rl_body, headers = limited
                return self._finish(record, route_template, 429, rl_body, headers)
            if route.auth:
                auth = request.headers.get("Authorization", "")
                if not auth.startswith("Bot ") or len(auth) <= 4:
                    raise ApiError(401, 0, "401: Unauthorized")
                self.tokens_seen.add(auth[4:])
            major = ":".join(params.get(name, "") for name in route.majors)
            allowed, headers = self.route_limiter.hit(route.template, major)
            if not allowed:
                self.stats["route_rate_limited"] += 1
                headers["Via"] = "1.1 google"
                return self._finish(
                    record, route_template, 429, self._route_limited(headers), headers
                )
            ctx = Ctx(
                method, path, route.template, params, query, body, uploads, request.headers, ctype
            )
            reply = await route.handler(ctx)
            headers.update(reply.headers)
            return self._finish(record, route_template, reply.status, reply.body, headers)
        except Exception as exc:  # an emulator bug: answer loudly, never drop the connection
            if not isinstance(exc, ApiError):
                log.exception("emulator internal error on %s %s", method, path)
                self.internal_errors.append(exc)
                exc = ApiError(400, 0, f"Emulator internal error (a bug in emulator): {exc!r}")
            err = exc
            self.stats["errors"] += 1
            if self.on_error is not None:
                self.on_error(ctx, method, path, err)
            headers.update(err.headers)
            return self._finish(record, route_template, err.status, err.body(), headers)

    def _global_limit(self, route: Route) -> tuple[JSON, dict[str, str]] | None:
        """The 429 body and headers when the bot is over the global limit, else None."""
        if not route.global_limited or self.global_limiter is None:
            return None
        wait = self.global_limiter.hit()
        if wait is None:
            return None
        self.stats["global_rate_limited"] += 1
        headers = {
            "Retry-After": str(max(1, int(wait + 0.999))),
            "X-RateLimit-Global": "true",
            "X-RateLimit-Scope": "global",
            "Via": "1.1 google",
        }
        return {
            "message": "You are being rate limited.",
            "retry_after": round(wait, 3),
            "global": True,
        }, headers

    def _route_limited(self, headers: dict[str, str]) -> JSON:
        return {
            "message": "You are being rate limited.",
            "retry_after": self.route_limiter.retry_after(headers),
            "global": False,
        }

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        return self.router.match(method, path)

    def _finish(
        self,
        record: RecordedRequest,
        route: str | None,
        status: int,
        response: Any,
        headers: dict[str, str],
    ) -> web.StreamResponse:
        record.route = route
        record.status = status
        record.response = response
        self.requests.append(record)
        if self.on_request is not None:
            self.on_request(record)
        if status == 204 or response is None:
            return web.Response(status=status, headers=headers)
        return json_response(status, response, headers)
