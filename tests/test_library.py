"""The deck library: quiz add / remove, decks named by id in every command, import into the
library, files that move, vanish, come back or are edited outside quiz."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_tui_review import deck_column
from textual.widgets import Static

from quiz.cli import main
from quiz.collection import Collection
from quiz import outfile
from quiz.decks import deck_names, library, loader
from quiz.decks.library import add_decks, index_path, load_deck_set, read_library
from quiz.tui.app import QuizApp

DECK = """\
deck:
  id: {id}
  name: {name}
items:
  - id: q1
    type: basic
    question: What colour is the made-up fruit zorb?
    answer: Blue
  - id: q2
    type: basic
    question: How many legs has the made-up animal blip?
    answer: Five
"""


def write_deck(path: Path, deck_id: str = "mine", name: str = "My deck") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DECK.format(id=deck_id, name=name), encoding="utf-8")
    return path


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_then_every_command_knows_the_deck_by_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Five\nBlue\n"))
    deck = write_deck(tmp_path / "own" / "mine.yaml")
    code, out, _ = run("add", str(deck), capsys=capsys)
    assert code == 0 and out.startswith("added: mine (My deck)")
    assert [(e.deck_id, e.path) for e in read_library()] == [("mine", deck.resolve())]
    code, out, _ = run("validate", "mine", capsys=capsys)
    assert (code, out.strip().endswith("ok (2 items)")) == (0, True)
    code, out, _ = run("stats", "mine", "--json", capsys=capsys)
    assert code == 0 and set(json.loads(out)["decks"]) == {"mine"}
    code, out, _ = run("exam", "mine", "--plain", "--json", "-n", "2", capsys=capsys)
    assert code == 0 and json.loads(out)["asked"] == 2 and json.loads(out)["decks"] == ["mine"]
    code, out, _ = run("export", "mine", "-o", str(tmp_path / "m.apkg"), capsys=capsys)
    assert code == 0 and (tmp_path / "m.apkg").is_file()
    # with no deck named: the built-in decks and the library
    code, out, _ = run("stats", "--json", capsys=capsys)
    assert "mine" in json.loads(out)["decks"] and "calcineurin-inhibitors" in json.loads(out)["decks"]


def test_a_deck_name_or_group_selects_its_decks_in_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # as Anki selects a deck with its sub-decks: `quiz stats pharmacology` is the group
    for deck_id, name in (("cardio", "Pharmacology::Cardio"), ("renal", "Pharmacology::Renal"),
                          ("pharm-misc", "Pharmacology"), ("micro", "Microbiology"),
                          ("pharmacologyx", "Pharmacology extra")):
        run("add", str(write_deck(tmp_path / f"{deck_id}.yaml", deck_id, name)), capsys=capsys)
    code, out, _ = run("stats", "pharmacology", "--json", capsys=capsys)
    assert code == 0 and set(json.loads(out)["decks"]) == {"cardio", "renal", "pharm-misc"}
    code, out, _ = run("stats", "Pharmacology::Renal", "--json", capsys=capsys)
    assert code == 0 and set(json.loads(out)["decks"]) == {"renal"}
    # a deck named twice, by its id and by its group, is one deck
    code, out, _ = run("stats", "Pharmacology", "renal", "--json", capsys=capsys)
    assert code == 0 and set(json.loads(out)["decks"]) == {"cardio", "renal", "pharm-misc"}
    code, out, _ = run("validate", "Pharmacology::Cardio", capsys=capsys)
    assert code == 0 and "cardio.yaml" in out
    code, out, _ = run("export", "Pharmacology", "-o", str(tmp_path / "p.apkg"), capsys=capsys)
    assert code == 0 and (tmp_path / "p.apkg").is_file()
    code, _, err = run("stats", "Pharmaco", capsys=capsys)  # a prefix of a name is no name
    assert code == 2 and "unknown deck 'Pharmaco'" in err and "library deck's name" in err
    assert "renal (Pharmacology::Renal)" in err  # the names one may use, beside the ids
    # a group with a file away: the rest, and one line saying which is left out (as home does)
    (tmp_path / "renal.yaml").rename(tmp_path / "away.yaml")
    code, out, err = run("stats", "Pharmacology", "--json", capsys=capsys)
    assert code == 0 and set(json.loads(out)["decks"]) == {"cardio", "pharm-misc"}
    assert err.count("\n") == 1 and err.startswith("quiz: deck 'renal' of 'Pharmacology' left out: ")
    assert "renal.yaml is missing" in err
    code, _, err = run("stats", "Pharmacology::Renal", capsys=capsys)  # all of it away: an error
    assert code == 1 and "deck 'renal'" in err and "renal.yaml is missing" in err


def test_names_are_the_files_names_now_exact_case_first_and_built_ins_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for deck_id, name in (("upper", "Micro"), ("lower", "micro"), ("cardio", "Pharmacology::Cardio")):
        run("add", str(write_deck(tmp_path / f"{deck_id}.yaml", deck_id, name)), capsys=capsys)
    # home shows "Micro" and "micro" as two decks: as written, a name is the one written so
    assert set(json.loads(run("stats", "micro", "--json", capsys=capsys)[1])["decks"]) == {"lower"}
    assert set(json.loads(run("stats", "MICRO", "--json", capsys=capsys)[1])["decks"]) == {"upper", "lower"}
    # renamed in its file (not re-added): known by the new name, no longer under the old group
    (tmp_path / "cardio.yaml").write_text(DECK.format(id="cardio", name="Cardiology"), encoding="utf-8")
    assert set(json.loads(run("stats", "Cardiology", "--json", capsys=capsys)[1])["decks"]) == {"cardio"}
    code, _, err = run("stats", "Pharmacology", capsys=capsys)
    assert code == 2 and "unknown deck 'Pharmacology'" in err
    # adding it again puts the new name in the library
    code, out, _ = run("add", str(tmp_path / "cardio.yaml"), capsys=capsys)
    assert code == 0 and "already in the library" in out
    assert {e.deck_id: e.name for e in read_library()}["cardio"] == "Cardiology"
    # a built-in deck by the name home shows
    code, out, _ = run("stats", "Calcineurin inhibitors", "--json", capsys=capsys)
    assert code == 0 and set(json.loads(out)["decks"]) == {"calcineurin-inhibitors"}
    # a folder in the way of a name does not hide it
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Cardiology").mkdir()
    assert set(json.loads(run("stats", "Cardiology", "--json", capsys=capsys)[1])["decks"]) == {"cardio"}


def test_a_path_with_dots_is_the_same_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    write_deck(tmp_path / "decks" / "mine.yaml")
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    assert run("add", "../decks/mine.yaml", capsys=capsys)[0] == 0
    assert read_library()[0].path == tmp_path.resolve() / "decks" / "mine.yaml"
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("add", "decks/mine.yaml", capsys=capsys)
    assert code == 0 and "already in the library" in out


def test_adding_twice_is_harmless_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "mine.yaml")
    run("add", str(deck), capsys=capsys)
    before = index_path().stat().st_mtime_ns
    code, out, _ = run("add", str(deck), capsys=capsys)
    assert code == 0 and out.startswith("already in the library")
    assert index_path().stat().st_mtime_ns == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("just some notes\n", "not a valid deck: a deck file must be a mapping"),
        ("deck: {id: x, name: X}\nitems:\n  - {id: a, type: basic}\n  - {id: b, type: nope}\n", "(and 2 more: quiz validate"),
        (b"\x00\x01binary", "binary file"),
    ],
)
def test_adding_a_non_deck_is_one_line_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = run("add", str(path), capsys=capsys)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and message in err and "notes.txt" in err
    assert not index_path().exists()


def test_adding_a_missing_file_or_a_builtin_id_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run("add", str(tmp_path / "nope.yaml"), capsys=capsys)
    assert code == 1 and "no such file" in err and len(err.splitlines()) == 1
    clash = write_deck(tmp_path / "c.yaml", deck_id="calcineurin-inhibitors")
    code, _, err = run("add", str(clash), capsys=capsys)
    assert code == 1 and "built-in deck" in err and len(err.splitlines()) == 1


def test_two_files_with_one_id_are_refused_all_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write_deck(tmp_path / "a.yaml")
    b = write_deck(tmp_path / "b.yaml")
    other = write_deck(tmp_path / "o.yaml", deck_id="other")
    code, _, err = run("add", str(other), str(a), str(b), capsys=capsys)
    assert code == 1 and "already in the library from" in err and len(err.splitlines()) == 1
    assert read_library() == ()  # nothing of the batch was remembered


def test_remove_unknown_id_is_one_line_exit_2_like_any_unknown_deck(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("remove", "nope", capsys=capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == ["quiz remove: error: no deck 'nope' in the library (library decks: none)"]
    assert run("study", "nope", capsys=capsys)[0] == 2
    code, out, err = run("remove", "calcineurin-inhibitors", capsys=capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == ["quiz remove: error: 'calcineurin-inhibitors' is a built-in deck: it is always there and cannot be removed"]


def test_remove_keeps_the_history_and_add_brings_it_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "mine.yaml")
    add_decks([deck])
    with Collection.open(["mine"]) as collection:
        session = collection.study(collection.decks)
        card = session.next_card()
        assert card is not None
        session.grade(card, 3, 1000)
    code, out, _ = run("remove", "mine", capsys=capsys)
    assert code == 0 and "review history are kept" in out
    assert "mine" not in {x.id for x in load_deck_set().decks}
    assert deck.exists()
    code, _, err = run("study", "mine", capsys=capsys)
    assert code == 2 and "unknown deck 'mine'" in err and "library decks: none" in err
    add_decks([deck])
    code, out, _ = run("stats", "mine", "--json", capsys=capsys)
    counts = json.loads(out)["decks"]["mine"]
    assert code == 0 and counts["new"] == 1 and counts["reviews_today"] == 1  # the graded card is not new again


def test_a_moved_file_is_reported_and_follows_when_added_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "mine.yaml")
    add_decks([deck])
    moved = tmp_path / "elsewhere" / "mine.yaml"
    moved.parent.mkdir()
    deck.rename(moved)
    deck_set = load_deck_set()
    assert "mine" not in {d.id for d in deck_set.decks}
    (gone,) = deck_set.unavailable
    assert gone.entry.deck_id == "mine" and gone.message().endswith("missing (moved or deleted?)")  # home says "history kept" once, above
    code, _, err = run("study", "mine", capsys=capsys)
    assert code == 1 and len(err.splitlines()) == 1 and "missing (moved or deleted?)" in err
    (added,) = add_decks([moved])
    assert added.how == "moved" and read_library()[0].path == moved.resolve()
    assert "mine" in {d.id for d in load_deck_set().decks}


def test_a_deleted_file_that_comes_back_is_studied_again(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "mine.yaml")
    add_decks([deck])
    text = deck.read_text(encoding="utf-8")
    deck.unlink()
    assert [u.entry.deck_id for u in load_deck_set().unavailable] == ["mine"]
    deck.write_text(text, encoding="utf-8")
    assert load_deck_set().unavailable == () and "mine" in {d.id for d in load_deck_set().decks}


def test_a_file_broken_outside_quiz_is_reported_not_fatal(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "mine.yaml")
    add_decks([deck])
    deck.write_text(deck.read_text(encoding="utf-8").replace("type: basic", "type: bsaic", 1), encoding="utf-8")
    deck_set = load_deck_set()
    assert "calcineurin-inhibitors" in {d.id for d in deck_set.decks}
    (bad,) = deck_set.unavailable
    assert "line 6" in bad.reason and "unknown item type" in bad.reason


def test_an_edit_outside_quiz_is_picked_up_on_the_next_start(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "mine.yaml")
    add_decks([deck])
    assert [i.answer for i in deck_names.load_decks(["mine"])[0].items] == ["Blue", "Five"]
    stat = deck.stat()
    deck.write_text(deck.read_text(encoding="utf-8").replace("Blue", "Gold"), encoding="utf-8")
    os.utime(deck, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime: only the bytes differ
    assert [i.answer for i in deck_names.load_decks(["mine"])[0].items] == ["Gold", "Five"]


def test_a_damaged_index_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    index_path().parent.mkdir(parents=True, exist_ok=True)
    index_path().write_text("{not json", encoding="utf-8")
    code, _, err = run("stats", capsys=capsys)
    assert code == 1 and len(err.splitlines()) == 1 and "library.json" in err and "damaged" in err


def test_the_index_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_decks([write_deck(tmp_path / "a.yaml", deck_id="a")])
    before = index_path().read_bytes()

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(outfile.os, "replace", crash)  # the new index is written, never put in place
    with pytest.raises(OSError):
        add_decks([write_deck(tmp_path / "b.yaml", deck_id="b")])
    assert index_path().read_bytes() == before
    assert [p.name for p in index_path().parent.iterdir() if p.name.startswith(".library")] == []


def test_import_without_output_goes_into_the_library(tmp_path: Path, capsys: pytest.CaptureFixture[str], quiz_home: Path) -> None:
    csv = tmp_path / "words.csv"
    csv.write_text("zorb,a blue made-up fruit\nblip,a five-legged made-up animal\n", encoding="utf-8")
    code, out, err = run("import", str(csv), capsys=capsys)
    assert code == 0, err
    written = quiz_home / "library" / "words.yaml"
    assert written.is_file()
    (entry,) = read_library()
    assert entry.path == written.resolve()
    code, out, _ = run("stats", entry.deck_id, "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["decks"][entry.deck_id]["new"] == 2
    # the same import again: it is there to study, and the advice says so
    code, _, err = run("import", str(csv), capsys=capsys)
    assert code == 1 and f"is in your library: `quiz study {entry.deck_id}`" in err and "quiz add" not in err


async def test_home_screen_lists_unavailable_decks(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "mine.yaml")
    add_decks([deck])
    deck.unlink()
    with Collection.open() as collection:
        assert [u.entry.deck_id for u in collection.unavailable] == ["mine"]
        app = QuizApp(collection)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            text = str(app.screen.query_one("#deck-missing", Static).render())
            assert "Not available (history kept" in text and "mine" in text and "missing" in text
            assert text.count("history") == 1  # said once, in the heading


async def _home_rows(app: QuizApp, pilot, until) -> list[str]:  # type: ignore[no-untyped-def]
    """The home table's deck cells once ``until(rows)`` holds (the screen looks at the
    library's files every FILES_CHECK_SECONDS; a loaded machine may take a few more)."""
    from textual.widgets import DataTable

    rows: list[str] = []
    for _ in range(200):
        await pilot.pause(0.05)
        tables = app.screen.query("#decks").results(DataTable)
        table = next(tables, None)
        if table is None:  # the screen is being composed again with the new decks
            continue
        rows = deck_column(table)
        if until(rows):
            break
    return rows


