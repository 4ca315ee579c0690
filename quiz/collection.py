"""The Collection: what every command and every screen opens.

It holds the decks in use (built-in and the user's own, resolved by quiz.decks.library), the
store, the settings and the clock; it syncs decks into the store, takes the daily backup, and
hands out typed read models (frozen dataclasses) for what the screens show. Commands and the
TUI talk to this, never to quiz.storage directly (import-linter holds that).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.card_state import State, to_us
from quiz.decks import deck_names, library
from quiz.decks.hierarchy import limit_groups
from quiz.decks.model import Deck, Item
from quiz.settings import Settings, load_settings, save_settings
from quiz.storage.backup import backup_to, open_with_daily_backup, restore_from
from quiz.storage.store import HistoryKey, Store
from quiz.study.queue import Queue
from quiz.study.schedule import study_day
from quiz.study.session import StudySession

if TYPE_CHECKING:
    # Read models and results of the screens and commands other than study, loaded by the
    # method that needs them (start-up time); ``__getattr__`` below hands them out by name.
    from quiz.authoring.fact_lookup import FactInfo
    from quiz.exam.result import ExamRecord, ExamResult
    from quiz.decks.library_results import DeckSet, UnavailableDeck
    from quiz.read_models import BrowseRow, CardDetail, DeckOverview, Overview
    from quiz.storage.card_info import CardInfo, ReviewRow
    from quiz.storage.replayed_review import Brought
    from quiz.study.replay import PastAnswer, PastState
    from quiz.study.stats import Stats

Clock = Callable[[], datetime]

__all__ = [
    "BrowseRow",
    "CardDetail",
    "CardInfo",
    "Clock",
    "Collection",
    "DeckOverview",
    "ExamRecord",
    "FactInfo",
    "Overview",
    "ReviewRow",
    "Stats",
    "restore_from",
]


# Names handed out by this module whose modules load on first use (__getattr__, PEP 562).
_LAZY = {
    "Stats": "quiz.study.stats", "ExamRecord": "quiz.exam.result", "FactInfo": "quiz.authoring.fact_lookup",
    "CardInfo": "quiz.storage.card_info", "ReviewRow": "quiz.storage.card_info",
    **{name: "quiz.read_models" for name in ("BrowseRow", "CardDetail", "DeckOverview", "Overview")},
}


def __getattr__(name: str) -> Any:
    """``from quiz.collection import Stats`` (and ExamRecord, FactInfo), imported when asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def haystack(deck: Deck, item: Item) -> str:
    parts: Iterable[str | None] = (
        item.id, item.question, item.answer, item.text, *item.answers, *item.accept,
        *item.distractors, *item.tags, item.fact, item.source, deck.id,
    )
    return "\n".join(p for p in parts if p).lower()


# --- the façade --------------------------------------------------------------------------------


