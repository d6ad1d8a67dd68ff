"""The offline interviewer's answers to clarifying questions: the question's `clarifications`,
matched to the candidate's question by shared keywords (no model, so no paraphrase)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.content.schema import Clarification
from bot.llm.offline_text import tokens, word_set

# Question words and fillers: sharing "what" or "much" says nothing about the topic asked.
_NOT_TOPICS: Final = word_set(
    """what what's which when where whom whose many much does will would should could there
    their they them this that these those about with from into have need must also just some
    your ours mine like know tell want plan okay sure right thanks assume assuming expect
    expected kind sort"""
)
_MIN_LETTERS: Final = 4


def _topics(text: str) -> set[str]:
    # A crude stem ("users" ~ "user") is enough to match a paraphrased ask.
    return {
        word.removesuffix("s")
        for word in tokens(text)
        if len(word) >= _MIN_LETTERS and word not in _NOT_TOPICS
    }


def clarification_for(
    clarifications: Sequence[Clarification], message: str
) -> Clarification | None:
    """The clarification a candidate's question asks about (most shared topic words, first on a
    tie), or None when the message asks nothing or nothing it asks is covered."""
    if "?" not in message:
        return None
    asked = _topics(message)
    best: Clarification | None = None
    best_overlap = 0
    for clarification in clarifications:
        overlap = len(asked & _topics(clarification.ask))
        if overlap > best_overlap:
            best, best_overlap = clarification, overlap
    return best
