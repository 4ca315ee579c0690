"""The queue reuses today's studied facts between calls, but never past a change to the store."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from test_study_support import study_session
from quiz.decks.model import Deck, Item
from quiz.study.queue import Queue
from quiz.settings import Settings
from quiz.storage.store import Store
from quiz.study.session import StudySession

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=timezone.utc)


def _deck() -> Deck:
    items = tuple(
        Item(id=f"{fact}-{n}", type="basic", question=f"q {fact} {n}", answer="a", fact=fact)
        for fact in ("f1", "f2", "f3")
        for n in (1, 2)
    )
    return Deck(id="d", name="D", items=items)


def test_a_grade_from_another_connection_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    deck = _deck()
    settings = Settings(enable_fuzzing=False)
    mine, other = Store.open(path), Store.open(path)
    study_session(mine, [deck], settings, clock=lambda: NOW)
    queue = Queue(mine, ["d"], settings)
    assert queue.studied_today(NOW) == {}
    assert queue.counts(NOW).new == 6

    theirs = study_session(other, [deck], settings, clock=lambda: NOW)
    card = theirs.next_card()
    assert card is not None
    theirs.grade(card, 3)

    studied = queue.studied_today(NOW)
    assert set(studied) == {("d", card.item.fact)}
    assert queue.counts(NOW).new == 4  # the graded card and its held-back sibling are gone
    mine.close()
    other.close()


def test_own_grade_and_undo_are_seen(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    session = study_session(store, [_deck()], Settings(enable_fuzzing=False), clock=lambda: NOW)
    queue = Queue(store, ["d"], session.settings)
    assert queue.studied_today(NOW) == {}
    card = session.next_card()
    assert card is not None
    session.grade(card, 3)
    assert set(queue.studied_today(NOW)) == {("d", card.item.fact)}
    session.undo()
    assert queue.studied_today(NOW) == {}
    store.close()
