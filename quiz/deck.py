"""Read and validate deck files (decks/*.yaml) into Deck objects.

Every problem is collected (not just the first) and reported as PATH:LINE:COL: message.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz import cloze
from quiz.errors import InvalidFile, Problem, display_path
from quiz.model import ITEM_TYPES, Deck, Item
from quiz.yamlfile import is_null, kind, load_nodes

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

DECK_KEYS = {"id", "name", "description"}
COMMON_KEYS = {"id", "type", "tags", "fact", "source", "guid"}
# For each type: required keys, optional keys (beyond COMMON_KEYS).
TYPE_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "basic": ({"question", "answer"}, {"accept"}),
    "reverse": ({"question", "answer"}, set()),
    "cloze": ({"text"}, set()),
    "choice": ({"question", "answer", "distractors"}, set()),
    "typed": ({"question", "answer"}, {"accept"}),
    "list": ({"question", "answers"}, set()),
}
LIST_KEYS = {"tags", "accept", "distractors", "answers"}
ALL_ITEM_KEYS = COMMON_KEYS.union(*(r | o for r, o in TYPE_KEYS.values()))


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = display_path(path)
        self.problems: list[Problem] = []

    def add(self, node: Node, message: str) -> None:
        m = node.start_mark
        self.problems.append(Problem(self.path, message, m.line + 1, m.column + 1))

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.add(node, f"{what} must be a mapping of keys to values, got {kind(node)}")
            return None
        return {k.value: (k, v) for k, v in node.value}

    def unknown_keys(self, fields: dict[str, tuple[Node, Node]], allowed: set[str], known: set[str], what: str) -> None:
        for name, (knode, _) in fields.items():
            if name in allowed:
                continue
            if name in known:
                self.add(knode, f"key {name!r} does not belong in {what}")
                continue
            close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
            hint = f" ({name} → {close[0]}?)" if close else f" (expected one of: {', '.join(sorted(allowed))})"
            self.add(knode, f"unknown key {name!r} in {what}{hint}")

    def text(self, node: Node, what: str, *, required: bool = True) -> str | None:
        # Any plain scalar is text: `answer: 2021` means "2021", `answer: no` means "no".
        if isinstance(node, ScalarNode) and not is_null(node):
            value = node.value
            if required and not value.strip():
                self.add(node, f"{what} is empty")
                return None
            return value
        self.add(node, f"{what} must be text, got {kind(node)}")
        return None

    def texts(self, node: Node, what: str) -> tuple[str, ...] | None:
        if not isinstance(node, SequenceNode):
            self.add(node, f"{what} must be a list of text, got {kind(node)}")
            return None
        out = []
        for i, child in enumerate(node.value):
            value = self.text(child, f"{what}[{i}]")
            if value is not None:
                out.append(value)
        return tuple(out)


def _check_id(c: _Checker, node: Node, what: str) -> str | None:
    value = c.text(node, what)
    if value is not None and not ID_RE.match(value):
        c.add(node, f"{what} {value!r} may hold only letters, digits, '.', '_' and '-' (no spaces)")
        return None
    return value


def _item(c: _Checker, node: Node, index: int) -> Item | None:
    fields = c.mapping(node, f"item {index + 1}")
    if fields is None:
        return None
    if "type" not in fields:
        c.add(node, f"item {index + 1} has no 'type' (one of: {', '.join(ITEM_TYPES)})")
        return None
    tnode = fields["type"][1]
    itype = c.text(tnode, "type")
    if itype is None:
        return None
    if itype not in TYPE_KEYS:
        close = difflib.get_close_matches(itype, ITEM_TYPES, n=1)
        hint = f" ({itype} → {close[0]}?)" if close else ""
        c.add(tnode, f"unknown item type {itype!r}{hint}; expected one of: {', '.join(ITEM_TYPES)}")
        return None
    required, optional = TYPE_KEYS[itype]
    before = len(c.problems)
    c.unknown_keys(fields, COMMON_KEYS | required | optional, ALL_ITEM_KEYS, f"a {itype} item")
    if "id" not in fields:
        c.add(node, f"item {index + 1} has no 'id'")
    for key in sorted(required - fields.keys()):
        c.add(node, f"{itype} item needs '{key}'")
    values: dict[str, object] = {}
    for name, (_, vnode) in fields.items():
        if name == "type" or name not in COMMON_KEYS | required | optional:
            continue
        if name == "id":
            values[name] = _check_id(c, vnode, "item id")
        elif name in LIST_KEYS:
            values[name] = c.texts(vnode, name)
        else:
            values[name] = c.text(vnode, name)
    if len(c.problems) > before:
        return None
    item = Item(type=itype, line=node.start_mark.line + 1, **values)  # type: ignore[arg-type]
    _check_semantics(c, fields, item)
    return item if len(c.problems) == before else None


def _check_semantics(c: _Checker, fields: dict[str, tuple[Node, Node]], item: Item) -> None:
    if item.type == "cloze" and not cloze.deletions(item.text):
        c.add(fields["text"][1], "cloze text has no deletion like {{c1::answer}}")
    if item.type == "choice":
        dnode = fields["distractors"][1]
        if not item.distractors:
            c.add(dnode, "choice item needs at least one distractor")
        elif item.answer in item.distractors:
            c.add(dnode, "a distractor repeats the answer")
        elif len(set(item.distractors)) != len(item.distractors):
            c.add(dnode, "distractors repeat each other")
    if item.type == "list":
        anode = fields["answers"][1]
        if len(item.answers) < 2:
            c.add(anode, "list item needs at least two answers")
        elif len(set(item.answers)) != len(item.answers):
            c.add(anode, "list answers repeat each other")


def load_deck(path: str | Path) -> Deck:
    """Read ``path`` into a Deck, or raise InvalidFile listing every problem found."""
    path = Path(path)
    root = load_nodes(path)
    c = _Checker(path)
    top = c.mapping(root, "a deck file")
    if top is None:
        raise InvalidFile(c.problems)
    c.unknown_keys(top, {"deck", "items"}, set(), "a deck file")
    deck_fields: dict[str, str | None] = {}
    if "deck" not in top:
        c.add(root, "deck file has no 'deck:' section (id, name, description)")
    else:
        dmap = c.mapping(top["deck"][1], "'deck'")
        if dmap is not None:
            c.unknown_keys(dmap, DECK_KEYS, set(), "'deck'")
            for key in ("id", "name"):
                if key not in dmap:
                    c.add(top["deck"][1], f"'deck' needs '{key}'")
            if "id" in dmap:
                deck_fields["id"] = _check_id(c, dmap["id"][1], "deck id")
            if "name" in dmap:
                deck_fields["name"] = c.text(dmap["name"][1], "deck name")
            if "description" in dmap:
                deck_fields["description"] = c.text(dmap["description"][1], "description", required=False)
    items: list[Item] = []
    if "items" not in top:
        c.add(root, "deck file has no 'items:' list")
    else:
        inode = top["items"][1]
        if not isinstance(inode, SequenceNode):
            c.add(inode, f"'items' must be a list, got {kind(inode)}")
        else:
            seen: dict[str, int] = {}
            for i, child in enumerate(inode.value):
                item = _item(c, child, i)
                if item is None:
                    continue
                if item.id in seen:
                    c.add(child, f"duplicate item id {item.id!r} (first at line {seen[item.id]})")
                    continue
                seen[item.id] = item.line or 0
                items.append(item)
    if c.problems:
        raise InvalidFile(c.problems)
    return Deck(
        id=deck_fields["id"] or "",
        name=deck_fields["name"] or "",
        description=deck_fields.get("description") or "",
        items=tuple(items),
        path=path,
    )
