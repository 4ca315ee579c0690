"""How a YAML problem is told: PyYAML's two-part syntax message made one line with a hint,
at its line and column; and a syntax error in a big deck file worded without reading the whole
file again.

libyaml finds a syntax error at once, but words it tersely; the pure-Python parser words it
well (with the hints below) and takes ~10 s to reach the end of a 20,000-item file. So the
pure-Python parser reads only the deck's head, its first item and the item the error is in,
each on its own lines, and its problem is used if it stands at the very line and column libyaml
found, which shows that item makes the error. Otherwise (an error begun in an earlier item, or
outside the items) the caller reads the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from quiz.errors import InvalidFile, Problem

QUICK_FROM_BYTES = 256 * 1024  # smaller files are read whole: that also reports duplicate keys before the error

# PyYAML's wording -> what a person editing the file should do about it.
_HINTS: tuple[tuple[str, str], ...] = (
    ("'\\t'", "a tab character: YAML is indented with spaces only"),
    ("mapping values are not allowed here", "a ': ' inside unquoted text? put the text in quotes"),
    ("expected <block end>", "indentation does not line up with the lines above"),
    ("could not find expected ':'", "a key without ':' or an unclosed quote"),
    ("cannot start any token", "text starting with this character must be put in quotes"),
    ("while scanning a quoted scalar", "a quote opened here is never closed"),
    ("while parsing a flow", "a '[' or '{' is opened but never closed"),
)


def problem_at(path: str, message: str, mark: Any) -> Problem:
    """A problem at ``mark`` (PyYAML's or libyaml's, 0-based), if there is one."""
    if mark is None:
        return Problem(path, message)
    return Problem(path, message, mark.line + 1, mark.column + 1)


def syntax_problem(path: str, e: yaml.MarkedYAMLError) -> Problem:
    """PyYAML's two-part message (context + problem) made into one line with a hint."""
    if e.problem and "another document" in e.problem:
        return problem_at(path, "more than one YAML document ('---'); a file holds exactly one", e.problem_mark)
    mark = e.problem_mark or e.context_mark
    if e.context and "quoted scalar" in e.context and e.context_mark is not None:
        mark = e.context_mark  # the end of the file is no help; point at the opening quote
    raw = e.problem or e.context or "cannot parse"
    if e.problem and e.context and e.context_mark is not None and e.context_mark is not mark:
        raw += f"; {e.context} at line {e.context_mark.line + 1}"
    blob = f"{e.problem} {e.context}"
    hint = next((h for needle, h in _HINTS if needle in blob), None)
    message = f"YAML syntax error: {hint} ({raw})" if hint else f"YAML syntax error: {raw}"
    return problem_at(path, message, mark)


# A list item of a deck's ``items:`` list: a dash at the start of a line, or indented.
_ITEM_START = re.compile(r"^( *)- ", re.M)


def near_problem(text: str, found: Problem, compose: Callable[[str], object]) -> Problem | None:
    """The problem the pure-Python path words for the syntax error libyaml ``found`` in
    ``text``, read from the item it is in; None if that cannot be told so. ``compose``: the
    pure-Python path, which raises InvalidFile for the text it is given."""
    line, col = found.line or 0, found.col or 0
    items = text.find("\nitems:")
    first = _ITEM_START.search(text, items + 1) if items >= 0 else None
    parts = text.split("\n", line - 1)
    if first is None or len(parts) < line:
        return None
    at = len(text) - len(parts[-1])  # where the error's line starts
    if at < first.start():
        return None  # not in an item
    marker = f"\n{first[1]}- "  # a line starting an item (at the first item's indentation)
    start = text.rfind(marker, first.start() - 1, at + len(marker) - 1) + 1
    following = text.find(marker, at)
    end = following + 1 if following >= 0 else len(text)
    # The file up to its first item's end, blank lines, then the item: each line where it is in
    # the file, and every collection begun where it begins there, so that the parser's message
    # (the lines it names in its text too) is the one the whole file gives.
    second = text.find(marker, first.start())
    head = second + 1 if second >= 0 else len(text)
    part = text[:end] if start <= head else text[:head] + "\n" * text.count("\n", head, start) + text[start:end]
    try:
        compose(part)
    except InvalidFile as e:
        if len(e.problems) == 1:
            problem = e.problems[0]
            # At the same place, and any line its text names (where the collection being read
            # began) one that libyaml names too: an error begun before the item is read whole.
            if (problem.line, problem.col) == (line, col) and set(_LINES.findall(problem.message)) <= set(
                    _LINES.findall(found.message)):
                return problem
    return None


_LINES = re.compile(r"at line (\d+)")
