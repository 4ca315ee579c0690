"""Changing a Static's text with no more screen work than the change needs.

``Static.update`` asks for a layout of the whole screen every time (a Static's height is
auto), and a refresh even when the text is the same. On the review screen, grade -> next card
updates a dozen widgets, and those layout passes and repaints cost more than the card itself.
Here an identical text costs nothing, and a text that takes the same room at the widget's
width (same lines, same width when that is auto) is only repainted.
"""

from __future__ import annotations

from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static


def same_content(a: object, b: Content) -> bool:
    """Content's ``==`` compares the plain text only: a change of style would be missed."""
    return isinstance(a, Content) and a.plain == b.plain and a.spans == b.spans


def show(widget: Static, content: Content) -> None:
    """Put ``content`` in ``widget``: nothing if it is already there, no layout if it fits the
    same room."""
    old = widget.visual
    if same_content(old, content):
        return
    widget.update(content, layout=not (isinstance(old, Content) and _same_room(widget, old, content)))


def _same_room(widget: Static, old: Content, new: Content) -> bool:
    """True when ``new`` needs the room ``old`` has now. False whenever that cannot be known
    (not laid out yet, hidden), which costs a layout, never a wrong size."""
    if not widget.is_mounted or not widget.display:
        return False
    width = widget.content_size.width
    if width <= 0:
        return False
    styles = widget.styles
    if styles.width is None or styles.width.is_auto:
        if old.get_optimal_width(styles, width) != new.get_optimal_width(styles, width):
            return False
    if styles.height is None or styles.height.is_auto:
        if old.get_height(styles, width) != new.get_height(styles, width):
            return False
    return True


class RecurringLine(Static):
    """A one-line Static whose few texts come back again and again (the key legend, the bar's
    Show answer key): each text's rendered line is kept, so showing it again costs no render
    (the legend, with its many styled keys, took longer to render than the card's question)."""

    KEEP = 8  # texts kept per widget; they are a handful of states

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._lines: dict[object, Strip] = {}

    def render_line(self, y: int) -> Strip:
        visual = self.visual
        if not isinstance(visual, Content):
            return super().render_line(y)
        # Everything the line's look depends on: its text and styles, its size and CSS style,
        # and the theme (the colour variables of its spans).
        key = (visual.plain, tuple(visual.spans), y, self.size, self.visual_style, self.app.theme)
        line = self._lines.get(key)
        if line is None:
            line = super().render_line(y)
            if len(self._lines) >= self.KEEP:
                self._lines.pop(next(iter(self._lines)))
            self._lines[key] = line
        return line


def set_display(widget: Widget, shown: bool) -> None:
    """Show or hide ``widget``; nothing when it is so already (setting ``display``, even to the
    value it has, restyles and refreshes the widget)."""
    if widget.display != shown:
        widget.display = shown

