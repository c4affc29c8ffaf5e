"""Start-up cost: CLI commands load only the libraries they use (pandas via sqlite-utils cost every command ~1 s)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SAMPLE

# Each command run in a fresh interpreter; prints the heavy modules that ended up loaded.
_PROBE = """
import contextlib, io, json, sys
sys.path.insert(0, {root!r})
from desktop.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    rc = main({argv!r})
heavy = ("pandas", "numpy", "openpyxl", "docx", "pypdf", "docxtpl", "PySide6", "lxml", "jinja2")
print(json.dumps({{"rc": rc, "loaded": [m for m in heavy if m in sys.modules]}}))
"""


def _loaded(argv: list[str]) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(root=str(ROOT), argv=argv)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["rc"] == 0
    return result["loaded"]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    path = tmp_path_factory.mktemp("startup") / "library.db"
    from tests.libraries import import_sample

    import_sample(path)  # a --db library starts empty: the sample as report #1
    return path


@pytest.mark.parametrize("argv", [["list"], ["summary", "--json"], ["show", "1"], ["ledger-status"]])
def test_read_only_library_commands_load_no_heavy_library(library, argv):
    assert _loaded([*argv, "--db", str(library)]) == []


def test_follow_up_of_two_files_loads_no_heavy_library(tmp_path):
    later = tmp_path / "later.txt"
    later.write_text(SAMPLE.read_text(encoding="utf-8").replace("2023", "2024").replace("2024年主要安排", "2025年主要安排"),
                     encoding="utf-8")
    assert _loaded(["follow-up", str(SAMPLE), str(later)]) == []


def test_store_package_leaves_pandas_importable():
    """Hiding pandas from sqlite-utils is temporary: code that wants pandas afterwards still gets it."""
    probe = ("import sys; sys.path.insert(0, %r); import desktop.store.db; import importlib.util;"
             "print(importlib.util.find_spec('pandas') is None or __import__('pandas') is not None)") % str(ROOT)
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True"


def test_ledger_status_reads_only_and_makes_no_daily_backup(tmp_path):
    """`ledger-status` only reads: no daily backup copy (on a season's library that copy cost it 5 s)."""
    from desktop.cli import main
    from desktop.store.db import backup_dir
    from tests.libraries import import_sample

    path = tmp_path / "library.db"
    import_sample(path)
    assert main(["ledger-status", "--db", str(path)]) == 0
    assert not backup_dir(path).exists()
