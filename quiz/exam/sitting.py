"""Self-test exams: draw questions from decks, score the answers, never touch the schedule.

No Textual here: the plain-text runner, the TUI screens and the tests all drive ``Exam``.
An exam only reads decks; whatever stores its result (``Store.record_exam``) or turns its
answers into reviews (``--record``) is the caller's choice.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from quiz.errors import UsageError
from quiz.exam.result import ExamResult
from quiz.study.grading import AGAIN, GOOD, TermIndex, check_choice, check_list, check_typed, choice_options, normalise
from quiz.decks.model import ITEM_TYPES, Deck, Item

DEFAULT_COUNT = 20
SELF_GRADED = ("basic", "reverse")  # no single right wording: the student may mark them
LETTERS = string.ascii_uppercase


def parse_types(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"choice,typed"`` (or repeated values) -> ("choice", "typed"); unknown names are usage errors."""
    if text is None:
        return ()
    parts = [text] if isinstance(text, str) else list(text)
    names = [t.strip() for part in parts for t in part.split(",")]
    if not names or any(not t for t in names):
        raise UsageError(f"--types: empty type name in {','.join(parts)!r} (use e.g. choice,typed)")
    bad = [t for t in names if t not in ITEM_TYPES]
    if bad:
        raise UsageError(f"--types: unknown item type {bad[0]!r} (known: {', '.join(ITEM_TYPES)})")
    return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Question:
    deck_id: str
    item: Item
    options: tuple[str, ...] = ()  # choice items: the shuffled options, shown as A, B, C...
    folder: Path | None = None  # the deck file's folder: the item's images are relative to it

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def type(self) -> str:
        return self.item.type

    @property
    def prompt(self) -> str:
        return self.item.prompt

    @property
    def expected(self) -> str:
        return self.item.back

    def image_paths(self, answer_side: bool = False) -> tuple[Path, ...]:
        """The files of the images asked with (or, ``answer_side``, shown with the answer of) this question."""
        refs = self.item.answer_side_images if answer_side else self.item.prompt_images
        return tuple((self.folder or Path()) / r for r in refs)

    def how(self, hint: str) -> str:
        """A how-to-answer line, turned round for a reverse item's second card (term given)."""
        if self.type == "reverse" and self.item.ord:
            return hint.replace("name the term this describes", "describe this term")
        return hint

    def resolve_choice(self, given: str) -> str:
        """A letter (``b``), a number (``2``) or the option's text -> the option picked."""
        g = given.strip()
        if len(g) == 1 and g.upper() in LETTERS[: len(self.options)]:
            return self.options[LETTERS.index(g.upper())]
        if g.isdigit() and 1 <= int(g) <= len(self.options):
            return self.options[int(g) - 1]
        for opt in self.options:
            if normalise(opt) == normalise(g):
                return opt
        return g


