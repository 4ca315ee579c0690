"""Keeping a scored sitting: the exam history is the store's own table, never the review log."""

from __future__ import annotations

from typing import Any, Protocol


class ExamRecords(Protocol):
    """Where scored sittings are kept (quiz.storage.store.Store's exam table)."""

    def record_exam(self, result: dict[str, Any]) -> None: ...


def save_result(store: ExamRecords, result: dict[str, Any]) -> bool:
    """Keep a scored sitting in the store's exam history (its own table; never the review
    log). Nothing answered, nothing kept."""
    if not result["total"]:
        return False
    store.record_exam({**result, "detail": result})
    return True
