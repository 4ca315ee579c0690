"""A deck cannot drive the terminal (issue 12, point 6): the real `quiz study` in tmux shows a
deck whose text sets the window title (OSC 2, terminated by ST or BEL), renames the tmux window
and writes the clipboard (OSC 52); afterwards the pane title, window name and tmux buffers are
what they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from test_e2e_tmux import Tmux, quiz_command

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

TITLE_DECK = r"""deck:
  id: titles
  name: "Titles \e]2;PWNED-NAME\e\\ deck"
items:
  - id: one
    type: basic
    question: "First \e]2;PWNED-Q\e\\ \ekPWNWIN\e\\ \e]0;PWNED-BEL\a question?"
    answer: "Answer \e]52;c;UFdORUQ=\a \x9b2J one"
  - id: two
    type: basic
    question: "Second question?"
    answer: "two"
"""


def test_a_deck_cannot_set_the_title_or_the_clipboard(tmp_path: Path, quiz_home: Path) -> None:
    deck = tmp_path / "titles.yaml"
    deck.write_text(TITLE_DECK, encoding="utf-8")
    t = Tmux(quiz_command(quiz_home, "study", str(deck)), tmp_path / "status")
    try:
        t.tmux("set-option", "-g", "allow-rename", "on")  # let a program rename the window, as many do
        t.tmux("set-option", "-g", "set-clipboard", "on")
        t.tmux("set-option", "-g", "automatic-rename", "off")  # the window name changes only if told to
        before = t.tmux("display-message", "-p", "-t", "t", "#{pane_title}|#{window_name}")
        t.wait_for(r"First")
        t.wait_for(r"show answer")  # the whole card painted
        after = t.tmux("display-message", "-p", "-t", "t", "#{pane_title}|#{window_name}")
        assert "PWN" not in after and after == before
        assert "\u241b]2;PWNED-Q" in t.screen()  # shown as text instead
        t.send("Space")
        t.wait_for(r"Answer")
        after = t.tmux("display-message", "-p", "-t", "t", "#{pane_title}|#{window_name}")
        assert "PWN" not in after and after == before
        buffers = t.tmux("list-buffers", "-F", "#{buffer_sample}")
        assert "PWNED" not in buffers
        t.send("q")
        t.wait_for(r"reviewed|Deck")
        t.send("q")
        assert t.wait_exit() == 0
    finally:
        t.close()