async def test_home_follows_the_library_files_without_a_restart(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "mine.yaml")
    add_decks([deck])
    moved = deck.rename(tmp_path / "away.yaml")
    with Collection.open() as collection:
        app = QuizApp(collection)
        async with app.run_test(size=(100, 30)) as pilot:
            rows = await _home_rows(app, pilot, lambda r: bool(r))
            assert "My deck" not in rows and app.screen.query("#deck-missing")
            moved.rename(deck)  # the file comes back while home is open
            rows = await _home_rows(app, pilot, lambda r: "My deck" in r)
            assert "My deck" in rows and not app.screen.query("#deck-missing")
            # another deck added from another terminal, and an edit: both show
            add_decks([write_deck(tmp_path / "more.yaml", "more", "More")])
            rows = await _home_rows(app, pilot, lambda r: "More" in r)
            assert "More" in rows and {d.id for d in collection.decks} >= {"mine", "more"}
            deck.write_text(DECK.format(id="mine", name="Renamed deck"), encoding="utf-8")
            rows = await _home_rows(app, pilot, lambda r: "Renamed deck" in r)
            assert "Renamed deck" in rows and "My deck" not in rows
            assert collection.stats([d for d in collection.decks if d.id == "mine"]).new == 2


async def test_home_keeps_the_highlight_and_the_keys_when_the_decks_change(tmp_path: Path) -> None:
    from textual.widgets import DataTable

    for deck_id, name in (("aaa", "Alpha"), ("bbb", "Beta"), ("ccc", "Gamma")):
        add_decks([write_deck(tmp_path / f"{deck_id}.yaml", deck_id, name)])
    with Collection.open() as collection:
        app = QuizApp(collection)
        async with app.run_test(size=(100, 30)) as pilot:
            rows = await _home_rows(app, pilot, lambda r: "Gamma" in r)
            await pilot.press("down", "down")  # onto Beta (the built-in deck is first)
            table = app.screen.query_one("#decks", DataTable)
            assert str(table.get_row_at(table.cursor_row)[0]).strip() == "Beta"
            (tmp_path / "ccc.yaml").write_text(DECK.format(id="ccc", name="Gamma two"), encoding="utf-8")
            await _home_rows(app, pilot, lambda r: "Gamma two" in r)
            await pilot.pause()
            table = app.screen.query_one("#decks", DataTable)
            assert app.focused is table
            assert str(table.get_row_at(table.cursor_row)[0]).strip() == "Beta"
            await pilot.press("down")  # the keys still move the highlight
            assert str(table.get_row_at(table.cursor_row)[0]).strip() == "Gamma two"


