"""The review library's repository: the only module with SQL; every write is one transaction."""
from __future__ import annotations

import getpass
import hashlib
import sqlite3
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from desktop.report.model import Reading, ReportError
from desktop.store import convert
from desktop.store.anchoring import find_quote, resemblance
from desktop.store.convert import dumps, loads
from desktop.store.errors import LibraryError, library_error
from desktop.store.reread import plan_reread
from desktop.store.records import (
    ANNOTATION_STATUSES, TARGET_KINDS, TRACKING_FIELDS, AnnotationRecord, HistoryRecord, ImportResult,
    IndicatorRecord, ReportRecord, RubricScoreRecord, SearchHit, SectionRecord, WorkItemRecord,
)

REVIEWED_STATUSES = ("已审", "已销号")
SAME_REPORT_RESEMBLANCE = 0.3  # 4-gram overlap above which a same-named file is a new version
_WORK_COLUMNS = ("report_id", "uid", "kind", "section_path", "theme", "text", "start", "end", "position",
                 "origin", "edited_fields", "extracted", "deleted", *TRACKING_FIELDS)
_INDICATOR_COLUMNS = ("report_id", "uid", *convert.INDICATOR_EXTRACTED, "origin", "edited_fields", "extracted",
                      "deleted", "position")


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict)):
        return dumps(list(value) if isinstance(value, tuple) else value)
    return str(value)


def _q(columns) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _uid() -> str:
    return uuid.uuid4().hex[:16]


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (e.g. a container without passwd entry)
        return None


