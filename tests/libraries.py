"""Libraries for tests: a new library at a path starts empty (as with `--db`), so tests that read the sample
import it explicitly — as a reviewer would — and get it as report #1."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from desktop.store.db import open_library

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample-hangzhou-sfj-2023.txt"


def sample_library(path, **options):
    """Open the library at `path`; a new one gets the bundled sample imported (report #1, not marked 示例)."""
    path = Path(path)
    new = not path.exists() or path.stat().st_size == 0
    repo = open_library(path, seed_sample=False, **options)
    if new and repo.reports.report_count() == 0:
        repo.reports.import_file(SAMPLE)
    return repo


def import_sample(db) -> None:
    """The CLI way: `python main.py --db DB import <sample>` for a test that starts from the sample."""
    with sample_library(db, backups=False):
        pass


def cli(*args, db):
    """The command line over `db`; a new library gets the sample first (report #1): a --db library starts empty."""
    if not Path(db).exists():
        sample_library(db).close()
    root = SAMPLE.parents[1]
    return subprocess.run([sys.executable, str(root / "main.py"), *map(str, args), "--db", str(db)],
                          capture_output=True, text=True, cwd=root, timeout=120)


def file_sha(path: Path) -> str:
    """A file's sha256: a refused import must leave the library byte for byte as it was."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
