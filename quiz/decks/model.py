"""The data model: decks and their items. Plain dataclasses, no I/O."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal, NamedTuple

from quiz.digests import sha1
from quiz.decks.cloze import blank, deletions, numbers, only
from quiz.decks.order import mixed_order
from quiz.errors import Problem

ItemType = Literal["basic", "reverse", "cloze", "choice", "typed", "list"]
ITEM_TYPES: tuple[str, ...] = ("basic", "reverse", "cloze", "choice", "typed", "list")


@dataclass(frozen=True)
class ListEntry:
    """One expected entry of a list item: its main form and the other forms that count."""

    answer: str
    accept: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.answer, *self.accept)


@dataclass(frozen=True)
class Item:
    """One question/answer unit; its ``id`` is its identity for review history and Anki GUIDs.

    Which text fields are used depends on ``type``:
      basic, typed:  question -> answer (typed also takes ``accept`` variants)
      reverse:       question <-> answer, two cards (see ``ords``)
      cloze:         text with {{c1::deletions}}, one card per number
      choice:        question -> answer, with ``distractors``
      list:          question -> every entry of ``answers``, in any order; ``entries``
                     gives them with their own accepted forms (``answers_accept``)
    """

    id: str
    type: ItemType
    question: str = ""
    answer: str = ""
    text: str = ""
    answers: tuple[str, ...] = ()  # list items: each entry's main form
    # Per entry of ``answers`` (same order, may be shorter): that entry's other accepted forms.
    # Kept beside ``answers`` so code that only shows the main forms stays as it is.
    answers_accept: tuple[tuple[str, ...], ...] = ()
    accept: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    fact: str | None = None  # id of the fact in data/ it came from (provenance)
    source: str | None = None  # section of the source document
    guid: str | None = None  # Anki GUID kept from an imported note
    extra: str = ""  # more text shown with the answer (Anki's "Back Extra")
    images: tuple[str, ...] = ()  # image files shown with the question, relative to the deck file
    answer_images: tuple[str, ...] = ()  # ... shown with the answer only
    line: int | None = field(default=None, compare=False)  # where it starts in the deck file
    # Which card of the item this is (0 for the item itself): see ``ords`` and ``card``.
    ord: int = 0

    @classmethod
    def from_values(cls, values: dict[str, object]) -> Item:
        """``Item(**values)`` at a fraction of the cost, for decks built in bulk (a 33,000-note
        import, the deck loader): the frozen dataclass's ``__init__`` sets each of its twenty
        fields through ``object.__setattr__``. ``values`` holds valid field values and is taken
        over, not copied; a field it leaves out reads as its default (the class holds each
        default), which also keeps the deck cache's rows small."""
        item = object.__new__(cls)
        accept = values.get("answers_accept")
        if accept and not accept[-1]:  # type: ignore[index]
            values["answers_accept"] = _trimmed(accept)  # type: ignore[arg-type]
        object.__setattr__(item, "__dict__", values)
        return item

    # --- cards (as Anki makes them from a note) -----------------------------------------------

    @property
    def ords(self) -> tuple[int, ...]:
        """The item's cards, keyed like Anki's card ordinals.

        reverse: 0 = description -> term (the way quiz always asked it, so existing review
        history belongs to it), 1 = term -> description. cloze: number - 1 for each cN, as in
        Anki (c1 -> 0). Every other type: one card, 0.
        """
        if self.type == "reverse":
            return (0, 1)
        if self.type == "cloze":
            return tuple(n - 1 for n in numbers(self.text)) or (0,)
        return (0,)

    def card(self, ord: int) -> Item:
        """This item as card ``ord`` asks it: a cloze keeps only that number's gaps (the others
        shown filled), a reverse item knows its direction. Everything else reads the view."""
        if self.type == "cloze" and ord + 1 in numbers(self.text):
            return replace(self, text=only(self.text, ord + 1), ord=ord)
        return replace(self, ord=ord)

    def cards(self) -> tuple[Item, ...]:
        return tuple(self.card(o) for o in self.ords)

    @property
    def card_label(self) -> str:
        """Which card this is, for lists and reports ("" for one-card items)."""
        if self.type == "reverse":
            return "term → description" if self.ord else "description → term"
        if self.type == "cloze":
            return f"c{self.ord + 1}"
        return ""

    @property
    def sibling_key(self) -> str:
        """Cards sharing this are siblings (buried together): the fact, else the item itself."""
        return self.fact or "#" + self.id

    # --- the two sides ------------------------------------------------------------------------

    def __post_init__(self) -> None:
        extra = _trimmed(self.answers_accept)
        if len(extra) != len(self.answers_accept):
            object.__setattr__(self, "answers_accept", extra)

    @property
    def entries(self) -> tuple[ListEntry, ...]:
        """A list item's expected entries, each with its accepted forms."""
        extra = self.answers_accept
        return tuple(ListEntry(a, extra[i] if i < len(extra) else ()) for i, a in enumerate(self.answers))

    @property
    def expected(self) -> str:
        """The answer as one string, for display and exam reports."""
        if self.type == "list":
            return "; ".join(self.answers)
        if self.type == "cloze":
            return "; ".join(d.answer for d in deletions(self.text))
        return self.answer

    @property
    def prompt(self) -> str:
        """What quiz shows as the question side (a reverse card 0 is asked from the answer)."""
        if self.type == "reverse":
            return self.question if self.ord else self.answer
        if self.type == "cloze":
            return blank(self.text)
        return self.question

    @property
    def back(self) -> str:
        """What the card asks for: the term for reverse card 0, the description for card 1."""
        if self.type == "reverse":
            return self.answer if self.ord else self.question
        return self.expected

    @property
    def has_images(self) -> bool:
        return bool(self.images or self.answer_images)

    @property
    def prompt_images(self) -> tuple[str, ...]:
        """Images of the side the card asks from (reverse card 0 is asked from the answer)."""
        if self.type == "reverse":
            return self.images if self.ord else self.answer_images
        return self.images

    @property
    def answer_side_images(self) -> tuple[str, ...]:
        """Images shown once the answer is revealed, beyond the prompt's."""
        if self.type == "reverse":
            return self.answer_images if self.ord else self.images
        return self.answer_images


