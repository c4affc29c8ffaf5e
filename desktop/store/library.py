"""The open review library: one `Db` and the part stores composed over it (reports, items, annotations, ...)."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from desktop.kernel.outfiles import part_path
from desktop.store.errors import LibraryError, library_error
from desktop.store.repo_annotations import AnnotationStore
from desktop.store.repo_base import Db
from desktop.store.repo_checks import CheckStore
from desktop.store.repo_items import ItemStore
from desktop.store.repo_ledger import LedgerStore
from desktop.store.repo_letters import LetterStore
from desktop.store.repo_remove import RemovalStore
from desktop.store.repo_scores import ScoreStore
from desktop.store.repo_season import OverviewStore, SeasonStore
from desktop.store.repo_team import TeamStore
from desktop.store.repo_units import UnitStore
from desktop.store.reports import ReportStore


class Library:
    """One open review library (see db.open_library). Not thread-safe: use it from one thread at a time.

    The library's own things are here (its id, backup, integrity check, close); everything else is on a part:
    `reports` (reports, readings, sections, imports), `items` (indicators and work items), `annotations`
    (annotations, tags, search, history), `scores` (rubric scores), `season` (report identity, review status,
    stored texts), `units` (units and aliases), `checks` (stored check results), `overview` (the season overview's rows), `ledger` (ledger rounds and returns), `letters`
    (rectifications and library settings), `removal` (removing and restoring reports) and `team` (team state,
    merge, conflicts, assignments). `db` is the shared connection with its transactions and history log.
    """

    def __init__(self, database: Database, path: Path, *, timeout: float = 5.0):
        self.db = Db(database, path, timeout=timeout)
        self.reports = ReportStore(self.db, self)
        self.items = ItemStore(self.db, self)
        self.annotations = AnnotationStore(self.db, self)
        self.scores = ScoreStore(self.db, self)
        self.season = SeasonStore(self.db, self)
        self.units = UnitStore(self.db, self)
        self.checks = CheckStore(self.db, self)
        self.overview = OverviewStore(self.db, self)
        self.ledger = LedgerStore(self.db, self)
        self.letters = LetterStore(self.db, self)
        self.removal = RemovalStore(self.db, self)
        self.team = TeamStore(self.db, self)

    # ---------------------------------------------------------------- what the Db holds, said once
    @property
    def path(self) -> Path:
        """The library file."""
        return self.db.path

    @property
    def timeout(self) -> float:
        """Seconds a write waits for another program's lock."""
        return self.db.timeout

    @property
    def notices(self) -> list[str]:
        """Things open_library wants the user to know (e.g. a failed backup)."""
        return self.db.notices

    @property
    def default_who(self) -> str:
        """Who a write is recorded under when no name is given."""
        return self.db.default_who

    @default_who.setter
    def default_who(self, value: str) -> None:
        self.db.default_who = value

    # ---------------------------------------------------------------- library
    def close(self) -> None:
        """Close the library's connection."""
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def library_id(self) -> str:
        """This library's id (made when it was created; team bundles name it)."""
        row = self.db.one("SELECT value FROM library_info WHERE key = 'library_id'")
        return row["value"]

    def backup(self, dest, *, overwrite: bool = False) -> Path:
        """Copy the library (a consistent snapshot, WAL included) to `dest` with the SQLite backup API."""
        dest = Path(dest)
        if dest.exists() and not overwrite:
            raise LibraryError(f"{dest}: 目标文件已存在，未覆盖", path=dest)
        if dest.resolve() == self.path.resolve():
            raise LibraryError(f"{dest}: 不能备份到审阅库自身", path=dest)
        tmp = part_path(dest)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)  # the library's own backups folder
            target = sqlite3.connect(str(tmp))
            try:
                self.db.conn.backup(target)
            finally:
                target.close()
            tmp.replace(dest)
        except (sqlite3.Error, OSError) as exc:
            for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-journal", "-wal", "-shm"))):
                try:
                    leftover.unlink(missing_ok=True)
                except OSError:
                    pass
            raise library_error(exc, dest) from exc
        return dest

    def integrity_check(self) -> str:
        """SQLite's integrity check: "ok" or what is damaged."""
        return self.db.one("PRAGMA integrity_check")["integrity_check"]

    @contextmanager
    def bulk(self, cache_mb: int = 64, checkpoint_mb: int = 64) -> Iterator[Library]:
        """Many writes ahead (batch import, bundle import). While they run: a larger page cache, so the id indexes'
        random look-ups stay in memory; the log copied into the file every `checkpoint_mb` instead of every 4 MB,
        so the indexes' hot pages are written once per 64 MB, not once per 4 MB; and commits not synced one by one
        (synchronous NORMAL: a killed process or a crash of the program loses nothing committed and the file stays
        whole — only a power cut could take the last batches back, never damage the library). When the bulk ends:
        FULL again and the log synced once, so all of it is on disk before the caller says it is done. (Issue 27:
        a batch import spent more time waiting for the disk than storing.)"""
        conn = self.db.conn
        conn.execute(f"PRAGMA cache_size = {-1024 * int(cache_mb)}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {max(1000, int(checkpoint_mb) * 256)}")  # pages of 4 KB
        conn.execute("PRAGMA synchronous = NORMAL")
        try:
            yield self
        finally:
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA wal_autocheckpoint = 1000")
            conn.execute("PRAGMA cache_size = -2000")
            if not conn.in_transaction:
                self._sync_log()

    def _sync_log(self) -> None:
        """Copy what the log holds into the file where no reader needs it (synced, as synchronous is FULL again),
        and sync the log itself: the commits made under synchronous NORMAL are on disk after this."""
        try:
            self.db.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            pass  # another writer holds the lock: its own commit syncs the log
        try:
            fd = os.open(f"{self.path}-wal", os.O_RDWR)
        except OSError:
            return  # no log left: everything is in the file
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

