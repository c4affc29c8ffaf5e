"""desktop/kernel/paths.py: bundled files are found from a checkout and, frozen, under sys._MEIPASS (the real bundle is run
by tests/test_bundle.py; here the frozen attributes are set on sys as PyInstaller's bootloader sets them)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from desktop.kernel import paths

ROOT = Path(__file__).resolve().parents[1]


def test_from_the_checkout():
    assert not paths.is_frozen() and paths.bundle_root() is None
    assert paths.resource("sample-hangzhou-sfj-2023.txt") == ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"
    assert paths.resource("guide.md") == ROOT / "resources" / "guide.md"
    assert paths.resource("no-such-file.txt") is None
    assert paths.program_name() == "python main.py" and paths.install_location() == ROOT


def test_frozen_reads_from_the_bundle_first(tmp_path, monkeypatch):
    internal = tmp_path / "fazhi-review" / "_internal"
    (internal / "resources").mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "guide.md", internal / "resources" / "guide.md")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "fazhi-review" / "fazhi-review"))
    assert paths.is_frozen() and paths.bundle_root() == internal
    assert paths.resource("guide.md") == internal / "resources" / "guide.md"
    assert paths.program_name() == "fazhi-review"
    assert paths.install_location() == tmp_path / "fazhi-review"
    assert paths.qt_translations_dirs() == [internal / "PySide6" / "Qt" / "translations"]
    from desktop.store.db import sample_path

    assert sample_path() == ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"  # not in this bundle: the next place
