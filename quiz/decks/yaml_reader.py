"""Read a YAML file into a node tree that remembers where everything is, safely.

We never construct Python objects from tags: the deck and facts validators walk the nodes,
so every problem can be reported as PATH:LINE:COL. Aliases are refused outright (no
"billion laughs"), nesting, size and the number of values are capped (each value costs about
half a KB of memory as a node): these stop reading at once.

Reading uses libyaml (PyYAML's C parser, ~40x faster than the pure-Python one) whenever it is
installed; its nodes carry the same line/column marks. The policing (aliases, tags, nesting,
value count, duplicate keys) runs partly as libyaml builds (_CLoader), the rest as a walk over
the composed tree. Anything refused or malformed is read again by the pure-Python path, which
stops at the first offence and words every message; so both paths report exactly the same
problems. (A syntax error in a file over 256 KB is worded from the deck item it is in, when
that item alone makes it: quiz.decks.yaml_errors; duplicate keys before it are reported once
it is fixed.) A duplicate key is a problem too, but reading goes on (the first value is kept), so a
validator can report it together with everything else wrong in the file (``compose``).
Whatever the input, the only exception that leaves this module is InvalidFile.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.decks.item_checks import quoted
from quiz.decks.model import gc_paused
from quiz.decks.yaml_errors import QUICK_FROM_BYTES, near_problem
from quiz.decks.yaml_errors import problem_at as _problem
from quiz.decks.yaml_errors import syntax_problem as _syntax_problem
from quiz.errors import InvalidFile, Problem, display_path
from quiz.decks.yaml_text import MAX_BYTES as MAX_BYTES
from quiz.decks.yaml_text import plain_ascii
from quiz.decks.yaml_text import read_text as read_text

MAX_DEPTH = 32
# An item is ~100-300 bytes and ~10-15 values: these caps (and MAX_BYTES, yaml_text's) take
# 150,000-item decks (the largest shared medical decks are ~35,000 notes) and keep a hostile
# file under ~1 GB of memory.
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


# libyaml when PyYAML was built with it; None: only the pure-Python path (tests force this too).
_FAST_LOADER: type | None = None
if hasattr(yaml, "CSafeLoader"):
    class _CLoader(yaml.CSafeLoader):
        """libyaml composing the whole tree, policing what it can on the way for almost nothing.

        libyaml calls ``descend_resolver`` once for every node it makes (never for an alias,
        which is the very node its anchor named) and ``resolve`` for every node without an
        explicit tag. So: ``made`` counts the nodes (too many stop reading, before they are all
        built), nesting is refused as it goes, refused implicit tags (<< and =) stop reading,
        and ``resolved == made`` means every tag is one of ours. _police_counted then needs only
        the collections (_SlowPath for anything else). ``resolve`` skips Resolver's regexes (a
        third of the time): the validators only tell null from text.
        """

        def __init__(self, stream: str) -> None:
            yaml.CSafeLoader.__init__(self, stream)
            self.made = self.resolved = self.depth = 0

        def descend_resolver(self, current_node: object, current_index: object) -> None:
            self.made += 1
            self.depth += 1
            if self.depth > MAX_DEPTH or self.made > MAX_NODES:
                raise _SlowPath

        def ascend_resolver(self) -> None:
            self.depth -= 1

        def resolve(self, kind: type[Node], value: object, implicit: tuple[bool, bool]) -> str:
            self.resolved += 1
            if kind is ScalarNode:
                if implicit[0]:
                    if value in _NULLS:
                        return _YAML + "null"
                    if value == "<<" or value == "=":
                        raise _SlowPath  # a merge key or a value key: refused, with a message
                return _YAML + "str"
            return _YAML + ("seq" if kind is SequenceNode else "map")

    _FAST_LOADER = _CLoader


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def load_nodes(path: Path) -> Node:
    """The root node of the single YAML document in ``path``; any problem raises InvalidFile."""
    root, problems = compose(path)
    if problems:
        raise InvalidFile(problems)
    return root


def compose(path: Path, text: str | None = None) -> tuple[Node, list[Problem]]:
    """The root node of the single YAML document in ``path`` (whose ``text`` the caller may have
    read already with read_text), and its duplicate keys as problems.

    Anything that stops reading (bad text, a syntax error, an alias, a tag, too deep, too big)
    raises InvalidFile, with the duplicate keys found before it.
    """
    shown = display_path(path)
    if text is None:
        text = read_text(path)
    if _FAST_LOADER is not None:
        try:
            root, duplicates = _compose_fast(text)
        except _SlowPath as slow:
            # Read again below, for the exact message; a syntax error in a big file, only the
            # deck item it is in when that words it (quiz.decks.yaml_errors).
            if slow.args and len(text) >= QUICK_FROM_BYTES and slow.args[0].line is not None:
                found = near_problem(text, slow.args[0], lambda t: _compose_checked(t, shown))
                if found is not None:
                    raise InvalidFile([found]) from None
        else:
            return root, [_problem(shown, m, mark) for m, mark in duplicates]
    return _compose_checked(text, shown)


def _compose_fast(text: str) -> tuple[Node, list[tuple[str, _Mark]]]:
    """libyaml composes the whole tree; then a walk applies _Loader's rules (or _SlowPath)."""
    if not plain_ascii(text) and yaml.reader.Reader.NON_PRINTABLE.search(text):
        raise _SlowPath
    if _FAST_LOADER is None:
        raise _SlowPath
    loader = _FAST_LOADER(text)
    try:
        with gc_paused():
            root = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        raise _SlowPath(_syntax_problem("", e)) from None  # where and what libyaml found (yaml_errors)
    except (yaml.YAMLError, RecursionError, ValueError):
        raise _SlowPath from None
    finally:
        loader.dispose()
    if root is None:
        raise _SlowPath
    if loader.resolved != loader.made:  # a tag written in the file: every node must be looked at
        return root, _police(root, aliases_possible="&" in text)
    return root, _police_counted(root, loader.made)


