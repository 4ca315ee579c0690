"""The importer builds each deck in memory instead of parsing its own YAML back: what it builds
must be exactly what the deck loader reads from the file it wrote, and it must refuse what the
loader would refuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_packages import build_package
from test_export_helpers import nasty_path, quiz_home  # noqa: F401

from quiz.anki.entries import Entry
from quiz.anki.export import export_decks
from quiz.anki.importer import _stage_deck, _Staged, import_file
from quiz.decks.loader import load_deck
from quiz.errors import QuizError

# Text a YAML writer could get wrong: indicators, nulls, quotes, escapes, line separators.
TRICKY = [
    "null", "~", "- dash", "? key", ": colon", "a: b", "# hash", "x #y", "'single'", '"double"',
    "tab\there", "back\\slash", "line\u2028sep", "next\x85line", "yes", "0x1F", "1e3", "[a, b]",
    "{a: b}", "*star", "&amp", "!tag", "%pct", "@at", "`tick`", "trailing ", " leading", "café ß 漢字",
    "emoji 🙂", "bom\ufeff", "multi\nline", "ends with colon:", "|pipe", ">fold", "=eq", "a,b",
]


def _same(written_deck, path: Path) -> None:
    loaded = load_deck(path)
    assert written_deck == loaded  # every field of the deck and of each item
    assert [i.line for i in written_deck.items] == [i.line for i in loaded.items]
    assert loaded.warnings == ()


@pytest.mark.parametrize("legacy", [True, False], ids=["legacy", "latest"])
def test_decks_built_from_anki_packages_equal_their_files(legacy: bool, tmp_path: Path, quiz_home: Path) -> None:
    built = build_package(tmp_path / "anki", legacy=legacy)
    result = import_file(built.path, tmp_path / "out")
    assert len(result.decks) == 3
    for written in result.decks:
        _same(written.deck, written.path)


def test_our_own_package_with_every_item_type_comes_back_equal(nasty_path: Path, tmp_path: Path, quiz_home: Path) -> None:
    pkg = tmp_path / "nasty.apkg"
    export_decks([load_deck(nasty_path)], pkg)
    result = import_file(pkg, tmp_path / "back.yaml")
    (written,) = result.decks
    assert {i.type for i in written.deck.items} == {"basic", "reverse", "cloze", "choice", "typed", "list"}
    _same(written.deck, written.path)


def test_tricky_text_from_a_csv_comes_back_equal(tmp_path: Path, quiz_home: Path) -> None:
    rows = [f'"{q.replace(chr(34), chr(34) * 2)}","answer {i}"' for i, q in enumerate(TRICKY)]
    rows += [f'"question {i}","{a.replace(chr(34), chr(34) * 2)}"' for i, a in enumerate(TRICKY)]
    src = tmp_path / "tricky.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = import_file(src, tmp_path / "tricky.yaml")
    (written,) = result.decks
    assert len(written.deck.items) == 2 * len(TRICKY)
    _same(written.deck, written.path)


def test_a_cloze_numbered_c0_or_left_empty_is_skipped_not_written() -> None:
    assert Entry("cloze", text="A {{c0::zero}} gap").problem() == "a cloze deletion numbered c0 or left empty"
    assert Entry("cloze", text="An {{c1:: }} gap").problem() == "a cloze deletion numbered c0 or left empty"
    assert Entry("cloze", text="A {{c1::fine}} gap").problem() is None


def test_an_item_the_loader_would_refuse_stops_the_import_and_names_the_line(tmp_path: Path) -> None:
    staged = _Staged()
    rows: list[dict[str, object]] = [
        {"id": "ok", "type": "basic", "question": "Q?", "answer": "A"},
        {"id": "two", "type": "choice", "question": "Q?", "answer": "A", "distractors": ["A"]},
    ]
    with pytest.raises(QuizError, match=r"out\.yaml:9: a distractor repeats the answer"):
        _stage_deck(staged, tmp_path / "out.yaml", {"id": "d", "name": "D"}, rows)
    staged.discard()
    assert list(tmp_path.iterdir()) == []
