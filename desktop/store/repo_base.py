"""The library's `Db`: one connection, its transactions, the history log and the stamps every part writes with.

SQL lives in desktop/store only. The helpers here (`now_iso`, `quoted`, `new_uid`, the column lists) are the
parts' shared vocabulary; `Part` is the base of every part store (see library.Library)."""
from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from desktop.store import convert
from desktop.store.convert import dumps, loads
from desktop.store.errors import library_error
from desktop.store.merge import Clock, with_stamps
from desktop.store.records import (
    TRACKING_FIELDS,
)

REVIEWED_STATUSES = ("已审", "已销号")
SAME_REPORT_RESEMBLANCE = 0.3  # 4-gram overlap above which a same-named file is a new version
WORK_COLUMNS = ("report_id", "uid", "kind", "section_path", "theme", "text", "start", "end", "position",
                 "origin", "edited_fields", "extracted", "deleted", *TRACKING_FIELDS, "gid", "stamps")
PARSED = {"work_items": frozenset(convert.WORK_ITEM_EXTRACTED), "indicators": frozenset(convert.INDICATOR_EXTRACTED)}
INDICATOR_COLUMNS = ("report_id", "uid", *convert.INDICATOR_EXTRACTED, "origin", "edited_fields", "extracted",
                      "deleted", "position", "gid", "stamps")


def now_iso() -> str:
    """This moment in local time with its offset, to the second (the history's `at`)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def text_value(value) -> str | None:
    """A value as the history stores it: text, JSON for lists and dicts, None kept."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict)):
        return dumps(list(value) if isinstance(value, tuple) else value)
    return str(value)


def quoted(columns) -> str:
    """Column names quoted for SQL, comma separated."""
    return ", ".join(f'"{c}"' for c in columns)


def new_uid() -> str:
    """A random 16-hex-digit uid for a new row."""
    return uuid.uuid4().hex[:16]


UNSIGNED = "未署名"
REVIEWER_ENV = "FAZHI_REVIEWER"  # the reviewer's name for the command line when --who/--reviewer is not given


def configured_reviewer() -> str:
    """Who a write is recorded under when no name is given: $FAZHI_REVIEWER, else 未署名 — never the OS account
    (root, administrator), which names a machine, not a reviewer. The desk always passes its reviewer."""
    return os.environ.get(REVIEWER_ENV, "").strip() or UNSIGNED


