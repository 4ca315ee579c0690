"""Output files of quiz export and quiz import: the mode a new file gets, and paths in messages."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_export_helpers import nasty_path, quiz_home  # noqa: F401

from quiz.cli import main


@pytest.fixture(params=[0o022, 0o027])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_export_and_import_outputs_get_the_normal_mode(
    tmp_path: Path, nasty_path: Path, quiz_home: Path, umask: int, capsys
) -> None:
    package, deck = tmp_path / "out.apkg", tmp_path / "back.yaml"
    assert main(["export", str(nasty_path), "-o", str(package)]) == 0
    assert _mode(package) == 0o666 & ~umask
    assert main(["import", str(package), "-o", str(deck)]) == 0
    assert _mode(deck) == 0o666 & ~umask
    assert main(["import", str(package), "-o", str(deck), "--force"]) == 0  # replacing: same mode
    assert _mode(deck) == 0o666 & ~umask
    assert _mode(quiz_home / "anki-export.json") == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.yaml", "home", "nasty.yaml", "out.apkg"]
    capsys.readouterr()


def test_messages_show_paths_as_given(tmp_path: Path, nasty_path: Path, quiz_home: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)  # absolute paths under the cwd stay absolute: the user typed them so
    missing = tmp_path / "nonexist.apkg"
    assert main(["import", str(missing)]) == 1
    assert capsys.readouterr().err == f"quiz: {missing}: no such file\n"
    assert main(["import", "nonexist.csv"]) == 1
    assert capsys.readouterr().err == "quiz: nonexist.csv: no such file\n"
    (tmp_path / "no").write_text("a file in the way", encoding="utf-8")
    assert main(["export", str(nasty_path), "-o", str(tmp_path / "no" / "x.apkg")]) == 1
    assert capsys.readouterr().err == f"quiz: {tmp_path / 'no'}: is a file, not a folder (the output file would go in it)\n"
    package = tmp_path / "out.apkg"
    assert main(["export", str(nasty_path), "-o", str(package)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote 6 notes in 1 deck to {package} (8 cards)\n")
    assert main(["import", str(package), "-o", str(tmp_path / "back.yaml")]) == 0
    assert capsys.readouterr().out == f"imported 6 items from {package} to {tmp_path / 'back.yaml'}\n"
    assert main(["import", str(package), "-o", str(tmp_path / "back.yaml")]) == 1
    assert capsys.readouterr().err == f"quiz: {tmp_path / 'back.yaml'} already exists (use --force to replace it, or `quiz add {tmp_path / 'back.yaml'}` to study the deck there)\n"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\nc\n", encoding="utf-8")
    assert main(["import", str(bad), "-o", "bad.yaml"]) == 1
    assert capsys.readouterr().err.startswith(f"quiz: {bad}:2: expected 2 comma-separated columns")
    junk = tmp_path / "junk.apkg"
    junk.write_bytes(b"PK\x03\x04 not really")
    assert main(["import", str(junk), "-o", "junk.yaml"]) == 1
    assert capsys.readouterr().err.startswith(f"quiz: {junk}: not an Anki package")
