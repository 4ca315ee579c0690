"""Answer checking shared by the study review screen, the exam screen and ``quiz exam --plain``.

Typed answers are forgiving: case, accents, punctuation and spacing never count, an item's
``accept`` forms count as right, a parenthesised aside in the expected answer may be left out,
a leading "a", "an" or "the" never counts, British and American spellings are one word, and a
few typos (a budget that grows with the answer's length; a swap of two neighbouring letters is
one typo) still count as right but not exact. Numbers are compared by value, so "0.10%", ".1%"
and "0.1%" are the same answer, as are "two" and "2"; they never get the typo budget: "2012"
for "2021" is wrong, not a slip. A near miss that says something else is wrong, not a typo
(quiz.study.near_miss: short words and codes, flipped prefixes, real words, other terms of the
decks). Every verdict says why (``Verdict.why``).

A list answer matches each given entry to at most one expected entry, the nearest; an entry
named twice counts once, and each wrong entry costs as much as a right one earns:
credit = max(0, (right - wrong) / expected).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from rapidfuzz.distance import OSA, Indel, Levenshtein

from quiz.decks.model import Item
from quiz.study.answer_text import LIST_SEPARATORS, PARENS, fold_char, key, normalise, spelling, strip_article, typo_budget
from quiz.study.near_miss import Miss, Reason, TermIndex, flipped_prefix, token_miss, words_miss

__all__ = ["AGAIN", "GOOD", "HARD", "MAX_ANSWER_CHARS", "EntryCheck", "ListVerdict", "Miss", "Reason", "TermIndex",
           "Verdict", "adds_to_mark", "char_diff", "check_choice", "check_list", "check_text", "check_typed",
           "choice_options", "is_close", "normalise", "typo_budget"]

AGAIN, HARD, GOOD = 1, 2, 3
# The longest answer read or graded: a longer one (a paste, a stream without newlines) is cut, so
# memory and the fuzzy comparison stay bounded.
MAX_ANSWER_CHARS = 2000
_WORDS = re.compile(r"\w+")
CLOSE_SIMILARITY = 0.7  # below this (and beyond twice the typo budget) a wrong answer gets no diff


@dataclass(frozen=True)
class Verdict:
    correct: bool  # exact after normalising, an accept form, or a forgiven typo
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
    reason: Reason = Reason.WRONG
    detail: str = ""  # what shows the reason: "B cells", "hypo- for hyper-"
    distance: int = 0  # edits from the closest accepted form, after normalising

    @property
    def why(self) -> str:
        """What the student reads: "a typo", "an accepted form", "a different term: B cells"."""
        return f"{self.reason.value}: {self.detail}" if self.detail else self.reason.value


@dataclass(frozen=True)
class _Match:
    form: str  # the accepted form (as written) compared with
    main: bool  # the expected answer itself (or it without its aside), not an accept form
    distance: int  # edits after normalising; 0 = exact
    within: bool  # the text is the same or within the typo budget
    numbers: bool  # the numbers are the same values
    spelling: bool = False  # the same once British spellings are folded to American ones


def _forms(expected: str, accept: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
    """Every written form that counts as right, most canonical first, and whether it is main."""
    forms: list[tuple[str, bool]] = [(expected, True)]
    seen = {expected}
    for f, main in ((expected, True), *((a, False) for a in accept)):
        for g in (f, " ".join(PARENS.sub(" ", f).split())):
            # A form with nothing left after normalising would make a blank answer right.
            if normalise(g) and g not in seen:
                seen.add(g)
                forms.append((g, main))
    return forms


def _compare(given: str, form: str, main: bool) -> _Match:
    """How far the given text is from one form: the text forgivingly, the numbers exactly.

    A leading article never counts on either side: "protein" for "A protein" is exact, and
    "protien" is one typo in "protein", not three edits from "a protein".
    """
    (g, g_nums), (f, f_nums) = key(given), key(form)
    numbers = g_nums == f_nums
    pairs = list(dict.fromkeys([(g, f), (strip_article(g), strip_article(f))]))
    if any(a == b or a.replace(" ", "") == b.replace(" ", "") for a, b in pairs):
        return _Match(form, main, 0 if numbers else max(len(g), 1), True, numbers)
    if any(spelling(a).replace(" ", "") == spelling(b).replace(" ", "") for a, b in pairs):
        return _Match(form, main, 0 if numbers else max(len(g), 1), True, numbers, spelling=True)
    if not g:
        return _Match(form, main, len(f), False, numbers)
    # OSA: swapping two neighbouring letters ("protien") is one typo, not two.
    # The budget follows each pair's expected side, so the article never buys extra typos.
    scored = [(OSA.distance(a, b), typo_budget(b)) for a, b in pairs]
    within = [d for d, budget in scored if d <= budget]
    distance = min(within) if within else min(d for d, _ in scored)
    if not numbers:
        distance = max(len(g), len(f), 1)
    return _Match(form, main, distance, bool(within), numbers)


def is_close(given: str, form: str) -> bool:
    """Near enough to ``form`` that a character diff helps; a wholly different answer is not:
    its diff would be noise, so the UI shows "yours" and "expected" instead."""
    g, f = key(given)[0], key(form)[0]
    if not g:
        return False
    return OSA.distance(g, f) <= 2 * typo_budget(f) or Indel.normalized_similarity(g, f) >= CLOSE_SIMILARITY


def _judge(given: str, forms: list[tuple[str, bool]], terms: TermIndex | None, others: TermIndex | None
           ) -> tuple[_Match, Reason, str]:
    """The form the answer is judged against, and the reason of the verdict."""
    matches = [_compare(given, f, main) for f, main in forms]
    right = [m for m in matches if m.within and m.numbers]
    exact = [m for m in right if m.distance == 0]
    if exact:
        m = next((m for m in exact if not m.spelling), exact[0])
        return m, Reason.SPELLING if m.spelling else Reason.EXACT if m.main else Reason.ACCEPTED, ""
    written = [f for f, _ in forms]
    if right:
        m = min(right, key=lambda m: (m.distance, not m.main))
        for index in (others, terms):
            other = index.other(given, written, m.distance) if index is not None else None
            if other is not None:
                return m, Reason.TERM, other[0]
        miss = token_miss(key(given)[0], key(m.form)[0])
        return (m, miss.reason, _as_written(miss.detail, given, m.form)) if miss else (m, Reason.TYPO, "")
    main = matches[0]
    if not normalise(given):
        return main, Reason.BLANK, ""
    numbers = [m for m in matches if m.within and not m.numbers]
    if numbers:
        return numbers[0], Reason.NUMBER, ""
    for index in (others, terms):
        other = index.other(given, written, 0) if index is not None else None
        if other is not None:
            return main, Reason.TERM, other[0]
    g, f = key(given)[0], key(main.form)[0]
    flip = flipped_prefix(g, f)
    if flip:
        return main, flip.reason, flip.detail
    # Words left out or added ("protamine" for "protamine sulfate"): said as for a near miss.
    words = words_miss(g, f) if main.numbers else None
    return (main, words.reason, _as_written(words.detail, given, main.form)) if words else (main, Reason.WRONG, "")


def _as_written(detail: str, *texts: str) -> str:
    """The folded words of a near miss's detail as the student and the deck wrote them."""
    written = {normalise(w): w for t in texts for w in _WORDS.findall(t)}
    return " ".join(written.get(w, w) for w in detail.split())


