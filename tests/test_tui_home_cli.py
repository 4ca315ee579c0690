"""`quiz study` / bare `quiz`: bad input is caught before the full-screen app starts (one line,
exit 1 or 2, no traceback), and the command line never imports Textual until the app runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.commands import study


def run_quiz(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # stdin/stdout are pipes, not a terminal: if Textual started it would still try to draw;
    # every case here must fail before that.
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args], capture_output=True, text=True, timeout=60,
        cwd=cwd, env=os.environ.copy(), stdin=subprocess.DEVNULL,
    )


def one_line_error(p: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert "\x1b[" not in p.stdout  # the app never drew anything
    return lines[0]


def test_broken_deck_is_one_located_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck:\n  id: bad\n  name: Bad\n  colour: red\nitems: []\n", encoding="utf-8")
    p = run_quiz("study", str(bad))
    assert p.returncode == 1
    line = one_line_error(p)
    assert line.startswith(f"{bad}:4:") and "colour" in line


def test_corrupt_store_is_one_line_naming_it(quiz_home: Path, tmp_path: Path) -> None:
    quiz_home.mkdir(parents=True)
    (quiz_home / "quiz.sqlite3").write_bytes(b"this is not sqlite at all" * 100)
    deck = tmp_path / "d.yaml"
    deck.write_text("deck:\n  id: d\n  name: D\nitems:\n  - id: a\n    type: basic\n    question: q\n    answer: a\n")
    p = run_quiz("study", str(deck))
    assert p.returncode == 1
    assert "quiz.sqlite3" in one_line_error(p)


def test_bad_settings_file_is_one_line(quiz_home: Path) -> None:
    quiz_home.mkdir(parents=True)
    (quiz_home / "settings.json").write_text('{"desired_retention": 3}')
    p = run_quiz("study")
    assert p.returncode == 1
    assert "settings.json" in one_line_error(p)


def test_unknown_deck_is_a_usage_error() -> None:
    p = run_quiz("study", "no-such-deck")
    assert p.returncode == 2
    assert "no-such-deck" in one_line_error(p)


def test_study_arguments() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    study.add_arguments(parser)
    assert parser.parse_args([]).decks == []
    assert parser.parse_args(["a", "b.yaml"]).decks == ["a", "b.yaml"]


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"], ["study", "--help"]])
def test_command_line_does_not_import_textual(argv: list[str]) -> None:
    code = (
        "import sys\nfrom quiz.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print('TEXTUAL' if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 'CLEAN')"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stdout.strip().endswith("CLEAN"), p.stdout + p.stderr
