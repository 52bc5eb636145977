"""The layers hold: core at the bottom, then ingest, then rag, then the app edge (briefing/, then ui.py).

The import graph is read from the source with `ast`, imports inside functions and under
TYPE_CHECKING included, so a lazy import that runs upward counts like any other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.helpers import REPO

# The unit of the graph: a package (briefing.web apart from the rest of briefing) or the ui module.
UNITS = ("core", "ingest", "rag", "briefing", "briefing.web", "ui")
# Each unit may import only the units listed for it (besides itself).
ALLOWED = {
    "core": set(),
    "ingest": {"core"},
    "rag": {"core", "ingest"},
    "briefing": {"core", "ingest", "rag"},
    "briefing.web": {"core", "ingest", "rag", "briefing"},
    "ui": {"core", "ingest", "rag", "briefing", "briefing.web"},
}
MAX_LINES = 500


def unit_of(module: str) -> str | None:
    """The unit a dotted module name belongs to, or None for anything outside the app (stdlib, packages)."""
    for unit in sorted(UNITS, key=len, reverse=True):
        if module == unit or module.startswith(unit + "."):
            return unit
    return None


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> set[str]:
    """Every module a file imports, anywhere in it (functions and TYPE_CHECKING blocks too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the file's package upward
                base = package[: len(package) - node.level + 1]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module or ""
            found.add(prefix)
            # `from briefing import web` imports the subpackage briefing.web
            found.update(f"{prefix}.{alias.name}" for alias in node.names if unit_of(f"{prefix}.{alias.name}"))
    return found


def app_files(root: Path) -> list[Path]:
    files = [root / "ui.py"] if (root / "ui.py").exists() else []
    for package in ("core", "ingest", "rag", "briefing"):
        files += sorted((root / package).rglob("*.py"))
    return files


def unit_graph(root: Path) -> dict[str, dict[str, set[str]]]:
    """unit → imported unit → the files that make that import."""
    graph: dict[str, dict[str, set[str]]] = {unit: {} for unit in UNITS}
    for path in app_files(root):
        source = unit_of(module_name(path, root))
        assert source is not None, path
        for imported in imports_of(path, root):
            target = unit_of(imported)
            if target is not None and target != source:
                graph[source].setdefault(target, set()).add(str(path.relative_to(root)))
    return graph


def cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """Every elementary cycle's nodes, found by depth-first search from each unit."""
    found: list[list[str]] = []

    def walk(start: str, node: str, path: list[str]) -> None:
        for nxt in graph.get(node, {}):
            if nxt == start:
                found.append([*path, start])
            elif nxt not in path and nxt > start:  # each cycle reported once, from its smallest unit
                walk(start, nxt, [*path, nxt])

    for unit in sorted(graph):
        walk(unit, unit, [unit])
    return found


def upward(graph: dict[str, dict[str, set[str]]]) -> list[str]:
    return [
        f"{source} imports {target} in {', '.join(sorted(files))}"
        for source, targets in graph.items()
        for target, files in targets.items()
        if target not in ALLOWED[source]
    ]


def test_no_package_imports_another_in_a_circle() -> None:
    graph = unit_graph(REPO)
    assert cycles(graph) == []


def test_no_import_runs_upward_from_core_ingest_or_rag_into_the_app_edge() -> None:
    graph = unit_graph(REPO)
    assert upward(graph) == []
    # The graph is real: the edge does use every layer below it.
    assert set(graph["briefing"]) == {"core", "ingest", "rag"}
    assert "briefing.web" in graph["ui"]


def test_no_module_outside_the_tests_is_over_500_lines() -> None:
    files: Iterable[Path] = [*app_files(REPO), *sorted((REPO / "bench").glob("*.py"))]
    long = {
        str(p.relative_to(REPO)): n for p in files if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "cycle", "bad"),
    [
        # a lazy import inside a function, upward from ingest into the edge
        (
            {"ingest/pipeline.py": "def run():\n    from briefing.api import Briefing\n"},
            ["briefing", "ingest", "briefing"],
            "ingest imports briefing in ingest/pipeline.py",
        ),
        # a type-only import from core into rag
        (
            {"core/models.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from rag.chain import Done\n"},
            ["core", "rag", "ingest", "core"],
            "core imports rag in core/models.py",
        ),
        # the edge's CLI reaching for ui.py, which imports the edge
        (
            {"briefing/cli.py": "import core\n\ndef serve():\n    from ui import serve\n"},
            ["briefing", "ui", "briefing"],
            "briefing imports ui in briefing/cli.py",
        ),
        # a relative import counts like an absolute one
        (
            {"rag/text.py": "from ..ingest import store\n"},
            None,
            None,
        ),
    ],
)
def test_the_checks_catch_cycles_and_upward_imports(
    tmp_path: Path, files: dict[str, str], cycle: list[str] | None, bad: str | None
) -> None:
    """The checks above, on a small tree that breaks the rules in one place each time."""
    write(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/models.py": "",
            "ingest/__init__.py": "",
            "ingest/pipeline.py": "from core.models import Document\n",
            "rag/__init__.py": "",
            "rag/chain.py": "from ingest import pipeline\n",
            "rag/text.py": "",
            "briefing/__init__.py": "",
            "briefing/api.py": "from rag.chain import Answerer\nfrom ingest.pipeline import Ingestor\n",
            "briefing/cli.py": "",
            "briefing/web/__init__.py": "",
            "ui.py": "from briefing.web import render\nfrom briefing.cli import cli\n",
        },
    )
    clean = unit_graph(tmp_path)
    assert cycles(clean) == [] and upward(clean) == []
    write(tmp_path, files)
    graph = unit_graph(tmp_path)
    if cycle is None:
        # rag/text.py's relative import resolves to ingest.store: allowed, and seen
        assert "rag/text.py" in graph["rag"]["ingest"]
        return
    assert cycle in cycles(graph)
    assert bad in upward(graph)
