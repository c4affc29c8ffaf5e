"""Versioned schema migrations (sqlite-utils Migrations), connection pragmas and schema inspection."""
from __future__ import annotations

import json
import uuid
import zlib
from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from desktop.store import migration_0005, migration_0013
from desktop.store.convert import INDICATOR_EXTRACTED, WORK_ITEM_EXTRACTED, dumps
from desktop.store.merge import (
    CREATED, derived_gid, followup_gid, item_gid, new_gid, rectification_gid, report_key, utc_stamp_time,
)

MIGRATION_SET = "fazhi-review"
migrations = Migrations(MIGRATION_SET)

DEFAULT_TAGS = ("亮点", "数据存疑", "表述空泛", "缺少量化", "需补充佐证", "与上年重复")


def _run(db: Database, *statements: str) -> None:
    for sql in statements:
        db.execute(sql)


@migrations(name="0001_core")
def m0001_core(db: Database) -> None:
    """Reports, every reading's text, the section tree, indicators, work items, annotations, tags, history."""
    _run(
        db,
        "CREATE TABLE library_info (key TEXT PRIMARY KEY, value TEXT)",
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            doc_kind TEXT NOT NULL,
            title TEXT, issuer TEXT, report_year INTEGER, plan_year INTEGER, published TEXT,
            metadata TEXT NOT NULL DEFAULT '{}',
            clean_text TEXT NOT NULL,
            warnings TEXT NOT NULL DEFAULT '[]',
            identity TEXT,
            imported_at TEXT NOT NULL,
            reading_no INTEGER NOT NULL DEFAULT 1)""",
        "CREATE INDEX reports_identity ON reports(identity)",
        "CREATE INDEX reports_file_name ON reports(file_name)",
        """CREATE TABLE readings (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            reading_no INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            clean_text TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            UNIQUE (report_id, reading_no))""",
        "CREATE INDEX readings_sha256 ON readings(sha256)",
        """CREATE TABLE sections (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            path TEXT NOT NULL, parent_path TEXT, number TEXT NOT NULL, label TEXT NOT NULL,
            title TEXT NOT NULL, level INTEGER NOT NULL, role TEXT NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            title_start INTEGER NOT NULL, title_end INTEGER NOT NULL,
            position INTEGER NOT NULL,
            UNIQUE (report_id, path))""",
        """CREATE TABLE indicators (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            uid TEXT NOT NULL UNIQUE,
            section_path TEXT NOT NULL, text TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL,
            qualifier TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, context TEXT NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            change_value REAL, change_unit TEXT, change_basis TEXT, change_text TEXT,
            origin TEXT NOT NULL DEFAULT 'extracted',
            edited_fields TEXT NOT NULL DEFAULT '[]',
            extracted TEXT NOT NULL DEFAULT '{}',
            check_status TEXT,
            deleted INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX indicators_report ON indicators(report_id, position)",
        """CREATE TABLE work_items (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            uid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL, section_path TEXT NOT NULL, theme TEXT NOT NULL, text TEXT NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, position INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL DEFAULT 'extracted',
            edited_fields TEXT NOT NULL DEFAULT '[]',
            extracted TEXT NOT NULL DEFAULT '{}',
            deleted INTEGER NOT NULL DEFAULT 0,
            merged_into INTEGER,
            category TEXT, target TEXT, lead_unit TEXT, partner_units TEXT, owner TEXT, deadline TEXT,
            progress TEXT, status TEXT, evidence TEXT, review_opinion TEXT, remarks TEXT)""",
        "CREATE INDEX work_items_report ON work_items(report_id, position)",
        """CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            target_kind TEXT NOT NULL, target_id INTEGER, section_path TEXT,
            start INTEGER, "end" INTEGER, quote TEXT,
            body TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '[]', score REAL,
            status TEXT NOT NULL DEFAULT '待审', reviewer TEXT,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX annotations_report ON annotations(report_id)",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)",
        """CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL, who TEXT, entity TEXT NOT NULL, entity_id INTEGER,
            action TEXT NOT NULL, field TEXT, old TEXT, new TEXT, report_id INTEGER)""",
    )
    db.execute("INSERT INTO library_info (key, value) VALUES ('library_id', ?)", [str(uuid.uuid4())])
    for name in DEFAULT_TAGS:
        db.execute("INSERT INTO tags (name, created_at) VALUES (?, datetime('now'))", [name])


@migrations(name="0002_rubric_scores")
def m0002_rubric_scores(db: Database) -> None:
    """Scores against the review rubric, one per report and criterion."""
    _run(
        db,
        """CREATE TABLE rubric_scores (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            criterion_id TEXT NOT NULL, score REAL, comment TEXT, reviewer TEXT,
            updated_at TEXT NOT NULL,
            UNIQUE (report_id, criterion_id))""",
    )


@migrations(name="0003_anchors")
def m0003_anchors(db: Database) -> None:
    """Anchor state after re-readings (ok / moved / orphaned) and history lookups by report."""
    _run(
        db,
        "ALTER TABLE annotations ADD COLUMN anchor TEXT NOT NULL DEFAULT 'ok'",
        "ALTER TABLE work_items ADD COLUMN anchor TEXT NOT NULL DEFAULT 'ok'",
        "ALTER TABLE indicators ADD COLUMN anchor TEXT NOT NULL DEFAULT 'ok'",
        "CREATE INDEX history_report ON history(report_id, id)",
        "CREATE INDEX annotations_target ON annotations(target_kind, target_id)",
    )


@migrations(name="0005_season")
def m0005_season(db: Database) -> None:
    """The season: report identity edited over the parser's, units with aliases, stored check results,
    and each reading's text kept once (the current one lives in reports; older ones compressed)."""
    _run(
        db,
        "ALTER TABLE reports ADD COLUMN level TEXT",
        "ALTER TABLE reports ADD COLUMN region TEXT",
        "ALTER TABLE reports ADD COLUMN report_type TEXT",
        "ALTER TABLE reports ADD COLUMN unit_id INTEGER",
        "ALTER TABLE reports ADD COLUMN review_status TEXT",
        "ALTER TABLE reports ADD COLUMN edited_fields TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE reports ADD COLUMN extracted_identity TEXT NOT NULL DEFAULT '{}'",
        "CREATE INDEX reports_unit ON reports(unit_id)",
        """CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            level TEXT, region TEXT,
            merged_into INTEGER REFERENCES units(id),
            created_at TEXT NOT NULL)""",
        """CREATE TABLE unit_aliases (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            alias TEXT NOT NULL, region TEXT NOT NULL DEFAULT '',
            UNIQUE (alias, region))""",
        """CREATE TABLE check_results (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            rubric_hash TEXT NOT NULL, stamp TEXT NOT NULL,
            results TEXT NOT NULL, findings BLOB NOT NULL,
            n_pass INTEGER NOT NULL, n_warn INTEGER NOT NULL, n_fail INTEGER NOT NULL,
            n_unknown INTEGER NOT NULL, parts_found INTEGER,
            computed_at TEXT NOT NULL,
            UNIQUE (report_id, rubric_hash))""",
        "ALTER TABLE readings ADD COLUMN text_z BLOB",
        # the overview counts from these indexes without reading the rows (text, JSON) themselves
        "CREATE INDEX work_items_counts ON work_items(report_id, deleted, kind)",
        "CREATE INDEX indicators_counts ON indicators(report_id, deleted)",
        "CREATE INDEX annotations_counts ON annotations(report_id, deleted, reviewer, updated_at)",
    )
    migration_0005.fill_season(db)  # the data part, frozen with the migration: identity, units, texts stored once

