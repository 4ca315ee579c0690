"""What Anki keeps of a card beside its review log comes across on `quiz import`: suspended and
buried cards, and a due date set by hand (Set Due Date: a manual revlog entry, no answer), with
the replay's memory state; importing again neither duplicates nor undoes anything, nor what the
student changed in quiz since. Packages made by Anki's own backend."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from anki_packages import StateBuilt, build_state_package, export_changed, own_copy
from test_export_helpers import quiz_home  # noqa: F401

from quiz.cli import main
from quiz.collection import Collection
from quiz.decks.loader import load_deck
from quiz.decks.model import Deck
from quiz.settings import Settings
from quiz.storage.card_info import CardInfo
from quiz.storage.store import Store
from quiz.study.schedule import study_day


@pytest.fixture(scope="module", params=[True, False], ids=["legacy", "latest"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> StateBuilt:
    return build_state_package(tmp_path_factory.mktemp("anki"), legacy=request.param)


def _import(pkg: Path, out: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[Deck, str]:
    assert main(["import", str(pkg), "-o", str(out), *more]) == 0
    return load_deck(out), capsys.readouterr().out


def _card(store: Store, deck: Deck, built: StateBuilt, label: str) -> CardInfo:
    item = next(i for i in deck.items if i.guid == built.guids[label])
    return store.card_info(deck.id, item.id)


def test_suspended_buried_and_hand_set_due_come_across(built: StateBuilt, tmp_path: Path, quiz_home: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    deck, out = _import(built.path, tmp_path / "states.yaml", capsys)
    assert "brought 12 reviews of 4 cards across from Anki" in out
    assert "2 suspended" in out and "1 buried for today" in out and "1 due as Anki set by hand" in out
    now = datetime.now(timezone.utc)
    _, end_of_today = study_day(now, Settings())
    with Store.open() as store:
        card = {label: _card(store, deck, built, label) for label in built.guids}
    assert card["suspended"].suspended and card["suspended-new"].suspended
    assert card["suspended"].reps == 3 and card["suspended-new"].state == "new"
    assert not any(card[k].suspended for k in ("studied", "buried", "due-today", "plain"))
    assert card["buried"].buried_until is not None and now < card["buried"].buried_until <= end_of_today
    # Set Due Date "0": due today, where the same answers alone leave it due days later; the
    # memory state is the replay's, the same as for the card answered alike.
    studied, due = card["studied"], card["due-today"]
    assert studied.due is not None and studied.due > end_of_today
    assert due.due is not None and due.due < end_of_today and due.state == "review"
    assert (due.stability, due.difficulty, due.reps, due.last_review is not None) == (
        studied.stability, studied.difficulty, 3, True)
    with Collection.open(decks=[deck]) as collection:
        row = collection.overview([deck]).decks[0]
        assert (row.new, row.due) == (1, 1)  # "plain" new; "due-today" due; the rest set aside


def test_importing_again_changes_nothing_and_keeps_what_the_student_did(
    built: StateBuilt, tmp_path: Path, quiz_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "states.yaml"
    deck, _ = _import(built.path, out_file, capsys)
    with Store.open() as store:
        before = {label: _card(store, deck, built, label) for label in built.guids}
    assert before["suspended"].suspended and before["buried"].buried_until is not None
    deck, out = _import(built.path, out_file, capsys, "--force")
    assert "review history already here (nothing new from Anki)" in out and "suspended" not in out
    with Store.open() as store:
        assert {label: _card(store, deck, built, label) for label in built.guids} == before
        # The student unsuspends one and unburies the other in quiz...
        item = next(i for i in deck.items if i.guid == built.guids["suspended"])
        store.set_suspended(deck.id, item.id, False)
        buried = next(i for i in deck.items if i.guid == built.guids["buried"])
        store.unbury(store.card_id(deck.id, buried.id))
    # ... and the same package imported again does not set them aside again.
    deck, out = _import(built.path, out_file, capsys, "--force")
    assert "suspended" not in out and "buried" not in out
    with Store.open() as store:
        assert not _card(store, deck, built, "suspended").suspended
        assert _card(store, deck, built, "buried").buried_until is None
        assert len(store.history(deck.id, next(i for i in deck.items if i.guid == built.guids["studied"]).id)) == 3


def test_what_changed_in_anki_since_comes_across(built: StateBuilt, tmp_path: Path, quiz_home: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    built = own_copy(built, tmp_path / "anki")
    out_file = tmp_path / "states.yaml"
    deck, _ = _import(built.path, out_file, capsys)
    with Store.open() as store:  # suspended in quiz by the student: Anki has it unsuspended
        plain = next(i for i in deck.items if i.guid == built.guids["plain"])
        store.set_suspended(deck.id, plain.id, True)
    time.sleep(1.1)  # Anki's cards keep their last change to the second

    def change(col: Any, cards: dict[str, int]) -> None:
        col.sched.unsuspend_cards([cards["suspended-new"]])
        col.sched.suspend_cards([cards["studied"]])
        card = col.get_card(cards["due-today"])  # answered after its due date was set: FSRS's due
        card.start_timer()
        col.sched.answerCard(card, 3)

    later = export_changed(built, tmp_path / "later.apkg", change)
    deck, out = _import(later, out_file, capsys, "--force")
    assert "brought 1 review of 1 card across from Anki" in out
    assert "1 suspended" in out and "1 unsuspended" in out
    _, end_of_today = study_day(datetime.now(timezone.utc), Settings())
    with Store.open() as store:
        card = {label: _card(store, deck, built, label) for label in built.guids}
    assert not card["suspended-new"].suspended and card["studied"].suspended
    assert card["suspended"].suspended  # unchanged in Anki: still as the first import left it
    assert card["plain"].suspended  # the student's own suspension stays
    assert card["due-today"].reps == 4 and card["due-today"].due is not None
    assert card["due-today"].due > end_of_today
    # Undo both in Anki: the package brings them back as they were.
    time.sleep(1.1)
    back = export_changed(built, tmp_path / "back.apkg",
                          lambda col, cards: (col.sched.suspend_cards([cards["suspended-new"]]),
                                              col.sched.unsuspend_cards([cards["studied"]])))
    deck, out = _import(back, out_file, capsys, "--force")
    assert "1 suspended" in out and "1 unsuspended" in out
    with Store.open() as store:
        assert _card(store, deck, built, "suspended-new").suspended
        assert not _card(store, deck, built, "studied").suspended


def test_a_package_without_scheduling_suspends_nothing(built: StateBuilt, tmp_path: Path, quiz_home: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    bare = export_changed(built, tmp_path / "bare.apkg", lambda col, cards: None, with_scheduling=False)
    deck, out = _import(bare, tmp_path / "states.yaml", capsys)
    assert "suspended" not in out and "brought" not in out
    assert not (quiz_home / "quiz.sqlite3").exists()  # nothing to bring: the store is not opened


@pytest.mark.parametrize("sql", [
    "UPDATE cards SET mod = 253402300799",  # 9999-12-31: the day after is no date
    "UPDATE cards SET mod = 99999999999999999",
    "UPDATE cards SET due = 99999999999",
    "UPDATE col SET crt = -99999999999999",
    "UPDATE cards SET mod = 'soon', due = x'00'",
    "UPDATE col SET crt = 'x'",
])
def test_state_with_times_no_calendar_holds_is_left_behind_not_a_traceback(
    sql: str, built: StateBuilt, tmp_path: Path, quiz_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_import_hostile import edit_collection

    pkg = tmp_path / "odd.apkg"
    pkg.write_bytes(edit_collection(built.path.read_bytes(), sql, latest=not built.legacy))
    code = main(["import", str(pkg), "-o", str(tmp_path / "states.yaml")])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == 0 or (code == 1 and err.count("\n") == 1 and str(pkg) in err), err


def test_a_card_forgotten_in_anki_is_new_again_with_its_history(
    built: StateBuilt, tmp_path: Path, quiz_home: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = own_copy(built, tmp_path / "anki")
    out_file = tmp_path / "states.yaml"
    deck, _ = _import(built.path, out_file, capsys)
    time.sleep(1.1)  # Anki's cards keep their last change to the second
    forgot = export_changed(built, tmp_path / "forgot.apkg",
                            lambda col, cards: col.sched.schedule_cards_as_new([cards["studied"]]))
    deck, out = _import(forgot, out_file, capsys, "--force")
    assert "1 new again (reset in Anki)" in out
    with Store.open() as store:
        studied = _card(store, deck, built, "studied")
        item = next(i for i in deck.items if i.guid == built.guids["studied"])
        assert (studied.state, studied.stability, studied.due, studied.reps) == ("new", None, None, 3)
        assert len(store.history(deck.id, item.id)) == 3  # its reviews stay in the log
    deck, out = _import(forgot, out_file, capsys, "--force")
    assert "new again" not in out
    time.sleep(1.1)

    def answer(col: Any, cards: dict[str, int]) -> None:
        card = col.get_card(cards["studied"])
        card.start_timer()
        col.sched.answerCard(card, 3)

    deck, out = _import(export_changed(built, tmp_path / "again.apkg", answer), out_file, capsys, "--force")
    assert "brought 1 review of 1 card" in out and "new again" not in out
    # A fresh package of it all: the card starts afresh at the reset, as in Anki.
    with Store.open() as store:
        after = _card(store, deck, built, "studied")
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path / "fresh-home"))
    deck, out = _import(tmp_path / "again.apkg", tmp_path / "fresh.yaml", capsys)
    assert "brought 13 reviews of 4 cards" in out
    with Store.open() as store:
        again = _card(store, deck, built, "studied")
    assert (again.state, again.reps, again.stability) == (after.state, after.reps, after.stability)
    assert after.state == "learning" and after.reps == 4


def test_a_card_reviewed_in_quiz_keeps_quiz_s_due_date(built: StateBuilt, tmp_path: Path, quiz_home: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    built = own_copy(built, tmp_path / "anki")
    out_file = tmp_path / "states.yaml"
    deck, _ = _import(built.path, out_file, capsys)
    item = next(i for i in deck.items if i.guid == built.guids["due-today"])
    with Collection.open(decks=[deck]) as collection:
        collection.study([deck]).grade_item(deck.id, item, 3)
    with Store.open() as store:
        graded = _card(store, deck, built, "due-today")
    _, end_of_today = study_day(datetime.now(timezone.utc), Settings())
    assert graded.due is not None and graded.due > end_of_today and graded.reps == 4
    time.sleep(1.1)  # Anki's cards keep their last change to the second
    later = export_changed(built, tmp_path / "later.apkg",
                           lambda col, cards: col.sched.suspend_cards([cards["due-today"]]))
    deck, out = _import(later, out_file, capsys, "--force")
    assert "1 suspended" in out and "due as Anki" not in out
    with Store.open() as store:
        now = _card(store, deck, built, "due-today")
    assert now.suspended and (now.due, now.reps, now.stability) == (graded.due, 4, graded.stability)
