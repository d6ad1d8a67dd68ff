"""The gateway: a JSON (uncompressed text-frame) websocket speaking Discord's gateway protocol.

HELLO, heartbeats/ACKs, IDENTIFY -> READY + GUILD_CREATE per guild, RESUME (replaying missed
dispatches from a per-session buffer), RECONNECT (op 7), INVALID_SESSION, REQUEST_GUILD_MEMBERS,
sharding by ``(guild_id >> 22) % shard_count``. Dispatch is synchronous for callers: frames get
their sequence number at once and a per-connection writer sends them in order.
"""

# ruff: noqa: ASYNC109
from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from .waiting import WAIT_SECONDS

JSON = dict[str, Any]
DataFn = Callable[["GatewaySession"], JSON | None]

log = logging.getLogger(__name__)

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15

BUFFER_LIMIT = 20_000


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


class GatewaySession:
    """One identified gateway session (one shard), which can outlive a websocket (RESUME)."""

    def __init__(self, session_id: str, shard_id: int, shard_count: int, intents: int) -> None:
        self.session_id = session_id
        self.shard_id = shard_id
        self.shard_count = shard_count
        self.intents = intents
        self.seq = 0
        self.sent_upto = 0
        self.resumes = 0
        self.identified_at = time.monotonic()
        self.ws: web.WebSocketResponse | None = None
        self._buffer: collections.deque[tuple[int, str]] = collections.deque(maxlen=BUFFER_LIMIT)
        self._wake = asyncio.Event()
        self._progress = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None

    def covers(self, guild_id: int | None) -> bool:
        if guild_id is None:
            return self.shard_id == 0
        return (guild_id >> 22) % self.shard_count == self.shard_id

    def has_intent(self, intent: int | None) -> bool:
        return intent is None or bool(self.intents & intent)

    @property
    def connected(self) -> bool:
        return self.ws is not None and not self.ws.closed

    def dispatch(self, event: str, data: Any) -> int:
        self.seq += 1
        frame = dumps({"op": 0, "t": event, "s": self.seq, "d": data})
        self._buffer.append((self.seq, frame))
        self._wake.set()
        return self.seq

    def attach(self, ws: web.WebSocketResponse, sent_upto: int) -> None:
        self.detach()
        self.ws = ws
        self.sent_upto = min(sent_upto, self.seq)
        self._writer = asyncio.create_task(self._write_loop(ws), name="emulator-gateway-writer")
        self._wake.set()

    def detach(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        self.ws = None
        self._progress.set()

    def _frame(self, seq: int) -> str | None:
        if not self._buffer:
            return None
        first = self._buffer[0][0]
        index = seq - first
        if index < 0 or index >= len(self._buffer):
            return None
        return self._buffer[index][1]

    async def _write_loop(self, ws: web.WebSocketResponse) -> None:
        try:
            while self.ws is ws and not ws.closed:
                if self.sent_upto < self.seq:
                    seq = self.sent_upto + 1
                    frame = self._frame(seq)
                    if frame is not None:
                        await ws.send_str(frame)
                    self.sent_upto = seq
                    self._progress.set()
                    continue
                self._wake.clear()
                await self._wake.wait()
        except (ConnectionError, RuntimeError):
            pass
        finally:
            self._progress.set()

    async def drain(self, timeout: float = WAIT_SECONDS) -> None:
        """Wait until every dispatched frame was written (or the socket is gone)."""
        deadline = time.monotonic() + timeout
        while self.connected and self.sent_upto < self.seq:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("gateway writer did not drain")
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), remaining)

    async def send_raw(self, payload: JSON) -> None:
        if self.ws is not None and not self.ws.closed:
            await self.ws.send_str(dumps(payload))


class GatewayHooks:
    """What the gateway needs from the emulator."""

    def __init__(
        self,
        *,
        ready_payload: Callable[[GatewaySession], JSON],
        guild_creates: Callable[[GatewaySession], list[JSON]],
        member_chunk: Callable[[GatewaySession, JSON], JSON | None],
        on_identify: Callable[[GatewaySession, JSON], None],
    ) -> None:
        self.ready_payload = ready_payload
        self.guild_creates = guild_creates
        self.member_chunk = member_chunk
        self.on_identify = on_identify


