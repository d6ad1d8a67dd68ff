"""Pick the grader from the settings: Claude with an API key, the offline grader without."""

from __future__ import annotations

from bot.llm.base import Grader
from bot.llm.offline import OfflineGrader
from bot.settings import Settings

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_CONCURRENCY = 4


def make_grader(
    api_key: str | None, base_url: str | None, model: str, *, fallback_model: str | None = None
) -> Grader:
    """`api_key` is the plain key (call `SecretStr.get_secret_value()` first); blank means none.

    `base_url=None` lets the SDK apply `ANTHROPIC_BASE_URL` itself, as the design asks.
    """
    if not api_key or not api_key.strip():
        return OfflineGrader()
    # Imported only with a key: the SDK costs about 50 MB and 0.7 s at start.
    import anthropic

    from bot.llm.claude import ClaudeGrader

    client = anthropic.AsyncAnthropic(api_key=api_key.strip(), base_url=base_url or None)
    return ClaudeGrader(
        client,
        model,
        fallback_model=fallback_model,
        timeout_s=DEFAULT_TIMEOUT_S,
        max_retries=DEFAULT_MAX_RETRIES,
        concurrency=DEFAULT_CONCURRENCY,
    )


def configured_grader(settings: Settings) -> Grader:
    """The grader the settings ask for: Claude with an API key, the offline grader without."""
    key = settings.anthropic_api_key
    return make_grader(
        key.get_secret_value() if key else None,
        settings.anthropic_base_url,
        settings.bot_llm_model,
        fallback_model=settings.bot_llm_fallback_model,
    )