class Collection:
    """Decks in use + store + settings + clock. Not thread-safe: a worker thread takes its own
    with ``in_thread()`` (SQLite connections stay in the thread that made them)."""

    def __init__(
        self,
        store: Store,
        decks: list[Deck],
        settings: Settings | None = None,
        *,
        clock: Clock | None = None,
        unavailable: tuple[UnavailableDeck, ...] = (),
        every_deck: bool = False,
    ) -> None:
        self.store = store
        self.decks = list(decks)
        # Library decks that could not be loaded (moved, deleted, broken): home lists them.
        self.unavailable = unavailable
        # Opened on every deck in use (no deck named): the set follows the library's files.
        self.every_deck = every_deck
        self._settings = settings or Settings()
        self.clock: Clock = clock or system_clock
        store.leech_lapses = self._settings.leech_lapses

    @classmethod
    def open(
        cls, names: list[str] | None = None, *, decks: list[Deck] | None = None, clock: Clock | None = None
    ) -> Collection:
        """The decks named (all decks in use if none; or ``decks`` already loaded), the saved
        settings, and the store, backed up on the day's first open. Bad input raises QuizError
        before anything is written."""
        unavailable: tuple[UnavailableDeck, ...] = ()
        every_deck = decks is None and not names
        if every_deck:
            deck_set = library.load_deck_set()
            decks, unavailable = list(deck_set.decks), deck_set.unavailable
        elif decks is None:
            decks = deck_names.load_decks(names)
        settings = load_settings()
        store = open_with_daily_backup()
        return cls(store, decks or [], settings, clock=clock, unavailable=unavailable, every_deck=every_deck)

    @classmethod
    def open_store(cls, path: Path | None = None) -> Collection:
        """Just the store (no decks): for backup and exam history."""
        return cls(Store.open(path), [], load_settings())

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def in_thread(self) -> Iterator[Collection]:
        """The same decks, settings and clock on a connection of this thread's own."""
        other = Collection(Store.open(self.store.path), self.decks, self._settings, clock=self.clock)
        try:
            yield other
        finally:
            other.close()

    # --- settings and clock ----------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self._settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self._settings = settings
        self.store.leech_lapses = settings.leech_lapses

    def change_settings(self, **changes: Any) -> Settings:
        """New settings with ``changes`` (validated), saved, and in use from now on."""
        settings = replace(self._settings, **changes)
        save_settings(settings)
        self.settings = settings
        return settings

    def now(self) -> datetime:
        return self.clock()

    # --- decks -----------------------------------------------------------------------------

    def sync(self, decks: Iterable[Deck] | None = None) -> None:
        """A card row for every item of the decks (all decks in use by default)."""
        for d in self.decks if decks is None else decks:
            self.store.sync_deck(d)

    @staticmethod
    def deck_files_stamp() -> tuple[object, ...]:
        """Changes when a library deck is added, comes back, goes away or is edited (stats only)."""
        return library.files_stamp()

    @staticmethod
    def read_deck_set() -> DeckSet:
        """Every deck in use read again from its file (or the cache); no store, so any thread."""
        return library.load_deck_set()

    def use_deck_set(self, deck_set: DeckSet) -> bool:
        """Decks read again (read_deck_set) in use from now on, the new and edited ones synced
        (history is kept by item id, as on a start); False when nothing changed."""
        old = {d.id: d for d in self.decks}
        if list(deck_set.decks) == self.decks and deck_set.unavailable == self.unavailable:
            return False
        self.sync([d for d in deck_set.decks if old.get(d.id) != d])
        self.decks, self.unavailable = list(deck_set.decks), deck_set.unavailable
        return True

    def checkpoint_if_due(self) -> bool:
        """For a quiet moment (the study app: once a card is on screen): move the store's
        write-ahead log into the database when it has grown, rather than inside a later grade."""
        return self.store.checkpoint_if_due()

    def study(self, decks: list[Deck]) -> StudySession:
        """A study session over ``decks`` (synced first) with the current settings."""
        self.sync(decks)
        return StudySession(self.store, decks, self._settings, clock=self.clock)

    def bring_history(
        self,
        histories: Mapping[HistoryKey, Sequence[PastAnswer]],
        states: Mapping[HistoryKey, PastState] | None = None,
        deck_ids: Sequence[str] = (),
    ) -> Brought:
        """Reviews done elsewhere (Anki), replayed through FSRS into the store, and Anki's state
        of the cards beside them (suspended, buried, due set by hand), as quiz.study.replay says."""
        from quiz.study import replay  # why: only `quiz import` brings history (start-up time)

        return replay.bring_history(self.store, self._settings, histories, states, deck_ids=deck_ids, now=self.now())

    def record_exam(self, result: ExamResult) -> bool:
        """Keep a scored sitting in the exam history; nothing answered, nothing kept."""
        from quiz.exam.result import save_result  # why: exams only (start-up time of study)

        return save_result(self.store, result)

    # --- read models -------------------------------------------------------------------------

    def overview(self, decks: list[Deck] | None = None) -> Overview:
        """Per deck (new, learning, due) still to do today, and the reviews done today."""
        from quiz.read_models import DeckOverview, Overview  # why: home's, not needed for the first card of `quiz study DECK`
        from quiz.storage import queries  # why: home's figures, not needed for the first card of `quiz study DECK`

        # All decks: today's reviews count those of a deck whose file is away too (they were done)
        away = [u.entry.deck_id for u in self.unavailable] if decks is None else []
        decks = self.decks if decks is None else decks
        now = self.now()
        rows = []
        for d in decks:
            c = Queue(self.store, [d.id], self._settings).counts(now)
            rows.append(DeckOverview(d, c.new, c.learning, c.review))
        start, _ = study_day(now, self._settings)
        return Overview(tuple(rows), queries.reviewed_since(self.store, [d.id for d in decks] + away, to_us(start)))

    def counts(self, decks: list[Deck]) -> tuple[int, int, int]:
        """(new, learning, due) still to do today in ``decks`` studied together: every parent's
        subtree within the parent's limits too, as a study session of them keeps it."""
        c = Queue(self.store, [d.id for d in decks], self._settings,
                  groups=limit_groups((d.id, d.name) for d in decks)).counts(self.now())
        return c.new, c.learning, c.review

    def next_due(self, decks: list[Deck]) -> datetime | None:
        """When the earliest studied card of these decks falls due (None if none was studied)."""
        from quiz.storage import queries  # why: at the end of a session, not at start-up

        return queries.next_due(self.store, [d.id for d in decks])

    def browse_rows(self, decks: list[Deck] | None = None) -> list[BrowseRow]:
        """One row per card of the decks (a reverse item has two, a cloze one per cN, as in
        study), with its state (buried = set aside past now)."""
        from quiz.read_models import BrowseRow  # why: the browse screen's, loaded with it (start-up time)
        from quiz.storage import queries  # why: the browse screen's, loaded with it (start-up time)

        now = self.now()
        rows: list[BrowseRow] = []
        for deck in self.decks if decks is None else decks:
            self.store.sync_deck(deck)  # a row for every card, so any card can be suspended
            briefs = queries.card_briefs(self.store, deck.id)
            for item in deck.items:
                text = haystack(deck, item)
                tagline = "".join("\n" + t.lower() for t in item.tags)
                for card in item.cards():
                    b = briefs.get((card.id, card.ord))
                    rows.append(BrowseRow(
                        deck_id=deck.id, deck_name=deck.name, item=card,
                        state=b.state.label if b else State.NEW.label,
                        due=b.due if b else None,
                        suspended=bool(b and b.suspended),
                        haystack=text,
                        tagline=tagline,
                        buried=bool(b and b.buried_until and b.buried_until > now),
                    ))
        return rows

    def card_detail(self, deck_id: str, item: Item) -> CardDetail:
        from quiz.read_models import CardDetail  # why: the browse screen's detail pane, loaded with it

        info = self.store.card_info(deck_id, item.id, item.ord)
        history = tuple(self.store.history(deck_id, item.id, item.ord))
        return CardDetail(info, history, self.fact(item.fact) if item.fact else None)

    def fact(self, fact_id: str) -> FactInfo | None:
        """The fact a card came from, from the built-in facts files (None when not found)."""
        from quiz.authoring.fact_lookup import fact_info  # why: on the first source view (start-up time)

        return fact_info(fact_id)

    def set_suspended(self, deck_id: str, item_id: str, suspended: bool, ord: int = 0) -> None:
        self.store.set_suspended(deck_id, item_id, suspended, ord)

    def unbury(self, deck_id: str, item_id: str, ord: int = 0) -> None:
        self.store.unbury(self.store.card_id(deck_id, item_id, ord))

    def stats(self, decks: list[Deck] | None = None, *, include_store_decks: bool = False) -> Stats:
        """``quiz stats``'s figures for the decks (all in use by default)."""
        from quiz.study import stats as study_stats  # why: the stats screen's and command's (start-up time)

        # All decks: those whose file is away too, as home lists them (their history is kept)
        away = {u.entry.deck_id: u.entry.name for u in self.unavailable} if decks is None else {}
        decks = self.decks if decks is None else decks
        self.sync(decks)
        return study_stats.compute_stats(
            self.store, decks, self._settings, self.now(), unavailable=away, include_store_decks=include_store_decks
        )

    def backup(self, dest: Path | None = None, *, force: bool = False) -> Path:
        """``quiz backup``: copy the store to ``dest`` (default: a new file in backups/)."""
        return backup_to(self.store, dest, force=force)

    def exam_history(self, limit: int = 50) -> list[ExamRecord]:
        """Past exams, newest first, with their questions."""
        from quiz.exam.result import ExamRecord  # why: exams only (start-up time of study)

        return [ExamRecord(**row) for row in self.store.exam_history(limit)]
