"""Answer checking shared by the study review screen and the exam.

Typed answers are forgiving: case, accents, punctuation and spacing never count, an item's
``accept`` forms count as right, a parenthesised aside in the expected answer may be left out,
a leading "a", "an" or "the" never counts, and a few typos (a budget that grows with the
answer's length; a swap of two neighbouring letters is one typo) still count as right but
not exact. Numbers are compared by value, so
"0.10%", ".1%" and "0.1%" are the same answer, as are "two" and "2"; they never get the typo
budget: "2012" for "2021" is wrong, not a slip.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import OSA, Indel, Levenshtein

from quiz.decks.model import Item

AGAIN, HARD, GOOD = 1, 2, 3
CLOSE_SIMILARITY = 0.7  # below this (and beyond twice the typo budget) a wrong answer gets no diff

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# A number in digits ("1,000", "0.10", ".5") or in words up to ninety-nine ("two", "twenty-one").
# Commas only group thousands: "2,3" is two numbers, as a list typed on one line would be.
_NUMBER = re.compile(
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?<!\d)\.\d+)"
    rf"|\b(?P<tens>{'|'.join(_TENS)})(?:[\s-]+(?P<unit>{'|'.join(_UNITS[1:10])}))?\b"
    rf"|\b(?P<word>{'|'.join(_UNITS)})\b",
    re.IGNORECASE,
)
_PARENS = re.compile(r"\([^()]*\)")
_LIST_SEPARATORS = re.compile(r"[;,]")
_ARTICLES = frozenset(("a", "an", "the"))


def _fold_char(c: str) -> str:
    """One character's comparison form: casefolded, without accents; punctuation -> space."""
    out = []
    for d in unicodedata.normalize("NFKD", c.casefold()):
        if unicodedata.combining(d):
            continue
        cat = unicodedata.category(d)
        out.append(" " if cat[0] in "PSZC" else d)
    return "".join(out)


def normalise(text: str) -> str:
    """Casefold, strip accents (NFKD), punctuation and symbols -> space, squeeze spaces."""
    folded = "".join(_fold_char(c) for c in text)
    # Casefolding after decomposition can expose new foldable characters (and vice versa);
    # folding until nothing changes keeps normalise() idempotent.
    for _ in range(4):
        again = "".join(_fold_char(c) for c in folded)
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


@dataclass(frozen=True)
class Verdict:
    correct: bool  # exact after normalising, an accept form, or within the typo budget
    exact: bool  # right with no typo
    given: str
    expected: str
    # Anki-like diff against the closest accepted form: "ok" (text of the expected form),
    # "wrong" (typed characters that do not belong), "missing" (expected characters not typed).
    # The expected form is the "ok" + "missing" segments; the typed answer is "ok" + "wrong".
    # Empty when the answer is nowhere near (see ``is_close``): show given and expected instead.
    # A blank answer's diff is the expected form, all "missing".
    diff: tuple[tuple[str, str], ...]
    suggested: int  # 3 Good if exact, 2 Hard if a typo, 1 Again if wrong


@dataclass(frozen=True)
class _Match:
    form: str  # the accepted form (as written) that came closest
    distance: int  # edits after normalising; 0 = exact
    correct: bool


def _forms(expected: str, accept: tuple[str, ...] = ()) -> list[str]:
    """Every written form that counts as right, most canonical first."""
    forms: list[str] = [expected]
    for f in (expected, *accept):
        for g in (f, " ".join(_PARENS.sub(" ", f).split())):
            # A form with nothing left after normalising would make a blank answer right.
            if normalise(g) and g not in forms:
                forms.append(g)
    return forms


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


def _key(text: str) -> tuple[str, tuple[Decimal | str, ...]]:
    """(normalised text with every number masked as "0", the numbers' values in order).

    Text and numbers are compared apart: the text forgivingly, the numbers exactly by value.
    """
    values: list[Decimal | str] = []

    def mask(m: re.Match[str]) -> str:
        values.append(_number_value(m))
        return " 0 "

    # NFKC first so that a digit written as a superscript or full-width form is seen as one.
    masked = _NUMBER.sub(mask, unicodedata.normalize("NFKC", text))
    return normalise(masked), tuple(values)


def _strip_article(text: str) -> str:
    """A normalised text without its leading "a", "an" or "the" (unless that is all of it)."""
    head, _, rest = text.partition(" ")
    return rest if head in _ARTICLES and rest else text


def _compare(given: str, form: str) -> tuple[int, bool]:
    """(distance, within budget) between the normalised, number-masked strings.

    A leading article never counts on either side: "protein" for "A protein" is exact, and
    "protien" is one typo in "protein", not three edits from "a protein".
    """
    (g, g_nums), (f, f_nums) = _key(given), _key(form)
    if g_nums != f_nums:
        return max(len(g), len(f), 1), False
    pairs = dict.fromkeys([(g, f), (_strip_article(g), _strip_article(f))])
    if any(a == b or a.replace(" ", "") == b.replace(" ", "") for a, b in pairs):
        return 0, True
    if not g:
        return len(f), False
    # OSA: swapping two neighbouring letters ("protien") is one typo, not two.
    # The budget follows each pair's expected side, so the article never buys extra typos.
    scored = [(OSA.distance(a, b, score_cutoff=typo_budget(b)), typo_budget(b)) for a, b in pairs]
    within = [d for d, budget in scored if d <= budget]
    return (min(within), True) if within else (min(d for d, _ in scored), False)


def is_close(given: str, form: str) -> bool:
    """Near enough to ``form`` that a character diff helps; a wholly different answer is not:
    its diff would be noise, so the UI shows "yours" and "expected" instead."""
    g, f = _key(given)[0], _key(form)[0]
    if not g:
        return False
    return OSA.distance(g, f) <= 2 * typo_budget(f) or Indel.normalized_similarity(g, f) >= CLOSE_SIMILARITY


