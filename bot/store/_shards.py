"""The SQL form of `ShardPlan.owns`, so a sharded process reads only its own guilds' rows."""

from __future__ import annotations

from bot.sharding import ShardPlan


def shard_filter(shards: ShardPlan, column: str = "guild_id") -> tuple[str, list[int]]:
    """An ` AND ...` clause and its parameters; empty when the process runs every shard."""
    if shards.everything:
        return "", []
    ids = sorted(shards.ids)
    marks = ", ".join("?" for _ in ids)
    return f" AND (({column} >> 22) % ?) IN ({marks})", [shards.count, *ids]
