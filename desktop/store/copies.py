"""The automatic backups on disk: their names, which exist and which are good. Imports nothing else of the store
(errors, health and backups all read it), so the three form no import circle."""
from __future__ import annotations

import sqlite3
from pathlib import Path

BACKUP_SUFFIX = ".db.gz"


def first_problem(conn: sqlite3.Connection, pragma: str) -> str | None:
    """None when the check passes, else its first finding (or the error it raised)."""
    try:
        rows = conn.execute(f"PRAGMA {pragma}(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc) or "corrupt" in str(exc):
            return str(exc)
        raise  # locked, disk I/O, not a database: open_library says which
    first = rows[0][0] if rows else "ok"
    return None if first == "ok" else str(first)


def is_good(path: Path) -> bool:
    """A file that opens read-only and passes quick_check."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return first_problem(conn, "quick_check") is None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def backup_files(folder: Path, stem: str) -> list[Path]:
    """Automatic backups of the library named `stem`: compressed ones and plain copies of older versions."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith(f"{stem}-")
                  and (p.name.endswith(BACKUP_SUFFIX) or p.suffix == ".db"))


def last_good_backup(path: Path) -> Path | None:
    """The newest automatic backup of `path` that is good.

    A compressed daily copy (`.db.gz`) is written only after `integrity_check` passed and gzip checks its own CRC
    when it is unpacked, so its gzip header is enough here; a plain copy (before a migration) must pass quick_check.
    """
    path = Path(path)
    copies = sorted(backup_files(path.parent / f"{path.stem}-backups", path.stem),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    return next((p for p in copies if (_is_gzip(p) if p.name.endswith(BACKUP_SUFFIX) else is_good(p))),
                None)


def _is_gzip(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(2) == b"\x1f\x8b"
    except OSError:
        return False
