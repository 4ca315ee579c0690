"""Hostile or unlucky input and output targets (issue #12, points 9 and 10): targets that are not
regular files are refused; closed or endless stdin, undecodable answers, huge CSV fields and bad
CSV headers end in one line, never a traceback. docs/reliability.md maps each point to these.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DECK = REPO / "decks" / "calcineurin-inhibitors.yaml"


def quiz(*args: str, cwd: Path, home: Path, stdin: object = subprocess.DEVNULL, env: dict[str, str] | None = None,
         timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quiz", *args], stdin=stdin, capture_output=True, text=True,
                          errors="replace", timeout=timeout, cwd=cwd,
                          env={**os.environ, "QUIZ_HOME": str(home), **(env or {})})


def one_line(r: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == code, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


# --- 9. targets that are not regular files ---------------------------------------------------------


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    p = tmp_path / "cards.csv"
    p.write_text("term,definition\nalpha,first letter\nbeta,second letter\n", encoding="utf-8")
    return p


def _special_targets(tmp_path: Path, suffix: str) -> dict[str, Path]:
    fifo = tmp_path / f"fifo{suffix}"
    os.mkfifo(fifo)
    devnull = tmp_path / f"null-link{suffix}"
    devnull.symlink_to("/dev/null")  # a device node behind a link: never replaced, never written
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    return {"fifo": fifo, "device": devnull, "folder": folder}


@pytest.mark.parametrize("command", ["export", "import", "backup"])
def test_targets_that_are_not_regular_files_are_refused(
    command: str, tmp_path: Path, quiz_home: Path, csv_file: Path
) -> None:
    suffix = {"export": ".apkg", "import": ".yaml", "backup": ".sqlite3"}[command]
    for kind, target in _special_targets(tmp_path, suffix).items():
        mode = os.stat(target).st_mode
        args = {
            "export": ("export", str(DECK), "-o", str(target)),
            "import": ("import", str(csv_file), "-o", str(target), "--force"),
            "backup": ("backup", "-o", str(target), "--force"),
        }[command]
        line = one_line(quiz(*args, cwd=tmp_path, home=quiz_home, timeout=60))
        assert target.name in line, line
        assert "not a regular file" in line or "is a folder" in line, line
        assert os.stat(target).st_mode == mode, kind  # still a FIFO, a device, a folder
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


@pytest.mark.parametrize("command", ["export", "import", "backup"])
def test_an_existing_regular_target_is_replaced_through_a_rename(
    command: str, tmp_path: Path, quiz_home: Path, csv_file: Path
) -> None:
    target = tmp_path / {"export": "out.apkg", "import": "out.yaml", "backup": "out.sqlite3"}[command]
    target.write_bytes(b"old contents")
    keep = tmp_path / "hard-link-to-old"
    os.link(target, keep)  # a rename leaves this one holding the old bytes; an in-place write would not
    args = {
        "export": ("export", str(DECK), "-o", str(target)),
        "import": ("import", str(csv_file), "-o", str(target), "--force"),
        "backup": ("backup", "-o", str(target), "--force"),
    }[command]
    r = quiz(*args, cwd=tmp_path, home=quiz_home, timeout=120)
    assert r.returncode == 0, r.stderr
    assert keep.read_bytes() == b"old contents"
    assert target.read_bytes() != b"old contents" and target.stat().st_size > 100


# --- 10. stdin and CSV that would have ended in a traceback ----------------------------------------


def test_closed_stdin(tmp_path: Path, quiz_home: Path) -> None:
    def closed_stdin() -> None:
        os.close(0)

    for args in (("exam", "--plain", "-n", "2"), ("exam", "-n", "2")):
        r = subprocess.run([sys.executable, "-m", "quiz", *args], preexec_fn=closed_stdin, capture_output=True,
                           text=True, timeout=60, cwd=tmp_path, env={**os.environ, "QUIZ_HOME": str(quiz_home)})
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert "0 of 2 answered" in r.stdout + r.stderr
    r = subprocess.run([sys.executable, "-m", "quiz", "study"], preexec_fn=closed_stdin, capture_output=True,
                       text=True, timeout=60, cwd=tmp_path, env={**os.environ, "QUIZ_HOME": str(quiz_home)})
    assert "stdin" in one_line(r)


def test_answers_that_are_not_utf8_under_a_utf8_locale(tmp_path: Path, quiz_home: Path) -> None:
    # PYTHONIOENCODING=utf-8:strict is what a UTF-8 locale such as en_US.UTF-8 gives Python.
    r = subprocess.run([sys.executable, "-m", "quiz", "exam", "--plain", "--json", "-n", "2", "--seed", "3",
                        "--types", "typed"],
                       input=b"\xff\xfe caf\xe9\n\x80\n", capture_output=True, timeout=60, cwd=tmp_path,
                       env={**os.environ, "QUIZ_HOME": str(quiz_home), "PYTHONIOENCODING": "utf-8:strict"})
    assert r.returncode == 0 and b"Traceback" not in r.stderr, r.stderr.decode(errors="replace")
    import json

    result = json.loads(r.stdout)
    assert result["asked"] == 2 and result["unanswered"] == 0
    assert "\ufffd" in result["questions"][0]["given"]


def test_an_endless_line_on_stdin_is_cut_and_ends_the_exam(tmp_path: Path, quiz_home: Path) -> None:
    def small_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # /dev/zero used to eat it all

    with open("/dev/zero", "rb") as zero:
        r = subprocess.run([sys.executable, "-m", "quiz", "exam", "--plain", "--json", "-n", "2"], stdin=zero,
                           preexec_fn=small_memory, capture_output=True, timeout=120, cwd=tmp_path,
                           env={**os.environ, "QUIZ_HOME": str(quiz_home)})
    assert r.returncode == 0 and b"Traceback" not in r.stderr, r.stderr[-2000:]
    assert b"not an answer" in r.stderr


def test_a_long_answer_is_capped(tmp_path: Path, quiz_home: Path) -> None:
    from quiz.study.grading import MAX_ANSWER_CHARS

    answers = "x" * (MAX_ANSWER_CHARS * 3) + "\nsecond\n"
    r = subprocess.run([sys.executable, "-m", "quiz", "exam", "--plain", "--json", "-n", "2", "--seed", "5",
                        "--types", "typed"], input=answers, capture_output=True, text=True,
                       timeout=60, cwd=tmp_path, env={**os.environ, "QUIZ_HOME": str(quiz_home)})
    assert r.returncode == 0, r.stderr
    import json

    given = [q["given"] for q in json.loads(r.stdout)["questions"]]
    assert given == ["x" * MAX_ANSWER_CHARS, "second"]  # the rest of the long line was skipped


def test_a_csv_field_over_csvs_limit_is_one_line(tmp_path: Path, quiz_home: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text('term,definition\nalpha,"' + "a" * 140_000 + '"\n', encoding="utf-8")
    line = one_line(quiz("import", str(big), "-o", str(tmp_path / "big.yaml"), cwd=tmp_path, home=quiz_home))
    assert line.startswith(f"quiz: {big}:2: ") and "field larger than field limit" in line
    assert not (tmp_path / "big.yaml").exists()


@pytest.mark.parametrize("value", ["xyz", "", '"'])
def test_a_bad_separator_header_is_one_line(tmp_path: Path, quiz_home: Path, value: str) -> None:
    f = tmp_path / "sep.csv"
    f.write_text(f"#html:false\n#separator:{value}\nalpha,first\n", encoding="utf-8")
    line = one_line(quiz("import", str(f), "-o", str(tmp_path / "sep.yaml"), cwd=tmp_path, home=quiz_home))
    assert line.startswith(f"quiz: {f}:2: bad header #separator:{value}")
