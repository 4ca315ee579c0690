"""A facts file's content: a ``Topic`` and its ``Fact`` records (subject / relation / object, in
our own words). Read and validated by quiz.authoring.facts; turned into items by the templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

BOOL_WORDS = {"yes": True, "true": True, "no": False, "false": False}


@dataclass(frozen=True)
class Fact:
    id: str
    subject: str
    relation: str
    objects: tuple[str, ...]  # one entry unless the source gives a list
    is_list: bool
    section: str
    qualifiers: dict[str, str] = field(default_factory=dict)
    also: tuple[str, ...] = ()  # other sections that restate the fact
    hints: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    entry_accept: dict[str, tuple[str, ...]] = field(default_factory=dict)  # list entry -> other forms
    skip: str | None = None  # recorded, but no items: the reason why
    line: int | None = field(default=None, compare=False)

    @property
    def object(self) -> str:
        return self.objects[0]

    def hint(self, name: str, default: str = "") -> str:
        value = self.hints.get(name, default)
        return value if isinstance(value, str) else default

    def hint_list(self, name: str) -> tuple[str, ...]:
        value = self.hints.get(name, ())
        return value if isinstance(value, tuple) else ()

    def flag(self, name: str) -> bool:
        return BOOL_WORDS.get(self.hint(name).lower(), False)

    def entry_forms(self, entries: list[str]) -> tuple[tuple[str, ...], ...]:
        """Each list entry's other accepted forms (hint ``entry_accept``), in entry order."""
        return tuple(self.entry_accept.get(e, ()) for e in entries)


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    description: str
    source_title: str
    source_file: str
    sections: dict[str, str]  # section id -> title, in file order
    facts: tuple[Fact, ...]
    path: Path | None = None

    def fact(self, fact_id: str) -> Fact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)
