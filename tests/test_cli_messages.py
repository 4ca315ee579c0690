"""The command line's wording where a student trial stumbled: an Anki package named as a deck,
a folder given to `quiz add`, `-o` into a folder not made yet, a wrong flag, plurals."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from test_library import DECK, run, write_deck

from quiz.cli import main
from quiz.decks.library import read_library


def _package(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:  # what an .apkg is to a reader of deck files: a zip
        z.writestr("collection.anki21", b"\0" * 64)
    return path


@pytest.mark.parametrize("command", ["add", "study", "validate", "stats"])
def test_an_anki_package_named_as_a_deck_points_to_quiz_import(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = _package(tmp_path / "Pharmacology.apkg")
    code, out, err = run(command, str(pkg), capsys=capsys)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1, err
    assert f"`quiz import {pkg}` makes a deck of it" in err and "NUL" not in err


def test_add_a_folder_adds_its_deck_files_and_says_how_many(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "notes"
    write_deck(folder / "a.yaml", "a", "A")
    write_deck(folder / "b.yml", "b", "B")
    write_deck(folder / "media" / "c.yaml", "c", "C")  # a subfolder's files are not the folder's decks
    (folder / "readme.txt").write_text("not a deck", encoding="utf-8")
    code, out, err = run("add", str(folder), capsys=capsys)
    assert code == 0, err
    assert out.splitlines()[-1] == f"2 deck files from {folder}"
    assert sorted(e.deck_id for e in read_library()) == ["a", "b"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run("add", str(empty), capsys=capsys)
    assert (code, out) == (1, "")
    assert err == f"quiz: {empty}: a folder with no deck files (*.yaml) in it; name the deck files to add\n"


def test_output_into_a_folder_not_there_yet_makes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("words.csv").write_text("zorb,a blue made-up fruit\nblip,a five-legged made-up animal\n", encoding="utf-8")
    code, out, err = run("import", "words.csv", "-o", "decks/words.yaml", capsys=capsys)
    assert code == 0, err
    assert Path("decks/words.yaml").is_file() and out.startswith("imported 2 items from words.csv to decks/words.yaml")
    code, _, err = run("export", "decks/words.yaml", "-o", "out/phone/words.apkg", capsys=capsys)
    assert code == 0 and Path("out/phone/words.apkg").is_file(), err
    # nothing written (a typo, a refused input): no folder left behind
    code, _, err = run("import", "nope.csv", "-o", "typo/sub/x.yaml", capsys=capsys)
    assert code == 1 and "nope.csv" in err and not Path("typo").exists()
    code, _, err = run("export", "decks/words.yaml", "--tags", "zz", "-o", "typo/x.apkg", capsys=capsys)
    assert code == 2 and not Path("typo").exists()


def _usage(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:  # argparse's own exit, as from the command line
        main(list(args))
    out, err = capsys.readouterr()
    return int(stop.value.code or 0), out, err


@pytest.mark.parametrize("command", [["import", "x.csv"], ["stats"], ["remove", "x"], ["validate"]])
def test_a_wrong_flag_points_to_the_commands_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _usage(capsys, *command, "--bogus")
    assert (code, out) == (2, "")
    assert err == f"quiz {command[0]}: error: unrecognized arguments: --bogus (see 'quiz {command[0]} --help')\n"
    code, _, err = _usage(capsys, "--bogus")
    assert code == 2 and "(see 'quiz --help')" in err


def test_one_item_is_one_item(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "one.yaml"
    deck.write_text(DECK.format(id="one", name="One").split("  - id: q2")[0], encoding="utf-8")
    code, out, _ = run("validate", str(deck), capsys=capsys)
    assert code == 0 and out == f"{deck}: ok (1 item)\n"
    assert json.loads(run("stats", str(deck), "--json", capsys=capsys)[1])["decks"]["one"]["new"] == 1
