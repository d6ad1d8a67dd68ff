"""Modules and functions stay small enough to read: a module in bot/ over MODULE_MAX lines or a
function over FUNCTION_MAX fails, unless a `# size: <reason>` comment beside it says why (for a
module, among its first MODULE_REASON_WITHIN lines; for a function, on the line above its `def`
or its decorators, or at the end of the `def` line). Run as a script, it lists what is over."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULE_MAX = 400
FUNCTION_MAX = 60
MODULE_REASON_WITHIN = 15
REASON = "# size:"


def _has_reason(line: str) -> bool:
    """A `# size:` comment with words after it: an empty reason is no reason."""
    _, found, reason = line.partition(REASON)
    return bool(found) and bool(reason.strip())


def oversized(path: Path) -> list[str]:
    """What in this file is over the limits without a reason, as 'name: N lines'."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    if len(lines) > MODULE_MAX and not any(map(_has_reason, lines[:MODULE_REASON_WITHIN])):
        found.append(f"module: {len(lines)} lines")
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        assert node.end_lineno is not None
        length = node.end_lineno - node.lineno + 1
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        beside = [*lines[max(first - 2, 0) : first - 1], lines[node.lineno - 1]]
        if length > FUNCTION_MAX and not any(map(_has_reason, beside)):
            found.append(f"{node.name} (line {node.lineno}): {length} lines")
    return found


def oversized_in_bot() -> dict[str, list[str]]:
    return {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if (found := oversized(path))
    }


def test_nothing_in_bot_is_over_the_limits_without_a_reason() -> None:
    assert oversized_in_bot() == {}


def _module(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "module.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _function(name: str, body_lines: int, above: str | None = None) -> list[str]:
    head = [above] if above else []
    return [*head, f"def {name}() -> None:", *(["    pass"] * (body_lines - 1))]


def test_a_long_function_is_found_unless_a_reason_sits_beside_it(tmp_path: Path) -> None:
    lines = [
        *_function("short", FUNCTION_MAX),
        *_function("long", FUNCTION_MAX + 1),
        *_function("explained", FUNCTION_MAX + 1, above="# size: one table, read top to bottom"),
        *_function("shrugged", FUNCTION_MAX + 1, above="# size:"),
    ]
    found = oversized(_module(tmp_path, lines))
    assert [entry.split(" ")[0] for entry in found] == ["long", "shrugged"]


def test_a_long_module_is_found_unless_its_head_gives_a_reason(tmp_path: Path) -> None:
    filler = ["x = 1"] * MODULE_MAX
    assert oversized(_module(tmp_path, ['"""Doc."""', *filler])) == [
        f"module: {MODULE_MAX + 1} lines"
    ]
    assert oversized(_module(tmp_path, ['"""Doc."""', "# size: generated table", *filler])) == []
    late = ['"""Doc."""', *filler[:MODULE_REASON_WITHIN], "# size: too far down", *filler]
    assert oversized(_module(tmp_path, late)) != []


if __name__ == "__main__":
    for module, found in oversized_in_bot().items():
        print(module, "; ".join(found))
