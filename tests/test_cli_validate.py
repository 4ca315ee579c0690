"""`quiz validate` as a user runs it: exit codes, which stream, several files at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_deck import VALID, run_quiz


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    (tmp_path / "good.yaml").write_text(VALID)
    (tmp_path / "bad.yaml").write_text(VALID.replace("question:", "questoin:"))
    return tmp_path


@pytest.mark.parametrize("command", ["validate", "check"])
def test_valid_deck_exits_0_with_an_ok_line(decks: Path, command: str) -> None:
    result = run_quiz(command, "good.yaml", cwd=decks)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "good.yaml: ok (1 items)\n"
    assert result.stderr == ""


def test_one_bad_one_good_reports_both_and_exits_1(decks: Path) -> None:
    result = run_quiz("validate", "bad.yaml", "good.yaml", "missing.yaml", cwd=decks)
    assert result.returncode == 1
    assert result.stdout == "good.yaml: ok (1 items)\n"
    assert result.stderr.splitlines() == [
        "bad.yaml:5:5: basic item needs 'question'",
        "bad.yaml:7:5: unknown key 'questoin' in a basic item (questoin → question?)",
        "missing.yaml: no such file",
    ]


def test_paths_are_shown_the_same_way_in_ok_and_problem_lines(decks: Path) -> None:
    (decks / "sub").mkdir()
    (decks / "sub" / "d.yaml").write_text("- x\n")
    result = run_quiz("validate", "sub/d.yaml", str(decks / "good.yaml"), cwd=decks)
    assert result.returncode == 1
    assert result.stderr.startswith("sub/d.yaml:1:1: ")
    assert result.stdout == "good.yaml: ok (1 items)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "the following arguments are required: DECK"),
        (("--frobnicate", "good.yaml"), "unrecognized arguments: --frobnicate"),
    ],
)
def test_usage_errors_exit_2(decks: Path, args: tuple[str, ...], message: str) -> None:
    result = run_quiz("validate", *args, cwd=decks)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_help_describes_the_command(decks: Path) -> None:
    result = run_quiz("validate", "--help", cwd=decks)
    assert result.returncode == 0
    assert "PATH:LINE:COL" in result.stdout
