"""The safe YAML node reader on its own: limits at their exact boundaries, what it hands back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from quiz.decks import yaml_reader as yamlfile
from quiz.decks import yaml_text
from quiz.errors import InvalidFile
from quiz.decks.yaml_reader import MAX_DEPTH, compose, is_null, kind, load_nodes, read_text


@pytest.fixture(autouse=True, params=["libyaml", "pure-python"])
def reader_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs on each path: libyaml composing whole and the pure-Python reader."""
    if request.param == "libyaml" and yamlfile._FAST_LOADER is None:
        pytest.skip("PyYAML without libyaml")
    if request.param == "pure-python":
        monkeypatch.setattr(yamlfile, "_FAST_LOADER", None)
    return str(request.param)


def test_libyaml_reads_a_good_file_without_the_python_parser(
    tmp_path: Path, reader_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "a: 2021\nb:\n  - ~\n  - 'x'\n  - null\n  - ''\nc: {x: 1, x: 2}\n? |\n  multi\n: [no, 1.5, 2021-01-01]\na: dup\n"
    path = write(tmp_path, text)
    monkeypatch.setattr(yamlfile, "_FAST_LOADER", None)
    slow_root, slow_problems = compose(path)
    if reader_path == "pure-python":
        return
    monkeypatch.undo()

    def no_python_parser(*args: object) -> None:
        raise AssertionError("the pure-Python path ran")

    monkeypatch.setattr(yamlfile, "_compose_checked", no_python_parser)
    root, problems = compose(path)
    assert problems == slow_problems and len(problems) == 2

    def shape(n: object) -> object:
        v = n.value  # type: ignore[attr-defined]
        sub = [(shape(k), shape(x)) for k, x in v] if isinstance(n, MappingNode) else (
            [shape(x) for x in v] if isinstance(n, SequenceNode) else v)
        m = n.start_mark  # type: ignore[attr-defined]
        return (type(n).__name__, is_null(n), m.line, m.column, sub)  # type: ignore[arg-type]

    assert shape(root) == shape(slow_root)


def write(tmp_path: Path, data: str | bytes) -> Path:
    path = tmp_path / "f.yaml"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_nodes_carry_positions_and_raw_text(tmp_path: Path) -> None:
    root = load_nodes(write(tmp_path, "a: 2021\nb:\n  - ~\n  - 'x'\n"))
    assert isinstance(root, MappingNode)
    (ka, va), (kb, vb) = root.value
    assert (ka.value, va.value, va.start_mark.line, va.start_mark.column) == ("a", "2021", 0, 3)
    assert isinstance(vb, SequenceNode) and (vb.start_mark.line, vb.start_mark.column) == (2, 2)
    assert [is_null(n) for n in vb.value] == [True, False]
    assert [kind(n) for n in (root, vb, *vb.value)] == ["a mapping", "a list", "nothing (null)", "text"]


def test_read_text_strips_only_a_leading_bom(tmp_path: Path) -> None:
    assert read_text(write(tmp_path, b"\xef\xbb\xbfa: b\xef\xbb\xbf\n")) == "a: b\ufeff\n"


def nested(levels: int, flow: bool) -> str:
    if flow:
        return "[" * (levels - 1) + "x" + "]" * (levels - 1) + "\n"
    return "".join("  " * i + "- \n" for i in range(levels - 2)) + "  " * (levels - 2) + "- x\n"


@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
def test_depth_limit_is_exact(tmp_path: Path, flow: bool) -> None:
    load_nodes(write(tmp_path, nested(MAX_DEPTH, flow)))  # the scalar sits at depth MAX_DEPTH
    with pytest.raises(InvalidFile, match=f"nesting deeper than {MAX_DEPTH} levels"):
        load_nodes(write(tmp_path, nested(MAX_DEPTH + 1, flow)))


def test_value_limit_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlfile, "MAX_NODES", 4)
    load_nodes(write(tmp_path, "[a, b, c]\n"))  # the list and three scalars
    with pytest.raises(InvalidFile, match="more than 4 values"):
        load_nodes(write(tmp_path, "[a, b, c, d]\n"))


