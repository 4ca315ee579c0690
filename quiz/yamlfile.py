"""Read a YAML file into a node tree that remembers where everything is, safely.

We never construct Python objects from tags: the deck and facts validators walk the nodes,
so every problem can be reported as PATH:LINE:COL. Aliases are refused outright (no
"billion laughs"), nesting is capped, duplicate keys are errors.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.errors import InvalidFile, Problem, display_path

MAX_DEPTH = 32
MAX_BYTES = 16 * 1024 * 1024

_CORE_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


class _Refused(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader's scanner/parser/resolver with a composer that polices what it builds."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            ev = self.peek_event()
            raise _Refused("aliases (*name) are not allowed in this file", ev.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nesting deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
            node = Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1
        if node.tag not in _CORE_TAGS:
            raise _Refused(f"YAML tag {node.tag!r} is not allowed", node.start_mark)
        if isinstance(node, MappingNode):
            seen: dict[str, Node] = {}
            for key, _ in node.value:
                if not isinstance(key, ScalarNode):
                    raise _Refused("mapping keys must be plain text", key.start_mark)
                if key.value in seen:
                    first = seen[key.value].start_mark.line + 1
                    raise _Refused(f"duplicate key {key.value!r} (first at line {first})", key.start_mark)
                seen[key.value] = key
        return node


def _problem(path: str, message: str, mark: yaml.Mark | None) -> Problem:
    if mark is None:
        return Problem(path, message)
    return Problem(path, message, mark.line + 1, mark.column + 1)


def read_text(path: Path) -> str:
    """The file's text, or InvalidFile for anything that is not a readable UTF-8 text file."""
    shown = display_path(path)
    if not path.exists():
        raise InvalidFile([Problem(shown, "no such file")])
    if path.is_dir():
        raise InvalidFile([Problem(shown, "is a directory, not a file")])
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise InvalidFile([Problem(shown, f"cannot read: {e.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise InvalidFile([Problem(shown, f"larger than {MAX_BYTES // (1024 * 1024)} MiB")])
    if b"\x00" in data:
        raise InvalidFile([Problem(shown, "binary file (contains NUL bytes), expected YAML text")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InvalidFile([Problem(shown, "not valid UTF-8 text", line)]) from None
    if not text.strip():
        raise InvalidFile([Problem(shown, "file is empty")])
    return text


def load_nodes(path: Path) -> Node:
    """The root node of the single YAML document in ``path``."""
    shown = display_path(path)
    text = read_text(path)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except _Refused as e:
        raise InvalidFile([_problem(shown, str(e), e.mark)]) from None
    except yaml.MarkedYAMLError as e:
        what = e.problem or e.context or "YAML syntax error"
        raise InvalidFile([_problem(shown, f"YAML syntax error: {what}", e.problem_mark)]) from None
    except yaml.YAMLError as e:
        raise InvalidFile([Problem(shown, f"YAML error: {e}")]) from None
    except RecursionError:
        raise InvalidFile([Problem(shown, "nesting too deep")]) from None
    finally:
        loader.dispose()
    if root is None:
        raise InvalidFile([Problem(shown, "file holds no YAML document")])
    return root


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def kind(node: Node) -> str:
    """A word for the node's type, for messages like 'expected text, got a list'."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing (null)"
    return "text"
