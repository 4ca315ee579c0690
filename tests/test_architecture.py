"""The house rules, checked: import-linter's layer contracts (pyproject.toml), mypy over every
package but quiz/tui, no import circle, no SQL against our store outside quiz/storage/, and no
import inside a function without a one-line ``# why``. See docs/architecture.md."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
QUIZ = ROOT / "quiz"
BIN = Path(sys.executable).parent


def run(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=600)


def lint_imports(cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    # --no-cache: a copy of the project (see the test below) must not reuse this one's graph
    return run(str(BIN / "lint-imports"), "--no-cache", cwd=cwd)


def test_layer_contracts_hold() -> None:
    p = lint_imports()
    assert p.returncode == 0, p.stdout + p.stderr
    assert "0 broken" in p.stdout


def test_a_crossed_layer_is_reported(tmp_path: Path) -> None:
    """The contracts can fail: a copy of the project whose storage imports the collection."""
    copy = tmp_path / "copy"
    (copy / "quiz").mkdir(parents=True)
    for f in QUIZ.rglob("*.py"):
        dest = copy / "quiz" / f.relative_to(QUIZ)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (copy / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    queries = copy / "quiz" / "storage" / "queries.py"
    queries.write_text(queries.read_text(encoding="utf-8") + "\nimport quiz.collection\n", encoding="utf-8")
    p = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"], cwd=copy, capture_output=True, text=True, timeout=600,
        env={"PYTHONPATH": str(copy), "PATH": str(BIN)},
    )
    assert p.returncode != 0
    assert "quiz.storage is not allowed to import quiz.collection" in p.stdout


def test_mypy_finds_no_errors() -> None:
    p = run(sys.executable, "-m", "mypy")
    assert p.returncode == 0, p.stdout + p.stderr


def test_no_import_circles() -> None:
    graph = grimp.build_graph("quiz")
    modules = sorted(graph.modules)
    circles = []
    for m in modules:
        for other in graph.find_modules_directly_imported_by(m):
            if other.startswith("quiz.") and graph.find_shortest_chain(importer=other, imported=m):
                circles.append(f"{m} <-> {other}")
    assert circles == []


# A statement against our store: a quoted SQL verb followed by a table of ours.
SQL = re.compile(r"""["'](?:SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA)\b""")


@pytest.mark.parametrize("path", sorted(QUIZ.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_sql_only_in_storage(path: Path) -> None:
    rel = path.relative_to(QUIZ).parts
    if rel[0] == "storage" or (rel[0] == "anki" and path.name in ("collection_reader.py", "export.py")):
        return  # our store; reading and writing Anki's own SQLite files
    assert not SQL.search(path.read_text(encoding="utf-8")), f"SQL in {path}"


def test_function_level_imports_say_why() -> None:
    bare = []
    for path in sorted(QUIZ.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    # the import's own line, or a comment line opening its block, says why
                    before = lines[sub.lineno - 2].strip() if sub.lineno > 1 else ""
                    block = [lines[i].strip() for i in range(sub.lineno - 2, max(0, sub.lineno - 8), -1)]
                    opener = next((b for b in block if not b.startswith(("from ", "import "))), "")
                    if "# why" not in lines[sub.lineno - 1] and not (before + opener).count("# why"):
                        bare.append(f"{path.relative_to(ROOT)}:{sub.lineno}")
    assert bare == []


def test_every_package_has_a_layer() -> None:
    """A new top-level module or package must be placed in the layers, or no contract sees it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    present = {f"quiz.{p.stem}" for p in QUIZ.glob("*.py") if p.stem not in ("__init__", "__main__")}
    present |= {f"quiz.{p.parent.name}" for p in QUIZ.glob("*/__init__.py")}
    assert present - placed == set()
