"""Keeping the store's decks and cards in step with the deck files (``sync_deck``).

The store sees a deck only through the SyncedDeck protocol, so storage and decks stay
independent of each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from quiz.digests import sha1
from quiz.storage.connection import StoreConnection


class SyncedCard(Protocol):
    """One card as the store keeps it (quiz.decks.model.CardRow is one)."""

    @property
    def item_id(self) -> str: ...

    @property
    def ord(self) -> int: ...

    @property
    def sibling(self) -> str: ...  # cards sharing it are siblings (buried together)

    @property
    def mixed(self) -> int: ...  # rank in the interleaved order of new cards


class SyncedDeck(Protocol):
    """What the store keeps of a deck (quiz.decks.model.Deck is one); storage and decks stay
    independent of each other."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def card_rows(self) -> Sequence[SyncedCard]: ...  # every card, in deck order

    @property
    def sync_signature(self) -> str: ...  # changes when ``card_rows`` would


def deck_signature(deck: SyncedDeck) -> str:
    """Changes whenever the deck's cards, their siblings, order or its name change."""
    return sha1(f"{deck.sync_signature}\t{deck.name}".encode()).hexdigest()


class DeckSync(StoreConnection):
    """The ``decks`` table and the rows of ``cards`` that follow the deck files."""

    def sync_deck(self, deck: SyncedDeck) -> None:
        """Upsert the deck and a row per card; cards gone from the deck become hidden.

        Identity is (deck id, item id, ord): wording changes keep the history, and a card that
        comes back un-hides its old row with its schedule and reviews. ``fact`` holds the
        card's sibling key, ``position`` its deck order and ``mixed`` its interleaved order.
        """
        sig = deck_signature(deck)
        row = self.query("SELECT signature FROM decks WHERE id = ?", (deck.id,))
        if row and row[0][0] == sig:
            return  # unchanged since the last sync: nothing to write (big decks open fast)
        with self.transaction() as c:
            c.execute(
                "INSERT INTO decks (id, name, signature) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, signature = excluded.signature",
                (deck.id, deck.name, sig),
            )
            existing = {
                (r[0], r[1]): r[2:]
                for r in c.execute(
                    "SELECT item_id, ord, id, fact, position, mixed, hidden FROM cards WHERE deck_id = ?",
                    (deck.id,),
                )
            }
            inserts, updates = [], []
            for pos, card in enumerate(deck.card_rows):
                old = existing.pop((card.item_id, card.ord), None)
                if old is None:
                    inserts.append((deck.id, card.item_id, card.ord, card.sibling, pos, card.mixed))
                elif old[1:] != (card.sibling, pos, card.mixed, 0):
                    updates.append((card.sibling, pos, card.mixed, old[0]))
            c.executemany(
                "INSERT INTO cards (deck_id, item_id, ord, fact, position, mixed) VALUES (?, ?, ?, ?, ?, ?)", inserts
            )
            c.executemany("UPDATE cards SET fact = ?, position = ?, mixed = ?, hidden = 0 WHERE id = ?", updates)
            gone = [(v[0],) for v in existing.values() if not v[4]]
            c.executemany("UPDATE cards SET hidden = 1 WHERE id = ?", gone)

    def decks(self) -> dict[str, str]:
        """Deck id -> name for every deck the store knows."""
        return dict(self.query("SELECT id, name FROM decks ORDER BY id"))
