"""The order new cards are introduced in: the deck's own, or interleaved (the default).

A deck file groups a fact's items together and often runs several items of one kind in a row
(five lists, then four choices...). Studied in that order, a first session is five list cards
in a row. The interleaved order is:

  look at the next ``WINDOW`` cards not yet taken (in deck order) and take
    1. among those whose fact is none of the last ``RECENT`` (distinct) facts taken (if every
       one is, only those of the fact taken longest ago),
    2. the one whose kind (item type) was taken longest ago (kinds never taken yet: in the
       order they first appear in the deck),
    3. of that kind, the one first in the deck.
  So kinds take turns (list, choice, typed, list, ...) as long as the window holds several,
  and a fact's cards are kept apart.

It depends only on the deck (ids, kinds, facts and their order), never on chance or the clock,
so the same deck always gives the same order and an unchanged deck keeps it. Cards stay close
to their place in the deck (a card moves forward at most ``WINDOW`` places past others).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

RECENT = 3  # facts kept apart: one of the last three facts is not taken again yet
WINDOW = 32  # how far ahead to look for a card that mixes (bounds the cost on big decks)


def mixed_order(kinds: Sequence[str], keys: Sequence[str]) -> list[int]:
    """Indexes of the cards (deck order; each its kind and sibling key) in the interleaved
    order described above.

    Linear in the deck: there are only a few kinds, so each step asks each kind (oldest first)
    for its first card in reach, rather than scanning the whole window.
    """
    n = len(kinds)
    by_kind: dict[str, deque[int]] = {}
    for i, kind in enumerate(kinds):
        by_kind.setdefault(kind, deque()).append(i)
    taken = [False] * n
    taken_at = {kind: -1 for kind in by_kind}  # kind -> when a card of it was last taken
    turns = list(by_kind)  # kinds by taken_at, oldest first (ties: first-seen order)
    window: list[int] = []  # the next WINDOW cards not yet taken, in deck order
    ahead = 0  # the first card not yet in the window
    recent: list[str] = []  # the last RECENT distinct facts taken, newest first
    out: list[int] = []
    while window or ahead < n:
        if len(window) < WINDOW and ahead < n:
            more = min(n, ahead + WINDOW - len(window))
            window.extend(range(ahead, more))
            ahead = more
        reach = window[-1]
        pick = -1
        for kind in turns:
            queue = by_kind[kind]
            while queue and taken[queue[0]]:
                queue.popleft()
            for i in queue:
                if i > reach:
                    break
                if not taken[i] and keys[i] not in recent:
                    pick = i
                    break
            if pick >= 0:
                break
        if pick < 0:  # every card in reach belongs to a recent fact: the fact taken longest ago
            pick = min(window, key=lambda i: (-recent.index(keys[i]), taken_at[kinds[i]], i))
        window.remove(pick)
        taken[pick] = True
        kind = kinds[pick]
        taken_at[kind] = len(out)
        turns.remove(kind)
        turns.append(kind)
        out.append(pick)
        key = keys[pick]
        if key in recent:
            recent.remove(key)
        recent.insert(0, key)
        del recent[RECENT:]
    return out
