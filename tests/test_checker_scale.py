"""The answer checker at deck scale: normalise()'s ASCII shortcut gives exactly what folding
character by character gives; the term index is built only when first asked."""

from __future__ import annotations

import string

import pytest

from hypothesis import given
from hypothesis import strategies as st

from quiz.decks.model import Deck, Item
from quiz.study import answer_text, near_miss
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


def test_the_term_index_is_built_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    # A review of a big deck must not fold every term before its first card shows.
    calls: list[str] = []
    real = near_miss.term_key
    monkeypatch.setattr(near_miss, "term_key", lambda t: calls.append(t) or real(t))
    deck = Deck("d", "D", items=(Item(id="a", type="basic", question="q", answer="ciclosporin"),))
    index = near_miss.TermIndex.from_decks([deck])
    assert calls == []
    assert index.other("ciclosporine", ["tacrolimus"], 2) == ("ciclosporin", 1)
    assert calls