class Gateway:
    def __init__(self, hooks: GatewayHooks, *, heartbeat_interval_ms: int = 41_250) -> None:
        self.hooks = hooks
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: set[web.WebSocketResponse] = set()
        self.identifies = 0
        self.resumes = 0
        self._changed = asyncio.Event()

    # ------------------------------------------------------------------ dispatch
    def active_sessions(self) -> list[GatewaySession]:
        """The newest session per shard (older ones were replaced by a fresh IDENTIFY)."""
        latest: dict[int, GatewaySession] = {}
        for session in self.sessions.values():
            current = latest.get(session.shard_id)
            if current is None or session.identified_at >= current.identified_at:
                latest[session.shard_id] = session
        return list(latest.values())

    def dispatch(
        self,
        event: str,
        data: JSON | DataFn,
        *,
        guild_id: int | None = None,
        intent: int | None = None,
    ) -> list[GatewaySession]:
        sent: list[GatewaySession] = []
        for session in self.active_sessions():
            if not session.covers(guild_id) or not session.has_intent(intent):
                continue
            payload = data(session) if callable(data) else data
            if payload is None:
                continue
            session.dispatch(event, payload)
            sent.append(session)
        return sent

    def session_for(self, guild_id: int | None) -> GatewaySession | None:
        for session in self.active_sessions():
            if session.covers(guild_id):
                return session
        return None

    async def drain(self, timeout: float = WAIT_SECONDS) -> None:
        for session in self.active_sessions():
            await session.drain(timeout)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out waiting for {what}")
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def all_shards_ready(self) -> bool:
        sessions = self.active_sessions()
        if not sessions:
            return False
        count = max(s.shard_count for s in sessions)
        shards = {s.shard_id for s in sessions if s.shard_count == count}
        return shards == set(range(count))

    # ------------------------------------------------------------------ control
    async def reconnect_all(self) -> list[GatewaySession]:
        """Send op 7 RECONNECT on every connected session."""
        sessions = [s for s in self.active_sessions() if s.connected]
        for session in sessions:
            await session.drain()
            await session.send_raw({"op": 7, "d": None})
        return sessions

    async def close(self) -> None:
        for session in self.sessions.values():
            session.detach()
        for ws in list(self.connections):
            with contextlib.suppress(Exception):
                await ws.close(code=1001, message=b"emulator stopping")
        self.connections.clear()

    # ------------------------------------------------------------------ websocket
    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(compress=False, max_msg_size=16 * 1024 * 1024)
        await ws.prepare(request)
        self.connections.add(ws)
        session: GatewaySession | None = None
        try:
            await ws.send_str(
                dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    if msg.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                        break
                    continue
                try:
                    payload = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                op = payload.get("op")
                data = payload.get("d")
                if op == 1:
                    await ws.send_str(dumps({"op": 11}))
                elif op == 2:
                    session = await self._identify(ws, data or {})
                elif op == 6:
                    session = await self._resume(ws, data or {})
                elif op == 8 and session is not None:
                    chunk = self.hooks.member_chunk(session, data or {})
                    if chunk is not None:
                        session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
        except (ConnectionError, RuntimeError, asyncio.CancelledError):
            pass
        finally:
            if session is not None and session.ws is ws:
                session.detach()
            self.connections.discard(ws)
            self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        shard = data.get("shard") or [0, 1]
        shard_id, shard_count = int(shard[0]), int(shard[1])
        if shard_count < 1 or not 0 <= shard_id < shard_count:
            await ws.close(code=4010, message=b"Invalid shard.")
            return None
        session = GatewaySession(
            secrets.token_hex(16), shard_id, shard_count, int(data.get("intents") or 0)
        )
        self.sessions[session.session_id] = session
        self.identifies += 1
        self.hooks.on_identify(session, data)
        session.dispatch("READY", self.hooks.ready_payload(session))
        for guild_payload in self.hooks.guild_creates(session):
            session.dispatch("GUILD_CREATE", guild_payload)
        session.attach(ws, 0)
        self._notify()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None:
            await ws.send_str(dumps({"op": 9, "d": False}))
            return None
        seq = data.get("seq")
        session.attach(ws, int(seq) if seq is not None else 0)
        session.resumes += 1
        self.resumes += 1
        session.dispatch("RESUMED", {"_trace": ["emulator"]})
        self._notify()
        return session
