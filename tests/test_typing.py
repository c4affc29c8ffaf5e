"""Typing: mypy (config in pyproject.toml) passes on the store, the kernel and every service module, and every
function outside the store, the desk and the CLI that takes the library says which parts of it it needs."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "desktop"

# What mypy is run on (what these import is checked with them): the store, the kernel, and the services — every
# module above the store that is handed the library (the CLI's subcommands and the desk call these).
CHECKED = [
    "desktop/store",
    "desktop/kernel",
    "desktop/review/service.py",
    "desktop/followup/service.py",
    "desktop/followup/indicators.py",
    "desktop/ledger/service.py",
    "desktop/ledger/digests.py",
    "desktop/ledger/rectification.py",
    "desktop/ledger/crossyear.py",
    "desktop/ledger/selection.py",
    "desktop/ledger/status.py",
    "desktop/letters/service.py",
    "desktop/letters/draft.py",
    "desktop/season/pipeline.py",
    "desktop/season/batch.py",
    "desktop/season/overview.py",
    "desktop/season/workbook.py",
    "desktop/season/reviewers_sheet.py",
]
LIBRARY_NAMES = {"repo", "lib", "library", "repository"}
UNCHECKED_PACKAGES = {"store", "ui", "commands",  # the store is the library; ui and commands are its callers
                      "server"}  # the team server (issue 25), new and still moving: to join CHECKED when it settles


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory) -> Path:
    """One cache for this module's runs (the second reuses the first's analysis), never the worktree's."""
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(cache: Path, *targets: str) -> subprocess.CompletedProcess:
    """`python -m mypy` over `targets` with the project's config, from the worktree (its own `desktop`)."""
    import mypy  # noqa: F401  (in the test extra: without it this fails rather than skips)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MYPY_FORCE_COLOR": "0"}
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                           "--cache-dir", str(cache), "--no-error-summary", *targets],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_mypy_passes_on_the_store_and_the_services(mypy_cache):
    """...and the store's Library satisfies every service's protocol (tests/typing_library_conforms.py)."""
    result = _mypy(mypy_cache, *CHECKED, "tests/typing_library_conforms.py")
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and not errors, "\n".join(errors) or result.stdout + result.stderr


def test_mypy_reports_a_wrong_call_on_a_typed_library(tmp_path, mypy_cache):
    """The check is real: a service calling what its protocol does not list (even a method the Library has), or
    with a wrong argument, fails; so does one calling a part method the store does not have."""
    bad = tmp_path / "bad_service.py"
    bad.write_text('"""Services that misuse the library."""\n'
                   "from desktop.ledger.library import LedgerLibrary\n"
                   "from desktop.review.library import ReviewLibrary\n\n\n"
                   "def f(lib: ReviewLibrary) -> None:\n"
                   "    lib.reports.get_report(1)\n"
                   "    lib.reports.reading('not an id')\n\n\n"
                   "def g(lib: LedgerLibrary) -> None:\n"
                   "    lib.ledger.no_such_method()\n", encoding="utf-8")
    result = _mypy(mypy_cache, str(bad))
    errors = [line.split(": error: ", 1)[1] for line in result.stdout.splitlines() if ": error: " in line]
    assert result.returncode != 0
    assert any('"get_report"' in e and "[attr-defined]" in e for e in errors), errors
    assert any('"reading"' in e and "[arg-type]" in e for e in errors), errors
    assert any('"no_such_method"' in e and "[attr-defined]" in e for e in errors), errors


def _library_parameters(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                if arg.arg in LIBRARY_NAMES:
                    yield node.name, arg


def test_every_service_function_types_its_library():
    untyped, unchecked = [], []
    checked = {(ROOT / c) for c in CHECKED}
    for path in sorted(DESKTOP.rglob("*.py")):
        if path.relative_to(DESKTOP).parts[0] in UNCHECKED_PACKAGES:
            continue
        found = list(_library_parameters(path))
        where = path.relative_to(ROOT).as_posix()
        untyped += [f"{where}: {name}({arg.arg})" for name, arg in found if arg.annotation is None]
        if found and path not in checked and path.parent not in checked:
            unchecked.append(where)
    assert not untyped, "library parameters without a type (a protocol of the parts used):\n" + "\n".join(untyped)
    assert not unchecked, "modules handed the library but not in CHECKED:\n" + "\n".join(unchecked)
