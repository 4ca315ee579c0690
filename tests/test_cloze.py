"""Cloze deletions: which texts hold a deletion inside another (quiz does not nest them)."""

from __future__ import annotations

import pytest

from quiz.decks.cloze import deletions, nested


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("Nested {{c1::outer {{c2::inner}} text}} here.", [(1, 2)]),
        ("{{c1::{{c2::inner}} first}}", [(1, 2)]),
        ("{{c3::a::hint {{c1::b}} c}}", [(3, 1)]),  # inside the hint
        ("{{c1::a {{c2::b}}", [(1, 2)]),  # the outer one never closed: still not one deletion
        ("{{c1::a {{c2::b}} c}} and {{c3::d {{c4::e}}}}", [(1, 2), (3, 4)]),
        ("{{c1::a}} and {{c2::b}}", []),  # side by side
        ("{{c1::a}} {{c1::b::hint}} {{c2::c}}", []),
        ("{{c1::a {{cat}} b}}", []),  # braces that open no deletion
        ("{{c1::a {{c2 b}}", []),
        ("{{c2::b}} then {{c1::", []),  # an opening after the last deletion is inside none
        ("no deletion at all", []),
    ],
)
def test_nested_deletions_are_found(text: str, pairs: list[tuple[int, int]]) -> None:
    assert nested(text) == pairs
    assert nested(text, len(deletions(text))) == pairs  # told how many deletions there are
