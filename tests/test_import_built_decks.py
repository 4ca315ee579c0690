"""The importer builds each deck in memory instead of parsing its own YAML back: what it builds
must be exactly what the deck loader reads from the file it wrote, and it must refuse what the
loader would refuse."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from anki_packages import build_package
from test_export_helpers import nasty_path, quiz_home  # noqa: F401

from quiz.anki.entries import Entry
from quiz.anki.export import export_decks
from quiz.anki import importer
from quiz.anki.importer import import_file
from quiz.anki import staging
from quiz.anki.staging import DeckPlan, Staged, stage_deck
from quiz.decks.item_checks import ID_RE
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


def test_an_item_the_loader_would_refuse_stops_the_import_and_names_the_line(tmp_path: Path, quiz_home: Path) -> None:
    staged = Staged()
    entries = [
        Entry("basic", question="Q?", answer="A"),
        # Passes the entry's own checks, but one form would count for both entries.
        Entry("list", question="Name two", answers=["a", "b"], answers_accept=[["x"], ["x"]]),
    ]
    plan = DeckPlan(tmp_path / "out.yaml", {"id": "d", "name": "D"})
    with pytest.raises(QuizError, match=r"out\.yaml:9: 'x' is accepted for both 'a' and 'b'"):
        stage_deck(staged, entries, plan)
    staged.discard()
    assert [p for p in tmp_path.iterdir() if p != quiz_home] == []


@pytest.fixture
def split(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every package of two decks or more is read and written half in the twin process."""
    monkeypatch.setattr(importer, "SPLIT_FROM_NOTES", 0)


@pytest.mark.parametrize("legacy", [True, False], ids=["legacy", "latest"])
def test_a_package_split_between_two_processes_gives_the_same_decks(
    legacy: bool, tmp_path: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_package(tmp_path / "anki", legacy=legacy)
    together = import_file(built.path, tmp_path / "together")  # 12 notes: one process
    assert all(d.deck is not None for d in together.decks)
    monkeypatch.setattr(importer, "SPLIT_FROM_NOTES", 0)
    forks = []
    real_twin = importer.Twin
    monkeypatch.setattr(importer, "Twin", lambda work: forks.append(work) or real_twin(work))
    apart = import_file(built.path, tmp_path / "apart")
    assert len(forks) == 1  # the split really happened
    assert [d.deck is None for d in apart.decks].count(True) >= 1  # some decks came from the twin
    for a, b in zip(together.decks, apart.decks, strict=True):
        assert (a.path.name, a.deck_id, a.name, a.items, a.images) == (b.path.name, b.deck_id, b.name, b.items, b.images)
        assert a.path.read_bytes() == b.path.read_bytes()
        _same(replace(a.deck, path=b.path), b.path)
    assert sorted((h.deck_id, h.item_id, h.ordinal, h.reviews) for h in together.history) == sorted(
        (h.deck_id, h.item_id, h.ordinal, h.reviews) for h in apart.history
    )
    assert (together.skipped, together.notices) == (apart.skipped, apart.notices)


def test_a_failure_in_the_twin_leaves_nothing_behind(split: None, tmp_path: Path, quiz_home: Path, monkeypatch) -> None:
    built = build_package(tmp_path / "anki", legacy=False)
    real = importer.stage_deck
    parent = __import__("os").getpid()

    def failing_in_the_twin(staged, entries, plan):
        if __import__("os").getpid() != parent:
            raise QuizError("disk full (made up)")
        return real(staged, entries, plan)

    monkeypatch.setattr(importer, "stage_deck", failing_in_the_twin)
    with pytest.raises(QuizError, match="disk full"):
        import_file(built.path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_quiz_import_split_in_two_brings_the_history_and_fills_the_library(
    split: None, tmp_path: Path, quiz_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from quiz.cli import main
    from quiz.decks.cache import load_deck_cached
    from quiz.decks.library import read_library
    from quiz.storage.store import Store

    built = build_package(tmp_path / "anki", legacy=False)
    assert main(["import", str(built.path)]) == 0
    out = capsys.readouterr().out
    assert "brought 6 reviews of 3 cards across from Anki" in out
    entries = read_library()
    assert sorted(e.deck_id for e in entries) == ["pharm", "pharm-renal", "pharm-renal-tubule"]
    with Store.open() as store:
        reps = sum(store.card_info(d.id, it.id, o).reps
                   for d in (load_deck_cached(e.path) for e in entries) for it in d.items for o in it.ords)
    assert reps == 6


def test_a_failure_in_the_parent_while_the_twin_writes_leaves_nothing_behind(
    split: None, tmp_path: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_package(tmp_path / "anki", legacy=False)
    real = importer.stage_deck
    parent = __import__("os").getpid()

    def failing_here(staged, entries, plan):
        if __import__("os").getpid() == parent:
            __import__("time").sleep(0.5)  # the twin has written (and handed over) its decks
            raise KeyboardInterrupt
        return real(staged, entries, plan)

    monkeypatch.setattr(importer, "stage_deck", failing_here)
    (tmp_path / "out").mkdir()  # there already (a library folder): it stays, and must stay empty
    with pytest.raises(KeyboardInterrupt):
        import_file(built.path, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="aZ9._-\n é", max_size=4), max_size=4))
def test_ids_checked_at_once_agree_with_the_id_pattern(ids: list[str]) -> None:
    """The importer tests every item id in one pass; it must pass exactly what ID_RE passes."""
    assert staging._all_ids(ids) == all(ID_RE.fullmatch(i) for i in ids)
