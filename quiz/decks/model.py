"""The data model: decks and their items. Plain dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from quiz.decks.cloze import blank, deletions
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
      reverse:       question <-> answer, asked both ways in Anki; quiz asks the answer side
      cloze:         text with {{c1::deletions}}
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
    line: int | None = field(default=None, compare=False)  # where it starts in the deck file

    def __post_init__(self) -> None:
        # Entries without accepted forms at the end need no slot: one item, one representation.
        extra = self.answers_accept
        while extra and not extra[-1]:
            extra = extra[:-1]
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
        """What quiz shows as the question side (reverse items are asked from the answer)."""
        if self.type == "reverse":
            return self.answer
        if self.type == "cloze":
            return blank(self.text)
        return self.question


@dataclass(frozen=True)
class Deck:
    id: str
    name: str
    description: str = ""
    items: tuple[Item, ...] = ()
    path: Path | None = None
    # What `quiz validate` reports without failing (control characters written as escapes).
    warnings: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)
