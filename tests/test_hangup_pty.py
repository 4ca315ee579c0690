"""The terminal goes away without a SIGHUP reaching quiz (an ssh link dropped; here a pty whose
master is closed, quiz being in a session of its own): quiz exits at once with 129, as after a
hang-up, and every grade and exam given before is in the store.

Before the fix, Textual's input thread read EOF from stdin in a loop and spun a core until killed;
with only the output gone, its writer thread died and the app hung. Each test makes its own pty,
so it needs no terminal of its own (CI)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from test_durability import check_store

pytestmark = [
    pytest.mark.tmux,  # drives the real quiz command in a terminal
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pty's hang-up as Linux gives it"),
]

DECK = """\
deck:
  id: hangup
  name: Hang-up deck
items:
  - id: b1
    type: basic
    question: Alpha question
    answer: Alpha reply
  - id: b2
    type: basic
    question: Beta question
    answer: Beta reply
  - id: b3
    type: basic
    question: Gamma question
    answer: Gamma reply
"""
CHOICES = """\
deck:
  id: choices
  name: Choice deck
items:
  - id: c1
    type: choice
    question: Which colour comes first?
    answer: Red
    distractors: [Green, Blue]
  - id: c2
    type: choice
    question: Which shape is round?
    answer: Circle
    distractors: [Square, Triangle]
"""
HUNG_UP = 129  # quiz.errors.TerminalGone.exit_code: what a shell reports after a SIGHUP
# CSI, OSC, two-byte escapes and the other control codes: the text a screen would show, in the order written.
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x00-\x08\x0e-\x1f]")


def new_pty() -> tuple[int, int]:
    """(master, slave) of a new 100x30 pty."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return master, slave


