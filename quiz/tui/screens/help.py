"""Keys, for every screen of the study app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Home", (
        ("enter", "study the highlighted deck (or all decks)"),
        ("up/down", "move between decks; a click works too"),
        ("s", "statistics"),
        ("b", "browse items (search, suspend, details)"),
        (",", "settings"),
        ("e", "exam: a self-test that never touches the schedule"),
        ("u", "undo the last study step, back to that card"),
        ("ctrl+t", "light / dark theme;  ctrl+p: command palette"),
        ("q, ctrl+c", "quit (ctrl+c elsewhere: back home first)"),
    )),
    ("Review", (
        ("space, enter", "show the answer; once shown, take the suggested ▸ grade"),
        ("1 2 3 4", "Again / Hard / Good / Easy (shown with their intervals)"),
        ("a-d, arrows", "choice: pick one (shows the result; grading is next)"),
        ("enter", "typed: check what you typed"),
        ("ctrl+s", "list: check your lines (one answer per line, any order)"),
        ("o", "typed: override the verdict (count it right / wrong)"),
        ("u, ctrl+z", "undo the last grade, bury or suspend"),
        ("-  /  !", "bury until tomorrow / suspend"),
        ("e, ctrl+e", "where the card comes from (fact, source section)"),
        ("esc", "typed/list: leave the answer box (then u - ! e work)"),
        ("pgdn, pgup", "scroll a long card (a checked list's detail)"),
        ("q, esc", "back home (every grade is already saved)"),
    )),
    ("Browse", (
        ("s", "suspend / unsuspend the highlighted item"),
        ("x", "unbury it (bring a buried card back today)"),
    )),
)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark,enter,space", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        parts: list[str | tuple[str, str]] = []
        for title, keys in SECTIONS:
            parts += [(title, "bold underline"), "\n"]
            for key, what in keys:
                parts += [(f"  {key:<13}", "bold $accent"), what, "\n"]
            parts.append("\n")
        parts.append(("esc to close", "$text-muted"))
        with VerticalScroll(id="help-box"):
            yield Static(Content.assemble(*parts))
