"""`quiz validate` as a user runs it: exit codes, which stream, several files at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_deck import VALID, run_quiz

from quiz.decks.library import builtin_deck_paths


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    (tmp_path / "good.yaml").write_text(VALID)
    (tmp_path / "bad.yaml").write_text(VALID.replace("question:", "questoin:"))
    return tmp_path


@pytest.mark.parametrize("command", ["validate", "check"])
def test_valid_deck_exits_0_with_an_ok_line(decks: Path, command: str) -> None:
    result = run_quiz(command, "good.yaml", cwd=decks)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "good.yaml: ok (1 item)\n"
    assert result.stderr == ""


def test_one_bad_one_good_reports_both_and_exits_1(decks: Path) -> None:
    result = run_quiz("validate", "bad.yaml", "good.yaml", "missing.yaml", cwd=decks)
    assert result.returncode == 1
    assert result.stdout == "good.yaml: ok (1 item)\n"
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
    assert result.stdout == "good.yaml: ok (1 item)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
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


def test_no_deck_checks_the_decks_folder(decks: Path) -> None:
    (decks / "decks").mkdir()
    for name in ("good.yaml", "bad.yaml"):
        (decks / name).rename(decks / "decks" / name)
    (decks / "decks" / "notes.txt").write_text("not a deck")
    result = run_quiz("validate", cwd=decks)
    assert result.returncode == 1
    builtins = builtin_deck_paths()
    where = f" and the built-in decks in {builtins[0].parent}" if builtins else ""
    assert result.stdout.splitlines()[:2] == [f"checking {2 + len(builtins)} deck files: decks/*.yaml{where}",
                                              "decks/good.yaml: ok (1 item)"]
    assert result.stderr.splitlines() == [
        "decks/bad.yaml:5:5: basic item needs 'question'",
        "decks/bad.yaml:7:5: unknown key 'questoin' in a basic item (questoin → question?)",
    ]
    (decks / "decks" / "bad.yaml").unlink()
    result = run_quiz("validate", cwd=decks)
    assert (result.returncode, result.stderr) == (0, "")


def test_no_deck_and_no_decks_folder_checks_the_builtin_decks(tmp_path: Path) -> None:
    paths = builtin_deck_paths()
    if not paths:
        pytest.skip("no built-in decks")
    result = run_quiz("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"checking {len(paths)} deck file{'s' * (len(paths) != 1)}: the built-in decks in {paths[0].parent}"
    assert [ln.split(": ok (")[0] for ln in lines[1:]] == [str(p) for p in paths]  # outside the cwd: absolute


def test_an_empty_decks_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "decks").mkdir()
    result = run_quiz("validate", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "quiz validate: error: decks/ holds no deck files (*.yaml); name the decks to check\n"


def test_help_describes_the_command(decks: Path) -> None:
    result = run_quiz("validate", "--help", cwd=decks)
    assert result.returncode == 0
    assert "PATH:LINE:COL" in result.stdout


def test_a_missing_image_is_a_warning_with_its_line(tmp_path: Path) -> None:
    """A deck copied without its media folder: validate says which image is not there (the
    review would only show "file missing"), and the deck is still valid."""
    (tmp_path / "pics.media").mkdir()
    (tmp_path / "pics.media" / "here.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "pics.yaml").write_text(
        "deck: {id: pics, name: Pics}\n"
        "items:\n"
        "  - id: a\n    type: basic\n    question: q\n    answer: x\n    images: [pics.media/here.png]\n"
        "  - id: b\n    type: basic\n    question: q\n    answer: x\n    answer_images: [pics.media/gone.png]\n"
    )
    result = run_quiz("validate", "pics.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "pics.yaml: ok (2 items)\n"
    assert result.stderr.splitlines() == ["pics.yaml:8: warning: image 'pics.media/gone.png' not found"]


def test_an_unknown_deck_is_a_usage_error_as_in_every_command_a_missing_path_is_no_such_file(
    decks: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bare word that is neither a file nor a deck's id or name: the "unknown deck" usage
    error (exit 2, the library's decks listed) that study, stats, exam and export give; a name
    that looks like a path stays a missing file (exit 1); a built-in deck by its id is found."""
    from quiz.cli import main

    monkeypatch.chdir(decks)
    assert main(["add", "good.yaml"]) == 0
    capsys.readouterr()
    for command in ("validate", "stats"):
        assert main([command, "nosuch"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"quiz {command}: error: unknown deck 'nosuch' (built-in decks: ")
        assert "library decks: " in err and err.count("\n") == 1
    for arg in ("missing.yaml", "missing.yml", "sub/missing"):
        assert main(["validate", arg, "good.yaml"]) == 1
        out, err = capsys.readouterr()
        assert (err, out) == (f"{arg}: no such file\n", "good.yaml: ok (1 item)\n")
    assert main(["validate", "calcineurin-inhibitors"]) == 0
    assert capsys.readouterr().out.strip().endswith("calcineurin-inhibitors.yaml: ok (45 items)")


def test_no_deck_checks_the_library_too_as_every_command(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(VALID)
    (tmp_path / "gone.yaml").write_text(VALID.replace("id: demo", "id: gone"))
    assert run_quiz("add", "mine.yaml", "gone.yaml", cwd=tmp_path).returncode == 0
    (tmp_path / "gone.yaml").unlink()
    result = run_quiz("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    builtins = builtin_deck_paths()
    where = f"the built-in decks in {builtins[0].parent} and " if builtins else ""
    assert result.stdout.splitlines()[0] == f"checking {1 + len(builtins)} deck file{'s' * bool(builtins)}: {where}your library (2 decks)"
    assert result.stdout.splitlines()[-1] == "mine.yaml: ok (1 item)"
    assert result.stderr.startswith("quiz: not available: ") and "gone.yaml: missing (moved or deleted?)" in result.stderr
