"""The bottom bar of the review screen: 'Show answer' before the reveal, then the four grades,
each with the interval it would give.

The keys are plain Statics that post a message when clicked, not Buttons: Button's stylesheet is
the largest of any built-in widget and parsing it was a visible part of the first paint. They
never take focus; the keyboard drives the screen's bindings and the mouse clicks.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from quiz.card_state import Rating
from quiz.tui.widgets.repaint import RecurringLine, set_display, show as show_text



class BarKey(RecurringLine):
    """One clickable key of the bar."""

    def on_click(self, event: Click) -> None:
        event.stop()
        bar = next((a for a in self.ancestors if isinstance(a, GradeBar)), None)  # the grades sit in a row of their own
        if bar is not None:
            bar.clicked(self.id or "")


class GradeBar(Horizontal):
    class Graded(Message):
        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    class ShowAnswer(Message):
        pass

    def compose(self) -> ComposeResult:
        yield BarKey(Content("Show answer  [space]"), id="show")
        # The four grades in one row that shows or hides as one: a reveal and a grade each
        # change one widget's display, not four (each change restyles and refreshes it).
        with Horizontal(id="grade-keys"):
            for rating in Rating:
                yield BarKey(id=f"grade-{rating}", classes=f"grade grade-{rating}")

    def on_mount(self) -> None:
        self._show = self.query_one("#show", BarKey)
        self._grades = self.query_one("#grade-keys", Horizontal)
        self._keys = {rating: self.query_one(f"#grade-{rating}", BarKey) for rating in Rating}

    def ask(self, label: str = "Show answer  [space]") -> None:
        """Before the reveal: one key (its label says what space does for this item type)."""
        show_text(self._show, Content(label))
        set_display(self._show, True)
        set_display(self._grades, False)

    def offer(self, labels: dict[int, str], suggested: int) -> None:
        """After the reveal: the four grades with their intervals, the suggested one marked."""
        set_display(self._show, False)
        for rating, key in self._keys.items():
            mark = "▸" if rating == suggested else " "
            show_text(key, Content(f"{mark}{rating} {rating.label} {labels.get(rating, '')}"))
            key.set_class(rating == suggested, "-suggested")
        set_display(self._grades, True)

    def clicked(self, key_id: str) -> None:
        if key_id == "show":
            self.post_message(self.ShowAnswer())
        elif key_id.startswith("grade-"):
            self.post_message(self.Graded(int(key_id.removeprefix("grade-"))))

