"""A thin wrapper over the ``fsrs`` scheduler: grade, preview the four buttons, retrievability,
and the "study day" boundary. No scheduling maths lives here; fsrs does all of it.

What fsrs leaves to us, handled here:
- every datetime is tz-aware UTC (fsrs raises on anything else);
- a ``card_id`` is always passed (``fsrs.Card()`` without one sleeps 1 ms);
- fsrs has no "new" state and no reps/lapses counters: ``CardState`` adds them;
- fuzz uses the global ``random``: callers keep the previewed outcome for the pressed button;
- fsrs draws fuzz per call, so four previews can come out Hard >= Good: ``preview`` draws one
  fuzz for all four and then keeps them strictly ordered, as Anki does;
- a day boundary (local hour, like Anki's 4 a.m.) for "due today".
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from quiz.card_state import CardState, Rating, State, utc
from quiz.durations import duration_text
from quiz.errors import QuizError
from quiz.settings import Settings

if TYPE_CHECKING:
    import fsrs

    from quiz.study.outcome import Outcome


def make_fsrs(settings: Settings) -> fsrs.Scheduler:
    import fsrs  # why: needed at the first answer, not to show the first card (start-up time)

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
    import fsrs  # why: loaded with the scheduler (make_fsrs), at the first answer

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

    @cached_property
    def fsrs(self) -> fsrs.Scheduler:
        """Built on first use: a study session shows its first card without loading fsrs."""
        return make_fsrs(self.settings)

    def review(self, card: CardState, rating: int, now: datetime) -> CardState:
        """The card after answering ``rating`` at ``now`` (fuzz, if on, is drawn afresh)."""
        rating = check_rating(rating)
        now = utc(now)
        after, _log = self.fsrs.review_card(to_fsrs(card, now), _fsrs_rating(rating), now)
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
        """All four outcomes, always Again < Hard < Good < Easy in time; apply the kept
        ``Outcome.after`` so the button does exactly what it said."""
        from quiz.study.outcome import Outcome  # why: at the first reveal, not on the way to the first card

        now = utc(now)
        # One fuzz draw for all four (fsrs calls random() once per review): intervals that were
        # in order before fuzz stay in order after it, and the global stream moves on by one draw.
        seed = random.getstate()
        afters: dict[int, CardState] = {}
        for rating in Rating:
            random.setstate(seed)
            afters[rating] = self.review(card, rating, now)
        dues = ordered_dues([_due(afters[r]) for r in Rating], now, self.settings.maximum_interval)
        out: dict[int, Outcome] = {}
        for rating, due in zip(Rating, dues):
            after = afters[rating] if due == afters[rating].due else replace(afters[rating], due=due)
            out[rating] = Outcome(rating, after, duration_text((due - now).total_seconds(), "button"))
        return out

    def retrievability(self, card: CardState, now: datetime) -> float:
        """Probability of recall now (0 for a card never reviewed)."""
        if card.state == State.NEW:
            return 0.0
        return float(self.fsrs.get_card_retrievability(to_fsrs(card, utc(now)), utc(now)))


def _fsrs_rating(rating: Rating) -> fsrs.Rating:
    import fsrs  # why: loaded with the scheduler (make_fsrs), at the first answer

    return fsrs.Rating(rating)


def _due(card: CardState) -> datetime:
    assert card.due is not None  # a reviewed card always has a due date
    return card.due


def ordered_dues(dues: list[datetime], now: datetime, maximum_interval: int) -> list[datetime]:
    """Make the four buttons' due times strictly increasing, as Anki does: a tie (or inversion,
    fuzz or not) moves the later button one day on (one minute for intervals under a day); when
    that passes the maximum interval, the earlier buttons step back under it instead (a day, or
    a minute where a day would meet the button below). Order wins over the cap when both
    cannot hold (a maximum interval of a day or two and no learning steps)."""
    out = list(dues)
    for i in range(1, len(out)):
        if out[i] <= out[i - 1]:
            out[i] = out[i - 1] + _step(out[i - 1] - now)
    cap = max(now + timedelta(days=maximum_interval), *dues)  # never later than fsrs itself went
    if out[-1] <= cap:
        return out
    back = [*out[:-1], cap]
    for i in range(len(back) - 2, 0, -1):
        if back[i] >= back[i + 1]:
            day_back = back[i + 1] - timedelta(days=1)
            back[i] = day_back if day_back > back[i - 1] else back[i + 1] - timedelta(minutes=1)
    return back if all(a < b for a, b in zip(back, back[1:])) else out


def _step(interval: timedelta) -> timedelta:
    return timedelta(days=1) if interval >= timedelta(days=1) else timedelta(minutes=1)


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


def day_start_on(d: date, settings: Settings) -> datetime:
    """When the study day ``d`` begins under ``settings`` (a card due then is due that day)."""
    return _wall_to_utc(d, settings.day_starts_at, settings.tz())
