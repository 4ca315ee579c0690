"""The bottom bar of the review screen: 'Show answer' before the reveal, then the four grades,
each with the interval it would give."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button

GRADES: tuple[tuple[int, str, str], ...] = (
    (1, "Again", "error"),
    (2, "Hard", "warning"),
    (3, "Good", "success"),
    (4, "Easy", "primary"),
)


class GradeBar(Horizontal):
    """Buttons never take focus: the keyboard drives the screen's bindings, the mouse clicks."""

    class Graded(Message):
        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    class ShowAnswer(Message):
        pass

    def compose(self) -> ComposeResult:
        show = Button(Content("Show answer  [space]"), id="show", variant="primary", compact=True)
        show.can_focus = False
        yield show
        for rating, label, variant in GRADES:
            b = Button(label, id=f"grade-{rating}", variant=variant, classes="grade", compact=True)
            b.can_focus = False
            yield b

    def ask(self, label: str = "Show answer  [space]") -> None:
        """Before the reveal: one button (its label says what space does for this item type)."""
        show = self.query_one("#show", Button)
        show.label = Content(label)
        show.display = True
        for b in self.query(".grade"):
            b.display = False

    def offer(self, labels: dict[int, str], suggested: int) -> None:
        """After the reveal: the four grades with their intervals, the suggested one marked."""
        self.query_one("#show", Button).display = False
        for rating, name, _ in GRADES:
            b = self.query_one(f"#grade-{rating}", Button)
            mark = "▸" if rating == suggested else " "
            b.label = Content(f"{mark}{rating} {name} {labels.get(rating, '')}")
            b.set_class(rating == suggested, "-suggested")
            b.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "show":
            self.post_message(self.ShowAnswer())
        elif event.button.id and event.button.id.startswith("grade-"):
            self.post_message(self.Graded(int(event.button.id.removeprefix("grade-"))))
