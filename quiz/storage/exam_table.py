"""The exam mode's own table (``exams``): one row per sitting; never touches cards or revlog."""

from __future__ import annotations

import json
from datetime import datetime

from quiz.storage.connection import StoreConnection


class ExamTable(StoreConnection):
    """Recording exam results and reading them back (newest first)."""

    def record_exam(self, result: dict) -> None:  # type: ignore[type-arg]
        detail = result.get("detail", {})
        with self.transaction() as c:
            c.execute(
                "INSERT INTO exams (started, finished, decks, correct, total, percent, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _iso(result.get("started")),
                    _iso(result.get("finished")),
                    json.dumps(list(result.get("decks", []))),
                    int(result["correct"]),
                    int(result["total"]),
                    float(result["percent"]),
                    detail if isinstance(detail, str) else json.dumps(detail, default=str),
                ),
            )

    def exam_summaries(self, limit: int = 20) -> list[dict]:  # type: ignore[type-arg]
        """The last ``limit`` exams, newest first, without their questions: id, date (when it
        finished, else started), correct, total, percent."""
        rows = self.query(
            "SELECT id, COALESCE(finished, started), correct, total, percent FROM exams ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [{"id": r[0], "date": r[1], "correct": r[2], "total": r[3], "percent": r[4]} for r in rows]

    def exam_history(self, limit: int = 50) -> list[dict]:  # type: ignore[type-arg]
        rows = self.query(
            "SELECT id, started, finished, decks, correct, total, percent, detail FROM exams ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            {
                "id": r[0],
                "started": r[1],
                "finished": r[2],
                "decks": json.loads(r[3]),
                "correct": r[4],
                "total": r[5],
                "percent": r[6],
                "detail": json.loads(r[7]),
            }
            for r in rows
        ]


def _iso(v: object) -> str | None:
    if v is None:
        return None
    return v.isoformat() if isinstance(v, datetime) else str(v)
