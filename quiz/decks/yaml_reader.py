"""Read a YAML file into a node tree that remembers where everything is, safely.

We never construct Python objects from tags: the deck and facts validators walk the nodes,
so every problem can be reported as PATH:LINE:COL. Aliases are refused outright (no
"billion laughs"), nesting, size and the number of values are capped (each value costs about
half a KB of memory as a node): these stop reading at once.

Reading uses libyaml (PyYAML's C parser, ~40x faster than the pure-Python one) whenever it is
installed; its nodes carry the same line/column marks. The policing (aliases, tags, nesting,
value count, duplicate keys) then runs as a walk over the composed tree. Anything refused or
malformed is read again by the pure-Python path, which stops at the first offence and words
every message; so both paths report exactly the same problems. A duplicate key is a problem too, but reading goes on (the first value is kept), so a
validator can report it together with everything else wrong in the file (``compose``).
Whatever the input, the only exception that leaves this module is InvalidFile.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, cast

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.decks.item_checks import quoted
from quiz.decks.model import gc_paused
from quiz.errors import InvalidFile, Problem, display_path

MAX_DEPTH = 32
# An item is ~100-300 bytes and ~10-15 values: these caps take 150,000-item decks (the largest
# shared medical decks are ~35,000 notes) and keep a hostile file under ~1 GB of memory.
MAX_BYTES = 48 * 1024 * 1024
MAX_NODES = 2_000_000

# A position in the file (.line, .column, 0-based): PyYAML's own Mark or libyaml's.
_Mark = Union[yaml.error.Mark, Any]
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


class _SlowPath(Exception):
    """The fast path met something to refuse or report: the pure-Python path words it."""


class _Refused(Exception):
    def __init__(self, message: str, mark: _Mark | None) -> None:
        super().__init__(message)
        self.mark = mark


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _Policing(Composer):
    """A composer that polices what it builds; the parser beneath it may be Python or libyaml."""

    if TYPE_CHECKING:  # provided by the parser it is mixed with (PyYAML's Parser or libyaml's)
        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Any: ...

    def _start_policing(self) -> None:
        self._depth = 0
        self._nodes = 0
        self.duplicates: list[tuple[str, _Mark]] = []  # (message, where), in file order

    def _here(self) -> yaml.Mark:
        """Where the next event starts (the stubs leave peek_event untyped)."""
        mark: yaml.Mark = self.peek_event().start_mark
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


class _Loader(_Policing, yaml.SafeLoader):
    """PyYAML's pure-Python reader, scanner, parser and resolver under the policing composer."""

    def __init__(self, stream: str) -> None:
        yaml.SafeLoader.__init__(self, stream)
        self._start_policing()


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _PlainResolver:
    """Resolver.resolve without its regexes (a third of the libyaml path's time): the
    validators only tell null from text, and every other implicit tag is allowed anyway; the
    two implicit tags that are refused (<< and =) are kept."""

    def resolve(self, kind: type[Node], value: object, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                if value in _NULLS:
                    return _YAML + "null"
                if value == "<<":
                    return _YAML + "merge"
                if value == "=":
                    return _YAML + "value"
            return _YAML + "str"
        return _YAML + ("seq" if kind is SequenceNode else "map")

    # No path resolvers are ever added: libyaml calls these for every node, so make them free.
    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


# libyaml when PyYAML was built with it; None: only the pure-Python path (tests force this too).
_FAST_LOADER: type | None = None
_COUNTING_LOADER: type | None = None
if hasattr(yaml, "CSafeLoader"):
    class _CLoader(_PlainResolver, yaml.CSafeLoader):
        pass

    class _CheckedCLoader(_Policing, _PlainResolver, yaml.CSafeLoader):
        """libyaml's events under the policing composer: for files that might hold more values
        than MAX_NODES, which must be counted (and refused) before they are all built."""

        def __init__(self, stream: str) -> None:
            yaml.CSafeLoader.__init__(self, stream)
            Composer.__init__(self)
            self._start_policing()

    _FAST_LOADER = _CLoader
    _COUNTING_LOADER = _CheckedCLoader


def _problem(path: str, message: str, mark: _Mark | None) -> Problem:
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
        raise bad(f"larger than {MAX_BYTES // (1024 * 1024)} MiB, the limit for one file (about 150,000 items); "
                  "is this really a deck? split a bigger collection into several decks")
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
    if _FAST_LOADER is not None:
        try:
            root, duplicates = _compose_fast(text)
        except _SlowPath:
            pass  # read again below, for the exact message
        else:
            return root, [_problem(shown, m, mark) for m, mark in duplicates]
    return _compose_checked(text, shown)


def _node_bound(text: str) -> int:
    """An upper bound on the values in ``text``: each needs one of these characters to exist."""
    return 3 + 2 * (text.count(":") + text.count("?") + text.count(",") + text.count("["))\
        + 3 * text.count("{") + text.count("-")


def _compose_fast(text: str) -> tuple[Node, list[tuple[str, _Mark]]]:
    """libyaml composes the whole tree; then a walk applies _Loader's rules (or _SlowPath)."""
    if yaml.reader.Reader.NON_PRINTABLE.search(text):
        raise _SlowPath
    if _node_bound(text) > MAX_NODES:
        return _compose_counting(text)  # counts as it builds
    try:
        with gc_paused():
            root = yaml.compose(text, Loader=_FAST_LOADER)  # type: ignore[arg-type]
    except (yaml.YAMLError, RecursionError, ValueError):
        raise _SlowPath from None
    if root is None:
        raise _SlowPath
    return root, _police(root, aliases_possible="&" in text)


def _police(root: Node, aliases_possible: bool = True) -> list[tuple[str, _Mark]]:
    """_Policing's rules over a composed tree without aliases; the duplicate keys (removed, the
    first value kept), or _SlowPath for anything refused. A loop, not recursion, with scalars
    checked inline: it visits every value of the file (~0.5 million for 30,000 items)."""
    duplicates: list[tuple[str, _Mark]] = []
    scalar_tags, seq_tag, map_tag = _SCALAR_TAGS, _YAML + "seq", _YAML + "map"
    count = 0
    stack: list[tuple[Node, int]] = [(root, 1)]
    # libyaml makes an alias the very node its anchor named: met twice, it is an alias. Without
    # an '&' in the file there is no anchor (nor alias) to look for.
    seen: set[int] | None = set() if aliases_possible else None
    while stack:
        node, depth = stack.pop()
        count += 1
        if seen is not None:
            for child in (node.value if type(node) is SequenceNode else
                          [x for pair in node.value for x in pair] if type(node) is MappingNode else ()):
                if id(child) in seen:
                    raise _SlowPath
                seen.add(id(child))
        kind_ = type(node)
        if kind_ is ScalarNode:
            if node.tag not in scalar_tags:
                raise _SlowPath
            continue
        if node.value and depth >= MAX_DEPTH:
            raise _SlowPath  # its children would be deeper than MAX_DEPTH
        if kind_ is SequenceNode:
            if node.tag != seq_tag:
                raise _SlowPath
            for child in node.value:
                if type(child) is ScalarNode:
                    count += 1
                    if child.tag not in scalar_tags:
                        raise _SlowPath
                else:
                    stack.append((child, depth + 1))
            continue
        if node.tag != map_tag:
            raise _SlowPath
        first: dict[str, Node] = {}
        pairs = []
        for key, value in node.value:
            if type(key) is not ScalarNode or key.tag not in scalar_tags:
                raise _SlowPath
            count += 1
            if type(value) is ScalarNode:
                count += 1
                if value.tag not in scalar_tags:
                    raise _SlowPath
            else:
                stack.append((value, depth + 1))
            if key.value in first:
                line = first[key.value].start_mark.line + 1
                duplicates.append((f"duplicate key {quoted(key.value)} (first at line {line})", key.start_mark))
                continue
            first[key.value] = key
            pairs.append((key, value))
        node.value = pairs
    if count > MAX_NODES:
        raise _SlowPath
    return sorted(duplicates, key=lambda d: (d[1].line, d[1].column))


def _compose_counting(text: str) -> tuple[Node, list[tuple[str, _Mark]]]:
    """Composed in Python from libyaml's events, counting as it goes (twice as slow as above)."""
    if _COUNTING_LOADER is None:
        raise _SlowPath
    loader = _COUNTING_LOADER(text)
    try:
        with gc_paused():
            root = loader.get_single_node()
    except (_Refused, yaml.YAMLError, RecursionError, ValueError):
        raise _SlowPath from None
    finally:
        loader.dispose()
    if root is None:
        raise _SlowPath
    return root, loader.duplicates


def _compose_checked(text: str, shown: str) -> tuple[Node, list[Problem]]:
    """The pure-Python path: _Loader polices while it composes and stops at the first offence."""
    loader = None

    def fatal(problem: Problem) -> InvalidFile:
        found: list[Problem] = (
            [_problem(shown, m, mark) for m, mark in loader.duplicates] if loader is not None else []
        )
        return InvalidFile(sorted([*found, problem], key=lambda p: (p.line or 0, p.col or 0)))

    try:
        loader = _Loader(text)  # the reader checks for forbidden characters right here
        with gc_paused():
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
