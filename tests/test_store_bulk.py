"""A bulk write (batch import, bundle import) runs with commits not synced one by one and a 64 MB checkpoint; when
it ends the library is back to synchronous FULL and the 4 MB checkpoint, and the log was synced to disk."""
from __future__ import annotations

import os

from desktop.store.db import open_library
from tests.libraries import SAMPLE


def _pragmas(repo) -> tuple:
    conn = repo.db.conn
    return tuple(conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("synchronous", "wal_autocheckpoint", "cache_size"))


def test_bulk_relaxes_syncing_while_it_runs_and_syncs_the_log_when_it_ends(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real_fsync(fd)

    path = tmp_path / "lib.db"
    with open_library(path, seed_sample=False, backups=False) as repo:
        assert _pragmas(repo) == (2, 1000, -2000)  # FULL, 4 MB, SQLite's default cache
        monkeypatch.setattr(os, "fsync", fsync)
        with repo.bulk():
            assert _pragmas(repo) == (1, 16384, -65536)  # NORMAL, 64 MB of 4 KB pages, 64 MB cache
            report = repo.reports.import_file(SAMPLE).report
            assert synced == []  # nothing synced by our hand while the bulk runs
        assert _pragmas(repo) == (2, 1000, -2000)
        assert any(name.endswith("lib.db-wal") for name in synced)
    with open_library(path, seed_sample=False, backups=False) as again:
        assert [r.id for r in again.reports.list_reports()] == [report.id]
