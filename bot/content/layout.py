"""Question text laid out for Discord: pack files wrap prose at ~100 characters, which Discord
would show as broken lines. At load, paragraphs and list items are joined into single lines;
code fences are kept as they are; an example or pseudo-code laid out by indentation or arrows
(`->`) becomes a code block, so its alignment survives."""

from __future__ import annotations

import re
import textwrap

FENCE = "```"
LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+\S")


def unwrap(text: str) -> str:
    """The text with its wrapped paragraphs and list items on one line each. Idempotent."""
    blocks = [_layout(block) for block in _blocks(text.strip("\n"))]
    return "\n\n".join(b for b in blocks if b)


def _blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks; a fenced code block is one block even with blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.strip().startswith(FENCE):
            if not fenced and current:
                blocks.append(current)
                current = []
            current.append(line)
            fenced = not fenced
            if not fenced:
                blocks.append(current)
                current = []
        elif fenced or line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _layout(lines: list[str]) -> str:
    if lines[0].strip().startswith(FENCE):
        return "\n".join(lines)
    if _is_preformatted(lines):
        return "\n".join([FENCE, textwrap.dedent("\n".join(lines)).rstrip(), FENCE])
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if LIST_ITEM.match(line) or not out:
            out.append(stripped)
        else:
            out[-1] = f"{out[-1]} {stripped}"
    return "\n".join(out)


def _is_preformatted(lines: list[str]) -> bool:
    """Laid out by hand: an indented line that does not continue a list item, or a line that
    starts with an arrow (an example's result)."""
    in_list = False
    for line in lines:
        if LIST_ITEM.match(line):
            in_list = True
        elif line.lstrip().startswith("->") or (line[:1].isspace() and not in_list):
            return True
    return False
