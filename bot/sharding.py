"""Which guilds this process serves when the bot runs as several sharded processes.

Discord sends a guild's events to shard `(guild_id >> 22) % shard_count`. A process that runs
some of the shards must also do the scheduled work (daily posts, catch-up, retry sweeps) only for
those guilds, or two processes sharing one database would both act for the same guild.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardPlan:
    """`count` shards in all; this process runs `ids` (every shard when it runs them all)."""

    count: int = 1
    ids: frozenset[int] = frozenset({0})

    def __post_init__(self) -> None:
        if self.count < 1 or not self.ids or not all(0 <= i < self.count for i in self.ids):
            raise ValueError(f"shard ids {sorted(self.ids)} do not fit {self.count} shards")

    @classmethod
    def of(cls, count: int | None, ids: tuple[int, ...] | None) -> ShardPlan:
        """From the settings: no count means one unsharded process; no ids means all shards."""
        if count is None:
            return cls()
        return cls(count, frozenset(ids) if ids else frozenset(range(count)))

    @property
    def everything(self) -> bool:
        return len(self.ids) == self.count

    @property
    def runs_shard_zero(self) -> bool:
        """Work not yet split by guild runs in exactly one process: the one with shard 0."""
        return 0 in self.ids

    def owns(self, guild_id: int) -> bool:
        return self.everything or shard_of(guild_id, self.count) in self.ids

    def describe(self) -> str:
        if self.count == 1:
            return "unsharded"
        return f"shards {','.join(map(str, sorted(self.ids)))} of {self.count}"


EVERY_GUILD = ShardPlan()
