"""A library's health: `quick_check` when opened, `integrity_check` before the daily backup, the last good backup."""
from __future__ import annotations

import sqlite3
from pathlib import Path

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
    problem = " ".join(problem.replace("*** in database main ***", "").split())
    good = last_good_backup(path)
    where = f"最近一份完好的备份：{good}" if good else "没有找到完好的自动备份"
    return LibraryError(f"{path}: 审阅库文件已损坏（{problem[:60]}），为避免损坏扩大已拒绝写入；{where}；"
                        f"可运行 python main.py repair --db {path} 从备份恢复或抢救数据到新文件（原文件不会改动）",
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
    """The newest automatic backup of `path` that passes quick_check."""
    path = Path(path)
    folder = path.parent / f"{path.stem}-backups"
    if not folder.is_dir():
        return None
    copies = sorted((p for p in folder.glob(f"{path.stem}-*.db") if p.is_file()),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    return next((p for p in copies if is_good(p)), None)
