"""Changing a Static's text with no more screen work than the change needs.

``Static.update`` asks for a layout of the whole screen every time (a Static's height is
auto), and a refresh even when the text is the same. On the review screen, grade -> next card
updates a dozen widgets, and those layout passes and repaints cost more than the card itself.
Here an identical text costs nothing, and a text that takes the same room at the widget's
width (same lines, same width when that is auto) is only repainted.
"""

from __future__ import annotations

from typing import Any

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


class KeptLines:
    """Mixin for a one-line widget whose few looks come back again and again (the key legend,
    the grade bar): each look's rendered line is kept, so showing it again costs no render (the
    legend, with its many styled keys, took longer to render than the card's question). Put it
    before the widget class in the bases; ``look`` says what the line shows."""

    KEEP = 8  # looks kept per widget; they are a handful of states

    def look(self) -> object | None:
        """What the line shows, hashable; None when it cannot be kept (rendered every time)."""
        raise NotImplementedError

    def render_line(self, y: int) -> Strip:
        widget: Any = self
        look = self.look()
        if look is None:
            return widget._render_line_now(y)  # type: ignore[no-any-return]
        # Everything the line's look depends on besides its content: its size and CSS style,
        # and the theme (the colour variables of its spans).
        key = (look, y, widget.size, widget.visual_style, widget.app.theme)
        lines: dict[object, Strip] = widget.__dict__.setdefault("_kept_lines", {})
        line = lines.get(key)
        if line is None:
            line = widget._render_line_now(y)
            if len(lines) >= self.KEEP:
                lines.pop(next(iter(lines)))
            lines[key] = line
        return line

    def _render_line_now(self, y: int) -> Strip:
        return super().render_line(y)  # type: ignore[misc, no-any-return]


class RecurringLine(KeptLines, Static):
    """A one-line Static whose few texts come back again and again (see KeptLines)."""

    def look(self) -> object | None:
        visual = self.visual
        return (visual.plain, tuple(visual.spans)) if isinstance(visual, Content) else None


def set_display(widget: Widget, shown: bool) -> None:
    """Show or hide ``widget``; nothing when it is so already (setting ``display``, even to the
    value it has, restyles and refreshes the widget)."""
    if widget.display != shown:
        widget.display = shown

