"""The imported-deck YAML writer: whatever the text, the loader reads back exactly what was written."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.anki.deck_yaml import dump_deck, scalar
from quiz.decks.loader import load_deck

TEXT = st.text(min_size=1).filter(lambda t: t.strip())


@settings(max_examples=150, deadline=None)
@given(question=TEXT, answer=TEXT, tags=st.lists(TEXT, max_size=3, unique=True), name=TEXT)
def test_any_text_round_trips(tmp_path_factory, question: str, answer: str, tags: list[str], name: str) -> None:
    path = tmp_path_factory.mktemp("y") / "d.yaml"
    item: dict[str, object] = {"id": "a", "type": "basic", "question": question, "answer": answer}
    if tags:
        item["tags"] = tags
    path.write_text(dump_deck({"id": "d", "name": name}, [item]), encoding="utf-8")
    deck = load_deck(path)
    it = deck.items[0]
    assert (deck.name, it.question, it.answer, list(it.tags)) == (name, question, answer, tags)


def test_plain_where_safe_quoted_elsewhere(tmp_path: Path) -> None:
    assert scalar("What does drug 12 do?") == "What does drug 12 do?"
    assert scalar("2021") == "2021"  # the loader reads every plain scalar as text ...
    assert scalar("null") == '"null"'  # ... but YAML's null
    assert scalar("a: b") == '"a: b"' and scalar("x # y") == '"x # y"' and scalar("- x") == '"- x"'
    assert scalar("line\u2028break") == '"line\\u2028break"'
    assert scalar("ends in a space ") == '"ends in a space "' and scalar(" starts with one") == '" starts with one"'
    assert scalar("(starts with a bracket)") == '"(starts with a bracket)"' and scalar("") == '""'
    assert scalar("café") == '"café"' and scalar("²") == '"²"'  # a letter or digit, but not ASCII
    assert dump_deck({"id": "d", "name": "D"}, []) == "deck:\n  id: d\n  name: D\nitems: []\n"


def test_list_entries_with_accepted_forms(tmp_path: Path) -> None:
    item = {"id": "l", "type": "list", "question": "Q?", "answers": ["a: x", {"answer": "b", "accept": ["bee", "B #2"]}]}
    path = tmp_path / "d.yaml"
    path.write_text(dump_deck({"id": "d", "name": "D"}, [item]), encoding="utf-8")
    it = load_deck(path).items[0]
    assert it.answers == ("a: x", "b") and it.answers_accept == ((), ("bee", "B #2"))
