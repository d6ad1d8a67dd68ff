"""Question text is unwrapped for Discord at load: prose and list items on one line each, code
and hand-aligned examples in code blocks, nothing lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.content.layout import LIST_ITEM, unwrap
from bot.content.loader import load_bank

WRAPPED = """Write `tokenize(query)` for the search box. Word characters are ASCII letters and
digits; every other character separates tokens. Rules:
  1. A double quote starts a phrase that runs to the next
     double quote.
  2. Output each token once.

Example: window = 3
  next(4)  -> 4.0
  next(10) -> 7.0

```python
def f(x):

    return x
```
Constraints: O(n) time
and O(1) space."""


def test_paragraphs_lists_examples_and_fences() -> None:
    assert unwrap(WRAPPED) == "\n\n".join(
        [
            "Write `tokenize(query)` for the search box. Word characters are ASCII letters and "
            "digits; every other character separates tokens. Rules:\n"
            "1. A double quote starts a phrase that runs to the next double quote.\n"
            "2. Output each token once.",
            "```\nExample: window = 3\n  next(4)  -> 4.0\n  next(10) -> 7.0\n```",
            "```python\ndef f(x):\n\n    return x\n```",
            "Constraints: O(n) time and O(1) space.",
        ]
    )


def test_an_arrow_result_keeps_its_line() -> None:
    text = 'Example: query = \'a b\'\n-> ["a", "b"]'
    assert unwrap(text) == f"```\n{text}\n```"


def words(text: str) -> list[str]:
    return [w for w in text.split() if w.strip("`")]


prose_line = st.text(
    alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters=" .,`#"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() != "")
line = st.one_of(prose_line, prose_line.map(lambda s: "- " + s), prose_line.map(lambda s: "  " + s))
document = st.lists(st.one_of(line, st.just("")), min_size=1, max_size=20).map("\n".join)


@given(document)
def test_unwrapping_is_idempotent_and_keeps_every_word(text: str) -> None:
    once = unwrap(text)
    assert unwrap(once) == once
    assert words(once.replace("```", " ")) == words(text)


def test_no_bundled_prompt_keeps_a_wrapped_line() -> None:
    """Outside code blocks a prompt line is a whole paragraph or a whole list item: no line is
    followed by its own continuation."""
    for loaded in load_bank().questions():
        previous, fenced = "", False
        for text_line in loaded.question.prompt.splitlines():
            if text_line.startswith("```"):
                fenced = not fenced
            elif not fenced and previous and text_line:
                assert LIST_ITEM.match(text_line), (loaded.question.id, previous, text_line)
            previous = "" if fenced or text_line.startswith("```") else text_line
