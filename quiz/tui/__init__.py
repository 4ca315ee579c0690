"""The Textual study app. Only this package (and quiz/commands/study.py) imports Textual."""

import os

# Textual paints at most MAX_FPS times a second (default 60), so a change waits up to 16 ms for
# its frame; 120 halves that floor on the grade -> next card path. Only read when Textual is
# first imported, and a user's own TEXTUAL_FPS wins.
os.environ.setdefault("TEXTUAL_FPS", "120")

from quiz.tui.guard import install as _install_guard  # noqa: E402  (after TEXTUAL_FPS is set)

_install_guard()