def _best(given: str, forms: list[str]) -> _Match:
    """The closest accepted form; a wrong answer is shown against the main form."""
    best = _Match(forms[0], *_compare(given, forms[0]))
    for form in forms[1:]:
        d, ok = _compare(given, form)
        if ok and (not best.correct or d < best.distance):
            best = _Match(form, d, ok)
    return best


def char_diff(given: str, expected: str) -> tuple[tuple[str, str], ...]:
    """Anki-like character diff of a typed answer against the expected one."""
    given = given.strip()
    keys_g = [_fold_char(c) for c in given]
    keys_e = [_fold_char(c) for c in expected]
    segs: list[tuple[str, str]] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if not "".join(_fold_char(c) for c in text).strip():
            # Spacing and punctuation never count against an answer, so do not flag them.
            if kind == "wrong":
                return
            kind = "ok"
        if segs and segs[-1][0] == kind:
            segs[-1] = (kind, segs[-1][1] + text)
        else:
            segs.append((kind, text))

    for op in Levenshtein.opcodes(keys_g, keys_e):
        if op.tag == "equal":
            add("ok", expected[op.dest_start : op.dest_end])
        elif op.tag == "replace":
            add("wrong", given[op.src_start : op.src_end])
            add("missing", expected[op.dest_start : op.dest_end])
        elif op.tag == "delete":
            add("wrong", given[op.src_start : op.src_end])
        else:  # insert
            add("missing", expected[op.dest_start : op.dest_end])
    return tuple(segs)


def _typed_target(item: Item) -> tuple[str, tuple[str, ...]]:
    """What a typed-in answer is compared with: (main form, other accepted forms)."""
    if item.type == "reverse":
        return item.back, ()  # card 0 is asked from the answer side, card 1 from the question
    if item.type == "cloze":
        return item.expected, ()  # every deletion, in order
    if item.type == "list":
        return item.expected, ()
    return item.answer, item.accept


def check_text(given: str, expected: str, accept: tuple[str, ...] = ()) -> Verdict:
    """Grade a typed answer against an expected text and its accepted variants."""
    m = _best(given, _forms(expected, accept))
    exact = m.correct and m.distance == 0
    blank = not normalise(given)
    return Verdict(
        correct=m.correct,
        exact=exact,
        given=given,
        expected=expected,
        diff=char_diff(given, m.form) if m.correct or blank or is_close(given, m.form) else (),
        suggested=GOOD if exact else HARD if m.correct else AGAIN,
    )


def check_typed(item: Item, given: str) -> Verdict:
    """typed/basic (answer + accept), reverse (the question side), cloze (deletions joined)."""
    expected, accept = _typed_target(item)
    return check_text(given, expected, accept)


def check_choice(item: Item, picked: str) -> Verdict:
    """A picked option (its text) against the choice item's answer."""
    ok = normalise(picked) == normalise(item.answer)
    diff = (("ok", item.answer),) if ok else tuple(
        (k, t) for k, t in (("wrong", picked), ("missing", item.answer)) if t
    )
    return Verdict(ok, ok, picked, item.answer, diff, GOOD if ok else AGAIN)


def choice_options(item: Item, rng: random.Random) -> list[str]:
    """The answer and the distractors, shuffled by ``rng`` (seeded -> reproducible order)."""
    options = list(dict.fromkeys((item.answer, *item.distractors)))
    rng.shuffle(options)
    return options


@dataclass(frozen=True)
class ListVerdict:
    found: tuple[str, ...]  # expected entries matched, in the item's order
    missed: tuple[str, ...]
    extra: tuple[str, ...]  # given lines that matched nothing
    score: float  # len(found) / len(answers)
    suggested: int  # all -> 3, at least half -> 2, else 1


def _pieces(lines: list[str]) -> list[str]:
    return [s for line in lines if (s := line.strip())]


def check_list(item: Item, lines: list[str]) -> ListVerdict:
    """Given lines against the list's entries, in any order, each line matched forgivingly.

    Exact matches are taken first so that a typo cannot steal an entry another line names
    exactly. A line that matches nothing but holds commas or semicolons ("a, b, c" typed on
    one line) is split and its parts tried.
    """
    answers = list(item.answers)
    remaining = list(answers)
    matched: set[str] = set()
    pending: list[str] = []
    for line in _pieces(lines):
        if not _take(line, remaining, matched, exact_only=True):
            pending.append(line)
    extra: list[str] = []
    for line in pending:
        if _take(line, remaining, matched, exact_only=False):
            continue
        parts = [p.strip() for p in _LIST_SEPARATORS.split(line) if p.strip()]
        if len(parts) > 1:
            extra.extend(p for p in parts if not _take(p, remaining, matched, exact_only=False))
        else:
            extra.append(line)
    found = tuple(a for a in answers if a in matched)
    score = len(found) / len(answers) if answers else 1.0
    suggested = GOOD if score == 1 else HARD if score >= 0.5 else AGAIN
    return ListVerdict(found, tuple(a for a in answers if a not in matched), tuple(extra), score, suggested)


def _take(line: str, remaining: list[str], matched: set[str], *, exact_only: bool) -> bool:
    """Match ``line`` to the closest remaining entry; remove it from ``remaining`` if found."""
    best: tuple[int, str] | None = None
    for entry in remaining:
        m = _best(line, _forms(entry))
        if m.correct and (not exact_only or m.distance == 0):
            if best is None or m.distance < best[0]:
                best = (m.distance, entry)
    if best is None:
        return False
    remaining.remove(best[1])
    matched.add(best[1])
    return True
