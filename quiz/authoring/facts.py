"""Read and validate facts files (data/<topic>.facts.yaml) into Topic objects.

A facts file holds what a source document states, as subject / relation / object records in
our own words; quiz/authoring/generate.py turns them into deck items. The schema is in docs/facts.md.
Like the deck loader, every problem is collected and reported as PATH:LINE:COL: message.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.authoring.fact_model import Fact, Topic
from quiz.authoring.templates import RELATIONS  # the relations are whatever has templates
from quiz.decks import cloze
from quiz.decks.yaml_reader import is_null, kind, load_nodes
from quiz.errors import InvalidFile, Problem, display_path

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

TOP_KEYS = {"topic", "sections", "facts"}
TOPIC_KEYS = {"id", "name", "description", "source"}
SOURCE_KEYS = {"title", "file", "url"}
FACT_KEYS = {"id", "subject", "relation", "object", "qualifiers", "section", "also", "hints", "skip"}
QUALIFIER_KEYS = {
    "after",  # an event the fact applies after ("a liver transplant")
    "alone",  # for combinations: "also" when the drug may be given on its own too
    "concentration",
    "form",
    "label",  # "on-label" / "off-label"
    "population",
    "purpose",
    "rank",  # "most common" and the like
    "region",
    "regulator",
    "route",
    "severity",
    "site",  # part of the body
    "year",
}
# Text hints and list hints the templates understand (see quiz/authoring/templates.py).
TEXT_HINTS = {"category", "singular", "question", "cloze", "answer", "article", "plural", "describe"}
# ``templates``: make only these of the relation's templates (the others would ask a question
# with more than one defensible answer, or repeat another item).
LIST_HINTS = {"accept", "not_distractors", "distractors_from", "tags", "templates"}
# ``entry_accept``: for a list object, each entry's other accepted forms ({entry: [form, ...]}).
MAPPING_HINTS = {"entry_accept"}


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

    def keys(self, fields: dict[str, tuple[Node, Node]], allowed: set[str], what: str) -> None:
        for name, (knode, _) in fields.items():
            if name not in allowed:
                self.add(knode, f"unknown key {name!r} in {what}{_suggest(name, allowed)}")

    def require(self, node: Node, fields: dict[str, tuple[Node, Node]], keys: tuple[str, ...], what: str) -> None:
        for key in keys:
            if key not in fields:
                self.add(node, f"{what} needs '{key}'")

    def text(self, node: Node, what: str) -> str | None:
        if isinstance(node, ScalarNode) and not is_null(node):
            if not node.value.strip():
                self.add(node, f"{what} is empty")
                return None
            return str(node.value)
        self.add(node, f"{what} must be text, got {kind(node)}")
        return None

    def texts(self, node: Node, what: str) -> tuple[str, ...] | None:
        if not isinstance(node, SequenceNode):
            self.add(node, f"{what} must be a list of text, got {kind(node)}")
            return None
        values = [self.text(child, f"{what}[{i}]") for i, child in enumerate(node.value)]
        if any(v is None for v in values):
            return None
        if not values:
            self.add(node, f"{what} is an empty list")
            return None
        return tuple(v for v in values if v is not None)

    def ident(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not ID_RE.match(value):
            self.add(node, f"{what} {value!r} may hold only lower-case letters, digits and '-'")
            return None
        return value


def _suggest(name: str, allowed: set[str] | list[str]) -> str:
    close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
    return f" ({name} → {close[0]}?)" if close else f" (expected one of: {', '.join(sorted(allowed))})"


def _topic(c: _Checker, node: Node) -> dict[str, str]:
    out: dict[str, str] = {}
    fields = c.mapping(node, "'topic'")
    if fields is None:
        return out
    c.keys(fields, TOPIC_KEYS, "'topic'")
    c.require(node, fields, ("id", "name", "source"), "'topic'")
    for key in ("id", "name", "description"):
        if key in fields:
            value = c.ident(fields[key][1], "topic id") if key == "id" else c.text(fields[key][1], f"topic {key}")
            if value is not None:
                out[key] = value
    if "source" in fields:
        snode = fields["source"][1]
        sfields = c.mapping(snode, "'source'")
        if sfields is not None:
            c.keys(sfields, SOURCE_KEYS, "'source'")
            c.require(snode, sfields, ("title",), "'source'")
            for key in ("title", "file", "url"):
                if key in sfields:
                    value = c.text(sfields[key][1], f"source {key}")
                    if value is not None:
                        out[f"source_{key}"] = value
    return out


def _sections(c: _Checker, node: Node) -> dict[str, str]:
    fields = c.mapping(node, "'sections'")
    out: dict[str, str] = {}
    for name, (knode, vnode) in (fields or {}).items():
        sid = c.ident(knode, "section id")
        title = c.text(vnode, f"title of section {name!r}")
        if sid is not None and title is not None:
            out[sid] = title
    return out


def _mapping_of_text(c: _Checker, node: Node, allowed: set[str], what: str) -> dict[str, str]:
    fields = c.mapping(node, what)
    out: dict[str, str] = {}
    if fields is None:
        return out
    c.keys(fields, allowed, what)
    for name, (_, vnode) in fields.items():
        if name in allowed:
            value = c.text(vnode, f"{what} {name}")
            if value is not None:
                out[name] = value
    return out


def _entry_accept(c: _Checker, node: Node, objects: object) -> dict[str, tuple[str, ...]] | None:
    """Hint ``entry_accept``: {entry: [form, ...]}, every key an entry of the fact's list object."""
    fields = c.mapping(node, "hint entry_accept")
    if fields is None:
        return None
    entries = objects if isinstance(objects, tuple) else ()
    out: dict[str, tuple[str, ...]] = {}
    for name, (knode, vnode) in fields.items():
        if name not in entries:
            c.add(knode, f"hint entry_accept: {name!r} is not an entry of the object list{_suggest(name, list(entries)) if entries else ''}")
        forms = c.texts(vnode, f"hint entry_accept {name!r}")
        if forms is not None:
            out[name] = forms
    return out


