"""Cards like Anki's (issue 10, point 3): a reverse item is two cards, a cloze one card per cN;
the store keys cards by (deck, item, ord) and schema 2 keeps the history of old single cards."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from test_study_support import Clock, study_session
from test_tui_review import CLOCK, make_app, text

from quiz.anki.export import export_decks
from quiz.cli import main
from quiz.collection import Collection
from quiz.decks.loader import load_deck
from quiz.decks.model import Deck, Item
from quiz.settings import Settings
from quiz.storage import migrations
from quiz.storage.store import Store
from quiz.study.grading import check_typed
from quiz.study.session import StudySession
from quiz.tui.screens.review_text import REVERSED_LABEL

REVERSE = Item(id="rev", type="reverse", question="Tacrolimus", answer="A calcineurin inhibitor also called FK506")
CLOZE = Item(id="clz", type="cloze", text="{{c1::Cyclosporine}} binds {{c2::cyclophilin}} first.")
DECK = Deck(id="d", name="Deck d", items=(REVERSE, CLOZE))

DECK_YAML = """deck:
  id: d
  name: Deck d
items:
  - id: rev
    type: reverse
    question: Tacrolimus
    answer: A calcineurin inhibitor also called FK506
  - id: clz
    type: cloze
    text: "{{c1::Cyclosporine}} binds {{c2::cyclophilin}} first."
