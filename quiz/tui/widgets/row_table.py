"""A DataTable whose Enter keeps the keys typed after it in order (quiz.tui.widgets.key_gate).
Apart from the gate: DataTable is a heavy import, and the study screen needs none."""

from __future__ import annotations

from textual.widgets import DataTable

from quiz.tui.widgets.key_gate import HoldsKeysAfter, release_keys


class RowTable(HoldsKeysAfter, DataTable):  # type: ignore[type-arg]
    """A row-cursor DataTable whose Enter (a row selected, handled through a message) is
    finished before any key typed after it; its RowSelected handler calls ``release_keys``."""

    def action_select_cursor(self) -> None:
        if not self.row_count:
            release_keys(self.app)  # no row: no message, nobody else releases
        super().action_select_cursor()
