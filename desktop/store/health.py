"""A library's health: `quick_check` when opened, `integrity_check` before the daily backup, the last good backup."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.store.copies import first_problem, is_good, last_good_backup  # noqa: F401 (is_good, last_good_backup: re-exported)
from desktop.store.errors import damaged


def check_open(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged library when it is opened (PRAGMA quick_check: every page and row readable)."""
    problem = first_problem(conn, "quick_check")
    if problem:
        raise damaged(path, problem)


def check_daily(conn: sqlite3.Connection, path: Path) -> None:
    """The fuller integrity_check (indexes against tables too), once a day before the daily backup."""
    problem = first_problem(conn, "integrity_check")
    if problem:
        raise damaged(path, problem)
