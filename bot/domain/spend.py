"""Cost controls for the AI grader: prices, the guild's day, and the two daily limits.

Pure rules; the grading service feeds them numbers from the store. A "token" in the guild's
budget is any token the API processed (input, output, cache reads and cache writes alike): the
simplest count an admin can check against the provider's dashboard, and a conservative one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from bot.domain.grading import Usage

DEFAULT_MEMBER_DAILY_ANSWERS: Final = 10
DEFAULT_GUILD_DAILY_TOKENS: Final = 1_000_000
MAX_MEMBER_DAILY_ANSWERS: Final = 200
MAX_GUILD_DAILY_TOKENS: Final = 100_000_000

# `claude_pending`: the AI grade could not be had at once; the offline grade stands in until it
# arrives (by DM or at the member's next interaction).
FallbackReason = Literal[
    "member_limit", "guild_budget", "claude_refused", "claude_unavailable", "claude_pending"
]
FALLBACK_REASONS: Final[tuple[FallbackReason, ...]] = (
    "member_limit",
    "guild_budget",
    "claude_refused",
    "claude_unavailable",
    "claude_pending",
)


@dataclass(frozen=True)
class ModelPrice:
    """US dollars per million tokens."""

    input: float
    output: float
    # Prompt caching: reads cost a tenth of input, 5-minute cache writes a quarter more.
    cache_read: float
    cache_write: float


def _price(input_per_m: float, output_per_m: float) -> ModelPrice:
    return ModelPrice(input_per_m, output_per_m, input_per_m * 0.1, input_per_m * 1.25)


# Only models whose price we know; spend on any other model is shown as tokens without dollars.
PRICES: Final[dict[str, ModelPrice]] = {
    "claude-haiku-5-5": _price(0.10, 0.50),
}


def price_of(model: str) -> ModelPrice | None:
    """The price of a model id; dated snapshots (`claude-haiku-5-5-20261001`) match their alias."""
    if model in PRICES:
        return PRICES[model]
    for alias, price in PRICES.items():
        if model.startswith(alias + "-"):
            return price
    return None


def cost_usd(usage: Usage, model: str) -> float | None:
    price = price_of(model)
    if price is None:
        return None
    return (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_read_tokens * price.cache_read
        + usage.cache_write_tokens * price.cache_write
    ) / 1_000_000


def total_tokens(usage: Usage) -> int:
    return (
        usage.input_tokens
        + usage.output_tokens
        + usage.cache_read_tokens
        + usage.cache_write_tokens
    )


@dataclass(frozen=True)
class DayWindow:
    """One local day of a guild, as UTC instants: [start, end)."""

    start: datetime
    end: datetime
    local_date: str


def day_window(now: datetime, zone: ZoneInfo) -> DayWindow:
    """The guild-local day containing `now`; DST days are 23 or 25 hours long."""
    local = now.astimezone(zone)
    today = local.date()
    start = datetime.combine(today, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return DayWindow(start.astimezone(UTC), end.astimezone(UTC), today.isoformat())


@dataclass(frozen=True)
class GradingLimits:
    member_daily_answers: int
    guild_daily_tokens: int
    customised: bool = False


# Tokens an admitted call holds against the guild's budget until its real usage is known: about
# what one costs at the effort it runs at (thinking included), so calls admitted together see
# each other before any has answered.
RESERVED_TOKENS: Final[dict[str, int]] = {
    "grade": 6_000,
    "scorecard": 9_000,
    "peer_note": 6_000,
    "interview_turn": 3_000,
}
# Operations that count against the member's daily answers (graded work, not conversation).
COUNTED_AS_ANSWERS: Final = frozenset({"grade", "scorecard", "peer_note"})


@dataclass(frozen=True)
class Fallback:
    """Why an answer was graded offline, and (for a limit) when the AI grader is back."""

    reason: FallbackReason
    resets_at: datetime | None = None


def admission(
    limits: GradingLimits, *, member_graded_today: int, guild_tokens_today: int, resets_at: datetime
) -> Fallback | None:
    """None when the AI grader may be called; otherwise which limit stops it.

    Checked before each call, so calls already in flight can take a day slightly past its
    budget; the guild budget is checked first because it is the one that costs money for all.
    """
    if guild_tokens_today >= limits.guild_daily_tokens:
        return Fallback("guild_budget", resets_at)
    if member_graded_today >= limits.member_daily_answers:
        return Fallback("member_limit", resets_at)
    return None
