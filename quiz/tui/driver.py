"""QuizDriver: Textual's Linux/macOS driver, made to notice when the terminal is gone.

Why: Textual 8.2.8's input thread (``LinuxDriver.run_input_thread``) treats a read of no bytes
as "nothing this time" and selects again; stdin at EOF is always ready, so once the terminal is
gone without a SIGHUP reaching us (an ssh connection dropped, a pty whose master was closed
while we were not its foreground job) it spins a core at 100% until killed. Its writer thread
dies on the first failed write (EIO), after which the app blocks for ever on the full write
queue. (Upstream: Textualize/textual pull request 6690, open.) Here both ends treat that as a
hang-up: the fds still on the dead terminal are pointed at /dev/null (so nothing after, not even
Python's last flush at exit, fails), and the app is told (``TerminalHungUp``) so it exits cleanly.
"""

from __future__ import annotations

import os
import selectors
import threading
from codecs import getincrementaldecoder
from typing import IO, Any

from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message


class TerminalHungUp(Message):
    """Posted to the app once: input at EOF (or failing) or output failing."""


class _Output:
    """The file Textual's writer thread writes to, with a failed write reported as a hang-up
    instead of killing that thread (whose queue would then fill up and block the app)."""

    def __init__(self, file: IO[str], on_error: Any) -> None:
        self._file = file
        self._on_error = on_error

    def write(self, text: str) -> None:
        try:
            self._file.write(text)
        except OSError:
            self._on_error(self._file.fileno())

    def flush(self) -> None:
        try:
            self._file.flush()
        except OSError:
            self._on_error(self._file.fileno())

    def fileno(self) -> int:
        return self._file.fileno()


class QuizDriver(LinuxDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._file = _Output(self._file, self._hung_up)
        self._hangup_lock = threading.Lock()
        self._hangup_seen = False

    def run_input_thread(self) -> None:
        """Textual's loop (select with a 0.1 s tick for the parser's escape timeout, read,
        parse, hand on), except that no bytes or an error from the read ends it as a hang-up."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        try:
            while not self.exit_event.is_set():
                if selector.select(0.1):
                    try:
                        data = os.read(self.fileno, 4096)
                    except OSError:  # EIO: the terminal was hung up under us
                        data = b""
                    if not data:
                        self._hung_up(self.fileno)
                        return
                    for event in parser.feed(decode(data)):
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()

    def _hung_up(self, dead_fd: int) -> None:
        """From the input or the writer thread, once: stdout and stderr, where they are the
        same file as ``dead_fd``, go to /dev/null; the app is told."""
        with self._hangup_lock:
            if self._hangup_seen:
                return
            self._hangup_seen = True
        try:
            dead = os.fstat(dead_fd)
            null = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            null = -1
        if null >= 0:
            for fd in (1, 2):
                try:
                    st = os.fstat(fd)
                except OSError:
                    continue  # closed
                if (st.st_dev, st.st_ino) == (dead.st_dev, dead.st_ino):
                    os.dup2(null, fd)
            os.close(null)
        try:
            self.send_message(TerminalHungUp())
        except RuntimeError:  # the app's loop is already closed: it has exited anyway
            pass