@migrations(name="0006_ledger_rounds")
def m0006_ledger_rounds(db: Database) -> None:
    """Ledger read-backs in rounds: each file returned, each task's reported progress, provenance on history."""
    _run(
        db,
        """CREATE TABLE ledger_returns (
            id INTEGER PRIMARY KEY,
            round TEXT NOT NULL,
            file_name TEXT NOT NULL,
            filler_unit TEXT,
            read_at TEXT NOT NULL,
            who TEXT,
            deleted INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX ledger_returns_round ON ledger_returns(round)",
        """CREATE TABLE ledger_progress (
            id INTEGER PRIMARY KEY,
            return_id INTEGER NOT NULL REFERENCES ledger_returns(id),
            work_item_id INTEGER NOT NULL REFERENCES work_items(id),
            row_no INTEGER,
            status TEXT, progress TEXT,
            reported TEXT NOT NULL DEFAULT '{}')""",
        "CREATE INDEX ledger_progress_item ON ledger_progress(work_item_id, id)",
        "CREATE INDEX ledger_progress_return ON ledger_progress(return_id)",
        "ALTER TABLE history ADD COLUMN source TEXT",
    )

@migrations(name="0007_team")
def m0007_team(db: Database) -> None:
    """Global ids and stamps for merging review bundles, scores per reviewer, assignments, conflicts."""
    _run(
        db,
        "ALTER TABLE reports ADD COLUMN report_key TEXT",
        "ALTER TABLE reports ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}'",  # identity edits (0005) travel too
        "ALTER TABLE annotations ADD COLUMN gid TEXT",
        "ALTER TABLE annotations ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE work_items ADD COLUMN gid TEXT",
        "ALTER TABLE work_items ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE indicators ADD COLUMN gid TEXT",
        "ALTER TABLE indicators ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}'",
    )
    keys: dict[int, str] = {}
    texts = reading_texts(db)
    first: dict[int, int] = dict(db.execute("SELECT report_id, min(reading_no) FROM readings GROUP BY report_id")
                                 .fetchall())
    for rid, text in db.execute("SELECT id, clean_text FROM reports ORDER BY id").fetchall():
        key = report_key((texts.get((rid, first[rid])) if rid in first else None) or text)
        if key in keys.values():
            key = derived_gid(key, rid)
        keys[rid] = key
        db.execute("UPDATE reports SET report_key = ? WHERE id = ?", [key, rid])
    for table, parsed in (("work_items", WORK_ITEM_EXTRACTED), ("indicators", INDICATOR_EXTRACTED)):
        taken: set[str] = set()
        names = ", ".join(f'"{c}"' for c in parsed)
        cur = db.execute(f"SELECT report_id, origin, extracted, position, id, {names} FROM {table} ORDER BY id")
        for rid, origin, extracted, position, row_id, *columns in cur.fetchall():
            # the parser's values: the columns, overlaid with those a reviewer changed (or, older, all of them)
            values = {**dict(zip(parsed, columns)), **json.loads(extracted or "{}")}
            gid = (item_gid(keys[rid], table, position, dumps(values), taken.__contains__) if origin == "extracted"
                   else new_gid())
            taken.add(gid)
            db.execute(f"UPDATE {table} SET gid = ? WHERE id = ?", [gid, row_id])
    for (row_id,) in db.execute("SELECT id FROM annotations").fetchall():
        db.execute("UPDATE annotations SET gid = ? WHERE id = ?", [new_gid(), row_id])
    _run(
        db,
        "CREATE UNIQUE INDEX reports_key ON reports(report_key)",
        "CREATE UNIQUE INDEX annotations_gid ON annotations(gid)",
        "CREATE UNIQUE INDEX work_items_gid ON work_items(gid)",
        "CREATE UNIQUE INDEX indicators_gid ON indicators(gid)",
        "ALTER TABLE rubric_scores RENAME TO rubric_scores_0002",
        """CREATE TABLE rubric_scores (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            criterion_id TEXT NOT NULL, score REAL, comment TEXT, reviewer TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            gid TEXT NOT NULL UNIQUE, stamps TEXT NOT NULL DEFAULT '{}',
            UNIQUE (report_id, criterion_id, reviewer))""",
        """CREATE TABLE assignments (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            reviewer TEXT NOT NULL, note TEXT, deleted INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL, gid TEXT NOT NULL UNIQUE, stamps TEXT NOT NULL DEFAULT '{}',
            UNIQUE (report_id, reviewer))""",
        """CREATE TABLE conflicts (
            id INTEGER PRIMARY KEY,
            gid TEXT NOT NULL UNIQUE,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            entity TEXT NOT NULL, entity_gid TEXT NOT NULL, field TEXT NOT NULL,
            value TEXT, stamp TEXT NOT NULL, author TEXT, winner_author TEXT,
            confirmed_by TEXT, confirmed_at TEXT, stamps TEXT NOT NULL DEFAULT '{}')""",
        "CREATE INDEX conflicts_report ON conflicts(report_id)",
    )
    for row in db.execute("SELECT report_id, criterion_id, score, comment, coalesce(reviewer, ''), updated_at"
                          " FROM rubric_scores_0002 ORDER BY id").fetchall():
        rid, cid, reviewer = row[0], row[1], row[4]
        db.execute("INSERT INTO rubric_scores (report_id, criterion_id, score, comment, reviewer, updated_at, gid)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)", [*row, derived_gid(keys[rid], cid, reviewer)])
    db.execute("DROP TABLE rubric_scores_0002")


def reading_texts(db: Database, report_ids=None) -> dict[tuple[int, int], str]:
    """(report id, reading number) -> that reading's text, wherever this schema keeps it: in its row, compressed
    (text_z, when 0005 archived it) or, for the current reading, in the report."""
    columns = {r[1] for r in db.execute("PRAGMA table_info(readings)").fetchall()}
    packed = "g.text_z" if "text_z" in columns else "NULL"
    out = {}
    for rid, no, text, z, current, latest in db.execute(
            f"SELECT g.report_id, g.reading_no, g.clean_text, {packed}, r.clean_text, r.reading_no FROM readings g"
            " JOIN reports r ON r.id = g.report_id ORDER BY g.report_id, g.reading_no").fetchall():
        if report_ids is not None and rid not in report_ids:
            continue
        if z is not None:
            text = unpack_reading(z, rid, no)
        out[(rid, no)] = text or (current if latest == no else "")
    return out


def unpack_reading(blob: bytes, report_id: int, reading_no: int) -> str:
    """A stored compressed text; LibraryError (one sentence) when it does not inflate: damage SQLite's own
    integrity check cannot see, since the page holding it is sound."""
    try:
        return zlib.decompress(blob).decode("utf-8")
    except (zlib.error, UnicodeDecodeError, TypeError):
        from desktop.store.errors import LibraryError

        raise LibraryError(f"审阅库中 #{report_id} 报告第 {reading_no} 版的正文已损坏（压缩数据无法解开），"
                           "请用 repair 命令修复", reason="damaged") from None


@migrations(name="0008_followup")
def m0008_followup(db: Database) -> None:
    """The reviewer's decision on each of last year's plan tasks against a later report (cross-year follow-up)."""
    _run(
        db,
        """CREATE TABLE followup_decisions (
            id INTEGER PRIMARY KEY,
            later_id INTEGER NOT NULL REFERENCES reports(id),
            work_item_id INTEGER NOT NULL REFERENCES work_items(id),
            machine_verdict TEXT, decision TEXT, note TEXT, reviewer TEXT,
            updated_at TEXT NOT NULL,
            UNIQUE (later_id, work_item_id))""",
    )


@migrations(name="0009_letters_rectification")
def m0009_letters_rectification(db: Database) -> None:
    """整改清单: what the unit reports for each annotation marked 需整改 (the annotation's status 已销号 closes it)."""
    _run(
        db,
        """CREATE TABLE rectifications (
            annotation_id INTEGER PRIMARY KEY REFERENCES annotations(id),
            progress TEXT, state TEXT,
            updated_at TEXT NOT NULL, updated_by TEXT)""",
    )


@migrations(name="0010_followup_team")
def m0010_followup_team(db: Database) -> None:
    """Follow-up decisions travel in review bundles: a gid (the later report's key and the task's gid), per-field
    stamps and a tombstone; existing decisions get the stamps of their last write (their time and reviewer)."""
    _run(
        db,
        "ALTER TABLE followup_decisions ADD COLUMN gid TEXT",
        "ALTER TABLE followup_decisions ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE followup_decisions ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
    )
    library = db.execute("SELECT value FROM library_info WHERE key = 'library_id'").fetchone()[0]
    rows = db.execute("SELECT f.id, r.report_key, w.gid, f.updated_at, f.reviewer, f.decision, f.note,"
                      " f.machine_verdict FROM followup_decisions f JOIN reports r ON r.id = f.later_id"
                      " JOIN work_items w ON w.id = f.work_item_id ORDER BY f.id").fetchall()
    for row_id, later_key, task_gid, updated_at, reviewer, *values in rows:
        gid = followup_gid(later_key, task_gid)
        stamp = f"{utc_stamp_time(updated_at)}|{library}|{gid[:8]}"
        written = [CREATED] + [f for f, v in zip(("decision", "note", "machine_verdict"), values) if v is not None]
        db.execute("UPDATE followup_decisions SET gid = ?, stamps = ? WHERE id = ?",
                   [gid, dumps({f: [stamp, "", reviewer] for f in written}), row_id])
    db.execute("CREATE UNIQUE INDEX followup_decisions_gid ON followup_decisions(gid)")



@migrations(name="0011_rectification_team")
def m0011_rectification_team(db: Database) -> None:
    """Rectification reports travel in review bundles: a gid (from the annotation's gid) and per-field stamps;
    existing rows get the stamps of their last write (its time and who), the office name a stamp of its last
    change in the history (or an oldest-possible one, so any colleague's later change wins)."""
    _run(
        db,
        "ALTER TABLE rectifications ADD COLUMN gid TEXT",
        "ALTER TABLE rectifications ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}'",
    )
    library = db.execute("SELECT value FROM library_info WHERE key = 'library_id'").fetchone()[0]
    rows = db.execute("SELECT r.annotation_id, a.gid, r.updated_at, r.updated_by, r.progress, r.state"
                      " FROM rectifications r JOIN annotations a ON a.id = r.annotation_id").fetchall()
    for ann_id, ann_gid, updated_at, who, *values in rows:
        gid = rectification_gid(ann_gid)
        stamp = f"{utc_stamp_time(updated_at)}|{library}|{gid[:8]}"
        written = [CREATED] + [f for f, v in zip(("progress", "state"), values) if v is not None]
        db.execute("UPDATE rectifications SET gid = ?, stamps = ? WHERE annotation_id = ?",
                   [gid, dumps({f: [stamp, "", who] for f in written}), ann_id])
    db.execute("CREATE UNIQUE INDEX rectifications_gid ON rectifications(gid)")
    office = db.execute("SELECT value FROM library_info WHERE key = 'setting.office_name'").fetchone()
    if office and office[0]:
        last = db.execute("SELECT at, who FROM history WHERE entity = 'setting' AND field = 'office_name'"
                          " ORDER BY id DESC LIMIT 1").fetchone() or ("", None)
        stamp = f"{utc_stamp_time(last[0])}|{library}|{uuid.uuid4().hex[:8]}"
        db.execute("INSERT OR REPLACE INTO library_info (key, value) VALUES ('stamp.office_name', ?)",
                   [dumps([stamp, "", last[1]])])

@migrations(name="0012_removals_and_ledger_choices")
def m0012_removals_and_ledger_choices(db: Database) -> None:
    """Removed reports kept as tombstones (restorable, sent in bundles); the reviewer's choice of a ledger value
    per round, task and field, and the file it came from (it wins over every file of that round)."""
    _run(
        db,
        """CREATE TABLE removed_reports (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL,
            report_key TEXT NOT NULL,
            title TEXT, file_name TEXT,
            removed_at TEXT NOT NULL, removed_by TEXT,
            stamp TEXT NOT NULL,
            payload BLOB NOT NULL)""",
        "CREATE INDEX removed_reports_key ON removed_reports(report_key)",
        """CREATE TABLE ledger_choices (
            round TEXT NOT NULL,
            work_item_id INTEGER NOT NULL,
            field TEXT NOT NULL,
            value TEXT,
            file_name TEXT NOT NULL,
            chosen_at TEXT NOT NULL, who TEXT,
            PRIMARY KEY (round, work_item_id, field))""",
    )


@migrations(name="0013_server_sync")
def m0013_server_sync(db: Database) -> None:
    """Sync with a team server (desktop/server): per server, the last record pulled, the history row and the conflict
    up to which this library's writes were pushed, and when it last synced. The library stays the working copy.
    Ledger read-backs get gids and stamps so the rounds travel with the review records (ledger_team.py; the data
    step is frozen in migration_0013.py)."""
    _run(
        db,
        """CREATE TABLE server_sync (
            server_id TEXT PRIMARY KEY,
            address TEXT,
            reviewer TEXT,
            pulled_seq INTEGER NOT NULL DEFAULT 0,
            pushed_history INTEGER NOT NULL DEFAULT 0,
            pushed_conflict INTEGER NOT NULL DEFAULT 0,
            last_sync TEXT)""",
        # ledger rounds travel (bundles, the server): a read-back and each task's reported line get a gid
        "ALTER TABLE ledger_returns ADD COLUMN gid TEXT",
        "ALTER TABLE ledger_returns ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE ledger_progress ADD COLUMN gid TEXT",
    )
    migration_0013.fill_gids(db)
    _run(db, "CREATE UNIQUE INDEX ledger_returns_gid ON ledger_returns(gid)",
         "CREATE UNIQUE INDEX ledger_progress_gid ON ledger_progress(gid)")


@migrations(name="0014_ledger_digests")
def m0014_ledger_digests(db: Database) -> None:
    """The sha256 of each workbook read back, with the return it made in its round: the same file given again in
    that round is skipped without being read (issue 27). Keyed by the return, so a read-back undone (its return
    withdrawn) no longer counts. (No REFERENCES: repair copies tables in any order.)"""
    _run(
        db,
        """CREATE TABLE ledger_digests (
            return_id INTEGER PRIMARY KEY,
            round TEXT NOT NULL,
            sha256 TEXT NOT NULL)""",
        "CREATE INDEX ledger_digests_round ON ledger_digests(round, sha256)",
    )


SCHEMA_VERSION = len(migrations._migrations)
MIGRATION_NAMES = tuple(m.name for m in migrations._migrations)


@dataclass(frozen=True)
class SchemaState:
    user_version: int
    applied: tuple[str, ...]  # names of migrations of our set already applied
    tables: tuple[str, ...]  # user tables present (excluding sqlite internals)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Applied migrations this program does not know: the library comes from a newer version."""
        return tuple(n for n in self.applied if n not in MIGRATION_NAMES)

    @property
    def is_ours(self) -> bool:
        return bool(self.applied) or not self.tables


def inspect(db: Database) -> SchemaState:
    """Read-only look at a database file: its user_version, our applied migrations and its tables."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    tables = tuple(r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
    applied: tuple[str, ...] = ()
    if migrations.migrations_table in tables:
        applied = tuple(r[0] for r in db.execute(
            f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET]))
    return SchemaState(version, applied, tables)


def configure(db: Database, *, busy_timeout_ms: int) -> None:
    """Connection settings: WAL (readers never block the writer), foreign keys, busy timeout, full sync."""
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db.execute("PRAGMA foreign_keys = ON")
    if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed annotation survives a power cut too, not only a crash of the app.
    db.execute("PRAGMA synchronous = FULL")


def pending(db: Database) -> list[str]:
    return [m.name for m in migrations.pending(db)]


def apply(db: Database, *, stop_before: str | None = None) -> None:
    """Apply pending migrations; the caller holds the write lock so two processes never migrate twice.

    `user_version` follows the number of our migrations applied, so no migration sets it by hand.
    """
    migrations.apply(db, stop_before=stop_before)
    applied = inspect(db).applied
    db.execute(f"PRAGMA user_version = {sum(1 for n in applied if n in MIGRATION_NAMES)}")


def integrity_check(db: Database) -> str:
    return db.execute("PRAGMA integrity_check").fetchone()[0]
