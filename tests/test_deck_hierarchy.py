"""Deck hierarchy (quiz.decks.hierarchy): ``Parent::Child`` names become a tree of rows."""

from __future__ import annotations

from quiz.decks.hierarchy import DeckRow, deck_rows, split_name


def shape(rows: tuple[DeckRow, ...]) -> list[tuple[int, str, str, tuple[str, ...]]]:
    return [(r.depth, r.label, r.key, r.keys) for r in rows]


def test_flat_decks_keep_their_order_and_keys() -> None:
    rows = deck_rows([("b", "Zeta"), ("a", "Alpha")])
    assert shape(rows) == [(0, "Zeta", "b", ("b",)), (0, "Alpha", "a", ("a",))]
    assert not any(r.is_parent for r in rows)


def test_children_are_grouped_sorted_and_labelled_by_their_last_component() -> None:
    rows = deck_rows([("renal", "Pharmacology::Renal"), ("other", "Other"),
                      ("cardio", "Pharmacology::cardio"), ("ab", "Pharmacology::Antibiotics")])
    assert shape(rows) == [
        (0, "Pharmacology", "::Pharmacology", ("ab", "cardio", "renal")),
        (1, "Antibiotics", "ab", ("ab",)),
        (1, "cardio", "cardio", ("cardio",)),  # case-insensitive, as Anki sorts
        (1, "Renal", "renal", ("renal",)),
        (0, "Other", "other", ("other",)),
    ]
    assert rows[0].is_parent and rows[0].path == "Pharmacology"
    assert rows[3].path == "Pharmacology::Renal"


def test_a_parent_that_is_a_deck_too_studies_itself_and_its_subtree() -> None:
    rows = deck_rows([("c", "A::B::C"), ("a", "A"), ("d", "A::D")])
    assert shape(rows) == [
        (0, "A", "::A", ("a", "c", "d")),
        (1, "B", "::A::B", ("c",)),  # only a name: no deck of its own
        (2, "C", "c", ("c",)),
        (1, "D", "d", ("d",)),
    ]


def test_two_decks_with_one_name_stay_two_rows() -> None:
    assert shape(deck_rows([("x", "Same"), ("y", "Same")])) == [(0, "Same", "x", ("x",)), (0, "Same", "y", ("y",))]


def test_split_name_drops_blank_components() -> None:
    assert split_name("A :: B") == ("A", "B")
    assert split_name("A::::B::") == ("A", "B")
    assert split_name("::") == ("::",)
    assert split_name("Plain") == ("Plain",)
