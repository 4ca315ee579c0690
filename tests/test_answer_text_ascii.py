"""normalise()'s ASCII shortcut gives exactly what folding character by character gives."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from quiz.study import answer_text
from quiz.study.answer_text import fold_char, normalise


def slow(text: str) -> str:
    return " ".join("".join(fold_char(c) for c in text).split())


def test_every_ascii_character_folds_as_fold_char_says() -> None:
    for code in range(128):
        c = chr(code)
        assert normalise(f"a{c}b") == slow(f"a{c}b"), repr(c)


@given(st.text(alphabet=string.printable + "\x00\x7f", max_size=40))
def test_ascii_text_normalises_as_before(text: str) -> None:
    answer_text.normalise.cache_clear()
    assert normalise(text) == slow(text)
