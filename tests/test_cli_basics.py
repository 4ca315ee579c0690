"""The command line as a whole: help, version, usage errors, and staying light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quiz import __version__
from quiz.errors import display_path
from test_deck import VALID, run_quiz

# Runs the real entry point in a fresh interpreter, then says which heavy modules got loaded.
PROBE = """
import json, sys
from quiz.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as e:
    code = e.code
print()
print("EXIT", code)
print("LOADED", json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"textual", "fsrs", "genanki", "rapidfuzz", "anki"})))
"""


def probe(*args: str, cwd: Path) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in result.stderr, result.stderr
    tail = result.stdout.splitlines()[-2:]
    assert tail[0].startswith("EXIT "), result.stdout
    return int(tail[0].split()[1]), json.loads(tail[1].removeprefix("LOADED "))


@pytest.mark.parametrize(
    "args", [("--help",), ("validate", "--help"), ("validate", "deck.yaml"), ("validate",), ("--version",)]
)
def test_light_commands_do_not_import_textual(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "deck.yaml").write_text(VALID)
    code, loaded = probe(*args, cwd=tmp_path)
    assert code == 0
    assert "textual" not in loaded
    if args[0] == "validate":
        assert loaded == []  # validating needs nothing beyond pyyaml


def test_version(tmp_path: Path) -> None:
    result = run_quiz("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"quiz {__version__}"


def test_help_lists_validate(tmp_path: Path) -> None:
    result = run_quiz("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "validate" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("--frobnicate",), "unrecognized arguments: --frobnicate"),
        (("validate", "--frobnicate", "x.yaml"), "unrecognized arguments: --frobnicate"),
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_quiz(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("quiz")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_paths_shown_from_the_root_folder_stay_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from / (cron, `cd /`), a message must not name "tmp/x/deck.yaml", a path that
    reads as relative and is wrong from anywhere else."""
    deck = tmp_path / "deck.yaml"
    monkeypatch.chdir("/")
    assert display_path(deck) == str(deck)
    monkeypatch.chdir(tmp_path)
    assert display_path(deck) == "deck.yaml"