@dataclass(frozen=True)
class Outcome:
    """How one answered question went."""

    question: Question
    given: str  # list answers joined with "; "
    correct: bool
    credit: float  # 1 or 0; a list earns the share of its entries named
    rating: int  # what the answer would be as a review (--record): 1 Again .. 3 Good
    graded_by: str = "auto"  # "auto" or "self"
    missed: tuple[str, ...] = ()  # list entries not named
    duration_ms: int = 0
    why: str = ""  # the checker's reason: "a typo", "a different term: B cells"
    extra: tuple[str, ...] = ()  # list entries given that are wrong (each costs credit)
    overridden: bool = False  # checked wrong, counted right by the student (``Exam.override``)

    def to_dict(self) -> dict[str, object]:
        q = self.question
        d: dict[str, object] = {
            "id": q.id,
            "deck": q.deck_id,
            "type": q.type,
            "card": q.item.ord,  # which card of the item (Item.ords): reverse 0/1, cloze cN -> N - 1
            "prompt": q.prompt,
            "given": self.given,
            "expected": q.expected,
            "correct": self.correct,
            "credit": round(self.credit, 4),
            "graded_by": self.graded_by,
            "why": self.why,
            "overridden": self.overridden,
            "tags": list(q.item.tags),
            "source": q.item.source,
        }
        if q.type == "list":
            d["missed"] = list(self.missed)
            d["extra"] = list(self.extra)
        if q.options:
            d["options"] = list(q.options)  # in the order shown (A, B, ...)
        return d


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Exam:
    """A drawn exam: its questions in order, and the answers given so far."""

    questions: list[Question]
    seed: int
    decks: list[str]
    tags: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    clock: Callable[[], datetime] = _now
    outcomes: dict[int, Outcome] = field(default_factory=dict)  # question index -> outcome
    started: datetime | None = None
    finished: datetime | None = None
    recorded: bool = False  # the answers were also graded as reviews (--record)
    retake_no: int = 0  # 0: the exam itself; n: its n-th retake (of the questions missed)
    terms: TermIndex | None = None  # what the decks name: an answer naming another is wrong

    def __post_init__(self) -> None:
        self.started = self.started or self.clock()
        self._original: dict[int, Outcome] = {}  # outcomes as checked, of the overridden ones

    def answer(self, index: int, given: str | Sequence[str], duration_ms: int = 0) -> Outcome:
        """Score an answer: choice (letter or text), list (lines), the rest typed in.

        basic and reverse are checked like typed answers (forgiving); ``mark`` lets the
        student overrule that verdict, as they would grade a flashcard.
        """
        q = self.questions[index]
        if q.type == "list":
            lines = [given] if isinstance(given, str) else list(given)
            lv = check_list(q.item, lines, self.terms)
            out = Outcome(q, "; ".join(s.strip() for s in lines if s.strip()), lv.correct, lv.credit,
                          lv.suggested, missed=lv.missed, duration_ms=duration_ms, extra=lv.extra,
                          why=f"{len(lv.found)} of {len(q.item.answers)} named, {len(lv.extra)} wrong")
        else:
            text = given if isinstance(given, str) else " ".join(given)
            if q.type == "choice":
                v = check_choice(q.item, q.resolve_choice(text))
                text = v.given
            else:
                v = check_typed(q.item, text, self.terms)
            out = Outcome(q, text.strip(), v.correct, 1.0 if v.correct else 0.0, v.suggested,
                          duration_ms=duration_ms, why=v.why)
        self.outcomes[index] = out
        return out

    def mark(self, index: int, right: bool) -> Outcome:
        """The student's own right/wrong for a basic or reverse question (answered or not)."""
        q = self.questions[index]
        if q.type not in SELF_GRADED:
            raise ValueError(f"{q.type} questions are checked automatically")
        prev = self.outcomes.get(index)
        out = Outcome(q, prev.given if prev else "", right, 1.0 if right else 0.0,
                      GOOD if right else AGAIN, "self", duration_ms=prev.duration_ms if prev else 0)
        self.outcomes[index] = out
        return out

    def override(self, index: int) -> Outcome | None:
        """Count a missed answer as right ("I was right"): full credit, recorded as overridden.
        Again on an overridden answer undoes it. None if the question was not missed."""
        prev = self.outcomes.get(index)
        if prev is None:
            return None
        if prev.overridden:
            self.outcomes[index] = self._original.pop(index)
            return self.outcomes[index]
        if prev.correct:
            return None
        self._original[index] = prev
        out = replace(prev, correct=True, credit=1.0, rating=GOOD, overridden=True)
        self.outcomes[index] = out
        return out

    def finish(self) -> None:
        self.finished = self.finished or self.clock()

    def missed(self) -> list[Question]:
        """Questions answered wrong (or only partly), plus those never answered, in exam order."""
        return [q for i, q in enumerate(self.questions) if i not in self.outcomes or not self.outcomes[i].correct]

    def retake(self) -> Exam:
        """A new exam of only the missed questions, in the same order, each choice's options
        shuffled anew so that a retake tests the answer, not where it stood. The shuffle comes
        from the seed and the retake's number: the same --seed replays its retakes too."""
        n = self.retake_no + 1
        rng = random.Random(f"{self.seed}/retake {n}")
        questions = [replace(q, options=_reshuffled(q.options, rng)) if q.options else q for q in self.missed()]
        return Exam(questions, self.seed, self.decks, self.tags, self.types, self.clock, retake_no=n, terms=self.terms)

    def result(self) -> ExamResult:
        """The scored exam (what --json prints and the store records)."""
        self.finish()
        assert self.started is not None and self.finished is not None
        done = [self.outcomes[i] for i in sorted(self.outcomes)]
        total = len(done)
        points = sum(o.credit for o in done)
        return ExamResult(
            correct=sum(o.correct for o in done),
            overridden=sum(o.overridden for o in done),
            total=total,
            percent=round(100 * points / total, 1) if total else 0.0,
            points=round(points, 4),
            asked=len(self.questions),
            unanswered=len(self.questions) - total,
            seed=self.seed,
            decks=list(self.decks),
            filters={"tags": list(self.tags), "types": list(self.types)},
            started=self.started.isoformat(timespec="seconds"),
            finished=self.finished.isoformat(timespec="seconds"),
            seconds=round((self.finished - self.started).total_seconds(), 1),
            tags=breakdown(done, lambda o: o.question.item.tags),
            sources=breakdown(done, lambda o: (o.question.item.source,) if o.question.item.source else ()),
            questions=[o.to_dict() for o in done],
            recorded=self.recorded,
            retake=self.retake_no,
        )


