"""Finding the code in an answer: the last fenced block, its language from the tag or syntax."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.code_blocks import extract_code

prose = st.text(alphabet=st.characters(blacklist_characters="`"), max_size=80)


@given(prose, prose)
def test_the_last_block_is_the_code(before: str, after: str) -> None:
    text = f"{before}\n```js\nold()\n```\nthen\n```python\ndef f(x):\n    return x\n```\n{after}"
    found = extract_code(text)
    assert found is not None
    assert (found.language, found.code) == ("python", "def f(x):\n    return x\n")


@given(prose)
def test_prose_without_a_block_has_no_code(text: str) -> None:
    assert extract_code(text) is None


def test_untagged_blocks_are_told_apart_and_unknown_tags_kept() -> None:
    assert extract_code("```\nconst f = (x) => x;\n```").language == "javascript"  # type: ignore[union-attr]
    assert extract_code("```\ndef f(x):\n    return x\n```").language == "python"  # type: ignore[union-attr]
    java = extract_code("```java\nclass A {}\n```")
    assert java is not None and (java.language, java.tag) == (None, "java")
    assert extract_code("```python\n   \n```") is None