def _hints(c: _Checker, node: Node) -> dict[str, str | tuple[str, ...]]:
    fields = c.mapping(node, "'hints'")
    out: dict[str, str | tuple[str, ...]] = {}
    if fields is None:
        return out
    c.keys(fields, TEXT_HINTS | LIST_HINTS | MAPPING_HINTS, "'hints'")
    for name, (_, vnode) in fields.items():
        value: str | tuple[str, ...] | None = None
        if name in TEXT_HINTS:
            value = c.text(vnode, f"hint {name}")
        elif name in LIST_HINTS:
            value = c.texts(vnode, f"hint {name}")
        if name == "cloze" and isinstance(value, str) and not cloze.deletions(value):
            c.add(vnode, "hint cloze has no deletion like {{c1::answer}}")
            value = None
        if value is not None:
            out[name] = value
    return out


def _fact(c: _Checker, node: Node, index: int, sections: dict[str, str], relations: set[str]) -> Fact | None:
    fields = c.mapping(node, f"fact {index + 1}")
    if fields is None:
        return None
    before = len(c.problems)
    c.keys(fields, FACT_KEYS, "a fact")
    c.require(node, fields, ("id", "subject", "relation", "object", "section"), f"fact {index + 1}")
    values: dict[str, object] = {}
    if "id" in fields:
        values["id"] = c.ident(fields["id"][1], "fact id")
    for key in ("subject", "skip"):
        if key in fields:
            values[key] = c.text(fields[key][1], key)
    if "relation" in fields:
        rnode = fields["relation"][1]
        relation = c.text(rnode, "relation")
        if relation is not None and relation not in relations:
            c.add(rnode, f"unknown relation {relation!r}{_suggest(relation, relations)}")
        values["relation"] = relation
    if "object" in fields:
        onode = fields["object"][1]
        if isinstance(onode, SequenceNode):
            values["objects"] = c.texts(onode, "object")
            values["is_list"] = True
        else:
            obj = c.text(onode, "object")
            values["objects"] = (obj,) if obj is not None else None
            values["is_list"] = False
    for key in ("section", "also"):
        if key not in fields:
            continue
        vnode = fields[key][1]
        ids = [c.text(vnode, key)] if key == "section" else list(c.texts(vnode, key) or ())
        for sid in ids:
            if sid is not None and sid not in sections:
                c.add(vnode, f"unknown section {sid!r}{_suggest(sid, set(sections)) if sections else ' (no sections defined)'}")
        values[key] = ids[0] if key == "section" else tuple(i for i in ids if i)
    if "qualifiers" in fields:
        values["qualifiers"] = _mapping_of_text(c, fields["qualifiers"][1], QUALIFIER_KEYS, "'qualifiers'")
    if "hints" in fields:
        values["hints"] = _hints(c, fields["hints"][1])
        _check_template_names(c, fields["hints"][1], values, relations)
        hnode = fields["hints"][1]
        hint_fields = {k.value: (k, v) for k, v in hnode.value} if isinstance(hnode, MappingNode) else {}
        if "entry_accept" in hint_fields:
            values["entry_accept"] = _entry_accept(c, hint_fields["entry_accept"][1], values.get("objects"))
    if len(c.problems) > before or any(v is None for k, v in values.items() if k != "skip"):
        return None
    return Fact(line=node.start_mark.line + 1, **values)  # type: ignore[arg-type]


