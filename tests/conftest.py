"""Shared fixtures: paths to the bundled sample and to ../shared (read at run time, never copied)."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The whole session (and the CLI and desk it starts in subprocesses) keeps its library, backups and logs in a
# temporary folder: never the user's real data folder (desktop.kernel.logs.data_folder honours this variable).
TEST_DATA_DIR = Path(tempfile.mkdtemp(prefix="fazhi-review-tests-"))
os.environ["FAZHI_DATA_DIR"] = str(TEST_DATA_DIR)
os.environ.pop("FAZHI_REVIEWER", None)  # unsigned writes read 未署名 whatever the developer's shell says

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _temporary_data_folder():
    yield TEST_DATA_DIR
    shutil.rmtree(TEST_DATA_DIR, ignore_errors=True)


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


@pytest.fixture
def repo(db_path):
    """A new library file with the bundled sample imported (report #1): a --db library starts empty."""
    from tests.libraries import sample_library

    repo = sample_library(db_path)
    yield repo
    repo.close()


def _offsets_hold(reading) -> None:
    """Every offset of a reading slices clean_text to what the reading says stands there."""
    text = reading.clean_text
    for ind in reading.indicators:
        assert text[ind.start:ind.end] == ind.text
        if ind.change:
            assert text[ind.change.start:ind.change.end] == ind.change.text
    for item in reading.work_items:
        assert 0 <= item.start <= item.end <= len(text)
        assert text[item.start:item.end] == item.text
    for sec in reading.sections():
        assert 0 <= sec.start <= sec.title_start <= sec.title_end <= sec.end <= len(text)
        assert text[sec.title_start:sec.title_end].strip() == sec.title
        for child in sec.children:
            assert sec.start <= child.start and child.end <= sec.end


@pytest.fixture(scope="session")
def offsets_hold():
    """The offset check as a callable (session-scoped, so hypothesis tests can take it)."""
    return _offsets_hold

