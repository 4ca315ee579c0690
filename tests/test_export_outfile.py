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
