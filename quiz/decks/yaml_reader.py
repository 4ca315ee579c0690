"""Read a YAML file into a node tree that remembers where everything is, safely.

We never construct Python objects from tags: the deck and facts validators walk the nodes,
so every problem can be reported as PATH:LINE:COL. Aliases are refused outright (no
"billion laughs"), nesting and the number of values are capped (PyYAML is pure Python here:
a few hundred thousand nodes already cost seconds and hundreds of MB): these stop reading at
once. A duplicate key is a problem too, but reading goes on (the first value is kept), so a
validator can report it together with everything else wrong in the file (``compose``).
Whatever the input, the only exception that leaves this module is InvalidFile.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.errors import InvalidFile, Problem, display_path

MAX_DEPTH = 32
MAX_BYTES = 4 * 1024 * 1024  # a 300-item deck is ~60 KB
MAX_NODES = 200_000  # ~13,000 items; composing this many takes a few seconds

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_TAGS_BY_KIND: dict[type[Node], set[str]] = {
    ScalarNode: _SCALAR_TAGS,
    SequenceNode: {_YAML + "seq"},
    MappingNode: {_YAML + "map"},
}

# Files saved as UTF-16/32 are full of NUL bytes; say what they are rather than "binary".
_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)

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


class _Refused(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.mark = mark


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _Loader(yaml.SafeLoader):
    """SafeLoader's scanner/parser/resolver with a composer that polices what it builds."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0
        self.duplicates: list[tuple[str, yaml.Mark]] = []  # (message, where), in file order

    def _here(self) -> yaml.Mark:
        """Where the next event starts (the stubs leave peek_event untyped)."""
        mark: yaml.Mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        return mark

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            raise _Refused("aliases (*name) are not allowed in this file; write the value out", self._here())
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES} values in one file", self._here())
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nesting deeper than {MAX_DEPTH} levels", self._here())
            node = Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1
        if node is None:
            return None
        if node.tag not in _TAGS_BY_KIND[type(node)]:
            if node.tag == _YAML + "merge":
                raise _Refused("merge keys (<<) are not allowed; write the keys out", node.start_mark)
            raise _Refused(f"YAML tag {quoted(_short_tag(node.tag))} is not allowed here", node.start_mark)
        if isinstance(node, MappingNode):
            seen: dict[str, Node] = {}
            pairs = []
            for key, value in node.value:
                if not isinstance(key, ScalarNode):
                    raise _Refused(f"a key must be plain text, not {kind(key)}", key.start_mark)
                if key.value in seen:
                    first = seen[key.value].start_mark.line + 1
                    self.duplicates.append((f"duplicate key {quoted(key.value)} (first at line {first})", key.start_mark))
                    continue  # keys stay unique for the validators: the first value counts
                seen[key.value] = key
                pairs.append((key, value))
            node.value = pairs
        return node


def quoted(value: str, limit: int = 60) -> str:
    """repr() of a value from the file, cut short: one huge key must not flood the terminal."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _problem(path: str, message: str, mark: yaml.Mark | None) -> Problem:
    if mark is None:
        return Problem(path, message)
    return Problem(path, message, mark.line + 1, mark.column + 1)


def _syntax_problem(path: str, e: yaml.MarkedYAMLError) -> Problem:
    """PyYAML's two-part message (context + problem) made into one line with a hint."""
    if e.problem and "another document" in e.problem:
        return _problem(path, "more than one YAML document ('---'); a file holds exactly one", e.problem_mark)
    mark = e.problem_mark or e.context_mark
    if e.context and "quoted scalar" in e.context and e.context_mark is not None:
        mark = e.context_mark  # the end of the file is no help; point at the opening quote
    raw = e.problem or e.context or "cannot parse"
    if e.problem and e.context and e.context_mark is not None and e.context_mark is not mark:
        raw += f"; {e.context} at line {e.context_mark.line + 1}"
    blob = f"{e.problem} {e.context}"
    hint = next((h for needle, h in _HINTS if needle in blob), None)
    message = f"YAML syntax error: {hint} ({raw})" if hint else f"YAML syntax error: {raw}"
    return _problem(path, message, mark)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def read_text(path: Path) -> str:
    """The file's text, or InvalidFile for anything that is not a readable UTF-8 text file."""
    shown = display_path(path)

    def bad(message: str, line: int | None = None, col: int | None = None) -> InvalidFile:
        return InvalidFile([Problem(shown, message, line, col)])

    try:
        # stat first: opening a FIFO or a terminal device would block forever.
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise bad("is a directory, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise bad("is not a regular file")
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise bad("no such file") from None
    except PermissionError:
        raise bad("permission denied") from None
    except OSError as e:
        raise bad(f"cannot read: {e.strerror or e}") from None
    except ValueError:  # e.g. a NUL byte in the path
        raise bad("not a valid file name") from None
    if len(data) > MAX_BYTES:
        raise bad(f"larger than {MAX_BYTES // (1024 * 1024)} MiB; is this really a deck?")
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise bad(f"file is {name} encoded; save it as UTF-8")
    if b"\x00" in data:
        raise bad("binary file (contains NUL bytes), expected YAML text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        start = data.rfind(b"\n", 0, e.start) + 1
        col = len(data[start : e.start].decode("utf-8", "replace")) + 1
        raise bad("not valid UTF-8 text (save the file as UTF-8)", line, col) from None
    if not text.strip():
        raise bad("file is empty")
    return text


def load_nodes(path: Path) -> Node:
    """The root node of the single YAML document in ``path``; any problem raises InvalidFile."""
    root, problems = compose(path)
    if problems:
        raise InvalidFile(problems)
    return root


def compose(path: Path) -> tuple[Node, list[Problem]]:
    """The root node of the single YAML document in ``path``, and its duplicate keys as problems.

    Anything that stops reading (bad text, a syntax error, an alias, a tag, too deep, too big)
    raises InvalidFile, with the duplicate keys found before it.
    """
    shown = display_path(path)
    text = read_text(path)
    loader = None

    def fatal(problem: Problem) -> InvalidFile:
        found: list[Problem] = (
            [_problem(shown, m, mark) for m, mark in loader.duplicates] if loader is not None else []
        )
        return InvalidFile(sorted([*found, problem], key=lambda p: (p.line or 0, p.col or 0)))

    try:
        loader = _Loader(text)  # the reader checks for forbidden characters right here
        root = loader.get_single_node()
    except _Refused as e:
        raise fatal(_problem(shown, str(e), e.mark)) from None
    except yaml.reader.ReaderError as e:
        line, col = _line_col(text, e.position)
        what = f"character U+{e.character:04X} is not allowed in YAML text (a control character?)"
        raise fatal(Problem(shown, what, line, col)) from None
    except yaml.MarkedYAMLError as e:
        raise fatal(_syntax_problem(shown, e)) from None
    except yaml.YAMLError as e:
        raise fatal(Problem(shown, "YAML error: " + " ".join(str(e).split()))) from None
    except RecursionError:
        raise fatal(Problem(shown, "nesting too deep")) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise InvalidFile([Problem(shown, "file holds only comments, no YAML content")])
    return root, [_problem(shown, m, mark) for m, mark in loader.duplicates]


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _YAML + "null"


def kind(node: Node) -> str:
    """A word for the node's type, for messages like 'expected text, got a list'."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing (null)"
    return "text"