def test_todays_reviews_count_a_deck_whose_file_is_away(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "mine.yaml")
    add_decks([deck])
    with Collection.open() as collection:
        mine = [d for d in collection.decks if d.id == "mine"]
        session = collection.study(mine)
        card = session.next_card()
        assert card is not None
        session.grade(card, 3)
        assert collection.overview().reviewed_today == 1
    deck.rename(tmp_path / "away.yaml")  # the grade was given today all the same
    with Collection.open() as collection:
        assert [u.entry.deck_id for u in collection.unavailable] == ["mine"]
        assert collection.overview().reviewed_today == 1


def test_help_lists_add_and_remove() -> None:
    out = subprocess.run([sys.executable, "-m", "quiz", "--help"], capture_output=True, text=True, check=True).stdout
    assert "add " in out and "remove " in out and "your library" in out


def test_an_imported_deck_is_studied_from_the_cache_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    csv = tmp_path / "words.csv"
    csv.write_text("zorb,a blue made-up fruit\nblip,a five-legged made-up animal\n", encoding="utf-8")
    assert run("import", str(csv), capsys=capsys)[0] == 0

    def no_parsing(path: Path) -> None:
        raise AssertionError("parsed again after import")

    monkeypatch.setattr(loader, "load_deck", no_parsing)
    (entry,) = read_library()
    assert len(deck_names.load_decks([entry.deck_id])[0].items) == 2


def test_a_refused_batch_says_nothing_was_added(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`quiz add good.yaml clash.yaml` adds neither; the one line must say so, or the student
    believes good.yaml is in the library."""
    good = write_deck(tmp_path / "good.yaml", deck_id="good")
    clash = write_deck(tmp_path / "c.yaml", deck_id="calcineurin-inhibitors")
    code, out, err = run("add", str(good), str(clash), capsys=capsys)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1
    assert "built-in deck" in err and "nothing was added" in err
    code, _, err = run("add", str(clash), capsys=capsys)  # one path: nothing else to mention
    assert code == 1 and "nothing was added" not in err
