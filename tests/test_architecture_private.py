"""Architecture: no module reaches into another module's private names — neither `x._name` on an object that is not
`self`/`cls` nor `from m import _name` — and the store has no class over 40 methods and migrations that import
nothing from the live library parts (issue 21; import circles: test_architecture.test_no_import_circles)."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "desktop"

# Private names of other libraries that have no public spelling; reaching them is not reaching into our code.
FOREIGN_PRIVATES = {
    "_": "argparse's gettext hook (cli.speak_chinese routes it through the Chinese table)",
    "_english": "our saved copy of argparse's gettext hook, kept on argparse itself",
    "_MEIPASS": "PyInstaller's unpack folder on sys",
    "_p": "python-docx: a paragraph's XML element", "_r": "python-docx: a run's XML element",
    "_element": "python-docx: a run's XML element", "_tr": "python-docx: a table row's XML element",
    "_blob": "python-docx: a part's bytes (the font table)",
    "_cell_styles": "openpyxl: a workbook's style array", "_style": "openpyxl: a cell's style ids",
    "_migrations": "sqlite-utils: the registered migrations",
}


def _defined_here(tree: ast.AST) -> set[str]:
    """Private names this module defines itself: functions, classes, class attributes and attributes it assigns."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {n for n in names if n.startswith("_")}


def private_reaches(path: Path, root: Path = ROOT) -> list[str]:
    """`x._name` (x not self/cls/super(), `_name` not defined in this module) and `from desktop... import _name`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _defined_here(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            value = node.value
            if isinstance(value, ast.Name) and value.id in ("self", "cls"):
                continue
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super":
                continue
            if node.attr in own or node.attr in FOREIGN_PRIVATES:
                continue
            out.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("desktop"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    out.append(f"{path.relative_to(root)}:{node.lineno}: from {node.module} import {alias.name}")
    return out


def test_no_private_names_reached_across_modules():
    found = [hit for path in sorted(DESKTOP.rglob("*.py")) for hit in private_reaches(path)]
    assert found == [], "\n".join(found)


def test_the_scan_sees_both_kinds_of_reach(tmp_path):
    probe = tmp_path / "probe_private.py"
    probe.write_text('"""Probe."""\nfrom desktop.store.repo_base import _hidden\n\n\ndef f(other):\n'
                     '    return other._rows("x"), self_made._own\n\n\nclass A:\n    _own = 1\n', encoding="utf-8")
    hits = private_reaches(probe, tmp_path)
    assert [h.split(": ", 1)[1] for h in hits] == ["from desktop.store.repo_base import _hidden", "other._rows"]


def test_migrations_import_nothing_of_the_live_library():
    import grimp

    graph = grimp.build_graph("desktop")
    live = {"desktop.store.library", "desktop.store.reports", "desktop.store.repo_base", "desktop.store.identity",
            *(m for m in graph.modules if m.startswith("desktop.store.repo_"))}
    reached = {m for m in live if graph.chain_exists(importer="desktop.store.migrations", imported=m)}
    assert reached == set()


def test_no_store_class_has_more_than_40_methods():
    import importlib
    import pkgutil

    import desktop.store as store

    too_many = {}
    for info in pkgutil.iter_modules(store.__path__):
        module = importlib.import_module(f"desktop.store.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            methods = [n for n, _ in inspect.getmembers(cls, inspect.isroutine) if not (n.startswith("__") and
                                                                                        n.endswith("__"))]
            methods += [n for n in ("__init__", "__enter__", "__exit__") if n in vars(cls)]
            if len(methods) > 40:
                too_many[f"{module.__name__}.{name}"] = len(methods)
    assert too_many == {}
