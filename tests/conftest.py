"""Shared fixtures: paths to the bundled sample and to ../shared (read at run time, never copied)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "gold").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "library.db"
