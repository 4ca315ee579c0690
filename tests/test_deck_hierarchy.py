"""Deck hierarchy (quiz.decks.hierarchy): ``Parent::Child`` names become a tree of rows."""

from __future__ import annotations

from quiz.decks.hierarchy import DeckRow, common_parent, deck_rows, name_under, short_name, split_name


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


def test_common_parent_is_the_deepest_name_all_share() -> None:
    assert common_parent(["Renal::Chapter 1", "Renal::Chapter 2"]) == "Renal"
    assert common_parent(["Renal", "Renal::Chapter 1"]) == "Renal"  # a parent that is a deck too
    assert common_parent(["A::B::C", "A::B::D", "A :: B::E"]) == "A::B"  # blanks as split_name drops them
    assert common_parent(["Alpha", "Beta"]) is None
    assert common_parent(["Renal::Chapter 1", "Cardio::Chapter 1"]) is None  # same leaf, no parent
    assert common_parent([]) is None


def test_name_under_a_parent_drops_the_parents_part() -> None:
    assert name_under("Renal::Chapter 1", "Renal") == "Chapter 1"
    assert name_under("A::B::C", "A") == "B::C"
    assert name_under("Renal", "Renal") == "Renal"  # the parent's own deck keeps its name
    assert name_under("Renally::X", "Renal") == "Renally::X"  # a component, not a prefix of text
    assert name_under("Alpha", None) == "Alpha"


def test_two_decks_with_one_name_are_marked_as_clashing() -> None:
    rows = deck_rows([("x", "Same"), ("y", "Same"), ("z", "Other")])
    assert [(r.key, r.clash) for r in rows] == [("x", True), ("y", True), ("z", False)]


def test_a_parent_name_two_decks_have_gives_each_its_own_row() -> None:
    """"Renal" imported twice (--deck-id renal-copy) beside "Renal::Chapter 1": the parent row
    stands for the subtree; each Renal deck has a row of its own, to study it alone."""
    rows = deck_rows([("renal", "Renal"), ("ch1", "Renal::Chapter 1"), ("renal-copy", "Renal")])
    assert shape(rows) == [
        (0, "Renal", "::Renal", ("renal", "renal-copy", "ch1")),
        (1, "Renal", "renal", ("renal",)),
        (1, "Renal", "renal-copy", ("renal-copy",)),
        (1, "Chapter 1", "ch1", ("ch1",)),
    ]
    assert [r.clash for r in rows] == [False, True, True, False]
    assert rows[0].own == ()  # not one of them more than the other


def test_short_name_keeps_the_end_of_a_sub_deck_name() -> None:
    assert short_name("Pharmacology::Chapter 2", 12) == "…::Chapter 2"
    assert short_name("Pharmacology::Chapter 2", 10) == "…Chapter 2"
    assert short_name("Pharmacology::Renal::Loop diuretics", 10) == "…Loop diu…"
    assert short_name("Pharmacology", 10) == "Pharmacol…"  # no "::": cut at the end
    assert short_name("A::B", 10) == "A::B"  # it fits