"""


def session(store: Store, clock: Clock, deck: Deck = DECK, **settings: object) -> StudySession:
    return study_session(store, [deck], Settings(enable_fuzzing=False, **settings), clock)  # type: ignore[arg-type]


# --- the cards of an item --------------------------------------------------------------------


def test_reverse_item_is_asked_both_ways() -> None:
    back, forth = REVERSE.cards()
    assert (back.ord, back.prompt, back.back) == (0, REVERSE.answer, "Tacrolimus")
    assert (forth.ord, forth.prompt, forth.back) == (1, "Tacrolimus", REVERSE.answer)
    assert check_typed(forth, REVERSE.answer).correct and not check_typed(forth, "Tacrolimus").correct
    assert check_typed(back, "tacrolimus").correct


def test_cloze_card_per_number_with_the_other_gaps_filled() -> None:
    c1, c2 = CLOZE.cards()
    assert (c1.ord, c2.ord) == (0, 1)  # Anki's ordinals: cN -> N - 1
    assert c1.prompt == "[...] binds cyclophilin first." and c1.expected == "Cyclosporine"
    assert c2.prompt == "Cyclosporine binds [...] first." and c2.expected == "cyclophilin"
    assert check_typed(c2, "cyclophilin").correct
    same = Item(id="s", type="cloze", text="{{c1::a}} and {{c1::b}} but {{c3::c}}")
    assert same.ords == (0, 2)
    assert same.card(0).expected == "a; b" and same.card(2).prompt == "a and b but [...]"


# --- study: both cards come, siblings wait a day ----------------------------------------------


def test_study_shows_each_card_and_buries_its_sibling_for_the_day(quiz_home: Path) -> None:
    clock = Clock()
    with Store.open() as st:
        s = session(st, clock)
        assert s.counts().new == 4  # two reverse cards + two cloze cards
        shown = []
        for _ in range(2):
            card = s.next_card()
            assert card is not None
            shown.append((card.item.id, card.item.ord, card.item.prompt))
            s.grade(card, 4)  # Easy: out of the way for days
        assert shown == [("rev", 0, REVERSE.answer), ("clz", 0, "[...] binds cyclophilin first.")]
        assert s.counts().new == 0 and s.next_card() is None  # the second cards wait for tomorrow
        clock.advance(days=1)
        s = session(st, clock)
        shown = []
        while (card := s.next_card()) is not None:
            shown.append((card.item.id, card.item.ord, card.item.prompt, card.item.back))
            s.grade(card, 4)
        assert shown == [("rev", 1, "Tacrolimus", REVERSE.answer),
                         ("clz", 1, "Cyclosporine binds [...] first.", "cyclophilin")]
        # every card has its own schedule and log
        for item_id, ord in (("rev", 0), ("rev", 1), ("clz", 0), ("clz", 1)):
            info = st.card_info("d", item_id, ord)
            assert info.reps == 1 and info.state == "review"
            assert len(st.history("d", item_id, ord)) == 1
        assert len({st.card_id("d", i, o) for i in ("rev", "clz") for o in (0, 1)}) == 4


def test_suspend_and_undo_act_on_one_card(quiz_home: Path) -> None:
    clock = Clock()
    with Store.open() as st:
        s = session(st, clock, new_card_order="deck")
        card = s.next_card()
        assert card is not None and (card.item.id, card.item.ord) == ("rev", 0)
        s.suspend(card)
        assert st.card_info("d", "rev", 0).suspended and not st.card_info("d", "rev", 1).suspended
        s.undo()
        assert not st.card_info("d", "rev", 0).suspended


# --- stats, browse, export agree ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_items", "new"),
    [
        ("  - {id: r, type: reverse, question: Term, answer: What the term means}\n", 2),
        ('  - {id: c, type: cloze, text: "{{c1::One}} and {{c2::two}}."}\n', 2),
        ('  - {id: c, type: cloze, text: "{{c1::One}} and {{c1::two}}."}\n', 1),
        ("  - {id: b, type: basic, question: 'Q?', answer: A}\n", 1),
    ],
)
def test_stats_json_counts_a_new_card_per_anki_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], yaml_items: str, new: int
) -> None:
    deck = tmp_path / "one.yaml"
    deck.write_text("deck:\n  id: one\n  name: One\nitems:\n" + yaml_items)
    assert main(["stats", str(deck), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["new"], out["decks"]["one"]["new"], out["cards"]) == (new, new, new)


def test_browse_stats_and_export_count_the_same_cards(quiz_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(DECK_YAML)
    deck = load_deck(path)
    with Collection(Store.open(), [deck], Settings(), clock=Clock()) as col:
        rows = col.browse_rows()
        assert [(r.item.id, r.item.ord) for r in rows] == [("rev", 0), ("rev", 1), ("clz", 0), ("clz", 1)]
        assert len({r.key for r in rows}) == 4
        stats = col.stats().as_json()
    exported = export_decks([deck], tmp_path / "d.apkg", state=None, now=0)
    assert stats["cards"] == stats["new"] == exported.cards == 4


# --- schema 1 -> 2: the old single cards keep their history -----------------------------------


def _schema_1_store(path: Path) -> None:
    """A store as quiz wrote it before cards had an ordinal (schema 1, one card per item)."""
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("BEGIN")
    for stmt in migrations._statements(migrations.STEPS[0]):
        c.execute(stmt)
    c.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    c.execute("INSERT INTO decks VALUES ('d', 'Deck d', 'old-signature')")
    # rev: a review card with 3 reviews; clz: learning, 1 review; gone: an item since removed.
    c.execute("INSERT INTO cards (id, deck_id, item_id, fact, position, state, step, stability, difficulty, due, "
              "last_review, reps, lapses) VALUES (7, 'd', 'rev', NULL, 0, 2, NULL, 12.5, 5.0, 1800000000000000, "
              "1790000000000000, 3, 1)")
    c.execute("INSERT INTO cards (id, deck_id, item_id, fact, position, state, step, due, last_review, reps) "
              "VALUES (9, 'd', 'clz', NULL, 1, 1, 1, 1790000600000000, 1790000000000000, 1)")
    c.execute("INSERT INTO cards (id, deck_id, item_id, position, hidden, reps) VALUES (11, 'd', 'gone', 2, 1, 0)")
    state = json.dumps({"card_id": 7, "state": 0, "step": None, "stability": None, "difficulty": None, "due": None,
                        "last_review": None, "reps": 0, "lapses": 0})
    for i, card in enumerate((7, 7, 7, 9)):
        c.execute("INSERT INTO revlog (card_id, deck_id, time, rating, state_before, state_after, before, after) "
                  "VALUES (?, 'd', ?, 3, 0, 1, ?, ?)", (card, 1790000000000000 + i, state, state))
    c.execute("COMMIT")
    c.close()


def test_schema_1_store_is_migrated_and_card_0_keeps_the_history(quiz_home: Path, tmp_path: Path) -> None:
    quiz_home.mkdir(parents=True)
    store_path = quiz_home / "quiz.sqlite3"
    _schema_1_store(store_path)
    deck_path = tmp_path / "d.yaml"
    deck_path.write_text(DECK_YAML)
    with Store.open() as st:
        assert st.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == str(migrations.SCHEMA_VERSION)
        assert st.query("PRAGMA foreign_key_check") == []
        # Before any sync: the same rows, now card 0 of their items, with their ids.
        assert st.query("SELECT id, item_id, ord, reps FROM cards ORDER BY id") == [
            (7, "rev", 0, 3), (9, "clz", 0, 1), (11, "gone", 0, 0)]
        rev = st.card_info("d", "rev", 0)
        assert (rev.card_id, rev.state, rev.reps, rev.lapses, rev.stability) == (7, "review", 3, 1, 12.5)
        assert [r.card_id for r in st.history("d", "rev")] == [7, 7, 7]
    # The next command syncs the deck: the second cards are added, new and without history.
    assert main(["stats", str(deck_path), "--json"]) == 0
    with Store.open() as st:
        assert st.query("SELECT item_id, ord, reps, hidden FROM cards ORDER BY item_id, ord") == [
            ("clz", 0, 1, 0), ("clz", 1, 0, 0), ("gone", 0, 0, 1), ("rev", 0, 3, 0), ("rev", 1, 0, 0)]
        assert st.card_info("d", "rev", 0).card_id == 7 and len(st.history("d", "rev", 0)) == 3
        assert st.history("d", "rev", 1) == [] and st.history("d", "clz", 1) == []
        assert len(st.history("d", "clz", 0)) == 1
        assert st.query("SELECT COUNT(*) FROM revlog")[0][0] == 4
        # card 0 of the reverse item is the way quiz asked it before: description -> term
        s = study_session(st, [load_deck(deck_path)], Settings(enable_fuzzing=False), Clock())
        assert s._card("d", "rev", 0).prompt == "A calcineurin inhibitor also called FK506"
    kept = list((quiz_home / "backups").glob(f"quiz-before-schema-{migrations.SCHEMA_VERSION}-*.sqlite3"))
    assert len(kept) == 1  # the schema-1 store as it was


def test_migration_that_would_orphan_a_review_is_rolled_back(tmp_path: Path) -> None:
    """The step runs with deferred foreign keys: a review without its card fails the commit."""
    path = tmp_path / "s.sqlite3"
    _schema_1_store(path)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA foreign_keys = ON")
    c.execute("BEGIN IMMEDIATE")
    broken = migrations.STEPS[1].replace("FROM cards_v1;", "FROM cards_v1 WHERE id != 7;")
    for stmt in migrations._statements(broken):
        c.execute(stmt)
    with pytest.raises(sqlite3.IntegrityError):
        c.execute("COMMIT")
    c.execute("ROLLBACK")
    assert c.execute("SELECT COUNT(*) FROM cards WHERE id = 7").fetchone()[0] == 1
    c.close()


# --- the review screen asks each card its own way ---------------------------------------------


async def test_review_screen_asks_the_second_reverse_card_term_first(tmp_path: Path) -> None:
    one = "deck:\n  id: demo\n  name: Demo\nitems:\n" \
          "  - {id: rev, type: reverse, question: Tacrolimus, answer: A calcineurin inhibitor also called FK506}\n"
    app = make_app(tmp_path / "study", start=True, decks_yaml=(one,))
    # Yesterday card 0 (description -> term) was learned: today its sibling, card 1, is new.
    deck = app.collection.decks[0]
    yesterday = StudySession(app.collection.store, [deck], Settings(enable_fuzzing=False), lambda: CLOCK - timedelta(days=1))
    first = yesterday.next_card()
    assert first is not None and first.item.ord == 0
    yesterday.grade(first, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text(app, "#question") == "Tacrolimus"
        assert text(app, "#kind") == REVERSED_LABEL
        await pilot.press("space")
        await pilot.pause()
        assert text(app, "#answer") == "A calcineurin inhibitor also called FK506"
        await pilot.press("3")
        await pilot.pause()
        assert app.collection.store.card_info("demo", "rev", 1).reps == 1
        assert app.collection.store.card_info("demo", "rev", 0).reps == 1


def test_a_new_cloze_number_adds_a_card_and_a_removed_one_hides_it(quiz_home: Path) -> None:
    with Store.open() as st:
        st.sync_deck(DECK)
        grown = Deck(id="d", name="Deck d", items=(REVERSE, Item(id="clz", type="cloze", text=CLOZE.text + " {{c3::More}}.")))
        st.sync_deck(grown)
        assert st.query("SELECT ord, hidden FROM cards WHERE item_id = 'clz' ORDER BY ord") == [(0, 0), (1, 0), (2, 0)]
        shrunk = Deck(id="d", name="Deck d", items=(REVERSE, Item(id="clz", type="cloze", text="{{c1::Cyclosporine}}.")))
        st.sync_deck(shrunk)
        assert st.query("SELECT ord, hidden FROM cards WHERE item_id = 'clz' ORDER BY ord") == [(0, 0), (1, 1), (2, 1)]