def test_size_limit_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_text, "MAX_BYTES", 10)
    load_nodes(write(tmp_path, "a: 1234567"))  # exactly MAX_BYTES
    with pytest.raises(InvalidFile, match="larger than"):
        load_nodes(write(tmp_path, "a: 12345678"))


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 'open\n", (1, 4), "a quote opened here is never closed"),
        ("a:\n\t- b\n", (2, 1), "YAML is indented with spaces only"),
        ("a: b: c\n", (1, 5), "put the text in quotes"),
        ("a: @b\n", (1, 4), "must be put in quotes"),
        ("a: [b\n", None, "'[' or '{' is opened but never closed"),
        ("a: 1\n---\nb: 2\n", (2, 1), "more than one YAML document"),
        ("a: &x 1\nb: &x 2\n", (2, 4), "YAML syntax error"),
        ("a: \x1b[31m\n", (1, 4), "character U+001B is not allowed"),
        ("a: !!map x\n", (1, 4), "YAML tag '!!map' is not allowed here"),
        ("a: !!str [x]\n", (1, 4), "YAML tag '!!str' is not allowed here"),
        ("? |\n  multi\n: 1\n", None, None),  # block scalar keys are still text: fine
    ],
)
def test_messages_are_one_located_line(tmp_path: Path, text: str, where: tuple[int, int] | None, message: str | None) -> None:
    path = write(tmp_path, text)
    if message is None:
        load_nodes(path)
        return
    with pytest.raises(InvalidFile) as err:
        load_nodes(path)
    (problem,) = err.value.problems
    assert message in problem.message
    assert "\n" not in problem.message
    if where is not None:
        assert (problem.line, problem.col) == where
    else:
        assert problem.line is not None


def test_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    # 10 levels of 10x expansion would be 10^10 nodes if an alias were ever followed.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    with pytest.raises(InvalidFile, match="aliases") as err:
        load_nodes(write(tmp_path, "\n".join(lines) + "\n"))
    assert (err.value.problems[0].line, err.value.problems[0].col) == (2, 10)


def test_scalar_node_value_is_untouched(tmp_path: Path) -> None:
    root = load_nodes(write(tmp_path, "a: 0x10\nb: 1_000\nc: 2021-01-01\n"))
    assert isinstance(root, MappingNode)
    assert [v.value for _, v in root.value] == ["0x10", "1_000", "2021-01-01"]
    assert all(isinstance(v, ScalarNode) for _, v in root.value)


def test_duplicate_keys_are_collected_and_the_first_value_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb: {x: 1, x: 2, x: 3}\na: 4\n")
    root, problems = compose(path)
    assert [(p.line, p.col, p.message) for p in problems] == [
        (2, 11, "duplicate key 'x' (first at line 2)"),
        (2, 17, "duplicate key 'x' (first at line 2)"),
        (3, 1, "duplicate key 'a' (first at line 1)"),
    ]
    assert [(k.value, getattr(v, "value", None)) for k, v in root.value][0] == ("a", "1")
    assert [k.value for k, _ in root.value] == ["a", "b"]
    assert [(k.value, v.value) for k, v in root.value[1][1].value] == [("x", "1")]
    with pytest.raises(InvalidFile) as err:  # load_nodes: the same problems, raised
        load_nodes(path)
    assert [p.line for p in err.value.problems] == [2, 2, 3]


@pytest.mark.parametrize(("text", "message"), [
    ("a: &x 1\nb: *x\n", "aliases (*name) are not allowed"),  # an alias of a value
    ("a: &x [1]\nb: [c, *x]\n", "aliases (*name) are not allowed"),  # ... of a list, inside a list
    ("a: {<<: {b: 1}}\n", "merge keys (<<) are not allowed"),
    ("a: =\n", "YAML tag '!!value' is not allowed here"),
    ("[a]: 1\n", "a key must be plain text, not a list"),
    ("a: !!str 1\nb: &y [2]\nc: *y\n", "aliases (*name) are not allowed"),  # a tag: every node is looked at
    ("a: !!str 1\na: 2\n", "duplicate key 'a' (first at line 1)"),
    ("a: &x 1\nb: 2\nb: 3\n", "duplicate key 'b' (first at line 2)"),  # an anchor alone is fine
])
def test_libyaml_polices_what_it_builds_like_the_python_reader(
    tmp_path: Path, text: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libyaml counts and resolves as it builds, and the walk after it looks only at the
    # collections: whatever that leaves out must come out as the pure-Python reader says it.
    path = write(tmp_path, text)
    with pytest.raises(InvalidFile) as err:
        load_nodes(path)
    assert message in err.value.problems[0].message
    monkeypatch.setattr(yamlfile, "_FAST_LOADER", None)
    with pytest.raises(InvalidFile) as slow:
        load_nodes(path)
    assert err.value.problems == slow.value.problems
