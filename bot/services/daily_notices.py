"""The daily service's notices for a server's admins as data, and how they are kept in the
guild's row (`last_error`, `last_warning`): JSON, so `/daily status` words them in the reader's
language later. A row written before holds English text; `decode` gives None for it."""

from __future__ import annotations

import json
from typing import Any, cast

from bot.content.schema import ROUNDS, Round
from bot.domain.message import Channel, Command
from bot.services.ports import AdminNotice, LowPool, PostProblem


def encode(notice: AdminNotice) -> str:
    if isinstance(notice, LowPool):
        return json.dumps({"kind": "low-pool", "left": notice.left, "round": notice.round})
    return json.dumps(
        {
            "kind": "not-posted",
            "problem": notice.problem,
            "fix": notice.fix,
            "params": {name: _value(v) for name, v in notice.params.items()},
            "gave_up_after": notice.gave_up_after,
        },
        sort_keys=True,
    )


def decode(text: str | None) -> AdminNotice | None:
    if not text or not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
        if data["kind"] == "low-pool":
            round_name = data["round"]
            if round_name not in ROUNDS:
                return None
            return LowPool(int(data["left"]), cast(Round, round_name))
        return PostProblem(
            str(data["problem"]),
            str(data["fix"]),
            {name: _param(v) for name, v in data["params"].items()},
            int(data["gave_up_after"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _value(value: object) -> Any:
    if isinstance(value, Channel):
        return {"channel": value.channel_id}
    if isinstance(value, Command):
        return {"command": value.text}
    if isinstance(value, tuple):
        return {"list": [str(v) for v in value]}
    return value if isinstance(value, int | float) else str(value)


def _param(value: Any) -> object:
    if isinstance(value, dict):
        if "channel" in value:
            return Channel(int(value["channel"]))
        if "command" in value:
            return Command(str(value["command"]))
        if "list" in value:
            return tuple(str(v) for v in value["list"])
    return value
