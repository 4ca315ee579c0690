"""The bottom bar of the review screen: 'Show answer' before the reveal, then the four grades,
each with the interval it would give.

One widget draws every key of the bar (one line: the keys share its width, a space of margin
around each) and finds the key under a click from its column. A widget per key, as Buttons or
Statics in a row would be, cost about a millisecond of start-up each (mount, style, layout) for
what is one line of text. The keys never take focus; the keyboard drives the screen's bindings
and the mouse clicks here.
"""

from __future__ import annotations

from textual.content import Content
from textual.events import Click, Leave, MouseMove
from textual.message import Message
from textual.widget import Widget

from quiz.card_state import Rating
from quiz.tui.widgets.repaint import KeptLines

SHOW = "show"
# Each key's colour, as Anki's buttons: Again red, Hard amber, Good green, Easy blue.
BACKGROUND = {SHOW: "$primary", "grade-1": "$error", "grade-2": "$warning", "grade-3": "$success", "grade-4": "$primary"}
GAP = 1  # blank columns before, between and after the keys


class GradeBar(KeptLines, Widget):
    class Graded(Message):
        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    class ShowAnswer(Message):
        pass

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        # (key id, label, the label where the key is too narrow for it)
        self.keys: tuple[tuple[str, str, str], ...] = ((SHOW, "Show answer  [space]", "Show"),)
        self.suggested: str | None = None
        self.hovered: str | None = None

    def ask(self, label: str = "Show answer  [space]") -> None:
        """Before the reveal: one key (its label says what space does for this item type)."""
        self._set(((SHOW, label, label.split()[0]),), None)

    def offer(self, labels: dict[int, str], suggested: int) -> None:
        """After the reveal: the four grades with their intervals, the suggested one marked."""
        keys = tuple(
            (f"grade-{r}", f"{mark}{r} {r.label} {labels.get(r, '')}", f"{mark}{r} {labels.get(r, '')}")
            for r in Rating
            for mark in ("▸" if r == suggested else " ",)
        )
        self._set(keys, f"grade-{suggested}")

    def _set(self, keys: tuple[tuple[str, str, str], ...], suggested: str | None) -> None:
        if (keys, suggested) != (self.keys, self.suggested):
            self.keys, self.suggested = keys, suggested
            self.refresh()  # one line, same size: no layout

    def look(self) -> object:
        return (self.keys, self.suggested, self.hovered)  # the bar's few looks come back card after card

    @property
    def showing(self) -> tuple[str, ...]:
        """The ids of the keys on the bar now ("show", or "grade-1" to "grade-4")."""
        return tuple(key for key, *_ in self.keys)

    def spans(self, width: int | None = None) -> list[tuple[int, int, str]]:
        """(first column, end column, key id) of each key at ``width`` (the bar's own by default):
        equal shares, the odd columns to the last keys (as Textual shares 1fr)."""
        width = self.size.width if width is None else width
        n = len(self.keys)
        share, odd = divmod(max(0, width - GAP * (n + 1)), n)
        out, x = [], GAP
        for i, (key, *_) in enumerate(self.keys):
            w = share + (1 if i >= n - odd else 0)
            out.append((x, x + w, key))
            x += w + GAP
        return out

    def render(self) -> Content:
        labels = {key: (label, short) for key, label, short in self.keys}
        parts: list[str | tuple[str, str]] = []
        x = 0
        for start, end, key in self.spans():
            style = f"bold $text on {BACKGROUND[key]}"
            if key == self.suggested:
                style += " underline"
            if key == self.hovered:
                style += " reverse"
            label, short = labels[key]
            label = (label if len(label) <= end - start else short)[: end - start]  # the interval over the word
            left = (end - start - len(label)) // 2  # as content-align: center (str.center differs)
            parts += [" " * (start - x), ((" " * left + label).ljust(end - start), style)]
            x = end
        return Content.assemble(*parts)

    def key_at(self, x: int) -> str | None:
        return next((key for start, end, key in self.spans() if start <= x < end), None)

    def on_click(self, event: Click) -> None:
        event.stop()
        key = self.key_at(event.x)
        if key == SHOW:
            self.post_message(self.ShowAnswer())
        elif key is not None:
            self.post_message(self.Graded(int(key.removeprefix("grade-"))))

    def on_mouse_move(self, event: MouseMove) -> None:
        self._hover(self.key_at(event.x))

    def on_leave(self, _: Leave) -> None:
        self._hover(None)

    def _hover(self, key: str | None) -> None:
        if key != self.hovered:
            self.hovered = key
            self.refresh()
