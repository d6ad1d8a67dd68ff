"""The code in a member's answer: the last fenced block, and the language it is written in."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"```[ \t]*(?P<tag>[A-Za-z0-9+#.-]*)[ \t]*\n(?P<code>.*?)```", re.DOTALL)
TAGS = {
    "py": "python",
    "python": "python",
    "python3": "python",
    "js": "javascript",
    "javascript": "javascript",
    "node": "javascript",
    "nodejs": "javascript",
}
_JAVASCRIPT_HINT = re.compile(r"\bfunction\b|=>|\b(?:const|let)\s+\w+\s*=")


@dataclass(frozen=True)
class SubmittedCode:
    language: str | None  # None: a tag this bot does not run (e.g. ```java)
    tag: str
    code: str


def extract_code(text: str) -> SubmittedCode | None:
    """The last fenced code block; untagged blocks are told apart by their syntax."""
    blocks = list(_FENCE.finditer(text))
    if not blocks:
        return None
    last = blocks[-1]
    tag, code = last["tag"].lower(), last["code"]
    if not code.strip():
        return None
    if tag:
        return SubmittedCode(TAGS.get(tag), tag, code)
    python_like = re.search(r"^\s*def\s+\w+\s*\(", code, re.MULTILINE) is not None
    guessed = "javascript" if not python_like and _JAVASCRIPT_HINT.search(code) else "python"
    return SubmittedCode(guessed, "", code)
