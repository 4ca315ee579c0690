"""Property-based: whatever is thrown at load_deck, it returns a Deck or raises InvalidFile
whose problems all name the file. Nothing else may escape (that would be a traceback)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from quiz.decks.loader import ALL_ITEM_KEYS, DECK_KEYS, load_deck
from quiz.errors import InvalidFile
from quiz.decks.model import ITEM_TYPES, Deck

from test_deck_valid import ALL_TYPES

FAST = settings(
    # QUIZ_FUZZ=20000 for a long hunt by hand; the suite keeps to a few seconds.
    max_examples=int(os.environ.get("QUIZ_FUZZ", "250")),
    deadline=None,
    # The autouse QUIZ_HOME fixture is function-scoped; nothing here depends on it per example.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def deck_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("props") / "deck.yaml"


def outcome(path: Path) -> Deck | InvalidFile:
    try:
        deck = load_deck(path)
    except InvalidFile as e:
        event("invalid: " + e.problems[0].message.split(" ")[0])
        assert e.problems
        for p in e.problems:
            assert p.path == str(path)  # outside the cwd: shown as given
            assert p.message and "\n" not in p.message
            assert p.line is None or p.line >= 1
            assert p.col is None or p.col >= 1
        return e
    event("loaded")
    return deck


# Text that looks like YAML: indentation, flow brackets, tags, anchors, quotes, keys the
# deck format knows, odd characters.
YAML_BITS = st.sampled_from(
    [
        "\n", "  ", "- ", ": ", "? ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!!str ", "!x ",
        "!!python/object:os.system ", "'", '"', "|", ">", "---\n", "...\n", "%YAML 1.1\n", "\t",
        "<<: ", "~", "null", "2021", "yes", "\\", "{{c1::x}}", "\r\n", "\ufeff", "\x85", "\u2028",
        "deck:", "items:", "id: ", "type: ", *(f"{k}: " for k in sorted(ALL_ITEM_KEYS)),
        *ITEM_TYPES,
    ]
)
YAMLISH = st.lists(st.one_of(YAML_BITS, st.text(max_size=5)), max_size=60).map("".join)


@FAST
@given(YAMLISH)
def test_random_yaml_text(deck_path: Path, text: str) -> None:
    deck_path.write_bytes(text.encode("utf-8", "surrogatepass"))
    outcome(deck_path)


@FAST
@given(st.binary(max_size=300))
def test_random_bytes(deck_path: Path, data: bytes) -> None:
    deck_path.write_bytes(data)
    outcome(deck_path)


@FAST
@given(st.text(max_size=300))
def test_random_unicode_text(deck_path: Path, text: str) -> None:
    deck_path.write_bytes(text.encode("utf-8", "surrogatepass"))
    outcome(deck_path)


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
    st.sampled_from(ITEM_TYPES), st.just("{{c1::calcineurin}}"),
)
KEYS = st.one_of(st.sampled_from(sorted(ALL_ITEM_KEYS | DECK_KEYS | {"deck", "items"})), st.text(max_size=8), st.integers())
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(KEYS, children, max_size=6)),
    max_leaves=40,
)
ITEMS = st.dictionaries(st.sampled_from(sorted(ALL_ITEM_KEYS)), TREES, max_size=8).map(
    # Most generated items get a real type, so the per-type checks are reached too.
    lambda d: d if "type" in d else {**d, "type": "basic"}
)
DECKS = st.fixed_dictionaries(
    {"deck": st.one_of(st.dictionaries(st.sampled_from(sorted(DECK_KEYS)), TREES, max_size=3), TREES),
     "items": st.one_of(st.lists(st.one_of(ITEMS, TREES), max_size=6), TREES)}
)


@FAST
@given(st.one_of(DECKS, TREES), st.booleans(), st.booleans())
def test_random_structures_dumped_to_yaml(deck_path: Path, tree: object, flow: bool, unicode: bool) -> None:
    text = yaml.safe_dump(tree, default_flow_style=flow, allow_unicode=unicode)
    deck_path.write_text(text, encoding="utf-8")
    result = outcome(deck_path)
    if isinstance(result, Deck):
        # Only something deck-shaped can load, and every loaded value is text.
        assert isinstance(tree, dict) and set(tree) == {"deck", "items"}
        for it in result.items:
            assert all(isinstance(t, str) for t in (it.id, it.question, it.answer, it.text, *it.tags))


@FAST
@given(st.data())
def test_mutated_valid_deck(deck_path: Path, data: st.DataObject) -> None:
    """Cut, duplicate or insert at random places in a valid deck: the edits a student makes."""
    text = ALL_TYPES
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 40)))
        edit = data.draw(st.sampled_from(["cut", "dup", "insert"]))
        if edit == "cut":
            text = text[:i] + text[j:]
        elif edit == "dup":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + data.draw(st.one_of(YAML_BITS, st.text(max_size=3))) + text[i:]
    deck_path.write_bytes(text.encode("utf-8", "surrogatepass"))
    outcome(deck_path)
