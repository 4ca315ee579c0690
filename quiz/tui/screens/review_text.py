"""What the review screen says: the card's kind line, the undo notices and the key legend for
each moment (kept apart from the screen's behaviour in quiz.tui.screens.review)."""

from __future__ import annotations

from quiz.tui.widgets.key_hints import Hints

UNDONE = {"grade": "Grade undone.", "bury": "Bury undone.", "suspend": "Suspend undone."}

TYPE_LABEL = {
    "basic": "basic",
    "reverse": "reverse: name the term this describes",
    "cloze": "cloze: recall what is hidden (no typing), then show it",
    # A pick only shows the result; grading is a second, separate key (see AFTER_REVEAL).
    "choice": "choice: pick one with a-d (or arrows and enter) to see the answer",
    "typed": "typed: type the answer",
    "list": "list: one answer per line, any order",
}
REVERSED_LABEL = "reverse: describe this term"  # a reverse item's second card (term -> description)


# The header line once the answer is out: what enter/space do now (they grade).
AFTER_REVEAL = "enter/space: take the suggested grade (▸), or 1-4"

ALWAYS: Hints = (("-", "bury"), ("!", "suspend"), ("u", "undo"), ("e", "source"), ("?", "help"), ("q", "home"))
# In a narrow terminal (60 columns) these give way first, in this order: the rarest actions,
# so the key for now, help (which lists every key) and home stay on the line.
DROP_FIRST = ("suspend", "bury", "source", "undo")


def kind_label(item_type: str, ord: int) -> str:
    return REVERSED_LABEL if item_type == "reverse" and ord else TYPE_LABEL.get(item_type, item_type)


def hints(kind: str | None, *, typing: bool, revealed: bool) -> Hints:
    """The keys that do something now, in 80 columns (the full list is on the help screen):
    ``kind`` is the card's item type (None: no card), ``typing`` whether the focus is in its
    answer box."""
    if kind is None:
        return ()
    if typing:
        check = ("enter", "check") if kind == "typed" else ("ctrl+s", "check")
        return (check, ("ctrl+z", "undo"), ("ctrl+e", "source"), ("esc", "more keys"))
    now: Hints
    if revealed:
        # enter/space take the suggested grade (marked ▸); `o` (typed) is named on the
        # verdict line itself, which keeps this line inside 80 columns.
        now = (("enter/spc", "▸"), ("1-4", "grade"))
    elif kind in ("typed", "list"):  # esc took the focus out of the box
        now = (("tab", "type"), ("enter" if kind == "typed" else "ctrl+s", "check"))
    else:
        now = {"choice": (("a-d", "pick"),)}.get(kind, (("spc", "show answer"),))
    return now + ALWAYS
