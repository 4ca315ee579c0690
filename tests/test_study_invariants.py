"""Property-based: random study sessions (grade, bury, suspend, undo, time passing, items removed
and re-added) never break the queue's promises."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from test_study_support import Clock, make_deck, study_session

from quiz.decks.model import Deck
from quiz.card_state import State, to_us
from quiz.study.schedule import study_day

NEW, REVIEW = State.NEW, State.REVIEW
from quiz.settings import Settings
from quiz.storage.store import Store
from quiz.study.session import StudySession

SETTINGS = Settings(timezone="UTC", new_per_day=3, reviews_per_day=4, enable_fuzzing=True)

grade = st.tuples(st.just("grade"), st.integers(1, 4))
ops = st.lists(
    st.one_of(
        grade,
        grade,
        grade,
        grade,
        st.tuples(st.just("bury"), st.just(0)),
        st.tuples(st.just("suspend"), st.just(0)),
        st.tuples(st.just("unsuspend"), st.integers(0, 7)),
        st.tuples(st.just("undo"), st.just(0)),
        st.tuples(st.just("wait"), st.sampled_from([30, 600, 3600, 6 * 3600, 86400, 5 * 86400])),
        st.tuples(st.just("drop"), st.integers(0, 7)),
        st.tuples(st.just("restore"), st.just(0)),
    ),
    max_size=50,
)
_home = iter(range(10**9))


def check(store: Store, s: StudySession, deck: Deck) -> None:
    now = s.now()
    start, end = study_day(now, SETTINGS)
    card = s.next_card()
    counts = s.counts()
    assert min(counts.new, counts.learning, counts.review) >= 0
    if card is None:
        assert counts.new == 0 and counts.review == 0, counts
    else:
        (suspended, hidden, buried, state, due) = store.query(
            "SELECT suspended, hidden, buried_until, state, due FROM cards WHERE id = ?", (card.card_id,)
        )[0]
        assert not suspended and not hidden and buried <= to_us(now)
        assert card.item.id in {it.id for it in deck.items}
        if state == NEW and card.item.fact is not None:  # a new card waits if its fact was studied today
            assert not store.query(
                "SELECT 1 FROM revlog r JOIN cards c ON c.id = r.card_id "
                "WHERE r.undone = 0 AND r.time >= ? AND c.fact = ? AND c.deck_id = ?",
                (to_us(start), card.item.fact, card.deck_id),
            )
        if state == REVIEW:
            assert due < to_us(end)
        elif state != NEW:
            assert due <= to_us(now + timedelta(minutes=SETTINGS.learn_ahead_minutes))
    new_today, reviews_today = store.query(
        "SELECT SUM(state_before = 0), SUM(state_before = 2) FROM revlog WHERE undone = 0 AND time >= ?",
        (to_us(start),),
    )[0]
    assert (new_today or 0) <= SETTINGS.new_per_day
    assert (reviews_today or 0) <= SETTINGS.reviews_per_day
    bad = store.query(
        "SELECT c.id FROM cards c LEFT JOIN revlog r ON r.card_id = c.id AND r.undone = 0 "
        "GROUP BY c.id HAVING c.reps != COUNT(r.id)"
    )
    assert not bad


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_random_sessions_keep_the_queue_promises(tmp_path: Path, steps: list[tuple[str, int]]) -> None:
    full = make_deck(8, facts=3)
    deck = full
    clock = Clock()
    with Store.open(tmp_path / f"s{next(_home)}.sqlite3") as store:
        s = study_session(store, [deck], SETTINGS, clock)
        for op, arg in steps:
            card = s.next_card()
            if op == "grade" and card is not None:
                s.preview(card)
                s.grade(card, arg)
            elif op == "bury" and card is not None:
                s.bury(card)
            elif op == "suspend" and card is not None:
                s.suspend(card)
            elif op == "unsuspend":
                store.set_suspended(deck.id, full.items[arg].id, False)
            elif op == "undo":
                kind = s.undo_kind
                back = s.undo()
                if back is not None:  # whatever was undone, the card is back on screen, live
                    assert s.last_undone == kind and s.next_card() == back
                    suspended, buried = store.query(
                        "SELECT suspended, buried_until FROM cards WHERE id = ?", (back.card_id,)
                    )[0]
                    assert not suspended and buried <= to_us(s.now())
            elif op == "wait":
                clock.advance(seconds=arg)
            elif op in ("drop", "restore"):
                deck = (
                    full
                    if op == "restore"
                    else Deck(deck.id, deck.name, items=tuple(it for it in deck.items if it.id != full.items[arg].id))
                )
                s = study_session(store, [deck], SETTINGS, clock)  # a new session on the edited deck
            check(store, s, deck)