class Repository:
    """All reads and writes of one library file. Not thread-safe: use it from one thread at a time."""

    def __init__(self, db: Database, path: Path, *, timeout: float = 5.0):
        self.db = db
        self.path = Path(path)
        self.timeout = timeout
        self.default_who = _os_user()
        self.notices: list[str] = []  # things open_library wants the user to know (e.g. a failed backup)

    # ---------------------------------------------------------------- plumbing
    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _rows(self, sql: str, params=()) -> list[dict]:
        try:
            cur = self.db.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise library_error(exc, self.path, timeout=self.timeout) from exc
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def _row(self, sql: str, params=()) -> dict | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _exec(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.db.conn.execute(sql, params)

    @contextmanager
    def _tx(self):
        """One write transaction (BEGIN IMMEDIATE: take the write lock first, waiting up to the busy timeout)."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
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

    def _log(self, entity, entity_id, action, field=None, old=None, new=None, report_id=None, who=None) -> None:
        self._exec(
            "INSERT INTO history (at, who, entity, entity_id, action, field, old, new, report_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), who or self.default_who, entity, entity_id, action, field, _text(old), _text(new), report_id))

    def _update_row(self, table: str, entity: str, row: dict, changes: dict, who, action="update") -> None:
        """Write `changes` to one row, one history row per changed field; track which fields are the reviewer's."""
        extracted = loads(row.get("extracted"), {})
        edited = list(loads(row.get("edited_fields"), []))
        sets = {}
        for field, value in changes.items():
            if row[field] == value:
                continue
            sets[field] = value
            self._log(entity, row["id"], action, field, row[field], value, row.get("report_id"), who)
            if field in ("start", "end", "merged_into", "anchor", "position") or "edited_fields" not in row:
                continue
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
        assignments = ", ".join(f'"{k}" = ?' for k in sets)
        self._exec(f"UPDATE {table} SET {assignments} WHERE id = ?", (*sets.values(), row["id"]))

    # ---------------------------------------------------------------- library
    def library_id(self) -> str:
        row = self._row("SELECT value FROM library_info WHERE key = 'library_id'")
        return row["value"]

    def backup(self, dest, *, overwrite: bool = False) -> Path:
        """Copy the library (a consistent snapshot, WAL included) to `dest` with the SQLite backup API."""
        dest = Path(dest)
        if dest.exists() and not overwrite:
            raise LibraryError(f"{dest}: 目标文件已存在，未覆盖", path=dest)
        if dest.resolve() == self.path.resolve():
            raise LibraryError(f"{dest}: 不能备份到审阅库自身", path=dest)
        tmp = dest.with_name(dest.name + ".part")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            target = sqlite3.connect(str(tmp))
            try:
                self.db.conn.backup(target)
            finally:
                target.close()
            tmp.replace(dest)
        except (sqlite3.Error, OSError) as exc:
            tmp.unlink(missing_ok=True)
            raise library_error(exc, dest) from exc
        return dest

    def integrity_check(self) -> str:
        return self._row("PRAGMA integrity_check")["integrity_check"]

    # ---------------------------------------------------------------- reports
    def list_reports(self) -> list[ReportRecord]:
        return [convert.report_record(r) for r in self._rows("SELECT * FROM reports ORDER BY id")]

    def counts(self, report_id=None) -> dict[int, dict[str, int]]:
        """Per report: sections, indicators, work items by kind, annotations (deleted rows not counted)."""
        where = "WHERE report_id = ?" if report_id is not None else ""
        params = (report_id,) if report_id is not None else ()
        out: dict[int, dict[str, int]] = {}
        for r in self._rows("SELECT id FROM reports" + (" WHERE id = ?" if report_id is not None else ""), params):
            out[r["id"]] = {"sections": 0, "indicators": 0, "work_items": 0, "plan_task": 0, "annotations": 0}
        queries = (
            ("sections", f"SELECT report_id, count(*) AS n FROM sections {where} GROUP BY report_id"),
            ("indicators", f"SELECT report_id, count(*) AS n FROM indicators {where or 'WHERE 1'} AND deleted = 0"
                           " GROUP BY report_id"),
            ("annotations", f"SELECT report_id, count(*) AS n FROM annotations {where or 'WHERE 1'}"
                            " AND deleted = 0 GROUP BY report_id"),
        )
        for key, sql in queries:
            for r in self._rows(sql, params):
                out.setdefault(r["report_id"], {})[key] = r["n"]
        for r in self._rows(f"SELECT report_id, kind, count(*) AS n FROM work_items {where or 'WHERE 1'}"
                            " AND deleted = 0 GROUP BY report_id, kind", params):
            entry = out.setdefault(r["report_id"], {})
            entry[r["kind"]] = r["n"]
            entry["work_items"] = entry.get("work_items", 0) + r["n"]
        return out

    def report_count(self) -> int:
        return self._row("SELECT count(*) AS n FROM reports")["n"]

    def _report_row(self, report_id: int) -> dict:
        row = self._row("SELECT * FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {report_id} 的报告")
        return row

    def get_report(self, report_id: int) -> ReportRecord:
        return convert.report_record(self._report_row(report_id))

    def find_report(self, ref: str) -> ReportRecord:
        """A report by id, by file name, or by a unique substring of its title."""
        ref = str(ref).strip()
        if ref.isdigit():
            row = self._row("SELECT * FROM reports WHERE id = ?", (int(ref),))
            if row:
                return convert.report_record(row)
        rows = self._rows("SELECT * FROM reports WHERE file_name = ? ORDER BY id", (ref,))
        if not rows and ref:
            rows = self._rows("SELECT * FROM reports WHERE instr(title, ?) > 0 OR instr(file_name, ?) > 0"
                              " ORDER BY id", (ref, ref))
        if not rows:
            raise LookupError(f"找不到报告：{ref}")
        if len(rows) > 1:
            names = "；".join(f"#{r['id']} {r['title'] or r['file_name']}" for r in rows[:5])
            raise LookupError(f"“{ref}”对应多份报告，请用编号指定：{names}")
        return convert.report_record(rows[0])

    def sections(self, report_id: int) -> list[SectionRecord]:
        return [convert.section_record(r) for r in
                self._rows("SELECT * FROM sections WHERE report_id = ? ORDER BY position", (report_id,))]

    def reading(self, report_id: int) -> Reading:
        """The report as a Reading with the reviewer's edits applied and deleted rows left out."""
        report = self._report_row(report_id)
        sections = self._rows("SELECT * FROM sections WHERE report_id = ?", (report_id,))
        return convert.build_reading(report, sections, self.indicators(report_id), self.work_items(report_id))

    # ---------------------------------------------------------------- import
    def import_file(self, path, who=None) -> ImportResult:
        p = Path(path)
        try:
            if p.is_dir():
                raise ReportError("这是一个文件夹，不是报告文件", source=str(path))
            data = p.read_bytes()
        except FileNotFoundError:
            raise ReportError("文件不存在", source=str(path)) from None
        except PermissionError:
            raise ReportError("没有读取该文件的权限", source=str(path)) from None
        except OSError as exc:
            raise ReportError(f"无法读取文件（{exc.strerror or exc}）", source=str(path)) from None
        return self.import_bytes(data, p.name, who=who)

    def import_bytes(self, data: bytes, file_name: str, who=None) -> ImportResult:
        sha = hashlib.sha256(data).hexdigest()
        same = self._same_bytes(sha)
        if same is not None:
            return same
        from desktop.report.extract import read_bytes  # the reader; imported late so the store loads without it

        reading = read_bytes(data, file_name)
        return self.import_reading(reading, file_name=file_name, sha256=sha, who=who)

    def _same_bytes(self, sha: str) -> ImportResult | None:
        row = self._row("SELECT report_id, reading_no FROM readings WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
                        (sha,))
        if row is None:
            return None
        report = self.get_report(row["report_id"])
        msg = "内容与库中已有报告完全相同，未重复导入"
        if row["reading_no"] != report.reading_no:
            msg += f"（与第 {row['reading_no']} 版相同，库中当前为第 {report.reading_no} 版）"
        return ImportResult(report=report, status="unchanged", messages=(msg,))

    def import_reading(self, reading: Reading, *, file_name: str | None = None, sha256: str | None = None,
                       who=None) -> ImportResult:
        """Store a reading: a new report, a repeat (unchanged) or a new reading of a report already here."""
        file_name = file_name or reading.source_name
        sha = sha256 or hashlib.sha256(reading.clean_text.encode("utf-8")).hexdigest()
        with self._tx():
            same = self._same_bytes(sha)
            if same is not None:
                return same
            prior = self._prior_version(reading, file_name)
            if prior is None:
                report_id = self._insert_report(reading, file_name, sha, who)
                return ImportResult(report=self.get_report(report_id), status="new")
            if prior["clean_text"] == reading.clean_text:  # same words in another encoding or file format
                return ImportResult(report=self.get_report(prior["id"]), status="unchanged",
                                    messages=("文字与库中当前版本相同（文件编码或格式不同），未重复导入",))
            return self._reread(prior, reading, file_name, sha, who)

    def _prior_version(self, reading: Reading, file_name: str) -> dict | None:
        ident = convert.identity(reading)
        if ident is not None:
            row = self._row("SELECT * FROM reports WHERE identity = ? ORDER BY id DESC LIMIT 1", (ident,))
            if row:
                return row
        for row in self._rows("SELECT * FROM reports WHERE file_name = ? ORDER BY id DESC", (file_name,)):
            # Same file name is a new version unless the readings name different reports, or (with no title to
            # go by) the texts have little in common: two sites' "index.html" are different reports.
            if ident is not None and row["identity"] is not None:
                continue
            if resemblance(row["clean_text"], reading.clean_text) >= SAME_REPORT_RESEMBLANCE:
                return row
        return None

    def _insert_report(self, reading: Reading, file_name: str, sha: str, who) -> int:
        values = convert.report_values(reading)
        now = _now()
        values.update(file_name=file_name, sha256=sha, imported_at=now, reading_no=1)
        cur = self._exec(f"INSERT INTO reports ({_q(values)}) VALUES ({', '.join('?' * len(values))})",
                         tuple(values.values()))
        report_id = cur.lastrowid
        self._insert_reading_text(report_id, 1, file_name, sha, reading.clean_text, now)
        self._insert_sections(report_id, reading)
        self._insert_indicators(report_id, [(i, convert.indicator_values(ind)) for i, ind in
                                            enumerate(reading.indicators)])
        self._insert_work_items(report_id, [(i, convert.work_item_values(w)) for i, w in
                                            enumerate(reading.work_items)])
        self._log("report", report_id, "import", "file_name", None, file_name, report_id, who)
        return report_id

    def _insert_reading_text(self, report_id, reading_no, file_name, sha, text, now) -> None:
        self._exec("INSERT INTO readings (report_id, reading_no, file_name, sha256, clean_text, imported_at)"
                   " VALUES (?, ?, ?, ?, ?, ?)", (report_id, reading_no, file_name, sha, text, now))

    def _insert_sections(self, report_id: int, reading: Reading) -> None:
        rows = convert.section_rows(reading)
        if rows:
            cols = ("report_id", *rows[0])
            self.db.conn.executemany(f"INSERT INTO sections ({_q(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                     [(report_id, *r.values()) for r in rows])

    def _insert_indicators(self, report_id: int, items: list[tuple[int, dict]], origin="extracted") -> list[int]:
        ids = []
        sql = f"INSERT INTO indicators ({_q(_INDICATOR_COLUMNS)}) VALUES ({', '.join('?' * len(_INDICATOR_COLUMNS))})"
        for position, values in items:
            extracted = dumps(values) if origin == "extracted" else "{}"
            row = {"report_id": report_id, "uid": _uid(), **values, "origin": origin, "edited_fields": "[]",
                   "extracted": extracted, "deleted": 0, "position": position}
            ids.append(self._exec(sql, tuple(row[c] for c in _INDICATOR_COLUMNS)).lastrowid)
        return ids

    def _insert_work_items(self, report_id: int, items: list[tuple[int, dict]], origin="extracted") -> list[int]:
        ids = []
        sql = f"INSERT INTO work_items ({_q(_WORK_COLUMNS)}) VALUES ({', '.join('?' * len(_WORK_COLUMNS))})"
        for position, values in items:
            extracted = dumps(values) if origin == "extracted" else "{}"
            row = {f: None for f in TRACKING_FIELDS}
            row.update(report_id=report_id, uid=_uid(), origin=origin, edited_fields="[]", extracted=extracted,
                       deleted=0, position=position)
            row.update(values)
            ids.append(self._exec(sql, tuple(row[c] for c in _WORK_COLUMNS)).lastrowid)
        return ids

    # ---------------------------------------------------------------- indicators
    def indicators(self, report_id=None, *, include_deleted=False) -> list[IndicatorRecord]:
        where, params = self._where(report_id, include_deleted)
        return [convert.indicator_record(r) for r in
                self._rows(f"SELECT * FROM indicators {where} ORDER BY report_id, position, id", params)]

    def _where(self, report_id, include_deleted, extra=None):
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

    def _indicator_row(self, indicator_id: int) -> dict:
        row = self._row("SELECT * FROM indicators WHERE id = ?", (indicator_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {indicator_id} 的指标")
        return row

    def get_indicator(self, indicator_id: int) -> IndicatorRecord:
        return convert.indicator_record(self._indicator_row(indicator_id))

    def update_indicator(self, indicator_id: int, changes: dict, who=None) -> IndicatorRecord:
        """Reviewer's correction of an indicator. Undo: call again with the old values (see the returned record)."""
        bad = set(changes) - convert.INDICATOR_EDITABLE
        if bad:
            raise ValueError(f"指标不能修改这些字段：{'、'.join(sorted(bad))}")
        if "value" in changes:
            changes = {**changes, "value": float(changes["value"])}
        with self._tx():
            self._update_row("indicators", "indicator", self._indicator_row(indicator_id), changes, who)
        return self.get_indicator(indicator_id)

    def add_indicator(self, report_id: int, fields: dict, who=None) -> IndicatorRecord:
        """An indicator the parser missed (origin "reviewer"). Undo: delete_indicator(id)."""
        report = self._report_row(report_id)
        bad = set(fields) - convert.INDICATOR_EDITABLE - {"start", "end"}
        if bad:
            raise ValueError(f"指标没有这些字段：{'、'.join(sorted(bad))}")
        if "value" not in fields:
            raise ValueError("新增指标必须填写数值")
        values = {"section_path": "preamble", "text": "", "unit": "", "qualifier": "exact", "kind": "count",
                  "name": "", "context": "", "start": 0, "end": 0, "change_value": None, "change_unit": None,
                  "change_basis": None, "change_text": None}
        values.update({k: v for k, v in fields.items() if k != "check_status"})
        values["value"] = float(values["value"])
        if "start" not in fields and values["text"]:
            span = find_quote(report["clean_text"], values["text"])
            if span:
                values["start"], values["end"] = span
        if "section_path" not in fields:
            values["section_path"] = self._section_at(report_id, values["start"]) or "preamble"
        with self._tx():
            position = self._position_for(report_id, "indicators", values["start"])
            (new_id,) = self._insert_indicators(report_id, [(position, values)], origin="reviewer")
            if fields.get("check_status"):
                self._exec("UPDATE indicators SET check_status = ? WHERE id = ?", (fields["check_status"], new_id))
            self._log("indicator", new_id, "insert", "text", None, values["text"], report_id, who)
        return self.get_indicator(new_id)

    def delete_indicator(self, indicator_id: int, who=None) -> IndicatorRecord:
        """Soft delete (nothing is lost). Undo: restore_indicator(id)."""
        with self._tx():
            self._update_row("indicators", "indicator", self._indicator_row(indicator_id), {"deleted": 1}, who,
                             action="delete")
        return self.get_indicator(indicator_id)

    def restore_indicator(self, indicator_id: int, who=None) -> IndicatorRecord:
        """Undo of delete_indicator."""
        with self._tx():
            self._update_row("indicators", "indicator", self._indicator_row(indicator_id), {"deleted": 0}, who,
                             action="restore")
        return self.get_indicator(indicator_id)

    def _position_for(self, report_id: int, table: str, start: int) -> int:
        row = self._row(f'SELECT max(position) AS p FROM {table} WHERE report_id = ? AND start <= ? AND deleted = 0',
                        (report_id, start))
        return row["p"] if row and row["p"] is not None else 0

    def _section_at(self, report_id: int, offset: int | None) -> str | None:
        if offset is None:
            return None
        row = self._row('SELECT path FROM sections WHERE report_id = ? AND start <= ? AND ? < "end"'
                        " ORDER BY level DESC LIMIT 1", (report_id, offset, offset))
        return row["path"] if row else None

    # ---------------------------------------------------------------- work items
    def work_items(self, report_id=None, *, kind=None, include_deleted=False) -> list[WorkItemRecord]:
        where, params = self._where(report_id, include_deleted, ("kind = ?", kind) if kind else None)
        return [convert.work_item_record(r) for r in
                self._rows(f"SELECT * FROM work_items {where} ORDER BY report_id, position, id", params)]

    def _work_row(self, item_id: int) -> dict:
        row = self._row("SELECT * FROM work_items WHERE id = ?", (item_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {item_id} 的工作事项")
        return row

    def get_work_item(self, item_id: int) -> WorkItemRecord:
        return convert.work_item_record(self._work_row(item_id))

    def find_work_item(self, ref) -> WorkItemRecord:
        """A work item by id or by its uid (the ledger's hidden column)."""
        ref = str(ref).strip()
        row = self._row("SELECT * FROM work_items WHERE uid = ?", (ref,))
        if row is None and ref.isdigit():
            row = self._row("SELECT * FROM work_items WHERE id = ?", (int(ref),))
        if row is None:
            raise LookupError(f"找不到工作事项：{ref}")
        return convert.work_item_record(row)

    def _check_work_changes(self, changes: dict) -> None:
        bad = set(changes) - convert.WORK_ITEM_EDITABLE
        if bad:
            raise ValueError(f"工作事项不能修改这些字段：{'、'.join(sorted(bad))}")

    def update_work_item(self, item_id: int, changes: dict, who=None) -> WorkItemRecord:
        """Reviewer's edit of the text or any tracking field. Undo: call again with the old values."""
        self._check_work_changes(changes)
        with self._tx():
            self._update_row("work_items", "work_item", self._work_row(item_id), changes, who)
        return self.get_work_item(item_id)

    def apply_work_item_updates(self, updates: list[tuple[int, dict]], who=None) -> list[WorkItemRecord]:
        """Several work item edits (e.g. a ledger read back) in ONE transaction: all are stored or none."""
        for _, changes in updates:
            self._check_work_changes(changes)
        with self._tx():
            for item_id, changes in updates:
                self._update_row("work_items", "work_item", self._work_row(item_id), changes, who)
        return [self.get_work_item(item_id) for item_id, _ in updates]

    def split_work_item(self, item_id: int, at: int, who=None) -> tuple[WorkItemRecord, WorkItemRecord]:
        """Split an item's text at character `at`: the item keeps the head, a second item holds the tail.

        Undo: merge_work_items(first.id, second.id). Splitting an item that was merged, at the merge point,
        brings the merged-away item back (same id, uid and tracking fields) instead of creating a new one.
        """
        row = self._work_row(item_id)
        text = row["text"]
        if row["deleted"] or not 0 < at < len(text):
            raise ValueError(f"无法在第 {at} 个字处拆分该事项（须在文字中间，且事项未删除）")
        head, tail = text[:at], text[at:]
        cut = min(row["start"] + at, row["end"])
        with self._tx():
            back = self._row("SELECT * FROM work_items WHERE merged_into = ? AND deleted = 1 AND text = ?"
                             " ORDER BY id DESC LIMIT 1", (item_id, tail))
            self._update_row("work_items", "work_item", row, {"text": head, "end": cut}, who, action="split")
            if back is not None:
                self._update_row("work_items", "work_item", back, {"deleted": 0, "merged_into": None}, who,
                                 action="split")
                second_id = back["id"]
            else:
                values = {k: row[k] for k in ("kind", "section_path", "theme", *TRACKING_FIELDS)}
                values.update(text=tail, start=cut, end=row["end"])
                (second_id,) = self._insert_work_items(row["report_id"], [(row["position"], values)],
                                                       origin="reviewer")
                self._log("work_item", second_id, "split", "text", None, tail, row["report_id"], who)
        return self.get_work_item(item_id), self.get_work_item(second_id)

    def merge_work_items(self, first_id: int, second_id: int, who=None) -> WorkItemRecord:
        """Append the second item's text to the first; the second is soft-deleted (its fields are kept).

        The first item keeps its own tracking fields. Undo: split_work_item(first_id, at=len(old first text)),
        which restores the second item as it was.
        """
        first, second = self._work_row(first_id), self._work_row(second_id)
        if first_id == second_id or first["report_id"] != second["report_id"] or first["deleted"] or second["deleted"]:
            raise ValueError("只能合并同一报告中两个未删除的不同事项")
        with self._tx():
            self._update_row("work_items", "work_item", first,
                             {"text": first["text"] + second["text"], "start": min(first["start"], second["start"]),
                              "end": max(first["end"], second["end"])}, who, action="merge")
            self._update_row("work_items", "work_item", second, {"deleted": 1, "merged_into": first_id}, who,
                             action="merge")
        return self.get_work_item(first_id)

    def add_work_item(self, report_id: int, fields: dict, who=None) -> WorkItemRecord:
        """A work item the parser missed (origin "reviewer"). Undo: delete_work_item(id)."""
        report = self._report_row(report_id)
        text = (fields.get("text") or "").strip()
        if not text:
            raise ValueError("新增事项必须填写文字")
        self._check_work_changes({k: v for k, v in fields.items() if k not in ("kind", "section_path")})
        span = find_quote(report["clean_text"], text) or (0, 0)
        values = {f: None for f in TRACKING_FIELDS}
        values.update(kind=fields.get("kind", "plan_task"), theme="", start=span[0], end=span[1])
        values.update(fields)
        values["text"] = text
        values.setdefault("section_path", None)
        values["section_path"] = values["section_path"] or self._section_at(report_id, span[0]) or ""
        with self._tx():
            position = self._position_for(report_id, "work_items", span[0])
            (new_id,) = self._insert_work_items(report_id, [(position, values)], origin="reviewer")
            self._log("work_item", new_id, "insert", "text", None, text, report_id, who)
        return self.get_work_item(new_id)

    def delete_work_item(self, item_id: int, who=None) -> WorkItemRecord:
        """Soft delete (nothing is lost; a new reading keeps it deleted). Undo: restore_work_item(id)."""
        with self._tx():
            self._update_row("work_items", "work_item", self._work_row(item_id), {"deleted": 1}, who,
                             action="delete")
        return self.get_work_item(item_id)

    def restore_work_item(self, item_id: int, who=None) -> WorkItemRecord:
        """Undo of delete_work_item."""
        with self._tx():
            self._update_row("work_items", "work_item", self._work_row(item_id),
                             {"deleted": 0, "merged_into": None}, who, action="restore")
        return self.get_work_item(item_id)

    # ---------------------------------------------------------------- new reading of a known report
    def _reread(self, prior: dict, reading: Reading, file_name: str, sha: str, who) -> ImportResult:
        """Store a changed version over `prior`: keep the report id, reviewer edits and annotations."""
        report_id = prior["id"]
        plan = plan_reread(
            reading,
            self._rows("SELECT * FROM indicators WHERE report_id = ?", (report_id,)),
            self._rows("SELECT * FROM work_items WHERE report_id = ?", (report_id,)),
            self._rows("SELECT * FROM annotations WHERE report_id = ?", (report_id,)),
        )
        now = _now()
        reading_no = prior["reading_no"] + 1
        values = convert.report_values(reading)
        values.update(file_name=file_name, sha256=sha, imported_at=now, reading_no=reading_no)
        self._exec(f"UPDATE reports SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                   (*values.values(), report_id))
        self._insert_reading_text(report_id, reading_no, file_name, sha, reading.clean_text, now)
        self._exec("DELETE FROM sections WHERE report_id = ?", (report_id,))  # the tree is the parser's alone
        self._insert_sections(report_id, reading)
        for table, updates in (("indicators", plan.indicator_updates), ("work_items", plan.work_item_updates),
                               ("annotations", plan.annotation_updates)):
            for row_id, changes in updates:
                self._exec(f"UPDATE {table} SET {', '.join(f'{_q([k])} = ?' for k in changes)} WHERE id = ?",
                           (*changes.values(), row_id))
        self._insert_indicators(report_id, plan.indicator_inserts)
        self._insert_work_items(report_id, plan.work_item_inserts)
        for entity, row_id, field, old, new in plan.row_changes:
            self._log(entity, row_id, "reimport", field, old, new, report_id, who)
        for ann_id, old, new in plan.anchor_changes:
            self._log("annotation", ann_id, "reimport", "anchor", old, new, report_id, who)
        self._log("report", report_id, "reimport", "sha256", prior["sha256"], sha, report_id, who)
        return ImportResult(report=self.get_report(report_id), status="new_reading", carried_over=plan.carried_over,
                            orphaned=tuple(plan.orphaned), messages=(f"已导入第 {reading_no} 版", *plan.messages))

    # ---------------------------------------------------------------- annotations
    def _annotation_row(self, annotation_id: int) -> dict:
        row = self._row("SELECT * FROM annotations WHERE id = ?", (annotation_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {annotation_id} 的批注")
        return row

    def get_annotation(self, annotation_id: int) -> AnnotationRecord:
        return convert.annotation_record(self._annotation_row(annotation_id))

    def add_annotation(self, report_id: int, *, target_kind: str, body: str, target_id=None, section_path=None,
                       start=None, end=None, tags=(), score=None, status="待审", reviewer=None) -> AnnotationRecord:
        """A reviewer's note on a report, section, work item, indicator or text span. Undo: delete_annotation."""
        report = self._report_row(report_id)
        anchor = self._resolve_target(report, target_kind, target_id, section_path, start, end)
        tags = self._clean_tags(tags)
        self._check_annotation(body, status, score)
        now = _now()
        with self._tx():
            self._ensure_tags(tags, reviewer)
            cur = self._exec(
                'INSERT INTO annotations (report_id, target_kind, target_id, section_path, start, "end", quote,'
                " body, tags, score, status, reviewer, created_at, updated_at, deleted, anchor)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'ok')",
                (report_id, target_kind, anchor["target_id"], anchor["section_path"], anchor["start"],
                 anchor["end"], anchor["quote"], body.strip(), dumps(list(tags)),
                 None if score is None else float(score), status, reviewer, now, now))
            ann_id = cur.lastrowid
            self._log("annotation", ann_id, "insert", "body", None, body.strip(), report_id, reviewer)
        return self.get_annotation(ann_id)

    def _resolve_target(self, report: dict, kind, target_id, section_path, start, end) -> dict:
        if kind not in TARGET_KINDS:
            raise ValueError(f"批注对象类型无效：{kind}（应为 {'、'.join(TARGET_KINDS)}）")
        out = {"target_id": None, "section_path": section_path, "start": None, "end": None, "quote": None}
        text = report["clean_text"]
        if kind == "span":
            if start is None or end is None or not 0 <= int(start) < int(end) <= len(text):
                raise ValueError(f"文字范围 {start}:{end} 无效（全文共 {len(text)} 字）")
            start, end = int(start), int(end)
            out.update(start=start, end=end, quote=text[start:end],
                       section_path=section_path or self._section_at(report["id"], start))
        elif kind == "section":
            row = self._row('SELECT path, title, start, "end" FROM sections WHERE report_id = ? AND path = ?',
                            (report["id"], section_path))
            if row is None:
                raise ValueError(f"报告中没有章节“{section_path}”")
            out.update(start=row["start"], end=row["end"], quote=row["title"])
        elif kind in ("work_item", "indicator"):
            table = "work_items" if kind == "work_item" else "indicators"
            row = self._row(f'SELECT id, report_id, section_path, text, start, "end" FROM {table} WHERE id = ?',
                            (target_id,))
            if row is None or row["report_id"] != report["id"]:
                what = "工作事项" if kind == "work_item" else "指标"
                raise ValueError(f"该报告中没有编号为 {target_id} 的{what}")
            out.update(target_id=row["id"], section_path=row["section_path"], start=row["start"], end=row["end"],
                       quote=row["text"])
        return out

    @staticmethod
    def _check_annotation(body, status, score) -> None:
        if not body or not str(body).strip():
            raise ValueError("批注内容不能为空")
        if status not in ANNOTATION_STATUSES:
            raise ValueError(f"批注状态无效：{status}（应为 {'、'.join(ANNOTATION_STATUSES)}）")
        if score is not None:
            try:
                float(score)
            except (TypeError, ValueError):
                raise ValueError(f"评分必须是数字：{score}") from None

    @staticmethod
    def _clean_tags(tags) -> tuple[str, ...]:
        if isinstance(tags, str):
            tags = (tags,)
        out: list[str] = []
        for tag in tags or ():
            tag = str(tag).strip()
            if tag and tag not in out:
                out.append(tag)
        return tuple(out)

    def update_annotation(self, annotation_id: int, changes: dict, who=None) -> AnnotationRecord:
        """Edit body, tags, score, status, reviewer, or re-anchor a span (start/end). Undo: old values again."""
        bad = set(changes) - convert.ANNOTATION_EDITABLE
        if bad:
            raise ValueError(f"批注不能修改这些字段：{'、'.join(sorted(bad))}")
        row = self._annotation_row(annotation_id)
        changes = dict(changes)
        if "tags" in changes:
            changes["tags"] = dumps(list(self._clean_tags(changes["tags"])))
        if "body" in changes:
            changes["body"] = str(changes["body"]).strip()
        if "score" in changes and changes["score"] is not None:
            changes["score"] = float(changes["score"])
        self._check_annotation(changes.get("body", row["body"]), changes.get("status", row["status"]),
                               changes.get("score"))
        if "start" in changes or "end" in changes:
            if row["target_kind"] != "span":
                raise ValueError("只有文字批注可以修改文字范围")
            report = self._report_row(row["report_id"])
            anchor = self._resolve_target(report, "span", None, None, changes.get("start", row["start"]),
                                          changes.get("end", row["end"]))
            changes.update(start=anchor["start"], end=anchor["end"], quote=anchor["quote"],
                           section_path=anchor["section_path"], anchor="ok")
        with self._tx():
            if "tags" in changes:
                self._ensure_tags(loads(changes["tags"], []), who)
            before = self.db.conn.total_changes
            self._update_row("annotations", "annotation", row, changes, who)
            if self.db.conn.total_changes != before:
                self._exec("UPDATE annotations SET updated_at = ? WHERE id = ?", (_now(), annotation_id))
        return self.get_annotation(annotation_id)

    def delete_annotation(self, annotation_id: int, who=None) -> AnnotationRecord:
        """Soft delete. Undo: restore_annotation(id)."""
        with self._tx():
            self._update_row("annotations", "annotation", self._annotation_row(annotation_id), {"deleted": 1}, who,
                             action="delete")
        return self.get_annotation(annotation_id)

    def restore_annotation(self, annotation_id: int, who=None) -> AnnotationRecord:
        """Undo of delete_annotation."""
        with self._tx():
            self._update_row("annotations", "annotation", self._annotation_row(annotation_id), {"deleted": 0}, who,
                             action="restore")
        return self.get_annotation(annotation_id)

    def annotations(self, report_id=None, *, section_path=None, include_deleted=False) -> list[AnnotationRecord]:
        where, params = self._where(report_id, include_deleted,
                                    ("section_path = ?", section_path) if section_path else None)
        return [convert.annotation_record(r) for r in self._rows(
            f"SELECT * FROM annotations {where} ORDER BY report_id, start IS NULL, start, id", params)]

    def section_states(self, report_id: int) -> dict[str, str]:
        """Section path -> unreviewed | annotated | reviewed (an annotation with status 已审 or 已销号)."""
        states = {r["path"]: "unreviewed" for r in
                  self._rows("SELECT path FROM sections WHERE report_id = ? ORDER BY position", (report_id,))}
        for r in self._rows("SELECT section_path, status FROM annotations WHERE report_id = ? AND deleted = 0"
                            " AND section_path IS NOT NULL", (report_id,)):
            path = r["section_path"]
            if path not in states:
                continue
            if r["status"] in REVIEWED_STATUSES:
                states[path] = "reviewed"
            elif states[path] == "unreviewed":
                states[path] = "annotated"
        return states

    # ---------------------------------------------------------------- tags and rubric
    def tags(self) -> list[str]:
        return [r["name"] for r in self._rows("SELECT name FROM tags ORDER BY id")]

    def add_tag(self, name: str, who=None) -> str:
        name = str(name).strip()
        if not name:
            raise ValueError("标签不能为空")
        with self._tx():
            self._ensure_tags((name,), who)
        return name

    def _ensure_tags(self, names, who) -> None:
        for name in names:
            cur = self._exec("INSERT OR IGNORE INTO tags (name, created_at) VALUES (?, ?)", (name, _now()))
            if cur.rowcount:
                self._log("tag", cur.lastrowid, "insert", "name", None, name, None, who)

    def set_rubric_score(self, report_id: int, criterion_id: str, score, comment=None, who=None) -> RubricScoreRecord:
        """Score one rubric criterion of a report. Undo: call again with the previous score and comment."""
        self._report_row(report_id)
        score = None if score is None else float(score)
        with self._tx():
            old = self._row("SELECT * FROM rubric_scores WHERE report_id = ? AND criterion_id = ?",
                            (report_id, criterion_id))
            if old is None:
                cur = self._exec("INSERT INTO rubric_scores (report_id, criterion_id, score, comment, reviewer,"
                                 " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                                 (report_id, criterion_id, score, comment, who or self.default_who, _now()))
                self._log("rubric_score", cur.lastrowid, "insert", criterion_id, None, score, report_id, who)
                if comment:
                    self._log("rubric_score", cur.lastrowid, "insert", "comment", None, comment, report_id, who)
            elif (old["score"], old["comment"]) != (score, comment):
                self._exec("UPDATE rubric_scores SET score = ?, comment = ?, reviewer = ?, updated_at = ?"
                           " WHERE id = ?", (score, comment, who or self.default_who, _now(), old["id"]))
                if old["score"] != score:
                    self._log("rubric_score", old["id"], "update", criterion_id, old["score"], score, report_id, who)
                if old["comment"] != comment:
                    self._log("rubric_score", old["id"], "update", "comment", old["comment"], comment, report_id, who)
        return next(r for r in self.rubric_scores(report_id) if r.criterion_id == criterion_id)

    def rubric_scores(self, report_id: int) -> list[RubricScoreRecord]:
        return [convert.rubric_record(r) for r in
                self._rows("SELECT * FROM rubric_scores WHERE report_id = ? ORDER BY id", (report_id,))]

    # ---------------------------------------------------------------- search and history
    def search(self, text: str, limit: int = 200) -> list[SearchHit]:
        """Every occurrence of `text` in report texts, then annotation bodies (plain substring: 1-2 字 work)."""
        text = (text or "").strip()
        if not text:
            return []
        hits: list[SearchHit] = []
        for r in self._rows("SELECT id, title, file_name, clean_text FROM reports WHERE instr(clean_text, ?) > 0"
                            " ORDER BY id", (text,)):
            body, pos = r["clean_text"], r["clean_text"].find(text)
            while pos != -1 and len(hits) < limit:
                snippet = body[max(0, pos - 20): pos + len(text) + 20].replace("\n", " ")
                hits.append(SearchHit(r["id"], "text", pos, pos + len(text), snippet, None,
                                      r["title"] or r["file_name"]))
                pos = body.find(text, pos + len(text))
        for r in self._rows("SELECT a.id, a.report_id, a.start, a.\"end\", a.body, r.title, r.file_name"
                            " FROM annotations a JOIN reports r ON r.id = a.report_id"
                            " WHERE a.deleted = 0 AND instr(a.body, ?) > 0 ORDER BY a.id", (text,)):
            if len(hits) >= limit:
                break
            hits.append(SearchHit(r["report_id"], "annotation", r["start"], r["end"], r["body"][:80], r["id"],
                                  r["title"] or r["file_name"]))
        return hits[:limit]

    def history(self, report_id=None, limit=None) -> list[HistoryRecord]:
        """Every recorded change, newest first."""
        sql, params = "SELECT * FROM history", []
        if report_id is not None:
            sql += " WHERE report_id = ?"
            params.append(report_id)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [convert.history_record(r) for r in self._rows(sql, params)]
