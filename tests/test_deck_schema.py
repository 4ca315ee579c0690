"""schema/deck.schema.json (for editors' YAML language servers) against the real loader."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.decks.loader import COMMON_KEYS, DECK_KEYS, ID_RE, TOP_KEYS, TYPE_KEYS, load_deck
from quiz.errors import InvalidFile
from quiz.decks.model import ITEM_TYPES

from test_deck_valid import ALL_TYPES

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "schema" / "deck.schema.json").read_text(encoding="utf-8"))
ITEM = SCHEMA["definitions"]["item"]

# YAML 1.2 core schema, as a YAML language server reads plain scalars (no yes/no booleans,
# no timestamps): the schema must describe what the editor sees.
_CORE = (
    (re.compile(r"~|null|Null|NULL|"), lambda s: None),
    (re.compile(r"true|True|TRUE"), lambda s: True),
    (re.compile(r"false|False|FALSE"), lambda s: False),
    (re.compile(r"[-+]?[0-9]+"), int),
    (re.compile(r"0o[0-7]+"), lambda s: int(s[2:], 8)),
    (re.compile(r"0x[0-9a-fA-F]+"), lambda s: int(s[2:], 16)),
    (re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"), float),
)


def as_editor_sees_it(node: Node) -> Any:
    if isinstance(node, MappingNode):
        return {str(as_editor_sees_it(k)): as_editor_sees_it(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [as_editor_sees_it(v) for v in node.value]
    assert isinstance(node, ScalarNode)
    if node.style is None:
        for pattern, convert in _CORE:
            if pattern.fullmatch(node.value):
                return convert(node.value)
    return node.value


def yaml_to_json(text: str) -> Any:
    return as_editor_sees_it(yaml.compose(text, Loader=yaml.SafeLoader))


# --- checks that need no jsonschema: the schema names the same keys as the loader -------------


def test_schema_keys_match_the_loader() -> None:
    assert set(SCHEMA["properties"]) == TOP_KEYS
    assert set(SCHEMA["required"]) == TOP_KEYS
    assert set(SCHEMA["properties"]["deck"]["properties"]) == DECK_KEYS
    assert ITEM["properties"]["type"]["enum"] == list(ITEM_TYPES)
    all_keys = COMMON_KEYS.union(*(r | o for r, o in TYPE_KEYS.values()))
    assert set(ITEM["properties"]) == all_keys
    branches = {b["if"]["properties"]["type"]["const"]: b["then"] for b in ITEM["allOf"]}
    assert set(branches) == set(TYPE_KEYS)
    for itype, (required, optional) in TYPE_KEYS.items():
        then = branches[itype]
        assert set(then["required"]) == required, itype
        assert then["additionalProperties"] is False, itype
        assert set(then["properties"]) == COMMON_KEYS | required | optional, itype


def test_schema_id_pattern_is_the_loaders() -> None:
    pattern = ITEM["properties"]["id"]["anyOf"][0]["pattern"]
    assert pattern == "^" + ID_RE.pattern + "$"


def test_every_property_has_a_description_for_completion() -> None:
    for props in (SCHEMA["properties"], SCHEMA["properties"]["deck"]["properties"], ITEM["properties"]):
        for name, sub in props.items():
            assert sub.get("description"), name
    types = ITEM["properties"]["type"]
    assert len(types["enumDescriptions"]) == len(types["enum"])


# --- with jsonschema: real decks validate, and schema and loader agree on samples ---------------

SAMPLES: list[tuple[str, str, bool]] = [
    ("all-types", ALL_TYPES, True),
    ("empty-deck", "deck: {id: a, name: b}\nitems: []\n", True),
    ("year-answer", ALL_TYPES.replace("answer: 2021", "answer: 2021.5"), True),
    ("true-answer", ALL_TYPES.replace("answer: 2021", "answer: true"), True),
    ("numeric-id", ALL_TYPES.replace("id: basic-1", "id: 42"), True),
    ("no-description", ALL_TYPES.replace("  description: One item of each type.\n", ""), True),
    ("unknown-item-key", ALL_TYPES.replace("fact: approval-year", "fcat: approval-year"), False),
    ("unknown-top-key", ALL_TYPES + "extra: 1\n", False),
    ("unknown-deck-key", ALL_TYPES.replace("  name: Demo deck", "  name: Demo deck\n  nmae: x"), False),
    ("missing-items", "deck: {id: a, name: b}\n", False),
    ("missing-deck-name", "deck: {id: a}\nitems: []\n", False),
    ("unknown-type", ALL_TYPES.replace("type: typed", "type: typd"), False),
    ("missing-type", ALL_TYPES.replace("    type: typed\n", ""), False),
    ("missing-id", ALL_TYPES.replace("  - id: typed-1\n    type: typed", "  - type: typed"), False),
    ("id-with-space", ALL_TYPES.replace("id: typed-1", "id: typed 1"), False),
    ("empty-question", ALL_TYPES.replace("question: Name the drug.", "question: ''"), False),
    ("null-answer", ALL_TYPES.replace("answer: voclosporin", "answer: null"), False),
    ("list-answer", ALL_TYPES.replace("answer: voclosporin", "answer: [voclosporin]"), False),
    ("mapping-tags", ALL_TYPES.replace("tags: [approvals, year]", "tags: {a: b}"), False),
    ("scalar-tags", ALL_TYPES.replace("tags: [approvals, year]", "tags: approvals"), False),
    ("basic-without-answer", ALL_TYPES.replace("    answer: 2021\n", ""), False),
    ("distractors-in-basic", ALL_TYPES.replace("fact: approval-year", "distractors: [x]"), False),
    ("accept-in-reverse", ALL_TYPES.replace("answer: a calcineurin inhibitor", "answer: x\n    accept: [y]"), False),
    ("cloze-without-deletion", ALL_TYPES.replace("{{c1::calcineurin}}", "calcineurin").replace(
        "{{c2::T cells::cell type}}", "T cells"), False),
    ("cloze-with-question", ALL_TYPES.replace("type: cloze", "type: cloze\n    question: q"), False),
    ("choice-without-distractors", ALL_TYPES.replace("    distractors: [methotrexate, azathioprine]\n", ""), False),
    ("choice-empty-distractors", ALL_TYPES.replace("[methotrexate, azathioprine]", "[]"), False),
    ("list-one-answer", ALL_TYPES.replace("answers: [ciclosporin, tacrolimus]", "answers: [ciclosporin]"), False),
    ("list-entry-accept", ALL_TYPES.replace("answers: [ciclosporin, tacrolimus]", "answers: [oral, {answer: intravenous, accept: [IV, i.v.]}]"), True),
    ("list-entry-answer-only", ALL_TYPES.replace("answers: [ciclosporin, tacrolimus]", "answers: [oral, {answer: intravenous}]"), True),
    ("list-entry-no-answer", ALL_TYPES.replace("answers: [ciclosporin, tacrolimus]", "answers: [oral, {accept: [IV]}]"), False),
    ("list-entry-unknown-key", ALL_TYPES.replace("answers: [ciclosporin, tacrolimus]", "answers: [oral, {answer: x, acept: [IV]}]"), False),
    ("list-entry-scalar-accept", ALL_TYPES.replace("answers: [ciclosporin, tacrolimus]", "answers: [oral, {answer: x, accept: IV}]"), False),
    ("list-repeated-answers", ALL_TYPES.replace("answers: [ciclosporin, tacrolimus]", "answers: [a, a]"), False),
]


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    return jsonschema.Draft7Validator(SCHEMA)


@pytest.mark.parametrize(("name", "text", "valid"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_schema_and_loader_agree(validator: Any, tmp_path: Path, name: str, text: str, valid: bool) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_deck(path)
        loader_ok = True
    except InvalidFile:
        loader_ok = False
    schema_errors = [e.message for e in validator.iter_errors(yaml_to_json(text))]
    assert loader_ok is valid
    assert (not schema_errors) is valid, schema_errors


def _real_decks() -> list[Path]:
    return sorted((REPO / "decks").glob("*.yaml"))


@pytest.mark.parametrize("path", _real_decks() or [None], ids=lambda p: p.name if p else "no-decks-yet")
def test_shipped_decks_match_the_schema(validator: Any, tmp_path: Path, path: Path | None) -> None:
    if path is None:  # before any deck is committed, check a fixture deck instead
        path = tmp_path / "fixture.yaml"
        path.write_text(ALL_TYPES, encoding="utf-8")
    text = path.read_text(encoding="utf-8-sig")
    load_deck(path)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(yaml_to_json(text))]
    assert errors == []


def test_shipped_decks_point_editors_at_the_schema() -> None:
    hint = "# yaml-language-server: $schema="
    for path in _real_decks():
        head = path.read_text(encoding="utf-8-sig").splitlines()[:5]
        refs = [line.removeprefix(hint) for line in head if line.startswith(hint)]
        assert refs, f"{path.name}: no '{hint}...' line at the top"
        assert (path.parent / refs[0]).resolve() == (REPO / "schema" / "deck.schema.json").resolve()