def _reshuffled(options: tuple[str, ...], rng: random.Random) -> tuple[str, ...]:
    """``options`` in a new order; never the same order again when there are two or more."""
    new = list(options)
    rng.shuffle(new)
    if tuple(new) == options and len(new) > 1:
        new = new[1:] + new[:1]
    return tuple(new)


def breakdown(done: Iterable[Outcome], keys: Callable[[Outcome], Iterable[str]]) -> dict[str, dict[str, int]]:
    """Right/total per key (tag or source section), keys sorted, e.g. {"side effects": 4/6}."""
    out: dict[str, dict[str, int]] = {}
    for o in done:
        for k in keys(o):
            row = out.setdefault(k, {"correct": 0, "total": 0})
            row["total"] += 1
            row["correct"] += int(o.correct)
    return dict(sorted(out.items()))


# --- drawing ---------------------------------------------------------------------------------


def pool(decks: Sequence[Deck], tags: Sequence[str] = (), types: Sequence[str] = ()) -> list[tuple[str, Item]]:
    """The (deck id, card) pairs an exam may draw from, a card per Item.ords as in study; a tag
    that matches nothing is an error."""
    everything = [(d.id, card) for d in decks for it in d.items for card in it.cards()]
    known = {t for _, it in everything for t in it.tags}
    for t in tags:
        if t not in known:
            hint = f"; tags in these decks: {', '.join(sorted(known))}" if known else ""
            raise UsageError(f"--tags: no item has the tag {t!r}{hint}")
    chosen = [
        (d, it)
        for d, it in everything
        if (not tags or set(tags) & set(it.tags)) and (not types or it.type in types)
    ]
    if not chosen:
        what = " and ".join(f for f in (
            f"tags {', '.join(tags)}" if tags else "",
            f"types {', '.join(types)}" if types else "") if f)
        raise UsageError(f"no items to ask: nothing in these decks matches {what or 'anything'}")
    return chosen


def draw(
    decks: Sequence[Deck],
    n: int = DEFAULT_COUNT,
    tags: Sequence[str] = (),
    types: Sequence[str] = (),
    seed: int | None = None,
    clock: Callable[[], datetime] = _now,
) -> Exam:
    """Draw up to ``n`` questions: one item per fact while facts last, item types taking turns.

    The same seed and the same decks give the same questions, order and choice options. With
    no seed one is picked and kept in the result, so any exam can be replayed.
    """
    if n <= 0:
        raise UsageError(f"-n: the number of questions must be at least 1 (got {n})")
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    candidates = pool(decks, tags, types)
    rng.shuffle(candidates)
    picked = _spread(candidates, n, rng)
    rng.shuffle(picked)
    folders = {d.id: d.path.parent.absolute() for d in decks if d.path is not None}  # absolute: a path to open
    questions = [
        Question(d, it, tuple(choice_options(it, rng)) if it.type == "choice" else (), folders.get(d))
        for d, it in picked
    ]
    return Exam(questions, seed, [d.id for d in decks], tuple(tags), tuple(types), clock,
                terms=TermIndex.from_decks(decks))


def _fact(deck_id: str, item: Item) -> tuple[str, str]:
    return (deck_id, item.sibling_key)  # items without a fact stand for themselves


def _spread(candidates: list[tuple[str, Item]], n: int, rng: random.Random) -> list[tuple[str, Item]]:
    """Take cards round-robin across types, skipping facts already asked; repeat facts only
    when there are not enough distinct ones. An item is asked once (one of its cards): its
    other card would give the answer away."""
    by_type: dict[str, list[tuple[str, Item]]] = {}
    for c in candidates:
        by_type.setdefault(c[1].type, []).append(c)
    order = sorted(by_type)
    rng.shuffle(order)
    picked: list[tuple[str, Item]] = []
    used_facts: set[tuple[str, str]] = set()
    used_items: set[tuple[str, str]] = set()
    for allow_repeat in (False, True):
        progress = True
        while len(picked) < n and progress:
            progress = False
            for t in order:
                if len(picked) >= n:
                    break
                queue = by_type[t]
                for i, c in enumerate(queue):
                    if (c[0], c[1].id) in used_items:
                        continue
                    if allow_repeat or _fact(*c) not in used_facts:
                        picked.append(queue.pop(i))
                        used_facts.add(_fact(*c))
                        used_items.add((c[0], c[1].id))
                        progress = True
                        break
    return picked
