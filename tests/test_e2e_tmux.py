"""End to end: the real `quiz study` in a private tmux server at 80x24, driven with send-keys and
read with capture-pane. Answer some cards, quit, start again: the progress is kept, and
`quiz stats --json` counts the reviews. Skipped only when tmux is not installed."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from test_tui_review import DECK_YAML

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    """One detached session on a private server socket (never the user's own tmux)."""

    def __init__(self, command: str, status_file: Path, width: int = 80, height: int = 24) -> None:
        self.socket = f"quiz-e2e-{uuid.uuid4().hex[:8]}"
        self.status_file = status_file
        command = f"{command}; echo $? > {shlex.quote(str(status_file))}"
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height))
        self.tmux("set-option", "-g", "remain-on-exit", "on")
        self.tmux("set-option", "-g", "status", "off")
        self.tmux("respawn-pane", "-k", "-t", "t", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True, capture_output=True, text=True,
                              timeout=30).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def wait_for(self, pattern: str, timeout: float = 20.0) -> str:
        """Poll the screen until ``pattern`` (a regex) shows; fail with the last screen if not."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if re.search(pattern, screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {pattern!r}; the screen was:\n{screen}")
            time.sleep(0.05)

    def wait_exit(self, timeout: float = 20.0) -> int:
        """The program's exit status, which the command line writes to a file when it ends
        (tmux can mark a pane dead before, or without, recording the status)."""
        deadline = time.monotonic() + timeout
        while not self.status_file.exists() or not self.status_file.read_text().strip():
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not exit; the screen was:\n{self.screen()}")
            time.sleep(0.05)
        return int(self.status_file.read_text())

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


def quiz_command(home: Path, *args: str) -> str:
    env = f"QUIZ_HOME={shlex.quote(str(home))} TEXTUAL_ANIMATIONS=none TERM=xterm-256color"
    return f"env {env} {shlex.quote(sys.executable)} -m quiz " + " ".join(shlex.quote(a) for a in args)


def test_study_quit_restart_keeps_progress(tmp_path: Path, quiz_home: Path) -> None:
    deck = tmp_path / "demo.yaml"
    deck.write_text(DECK_YAML, encoding="utf-8")

    t = Tmux(quiz_command(quiz_home, "study", str(deck)), tmp_path / "status-1")
    try:
        t.wait_for(r"Which protein do calcineurin")
        t.send("Space")
        t.wait_for(r"Calcineurin\s*$|Again 1m", timeout=10)
        t.send("3")
        t.wait_for(r"also called FK506")  # the reverse card: committed grade, next card
        t.send("Space")
        t.wait_for(r"Tacrolimus")
        t.send("3")
        t.wait_for(r"binds \[\.\.\.\] before")
        t.send("Space")
        t.wait_for(r"binds cyclophilin before")
        t.send("3")
        # Wait for whole screens (a capture can land between two partial repaints): the choice
        # card, with three new left (this one included) and three in learning.
        t.wait_for(r"3 \+ 3 \+ 0(?s:.*)a\) ")
        t.send("q")
        t.wait_for(r"Demo deck\s+3\s+3\s+0(?s:.*)3 reviewed")
        t.send("q")
        assert t.wait_exit() == 0
    finally:
        t.close()

    # Start again: the choice card (new) comes first, the counts remember the three grades.
    t = Tmux(quiz_command(quiz_home, "study", str(deck)), tmp_path / "status-2")
    try:
        t.wait_for(r"3 \+ 3 \+ 0(?s:.*)Which drug is a calcineurin inhibitor")
        t.send("q")
        t.wait_for(r"3 reviewed")
        t.send("q")
        assert t.wait_exit() == 0
    finally:
        t.close()

    p = subprocess.run([sys.executable, "-m", "quiz", "stats", "--json", str(deck)], capture_output=True,
                       text=True, timeout=60, env={**os.environ, "QUIZ_HOME": str(quiz_home)})
    assert p.returncode == 0, p.stderr
    stats = json.loads(p.stdout)
    assert stats["reviews_today"] == 3
    # new: choice, typed, list and the reverse item's second card (asked both ways)
    assert stats["learning"] == 3 and stats["new"] == 4


TYPED_DECK = """\
deck:
  id: typed
  name: Typed deck
