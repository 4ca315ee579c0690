"""A card's schedule and flags as the ``cards`` table holds them: look-ups, its review history,
suspend and bury."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from quiz.card_state import CardState, State, from_us, to_us
from quiz.errors import QuizError
from quiz.storage.card_rows import CARD_COLS, state_from_row
from quiz.storage.connection import StoreConnection

if TYPE_CHECKING:
    from quiz.storage.card_info import CardInfo, ReviewRow


class CardTable(StoreConnection):
    """Reading a card and setting it aside (suspend, bury); grading is in review_log."""

    def card_id(self, deck_id: str, item_id: str, ord: int = 0) -> int:
        rows = self.query(
            "SELECT id FROM cards WHERE deck_id = ? AND item_id = ? AND ord = ?", (deck_id, item_id, ord)
        )
        if not rows:
            which = f"card {ord} of item" if ord else "item"
            raise QuizError(f"no card for {which} {item_id!r} in deck {deck_id!r} (not studied with this store yet)")
        return int(rows[0][0])

    def load_state(self, card_id: int) -> CardState:
        rows = self.query(f"SELECT {CARD_COLS} FROM cards WHERE id = ?", (card_id,))
        if not rows:
            raise QuizError(f"no card with id {card_id}")
        return state_from_row(rows[0])

    def card_info(self, deck_id: str, item_id: str, ord: int = 0) -> CardInfo:
        from quiz.storage.card_info import CardInfo  # why: the browse screen's, not needed for the first card

        cid = self.card_id(deck_id, item_id, ord)
        s = self.load_state(cid)
        suspended, buried, hidden = self.query(
            "SELECT suspended, buried_until, hidden FROM cards WHERE id = ?", (cid,)
        )[0]
        return CardInfo(
            deck_id=deck_id,
            item_id=item_id,
            card_id=cid,
            state=State(s.state).label,
            due=s.due,
            stability=s.stability,
            difficulty=s.difficulty,
            last_review=s.last_review,
            reps=s.reps,
            lapses=s.lapses,
            suspended=bool(suspended),
            buried_until=from_us(buried) if buried else None,
            hidden=bool(hidden),
            leech=s.lapses >= self.leech_lapses,
            ord=ord,
        )

    def history(self, deck_id: str, item_id: str, ord: int = 0) -> list[ReviewRow]:
        from quiz.storage.card_info import ReviewRow  # why: the browse screen's, not needed for the first card

        cid = self.card_id(deck_id, item_id, ord)
        rows = self.query(
            "SELECT id, card_id, time, rating, duration_ms, state_before, state_after, before, after, undone "
            "FROM revlog WHERE card_id = ? ORDER BY id",
            (cid,),
        )
        return [
            ReviewRow(
                id=r[0],
                card_id=r[1],
                time=from_us(r[2]),
                rating=r[3],
                duration_ms=r[4],
                state_before=State(r[5]).label,
                state_after=State(r[6]).label,
                before=CardState.from_json(r[7]),
                after=CardState.from_json(r[8]),
                undone=bool(r[9]),
            )
            for r in rows
        ]

    def set_suspended(self, deck_id: str, item_id: str, suspended: bool, ord: int = 0) -> None:
        cid = self.card_id(deck_id, item_id, ord)
        with self.transaction() as c:
            c.execute("UPDATE cards SET suspended = ? WHERE id = ?", (1 if suspended else 0, cid))

    def bury(self, card_id: int, until: datetime) -> int:
        """Hide the card until ``until``; returns its previous ``buried_until`` (for undo)."""
        with self.transaction() as c:
            row = c.execute("SELECT buried_until FROM cards WHERE id = ?", (card_id,)).fetchone()
            if row is None:
                raise QuizError(f"no card with id {card_id}")
            c.execute("UPDATE cards SET buried_until = ? WHERE id = ?", (to_us(until), card_id))
            return int(row[0] or 0)

    def unbury(self, card_id: int, previous: int = 0) -> None:
        """Undo ``bury``: put back the ``buried_until`` it returned."""
        with self.transaction() as c:
            c.execute("UPDATE cards SET buried_until = ? WHERE id = ?", (previous, card_id))
