"""The order new cards are introduced in: the deck's own, or interleaved (the default).

A deck file groups a fact's items together and often runs several items of one kind in a row
(five lists, then four choices...). Studied in that order, a first session is five list cards
in a row. The interleaved order is:

  walk the cards in deck order; each time take the first remaining card that
    1. belongs to none of the last ``RECENT`` facts taken, and
    2. is of another kind (item type) than the card taken just before;
  when no card within the next ``WINDOW`` remaining ones passes both, the first that passes
  rule 1; failing that, the first remaining card.

It depends only on the deck (ids, kinds, facts and their order), never on chance or the clock,
so the same deck always gives the same order and an unchanged deck keeps it. Cards stay close
to their place in the deck (a card moves forward at most ``WINDOW`` places past others).
"""

from __future__ import annotations

from collections.abc import Sequence

from quiz.decks.model import Item

RECENT = 3  # facts kept apart: one of the last three facts is not taken again yet
WINDOW = 32  # how far ahead to look for a card that mixes (bounds the cost on big decks)


def deck_cards(items: Sequence[Item]) -> list[Item]:
    """Every card of the items, in deck order (an item's cards by ordinal)."""
    return [card for it in items for card in it.cards()]


def mixed_order(cards: Sequence[Item]) -> list[int]:
    """Indexes into ``cards`` (deck order) in the interleaved order described above."""
    keys = [c.sibling_key for c in cards]
    kinds = [c.type for c in cards]
    out: list[int] = []
    window: list[int] = []  # the next WINDOW cards not yet taken, in deck order
    ahead = 0  # the first card not yet in the window
    recent: list[str] = []
    last_kind: str | None = None
    while window or ahead < len(cards):
        while len(window) < WINDOW and ahead < len(cards):
            window.append(ahead)
            ahead += 1
        fresh = [i for i in window if keys[i] not in recent]
        pick = next((i for i in fresh if kinds[i] != last_kind), fresh[0] if fresh else window[0])
        window.remove(pick)
        out.append(pick)
        last_kind = kinds[pick]
        recent = [keys[pick], *(k for k in recent if k != keys[pick])][:RECENT]
    return out
