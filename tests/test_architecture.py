"""Architecture contract: PySide6 is imported only under desktop/ui/, every module has a docstring."""
from __future__ import annotations

import ast
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[1] / "desktop"


def _modules():
    return sorted(p for p in DESKTOP.rglob("*.py"))


def test_pyside6_only_in_ui():
    offenders = []
    for path in _modules():
        if "ui" in path.relative_to(DESKTOP).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "PySide6" or n.startswith("PySide6.") for n in names):
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
    import re
    pattern = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.I)
    offenders = [str(p.relative_to(DESKTOP)) for p in _modules()
                 if p.relative_to(DESKTOP).parts[0] != "store" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
