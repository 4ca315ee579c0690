"""Browse screen: search every item by text or tag, see its card and history, (un)suspend it,
unbury it.

All items are loaded once (in a worker) into plain rows with a lower-cased search text; each
keystroke filters those rows in memory and renders at most MAX_ROWS of them, so a deck of
100,000 items stays responsive. Rows, details and history come from the app's Collection
(browse_rows, card_detail).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from quiz.collection import BrowseRow, Collection, haystack
from quiz.decks.hierarchy import short_name
from quiz.decks.model import Deck
from quiz.errors import QuizError
from quiz.tui.host import host
from quiz.tui.widgets.carddetail import describe_card, describe_history, local_date
from quiz.tui.widgets.key_gate import HoldsKeysAfter, release_keys
from quiz.tui.widgets.row_table import RowTable

__all__ = ["MAX_ROWS", "BrowseRow", "BrowseScreen", "Query", "filter_rows", "haystack", "parse_query"]

MAX_ROWS = 200


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    states: tuple[str, ...] = ()  # a state, "suspended" or "due"


def parse_query(text: str) -> Query:
    """`tag:x` or `#x` match tags, `deck:x` deck ids and names, `is:new|learning|review|relearning|
    suspended|buried|due` the card; other words must all appear in the item's text."""
    words: list[str] = []
    tags: list[str] = []
    decks: list[str] = []
    states: list[str] = []
    for token in text.lower().split():
        if token.startswith("#") and len(token) > 1:
            tags.append(token[1:])
        elif token.startswith("tag:") and len(token) > 4:
            tags.append(token[4:])
        elif token.startswith("deck:") and len(token) > 5:
            decks.append(token[5:])
        elif token.startswith("is:") and len(token) > 3:
            states.append(token[3:])
        else:
            words.append(token)
    return Query(tuple(words), tuple(tags), tuple(decks), tuple(states))


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def one_line(text: str) -> str:
    return " ".join(text.split())


def _state_test(want: str, now: datetime) -> Callable[[BrowseRow], bool]:
    if want == "suspended":
        return lambda r: r.suspended
    if want == "buried":
        return lambda r: r.buried
    if want == "due":
        return lambda r: not r.suspended and r.state != "new" and r.due is not None and r.due <= now
    return lambda r: r.state == want


def filter_rows(rows: list[BrowseRow], text: str, now: datetime, limit: int = MAX_ROWS) -> tuple[list[BrowseRow], int]:
    """The first `limit` rows matching `text`, and how many match in all.

    One list comprehension per search term, each over what the previous terms left: about
    10 ms a term over 100,000 items, so filtering on every keystroke stays smooth.
    """
    q = parse_query(text)
    hits = rows
    for word in q.words:
        hits = [r for r in hits if word in r.haystack]
    for tag in q.tags:
        needle = "\n" + tag  # a tag term matches the tags it begins: #vocl finds "voclosporin"
        hits = [r for r in hits if needle in r.tagline]
    for deck in q.decks:
        # the deck's id or its name as home shows it ("deck:pharmacology" takes its sub-decks)
        names = {r.deck_id: r.deck_name for r in hits}
        ids = {i for i, name in names.items() if deck in i.lower() or deck in name.lower()}
        hits = [r for r in hits if r.deck_id in ids]
    for want in q.states:
        test = _state_test(want, now)
        hits = [r for r in hits if test(r)]
    return hits[:limit], len(hits)


class SearchBox(HoldsKeysAfter, Input):
    """The search box: its Enter and its down arrow move the focus to the results, and keys
    typed after them go there (Textual moves the focus later, after keys already queued)."""

    HOLD_AFTER = frozenset({"enter", "down"})


class ResultTable(RowTable):
    """The results: "/" moves the focus to the search box, Enter to the details; keys typed
    after them go there."""

    HOLD_AFTER = frozenset({"slash", "enter"})


