"""A one-line progress bar: one Static, no child widgets or timers (Textual's ProgressBar has
three children and a clock, all on the way to the first card)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class ProgressLine(Static):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.done = 0
        self.total = 1

    def set(self, done: int, total: int) -> None:
        if (done, max(total, 1)) != (self.done, self.total):
            self.done, self.total = done, max(total, 1)
            self.refresh()

    def render(self) -> Content:
        width = max(self.content_region.width, 1)
        filled = min(width, round(width * self.done / self.total))
        return Content.assemble(("━" * filled, "$primary"), ("━" * (width - filled), "$surface-lighten-2"))