RIGHT = (Reason.EXACT, Reason.ACCEPTED, Reason.SPELLING, Reason.TYPO)


def adds_to_mark(why: str) -> bool:
    """Whether a verdict's why says more than its right/wrong mark ("a typo", "a different
    term: B cells"); a bare "right" or "wrong" beside the mark would only repeat it."""
    return bool(why) and why not in (Reason.EXACT.value, Reason.WRONG.value)


def check_text(given: str, expected: str, accept: tuple[str, ...] = (), terms: TermIndex | None = None,
               others: tuple[str, ...] = ()) -> Verdict:
    """Grade a typed answer against an expected text and its accepted variants.

    ``terms`` are the terms the loaded decks know; ``others`` more terms that are wrong here
    (a list's other entries): an answer at least as close to one of them is wrong.
    """
    given = given[:MAX_ANSWER_CHARS]
    m, reason, detail = _judge(given, _forms(expected, accept), terms, TermIndex(others) if others else None)
    correct = reason in RIGHT
    exact = correct and reason != Reason.TYPO
    blank = reason == Reason.BLANK
    return Verdict(
        correct=correct,
        exact=exact,
        given=given,
        expected=expected,
        diff=char_diff(given, m.form) if correct or blank or is_close(given, m.form) else (),
        suggested=GOOD if exact else HARD if correct else AGAIN,
        reason=reason,
        detail=detail,
        distance=m.distance,
    )


def char_diff(given: str, expected: str) -> tuple[tuple[str, str], ...]:
    """Anki-like character diff of a typed answer against the expected one."""
    given = given.strip()
    keys_g = [fold_char(c) for c in given]
    keys_e = [fold_char(c) for c in expected]
    segs: list[tuple[str, str]] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if not "".join(fold_char(c) for c in text).strip():
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


