"""Command-line parsing only: each command lives in quiz/commands/<name>.py.

Command modules import their heavy dependencies inside ``run`` so that ``quiz --help`` and
``quiz validate`` start fast and never load Textual.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from quiz import __version__
from quiz.errors import InvalidFile, QuizError, QuizNotice, TerminalGone, UsageError
from quiz.safe_text import visible

# (command name, module under quiz.commands)
COMMANDS: tuple[tuple[str, str], ...] = (
    ("study", "study"),
    ("exam", "exam"),
    ("build", "build"),
    ("validate", "validate"),
    ("check", "validate"),
    ("export", "export"),
    ("import", "import_"),
    ("add", "add"),
    ("remove", "remove"),
    ("stats", "stats"),
    ("backup", "backup"),
    ("restore", "restore"),
)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands: dict[str, argparse.ArgumentParser] = {}  # the top parser's, by name

    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, not argparse's usage dump; the exit code stays 2 as for any usage error.
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _selected_command(argv: Sequence[str]) -> str | None:
    """The command named on the line, so that only it needs a parser; None when the whole
    list is wanted (`quiz --help`, an unknown command)."""
    names = {name for name, _ in COMMANDS}
    for arg in argv:
        if arg in names:
            return arg
        if not arg.startswith("-") or arg in ("-h", "--help"):
            return None
    return None


def build_parser(argv: Sequence[str] = ()) -> _Parser:
    parser = _Parser(
        prog="quiz",
        description="Spaced-repetition study and self-test in the terminal. "
        "With no command, opens the study app on the built-in decks and your library (quiz add).",
    )
    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    selected = _selected_command(argv)
    for name, module_name in COMMANDS:
        if selected is not None and name != selected:
            # Importing every command, or even making a parser for each (argparse's are not
            # cheap), costs start-up time; only `quiz --help` or a wrong command lists them all.
            continue
        module = importlib.import_module(f"quiz.commands.{module_name}")
        help_text = module.HELP if name != "check" else "same as validate"
        p = sub.add_parser(name, help=help_text, description=module.HELP)
        parser.commands[name] = p
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


_default_showwarning = warnings.showwarning


def _show_notice(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    """A QuizNotice as one line on stderr, like an error but the command goes on."""
    if issubclass(category, QuizNotice):
        print(visible(f"quiz: {message}"), file=sys.stderr)
    else:
        _default_showwarning(message, category, *args, **kwargs)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args_list = args_list or ["study"]
    parser = build_parser(args_list)
    args, unknown = parser.parse_known_args(args_list)
    if unknown:  # a wrong flag is the command's: its own --help says which it takes
        parser.commands.get(getattr(args, "command", None) or "", parser).error(
            f"unrecognized arguments: {' '.join(unknown)}"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", QuizNotice)
            warnings.showwarning = _show_notice
            return int(args._run(args) or 0)
    except TerminalGone as e:
        return e.exit_code  # nothing to say, and no terminal to say it on
    except QuizError as e:
        # File problems already start with PATH:LINE:COL; usage errors read like argparse's own.
        if isinstance(e, InvalidFile):
            message = str(e)
        elif isinstance(e, UsageError):
            message = f"quiz {args.command}: error: {e}"
        else:
            message = f"quiz: {e}"
        print(visible(message), file=sys.stderr)  # a message may quote deck or package text
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error worth a traceback.
        sys.stderr.close()
        return 0
