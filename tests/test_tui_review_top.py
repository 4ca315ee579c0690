"""The review screen's top line: what it names beside the session's counts.

The counts are the whole session's (StudySession.counts), so the line names the session's scope
(the one deck studied, or the decks' common parent and how many decks, or just how many), as
Anki shows the counts of the deck chosen for study; in a session of several decks the card's own
deck is named apart, labelled as the card's.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.content import Content

from quiz.tui.app import QuizApp
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.widgets.top_bar import TopBar
from test_tui_review import make_app

WIDTH = 78  # an 80-column terminal less the bar's padding


def deck_yaml(deck_id: str, name: str, items: int = 2) -> str:
    lines = [f"deck:\n  id: {deck_id}\n  name: {name}\nitems:\n"]
    for i in range(items):
        lines.append(f"  - id: {deck_id}-{i}\n    type: basic\n    question: Question {i} of {deck_id}?\n"
                     f"    answer: Answer {i}\n")
    return "".join(lines)


def top_line(app: QuizApp) -> str:
    return app.screen.query_one(TopBar).render().plain


def card_deck(app: QuizApp) -> str:
    screen = app.screen
    assert isinstance(screen, ReviewScreen) and screen.card is not None
    return screen.card.deck_id


async def test_a_one_deck_session_names_its_deck_beside_its_counts(tmp_path: Path) -> None:
    app = make_app(tmp_path / "s", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = top_line(app)
        # As before: the deck on the left, its cards left today on the right, nothing else.
        assert line == "Demo deck" + " " * (WIDTH - len("Demo deck") - len("7 + 0 + 0")) + "7 + 0 + 0"


async def test_a_session_of_a_parents_decks_names_the_parent_and_the_cards_deck_apart(tmp_path: Path) -> None:
    chapters = tuple(deck_yaml(f"ch{i}", f"Renal::Chapter {i}") for i in (1, 2, 3))
    app = make_app(tmp_path / "s", start=True, decks_yaml=chapters)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = top_line(app)
        assert len(line) == WIDTH, line
        # 6 new cards in the session: the counts go with "Renal (3 decks)", not with a chapter.
        assert line.startswith("Renal (3 decks)") and line.endswith(" 6 + 0 + 0"), line
        first = card_deck(app)
        assert f"this card: Chapter {first[2]}" in line, line
        assert line.count("Chapter") == 1, line
        seen = {first}
        for _ in range(5):  # through the session: the scope and counts stay, the card's deck follows
            await pilot.press("space", "4")
            await pilot.pause()
            line = top_line(app)
            assert line.startswith("Renal (3 decks)") and f"this card: Chapter {card_deck(app)[2]}" in line, line
            seen.add(card_deck(app))
        assert seen == {"ch1", "ch2", "ch3"}


async def test_a_session_of_unrelated_decks_says_how_many(tmp_path: Path) -> None:
    decks = (deck_yaml("alpha", "Alpha"), deck_yaml("beta", "Beta"), deck_yaml("gamma", "Pharmacology::Gamma"))
    app = make_app(tmp_path / "s", start=True, decks_yaml=decks)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = top_line(app)
        assert line.startswith("3 decks") and line.endswith(" 6 + 0 + 0") and len(line) == WIDTH, line
        names = {"alpha": "Alpha", "beta": "Beta", "gamma": "Pharmacology::Gamma"}
        assert f"this card: {names[card_deck(app)]}" in line, line


async def test_study_all_decks_from_home_names_the_session_not_the_cards_deck(tmp_path: Path) -> None:
    decks = (deck_yaml("alpha", "Alpha"), deck_yaml("beta", "Beta"))
    app = make_app(tmp_path / "s", decks_yaml=decks)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # Alpha, Beta, All decks
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        line = top_line(app)
        assert line.startswith("2 decks") and "this card: Alpha" in line and line.endswith(" 4 + 0 + 0"), line


class Bar(App[None]):
    def compose(self) -> ComposeResult:
        yield TopBar()


async def test_long_names_are_cut_to_fit_and_the_counts_stay_whole() -> None:
    app = Bar()
    async with app.run_test(size=(80, 3)) as pilot:
        bar = app.query_one(TopBar)
        counts = Content("1234 + 56 + 7890")
        bar.show(deck=Content("Pharmacology::Immunosuppressants::Calcineurin inhibitors"), decks=12,
                 card="Renal toxicity and its monitoring::Chapter 12: trough levels", counts=counts)
        await pilot.pause()
        line = bar.render().plain
        assert len(line) == 80 and line.endswith(" 1234 + 56 + 7890"), line
        # The scope keeps its start and its size, the card's deck its last part (the most telling).
        assert line.startswith("Pharmacology::Immu") and "… (12 decks)  this card: …" in line, line
        assert line.endswith(" trough levels 1234 + 56 + 7890"), line
        await pilot.resize_terminal(60, 3)
        await pilot.pause()
        line = bar.render().plain
        assert len(line) == 60 and line.startswith("Pharmaco… (12 decks)  this card: …") and line.endswith(
            " levels 1234 + 56 + 7890"), line
        await pilot.resize_terminal(40, 3)  # too narrow for both: the card's deck gives way
        await pilot.pause()
        assert bar.render().plain == "Pharmacolog… (12 decks) 1234 + 56 + 7890"
        # With room to spare, every name whole.
        bar.show(deck=Content("Renal"), decks=2, card="Renal::Chapter 1", counts=Content("1 + 0 + 0"))
        await pilot.resize_terminal(80, 3)
        await pilot.pause()
        assert bar.render().plain == "Renal (2 decks)  this card: Renal::Chapter 1" + " " * 27 + "1 + 0 + 0"
