"""Mixin for a screen whose widgets stay for its whole life (the review screen): each looked up
once, and the ones few cases need mounted the first time one does.

query_one walks the widget tree at every call, a dozen times per grade on the review screen;
each widget mounted before the first card is painted costs start-up time. Put it before the
screen class in the bases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual.widget import Widget

W = TypeVar("W", bound=Widget)


class Parts:
    # The parts mounted on first use (``_extra``): id -> (how to make one, given its id; the
    # part it goes after).
    EXTRAS: ClassVar[dict[str, tuple[Callable[[str], Widget], str]]] = {}

    def _found(self) -> dict[Any, Widget]:
        screen: Any = self
        return screen.__dict__.setdefault("_parts", {})  # type: ignore[no-any-return]

    def _part(self, selector: str | type[W], expect: type[W] | None = None) -> W:
        """One of the widgets of compose(), looked up once."""
        found = self._found()
        part = found.get(selector)
        if part is None:
            screen: Any = self
            part = found[selector] = screen.query_one(selector, expect)
        return part  # type: ignore[return-value]

    def _extra(self, part_id: str, create: bool = True) -> Any:
        """One of the parts few cases need (``EXTRAS``), mounted the first time one does. None
        while it is not mounted and ``create`` is false (there is nothing of it to hide or read)."""
        found = self._found()
        part = found.get(part_id)
        if part is None and create:
            make, after = self.EXTRAS[part_id]
            part = found[part_id] = make(part_id)
            anchor = self._part(after)
            anchor.parent.mount(part, after=anchor)  # type: ignore[union-attr]
        return part
