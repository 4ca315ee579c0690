"""A second process for half of a big import, so that it uses both cores of the machine.

The twin is forked once the package is read (it shares what was read, without copying it), does
its half in steps, and talks over a pipe: each message it sends is the answer to the step asked.
Any exception in it comes back and is raised in the parent as if it had happened there; a twin
left without its parent (the pipe closed) stops. Fork only where quiz.cores.can_fork says so.
"""

from __future__ import annotations

import multiprocessing
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from quiz.errors import QuizError

Work = Callable[[Connection], None]


class Twin:
    def __init__(self, work: Work) -> None:
        sys.stdout.flush()  # nothing buffered may be written twice
        sys.stderr.flush()
        ctx = multiprocessing.get_context("fork")
        self._conn, theirs = ctx.Pipe()
        self._proc = ctx.Process(target=_run, args=(work, theirs, self._conn), daemon=True)
        self._proc.start()
        theirs.close()
        self._closed = False

    def send(self, message: Any) -> None:
        self._conn.send(message)

    def receive(self) -> Any:
        try:
            kind, value = self._conn.recv()
        except EOFError:
            self._proc.join()
            raise QuizError(f"the importer's second process ended early (exit code {self._proc.exitcode}); nothing was written") from None
        if kind == "error":
            raise value
        return value

    def close(self) -> None:
        """Tell the twin to stop if it still waits, and wait for it."""
        if self._closed:
            return
        self._closed = True
        try:
            self._conn.send(None)
        except OSError:
            pass  # it has ended already
        self._conn.close()
        self._proc.join()


def _run(work: Work, conn: Connection, parents_end: Connection) -> None:
    # The fork copied the parent's end of the pipe too: closed here, a send to a parent that has
    # gone fails at once (BrokenPipeError) instead of waiting forever for a reader.
    parents_end.close()
    try:
        work(conn)
    except BaseException as e:  # noqa: BLE001 - every failure goes back to the parent
        try:
            conn.send(("error", e))
        except OSError:
            pass  # the parent has gone (interrupted): nobody to tell
        except Exception:  # not picklable: its text is enough to report it
            try:
                conn.send(("error", RuntimeError("".join(traceback.format_exception(e)))))
            except OSError:
                pass
    finally:
        conn.close()
