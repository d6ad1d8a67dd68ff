"""Plain-text rendering of message payload parts (embeds, components) and component walking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

JSON = dict[str, Any]

BUTTON = 2
STRING_SELECT = 3
TEXT_INPUT = 4
SELECT_TYPES = (3, 5, 6, 7, 8)


def iter_components(components: list[JSON] | None) -> Iterator[JSON]:
    """Every component in a (v1 or v2) component tree, depth first."""
    for comp in components or []:
        yield comp
        if isinstance(comp.get("components"), list):
            yield from iter_components(comp["components"])
        for key in ("component", "accessory"):
            child = comp.get(key)
            if isinstance(child, dict):
                yield child
                if isinstance(child.get("components"), list):
                    yield from iter_components(child["components"])


def trim(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def component_label(comp: JSON) -> str:
    label = comp.get("label")
    if not label:
        emoji = comp.get("emoji") or {}
        label = emoji.get("name") or comp.get("custom_id") or comp.get("url") or "?"
    return str(label)


def buttons_inline(components: list[JSON] | None) -> str:
    parts: list[str] = []
    for comp in iter_components(components):
        ctype = comp.get("type")
        if ctype == BUTTON:
            mark = "~" if comp.get("disabled") else ""
            parts.append(f"[{mark}{component_label(comp)}{mark}]")
        elif ctype in SELECT_TYPES:
            placeholder = comp.get("placeholder") or comp.get("custom_id") or "select"
            parts.append(f"[▾ {placeholder}]")
    return " ".join(parts)


def text_displays(components: list[JSON] | None) -> list[str]:
    return [
        str(c.get("content", ""))
        for c in iter_components(components)
        if c.get("type") == 10 and c.get("content")
    ]


def embed_lines(embed: JSON, *, description_limit: int = 300) -> list[str]:
    lines: list[str] = []
    author = (embed.get("author") or {}).get("name")
    if author:
        lines.append(f"({author})")
    if embed.get("title"):
        lines.append(f"**{embed['title']}**")
    if embed.get("description"):
        lines.extend(_wrap_block(str(embed["description"]), description_limit))
    for fld in embed.get("fields") or []:
        name = fld.get("name", "")
        value = trim(str(fld.get("value", "")), 160)
        lines.append(f"{name}: {value}")
    if (embed.get("image") or {}).get("url"):
        lines.append(f"[image {embed['image']['url']}]")
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append(f"— {footer}")
    return lines


def _wrap_block(text: str, limit: int) -> list[str]:
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return [line for line in text.splitlines() if line.strip()] or [text]


def embed_summary(embed: JSON) -> str:
    bits = [str(embed[k]) for k in ("title", "description") if embed.get(k)]
    if not bits and embed.get("fields"):
        bits.append(str(embed["fields"][0].get("name", "")))
    return "[embed] " + trim(" · ".join(bits), 90)


def full_text(content: str, embeds: list[JSON], components: list[JSON]) -> str:
    """Everything a reader sees in a message as one string (for assertions)."""
    parts: list[str] = []
    if content:
        parts.append(content)
    for embed in embeds:
        author = (embed.get("author") or {}).get("name")
        if author:
            parts.append(str(author))
        for key in ("title", "description"):
            if embed.get(key):
                parts.append(str(embed[key]))
        for fld in embed.get("fields") or []:
            parts.append(f"{fld.get('name', '')}\n{fld.get('value', '')}")
        footer = (embed.get("footer") or {}).get("text")
        if footer:
            parts.append(str(footer))
    parts.extend(text_displays(components))
    buttons = buttons_inline(components)
    if buttons:
        parts.append(buttons)
    return "\n".join(parts)
