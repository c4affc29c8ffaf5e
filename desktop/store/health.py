"""A library's health: `quick_check` when opened (or, for a read-only command, a cheap structural check and
`quick_check` before the first write), `integrity_check` before the daily backup, the last good backup."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.store.copies import first_problem, is_good, last_good_backup  # noqa: F401 (is_good, last_good_backup: re-exported)
from desktop.kernel.plain import plain
from desktop.store.errors import LibraryError, damaged, refuse_writes


def check_open(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged library when it is opened (PRAGMA quick_check: every page and row readable)."""
    problem = first_problem(conn, "quick_check")
    if problem:
        raise damaged(path, problem)


def check_structure(conn: sqlite3.Connection, path: Path) -> None:
    """The cheap check a read-only command opens with (a few ms on any size): the header and the schema parse, and
    the root page of every table and index is a b-tree page (dbstat reads one page per b-tree). Damage deeper in a
    b-tree shows when that part is read (a "malformed" error, told as 已损坏) or before the first write (WriteGate)."""
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE rootpage > 0")]
        bad = [n for n in names
               if (conn.execute("SELECT pagetype FROM dbstat WHERE name = ? LIMIT 1", (n,)).fetchone()
                   or ("corrupted",))[0] == "corrupted"]
    except sqlite3.OperationalError as exc:
        if "no such table: dbstat" not in str(exc):
            raise
        return check_open(conn, path)  # an SQLite built without dbstat: the full quick_check
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc) or "corrupt" in str(exc):
            raise damaged(path, str(exc)) from None
        raise
    if bad:
        raise damaged(path, f"root page of {', '.join(bad[:5])} is not a b-tree page")


# What writes to the library file (temp tables and connection settings do not).
_WRITE_ACTIONS = frozenset({
    sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE, sqlite3.SQLITE_CREATE_TABLE,
    sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_CREATE_TRIGGER, sqlite3.SQLITE_CREATE_VIEW, sqlite3.SQLITE_DROP_TABLE,
    sqlite3.SQLITE_DROP_INDEX, sqlite3.SQLITE_DROP_TRIGGER, sqlite3.SQLITE_DROP_VIEW, sqlite3.SQLITE_ALTER_TABLE,
    sqlite3.SQLITE_REINDEX, sqlite3.SQLITE_ANALYZE, sqlite3.SQLITE_CREATE_VTABLE, sqlite3.SQLITE_DROP_VTABLE,
})
_WRITING_PRAGMAS = frozenset({"user_version", "application_id", "schema_version"})
_ALWAYS_WRITING_PRAGMAS = frozenset({"wal_checkpoint", "incremental_vacuum"})


class WriteGate:
    """An SQLite authorizer that runs `quick_check` before the first statement of the connection that would write
    the library (on a second, read-only connection: an authorizer may not use its own). A damaged library then
    refuses that write and every later one (SQLITE_DENY, told as 已损坏 by errors.library_error); reads go on.
    A read-only command that never writes never pays for the check."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.checked = False
        self.problem: LibraryError | None = None

    def install(self, conn: sqlite3.Connection) -> None:
        conn.set_authorizer(self)

    def __call__(self, action, arg1, arg2, dbname, _source) -> int:
        if self.checked and self.problem is None:
            return sqlite3.SQLITE_OK
        if not self._writes(action, arg1, arg2, dbname):
            return sqlite3.SQLITE_OK
        if not self.checked:
            try:
                self._check()
            except Exception as exc:  # noqa: BLE001 - an authorizer must not raise: the write is refused instead
                self.problem = LibraryError(f"{self.path}: 写入前无法检查审阅库（{plain(exc)}），未做任何改动",
                                            path=self.path, reason="io")
                refuse_writes(self.path, self.problem)
        return sqlite3.SQLITE_DENY if self.problem is not None else sqlite3.SQLITE_OK

    @staticmethod
    def _writes(action, arg1, arg2, dbname) -> bool:
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            return name in _ALWAYS_WRITING_PRAGMAS or (name in _WRITING_PRAGMAS and arg2 is not None)
        return action in _WRITE_ACTIONS and dbname != "temp"

    def _check(self) -> None:
        self.checked = True
        try:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                problem = first_problem(conn, "quick_check")
            finally:
                conn.close()
        except sqlite3.Error as exc:
            problem = str(exc)
        if problem:
            self.problem = damaged(self.path, problem)
            refuse_writes(self.path, self.problem)


def check_daily(conn: sqlite3.Connection, path: Path) -> None:
    """The fuller integrity_check (indexes against tables too), once a day before the daily backup."""
    problem = first_problem(conn, "integrity_check")
    if problem:
        raise damaged(path, problem)