items:
  - id: t1
    type: typed
    question: Which protein does cyclosporine bind first?
    answer: cyclophilin
  - id: t2
    type: typed
    question: Which protein does tacrolimus bind first?
    answer: FKBP12
"""


def test_typed_card_esc_leaves_the_box_then_keys_work_and_ctrl_c_quits(tmp_path: Path, quiz_home: Path) -> None:
    deck = tmp_path / "typed.yaml"
    deck.write_text(TYPED_DECK, encoding="utf-8")
    t = Tmux(quiz_command(quiz_home, "study", str(deck)), tmp_path / "status")
    try:
        t.wait_for(r"cyclosporine bind first(?s:.*)ctrl\+z undo")
        t.send("x")  # a letter goes into the answer box
        t.wait_for(r"(?m)^\s*x\s*$")
        t.send("Escape")  # out of the box: the single keys are listed and work
        t.wait_for(r"tab type(?s:.*)- bury")
        t.send("-")
        t.wait_for(r"tacrolimus bind first(?s:.*)Buried")
        t.send("C-z")  # inside the next card's box, ctrl+z undoes the bury
        t.wait_for(r"cyclosporine bind first(?s:.*)Bury undone\.")
        t.send("C-c")  # home first ...
        t.wait_for(r"Typed deck\s+2")
        t.send("C-c")  # ... then quit
        assert t.wait_exit() == 0
    finally:
        t.close()


ONE_DECK = """\
deck:
  id: one
  name: One card
items:
  - id: only
    type: basic
    question: Which protein do calcineurin inhibitors block?
    answer: Calcineurin
"""


def test_undo_from_the_summary_and_from_home_after_the_last_card(tmp_path: Path, quiz_home: Path) -> None:
    deck = tmp_path / "one.yaml"
    deck.write_text(ONE_DECK, encoding="utf-8")
    t = Tmux(quiz_command(quiz_home, "study", str(deck)), tmp_path / "status")
    try:
        t.wait_for(r"Which protein do calcineurin")
        t.send("Space")
        t.wait_for(r"Again 1m")
        t.send("4")  # the last card graded (Easy: days away): the summary, which offers undo
        t.wait_for(r"Session done(?s:.*)u Undo")
        t.send("u")
        t.wait_for(r"Which protein do calcineurin(?s:.*)Grade undone\.")
        t.send("-")  # buried: the summary again; home; undo from there
        t.wait_for(r"Nothing to study right now|Session done")
        t.send("q")
        t.wait_for(r"One card\s+0")
        t.send("u")
        t.wait_for(r"Which protein do calcineurin(?s:.*)Bury undone\.")
        t.send("C-c")
        t.wait_for(r"One card\s+1")
        t.send("C-c")
        assert t.wait_exit() == 0
    finally:
        t.close()
    p = subprocess.run([sys.executable, "-m", "quiz", "stats", "--json", str(deck)], capture_output=True,
                       text=True, timeout=60, env={**os.environ, "QUIZ_HOME": str(quiz_home)})
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["reviews_today"] == 0  # the undone grade is not counted


def test_review_answer_enter_and_grade_typed_in_one_burst(tmp_path: Path, quiz_home: Path) -> None:
    """"cyclophilin⏎3" in one read: the answer is checked, then "3" grades it (not typed)."""
    deck = tmp_path / "typed.yaml"
    deck.write_text(TYPED_DECK, encoding="utf-8")
    t = Tmux(quiz_command(quiz_home, "study", str(deck)), tmp_path / "status")
    try:
        t.wait_for(r"cyclosporine bind first(?s:.*)ctrl\+z undo")
        t.send("-l", "cyclophilin\r3")  # one send-keys call: one write to the terminal
        t.wait_for(r"tacrolimus bind first")  # graded Good, the next card is up
        t.send("-l", "FKBP12\r1")  # graded Again: both in learning, the first comes back early
        t.wait_for(r"0 \+ 2 \+ 0(?s:.*)cyclosporine bind first")
        t.send("C-c")
        t.wait_for(r"Typed deck")
        t.send("C-c")
        assert t.wait_exit() == 0
    finally:
        t.close()
    with_store = {**os.environ, "QUIZ_HOME": str(quiz_home)}
    p = subprocess.run([sys.executable, "-m", "quiz", "stats", "--json", str(deck)], capture_output=True,
                       text=True, timeout=60, env=with_store)
    assert p.returncode == 0, p.stderr
    stats = json.loads(p.stdout)
    assert (stats["reviews_today"], stats["learning"], stats["new"]) == (2, 2, 0)


THREE_TYPED = TYPED_DECK + """\
  - id: t3
    type: typed
    question: Which protein does voclosporin block?
    answer: calcineurin
