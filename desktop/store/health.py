"""A library's health: `quick_check` when opened, `integrity_check` before the daily backup, the last good backup."""
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
