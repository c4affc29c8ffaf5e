"""The reports part of the library: reports, their readings and sections, imports and re-readings.

Every write is one transaction. SQL lives only in desktop/store."""
from __future__ import annotations

import dataclasses
import hashlib
import operator
import sqlite3
from typing import Any
from pathlib import Path

from desktop.report.model import Reading, ReportError
from desktop.report.rebuild import reading_from_records
from desktop.store import convert
from desktop.store.convert import dumps
from desktop.store.anchoring import resemblance
from desktop.store.merge import CREATED, derived_gid, item_gid, new_gid, report_key, with_stamps
from desktop.store.records import (
    TRACKING_FIELDS,
    ImportResult,
    ReportRecord,
    SectionRecord,
)
from desktop.store.repo_base import (
    INDICATOR_COLUMNS,
    WORK_COLUMNS,
    SAME_REPORT_RESEMBLANCE,
    Part,
    inserted_id,
    now_iso,
    quoted,
    new_uid,
)
from desktop.store.reread import plan_reread


class ReportStore(Part):
    """Reports: the list, counts, readings and sections, imports (new, repeated, re-read) and the rows they add."""

    # ---------------------------------------------------------------- reports
    def list_reports(self) -> list[ReportRecord]:
        return [convert.report_record(r) for r in self.db.rows("SELECT * FROM reports ORDER BY id")]

    def counts(self, report_id=None) -> dict[int, dict[str, int]]:
        """Per report: sections, indicators, work items by kind, annotations (deleted rows not counted)."""
        where = "WHERE report_id = ?" if report_id is not None else ""
        params = (report_id,) if report_id is not None else ()
        out: dict[int, dict[str, int]] = {}
        for r in self.db.rows("SELECT id FROM reports" + (" WHERE id = ?" if report_id is not None else ""), params):
            out[r["id"]] = {"sections": 0, "indicators": 0, "work_items": 0, "plan_task": 0, "annotations": 0}
        queries = (
            ("sections", f"SELECT report_id, count(*) AS n FROM sections {where} GROUP BY report_id"),
            ("indicators", f"SELECT report_id, count(*) AS n FROM indicators {where or 'WHERE 1'} AND deleted = 0"
                           " GROUP BY report_id"),
            ("annotations", f"SELECT report_id, count(*) AS n FROM annotations {where or 'WHERE 1'}"
                            " AND deleted = 0 GROUP BY report_id"),
        )
        for key, sql in queries:
            for r in self.db.rows(sql, params):
                out.setdefault(r["report_id"], {})[key] = r["n"]
        for r in self.db.rows(f"SELECT report_id, kind, count(*) AS n FROM work_items {where or 'WHERE 1'}"
                            " AND deleted = 0 GROUP BY report_id, kind", params):
            entry = out.setdefault(r["report_id"], {})
            entry[r["kind"]] = r["n"]
            entry["work_items"] = entry.get("work_items", 0) + r["n"]
        return out

    # ---------------------------------------------------------------- other writers
    def data_version(self) -> int:
        """SQLite's PRAGMA data_version: changes when another connection (the CLI, a second window) commits."""
        return self.db.conn.execute("PRAGMA data_version").fetchone()[0]

    def last_history_id(self) -> int:
        row = self.db.row("SELECT max(id) AS m FROM history")
        return (row or {}).get("m") or 0

    def changes_since(self, history_id: int) -> list[tuple[str, int | None]]:
        """(entity, report id) of every history row written after `history_id`, once each, oldest first."""
        rows = self.db.rows("SELECT DISTINCT entity, report_id FROM history WHERE id > ? ORDER BY id", (history_id,))
        return list(dict.fromkeys((r["entity"], r["report_id"]) for r in rows))

    def report_count(self) -> int:
        return self.db.one("SELECT count(*) AS n FROM reports")["n"]

    def report_row(self, report_id: int) -> dict:
        row = self.db.row("SELECT * FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {report_id} 的报告")
        return row

    def get_report(self, report_id: int) -> ReportRecord:
        return convert.report_record(self.report_row(report_id))

    def find_report(self, ref: str) -> ReportRecord:
        """A report by id, by file name, or by a unique substring of its title."""
        ref = str(ref).strip()
        if ref.isdigit():
            row = self.db.row("SELECT * FROM reports WHERE id = ?", (int(ref),))
            if row:
                return convert.report_record(row)
        rows = self.db.rows("SELECT * FROM reports WHERE file_name = ? ORDER BY id", (ref,))
        if not rows and ref:
            rows = self.db.rows("SELECT * FROM reports WHERE instr(title, ?) > 0 OR instr(file_name, ?) > 0"
                              " ORDER BY id", (ref, ref))
        if not rows:
            raise LookupError(f"找不到报告：{ref}")
        if len(rows) > 1:
            names = "；".join(f"#{r['id']} {r['title'] or r['file_name']}" for r in rows[:5])
            raise LookupError(f"“{ref}”对应多份报告，请用编号指定：{names}")
        return convert.report_record(rows[0])

    def sections(self, report_id: int) -> list[SectionRecord]:
        return [convert.section_record(r) for r in
                self.db.rows("SELECT * FROM sections WHERE report_id = ? ORDER BY position", (report_id,))]

    def reading(self, report_id: int) -> Reading:
        """The report as a Reading with the reviewer's edits applied and deleted rows left out."""
        report = self.get_report(report_id)
        # the reviewer's corrections of title, issuer, years and date count for the checks (season identity)
        report = dataclasses.replace(report, metadata={**report.metadata, **{
            k: getattr(report, k) for k in ("title", "issuer", "report_year", "plan_year", "published")}})
        return reading_from_records(report, self.sections(report_id), self.lib.items.indicators(report_id),
                                    self.lib.items.work_items(report_id))

    # ---------------------------------------------------------------- import
    def import_file(self, path, who=None) -> ImportResult:
        from desktop.report.sources import read_source  # regular files only, bounded read

        data, _ = read_source(path)
        return self.import_bytes(data, Path(path).name, who=who)

    def import_bytes(self, data: bytes, file_name: str, who=None) -> ImportResult:
        sha = hashlib.sha256(data).hexdigest()
        same = self._same_bytes(sha)
        if same is not None:
            return same
        from desktop.report.extract import (
            read_bytes,  # the reader; imported late so the store loads without it
        )

        reading = read_bytes(data, file_name)
        return self.import_reading(reading, file_name=file_name, sha256=sha, who=who)


    def knows_bytes(self, sha: str) -> bool:
        """True when a reading of these very bytes (by sha256) is in the library."""
        return self.db.row("SELECT 1 AS x FROM readings WHERE sha256 = ? LIMIT 1", (sha,)) is not None

    def known_bytes(self, sha: str) -> ImportResult | None:
        """The 'unchanged' result import_bytes gives for bytes the library already holds, or None."""
        return self._same_bytes(sha)

    def _same_bytes(self, sha: str) -> ImportResult | None:
        row = self.db.row("SELECT report_id, reading_no FROM readings WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
                        (sha,))
        if row is None:
            return None
        report = self.get_report(row["report_id"])
        msg = "内容与库中已有报告完全相同，未重复导入"
        if row["reading_no"] != report.reading_no:
            msg += f"（与第 {row['reading_no']} 版相同，库中当前为第 {report.reading_no} 版）"
        return ImportResult(report=report, status="unchanged", messages=(msg,))

    def import_reading(self, reading: Reading, *, file_name: str | None = None, sha256: str | None = None,
                       who=None, prepared: dict | None = None) -> ImportResult:
        """Store a reading: a new report, a repeat (unchanged) or a new reading of a report already here."""
        file_name = file_name or reading.source_name
        sha = sha256 or hashlib.sha256(reading.clean_text.encode("utf-8")).hexdigest()
        with self.db.tx():
            same = self._same_bytes(sha)
            if same is not None:
                return same
            prior = self._prior_version(reading, file_name)
            if prior is None:
                report_id = self._insert_report(reading, file_name, sha, who, prepared)
                return ImportResult(report=self.get_report(report_id), status="new")
            if prior["clean_text"] == reading.clean_text:  # same words in another encoding or file format
                return ImportResult(report=self.get_report(prior["id"]), status="unchanged",
                                    messages=("文字与库中当前版本相同（文件编码或格式不同），未重复导入",))
            return self._reread(prior, reading, file_name, sha, who)

    def _prior_version(self, reading: Reading, file_name: str) -> dict | None:
        ident = convert.identity(reading)
        if ident is not None:
            row = self.db.row("SELECT * FROM reports WHERE identity = ? ORDER BY id DESC LIMIT 1", (ident,))
            if row:
                return row
        for row in self.db.rows("SELECT * FROM reports WHERE file_name = ? ORDER BY id DESC", (file_name,)):
            # Same file name is a new version unless the readings name different reports, or (with no title to
            # go by) the texts have little in common: two sites' "index.html" are different reports.
            if ident is not None and row["identity"] is not None:
                continue
            if resemblance(row["clean_text"], reading.clean_text) >= SAME_REPORT_RESEMBLANCE:
                return row
        return None

    def _insert_report(self, reading: Reading, file_name: str, sha: str, who, prepared: dict | None = None) -> int:
        values = self.lib.season.identity_values(reading)
        now = now_iso()
        values.update(file_name=file_name, sha256=sha, imported_at=now, reading_no=1,
                      report_key=self._new_report_key(reading.clean_text, file_name, (prepared or {}).get("key")))
        cur = self.db.execute(f"INSERT INTO reports ({quoted(values)}) VALUES ({', '.join('?' * len(values))})",
                         tuple(values.values()))
        report_id = inserted_id(cur)
        self._insert_reading_text(report_id, 1, file_name, sha, reading.clean_text, now)
        self._insert_sections(report_id, reading)
        self.insert_indicators(report_id, [(i, convert.indicator_values(ind)) for i, ind in
                                            enumerate(reading.indicators)], prepared=(prepared or {}).get("indicators"))
        self.insert_work_items(report_id, [(i, convert.work_item_values(w)) for i, w in
                                            enumerate(reading.work_items)], prepared=(prepared or {}).get("work_items"))
        self.db.log("report", report_id, "import", "file_name", None, file_name, report_id, who)
        self.lib.removal.forget_tombstone(values["report_key"])  # imported again after a removal: the removal no longer stands
        return report_id

    def report_key_of(self, report_id: int) -> str:
        return self.db.one("SELECT report_key FROM reports WHERE id = ?", (report_id,))["report_key"]

    def _new_report_key(self, text: str, file_name: str, key: str | None = None) -> str:
        key = key or report_key(text)  # `key`: report_key(text) worked out already (by a batch's reader process)
        if self.db.row("SELECT 1 AS x FROM reports WHERE report_key = ?", (key,)) is not None:
            key = derived_gid(key, file_name)  # the same words under another name (rare): keep them apart
        return key

    def _new_item_ids(self, table: str, key: str, position: int, parsed: str, origin: str, who) -> dict:
        """gid, uid and stamps of a new row: derived from the reading for the reader's rows, random for a reviewer's."""
        if origin != "extracted":
            return {"gid": new_gid(), "uid": new_uid(), "stamps": dumps(with_stamps({}, [CREATED], self.db.stamp(),
                                                                                  who or self.db.default_who))}
        gid = item_gid(key, table, position, parsed,
                       lambda g: self.db.row(f"SELECT 1 AS x FROM {table} WHERE gid = ?", (g,)) is not None)
        uid = gid[:16]
        if self.db.row(f"SELECT 1 AS x FROM {table} WHERE uid = ?", (uid,)) is not None:
            uid = new_uid()
        return {"gid": gid, "uid": uid, "stamps": "{}"}

    def _insert_reading_text(self, report_id, reading_no, file_name, sha, text, now) -> None:
        self.db.execute("INSERT INTO readings (report_id, reading_no, file_name, sha256, clean_text, imported_at)"
                   " VALUES (?, ?, ?, ?, ?, ?)", (report_id, reading_no, file_name, sha, "", now))  # text: reports

    def _insert_sections(self, report_id: int, reading: Reading) -> None:
        rows = convert.section_rows(reading)
        if rows:
            cols = ("report_id", *rows[0])
            self.db.conn.executemany(f"INSERT INTO sections ({quoted(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                     [(report_id, *r.values()) for r in rows])

    def insert_indicators(self, report_id: int, items: list[tuple[int, dict]], origin="extracted",
                           who=None, prepared=None) -> list[int]:
        rows = []
        for position, values in items:
            extracted = "{}"  # the columns are the parser's values until a reviewer changes one
            rows.append({"report_id": report_id, **values, "origin": origin, "edited_fields": "[]",
                         "extracted": extracted, "deleted": 0, "position": position})
        return self._insert_items("indicators", INDICATOR_COLUMNS, report_id, rows, items, origin, who, prepared)

    def insert_work_items(self, report_id: int, items: list[tuple[int, dict]], origin="extracted",
                           who=None, prepared=None) -> list[int]:
        rows = []
        for position, values in items:
            extracted = "{}"  # the columns are the parser's values until a reviewer changes one
            row: dict[str, Any] = {f: None for f in TRACKING_FIELDS}
            row.update(report_id=report_id, origin=origin, edited_fields="[]", extracted=extracted,
                       deleted=0, position=position)
            row.update(values)
            rows.append(row)
        return self._insert_items("work_items", WORK_COLUMNS, report_id, rows, items, origin, who, prepared)

    def _insert_items(self, table: str, columns, report_id: int, rows: list[dict], items, origin, who,
                      prepared=None) -> list[int]:
        """Insert rows with their gid/uid; the reader's rows (many per report) with one executemany, the unique
        indexes checking the derived ids. `prepared`: (report key, dumps of each row's values or None, first gid of
        each) worked out by a batch's reader process, used when the key is this report's (the dumps, needed only when
        a derived id is taken, are worked out here then)."""
        sql = f"INSERT INTO {table} ({quoted(columns)}) VALUES ({', '.join('?' * len(columns))})"
        if origin != "extracted" or len(rows) < 2:
            key = self.report_key_of(report_id)
            ids = []
            for row, (position, values) in zip(rows, items):
                row.update(self._new_item_ids(table, key, position, dumps(values), origin, who))
                ids.append(inserted_id(self.db.execute(sql, tuple(row[c] for c in columns))))
            return ids
        key = self.report_key_of(report_id)
        get = operator.itemgetter(*columns)
        if prepared is not None and prepared[0] == key and len(prepared[2]) == len(items):
            parsed, firsts = prepared[1], prepared[2]
        else:
            parsed = [dumps(values) for _, values in items]
            firsts = [derived_gid(key, table, position, text, 0) for (position, _), text in zip(items, parsed)]
        for row, gid in zip(rows, firsts):
            row.update(gid=gid, uid=gid[:16], stamps="{}")
        before = self.db.one(f"SELECT max(id) AS m FROM {table}")["m"] or 0
        try:  # the first ids are free but for a one-in-2^64 chance: the unique indexes say so as the rows go in
            with self.db.atomic():
                self.db.conn.executemany(sql, [get(row) for row in rows])
            return list(range(before + 1, before + 1 + len(rows)))  # INTEGER PRIMARY KEY: max + 1, in order
        except sqlite3.IntegrityError:
            pass  # rolled back to the savepoint: choose ids against what is taken, as item_gid does
        taken_gids = self._taken(table, "gid", [row["gid"] for row in rows])
        if parsed is None:
            parsed = [dumps(values) for _, values in items]
        gids = []
        for row, (position, _), text in zip(rows, items, parsed):
            gid = row["gid"]
            if gid in taken_gids:
                gid = item_gid(key, table, position, text,
                               lambda g: g in taken_gids or self.db.row(f"SELECT 1 AS x FROM {table} WHERE gid = ?",
                                                                      (g,)) is not None)
            taken_gids.add(gid)
            gids.append(gid)
        taken_uids = self._taken(table, "uid", [g[:16] for g in gids])
        for row, gid in zip(rows, gids):
            uid = gid[:16] if gid[:16] not in taken_uids else new_uid()
            taken_uids.add(uid)
            row.update(gid=gid, uid=uid)
        self.db.conn.executemany(sql, [get(row) for row in rows])
        return list(range(before + 1, before + 1 + len(rows)))

    def _taken(self, table: str, column: str, values: list[str]) -> set[str]:
        taken: set[str] = set()
        for i in range(0, len(values), 500):
            chunk = values[i:i + 500]
            taken.update(r[column] for r in self.db.rows(
                f"SELECT {column} FROM {table} WHERE {column} IN ({', '.join('?' * len(chunk))})", chunk))
        return taken

    # ---------------------------------------------------------------- new reading of a known report
    def _reread(self, prior: dict, reading: Reading, file_name: str, sha: str, who) -> ImportResult:
        """Store a changed version over `prior`: keep the report id, reviewer edits and annotations."""
        report_id = prior["id"]
        plan = plan_reread(
            reading,
            self.db.rows("SELECT * FROM indicators WHERE report_id = ?", (report_id,)),
            self.db.rows("SELECT * FROM work_items WHERE report_id = ?", (report_id,)),
            self.db.rows("SELECT * FROM annotations WHERE report_id = ?", (report_id,)),
        )
        now = now_iso()
        reading_no = prior["reading_no"] + 1
        values = self.lib.season.identity_values(reading, prior)  # the reviewer's identity edits stay
        values.update(file_name=file_name, sha256=sha, imported_at=now, reading_no=reading_no)
        self.lib.season.archive_current_text(report_id)
        self.db.execute(f"UPDATE reports SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                   (*values.values(), report_id))
        self._insert_reading_text(report_id, reading_no, file_name, sha, reading.clean_text, now)
        self.db.execute("DELETE FROM sections WHERE report_id = ?", (report_id,))  # the tree is the parser's alone
        self._insert_sections(report_id, reading)
        for table, updates in (("indicators", plan.indicator_updates), ("work_items", plan.work_item_updates),
                               ("annotations", plan.annotation_updates)):
            for row_id, changes in updates:
                self.db.execute(f"UPDATE {table} SET {', '.join(f'{quoted([k])} = ?' for k in changes)} WHERE id = ?",
                           (*changes.values(), row_id))
        self.insert_indicators(report_id, plan.indicator_inserts)
        self.insert_work_items(report_id, plan.work_item_inserts)
        for entity, row_id, field, old, new in plan.row_changes:
            self.db.log(entity, row_id, "reimport", field, old, new, report_id, who)
        for ann_id, old, new in plan.anchor_changes:
            self.db.log("annotation", ann_id, "reimport", "anchor", old, new, report_id, who)
        self.db.log("report", report_id, "reimport", "sha256", prior["sha256"], sha, report_id, who)
        return ImportResult(report=self.get_report(report_id), status="new_reading", carried_over=plan.carried_over,
                            orphaned=tuple(plan.orphaned), messages=(f"已导入第 {reading_no} 版", *plan.messages))