def _check_template_names(c: _Checker, node: Node, values: dict[str, object], relations: set[str]) -> None:
    hints = values.get("hints")
    relation = values.get("relation")
    if not isinstance(hints, dict) or relation not in relations or "templates" not in hints:
        return
    names = {t.name for t in RELATIONS[str(relation)]}
    for name in hints["templates"]:
        if name not in names:
            c.add(node, f"hint templates: relation {relation!r} has no template {name!r}{_suggest(name, names)}")


def load_topic(path: str | Path) -> Topic:
    """Read a facts file, or raise InvalidFile listing every problem found."""
    path = Path(path)
    root = load_nodes(path)
    c = _Checker(path)
    top = c.mapping(root, "a facts file")
    if top is None:
        raise InvalidFile(c.problems)
    c.keys(top, TOP_KEYS, "a facts file")
    for key in ("topic", "sections", "facts"):
        if key not in top:
            c.add(root, f"facts file has no '{key}:' section")
    topic = _topic(c, top["topic"][1]) if "topic" in top else {}
    sections = _sections(c, top["sections"][1]) if "sections" in top else {}
    facts: list[Fact] = []
    if "facts" in top:
        fnode = top["facts"][1]
        if not isinstance(fnode, SequenceNode):
            c.add(fnode, f"'facts' must be a list, got {kind(fnode)}")
        else:
            seen: dict[str, int] = {}
            for i, child in enumerate(fnode.value):
                fact = _fact(c, child, i, sections, set(RELATIONS))
                # Duplicates are found even among facts with other problems.
                id_node = dict((k.value, v) for k, v in child.value).get("id") if isinstance(child, MappingNode) else None
                fid = id_node.value if isinstance(id_node, ScalarNode) else None
                if fid in seen:
                    c.add(child, f"duplicate fact id {fid!r} (first at line {seen[fid]})")
                    continue
                if fid is not None:
                    seen[fid] = child.start_mark.line + 1
                if fact is not None:
                    facts.append(fact)
            _check_references(c, fnode, facts)
    if c.problems:
        raise InvalidFile(c.problems)
    return Topic(
        id=topic["id"],
        name=topic["name"],
        description=topic.get("description", ""),
        source_title=topic.get("source_title", ""),
        source_file=topic.get("source_file", ""),
        sections=sections,
        facts=tuple(facts),
        path=path,
    )


def _check_references(c: _Checker, fnode: SequenceNode, facts: list[Fact]) -> None:
    ids = {f.id for f in facts}
    by_line = {child.start_mark.line + 1: child for child in fnode.value}
    for f in facts:
        for ref in f.hint_list("distractors_from"):
            if ref not in ids:
                c.add(by_line[f.line or 0], f"fact {f.id!r}: hint distractors_from names unknown fact {ref!r}{_suggest(ref, ids)}")
