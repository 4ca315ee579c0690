"""Anki note GUIDs as quiz gives them (``guid_for``, genanki's function) and the item ids a deck
file already gives to GUIDs: a re-imported note keeps its item id, so its review history stays
with it, whatever its text became in Anki.

A module of its own, without genanki: the importer needs it for a re-import, the exporter always.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from quiz.decks.model import Deck

# genanki.util.BASE91_TABLE (a test checks guid_for against genanki's own).
_BASE91 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
_PAIRS = [a + b for a in _BASE91 for b in _BASE91]  # two base-91 digits per divmod


def guid_for(*values: object) -> str:
    """Same result as ``genanki.guid_for`` (a test checks it), three times as fast: at 100,000
    notes genanki's digit-by-digit loops were the largest single cost of an export."""
    n = int.from_bytes(hashlib.sha256("__".join(map(str, values)).encode()).digest()[:8], "big")
    out = ""
    while n >= 8281:
        n, r = divmod(n, 8281)
        out = _PAIRS[r] + out
    if n:
        out = (_PAIRS[n] if n >= 91 else _BASE91[n]) + out
    return out


@dataclass(frozen=True)
class KnownIds:
    """The item ids a deck already has, for the import that replaces it: GUID -> item id (an
    item without ``guid:`` has the one quiz's export gave it), and every id in use there or in
    the store's history of the deck, which no other note may take (it would inherit a review
    state that is not its own)."""

    by_guid: Mapping[str, str] = field(default_factory=dict)
    taken: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.by_guid or self.taken)


def known_ids(deck: Deck, history: frozenset[str] = frozenset()) -> KnownIds:
    """What ``deck`` (the file an import replaces) gives to which note; ``history``: the ids
    the store holds cards of for the deck."""
    by_guid = {item.guid or guid_for(deck.id, item.id): item.id for item in deck.items}
    return KnownIds(by_guid, frozenset(item.id for item in deck.items) | history)
