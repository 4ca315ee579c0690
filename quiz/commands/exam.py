from __future__ import annotations

import argparse
import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from quiz.errors import UsageError

from quiz.safe_text import json_text

if TYPE_CHECKING:
    from quiz.exam.sitting import Outcome
    from quiz.study.session import StudySession

HELP = "self-test on decks: a scored exam that never changes the study schedule"

EPILOG = """\
Questions are drawn one per fact while facts last, item types taking turns. choice, typed,
list and cloze answers are checked automatically and forgivingly (case, accents, punctuation,
small typos; numbers must be exact; a near miss that names something else is wrong). basic and
reverse questions are marked right or wrong by you against the answer shown (with --plain: an
answer line, then "right? [y/n]"). No other answer is shown before the end unless --feedback. With --plain and --json, questions and prompts go to stderr so that stdout holds
only the JSON result. A question's images are shown full-screen (i or ctrl+o opens the first);
with --plain each is a line "[image: NAME] PATH" to open yourself. Without a terminal (answers piped in) the exam runs as with --plain.
Scores are kept apart from the review log: see --history.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = EPILOG
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument(
        "decks", nargs="*", metavar="DECK",
        help="deck files, or ids or names of built-in or library decks, in any case (a name takes its sub-decks; "
        "default: the built-in decks and your library)",
    )
    # None: not given, so the default count applies and a small pool needs no note.
    p.add_argument("-n", type=int, metavar="N",
                   help="number of questions (default 20); with --history, how many past exams (default 50)")
    # One value per flag, so that deck names may follow: `--tags faq,dosing DECK` or
    # `--tags faq --tags dosing DECK`.
    p.add_argument("--tags", action="append", metavar="T,T", default=[],
                   help="only items with any of these tags (comma separated; may be repeated)")
    p.add_argument("--types", action="append", metavar="T,T", help="only these item types, e.g. choice,typed")
    p.add_argument("--seed", type=int, help="draw the same questions and choice order again")
    p.add_argument("--feedback", action="store_true", help="show whether each answer was right at once")
    p.add_argument("--plain", action="store_true", help="line by line on stdin/stdout, no full-screen UI")
    p.add_argument("--json", action="store_true", help="print the result (or --history) as JSON on stdout")
    p.add_argument("--record", action="store_true",
                   help="also count the answers as reviews in the study schedule (off by default)")
    p.add_argument("--history", action="store_true", help="list past exam scores and exit")


def run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `quiz --help` stays fast and Textual-free
    from quiz.collection import Collection
    from quiz.decks.deck_names import load_decks, load_paths, resolve
    from quiz.exam.plain import PlainExam, format_history, format_result
    from quiz.exam.sitting import DEFAULT_COUNT, draw, parse_types

    if args.history:
        if args.n is not None and args.n < 1:
            raise UsageError(f"-n: the number of past exams must be at least 1 (got {args.n})")
        with Collection.open_store() as collection:
            records = collection.exam_history() if args.n is None else collection.exam_history(limit=args.n)
        print(json_text([r.as_json() for r in records]) if args.json else format_history(records))
        return 0

    # Everything the user may have got wrong is checked before the store is opened.
    paths = resolve(args.decks) if args.decks else []
    for path in paths:  # only a path named as such can be missing here (resolve checks the others)
        if not path.exists():
            raise UsageError(f"unknown deck {str(path)!r}: no such deck file")
    decks = load_paths(paths) if args.decks else load_decks(None)
    if not decks:
        raise UsageError("no decks to draw from: name a deck file")
    tags = _tags(args.tags)
    n = DEFAULT_COUNT if args.n is None else args.n
    exam = draw(decks, n=n, tags=tags, types=parse_types(args.types), seed=args.seed)
    if args.n is not None and len(exam.questions) < n:
        k = len(exam.questions)
        print(f"quiz exam: only {k} question{'s' * (k != 1)} available; using all {k}", file=sys.stderr)

    interrupted = False
    retakes: list[dict[str, object]] | None = None  # the full-screen exam's retakes, for --json
    with Collection.open(decks=decks) as collection:
        exam.recorded = bool(args.record)
        recorder = _recorder(collection.study(decks)) if args.record else None
        if not args.plain and not (sys.stdin is not None and sys.stdin.isatty() and sys.stderr.isatty()):
            # The full-screen exam needs a terminal; answers from a pipe get the plain one.
            print("quiz: no terminal, so the exam runs line by line (--plain)", file=sys.stderr)
            args.plain = True
        if args.plain:
            # With --json, stdout is kept for the JSON object alone.
            out = sys.stderr if args.json else sys.stdout
            runner = PlainExam(exam, _answers_in(), out, feedback=args.feedback, on_answer=recorder)
            runner.run()
            interrupted = runner.interrupted
            result = exam.result()
            print(file=out)
            print(format_result(result, _width(out)), file=out)
            collection.record_exam(result)
        else:
            from quiz.tui.screens.exam_app import run_exam_app  # why: Textual loads only for the full-screen exam

            # Each sitting (the exam, then any retakes) is saved as soon as it is scored.
            sittings = run_exam_app(exam, feedback=args.feedback, on_answer=recorder,
                                    on_result=collection.record_exam, theme=collection.settings.theme)
            if not sittings:
                return 0  # quit before the end: nothing scored
            result = sittings[0]
            retakes = [{"correct": r.correct, "total": r.total, "percent": r.percent} for r in sittings[1:]]
    if args.json:
        extra = {"retakes": retakes} if retakes is not None else {}
        print(json_text({**result.as_json(), **extra}))
    elif not args.plain:
        print(format_result(result, _width(sys.stdout)))
    return 130 if args.plain and interrupted else 0  # 130: ended by Ctrl+C, as a shell reports it


def _tags(raw_tags: list[str]) -> list[str]:
    tags = [t.strip() for raw in raw_tags for t in raw.split(",") if t.strip()]
    for t in tags:
        if t.endswith((".yaml", ".yml")):  # `--tags DECK`: the tag itself was left out
            raise UsageError(f"--tags: {t!r} looks like a deck file, not a tag (use --tags TAG DECK)")
    return tags


def _answers_in() -> TextIO:
    """stdin for answers: closed is an empty input; bytes that are not text become U+FFFD
    instead of ending the exam with a decoding error."""
    if sys.stdin is None:  # started with stdin closed (`<&-`)
        return io.StringIO("")
    try:
        sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):  # not a TextIOWrapper (tests) or already read from
        pass
    return sys.stdin


def _width(stream: TextIO) -> int:
    """The terminal's width when ``stream`` is one; 80 for a pipe or a file."""
    try:
        if stream.isatty():
            return shutil.get_terminal_size((80, 24)).columns
    except (AttributeError, ValueError):  # a closed or unusual stream: the default width
        pass
    return 80


def _recorder(session: StudySession) -> Callable[[Outcome], None]:
    """Each answer becomes a review of its card, graded as the checker suggests."""

    def record(outcome: Outcome) -> None:
        session.grade_item(outcome.question.deck_id, outcome.question.item, outcome.rating, outcome.duration_ms)

    return record
