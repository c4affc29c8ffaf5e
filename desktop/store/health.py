"""A library's health: `quick_check` when opened (or, for a read-only command, a cheap structural check and
`quick_check` before the first write), `integrity_check` before the daily backup, the last good backup."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.store import backups
from desktop.store.errors import LibraryError


def _problem(conn: sqlite3.Connection, pragma: str) -> str | None:
    """None when the check passes, else its first finding (or the error it raised)."""
    try:
        rows = conn.execute(f"PRAGMA {pragma}(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc) or "corrupt" in str(exc):
            return str(exc)
        raise  # locked, disk I/O, not a database: open_library says which
    first = rows[0][0] if rows else "ok"
    return None if first == "ok" else str(first)


def damaged(path: Path, problem: str) -> LibraryError:
    """SQLite's finding ('Page 3: btreeInitPage() returns error code 11') goes to the log, not to the user."""
    import logging

    from desktop.kernel.paths import program_name

    logging.getLogger("desktop.store").warning("%s: damaged: %s", path, " ".join(problem.split()))
    good = last_good_backup(path)
    where = f"最近一份完好的备份：{good}" if good else "没有找到完好的自动备份"
    return LibraryError(f"{path}: 审阅库文件已损坏，为避免损坏扩大已拒绝写入；{where}；"
                        f"可运行 {program_name()} repair --db {path} 从备份恢复或抢救数据到新文件（原文件不会改动）",
                        path=path, reason="damaged")


def check_open(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged library when it is opened (PRAGMA quick_check: every page and row readable)."""
    problem = _problem(conn, "quick_check")
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
_refused: dict[str, LibraryError] = {}  # library path -> why its writes are refused (see refusal)


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
                self.problem = LibraryError(f"{self.path}: 写入前无法检查审阅库（{exc}），未做任何改动", path=self.path,
                                            reason="io")
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
                problem = _problem(conn, "quick_check")
            finally:
                conn.close()
        except sqlite3.Error as exc:
            problem = str(exc)
        if problem:
            self.problem = damaged(self.path, problem)
            _refused[str(self.path)] = self.problem


def refusal(path) -> LibraryError | None:
    """The damage a WriteGate found in the library at `path` (its writes are refused), if any."""
    return _refused.get(str(Path(path)))


def check_daily(conn: sqlite3.Connection, path: Path) -> None:
    """The fuller integrity_check (indexes against tables too), once a day before the daily backup."""
    problem = _problem(conn, "integrity_check")
    if problem:
        raise damaged(path, problem)


def is_good(path: Path) -> bool:
    """A file that opens read-only and passes quick_check."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return _problem(conn, "quick_check") is None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def last_good_backup(path: Path) -> Path | None:
    """The newest automatic backup of `path` that is good.

    A compressed daily copy (`.db.gz`) is written only after `integrity_check` passed and gzip checks its own CRC
    when it is unpacked, so its gzip header is enough here; a plain copy (before a migration) must pass quick_check.
    """
    path = Path(path)
    copies = sorted(backups.backup_files(path.parent / f"{path.stem}-backups", path.stem),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    return next((p for p in copies if (_is_gzip(p) if p.name.endswith(backups.BACKUP_SUFFIX) else is_good(p))),
                None)


def _is_gzip(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(2) == b"\x1f\x8b"
    except OSError:
        return False
