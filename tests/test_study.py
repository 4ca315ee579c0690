"""quiz.study.session / quiz.study.queue: order, limits, the day boundary, bury, suspend, leeches, siblings,
previews that are exactly what grading applies, and conformance through the store."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import fsrs
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from test_study_support import Clock, T0, make_deck, study_session

from quiz.errors import QuizError
from quiz.decks.model import Deck, Item
from quiz.card_state import State, to_us

REVIEW = State.REVIEW
from quiz.settings import Settings
from quiz.storage.store import Store
from quiz.study.session import StudyCard, StudySession

UTC_SETTINGS = dict(timezone="UTC", enable_fuzzing=False)


@pytest.fixture
def store(quiz_home: object) -> Store:
    st_ = Store.open()
    yield st_  # type: ignore[misc]
    st_.close()


def session(store: Store, deck: Deck | list[Deck], clock: Clock, **kw: object) -> StudySession:
    decks = deck if isinstance(deck, list) else [deck]
    return study_session(store, decks, Settings(**{**UTC_SETTINGS, **kw}), clock)  # type: ignore[arg-type]


def next_card(s: StudySession) -> StudyCard:
    c = s.next_card()
    assert c is not None
    return c


def set_review(store: Store, item_id: str, *, due: datetime, last: datetime, stability: float) -> None:
    store._conn.execute(
        "UPDATE cards SET state = ?, stability = ?, difficulty = 5.0, due = ?, last_review = ?, reps = 3 "
        "WHERE item_id = ?",
        (REVIEW, stability, to_us(due), to_us(last), item_id),
    )


def test_order_learning_then_reviews_by_retrievability_then_new(store: Store) -> None:
    clock = Clock()
    deck = make_deck(6)
    s = session(store, deck, clock, new_per_day=10)
    # i5 goes into learning (Again: due in 1 minute), graded in an earlier session.
    session(store, deck, clock).grade(StudyCard("d", deck.item("i5"), "new", store.card_id("d", "i5")), 1)
    # Two due reviews: i3 is far more overdue for its stability than i4.
    set_review(store, "i4", due=T0 - timedelta(days=1), last=T0 - timedelta(days=11), stability=10.0)
    set_review(store, "i3", due=T0 - timedelta(days=1), last=T0 - timedelta(days=6), stability=2.0)
    clock.advance(minutes=2)
    shown = []
    for _ in range(6):
        c = next_card(s)
        shown.append(c.item.id)
        s.grade(c, 4)
    assert shown == ["i5", "i3", "i4", "i0", "i1", "i2"]
    assert s.next_card() is None
    assert s.reviewed == 6


def test_new_card_limit_is_per_study_day_across_sessions(store: Store) -> None:
    clock = Clock(datetime(2026, 3, 2, 22, 0, tzinfo=timezone.utc))
    deck = make_deck(10)
    s1 = session(store, deck, clock, new_per_day=3)
    assert s1.counts().new == 3
    for _ in range(2):
        s1.grade(next_card(s1), 4)
    s2 = session(store, deck, clock, new_per_day=3)  # a later session, same day
    assert s2.counts().new == 1
    s2.grade(next_card(s2), 4)
    assert s2.counts().new == 0 and s2.next_card() is None
    clock.t = datetime(2026, 3, 3, 3, 59, tzinfo=timezone.utc)  # after midnight, before 4 a.m.
    assert s2.counts().new == 0 and s2.next_card() is None
    clock.t = datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc)  # a new study day
    assert s2.counts().new == 3
    assert next_card(s2).state == "new"


def test_undone_new_card_does_not_use_up_the_limit(store: Store) -> None:
    s = session(store, make_deck(5), Clock(), new_per_day=2)
    s.grade(next_card(s), 4)
    assert s.counts().new == 1
    s.undo()
    assert s.counts().new == 2


def test_review_limit(store: Store) -> None:
    clock = Clock()
    deck = make_deck(5)
    s = session(store, deck, clock, reviews_per_day=2, new_per_day=0)
    for k in range(5):
        set_review(store, f"i{k}", due=T0 - timedelta(hours=1), last=T0 - timedelta(days=3), stability=3.0)
    assert s.counts().review == 2
    s.grade(next_card(s), 3)
    s.grade(next_card(s), 3)
    assert s.counts().review == 0 and s.next_card() is None


def test_bury_hides_the_card_until_the_next_study_day(store: Store) -> None:
    clock = Clock(datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc))
    s = session(store, make_deck(2), clock)
    c = next_card(s)
    s.bury(c)
    assert store.card_info("d", c.item.id).buried_until == datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc)
    assert s.counts().new == 1
    other = next_card(s)
    assert other.card_id != c.card_id
    s.bury(other)
    assert s.next_card() is None
    clock.t = datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc)
    assert s.counts().new == 2
    assert next_card(s).card_id == c.card_id


def test_suspended_cards_never_come_until_unsuspended(store: Store) -> None:
    clock = Clock()
    s = session(store, make_deck(2), clock)
    c = next_card(s)
    s.suspend(c)
    assert store.card_info("d", c.item.id).suspended
    clock.advance(days=400)
    seen = {next_card(s).card_id}
    assert c.card_id not in seen and s.counts().new == 1
    store.set_suspended("d", c.item.id, False)
    assert s.counts().new == 2


def test_leech_after_eight_lapses(store: Store) -> None:
    clock = Clock()
    s = session(store, make_deck(1), clock, leech_lapses=8)
    c = next_card(s)
    s.grade(c, 4)  # straight to review
    for lapse in range(1, 9):
        clock.t = store.card_info("d", "i0").due  # type: ignore[assignment]
        c = next_card(s)
        assert c.state == "review" and c.leech is (lapse > 8)
        s.grade(c, 1)  # forgotten: a lapse, into relearning
        clock.t = store.card_info("d", "i0").due  # type: ignore[assignment]
        s.grade(next_card(s), 3)  # relearnt
        info = store.card_info("d", "i0")
        assert info.lapses == lapse and info.leech is (lapse >= 8)
    clock.t = store.card_info("d", "i0").due  # type: ignore[assignment]
    assert next_card(s).leech


def sibling_deck(facts: str = "abc", per_fact: int = 3) -> Deck:
    items = tuple(
        Item(id=f"{f}-{k}", type="basic", question=f"{f} {k}?", answer="x", fact=f)
        for f in facts
        for k in range(per_fact)
    )  # deck order: a-0 a-1 a-2 b-0 ... (siblings adjacent)
    return Deck(id="d", name="d", items=items)


def test_new_siblings_wait_for_the_next_day(store: Store) -> None:
    clock = Clock()
    s = session(store, sibling_deck(), clock, new_per_day=20)
    shown = []
    while (c := s.next_card()) is not None:
        shown.append(c.item.id)
        s.grade(c, 4)  # easy: straight to review, days away
    assert shown == ["a-0", "b-0", "c-0"]  # one card per fact today
    assert s.counts().new == 0  # the held-back siblings are not counted as waiting today
    clock.advance(days=1)
    assert next_card(s).item.id == "a-1"
    assert s.counts().new == 6  # all of them may start today (until one of a fact is graded)


def test_a_review_sibling_waits_until_nothing_else_is_due(store: Store) -> None:
    clock = Clock()
    s = session(store, sibling_deck("abc", 2), clock, new_per_day=0)
    # By retrievability (lowest first) the order would be a-0 b-0 a-1 c-0.
    set_review(store, "a-0", due=T0 - timedelta(days=1), last=T0 - timedelta(days=30), stability=2.0)
    set_review(store, "b-0", due=T0 - timedelta(days=1), last=T0 - timedelta(days=25), stability=2.0)
    set_review(store, "a-1", due=T0 - timedelta(days=1), last=T0 - timedelta(days=20), stability=2.0)
    set_review(store, "c-0", due=T0 - timedelta(days=1), last=T0 - timedelta(days=11), stability=10.0)
    shown = []
    while (c := s.next_card()) is not None:
        shown.append(c.item.id)
        s.grade(c, 3)
    assert shown == ["a-0", "b-0", "c-0", "a-1"]  # a-1 still comes today: nothing else was left


def test_no_sibling_right_after_a_bury(store: Store) -> None:
    s = session(store, sibling_deck("ab", 2), Clock())
    first = next_card(s)
    assert first.item.id == "a-0"
    s.bury(first)
    assert next_card(s).item.fact == "b"
    s.suspend(next_card(s))
    assert next_card(s).item.id == "a-1"  # b's sibling is not next either; a-1 is the only card left


def test_real_deck_one_days_new_cards_are_all_different_facts(store: Store) -> None:
    from quiz.decks.loader import load_deck
    from quiz.paths import builtin_decks_dir

    deck = load_deck(builtin_decks_dir() / "calcineurin-inhibitors.yaml")
    assert len(deck.items) > len({it.fact for it in deck.items}) >= 20  # has siblings to keep apart
    clock = Clock()
    s = session(store, deck, clock, new_per_day=20)
    new_facts = []
    while (c := s.next_card()) is not None:
        if c.state == "new":
            new_facts.append(c.item.fact)
        s.grade(c, 3)
        clock.advance(minutes=1)
    assert len(new_facts) == 20  # the daily limit filled up with other facts' cards
    assert len(set(new_facts)) == 20, new_facts
    idle = session(store, deck, clock, new_per_day=20)
    assert idle.counts().new == 0


def test_learning_cards_come_early_when_nothing_else_is_due(store: Store) -> None:
    clock = Clock()
    s = session(store, make_deck(1), clock, learning_steps=(60, 600))
    s.grade(next_card(s), 3)  # step 2: due in 10 minutes
    assert s.counts().learning == 1
    assert next_card(s).state == "learning"  # within the 20-minute learn-ahead
    s2 = session(store, make_deck(1), clock, learning_steps=(3600,), learn_ahead_minutes=20)
    s2.grade(next_card(s2), 1)  # due in an hour
    assert s2.next_card() is None
    assert s2.next_learning_due() == T0 + timedelta(hours=1)


def test_counts(store: Store) -> None:
    clock = Clock()
    s = session(store, [make_deck(4, "a"), make_deck(30, "b")], clock, new_per_day=20)
    assert (s.counts().new, s.counts().learning, s.counts().review) == (24, 0, 0)
    s.grade(next_card(s), 3)
    assert (s.counts().new, s.counts().learning) == (23, 1)


def test_grade_after_another_process_changed_the_card_uses_the_new_state(store: Store) -> None:
    clock = Clock()
    deck = make_deck(1)
    a = session(store, deck, clock)
    b = session(store, deck, clock)
    card = next_card(a)
    a.preview(card)  # a keeps its preview of the *new* card...
    b.grade(next_card(b), 4)  # ...but b grades it first
    a.grade(card, 3)
    info = store.card_info("d", "i0")
    assert info.reps == 2 and info.state == "review"
    assert [r.state_before for r in store.history("d", "i0")] == ["new", "review"]


def test_bad_rating_is_refused_before_any_write(store: Store) -> None:
    s = session(store, make_deck(1), Clock())
    with pytest.raises(QuizError):
        s.grade(next_card(s), 0)
    assert store.query("SELECT COUNT(*) FROM revlog")[0][0] == 0


# --- property-based: through the store and the session ------------------------------------------

steps = st.lists(st.tuples(st.integers(1, 4), st.integers(0, 120 * 86400)), min_size=1, max_size=10)
_deck_no = iter(range(10**9))


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seq=steps, seed=st.integers(0, 2**32))
def test_with_fuzzing_every_preview_is_what_grading_applies(
    store: Store, seq: list[tuple[int, int]], seed: int
) -> None:
    random.seed(seed)
    clock = Clock()
    deck = make_deck(1, deck_id=f"fz{next(_deck_no)}")
    s = study_session(store, [deck], Settings(enable_fuzzing=True, timezone="UTC"), clock)
    card = next_card(s)
    for rating, gap in seq:
        clock.advance(seconds=gap)
        shown = s.preview(card)
        random.random()  # the TUI or anything else drawing from the global random meanwhile
        clock.advance(seconds=7)  # the user thinks, then presses
        s.grade(card, rating)
        info = store.card_info(deck.id, "i0")
        assert info.due == shown[rating].due


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seq=steps)
def test_session_schedules_exactly_like_fsrs(store: Store, seq: list[tuple[int, int]]) -> None:
    clock = Clock()
    deck = make_deck(1, deck_id=f"cf{next(_deck_no)}")
    s = study_session(store, [deck], Settings(enable_fuzzing=False, timezone="UTC"), clock)
    ref_sched = fsrs.Scheduler(enable_fuzzing=False)
    card = next_card(s)
    ref = fsrs.Card(card_id=card.card_id)
    for rating, gap in seq:
        now = clock.advance(seconds=gap)
        s.grade(card, rating)
        ref, _ = ref_sched.review_card(ref, fsrs.Rating(rating), now)
        info = store.card_info(deck.id, "i0")
        assert (info.due, info.stability, info.difficulty) == (ref.due, ref.stability, ref.difficulty)


def test_a_due_review_graded_elsewhere_is_not_offered_again(store: Store) -> None:
    clock = Clock()
    deck = make_deck(3)
    a = session(store, deck, clock, new_per_day=0)
    b = session(store, deck, clock, new_per_day=0)
    for k in range(3):
        set_review(store, f"i{k}", due=T0 - timedelta(days=1), last=T0 - timedelta(days=5 + k), stability=3.0)
    first = next_card(a)
    assert first.item.id == "i2"  # most overdue for its stability
    b.grade(next_card(b), 4)  # another process answers it meanwhile
    assert next_card(a).item.id == "i1"
    # A review that falls due in the meantime (here: made due by hand) shows up once the
    # ordered review list is rebuilt, within minutes.
    set_review(store, "i2", due=T0, last=T0 - timedelta(days=30), stability=3.0)
    clock.advance(minutes=6)
    assert next_card(a).item.id == "i2"


def test_retrievability_of_the_card_shown(store: Store) -> None:
    clock = Clock()
    s = session(store, make_deck(1), clock)
    card = next_card(s)
    assert s.retrievability(card) == 0.0
    s.grade(card, 4)
    clock.advance(days=3)
    assert 0.0 < s.retrievability(card) < 1.0
    r3 = s.retrievability(card)
    clock.advance(days=30)
    assert s.retrievability(card) < r3


def test_undo_brings_back_a_card_set_aside_after_its_grade(store: Store) -> None:
    clock = Clock()
    s = session(store, make_deck(1), clock)
    card = next_card(s)
    s.grade(card, 1)  # again: back in a minute (within the learn-ahead)
    s.bury(next_card(s))
    assert s.next_card() is None
    back = s.undo()  # the bury first: the card is back, still graded
    assert back is not None and back.card_id == card.card_id and s.last_undone == "bury"
    info = store.card_info("d", card.item.id)
    assert (info.state, info.buried_until, info.suspended) == ("learning", None, False)
    assert s.next_card() == back
    s.suspend(back)
    assert s.undo() == back and s.last_undone == "suspend"
    back = s.undo()  # then the grade
    assert back is not None and s.last_undone == "grade"
    info = store.card_info("d", card.item.id)
    assert (info.state, info.buried_until, info.suspended) == ("new", None, False)
    assert s.next_card() == back


def test_undo_steps_back_through_grades_buries_and_suspends(store: Store) -> None:
    s = session(store, make_deck(4), Clock())
    a = next_card(s)
    s.grade(a, 3)
    b = next_card(s)
    s.suspend(b)  # the accidental "!"
    c = next_card(s)
    s.bury(c)
    assert s.undo_kind == "bury"
    back = s.undo()
    assert back is not None and back.card_id == c.card_id and s.last_undone == "bury"
    assert store.card_info("d", c.item.id).buried_until is None
    assert s.next_card() == back
    back = s.undo()
    assert back is not None and back.card_id == b.card_id and s.last_undone == "suspend"
    assert not store.card_info("d", b.item.id).suspended
    assert s.next_card() == back
    back = s.undo()
    assert back is not None and back.card_id == a.card_id and s.last_undone == "grade"
    assert s.reviewed == 0 and s.last_review_id is None
    hist = store.history("d", a.item.id)
    assert [r.undone for r in hist] == [True]  # the review is kept, flagged undone
    assert s.undo() is None and s.undo_kind is None and not s.can_undo()


def study_all(s: StudySession, rating: int = 4) -> list[str]:
    shown = []
    while (c := s.next_card()) is not None:
        shown.append(c.item.id)
        s.grade(c, rating)
    return shown


def test_idle_reason_daily_new_limit(store: Store) -> None:
    s = session(store, make_deck(30), Clock(), new_per_day=20)
    assert len(study_all(s)) == 20
    assert s.idle_reason() == "Daily limit of 20 new cards reached; 10 more wait for tomorrow."


def test_idle_reason_next_learning_card(store: Store) -> None:
    s = session(store, make_deck(1), Clock(), learning_steps=(420,), learn_ahead_minutes=5)
    s.grade(next_card(s), 1)  # back in 7 minutes, beyond the 5-minute learn-ahead
    assert s.next_card() is None
    assert s.idle_reason() == "Next learning card in 7 min."


def test_idle_reason_siblings_and_buried(store: Store) -> None:
    s = session(store, sibling_deck("ab", 2), Clock())
    s.grade(next_card(s), 4)  # a-0
    s.bury(next_card(s))  # b-0
    s.bury(next_card(s))  # b-1 (a-1 waits: its fact was studied)
    assert s.next_card() is None
    assert s.idle_reason() == (
        "1 new card waits for tomorrow: a card of the same fact was studied today. 2 cards are buried until tomorrow."
    )


def test_idle_reason_all_done_and_no_cards(store: Store) -> None:
    clock = Clock()
    s = session(store, make_deck(2), clock)
    study_all(s)
    assert s.idle_reason().startswith("All done for today. Next review in ")
    assert s.idle_reason().endswith(" days.")
    assert session(store, Deck(id="e", name="e", items=()), clock).idle_reason() == ""


def test_a_card_of_a_newer_deck_file_waits_until_the_session_takes_that_deck(store: Store) -> None:
    clock = Clock()
    old = make_deck(2)
    s = session(store, old, clock)
    new = Deck(id="d", name=old.name, items=(*old.items, *make_deck(1, prefix="x").items))
    store.sync_deck(new)  # another quiz read the edited file: x0 added
    shown = []
    while (c := s.next_card()) is not None:  # x0 is not in this session's deck: skipped, no error
        shown.append(c.item.id)
        s.grade(c, 4)
    assert shown == ["i0", "i1"]
    s.use_decks([new])  # the edited file, read again
    assert next_card(s).item.id == "x0"
