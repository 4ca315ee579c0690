"""A thin wrapper over the ``fsrs`` scheduler: grade, preview the four buttons, retrievability,
and the "study day" boundary. No scheduling maths lives here; fsrs does all of it.

What fsrs leaves to us, handled here:
- every datetime is tz-aware UTC (fsrs raises on anything else);
- a ``card_id`` is always passed (``fsrs.Card()`` without one sleeps 1 ms);
- fsrs has no "new" state and no reps/lapses counters: ``CardState`` adds them;
- fuzz uses the global ``random``: callers keep the previewed outcome for the pressed button;
- a day boundary (local hour, like Anki's 4 a.m.) for "due today".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

import fsrs

from quiz.card_state import CardState, Rating, State, utc
from quiz.durations import duration_text
from quiz.errors import QuizError
from quiz.settings import Settings


@dataclass(frozen=True)
class Outcome:
    """What pressing one button would do: the card after, and Anki's button label."""

    rating: int
    after: CardState
    label: str

    @property
    def due(self) -> datetime:
        assert self.after.due is not None
        return self.after.due


def make_fsrs(settings: Settings) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in settings.learning_steps),
        relearning_steps=tuple(timedelta(seconds=s) for s in settings.relearning_steps),
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=settings.enable_fuzzing,
    )


def check_rating(rating: int) -> Rating:
    if isinstance(rating, bool) or rating not in tuple(Rating):
        raise QuizError(f"rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy), got {rating!r}")
    return Rating(rating)


def to_fsrs(card: CardState, now: datetime) -> fsrs.Card:
    if card.state == State.NEW:
        return fsrs.Card(card_id=card.card_id, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=card.card_id,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due or now,
        last_review=card.last_review,
    )


class Scheduler:
    """fsrs with our settings, on ``CardState`` values."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.fsrs = make_fsrs(self.settings)

    def review(self, card: CardState, rating: int, now: datetime) -> CardState:
        """The card after answering ``rating`` at ``now`` (fuzz, if on, is drawn afresh)."""
        rating = check_rating(rating)
        now = utc(now)
        after, _log = self.fsrs.review_card(to_fsrs(card, now), fsrs.Rating(rating), now)
        # A lapse is forgetting a card that had graduated (Anki's definition); fsrs counts neither.
        lapsed = card.state == State.REVIEW and rating == Rating.AGAIN
        return CardState(
            card_id=card.card_id,
            state=int(after.state.value),
            step=after.step,
            stability=after.stability,
            difficulty=after.difficulty,
            due=after.due,
            last_review=after.last_review,
            reps=card.reps + 1,
            lapses=card.lapses + (1 if lapsed else 0),
        )

    def preview(self, card: CardState, now: datetime) -> dict[int, Outcome]:
        """All four outcomes; apply the kept ``Outcome.after`` so the button does what it said."""
        now = utc(now)
        out: dict[int, Outcome] = {}
        for rating in Rating:
            after = self.review(card, rating, now)
            assert after.due is not None
            out[rating] = Outcome(rating, after, duration_text((after.due - now).total_seconds(), "button"))
        return out

    def retrievability(self, card: CardState, now: datetime) -> float:
        """Probability of recall now (0 for a card never reviewed)."""
        if card.state == State.NEW:
            return 0.0
        return float(self.fsrs.get_card_retrievability(to_fsrs(card, utc(now)), utc(now)))


# --- the study day -------------------------------------------------------------------------


def _local(dt: datetime, tz: tzinfo | None) -> datetime:
    return dt.astimezone(tz) if tz is not None else dt.astimezone()


def _wall_to_utc(d: date, hour: int, tz: tzinfo | None) -> datetime:
    naive = datetime.combine(d, time(hour))
    # A naive datetime's astimezone() reads it as system local time, DST included.
    aware = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return aware.astimezone(timezone.utc)


def day_start(now: datetime, hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """When the current study day began: the last ``hour`` o'clock local time at or before now."""
    local = _local(utc(now), tz)
    d = local.date() - timedelta(days=1) if local.hour < hour else local.date()
    return _wall_to_utc(d, hour, tz)


def next_day_start(now: datetime, hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """When the next study day begins (the end of "today")."""
    local = _local(day_start(now, hour, tz), tz)
    return _wall_to_utc(local.date() + timedelta(days=1), hour, tz)


def study_day(now: datetime, settings: Settings) -> tuple[datetime, datetime]:
    """(start, end) of the study day containing ``now`` under ``settings``."""
    tz = settings.tz()
    return day_start(now, settings.day_starts_at, tz), next_day_start(now, settings.day_starts_at, tz)
