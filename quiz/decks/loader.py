"""Read and validate deck files (decks/*.yaml) into Deck objects.

Every problem is collected (not just the first) and reported as PATH:LINE:COL: message.
Any plain scalar is text: ``answer: 2021`` means "2021", ``answer: no`` means "no". A deck
with ``items: []`` is valid (a deck being written). schema/deck.schema.json mirrors these
rules for editors; tests/test_deck_schema.py keeps the two in step.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.errors import InvalidFile, Problem, display_path
from quiz.decks.model import ITEM_TYPES, Deck, Item, ListEntry, gc_paused
from quiz.decks.item_checks import ID_RE, IMAGE_RE, item_problems, quoted
from quiz.decks.yaml_reader import compose, is_null, kind
from quiz.decks.yaml_text import decode_text, may_hold_controls, read_text
from quiz.safe_text import describe, first_control, visible

_NULL_TAG = "tag:yaml.org,2002:null"
MAX_PROBLEMS = 100  # a file of 50,000 broken items gets a readable report, not a flood

TOP_KEYS = {"deck", "items"}
DECK_KEYS = {"id", "name", "description"}
COMMON_KEYS = {"id", "type", "tags", "fact", "source", "guid", "extra", "images", "answer_images"}
# For each type: required keys, optional keys (beyond COMMON_KEYS).
TYPE_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "basic": ({"question", "answer"}, {"accept"}),
    "reverse": ({"question", "answer"}, set()),
    "cloze": ({"text"}, set()),
    "choice": ({"question", "answer", "distractors"}, set()),
    "typed": ({"question", "answer"}, {"accept"}),
    "list": ({"question", "answers"}, set()),
}
LIST_KEYS = {"tags", "accept", "distractors", "images", "answer_images"}
ENTRY_KEYS = {"answer", "accept"}  # a list entry written as a mapping
IMAGE_KEYS = ("images", "answer_images")
ALL_ITEM_KEYS = COMMON_KEYS.union(*(r | o for r, o in TYPE_KEYS.values()))
ALLOWED_KEYS = {t: COMMON_KEYS | r | o for t, (r, o) in TYPE_KEYS.items()}


class _Checker:
    def __init__(self, path: Path, *, controls_possible: bool = True) -> None:
        self.path = display_path(path)
        self.problems: list[Problem] = []
        self.count = 0  # problems found, including those past MAX_PROBLEMS
        self.warnings: list[Problem] = []
        # False when no value of the file can hold a control character (may_hold_controls):
        # then no value is searched for one.
        self.controls_possible = controls_possible

    def warn_controls(self, node: Node, value: str, what: str) -> None:
        """A control character written as a YAML escape ("\\e", "\\x9b"): allowed (the file is
        valid YAML, and quiz never prints it raw, see quiz.safe_text) but worth a warning. Raw
        ones are not YAML at all: the reader reports those as errors."""
        at = first_control(value)
        if at is not None and len(self.warnings) < MAX_PROBLEMS:
            ch = value[at]
            m = node.start_mark
            self.warnings.append(Problem(
                self.path,
                f"warning: {what} holds the control character {describe(ch)}; quiz shows it as "
                f"{visible(ch)!r} and never sends it to the terminal",
                m.line + 1, m.column + 1,
            ))

    def add(self, node: Node, message: str) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            m = node.start_mark
            self.problems.append(Problem(self.path, message, m.line + 1, m.column + 1))

    def add_found(self, problems: list[Problem]) -> None:
        """Problems found while reading the file (duplicate keys), reported with the rest."""
        self.count += len(problems)
        self.problems.extend(problems[: max(MAX_PROBLEMS - len(self.problems), 0)])

    def error(self) -> InvalidFile:
        # Traversal order is nearly file order; sorting fixes the rest (a missing key is
        # reported at its item's start, after the item's other keys were looked at).
        problems = sorted(self.problems, key=lambda p: (p.line or 0, p.col or 0))
        if self.count > len(problems):
            more = self.count - len(problems)
            problems.append(Problem(self.path, f"... and {more} more problems (showing the first {MAX_PROBLEMS})"))
        return InvalidFile(problems)

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.add(node, f"{what} must be a mapping of keys to values, got {kind(node)}")
            return None
        # Keys are scalars and unique: yamlfile refuses other keys and drops repeats (reported).
        return {k.value: (k, v) for k, v in node.value}

    def unknown_keys(self, fields: dict[str, tuple[Node, Node]], allowed: set[str], known: set[str], what: str) -> None:
        if fields.keys() <= allowed:
            return
        for name, (knode, _) in fields.items():
            if name in allowed:
                continue
            if name in known:
                self.add(knode, f"key {quoted(name)} does not belong in {what}")
                continue
            close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
            hint = f" ({name} → {close[0]}?)" if close and name.isprintable() else f" (expected one of: {', '.join(sorted(allowed))})"
            self.add(knode, f"unknown key {quoted(name)} in {what}{hint}")

    def text(self, node: Node, what: str, *, required: bool = True) -> str | None:
        # Called for every value of the deck: the common case is tested inline (no is_null call).
        if type(node) is ScalarNode and node.tag != _NULL_TAG:
            value = str(node.value)
            if required and not value.strip():
                self.add(node, f"{what} is empty")
                return None
            if self.controls_possible:
                self.warn_controls(node, value, what)
            return value
        if is_null(node):
            if not node.value:
                self.add(node, f"{what} has no value")
            else:  # `answer: null` or `~`: YAML's null, not the word
                self.add(node, f"{what} is null; write \"{node.value}\" in quotes if you mean the word")
            return None
        self.add(node, f"{what} must be text, got {kind(node)}")
        return None

    def texts(self, node: Node, what: str) -> tuple[str, ...] | None:
        if not isinstance(node, SequenceNode):
            hint = ""
            if isinstance(node, ScalarNode) and not is_null(node):
                hint = f"; write [{node.value}] for a list of one" if len(node.value) <= 60 else ""
            self.add(node, f"{what} must be a list of text, got {kind(node)}{hint}")
            return None
        out = []
        for i, child in enumerate(node.value):
            value = self.text(child, f"{what}[{i}]")
            if value is not None:
                out.append(value)
        return tuple(out)


def _check_id(c: _Checker, node: Node, what: str) -> str | None:
    value = c.text(node, what)
    if value is not None and not ID_RE.fullmatch(value):
        c.add(node, f"{what} {quoted(value)} may hold only ASCII letters, digits, '.', '_' and '-' (no spaces)")
        return None
    return value


def _list_entries(c: _Checker, node: Node) -> tuple[ListEntry, ...] | None:
    """``answers``: each entry plain text, or ``{answer: X, accept: [Y, ...]}``."""
    if not isinstance(node, SequenceNode):
        return None if c.texts(node, "answers") is None else ()  # reports the wrong kind
    out: list[ListEntry] = []
    for i, child in enumerate(node.value):
        what = f"answers[{i}]"
        if not isinstance(child, MappingNode):
            value = c.text(child, what)
            if value is not None:
                out.append(ListEntry(value))
            continue
        fields = c.mapping(child, what) or {}
        c.unknown_keys(fields, ENTRY_KEYS, set(), f"list entry {what}")
        if "answer" not in fields:
            c.add(child, f"list entry {what} needs 'answer' (and optionally 'accept')")
            continue
        answer = c.text(fields["answer"][1], f"{what}.answer")
        accept = c.texts(fields["accept"][1], f"{what}.accept") if "accept" in fields else ()
        if answer is not None and accept is not None:
            out.append(ListEntry(answer, accept))
    return tuple(out)


def _item(c: _Checker, node: Node, index: int, fields: dict[str, tuple[Node, Node]] | None) -> Item | None:
    """The item of ``node`` (``fields``: c.mapping of it, None when it is no mapping)."""
    if fields is None:
        return None
    if "type" not in fields:
        c.add(node, f"item {index + 1} has no 'type' (one of: {', '.join(ITEM_TYPES)})")
        c.unknown_keys(fields, ALL_ITEM_KEYS, set(), "an item")
        return None
    tnode = fields["type"][1]
    itype = c.text(tnode, "type")
    if itype is None:
        return None
    if itype not in TYPE_KEYS:
        close = difflib.get_close_matches(itype, ITEM_TYPES, n=1)
        hint = f" ({itype} → {close[0]}?)" if close and itype.isprintable() else ""
        c.add(tnode, f"unknown item type {quoted(itype)}{hint}; expected one of: {', '.join(ITEM_TYPES)}")
        return None
    required = TYPE_KEYS[itype][0]
    allowed = ALLOWED_KEYS[itype]
    before = c.count
    c.unknown_keys(fields, allowed, ALL_ITEM_KEYS, f"a {itype} item")
    if "id" not in fields:
        c.add(node, f"item {index + 1} has no 'id'")
    for key in sorted(required - fields.keys()):
        c.add(node, f"{itype} item needs '{key}'")
    values: dict[str, object] = {}
    for name, (_, vnode) in fields.items():
        if name == "type" or name not in allowed:
            continue
        if name == "id":
            values[name] = _check_id(c, vnode, "item id")
        elif name == "extra":
            values[name] = c.text(vnode, name, required=False) or ""
        elif name == "answers":
            entries = _list_entries(c, vnode)
            if entries is not None:
                values["answers"] = tuple(e.answer for e in entries)
                values["answers_accept"] = tuple(e.accept for e in entries)
        elif name in LIST_KEYS:
            found = c.texts(vnode, name)
            values[name] = found
            if name in IMAGE_KEYS and found is not None:
                _check_images(c, name, vnode, found)
        else:
            values[name] = c.text(vnode, name)
    if c.count > before:
        return None
    values["type"] = itype
    values["line"] = node.start_mark.line + 1
    item = Item.from_values(values)
    _check_semantics(c, fields, item)
    return item if c.count == before else None


def _check_images(c: _Checker, name: str, node: Node, paths: tuple[str, ...]) -> None:
    for i, (child, path) in enumerate(zip(node.value, paths)):
        if not IMAGE_RE.fullmatch(path):
            c.add(child, f"{name}[{i}] {quoted(path)} must be a relative path inside the deck's folder")


def _check_semantics(c: _Checker, fields: dict[str, tuple[Node, Node]], item: Item) -> None:
    for p in item_problems(item):
        if p.field in IMAGE_KEYS:
            continue  # reported per image above, while the values were read
        node = fields[p.field][1]
        if p.entry is not None and isinstance(node, SequenceNode):
            node = node.value[p.entry]
        c.add(node, p.message)


def _deck_section(c: _Checker, top: dict[str, tuple[Node, Node]], root: Node) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    if "deck" not in top:
        c.add(root, "deck file has no 'deck:' section (id, name, description)")
        return out
    dnode = top["deck"][1]
    dmap = c.mapping(dnode, "'deck'")
    if dmap is None:
        return out
    c.unknown_keys(dmap, DECK_KEYS, set(), "'deck'")
    for key in ("id", "name"):
        if key not in dmap:
            c.add(dnode, f"'deck' needs '{key}'")
    if "id" in dmap:
        out["id"] = _check_id(c, dmap["id"][1], "deck id")
    if "name" in dmap:
        out["name"] = c.text(dmap["name"][1], "deck name")
    if "description" in dmap:
        out["description"] = c.text(dmap["description"][1], "description", required=False)
    return out


def _items(c: _Checker, top: dict[str, tuple[Node, Node]], root: Node) -> list[Item]:
    if "items" not in top:
        c.add(root, "deck file has no 'items:' list")
        return []
    inode = top["items"][1]
    if is_null(inode):
        c.add(inode, "'items' is empty; write 'items: []' for a deck with no items yet")
        return []
    if not isinstance(inode, SequenceNode):
        c.add(inode, f"'items' must be a list, got {kind(inode)}")
        return []
    items: list[Item] = []
    seen: dict[str, int] = {}
    for i, child in enumerate(inode.value):
        fields = c.mapping(child, f"item {i + 1}")
        # Duplicate ids are checked on the raw id, so they show even when the item has
        # other problems too.
        if fields is not None and "id" in fields:
            vnode = fields["id"][1]
            if type(vnode) is ScalarNode and vnode.tag != _NULL_TAG:
                if vnode.value in seen:
                    c.add(vnode, f"duplicate item id {quoted(vnode.value)} (first at line {seen[vnode.value]})")
                else:
                    seen[vnode.value] = child.start_mark.line + 1
        item = _item(c, child, i, fields)
        if item is not None:
            items.append(item)
    return items


def load_deck(path: str | Path, data: bytes | None = None) -> Deck:
    """Read ``path`` into a Deck, or raise InvalidFile listing every problem found. ``data``:
    the file's bytes as the caller read them (read_bytes), so the deck is of those bytes."""
    with gc_paused():  # a 100,000-item deck is millions of objects: no cyclic GC runs meanwhile
        return _load(Path(path), data)


def _load(path: Path, data: bytes | None) -> Deck:
    text = read_text(path) if data is None else decode_text(path, data)
    root, found = compose(path, text)
    c = _Checker(path, controls_possible=may_hold_controls(text))
    c.add_found(found)
    top = c.mapping(root, "a deck file")
    if top is None:
        raise c.error()
    c.unknown_keys(top, TOP_KEYS, set(), "a deck file")
    deck_fields = _deck_section(c, top, root)
    items = _items(c, top, root)
    if c.count:
        raise c.error()
    return Deck(
        id=deck_fields["id"] or "",
        name=deck_fields["name"] or "",
        description=deck_fields.get("description") or "",
        items=tuple(items),
        path=path,
        warnings=tuple(c.warnings),
    )
