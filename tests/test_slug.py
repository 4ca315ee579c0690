"""Item ids made from a note's text: lowercase ASCII words joined by '-', cut at a word end."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from quiz.anki.entries import slug


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("Which calcineurin inhibitor was approved in 2021?", 48, "which-calcineurin-inhibitor-was-approved-in-2021"),
    ("  --Tacrolimus:   FK-506 (oral)!  ", 48, "tacrolimus-fk-506-oral"),
    ("Ciclosporin – Ästhetik, naïve café", 48, "ciclosporin-asthetik-naive-cafe"),
    ("漢字 😀 ?!", 48, ""),
    ("one two three four five six seven eight nine ten eleven", 20, "one-two-three-four"),
    ("Pneumonoultramicroscopicsilicovolcanoconiosis is long", 10, "pneumonoul"),
    ("A_b.c\tD\x00e\x7ff", 48, "a-b-c-d-e-f"),
])
def test_slug(text: str, limit: int, expected: str) -> None:
    assert slug(text, limit) == expected


def _reference(text: str, limit: int) -> str:
    """The rule in its plainest words (a regex), to hold the fast version to."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for w in words:
        if out and len(out) + 1 + len(w) > limit:
            break
        out = f"{out}-{w}" if out else w[:limit]
    return out


def test_slug_follows_the_rule_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = "abcXYZ019 -_.,:;!?()[]<>\"'\\/\t\n\x00\x7f\x85é ñÅßΩ漢😀ﬁ"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
        for limit in (10, 48):
            assert slug(text, limit) == _reference(text, limit), repr(text)
