"""HangUpExit: a quiz app ends, cleanly, when its terminal goes away (see quiz.tui.driver)."""

from __future__ import annotations

import sys
from typing import Any

from textual.driver import Driver

from quiz.errors import TerminalGone


class HangUpExit:
    """Mixin for a Textual App (put it before ``App`` in the bases)."""

    def get_driver_class(self) -> type[Driver]:
        driver: type[Driver] = super().get_driver_class()  # type: ignore[misc]
        if sys.platform == "win32":
            return driver
        # why: Textual imports its Linux driver (termios) only where it runs, so do we
        from quiz.tui.driver import QuizDriver

        # Only where Textual would use its own (not a TEXTUAL_DRIVER the user or a test chose).
        return QuizDriver if driver in QuizDriver.__bases__ else driver

    def on_terminal_hung_up(self) -> None:
        """Exit as after a quit: each grade is in the store already, and whatever was on screen
        is let go the usual way (an exam's result screen records its sitting as it goes)."""
        app: Any = self
        # After the next paint: an exit while the first screen's widgets are still being mounted
        # (input at EOF from the start, `quiz < /dev/null`) stops them halfway, with a traceback.
        app.call_after_refresh(app.exit, None, TerminalGone.exit_code)