class Db:
    """One open library file: its connection, transactions, history log and stamps — what every part writes with.

    Not thread-safe: use it from one thread at a time. Public API:
    - `conn` (sqlite3.Connection, autocommit mode) and `database` (the sqlite-utils Database over it);
    - `rows(sql, params)` / `row(...)` / `execute(...)`: queries, errors turned into LibraryError (Chinese);
    - `tx()`: one write transaction (BEGIN IMMEDIATE; nested inside another it is a savepoint), `atomic()` a
      savepoint, `tentative(name, keep=)` a transaction whose work can be undone at its end (a dry run);
    - `log(...)`: one history row; `update_row(...)` writes changed fields with their history and marks;
    - `stamp()` / `stamps_after(row, fields, who)`: the stamps team merge compares (see merge.Clock);
    - `path`, `timeout`, `default_who` (who a write is recorded under) and `notices` (messages for the user).
    """

    def __init__(self, database: Database, path: Path, *, timeout: float = 5.0):
        self.database = database
        self.conn: sqlite3.Connection = database.conn
        self.path = Path(path)
        self.timeout = timeout
        self.default_who = configured_reviewer()
        self.notices: list[str] = []  # things open_library wants the user to know (e.g. a failed backup)
        self._clock: Clock | None = None

    # ---------------------------------------------------------------- stamps
    def stamp(self) -> str:
        """A new stamp for a write (see merge.Clock): UTC µs time, this library's id, a random part."""
        if self._clock is None:
            info = dict(self.conn.execute("SELECT key, value FROM library_info").fetchall())
            self._clock = Clock(info["library_id"], info.get("clock") or "")
        return self._clock.next()

    def observe_clock(self, stamp: str) -> None:
        """A stamp seen from elsewhere (a merged colleague's): the stamps this Db makes next come after it."""
        if self._clock is not None:
            self._clock.observe(stamp)

    def stamps_after(self, row: dict, fields, who) -> str:
        """The row's `stamps` JSON after a write of `fields` by `who`."""
        return dumps(with_stamps(loads(row.get("stamps"), {}), fields, self.stamp(), who or self.default_who))

    # ---------------------------------------------------------------- connection
    def close(self) -> None:
        """Close the connection."""
        self.database.close()

    def rows(self, sql: str, params=()) -> list[dict]:
        """All rows of a query as dicts; an SQLite error becomes a LibraryError naming the file."""
        try:
            cur = self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise library_error(exc, self.path, timeout=self.timeout) from exc
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def row(self, sql: str, params=()) -> dict | None:
        """The first row of a query as a dict, or None."""
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        """Run one statement on the connection (inside the caller's transaction)."""
        return self.conn.execute(sql, params)

    def atomic(self):
        """A savepoint (sqlite-utils' atomic): its work is undone on an error, kept otherwise."""
        return self.database.atomic()

    @contextmanager
    def tx(self):
        """One write transaction (BEGIN IMMEDIATE: take the write lock first, waiting up to the busy timeout).
        Inside another transaction it is a savepoint of that one."""
        conn = self.conn
        if conn.in_transaction:
            with self.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise library_error(exc, self.path, timeout=self.timeout) from exc
        try:
            yield
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise library_error(exc, self.path, timeout=self.timeout) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def tentative(self, name: str, *, keep: bool = True):
        """One write transaction whose work is a savepoint: undone on any error, and also at the end when `keep` is
        false (a dry run that must leave nothing behind)."""
        conn = self.conn
        with self.tx():
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
                raise
            if not keep:
                conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")

    # ---------------------------------------------------------------- history
    def log(self, entity, entity_id, action, field=None, old=None, new=None, report_id=None, who=None) -> None:
        """One history row: who did what to which field of which entity, with the old and new values."""
        self.execute(
            "INSERT INTO history (at, who, entity, entity_id, action, field, old, new, report_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (now_iso(), who or self.default_who, entity, entity_id, action, field, text_value(old), text_value(new),
             report_id))

    def update_row(self, table: str, entity: str, row: dict, changes: dict, who, action="update") -> None:
        """Write `changes` to one row, one history row per changed field; track which fields are the reviewer's."""
        extracted = loads(row.get("extracted"), {})
        edited = list(loads(row.get("edited_fields"), []))
        parsed = PARSED.get(table, ()) if row.get("origin") == "extracted" else ()
        sets = {}
        for field, value in changes.items():
            if row[field] == value:
                continue
            sets[field] = value
            self.log(entity, row["id"], action, field, row[field], value, row.get("report_id"), who)
            if field in ("start", "end", "merged_into", "anchor", "position") or "edited_fields" not in row:
                continue
            if field in parsed and field not in extracted and field not in edited:
                # `extracted` keeps only the parser's values the reviewer changed: save this one before it goes
                extracted[field] = row[field]
                sets["extracted"] = dumps(extracted)
            if field == "deleted":
                mark = "deleted" if value else None
            else:
                mark = None if field in extracted and extracted[field] == value else field
            name = field
            if mark is None and name in edited:
                edited.remove(name)
            elif mark is not None and name not in edited:
                edited.append(name)
        if not sets:
            return
        if "edited_fields" in row:
            sets["edited_fields"] = dumps(edited)
        if "stamps" in row:
            sets["stamps"] = self.stamps_after(row, [f for f in sets if f not in ("edited_fields", "extracted")], who)
        assignments = ", ".join(f'"{k}" = ?' for k in sets)
        self.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*sets.values(), row["id"]))

    @staticmethod
    def where(report_id, include_deleted, extra=None):
        """A WHERE clause and its parameters: one report's rows (or all), without deleted ones unless asked."""
        clauses, params = [], []
        if report_id is not None:
            clauses.append("report_id = ?")
            params.append(report_id)
        if not include_deleted:
            clauses.append("deleted = 0")
        if extra:
            clauses.append(extra[0])
            params.append(extra[1])
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def set_deleted(self, table: str, entity: str, row: dict, deleted: bool, who, extra: dict | None = None) -> None:
        """Soft delete or restore one row in its own transaction, with a history row (nothing is ever lost)."""
        with self.tx():
            self.update_row(table, entity, row, {"deleted": int(deleted), **(extra or {})}, who,
                            action="delete" if deleted else "restore")


class Part:
    """The base of a part store: its tables are reached through the shared `db`; its siblings only through their
    public methods, on `lib` (the Library it belongs to)."""

    def __init__(self, db: Db, lib) -> None:
        self.db = db
        self.lib = lib
