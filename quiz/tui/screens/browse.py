"""Browse screen: search every item by text or tag, see its card and history, (un)suspend it,
unbury it.

All items are loaded once (in a worker) into plain rows with a lower-cased search text; each
keystroke filters those rows in memory and renders at most MAX_ROWS of them, so a deck of
100,000 items stays responsive. The highlighted row's details and history are read from the
store on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from quiz.errors import QuizError
from quiz.decks.model import Deck, Item
from quiz.tui.widgets import appdata
from quiz.tui.widgets.carddetail import card_briefs, describe_card, describe_history, local_date

MAX_ROWS = 200


@dataclass(frozen=True)
class BrowseRow:
    deck_id: str
    deck_name: str
    item: Item
    state: str  # new | learning | review | relearning
    due: datetime | None
    suspended: bool
    haystack: str  # lower-cased text the free words are searched in
    tagline: str  # "\ntag1\ntag2", lower-cased: a tag prefix test is one substring search
    buried: bool = False  # set aside until the next study day (bury in review)

    @property
    def key(self) -> str:
        ord = self.item.ord
        return f"{self.deck_id}/{self.item.id}#{ord}" if ord else f"{self.deck_id}/{self.item.id}"

    @property
    def shown_state(self) -> str:
        return "suspended" if self.suspended else "buried" if self.buried else self.state


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    states: tuple[str, ...] = ()  # a state, "suspended" or "due"


def parse_query(text: str) -> Query:
    """`tag:x` or `#x` match tags, `deck:x` deck ids, `is:new|learning|review|relearning|
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


def haystack(deck: Deck, item: Item) -> str:
    parts: Iterable[str | None] = (
        item.id, item.question, item.answer, item.text, *item.answers, *item.accept,
        *item.distractors, *item.tags, item.fact, item.source, deck.id,
    )
    return "\n".join(p for p in parts if p).lower()


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
        hits = [r for r in hits if deck in r.deck_id.lower()]
    for want in q.states:
        test = _state_test(want, now)
        hits = [r for r in hits if test(r)]
    return hits[:limit], len(hits)


def load_rows(store: Any, decks: list[Deck], now: datetime | None = None) -> list[BrowseRow]:
    """One row per card of the decks (a reverse item has two, a cloze one per cN, as in study),
    with its state from the store (buried = set aside past ``now``)."""
    rows: list[BrowseRow] = []
    for deck in decks:
        store.sync_deck(deck)  # a row for every card, so any card can be suspended
        infos = card_briefs(store, deck)
        for item in deck.items:
            text = haystack(deck, item)
            tagline = "".join("\n" + t.lower() for t in item.tags)
            for card in item.cards():
                info = infos.get((card.id, card.ord))
                rows.append(BrowseRow(
                    deck_id=deck.id, deck_name=deck.name, item=card,
                    state=getattr(info, "state", "new") or "new",
                    due=getattr(info, "due", None),
                    suspended=bool(getattr(info, "suspended", False)),
                    haystack=text,
                    tagline=tagline,
                    buried=bool(now and info and info.buried_until and info.buried_until > now),
                ))
    return rows


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

    def __init__(
        self,
        *,
        store_path: Path | None = None,
        decks: list[Deck] | None = None,
        clock: Callable[[], datetime] | None = None,
        query: str = "",
    ) -> None:
        super().__init__()
        self._given = (store_path, decks, clock)
        self._initial_query = query
        self.rows: list[BrowseRow] = []
        self.shown: list[BrowseRow] = []
        self.matched = 0
        self.store: Any = None
        self._own_store = False  # opened here (closed on unmount), or the app's
        self._deck_width = 10
        self.data: appdata.AppData | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            self._initial_query, id="browse-search",
            placeholder="Search text · #tag · deck:id · is:new|learning|review|due|buried|suspended",
        )
        yield Static("Loading the decks…", id="browse-status", markup=False)
        yield DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="browse-detail"):
            yield Static("", id="browse-card")
        yield Footer()

    def on_mount(self) -> None:
        store_path, decks, clock = self._given
        try:
            self.data = appdata.resolve(self.app, store_path, decks, clock)
            from quiz.storage.store import Store

            app_store = getattr(self.app, "store", None)
            if isinstance(app_store, Store) and app_store.path == self.data.store_path:
                self.store = app_store
            else:
                self.store = Store.open(self.data.store_path, auto_backup=False)
                self._own_store = True
        except QuizError as exc:  # broken deck file or store: one clear line, no crash
            self._failed(str(exc))
            return
        self._add_columns(self.data.decks)
        self._load(self.data)

    def on_unmount(self) -> None:
        if self.store is not None and self._own_store:
            self.store.close()
        self.store = None

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
    def _load(self, data: appdata.AppData) -> None:
        from quiz.storage.store import Store

        try:
            store = Store.open(data.store_path, auto_backup=False)  # this thread's own connection
            try:
                rows = load_rows(store, data.decks, data.clock())
            finally:
                store.close()
        except QuizError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, rows)

    def _failed(self, message: str) -> None:
        if not self.is_attached:  # left before the worker finished
            return
        self.query_one("#browse-status", Static).update(message)
        self.notify(message, title="Cannot browse", severity="error")

    def _loaded(self, rows: list[BrowseRow]) -> None:
        if not self.is_attached:  # left before the worker finished
            return
        self.rows = rows
        self.refilter()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.data is not None and (self.rows or event.value):
            self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_focus_table()

    def refilter(self) -> None:
        assert self.data is not None
        text = self.query_one(Input).value
        self.shown, self.matched = filter_rows(self.rows, text, self.data.clock())
        table = self.query_one(DataTable)
        table.clear()
        for row in self.shown:
            table.add_row(
                clip(row.deck_name, self._deck_width), clip(one_line(row.item.prompt), 41 - self._deck_width),
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
        if self.store is None:
            return
        try:
            info = self.store.card_info(row.deck_id, row.item.id, row.item.ord)
            history = self.store.history(row.deck_id, row.item.id, row.item.ord)
        except QuizError as exc:
            info, history = None, []
            self.notify(str(exc), severity="error")
        text = describe_card(row.deck_name, row.item, info, self.data.clock() if self.data else None) + "\n\n" + describe_history(history)
        self.query_one("#browse-card", Static).update(text)

    def action_toggle_suspend(self) -> None:
        row = self.current()
        if row is None or self.store is None:
            self.notify("No item selected.", severity="warning")
            return
        suspended = not row.suspended
        try:
            self.store.set_suspended(row.deck_id, row.item.id, suspended, ord=row.item.ord)
        except QuizError as exc:
            self.notify(str(exc), title="Not changed", severity="error")
            return
        self._replace_row(row, replace(row, suspended=suspended))
        verb = "Suspended" if suspended else "Unsuspended"
        self.notify(f"{verb} {escape(row.item.id)}.")

    def action_unbury(self) -> None:
        """Bring a buried card back today (bury in review hides it until the next study day)."""
        row = self.current()
        if row is None or self.store is None:
            self.notify("No item selected.", severity="warning")
            return
        if not row.buried:
            self.notify(f"{escape(row.item.id)} is not buried.", severity="warning")
            return
        try:
            self.store.unbury(self.store.card_id(row.deck_id, row.item.id, row.item.ord))
        except QuizError as exc:
            self.notify(str(exc), title="Not changed", severity="error")
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

    def action_focus_table(self) -> None:
        if self.query_one(Input).has_focus:
            self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#browse-detail").focus()  # enter: read (and scroll) the details

    def action_back(self) -> None:
        detail = self.query_one("#browse-detail")
        if detail.has_focus:  # out of the details first, then out of the screen
            self.query_one(DataTable).focus()
            return
        self.dismiss()
