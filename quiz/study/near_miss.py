"""When a near miss is a different answer, not a typo.

The typo budget (quiz.study.grading) forgives a slip or two. These rules take that back when
the difference changes what the answer says:

- a token short enough that any change makes another word or code ("T"/"B" cells, "IgG"/"IgA");
  each token keeps its own budget (none up to three letters), so two typos may not land in one
  short word, and a word added or left out ("CD4 T cells" for "CD4 cells") is not a typo
  (``words_miss`` says the same of a wrong answer: "protamine" for "protamine sulfate");
- a prefix that flips the meaning (hypo-/hyper-, in-/de-, pre-/post-, a typical/atypical...);
- a real English word that is not the expected one ("lover" for "liver"; pyspellchecker's list,
  loaded the first time a near miss needs it);
- another term the loaded decks know (``TermIndex``), or a given text at least as close to
  such a term as to the expected answer ("cyclosporin" for voclosporin, when cyclosporine is a
  term): the student named something else.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

from quiz.decks.cloze import deletions
from quiz.decks.model import Deck, Item
from quiz.study.answer_text import normalise, same_word, spelling, strip_article, typo_budget


class Reason(Enum):
    """Why a verdict is what it is; the value is what the student reads."""

    EXACT = "right"
    ACCEPTED = "an accepted form"
    SPELLING = "another spelling"
    TYPO = "a typo"
    BLANK = "no answer"
    WRONG = "wrong"
    NUMBER = "a different number"
    SHORT = "a different short word or code"
    WORDS = "a word added or left out"
    PREFIX = "a prefix that changes the meaning"
    WORD = "a different word"
    TERM = "a different term"


# Prefixes that turn a word into its opposite or into another thing; each pair both ways.
FLIPS: tuple[tuple[str, str], ...] = (
    ("hypo", "hyper"), ("in", "de"), ("in", "ex"), ("in", "out"), ("ab", "ad"), ("af", "ef"),
    ("pre", "post"), ("intra", "inter"), ("intra", "extra"), ("sub", "supra"), ("sub", "super"),
    ("endo", "exo"), ("hetero", "homo"), ("micro", "macro"), ("brady", "tachy"), ("mono", "poly"),
    ("hyper", "normo"), ("hypo", "normo"), ("ana", "cata"), ("up", "down"), ("anti", "pro"),
    ("de", "re"), ("im", "ex"), ("uni", "bi"), ("dys", "eu"), ("ante", "post"), ("pro", "retro"),
)
# A negating prefix added or dropped ("atypical"/"typical") flips a word that is a word alone.
NEGATIONS: tuple[str, ...] = ("a", "an", "un", "non", "dis", "in", "im", "il", "ir", "anti", "de")
# Small words a student may add or leave out without changing the answer.
FILLERS = frozenset("a an the of and or in on to for with by at from".split())


@dataclass(frozen=True)
class Miss:
    """A reason a near miss is wrong, and the words that show it ("B for T")."""

    reason: Reason
    detail: str = ""


@cache
def _dictionary() -> SpellChecker:
    # ~0.3 s to load the English word list, so only when a near miss first needs it.
    return SpellChecker(language="en", distance=1)


def is_word(token: str) -> bool:
    """A real English word (pyspellchecker's list), at least four letters long."""
    return len(token) >= 4 and token.isalpha() and token in _dictionary()


def _flip(given: str, expected: str) -> str:
    """"hypo- for hyper-" when ``given`` is ``expected`` with a flipped prefix, else ""."""
    for p, q in FLIPS + tuple((q, p) for p, q in FLIPS):
        if expected.startswith(p) and given.startswith(q):
            rest_g, rest_e = given[len(q):], expected[len(p):]
            if len(rest_e) >= 3 and OSA.distance(rest_g, rest_e) <= typo_budget(rest_e):
                return f"{q}- for {p}-"
    for neg in NEGATIONS:
        if expected.startswith(neg) and expected[len(neg):] == given and is_word(given):
            return f"no {neg}- in {expected}"
        if given.startswith(neg) and given[len(neg):] == expected and is_word(expected):
            return f"{neg}- added to {expected}"
    return ""


def _token_miss(g: str, e: str) -> Miss | None:
    """Why the given token ``g`` is not a slip for the expected token ``e`` (or None)."""
    if g == e or spelling(g) == spelling(e):
        return None
    flip = _flip(g, e)
    if flip:
        return Miss(Reason.PREFIX, flip)
    if OSA.distance(g, e) > typo_budget(e):
        return Miss(Reason.SHORT, f"{g} for {e}")
    if not same_word(g, e) and is_word(g):
        return Miss(Reason.WORD, g)
    return None


def token_miss(given: str, expected: str) -> Miss | None:
    """Compare two normalised, number-masked texts that are within the typo budget, token by
    token: the first difference that changes the meaning, or None if all are slips."""
    gt, et = strip_article(given).split(), strip_article(expected).split()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, gt, et, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for g, e in zip(gt[i1:i2], et[j1:j2]):
                miss = _token_miss(g, e)
                if miss:
                    return miss
            continue
        words = [w for w in (*gt[i1:i2], *et[j1:j2]) if w not in FILLERS]
        if op in ("insert", "delete"):
            if words:
                return Miss(Reason.WORDS, " ".join(words))
            continue
        # Tokens split or run together ("tcells", "cyclo sporine"): compare them joined.
        g, e = "".join(gt[i1:i2]), "".join(et[j1:j2])
        if OSA.distance(g, e) > typo_budget(e):
            return Miss(Reason.SHORT, f"{' '.join(gt[i1:i2])} for {' '.join(et[j1:j2])}")
    return None


def words_miss(given: str, expected: str, shown: int = 4) -> Miss | None:
    """Words only left out or only added, nothing else changed ("protamine" for "protamine
    sulfate"), in two normalised, number-masked texts too far apart for a typo and with the
    same numbers: only to say why a wrong answer is wrong. The first ``shown`` words say it."""
    gt, et = strip_article(given).split(), strip_article(expected).split()
    ops = [op for op in difflib.SequenceMatcher(None, gt, et, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops or {op[0] for op in ops} not in ({"insert"}, {"delete"}):
        return None  # the same, words changed, or moved ("b a" for "a b": left out and added)
    extra = [w for _, i1, i2, j1, j2 in ops for w in (*gt[i1:i2], *et[j1:j2])]
    words = [w for w in extra if w not in FILLERS] or extra
    return Miss(Reason.WORDS, " ".join(words[:shown]) + (" …" if len(words) > shown else ""))


def flipped_prefix(given: str, expected: str) -> Miss | None:
    """A flipped prefix anywhere in two texts too far apart for a typo ("postoperative" for
    "preoperative"): only to say why a wrong answer is wrong."""
    gt, et = strip_article(given).split(), strip_article(expected).split()
    if len(gt) != len(et):
        return None
    for g, e in zip(gt, et):
        flip = _flip(g, e) if g != e else ""
        if flip:
            return Miss(Reason.PREFIX, flip)
    return None


def item_terms(item: Item) -> Iterable[tuple[str, ...]]:
    """Every answer the item names, each with its synonyms (its accepted forms): the answer,
    the distractors, each list entry, the question of a reverse item, each cloze deletion."""
    yield (item.answer, *item.accept)
    yield from ((d,) for d in item.distractors)
    yield from (entry.forms for entry in item.entries)
    if item.type == "reverse":
        yield (item.question,)  # asked from the answer side: the question is an answer too
    if item.type == "cloze":
        yield from ((d.answer,) for d in deletions(item.text))


def term_key(text: str) -> str:
    return strip_article(normalise(text))


class TermIndex:
    """The terms the loaded decks know, by their compared form, for "is that another term?".

    Forms accepted for one answer are synonyms: "ciclosporin" accepted for cyclosporine in one
    item is not "another term" when cyclosporine is what another item asks for.
    """

    def __init__(self, groups: Iterable[str | Iterable[str]] = ()) -> None:
        """``groups``: terms, or tuples of synonyms; read when the index is first asked (a
        review of a 30,000-item deck starts at once, and most cards are never typed)."""
        self._groups: Iterable[str | Iterable[str]] | None = groups
        self.terms: dict[str, str] = {}
        self.synonyms: dict[str, set[str]] = {}
        self._keys: list[str] = []
        self._by_length: dict[int, list[str]] = {}

    def _build(self) -> None:
        if self._groups is None:
            return
        groups, self._groups = self._groups, None
        for entry in groups:
            group = (entry,) if isinstance(entry, str) else tuple(entry)
            keys = {k for t in group if (k := term_key(t))}
            for t in group:
                k = term_key(t)
                if k:
                    self.terms.setdefault(k, t.strip())
                    self.synonyms.setdefault(k, set()).update(keys)
        self._keys = list(self.terms)
        # By length: an answer n edits from a term differs from it in length by at most n.
        for k in self._keys:
            self._by_length.setdefault(len(k), []).append(k)

    @classmethod
    def from_decks(cls, decks: Iterable[Deck]) -> TermIndex:
        return cls(g for d in decks for it in d.items for g in item_terms(it) if g[0].strip())

    def __len__(self) -> int:
        self._build()
        return len(self._keys)

    def other(self, given: str, forms: Iterable[str], within: int) -> tuple[str, int] | None:
        """The known term nearest ``given`` (at most ``within`` edits away) that is neither one
        of ``forms``, a synonym of one, nor the same words; (term as written, distance) or None."""
        self._build()
        g = term_key(given)
        own = {term_key(f) for f in forms}
        own |= {s for k in own for s in self.synonyms.get(k, ())}
        if not g or not self._keys:
            return None
        near = [k for n in range(len(g) - within, len(g) + within + 1) for k in self._by_length.get(n, ())]
        found = process.extract(g, near, scorer=OSA.distance, score_cutoff=within, limit=len(own) + 8)
        for key, distance, _ in sorted(found, key=lambda r: (r[1], r[0])):
            if key not in own and not any(_same_words(key, k) for k in own):
                return self.terms[key], int(distance)
        return None


def _same_words(a: str, b: str) -> bool:
    ta, tb = a.split(), b.split()
    return len(ta) == len(tb) and all(same_word(x, y) for x, y in zip(ta, tb))
