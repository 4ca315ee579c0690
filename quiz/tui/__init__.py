"""The Textual study app. Only this package (and quiz/commands/study.py) imports Textual."""

import os

# Textual paints at most MAX_FPS times a second (default 60): a change waits for the next tick
# of a 1/MAX_FPS grid, up to 16 ms, when it comes soon after the last frame (a grade right after
# the reveal). At 240 that wait is under 4 ms, about what painting the review screen costs, so
# frames still cannot come faster than the CPU paints them. Nothing else changes: the timer
# sleeps while nothing is dirty (no idle CPU), animations keep their own 60 fps clock; only
# bursts of input (mouse moves, key repeat) and Textual's drag-select auto-scroll (a 1/MAX_FPS
# timer) paint more often. Read when Textual is first imported; a user's own TEXTUAL_FPS wins.
os.environ.setdefault("TEXTUAL_FPS", "240")

from quiz.tui.guard import install as _install_guard  # noqa: E402  (after TEXTUAL_FPS is set)

_install_guard()