def check_typed(item: Item, given: str, terms: TermIndex | None = None) -> Verdict:
    """typed/basic (answer + accept), reverse (the question side), cloze (deletions joined)."""
    expected, accept = _typed_target(item)
    return check_text(given, expected, accept, terms)


def check_choice(item: Item, picked: str) -> Verdict:
    """A picked option (its text) against the choice item's answer."""
    ok = normalise(picked) == normalise(item.answer)
    diff = (("ok", item.answer),) if ok else tuple(
        (k, t) for k, t in (("wrong", picked), ("missing", item.answer)) if t
    )
    reason = Reason.EXACT if ok else Reason.BLANK if not normalise(picked) else Reason.WRONG
    return Verdict(ok, ok, picked, item.answer, diff, GOOD if ok else AGAIN, reason)


def choice_options(item: Item, rng: random.Random) -> list[str]:
    """The answer and the distractors, shuffled by ``rng`` (seeded -> reproducible order)."""
    options = list(dict.fromkeys((item.answer, *item.distractors)))
    rng.shuffle(options)
    return options


# --- lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryCheck:
    """One given entry of a list answer, judged against the expected entry nearest to it."""

    given: str
    entry: str | None  # the expected entry (its main form) it names, or None: wrong
    verdict: Verdict
    duplicate: bool = False  # names an entry another given entry named first: counted once


@dataclass(frozen=True)
class ListVerdict:
    found: tuple[str, ...]  # expected entries named, in the item's order
    missed: tuple[str, ...]
    extra: tuple[str, ...]  # wrong given entries (each once): each costs one entry's credit
    credit: float  # max(0, (len(found) - len(extra)) / expected entries)
    suggested: int  # credit 1 -> 3 Good (2 Hard if an entry had a typo), at least half -> 2 Hard, else 1 Again
    checks: tuple[EntryCheck, ...] = ()  # every given entry, in the order given

    @property
    def correct(self) -> bool:
        """Fully right: every expected entry and no wrong one."""
        return self.credit == 1

    @property
    def score(self) -> float:
        return self.credit

    @property
    def duplicates(self) -> tuple[str, ...]:
        return tuple(c.given for c in self.checks if c.duplicate)


def _pieces(lines: list[str]) -> list[str]:
    return [s for line in lines if (s := line[:MAX_ANSWER_CHARS].strip())]


def _nearest(text: str, item: Item, terms: TermIndex | None) -> EntryCheck:
    """``text`` against every expected entry: the one it names (the nearest, never one that
    another entry is as near to), or the best wrong verdict."""
    entries = item.entries
    verdicts = [
        check_text(text, e.answer, e.accept, terms, tuple(f for o in entries if o is not e for f in o.forms))
        for e in entries
    ]
    order = sorted(range(len(entries)), key=lambda i: (not verdicts[i].correct, verdicts[i].distance, i))
    best = order[0]
    return EntryCheck(text, entries[best].answer if verdicts[best].correct else None, verdicts[best])


def check_list(item: Item, lines: list[str], terms: TermIndex | None = None) -> ListVerdict:
    """Given lines against the list's entries, in any order, each line judged forgivingly.

    A line that names no entry but holds commas or semicolons ("a, b, c" typed on one line) is
    split and its parts judged. An entry named twice counts once (the nearer naming keeps it);
    wrong lines count once each however often they are repeated.
    """
    checks: list[EntryCheck] = []
    for line in _pieces(lines):
        c = _nearest(line, item, terms)
        parts = [p.strip() for p in LIST_SEPARATORS.split(line) if p.strip()]
        if c.entry is None and len(parts) > 1:
            checks.extend(_nearest(p, item, terms) for p in parts)
        else:
            checks.append(c)
    first: dict[str, int] = {}
    for i, c in enumerate(checks):
        if c.entry is not None:
            j = first.get(c.entry)
            if j is None or c.verdict.distance < checks[j].verdict.distance:
                first[c.entry] = i
    checks = [replace(c, duplicate=c.entry is not None and first[c.entry] != i) for i, c in enumerate(checks)]
    answers = item.answers
    found = tuple(a for a in answers if a in first)
    extra = tuple({normalise(c.given): c.given for c in checks if c.entry is None}.values())
    credit = max(0.0, (len(found) - len(extra)) / len(answers)) if answers else 1.0
    # As for a typed answer: every entry right but one with a typo suggests Hard, not Good.
    typo = any(checks[i].verdict.suggested != GOOD for i in first.values())
    suggested = (HARD if typo else GOOD) if credit == 1 else HARD if credit >= 0.5 else AGAIN
    return ListVerdict(found, tuple(a for a in answers if a not in first), extra, credit, suggested, tuple(checks))
