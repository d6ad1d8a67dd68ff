"""Graders and the AI interviewer: Claude through the `anthropic` SDK, or an offline fallback."""

from bot.llm.base import Grader
from bot.llm.factory import make_grader

__all__ = ["Grader", "make_grader"]
