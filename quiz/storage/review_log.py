"""The append-only review log (``revlog``): grading a card, undoing a grade, and bringing in
reviews done elsewhere. Every grade is one ``BEGIN IMMEDIATE`` transaction, committed before
``grade`` returns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from quiz.card_state import CardState, to_us
from quiz.errors import QuizError
from quiz.storage.card_rows import CARD_COLS, HistoryKey, card_row, state_from_row, state_params
from quiz.storage.connection import StoreConnection


if TYPE_CHECKING:
    from quiz.storage.replayed_review import AnkiFlags, Brought, Replay


class ReviewLog(StoreConnection):
    """Writes a card's new schedule together with its review, in one transaction."""

    def grade(
        self,
        card_id: int,
        decide: Callable[[CardState], CardState],
        rating: int,
        duration_ms: int,
        at: datetime,
    ) -> tuple[int, CardState]:
        """In one committed transaction: read the card, ``decide`` its new state, write card + log.

        Reading inside the write transaction means a concurrent grade of the same card by another
        process is never lost: ``decide`` sees the latest state. Returns (revlog id, new state).
        """
        with self.transaction() as c:
            row = c.execute(f"SELECT {CARD_COLS}, deck_id FROM cards WHERE id = ?", (card_id,)).fetchone()
            if row is None:
                raise QuizError(f"no card with id {card_id}")
            before = state_from_row(row)
            deck_id = row[-1]
            after = decide(before)
            c.execute(
                "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                "last_review = ?, reps = ?, lapses = ?, buried_until = 0 WHERE id = ?",
                (*state_params(after), card_id),
            )
            cur = c.execute(
                "INSERT INTO revlog (card_id, deck_id, time, rating, duration_ms, state_before, state_after, before, "
                "after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    card_id,
                    deck_id,
                    to_us(at),
                    rating,
                    max(0, int(duration_ms)),
                    before.state,
                    after.state,
                    before.to_json(),
                    after.to_json(),
                ),
            )
            return int(cur.lastrowid or 0), after

    def undo_review(self, revlog_id: int) -> CardState:
        """Put the card back as it was before review ``revlog_id`` and flag that review undone.

        The card was being shown then, so it comes back neither buried nor suspended (even if it
        was set aside after that grade). Refused when the card was reviewed again since (e.g. by
        another process).
        """
        with self.transaction() as c:
            row = c.execute("SELECT card_id, before, after, undone FROM revlog WHERE id = ?", (revlog_id,)).fetchone()
            if row is None or row[3]:
                raise QuizError("nothing to undo")
            card_id, before_json, after_json = row[0], row[1], row[2]
            current = state_from_row(c.execute(f"SELECT {CARD_COLS} FROM cards WHERE id = ?", (card_id,)).fetchone())
            if current != CardState.from_json(after_json):
                raise QuizError("cannot undo: the card was reviewed again since")
            before = CardState.from_json(before_json)
            c.execute(
                "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                "last_review = ?, reps = ?, lapses = ?, buried_until = 0, suspended = 0 WHERE id = ?",
                (*state_params(before), card_id),
            )
            c.execute("UPDATE revlog SET undone = 1 WHERE id = ?", (revlog_id,))
            return before

    def bring_history(
        self,
        keys: Sequence[HistoryKey],
        replay: Replay,
        flags: Mapping[HistoryKey, AnkiFlags] | None = None,
        deck_ids: Sequence[str] = (),
    ) -> Brought:
        """Append reviews done elsewhere to the cards ``keys`` name, and take Anki's state of
        them (``flags``), in one transaction.

        For each card, ``replay(key, current state)`` gives the reviews to add (those after the
        card's last review here, so importing twice adds nothing) with their states, and the
        state they leave (a "Forget" in Anki may have made it new); the card takes it, then its
        ``flags`` (replayed_review.apply_flags). Cards of ``deck_ids`` an earlier import suspended
        that have no flags now are unsuspended. Cards the store does not have are passed over
        (counted as missing).
        """
        from quiz.storage.replayed_review import Brought, apply_flags, unsuspend_gone  # why: imports only

        flags = flags or {}
        cards = reviews = missing = 0
        tally: Counter[str] = Counter()  # Brought's other counts, by name
        with self.transaction() as c:
            for key in keys:
                row = card_row(c, key)
                if row is None:
                    missing += 1
                    continue
                state = state_from_row(row)
                replayed = replay(key, state)
                card_id, deck_id = row[0], key[0]
                if replayed.reviews:
                    c.executemany(
                        "INSERT INTO revlog (card_id, deck_id, time, rating, duration_ms, state_before, state_after, "
                        "before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            (card_id, deck_id, to_us(r.time), r.rating, max(0, int(r.duration_ms)), r.before.state,
                             r.after.state, r.before.to_json(), r.after.to_json())
                            for r in replayed.reviews
                        ],
                    )
                    cards += 1
                    reviews += len(replayed.reviews)
                if replayed.state != state:
                    state = replayed.state
                    c.execute(
                        "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                        "last_review = ?, reps = ?, lapses = ? WHERE id = ?",
                        (*state_params(state), card_id),
                    )
                tally["reset"] += replayed.reset
                if key in flags:
                    apply_flags(c, card_id, state, flags[key], tally)
            if deck_ids:
                unsuspend_gone(c, deck_ids, set(flags), tally)
        return Brought(cards, reviews, missing, **tally)