class BrowseScreen(Screen):
    """Every item of the loaded decks, searchable, with the highlighted one's card and history."""

    CSS_PATH = "browse.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend"),
        Binding("x", "unbury", "Unbury"),
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("down", "focus_table", "Results", show=False),
    ]

    def __init__(self, *, query: str = "") -> None:
        super().__init__()
        self._initial_query = query
        self.rows: list[BrowseRow] = []
        self.shown: list[BrowseRow] = []
        self.matched = 0
        self._deck_width = 10

    @property
    def collection(self) -> Collection:
        return host(self).collection

    def compose(self) -> ComposeResult:
        yield SearchBox(
            self._initial_query, id="browse-search",
            placeholder="Search text · #tag · deck:name · is:new|learning|review|due|buried|suspended",
        )
        yield Static("Loading the decks…", id="browse-status", markup=False)
        yield ResultTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="browse-detail"):
            yield Static("", id="browse-card")
        yield Footer()

    def on_mount(self) -> None:
        self._add_columns(self.collection.decks)
        self._load(self.collection)

    def on_screen_resume(self) -> None:
        # The search box has the focus now (Textual's auto-focus, just before this handler):
        # keys typed right after home's `b` go there (home holds them, see DeckTable).
        release_keys(self.app)

    def _add_columns(self, decks: list[Deck]) -> None:
        # Fixed widths, 78 columns with one cell of padding each side (80 less the scroll bar):
        # a cell that changes later cannot push the table wider. The deck column takes what its
        # names need, at most 10 (the details below show the full name); the question (what a
        # user recognises; the id is in the details) gets the rest.
        deck_width = max(4, min(max((len(d.name) for d in decks), default=4), 10))
        self._deck_width = deck_width
        table = self.query_one(DataTable)
        for key, label, width in (("deck", "Deck", deck_width), ("item", "Question", 41 - deck_width),
                                  ("type", "Type", 7), ("state", "State", 10), ("due", "Due", 10)):
            table.add_column(label, key=key, width=width)

    @work(thread=True, exclusive=True, group="browse-load")
    def _load(self, collection: Collection) -> None:
        try:
            with collection.in_thread() as own:  # SQLite: this thread's own connection
                rows = own.browse_rows()
        except QuizError as exc:  # a broken store: one clear line, no crash
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, rows)

    def _failed(self, message: str) -> None:
        if not self.is_attached:  # left before the worker finished
            return
        self.query_one("#browse-status", Static).update(message)
        self.notify(message, title="Cannot browse", severity="error", markup=False)

    def _loaded(self, rows: list[BrowseRow]) -> None:
        if not self.is_attached:  # left before the worker finished
            return
        self.rows = rows
        self.refilter()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.rows or event.value:
            self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_focus_table()

    def refilter(self) -> None:
        text = self.query_one(Input).value
        self.shown, self.matched = filter_rows(self.rows, text, self.collection.now())
        table = self.query_one(DataTable)
        table.clear()
        for row in self.shown:
            table.add_row(  # deck text as Content: shown as written, never parsed as markup
                Content(short_name(row.deck_name, self._deck_width)),  # "…::Chapter 2" for a sub-deck
                Content(clip(one_line(row.item.prompt), 41 - self._deck_width)),
                row.item.type, row.shown_state,
                local_date(row.due) if row.state != "new" else "—", key=row.key,
            )
        status = f"{self.matched:,} of {len(self.rows):,} items"
        if self.matched > len(self.shown):
            status += f" · first {len(self.shown)} shown, narrow the search to see more"
        self.query_one("#browse-status", Static).update(status)
        if self.shown:
            self.show_detail(self.shown[0])
        else:
            self.query_one("#browse-card", Static).update(
                "No item matches." if self.rows else "No items in the loaded decks."
            )

    def current(self) -> BrowseRow | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.current()
        if row is not None:
            self.show_detail(row)

    def show_detail(self, row: BrowseRow) -> None:
        try:
            detail = self.collection.card_detail(row.deck_id, row.item)
        except QuizError as exc:
            self.notify(str(exc), severity="error", markup=False)
            text = Content("\n\n").join([describe_card(row.deck_name, row.item, None, self.collection.now()),
                                           describe_history(())])
        else:
            text = Content("\n\n").join([
                describe_card(row.deck_name, row.item, detail.info, self.collection.now(), detail.fact),
                describe_history(detail.history),
            ])
        self.query_one("#browse-card", Static).update(text)  # Content: deck text is never markup

    def action_toggle_suspend(self) -> None:
        row = self.current()
        if row is None:
            self.notify("No item selected.", severity="warning")
            return
        suspended = not row.suspended
        try:
            self.collection.set_suspended(row.deck_id, row.item.id, suspended, row.item.ord)
        except QuizError as exc:
            self.notify(str(exc), title="Not changed", severity="error", markup=False)
            return
        self._replace_row(row, replace(row, suspended=suspended))
        verb = "Suspended" if suspended else "Unsuspended"
        self.notify(f"{verb} {escape(row.item.id)}.")

    def action_unbury(self) -> None:
        """Bring a buried card back today (bury in review hides it until the next study day)."""
        row = self.current()
        if row is None:
            self.notify("No item selected.", severity="warning")
            return
        if not row.buried:
            self.notify(f"{escape(row.item.id)} is not buried.", severity="warning")
            return
        try:
            self.collection.unbury(row.deck_id, row.item.id, row.item.ord)
        except QuizError as exc:
            self.notify(str(exc), title="Not changed", severity="error", markup=False)
            return
        self._replace_row(row, replace(row, buried=False))
        self.notify(f"Unburied {escape(row.item.id)}.")

    def _replace_row(self, row: BrowseRow, updated: BrowseRow) -> None:
        """Show a changed card in the table, the details and later searches."""
        self.rows[self.rows.index(row)] = updated
        self.shown[self.shown.index(row)] = updated
        self.query_one(DataTable).update_cell(row.key, "state", updated.shown_state)
        self.show_detail(updated)

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()
        release_keys(self.app)  # after the focus has moved (both wait their turn in the app)

    def action_focus_table(self) -> None:
        if self.query_one(Input).has_focus:
            self.query_one(DataTable).focus()
        release_keys(self.app)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#browse-detail").focus()  # enter: read (and scroll) the details
        release_keys(self.app)

    def action_back(self) -> None:
        detail = self.query_one("#browse-detail")
        if detail.has_focus:  # out of the details first, then out of the screen
            self.query_one(DataTable).focus()
            return
        self.dismiss()
