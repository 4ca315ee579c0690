"""New cards interleaved (issue 10, point 7): the first session mixes facts and item kinds; a
setting keeps the deck's order. The order is quiz.decks.order's documented, stable rule."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from test_study_support import Clock, study_session

from quiz.decks.loader import load_deck
from quiz.decks.model import Deck, Item
from quiz.decks.order import RECENT, WINDOW, mixed_order
from quiz.settings import Settings
from quiz.storage.store import Store

REPO = Path(__file__).resolve().parent.parent


def _item(i: int, kind: str, fact: str | None) -> Item:
    if kind == "list":
        return Item(id=f"l{i}", type="list", question=f"List {i}?", answers=("a", "b"), fact=fact)
    if kind == "choice":
        return Item(id=f"c{i}", type="choice", question=f"Pick {i}?", answer="a", distractors=("b", "c"), fact=fact)
    return Item(id=f"t{i}", type="typed", question=f"Type {i}?", answer="a", fact=fact)


# Five list items of five facts in a row, then choices and typed items: the deck-order trap.
LISTS_FIRST = Deck(
    id="lists", name="Lists first",
    items=(*(_item(i, "list", f"f{i}") for i in range(5)), *(_item(i, "choice", f"g{i}") for i in range(3)),
           *(_item(i, "typed", f"h{i}") for i in range(3))),
)


def first_session(home: Path, deck: Deck, order: str, n: int = 8) -> list[Item]:
    """The first ``n`` cards a fresh store shows (each answered Easy)."""
    clock = Clock()
    with Store.open(home / f"{deck.id}-{order}.sqlite3") as store:
        s = study_session(store, [deck], Settings(enable_fuzzing=False, new_card_order=order), clock)
        shown = []
        for _ in range(n):
            card = s.next_card()
            assert card is not None
            shown.append(card.item)
            s.grade(card, 4)  # Easy: graduated, not back today
        return shown


def longest_run(kinds: list[str]) -> int:
    return max(len(list(g)) for _, g in groupby(kinds))


def test_first_session_mixes_kinds(quiz_home: Path) -> None:
    mixed = [c.type for c in first_session(quiz_home, LISTS_FIRST, "mixed")]
    assert mixed[:6] == ["list", "choice", "typed", "list", "choice", "typed"]  # kinds take turns
    assert longest_run(mixed) == 1


def test_deck_order_setting_keeps_the_file_order(quiz_home: Path) -> None:
    kept = first_session(quiz_home, LISTS_FIRST, "deck")
    assert [c.id for c in kept] == ["l0", "l1", "l2", "l3", "l4", "c0", "c1", "c2"]


def test_built_in_deck_first_session_is_not_a_run_of_lists(quiz_home: Path) -> None:
    deck = load_deck(REPO / "decks" / "calcineurin-inhibitors.yaml")
    in_order = [c.type for c in first_session(quiz_home, deck, "deck", 20)]
    mixed = [c.type for c in first_session(quiz_home, deck, "mixed", 20)]
    assert longest_run(in_order) >= 4  # what the issue saw: lists in a row
    assert longest_run(mixed) == 1
    assert len(set(mixed)) >= 5  # most kinds show up in the first 20


kinds = st.sampled_from(["basic", "typed", "list", "choice"])


@hsettings(max_examples=150, deadline=None)
@given(spec=st.lists(st.tuples(kinds, st.integers(0, 12)), max_size=80))
def test_mixed_order_is_a_stable_permutation_that_keeps_cards_near_their_place(spec: list[tuple[str, int]]) -> None:
    items = tuple(_item(i, k if k != "basic" else "typed", f"f{f}") for i, (k, f) in enumerate(spec))
    cards = Deck(id="p", name="P", items=items).cards()
    order = mixed_order([c.type for c in cards], [c.sibling_key for c in cards])
    assert sorted(order) == list(range(len(cards)))
    assert order == mixed_order([c.type for c in cards], [c.sibling_key for c in cards])  # stable
    for rank, i in enumerate(order):
        assert rank - i < WINDOW  # nothing jumps ahead by more than the window
    # a fact among the last RECENT facts taken comes again only when every card in reach does
    for rank in range(1, len(order)):
        recent: list[str] = []
        for j in reversed(order[:rank]):
            if cards[j].sibling_key not in recent:
                recent.append(cards[j].sibling_key)
        recent = recent[:RECENT]
        card = cards[order[rank]]
        if card.sibling_key in recent:
            later = [cards[j] for j in sorted(order[rank:])[:WINDOW]]  # what was in reach then
            assert all(c.sibling_key in recent for c in later)


def _reference_order(kinds: list[str], keys: list[str]) -> list[int]:
    """The rule of quiz.decks.order written plainly (its first version, before it was made
    faster): stores keep the ranks it gave, so the fast one must give exactly these."""
    taken = [False] * len(kinds)
    taken_at = {kind: -1 for kind in dict.fromkeys(kinds)}
    window: list[int] = []
    ahead = 0
    recent: list[str] = []
    out: list[int] = []
    while window or ahead < len(kinds):
        while len(window) < WINDOW and ahead < len(kinds):
            window.append(ahead)
            ahead += 1
        pick = -1
        for kind in sorted(taken_at, key=taken_at.__getitem__):
            pick = next((i for i in window if kinds[i] == kind and keys[i] not in recent), -1)
            if pick >= 0:
                break
        if pick < 0:
            pick = min(window, key=lambda i: (-recent.index(keys[i]), taken_at[kinds[i]], i))
        window.remove(pick)
        taken[pick] = True
        taken_at[kinds[pick]] = len(out)
        out.append(pick)
        recent = [keys[pick], *(k for k in recent if k != keys[pick])][:RECENT]
    return out


@hsettings(max_examples=300, deadline=None)
@given(spec=st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 6)), max_size=200))
def test_mixed_order_gives_the_reference_ranks(spec: list[tuple[str, int]]) -> None:
    kinds, keys = [k for k, _ in spec], [f"f{f}" for _, f in spec]  # few facts: siblings in reach
    assert mixed_order(kinds, keys) == _reference_order(kinds, keys)
