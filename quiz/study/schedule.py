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

import json
import random
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo

import fsrs

from quiz.errors import QuizError
from quiz.settings import Settings

# Our states; 1..3 equal fsrs.State values, 0 is ours (fsrs calls a new card Learning step 0).
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def utc(dt: datetime) -> datetime:
    """The same instant with tzinfo exactly ``timezone.utc`` (what fsrs insists on)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt!r}: quiz uses timezone-aware datetimes only")
    return dt.astimezone(timezone.utc)


def to_us(dt: datetime) -> int:
    """Microseconds since the epoch: the store's exact, indexable time format."""
    d = utc(dt) - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def from_us(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class CardState:
    """Everything the store keeps about a card's schedule (one row of ``cards``)."""

    card_id: int
    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None  # None while new
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]

    def to_fsrs(self, now: datetime) -> fsrs.Card:
        if self.state == NEW:
            return fsrs.Card(card_id=self.card_id, state=fsrs.State.Learning, step=0, due=now)
        return fsrs.Card(
            card_id=self.card_id,
            state=fsrs.State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due or now,
            last_review=self.last_review,
        )

    def to_json(self) -> str:
        d = asdict(self)
        d["due"] = to_us(self.due) if self.due else None
        d["last_review"] = to_us(self.last_review) if self.last_review else None
        return json.dumps(d, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CardState:
        d = json.loads(text)
        d["due"] = from_us(d["due"]) if d["due"] is not None else None
        d["last_review"] = from_us(d["last_review"]) if d["last_review"] is not None else None
        return cls(**d)


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
    settings.validate()
    return fsrs.Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in settings.learning_steps),
        relearning_steps=tuple(timedelta(seconds=s) for s in settings.relearning_steps),
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=settings.enable_fuzzing,
    )


def check_rating(rating: int) -> int:
    if isinstance(rating, bool) or rating not in RATINGS:
        raise QuizError(f"rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy), got {rating!r}")
    return int(rating)


class Scheduler:
    """fsrs with our settings, on ``CardState`` values."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.fsrs = make_fsrs(self.settings)

    def review(self, card: CardState, rating: int, now: datetime) -> CardState:
        """The card after answering ``rating`` at ``now`` (fuzz, if on, is drawn afresh)."""
        rating = check_rating(rating)
        now = utc(now)
        after, _log = self.fsrs.review_card(card.to_fsrs(now), fsrs.Rating(rating), now)
        # A lapse is forgetting a card that had graduated (Anki's definition); fsrs counts neither.
        lapsed = card.state == REVIEW and rating == 1
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
        now = utc(now)
        # One fuzz draw for all four (fsrs calls random() once per review): intervals that were
        # in order before fuzz stay in order after it, and the global stream moves on by one draw.
        seed = random.getstate()
        afters: dict[int, CardState] = {}
        for rating in RATINGS:
            random.setstate(seed)
            afters[rating] = self.review(card, rating, now)
        dues = ordered_dues([_due(afters[r]) for r in RATINGS], now, self.settings.maximum_interval)
        out: dict[int, Outcome] = {}
        for rating, due in zip(RATINGS, dues):
            after = afters[rating] if due == afters[rating].due else replace(afters[rating], due=due)
            out[rating] = Outcome(rating, after, interval_label(due - now))
        return out

    def retrievability(self, card: CardState, now: datetime) -> float:
        """Probability of recall now (0 for a card never reviewed)."""
        if card.state == NEW:
            return 0.0
        return float(self.fsrs.get_card_retrievability(card.to_fsrs(utc(now)), utc(now)))


def _due(card: CardState) -> datetime:
    assert card.due is not None  # a reviewed card always has a due date
    return card.due


def ordered_dues(dues: list[datetime], now: datetime, maximum_interval: int) -> list[datetime]:
    """Make the four buttons' due times strictly increasing, as Anki does: a tie (or inversion,
    fuzz or not) moves the later button one day on (one minute for intervals under a day); when
    that passes the maximum interval, the earlier buttons step back under it instead."""
    out = list(dues)
    for i in range(1, len(out)):
        if out[i] <= out[i - 1]:
            out[i] = out[i - 1] + _step(out[i - 1] - now)
    cap = max(now + timedelta(days=maximum_interval), *dues)  # never later than fsrs itself went
    if out[-1] > cap:
        out[-1] = cap
        for i in range(len(out) - 2, 0, -1):
            if out[i] >= out[i + 1]:  # one day back while that stays a day or more away
                out[i] = out[i + 1] - _step(out[i + 1] - now - timedelta(days=1))
    return out


def _step(interval: timedelta) -> timedelta:
    return timedelta(days=1) if interval >= timedelta(days=1) else timedelta(minutes=1)


def is_leech(card: CardState, settings: Settings) -> bool:
    return card.lapses >= settings.leech_lapses


def interval_label(delta: timedelta) -> str:
    """Anki-style short interval: 45s, 1m, 6m, 10m, 3h, 8d, 3.5mo, 1.2y."""
    secs = max(0.0, delta.total_seconds())
    if secs < 60:
        return f"{int(secs + 0.5)}s"
    if secs < 3600:
        return f"{int(secs / 60 + 0.5)}m"
    if secs < 86400:
        return f"{int(secs / 3600 + 0.5)}h"
    days = secs / 86400
    if days < 30:
        return f"{int(days + 0.5)}d"
    if days < 365:
        return _one_decimal(days / 30) + "mo"
    return _one_decimal(days / 365) + "y"


def _one_decimal(x: float) -> str:
    r = round(x, 1)
    return f"{r:.0f}" if r == int(r) else f"{r:.1f}"


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