class PtyQuiz:
    """``quiz ARGS`` on the slave side of a new pty (its master: ``screen``), in a session of its
    own (so closing the master sends it no SIGHUP). Keys go to ``master``: the same pty, as in
    a terminal (``keys="screen"``), a second one (``"own pty"``), or none, stdin being /dev/null
    (``"devnull"``). Output is read from this thread only: a thread blocked reading the master
    would hold it open after ``os.close`` (bench/ptyrun.PtyRun does), and the terminal would
    not hang up until the app wrote again."""

    def __init__(self, home: Path, *args: str, keys: str = "screen") -> None:
        self.screen, screen_slave = new_pty()
        if keys == "screen":
            self.master, stdin = self.screen, screen_slave
        elif keys == "own pty":
            self.master, stdin = new_pty()
        else:
            self.master, stdin = self.screen, os.open(os.devnull, os.O_RDONLY)
        env = {**os.environ, "QUIZ_HOME": str(home), "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm-256color"}
        self.proc = subprocess.Popen([sys.executable, "-m", "quiz", *args], stdin=stdin, stdout=screen_slave,
                                     stderr=screen_slave, env=env, start_new_session=True)
        for fd in {stdin, screen_slave}:
            os.close(fd)
        self.raw = b""
        self.text = ""  # everything shown so far, escapes taken out
        self.closed: set[int] = set()

    def wait_for(self, pattern: str, since: int = 0, timeout: float = 30.0) -> tuple[int, str]:
        """Wait until ``pattern`` shows in the output after position ``since``: (the end of the
        output so far, the text matched). The timeout is a deadline against hangs, not a speed check."""
        end = time.monotonic() + timeout
        while (m := re.search(pattern, self.text[since:])) is None:
            if time.monotonic() > end:
                pytest.fail(f"{pattern!r} never showed; the output ended: {self.text[-400:]!r}")
            if not self.read(0.1):
                pytest.fail(f"quiz ended before {pattern!r} showed: {self.text[-400:]!r}")
        return len(self.text), m.group()

    def read(self, wait: float) -> bool:
        """Take in what the app wrote within ``wait`` seconds; False once the pty has no writer left."""
        if select.select([self.screen], [], [], wait)[0]:
            try:
                data = os.read(self.screen, 65536)
            except OSError:  # EIO: every slave fd closed
                return False
            if not data:
                return False
            self.raw += data
            # The whole stream each time: an escape or a character split across reads is whole here.
            self.text = ESCAPES.sub("", self.raw.decode("utf-8", "replace"))
        return True

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def hang_up(self, fd: int | None = None) -> None:
        fd = self.screen if fd is None else fd
        os.close(fd)
        self.closed.add(fd)

    def exit_code(self, timeout: float = 10.0) -> int:
        """Its exit code; if it is still running after ``timeout``, fail saying how much CPU it
        burns (a spinning input thread takes a core)."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            burnt = cpu_seconds(self.proc.pid)
            time.sleep(2)
            burnt = cpu_seconds(self.proc.pid) - burnt
            pytest.fail(f"quiz still runs {timeout} s after its terminal went away, using {burnt:.2f} s of CPU in 2 s")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for fd in {self.master, self.screen} - self.closed:
            os.close(fd)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "hangup.yaml"
    path.write_text(DECK, encoding="utf-8")
    return path


@pytest.fixture
def choices(tmp_path: Path) -> Path:
    path = tmp_path / "choices.yaml"
    path.write_text(CHOICES, encoding="utf-8")
    return path


def test_study_ends_when_the_terminal_goes_and_keeps_every_grade(quiz_home: Path, deck: Path) -> None:
    q = PtyQuiz(quiz_home, "study", str(deck))
    try:
        mark, card = q.wait_for(r"(Alpha|Beta|Gamma) question")
        for _ in range(2):
            q.send(" ")
            mark, _ = q.wait_for(r"(Alpha|Beta|Gamma) reply", since=mark)
            q.send("3")  # Good: committed before the next card shows
            mark, card = q.wait_for(rf"(?!{card})(Alpha|Beta|Gamma) question", since=mark)
        q.send(" ")  # the third card's answer up, not graded
        q.wait_for(r"(Alpha|Beta|Gamma) reply", since=mark)
        q.hang_up()
        assert q.exit_code() == HUNG_UP
    finally:
        q.close()
    assert check_store(quiz_home, set()) == 2  # integrity check, both grades, counters match the log


def test_home_ends_when_the_terminal_goes(quiz_home: Path) -> None:
    q = PtyQuiz(quiz_home)  # bare `quiz`: the home screen, over the built-in decks
    try:
        q.wait_for(r"Calcineurin")
        q.hang_up()
        assert q.exit_code() == HUNG_UP
    finally:
        q.close()
    assert check_store(quiz_home, set()) == 0


def test_an_exam_on_its_result_screen_is_recorded_when_the_terminal_goes(quiz_home: Path, choices: Path) -> None:
    q = PtyQuiz(quiz_home, "exam", str(choices), "-n", "2", "--seed", "1")
    try:
        mark, _ = q.wait_for(r"Question 1 of 2")
        q.send("a")
        mark, _ = q.wait_for(r"Question 2 of 2", since=mark)
        q.send("a")
        q.wait_for(r"Exam result", since=mark)
        q.hang_up()
        assert q.exit_code() == HUNG_UP
    finally:
        q.close()
    history = subprocess.run([sys.executable, "-m", "quiz", "exam", "--history", "--json"], capture_output=True,
                             text=True, timeout=60, env=os.environ.copy())
    assert history.returncode == 0, history.stderr
    assert [s["total"] for s in json.loads(history.stdout)] == [2]


def test_study_ends_when_only_the_screen_goes(quiz_home: Path, deck: Path) -> None:
    # Keys still come in, but nothing can be shown: the writes fail (EIO). Before the fix
    # Textual's writer thread died of it and the app hung.
    q = PtyQuiz(quiz_home, "study", str(deck), keys="own pty")
    try:
        q.wait_for(r"(Alpha|Beta|Gamma) question")
        q.hang_up(q.screen)
        q.send(" ")  # something to paint
        assert q.exit_code() == HUNG_UP
    finally:
        q.close()


def test_study_with_stdin_not_a_terminal_says_so_and_draws_nothing(quiz_home: Path, deck: Path) -> None:
    # `quiz study < /dev/null` in a terminal: no key can ever come. Before the fix it spun a
    # core; then it drew the app and exited 129 with no word. Now one line says why, before
    # the app takes the screen.
    q = PtyQuiz(quiz_home, "study", str(deck), keys="devnull")
    try:
        assert q.exit_code() == 1
        while q.read(1.0):
            pass
        assert "the study app needs a terminal" in q.text and b"\x1b[?1049h" not in q.raw, q.text[-2000:]
        assert "Traceback" not in q.text
    finally:
        q.close()