def _trimmed(accept: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """Entries without accepted forms at the end need no slot: one item, one representation."""
    while accept and not accept[-1]:
        accept = accept[:-1]
    return accept


class CardRow(NamedTuple):
    """One card as the store keeps it: which card of which item, its sibling key and its rank
    in the interleaved order of new cards (quiz.decks.order). A row, made for every card of a
    deck: a named tuple."""

    item_id: str
    ord: int
    sibling: str
    mixed: int


@dataclass(frozen=True)
class Deck:
    """A deck file read and checked: its items in file order."""

    id: str
    name: str
    description: str = ""
    items: tuple[Item, ...] = ()
    path: Path | None = None
    # What `quiz validate` reports without failing (control characters written as escapes).
    warnings: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    def __eq__(self, other: object) -> bool:
        # Not the dataclass's own, which takes a subclass for another thing: a deck read from the
        # cache (decks/cache.py) equals the same deck parsed from its file.
        if not isinstance(other, Deck):
            return NotImplemented
        return (self.id == other.id and self.name == other.name and self.description == other.description
                and self.path == other.path and self.items == other.items)  # the items (built if need be) last

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def cards(self) -> list[Item]:
        """Every card of the deck, in deck order (an item's cards by ordinal)."""
        return [card for it in self.items for card in it.cards()]

    @cached_property
    def card_count(self) -> int:
        """How many cards the deck gives (a reverse item two, a cloze one per cN)."""
        # One per item, then what reverse and cloze items add: the types counted in C, and only
        # clozes asked for their cards (33,000 items at import, or a deck parsed for the cache).
        types = [it.type for it in self.items]
        extra = types.count("reverse")
        if "cloze" in types:
            extra += sum(len(it.ords) - 1 for it in self.items if it.type == "cloze")
        return len(types) + extra

    @cached_property
    def _card_keys(self) -> tuple[tuple[str, int, str, str], ...]:
        """(item id, ord, sibling key, kind) of every card, in deck order."""
        return tuple((it.id, o, it.sibling_key, it.type) for it in self.items for o in it.ords)

    @cached_property
    def has_images(self) -> bool:
        return any(it.images or it.answer_images for it in self.items)  # Item.has_images, inlined

    @cached_property
    def sync_signature(self) -> str:
        """Changes whenever the deck's cards, their siblings, kinds or order change. Hashes what
        they derive from (ids, facts, types, a cloze's text) without deriving them: the store
        compares it on every open, and asks for ``card_rows`` only when it changed."""
        h = sha1(b"cards/2\n")
        # One text hashed at once: an update per item was half the time (33,000 items at import).
        h.update("".join([f"{it.id}\t{it.fact or ''}\t{it.type}\t{it.text if it.type == 'cloze' else ''}\n"
                          for it in self.items]).encode())
        return h.hexdigest()

    @cached_property
    def card_rows(self) -> tuple[CardRow, ...]:
        """Every card in deck order, with its rank in the interleaved order (for the store)."""
        keys = self._card_keys
        mixed = [0] * len(keys)
        for rank, i in enumerate(mixed_order([k[3] for k in keys], [k[2] for k in keys])):
            mixed[i] = rank
        return tuple(CardRow(k[0], k[1], k[2], m) for k, m in zip(keys, mixed))


@contextmanager
def gc_paused() -> Iterator[None]:
    """For building a deck's objects at once: a 100,000-item deck is millions of objects, and the
    cyclic GC, triggered over and over while they pile up, would triple the time it takes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_keep_frozen = False  # set by freeze_long_lived: gc.get_freeze_count() walks every frozen object


def freeze_long_lived() -> None:
    """Take every object alive now out of the cyclic GC's sight for good, in a process whose
    decks, queue and screens live until it ends (the study app): else a full collection walks
    them all between two cards (~80 ms at 100,000 items). See refreeze."""
    global _keep_frozen
    gc.freeze()
    _keep_frozen = True


def refreeze() -> bool:
    """Objects built since (a cached deck's items, the first study run's queue) join the frozen
    ones, where freeze_long_lived was called; True if so. Freezing also keeps whatever garbage
    is pending at that moment: call it after building what lives long, not often."""
    if _keep_frozen:
        gc.freeze()
    return _keep_frozen
