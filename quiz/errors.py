"""User-facing errors: each renders as one line, ``PATH:LINE:COL: message`` where known."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    path: str
    message: str
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.message}"


class QuizNotice(UserWarning):
    """What the user should know that does not stop the command (a deck of a group left out
    because its file is away): ``warnings.warn(QuizNotice(...))``; the CLI prints it as one line."""


class QuizError(Exception):
    """An error the user caused or can fix; the CLI prints it without a traceback.

    ``exit_code`` is 1 for bad input (a broken deck, a corrupt store) and 2 for usage errors.
    """

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(QuizError):
    exit_code = 2


class TerminalGone(QuizError):
    """The full-screen app's terminal went away (input at EOF, output failing) without a
    SIGHUP: the app exited as after a quit, and there is no one left to print anything to.
    129 is what a shell reports for a process ended by SIGHUP."""

    exit_code = 129


class InvalidFile(QuizError):
    """A file with one or more problems; str() gives one problem per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def display_path(path: str | Path) -> str:
    """Paths as the user typed them when relative to the cwd, else absolute."""
    p = Path(path)
    try:
        cwd = Path.cwd().resolve()
        if cwd == cwd.parent:  # from "/", "tmp/deck.yaml" would read as relative: keep it absolute
            return str(p)
        return str(p.resolve().relative_to(cwd))
    except (ValueError, OSError, RuntimeError):  # not under cwd; name too long; symlink loop
        return str(p)
