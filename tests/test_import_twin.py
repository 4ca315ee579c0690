"""The importer's twin process (quiz.anki.twin): errors come back, and neither side waits
forever for the other."""

from __future__ import annotations

import threading
from multiprocessing.connection import Connection

import pytest

from quiz.anki.twin import Twin
from quiz.errors import QuizError


def _closes_within(twin: Twin, seconds: float) -> bool:
    done = threading.Event()
    threading.Thread(target=lambda: (twin.close(), done.set()), daemon=True).start()
    return done.wait(seconds)


def _big_answer(conn: Connection) -> None:
    conn.recv()
    conn.send(("ok", b"x" * 4_000_000))  # far more than a pipe holds


def test_a_parent_that_stops_listening_is_not_kept_waiting() -> None:
    # The parent failed (or was interrupted) after asking: it closes without reading the answer.
    twin = Twin(_big_answer)
    twin.send("go")
    assert _closes_within(twin, 20)


def _fails(conn: Connection) -> None:
    raise QuizError("made-up failure in the twin")


def test_an_error_in_the_twin_is_raised_in_the_parent() -> None:
    twin = Twin(_fails)
    with pytest.raises(QuizError, match="made-up failure"):
        twin.receive()
    assert _closes_within(twin, 20)


def _answers(conn: Connection) -> None:
    while (message := conn.recv()) is not None:
        conn.send(("ok", message * 2))


def test_steps_are_answered_in_order_and_a_waiting_twin_stops_on_close() -> None:
    twin = Twin(_answers)
    for n in (1, 2, 3):
        twin.send(n)
        assert twin.receive() == 2 * n
    assert _closes_within(twin, 20)


def _dies(conn: Connection) -> None:
    import os  # noqa: PLC0415 - in the twin only

    os._exit(9)  # killed, say by the out-of-memory killer: no answer at all


def test_a_twin_that_dies_is_one_clear_error() -> None:
    twin = Twin(_dies)
    with pytest.raises(QuizError, match=r"second process ended early \(exit code 9\); nothing was written"):
        twin.receive()
    assert _closes_within(twin, 20)
