"""Run a program in a pseudo-terminal and time what reaches the terminal, from outside.

Used by bench/startup.py and bench/scale.py: no hook inside the app, only the byte stream a
terminal would get. Text is found in the stream with escape sequences stripped (Textual moves
the cursor and changes colours between runs of text, never inside a word it writes in one
style), so a pattern should be a short piece of one line.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-byte escapes.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x00-\x08\x0e-\x1f]")


def plain(data: bytes) -> str:
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


class PtyRun:
    """``argv`` started in a ``cols`` x ``rows`` pty; its output collected with arrival times."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], cols: int = 100, rows: int = 30) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self._chunks: list[tuple[float, bytes]] = []
        self._cond = threading.Condition()
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env={"TERM": "xterm-256color", **env},
            start_new_session=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                data = b""
            now = time.perf_counter()
            with self._cond:
                if not data:
                    self._chunks.append((now, b""))
                    self._cond.notify_all()
                    return
                self._chunks.append((now, data))
                self._cond.notify_all()

    def mark(self) -> int:
        """A position in the stream: later waits look only at output after it."""
        with self._cond:
            return len(self._chunks)

    def wait_for(self, pattern: re.Pattern[str], since: int = 0, timeout: float = 60.0) -> tuple[float, re.Match[str]]:
        """(arrival time of the chunk that completed a match, the match) in output after ``since``."""
        deadline = time.perf_counter() + timeout
        seen = since
        text = ""
        raw = b""
        with self._cond:
            while True:
                while seen < len(self._chunks):
                    at, data = self._chunks[seen]
                    seen += 1
                    if not data:
                        raise RuntimeError(f"the program ended before {pattern.pattern!r} appeared: {plain(raw)[-300:]!r}")
                    raw += data
                    text = plain(raw)  # whole stream so far: an escape split across chunks is whole here
                    m = pattern.search(text)
                    if m:
                        return at, m
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"{pattern.pattern!r} did not appear in {timeout} s; last output: {text[-300:]!r}")
                self._cond.wait(left)

    def send(self, keys: bytes) -> float:
        t = time.perf_counter()
        os.write(self.master, keys)
        return t

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        try:
            os.close(self.master)
        except OSError:
            pass


def time_to_text(argv: Sequence[str], env: dict[str, str], pattern: re.Pattern[str], timeout: float = 120.0) -> float:
    """Seconds from spawning ``argv`` until text matching ``pattern`` is in its terminal output."""
    run = PtyRun(argv, env)
    try:
        at, _ = run.wait_for(pattern, timeout=timeout)
        return at - run.start
    finally:
        run.close()


def instructions_to_text(argv: Sequence[str], env: dict[str, str], pattern: re.Pattern[str], work: Path) -> int:
    """CPU instructions ``argv`` executes until text matching ``pattern`` is in its terminal
    output, counted by valgrind's cachegrind from outside (the process is stopped when the text
    is there, so its shutdown adds a little): unlike wall time, repeats within ~0.1% whatever
    else the machine does. Python's hash seed is fixed, else set orders vary the count ~1%."""
    out = work / "cachegrind.out"
    out.unlink(missing_ok=True)
    # --fair-sched: valgrind runs one thread at a time, and by default the thread that has the
    # lock keeps it; Textual's writer thread, woken with a frame to write, then waits until the
    # main thread blocks, so the count ran on through everything the app does after the frame
    # (~60M instructions more, and less when another process kept a core busy). Taking turns
    # lets the frame out when it is ready, as it is outside valgrind.
    vg = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--fair-sched=yes", f"--cachegrind-out-file={out}",
          f"--log-file={work / 'valgrind.log'}"]
    run = PtyRun([*vg, *argv], {**env, "PYTHONHASHSEED": "0"})
    try:
        run.wait_for(pattern, timeout=300)
    finally:
        run.close()
    summary = re.search(r"^summary: (\d+)", out.read_text(), re.M)
    if summary is None:
        raise RuntimeError(f"no cachegrind summary in {out}")
    return int(summary.group(1))


def quiz_command() -> list[str]:
    """``quiz`` as a user runs it: the script pip installs beside the interpreter (as the
    README's first command does), not ``python -m quiz``, which also loads runpy and importlib's
    helpers (~10 ms); that only where no script is installed."""
    script = Path(sys.executable).with_name("quiz")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "quiz"]


def installed_env(work: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a program timed as installed: an installed package has its modules
    compiled (pip does it), so each run reads its bytecode from a cache (written by a warm-up
    run) instead of compiling every module it imports on every start, as a source checkout does
    under PYTHONDONTWRITEBYTECODE. Every program of a comparison gets the same."""
    env = {**(os.environ if base is None else base)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env