def _police_counted(root: Node, made: int) -> list[tuple[str, _Mark]]:
    """_Loader's rules over a tree that _CLoader built, ``made`` nodes, all tags its own: what is
    left to look at is in the collections. A walk meets each node once as a child; an alias
    makes it meet one more than were made (then it stops: an alias may multiply the walk)."""
    duplicates: list[tuple[str, _Mark]] = []
    met = 1
    stack: list[Node] = [root] if type(root) is not ScalarNode else []
    while stack:
        node = stack.pop()
        children = node.value
        if type(node) is SequenceNode:
            met += len(children)
            if met > made:
                raise _SlowPath
            stack.extend([child for child in children if type(child) is not ScalarNode])
            continue
        met += 2 * len(children)
        if met > made:
            raise _SlowPath
        keys: set[str] = set()
        for key, value in children:
            if type(key) is not ScalarNode:
                raise _SlowPath  # a key must be plain text
            keys.add(key.value)
            if type(value) is not ScalarNode:
                stack.append(value)
        if len(keys) != len(children):
            _drop_duplicate_keys(node, duplicates)
    if met != made:
        raise _SlowPath
    return sorted(duplicates, key=lambda d: (d[1].line, d[1].column))


def _drop_duplicate_keys(node: Node, duplicates: list[tuple[str, _Mark]]) -> None:
    """Keep the first value of each key; report the others (as _Policing does)."""
    first: dict[str, Node] = {}
    pairs = []
    for key, value in node.value:
        if key.value in first:
            line = first[key.value].start_mark.line + 1
            duplicates.append((f"duplicate key {quoted(key.value)} (first at line {line})", key.start_mark))
            continue
        first[key.value] = key
        pairs.append((key, value))
    node.value = pairs


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
        keys: set[str] = set()
        for key, value in node.value:
            if type(key) is not ScalarNode or key.tag not in scalar_tags:
                raise _SlowPath
            count += 1
            keys.add(key.value)
            if type(value) is ScalarNode:
                count += 1
                if value.tag not in scalar_tags:
                    raise _SlowPath
            else:
                stack.append((value, depth + 1))
        if len(keys) != len(node.value):
            _drop_duplicate_keys(node, duplicates)
    if count > MAX_NODES:
        raise _SlowPath
    return sorted(duplicates, key=lambda d: (d[1].line, d[1].column))


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
