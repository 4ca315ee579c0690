"""A scored sitting (``ExamResult``) and keeping it: the exam history is the store's own table,
never the review log."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class ExamResult:
    """What ``quiz exam --json`` prints (``as_json()``, keys in this order) and the store keeps."""

    correct: int
    overridden: int  # answers the checker refused that the user counted right
    total: int  # questions answered
    percent: float  # of the answered ones, partial credit for lists
    points: float
    asked: int
    unanswered: int
    seed: int | None
    decks: list[str]
    filters: dict[str, list[str]]  # "tags", "types"
    started: str  # ISO times, to the second
    finished: str
    seconds: float
    tags: dict[str, dict[str, int]]  # tag -> {"correct", "total"}
    sources: dict[str, dict[str, int]]  # source section -> {"correct", "total"}
    questions: list[dict[str, Any]]  # one per answered question (Outcome.to_dict)
    recorded: bool  # the answers were also graded as reviews (--record)
    retake: int  # 0: the exam itself; n: its n-th retake

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def missed(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if not q["correct"]]


@dataclass(frozen=True)
class ExamRecord:
    """One kept exam (``quiz exam --history``); ``as_json()`` is its --json form."""

    id: int
    started: str | None  # ISO times
    finished: str | None
    decks: list[str]
    correct: int
    total: int
    percent: float
    detail: dict[str, Any]  # the sitting's whole result (ExamResult.as_json())

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class ExamRecords(Protocol):
    """Where scored sittings are kept (quiz.storage.store.Store's exam table)."""

    def record_exam(self, result: dict[str, Any]) -> None: ...


def save_result(store: ExamRecords, result: ExamResult) -> bool:
    """Keep a scored sitting in the store's exam history (its own table; never the review
    log). Nothing answered, nothing kept."""
    if not result.total:
        return False
    data = result.as_json()
    store.record_exam({**data, "detail": data})
    return True
