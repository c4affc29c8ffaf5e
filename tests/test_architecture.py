"""Architecture: the import-linter contracts of pyproject.toml hold, and fail when an import breaks them;
plus what import-linter cannot see (SQL text, importlib back doors, docstrings, star imports)."""
from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "desktop"


def _modules():
    return sorted(p for p in DESKTOP.rglob("*.py"))


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` over the package in `root` (PYTHONPATH first, so not over an installed copy).
    import-linter is in the test extras: without it this fails rather than skips, so the contracts always run."""
    import importlinter  # noqa: F401
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "250"}  # one line per contract
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", code, "--no-cache", "--no-logo", str(root / "pyproject.toml")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_import_contracts_are_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("report/model.py", "import desktop.store.records", "Layers"),  # an import that runs upward
    ("review/findings.py", "import desktop.ui.icons", "Qt (PySide6"),  # Qt reached through desktop.ui
    ("ledger/layout.py", "import sqlite3", "SQLite only in desktop.store: the layers above"),
    ("commands/report.py", "from desktop.ui import launch", "Layers"),  # commands and ui are independent
    ("kernel/plain.py", "import desktop.report.model", "Layers"),  # the kernel is the bottom layer
    ("excel/cells.py", "import desktop.ledger.layout", "Layers"),  # the Excel kit sits below ledger
    ("kernel/labels.py", "import desktop.kernel.plain", "Inside kernel"),
    ("excel/cells.py", "import desktop.excel.styles", "Inside excel"),
    ("ledger/layout.py", "import desktop.ledger.export", "Inside ledger"),
    ("season/reviewers_sheet.py", "import desktop.season.workbook", "Inside season"),
    ("commands/season.py", "import desktop.commands.store", "Inside commands"),
    ("commands/report.py", "from desktop.commands import command_modules", "Inside commands"),  # the package imports it
    ("letters/wording.py", "import desktop.letters.draft", "Inside letters"),
])
def test_a_broken_import_fails_the_contracts(tmp_path, module, line, contract):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(DESKTOP, tmp_path / "desktop", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "desktop" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    broken = [ln for ln in result.stdout.splitlines() if ln.endswith("BROKEN")]
    assert any(ln.startswith(contract) for ln in broken), result.stdout


def test_no_importlib_back_doors():
    """Packages import each other by name, so the contracts see every dependency."""
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "import_module":
                offenders.append(str(path.relative_to(DESKTOP)))
            elif isinstance(node, ast.Name) and node.id == "__import__":
                offenders.append(str(path.relative_to(DESKTOP)))
            elif isinstance(node, ast.ImportFrom) and node.module == "importlib" and any(
                    a.name == "import_module" for a in node.names):
                offenders.append(str(path.relative_to(DESKTOP)))
    assert offenders == []


def test_every_module_starts_with_a_docstring():
    missing = [str(p.relative_to(DESKTOP)) for p in _modules()
               if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None]
    assert missing == []


def test_no_star_imports():
    stars = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                stars.append(str(path.relative_to(DESKTOP)))
    assert stars == []


def test_sql_only_in_store():
    """SQL statements live in desktop/store/ (the repository and migrations)."""
    pattern = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.I)
    offenders = [str(p.relative_to(DESKTOP)) for p in _modules()
                 if p.relative_to(DESKTOP).parts[0] != "store" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# Circles that other branches of issue 21 remove (h21-store: the store's; h23-cover: the follow-up matcher's).
# ONLY these are tolerated, and only as they are or smaller; the lead deletes an entry when its branch is merged.
KNOWN_CIRCLES: dict[str, set[str]] = {}


def _circles(graph) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_circles_are_found():
    """The cycle finder itself: a real circle in a copied package is reported, a chain is not."""
    import grimp

    graph = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c", "p.d"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    graph.add_import(importer="p.c", imported="p.d")
    assert _circles(graph) == [{"p.a", "p.b", "p.c"}]


def test_no_import_circles():
    """No two modules of desktop import each other, directly or through others (grimp's graph, lazy imports too)."""
    import grimp

    graph = grimp.build_graph("desktop", cache_dir=None)
    assert len(graph.modules) > 100  # the real package, not an empty one
    unknown = [sorted(c) for c in _circles(graph)
               if not any(c <= known for known in KNOWN_CIRCLES.values())]
    assert unknown == []
