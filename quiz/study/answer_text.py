"""Answer text in the form the checker compares: folded, numbers by value, tokens.

Case, accents, punctuation and spacing never count; numbers are compared by value ("0.10%" is
".1%", "two" is "2", "type I" is "type 1"); a leading "a", "an" or "the" never counts. British and American spellings
of a word ("anaemia", "anemia") are the same word, and so are its plural and simple inflections
("cell", "cells") when the checker asks whether two words are different words. An adjective's
adverb ("intravenously", "topically") is the adjective.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# A number in digits ("1,000", "0.10", ".5") or in words up to ninety-nine ("two", "twenty-one").
# Commas only group thousands: "2,3" is two numbers, as a list typed on one line would be.
NUMBER = re.compile(
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?<!\d)\.\d+)"
    rf"|\b(?P<tens>{'|'.join(_TENS)})(?:[\s-]+(?P<unit>{'|'.join(_UNITS[1:10])}))?\b"
    rf"|\b(?P<word>{'|'.join(_UNITS)})\b",
    re.IGNORECASE,
)
# A Roman numeral after a word that numbers things ("type I", "class II", "phase III") is that
# number; alone it is not ("IV" is intravenous, "I" a word).
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_NUMBERED_ROMAN = re.compile(
    r"\b(type|class|phase|grade|stage|step|part|level|generation|category|group)(\s+|-)"
    r"(viii|vii|vi|iv|ix|iii|ii|i|v|x)\b",
    re.IGNORECASE,
)
PARENS = re.compile(r"\([^()]*\)")
LIST_SEPARATORS = re.compile(r"[;,]")
_ARTICLES = frozenset(("a", "an", "the"))


def fold_char(c: str) -> str:
    """One character's comparison form: casefolded, without accents; punctuation -> space."""
    out = []
    for d in unicodedata.normalize("NFKD", c.casefold()):
        if unicodedata.combining(d):
            continue
        cat = unicodedata.category(d)
        out.append(" " if cat[0] in "PSZC" else d)
    return "".join(out)


# ASCII punctuation, symbols and control characters (categories P, S, C) -> space: fold_char's
# result for every ASCII character, as one str.translate (tests/test_checker_scale.py).
_ASCII_FOLD = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


@lru_cache(maxsize=8192)  # the checker folds the same answers and terms over and over
def normalise(text: str) -> str:
    """Casefold, strip accents (NFKD), punctuation and symbols -> space, squeeze spaces."""
    if text.isascii():
        # Most text is ASCII: same result as below, ~50x faster (a 30,000-item deck's terms are
        # all folded when a review starts).
        return " ".join(text.lower().translate(_ASCII_FOLD).split())
    folded = "".join(fold_char(c) for c in text)
    # Casefolding after decomposition can expose new foldable characters (and vice versa);
    # folding until nothing changes keeps normalise() idempotent.
    for _ in range(4):
        again = "".join(fold_char(c) for c in folded)
        if again == folded:
            break
        folded = again
    return " ".join(folded.split())


def typo_budget(expected: str) -> int:
    """How many edits still count as a typo for an answer of this (normalised) length."""
    n = len(expected)
    if n <= 3:
        return 0
    if n <= 7:
        return 1
    if n <= 15:
        return 2
    return max(2, round(n * 0.15))


def _number_value(m: re.Match[str]) -> Decimal | str:
    if m["digits"]:
        try:
            return Decimal(m["digits"].replace(",", ""))
        except InvalidOperation:  # an odd Unicode digit: compare it as written
            return m["digits"]
    if m["tens"]:
        unit = _UNITS.index(m["unit"].lower()) if m["unit"] else 0
        return Decimal(20 + 10 * _TENS.index(m["tens"].lower()) + unit)
    return Decimal(_UNITS.index(m["word"].lower()))


@lru_cache(maxsize=8192)
def key(text: str) -> tuple[str, tuple[Decimal | str, ...]]:
    """(normalised text with every number masked as "0", the numbers' values in order).

    Text and numbers are compared apart: the text forgivingly, the numbers exactly by value.
    """
    values: list[Decimal | str] = []

    def mask(m: re.Match[str]) -> str:
        values.append(_number_value(m))
        return " 0 "

    # NFKC first so that a digit written as a superscript or full-width form is seen as one.
    text = _NUMBERED_ROMAN.sub(lambda m: f"{m[1]}{m[2]}{_ROMAN[m[3].lower()]}", unicodedata.normalize("NFKC", text))
    masked = NUMBER.sub(mask, text)
    return normalise(masked), tuple(values)


def strip_article(text: str) -> str:
    """A normalised text without its leading "a", "an" or "the" (unless that is all of it)."""
    head, _, rest = text.partition(" ")
    return rest if head in _ARTICLES and rest else text




# British -> American (and adverb -> adjective), applied to both sides, so only ever merges
# (never splits) spellings.
_SPELLING = ((re.compile(r"ae"), "e"), (re.compile(r"oe"), "e"), (re.compile(r"our\b"), "or"),
             (re.compile(r"(?<=[a-z])is(e|ed|es|ing|ation)\b"), r"iz\1"), (re.compile(r"yse\b"), "yze"),
             (re.compile(r"(?<=[^aeiou])re\b"), "er"), (re.compile(r"sulph"), "sulf"),
             # An adjective's adverb is the same answer ("intravenously", "topically"); only
             # after adjective endings: "hardly" and "nearly" stay words. ("-ically" is left:
             # "topically" is "topical", "systemically" is "systemic", and no rule tells which.)
             (re.compile(r"(?<=ous|ive|ful|ent|ant)ly\b|(?<=[a-z]al)ly\b"), ""))
_ENDINGS = ("ies", "es", "s", "ed", "d", "ing")  # plural and simple verb endings, longest first


def spelling(text: str) -> str:
    """A normalised text with British spellings folded to American ones."""
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return text


def stem(word: str) -> str:
    """A word without a plural or simple verb ending, for "is this the same word?" only."""
    word = spelling(word)
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def same_word(a: str, b: str) -> bool:
    """One word in another spelling or inflection: "anaemia"/"anemia", "cell"/"cells",
    "disease"/"diseases", "increased"/"increases"."""
    a, b = spelling(a), spelling(b)
    short, long = sorted((a, b), key=len)
    return a == b or any(long == short + e for e in _ENDINGS) or stem(a) == stem(b)
