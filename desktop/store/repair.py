"""Repair a damaged library into a NEW file, never in place: restore a good backup, or recover what is readable.

Recovery follows SQLite's `.recover` idea without needing the sqlite3 shell: the schema is taken from the
damaged file (or from our migrations when its schema is unreadable), then every table is copied row by row
in rowid order; where a damaged page stops the scan, the scan resumes past it, so only rows on unreadable
pages are lost. Indexes are rebuilt from the copied rows.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop.store import backups, health, migrations
from desktop.store.errors import LibraryError
from desktop.kernel.plain import plain

_MAX_SKIPS = 10_000  # damaged stretches skipped per table before giving up on it


@dataclass
class RepairResult:
    source: Path
    dest: Path
    method: str  # "backup" | "recover"
    backup: Path | None = None
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    damaged_tables: list[str] = field(default_factory=list)  # tables where rows were lost or unreadable
    check: str = "ok"


def default_dest(path: Path, method: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}-{'restored' if method == 'backup' else 'recovered'}-{stamp}.db")


def _new_file(dest: Path, source: Path) -> None:
    if dest.exists():
        raise LibraryError(f"{dest}: 目标文件已存在，未覆盖（修复结果总是写到新文件）", path=dest)
    if dest.resolve() == source.resolve():
        raise LibraryError(f"{dest}: 不能写回原审阅库（修复结果总是写到新文件）", path=dest)


def restore_backup(path, backup, dest) -> RepairResult:
    """Copy a backup that passes quick_check to `dest` (the SQLite backup API, so the copy is consistent)."""
    path, backup, dest = Path(path), Path(backup), Path(dest)
    _new_file(dest, path)
    if backup.name.endswith(backups.BACKUP_SUFFIX):  # a compressed daily copy: unpack it, then check it
        backups.restore_backup(backup, dest)
        if not health.is_good(dest):
            dest.unlink(missing_ok=True)
            raise LibraryError(f"{backup}: 备份文件也已损坏或不是审阅库，无法从它恢复", path=backup, reason="damaged")
        return RepairResult(path, dest, "backup", backup=backup, check="ok")
    if not health.is_good(backup):
        raise LibraryError(f"{backup}: 备份文件也已损坏或不是审阅库，无法从它恢复", path=backup, reason="damaged")
    src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(str(dest))
        try:
            src.backup(target)
        finally:
            target.close()
    except sqlite3.Error as exc:
        dest.unlink(missing_ok=True)
        raise LibraryError(f"{dest}: 恢复失败（{plain(exc)}）", path=dest, reason="io") from exc
    finally:
        src.close()
    return RepairResult(path, dest, "backup", backup=backup, check="ok")


def recover(path, dest) -> RepairResult:
    """Copy every readable row of the damaged library at `path` into a new library at `dest`."""
    path, dest = Path(path), Path(dest)
    _new_file(dest, path)
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    out = sqlite3.connect(str(dest), isolation_level=None)
    result = RepairResult(path, dest, "recover")
    try:
        tables, later = _schema(src, out)
        out.execute("BEGIN")
        for name, columns in tables:
            result.rows[name] = _copy_rows(src, out, name, columns, result)
        out.execute("COMMIT")
        for sql in later:  # indexes and triggers after the rows
            try:
                out.execute(sql)
            except sqlite3.Error:  # a unique index the recovered rows break: the table keeps its rows
                result.damaged_tables.append(sql.split()[2] if len(sql.split()) > 2 else sql)
        version = _user_version(src)
        if version is not None:
            out.execute(f"PRAGMA user_version = {int(version)}")
        result.check = out.execute("PRAGMA integrity_check(1)").fetchone()[0]
    except sqlite3.Error as exc:
        out.close()
        dest.unlink(missing_ok=True)
        raise LibraryError(f"{path}: 无法抢救（{plain(exc)}）", path=path, reason="damaged") from exc
    finally:
        src.close()
    out.close()
    return result


def _user_version(src) -> int | None:
    try:
        return src.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        return None


def _schema(src, out) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Create the tables in `out`; return (table, columns) to copy and the index/trigger SQL to run after."""
    try:
        entries = src.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    except sqlite3.DatabaseError:
        entries = None
    if not entries or not any(t == "table" and n == "reports" for t, n, _ in entries):
        from sqlite_utils import Database

        migrations.apply(Database(out))  # the schema page is unreadable: ours, at the current version
        entries = [(t, n, None) for t, n in out.execute(
            "SELECT type, name FROM sqlite_master WHERE type = 'table'").fetchall()]
        later: list[str] = []
    else:
        later = [sql for t, _, sql in entries if t in {"index", "trigger", "view"}]
        for t, n, sql in entries:
            if t == "table" and not n.startswith("sqlite_"):
                out.execute(sql)
    tables = []
    for t, n, _ in entries:
        if t == "table" and not n.startswith("sqlite_"):
            columns = [r[1] for r in out.execute(f'PRAGMA table_info("{n}")')]
            tables.append((n, columns))
    return tables, later


def _copy_rows(src, out, table: str, columns: list[str], result: RepairResult) -> int:
    """Rows in rowid order; past a damaged page the scan resumes at the next readable rowid."""
    cols = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT OR IGNORE INTO "{table}" (rowid, {cols}) VALUES ({", ".join("?" * (len(columns) + 1))})'
    select = f'SELECT rowid, {cols} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    last, copied, skips = -(2 ** 63), 0, 0
    while True:
        try:
            for row in src.execute(select, (last,)):
                out.execute(insert, row)
                last = row[0]
                copied += 1
            return copied
        except sqlite3.DatabaseError:
            skips += 1
            if table not in result.damaged_tables:
                result.damaged_tables.append(table)
            nxt = _next_readable(src, table, last)
            if nxt is None or skips > _MAX_SKIPS:
                return copied
            last = nxt - 1


def _next_readable(src, table: str, last: int) -> int | None:
    """The first rowid above `last` whose row can be read, probing further ahead each time (None: none left)."""
    step = 1
    start = max(last, 0)
    while step < 2 ** 40:
        probe = start + step
        try:
            row = src.execute(f'SELECT rowid FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1',
                              (probe,)).fetchone()
            if row is None:
                return None
            src.execute(f'SELECT * FROM "{table}" WHERE rowid = ?', (row[0],)).fetchone()
            return row[0]
        except sqlite3.DatabaseError:
            step *= 2
    return None