"""


def test_exam_three_answers_typed_in_one_burst(tmp_path: Path, quiz_home: Path) -> None:
    """"aaa⏎bbb⏎ccc⏎" in one read hands in aaa, bbb and ccc: three answers, not one thrice."""
    deck = tmp_path / "typed.yaml"
    deck.write_text(THREE_TYPED, encoding="utf-8")
    t = Tmux(quiz_command(quiz_home, "exam", str(deck), "-n", "3", "--seed", "1"), tmp_path / "status")
    try:
        t.wait_for(r"Question 1 of 3")
        t.send("-l", "aaa\rbbb\rccc\r")
        t.wait_for(r"0/3")
        t.send("q")
        assert t.wait_exit() == 0
    finally:
        t.close()
    p = subprocess.run([sys.executable, "-m", "quiz", "exam", "--history", "--json"], capture_output=True,
                       text=True, timeout=60, env={**os.environ, "QUIZ_HOME": str(quiz_home)})
    assert p.returncode == 0, p.stderr
    questions = json.loads(p.stdout)[0]["detail"]["questions"]
    assert [q["given"] for q in questions] == ["aaa", "bbb", "ccc"]


def test_home_down_enter_in_one_write_opens_the_deck_below(tmp_path: Path, quiz_home: Path) -> None:
    """Down and Enter in one read (tmux writes both at once) open the deck below the one
    highlighted, and a typed answer in the same write reaches that deck's first card."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(TYPED_DECK, encoding="utf-8")
    second.write_text(TYPED_DECK.replace("id: typed", "id: second").replace("Typed deck", "Second deck"),
                      encoding="utf-8")
    env = {**os.environ, "QUIZ_HOME": str(quiz_home)}
    p = subprocess.run([sys.executable, "-m", "quiz", "add", str(first), str(second)], capture_output=True,
                       text=True, timeout=60, env=env)
    assert p.returncode == 0, p.stderr
    t = Tmux(quiz_command(quiz_home), tmp_path / "status")
    try:
        t.wait_for(r"Calcineurin inhibitors(?s:.*)Typed deck(?s:.*)Second deck(?s:.*)All decks")
        t.send("Down", "Enter")  # from the first row (the built-in deck) to "Typed deck"
        t.wait_for(r"Typed deck +2 \+ 0 \+ 0(?s:.*)cyclosporine bind first")
        t.send("C-c")  # home (q would be typed into the answer box)
        t.wait_for(r"All decks")
        t.send("-l", "\x1b[B\rcyclophilin\r")  # down from "Typed deck", enter, an answer, enter
        screen = t.wait_for(r"Second deck +2 \+ 0 \+ 0(?s:.*)✓ right")
        assert "✗" not in screen
        t.send("C-c")
        t.wait_for(r"All decks")
        t.send("C-c")
        assert t.wait_exit() == 0
    finally:
        t.close()
