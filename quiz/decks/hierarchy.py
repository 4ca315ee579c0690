"""Deck hierarchy as Anki shows it: decks named ``Parent::Child`` grouped under their parent.

An imported Anki deck keeps its place as a ``::``-separated name (one quiz deck per Anki deck).
``deck_rows`` turns the flat list of decks into the rows of a tree, in display order: a parent
(which may be a deck of its own or only a name) comes before its children, indented one level
deeper and labelled by the last name component; children are sorted by name as Anki sorts them.
Top-level decks keep the order they were given in, so a library without ``::`` looks as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

SEPARATOR = "::"
GROUP_KEY_PREFIX = "::"  # a parent row's key: "::" + its full name (never a deck id, which has no ':')


class DeckRow(NamedTuple):
    """One row of the tree (a named tuple, like the other rows: a study's start-up makes the
    tree, and a frozen dataclass costs more to define than the tree costs to build). ``keys``
    are the decks a study from this row covers: the deck itself for a deck row, the whole
    subtree (the parent's own deck too, if it is one) for a parent."""

    key: str  # the deck's key for a deck row, GROUP_KEY_PREFIX + path for a parent row
    path: str  # the full name, e.g. "Pharmacology::Renal"
    label: str  # the last name component, e.g. "Renal"
    depth: int  # 0 at the top level
    keys: tuple[str, ...]
    is_parent: bool
    own: tuple[str, ...] = ()  # the decks of this very name (a parent may be a deck of its own too)
    clash: bool = False  # a deck row whose name another deck has too: shown with its key


def split_name(name: str) -> tuple[str, ...]:
    """``"A::B"`` -> ("A", "B"); blanks around components and empty components are dropped,
    as Anki does; a name with no component left stays whole."""
    parts = tuple(p.strip() for p in name.split(SEPARATOR) if p.strip())
    return parts or (name,)


class _Node:  # mutable while building; the result is the DeckRow
    __slots__ = ("label", "path", "own", "children")

    def __init__(self, label: str, path: str) -> None:
        self.label = label
        self.path = path
        self.own: list[str] = []
        self.children: dict[str, _Node] = {}

    def subtree(self) -> tuple[str, ...]:
        keys = list(self.own)
        for child in _sorted(self.children.values()):
            keys.extend(child.subtree())
        return tuple(keys)


def _sorted(nodes: Iterable[_Node]) -> list[_Node]:
    return sorted(nodes, key=lambda n: (n.label.casefold(), n.label))


def deck_rows(decks: Iterable[tuple[str, str]]) -> tuple[DeckRow, ...]:
    """Rows for (key, name) pairs, parents before their children (see the module doc)."""
    roots: dict[str, _Node] = {}
    for key, name in decks:
        parts = split_name(name)
        level = roots
        node: _Node | None = None
        for i, part in enumerate(parts):
            node = level.get(part)
            if node is None:
                node = level[part] = _Node(part, SEPARATOR.join(parts[: i + 1]))
            level = node.children
        assert node is not None  # split_name never returns an empty tuple
        node.own.append(key)
    rows: list[DeckRow] = []
    for root in roots.values():  # insertion order: top-level decks stay in the given order
        _flatten(root, 0, rows)
    return tuple(rows)


def _flatten(node: _Node, depth: int, rows: list[DeckRow]) -> None:
    clash = len(node.own) > 1  # two decks of one name (a copy imported with its own id)
    if node.children:
        # A parent that is two decks (or more) stands for its subtree only; each of them gets a
        # row of its own first, among the children, so each can be studied alone.
        own = () if clash else tuple(node.own)
        rows.append(DeckRow(GROUP_KEY_PREFIX + node.path, node.path, node.label, depth, node.subtree(), True, own))
        if clash:
            _own_rows(node, depth + 1, rows)
        for child in _sorted(node.children.values()):
            _flatten(child, depth + 1, rows)
    else:
        _own_rows(node, depth, rows)  # two decks sharing one name stay two rows


def _own_rows(node: _Node, depth: int, rows: list[DeckRow]) -> None:
    clash = len(node.own) > 1
    rows.extend(DeckRow(key, node.path, node.label, depth, (key,), False, (key,), clash) for key in node.own)


def limit_groups(decks: Iterable[tuple[str, str]]) -> tuple[tuple[str, ...], ...]:
    """For (key, name) pairs: the keys under each parent that holds two decks or more, smallest
    first (a parent's own deck, if it is one, counts). Anki caps the new cards and reviews of a
    parent's whole subtree at the parent's daily limits, besides each deck's own, wherever the
    study starts from: these are the subtrees a study of these decks must keep within them."""
    groups = {r.keys for r in deck_rows(decks) if r.is_parent and len(r.keys) > 1}
    return tuple(sorted(groups, key=len))


def common_parent(names: Iterable[str]) -> str | None:
    """The deepest name every one of ``names`` is, or is under (``"Renal::Chapter 1"`` and
    ``"Renal::Chapter 2"`` -> ``"Renal"``; ``"Renal"`` and ``"Renal::Chapter 1"`` -> ``"Renal"``),
    None when they share no first component (or there are none)."""
    shared: tuple[str, ...] | None = None
    for name in names:
        parts = split_name(name)
        if shared is None:
            shared = parts
        else:
            n = 0
            while n < min(len(shared), len(parts)) and shared[n] == parts[n]:
                n += 1
            shared = shared[:n]
        if not shared:
            return None
    return SEPARATOR.join(shared) if shared else None


def name_under(name: str, parent: str | None) -> str:
    """``name`` as seen from inside ``parent``: ``"Chapter 1"`` for ``"Renal::Chapter 1"`` under
    ``"Renal"``; the whole name when it is not under ``parent`` (or is ``parent`` itself)."""
    if parent is None:
        return name
    parts, above = split_name(name), split_name(parent)
    if len(parts) > len(above) and parts[: len(above)] == above:
        return SEPARATOR.join(parts[len(above):])
    return name


def short_name(name: str, width: int) -> str:
    """``name`` in at most ``width`` characters. A ``Parent::Child`` name gives way at its start,
    keeping the end that tells sub-decks apart (``"…::Chapter 2"``, not ``"Pharmacol…"``); any
    other name is cut at its end. A cut is marked with "…"."""
    if len(name) <= width:
        return name
    last = split_name(name)[-1]
    if last != name.strip():
        for lead in ("…" + SEPARATOR, "…"):
            if len(lead) + len(last) <= width:
                return lead + last
        name = "…" + last
    return name[: max(width - 1, 0)] + "…"
