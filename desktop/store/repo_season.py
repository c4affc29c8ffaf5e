"""The season's part of the repository: report identity edits, units and aliases, stored check results, reading texts."""
from __future__ import annotations

import zlib

from desktop.report.model import Reading
from desktop.store import convert
from desktop.store.convert import dumps, loads
from desktop.store.errors import LibraryError
from desktop.store.identity import (
    IDENTITY_FIELDS, clean_identity, guess_level, guess_region, parser_identity, unit_name,
)
from desktop.store.records import ReportRecord, UnitRecord
from desktop.store.repo_base import RepositoryBase, _now


def _parser_identity_of(reading: Reading) -> dict:
    m = reading.metadata
    return parser_identity(reading.doc_kind, m.title, m.issuer, m.report_year, m.plan_year, m.published)


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def unpack_text(blob: bytes, report_id: int = 0, reading_no: int = 0) -> str:
    from desktop.store.migrations import unpack_reading

    return unpack_reading(blob, report_id, reading_no)


class SeasonMixin(RepositoryBase):
    """Identity over the parser's values, units, check results; mixed into Repository."""

    # ---------------------------------------------------------------- identity
    def _identity_values(self, reading: Reading, prior: dict | None = None) -> dict:
        """Column values for a reading: the parser's, except the fields the reviewer set on `prior`."""
        values = convert.report_values(reading)
        parsed = _parser_identity_of(reading)
        edited = loads(prior.get("edited_fields"), []) if prior else []
        values.update(parsed)
        for field in edited:
            values[field] = prior[field]
        values["extracted_identity"] = dumps(parsed)
        values["unit_id"] = self._resolve_unit(values["issuer"], values["region"], values["level"], values["title"])
        return values

    def update_report_identity(self, report_id: int, changes: dict, who=None) -> ReportRecord:
        """Correct title, 单位, 层级, 地区, years, 发布日期 or 类型; each change has a history row.
        A value equal to the parser's clears the edit (a re-import then follows the parser again)."""
        changes = clean_identity(changes)
        with self._tx():
            row = self._report_row(report_id)
            changes = self._follow_issuer(row, changes)
            view = {**row, "extracted": row["extracted_identity"], "report_id": report_id}
            self._update_row("reports", "report", view, changes, who)
            row = self._report_row(report_id)
            unit = self._resolve_unit(row["issuer"], row["region"], row["level"], row["title"])
            if unit != row["unit_id"]:
                self._exec("UPDATE reports SET unit_id = ? WHERE id = ?", (unit, report_id))
                self._drop_empty_unit(row["unit_id"])
        return self.get_report(report_id)

    def _follow_issuer(self, row, changes: dict) -> dict:
        """A new 单位 brings its 层级 and 地区 (杭州市人民政府 is 市 whatever the misread said), unless the
        reviewer sets them in the same change or has set them before."""
        if "issuer" not in changes or changes["issuer"] == row["issuer"]:
            return changes
        edited = set(loads(row["edited_fields"], []))
        title = changes.get("title", row["title"])
        guessed = {"level": guess_level(changes["issuer"], title), "region": guess_region(changes["issuer"], title)}
        out = dict(changes)
        for field, value in guessed.items():
            if field not in changes and field not in edited and value and value != "其他":  # 其他: no better guess
                out[field] = value
        return out

    def _drop_empty_unit(self, unit_id: int | None) -> None:
        """A unit left without reports by a corrected misread goes, unless someone relies on it: an alias the
        reviewer added, a unit merged into it, or ledger tasks it leads."""
        if unit_id is None:
            return
        unit = self._row("SELECT name FROM units WHERE id = ?", (unit_id,))
        if unit is None or self._row("SELECT 1 FROM reports WHERE unit_id = ? LIMIT 1", (unit_id,)):
            return
        if (self._row("SELECT 1 FROM unit_aliases WHERE unit_id = ? LIMIT 1", (unit_id,))
                or self._row("SELECT 1 FROM units WHERE merged_into = ? LIMIT 1", (unit_id,))
                or self._row("SELECT 1 FROM work_items WHERE lead_unit = ? LIMIT 1", (unit["name"],))):
            return
        self._exec("DELETE FROM units WHERE id = ?", (unit_id,))

    def parser_identity(self, report_id: int) -> dict:
        return loads(self._report_row(report_id)["extracted_identity"], {})

    def set_review_status(self, report_id: int, status: str | None, who=None) -> ReportRecord:
        """待审/审阅中/已审 set by the reviewer (None: derived from annotations and scores again)."""
        if status not in (None, "待审", "审阅中", "已审"):
            raise ValueError(f"审阅状态应为 待审/审阅中/已审，收到：{status}")
        with self._tx():
            row = self._report_row(report_id)
            if row["review_status"] != status:  # stamped: the status travels (bundles, the team server) like 标题
                self._exec("UPDATE reports SET review_status = ?, stamps = ? WHERE id = ?",
                           (status, self._stamps_after(row, ["review_status"], who), report_id))
                self._log("report", report_id, "update", "review_status", row["review_status"], status,
                          report_id, who)
        return self.get_report(report_id)

    # ---------------------------------------------------------------- units
    def _resolve_unit(self, issuer, region, level, title=None) -> int | None:
        """The unit a report belongs to: by alias (in its region, then anywhere), by full name, else a new unit."""
        name = unit_name(issuer, region, title)
        if not name:
            return None
        for alias, where in ((issuer or name, region or ""), (name, region or ""), (name, "")):
            row = self._row("SELECT unit_id FROM unit_aliases WHERE alias = ? AND region = ?", (alias, where))
            if row:
                return self._final_unit(row["unit_id"])
        row = self._row("SELECT id FROM units WHERE name = ?", (name,))
        if row:
            return self._final_unit(row["id"])
        return self._exec("INSERT INTO units (name, level, region, created_at) VALUES (?, ?, ?, ?)",
                          (name, level, region, _now())).lastrowid

    def _final_unit(self, unit_id: int) -> int:
        seen = set()
        while unit_id not in seen:
            seen.add(unit_id)
            row = self._row("SELECT merged_into FROM units WHERE id = ?", (unit_id,))
            if not row or row["merged_into"] is None:
                return unit_id
            unit_id = row["merged_into"]
        return unit_id

    def units(self, *, include_merged=False) -> list[UnitRecord]:
        aliases: dict[int, list[str]] = {}
        for r in self._rows("SELECT unit_id, alias FROM unit_aliases ORDER BY id"):
            aliases.setdefault(r["unit_id"], []).append(r["alias"])
        counts = {r["unit_id"]: r["n"] for r in
                  self._rows("SELECT unit_id, count(*) AS n FROM reports GROUP BY unit_id")}
        where = "" if include_merged else "WHERE merged_into IS NULL"
        return [UnitRecord(r["id"], r["name"], r["level"], r["region"], r["merged_into"],
                           tuple(aliases.get(r["id"], ())), counts.get(r["id"], 0))
                for r in self._rows(f"SELECT * FROM units {where} ORDER BY name")]

    def get_unit(self, unit_id: int) -> UnitRecord:
        for u in self.units(include_merged=True):
            if u.id == unit_id:
                return u
        raise LookupError(f"找不到编号为 {unit_id} 的单位")

    def find_unit(self, ref: str) -> UnitRecord:
        ref = str(ref).strip()
        units = self.units(include_merged=True)
        hits = [u for u in units if str(u.id) == ref] or [u for u in units if u.name == ref or ref in u.aliases]
        hits = hits or [u for u in units if ref in u.name and u.merged_into is None]
        if len(hits) != 1:
            raise LookupError(f"找不到单位：{ref}" if not hits else f"“{ref}”对应多个单位，请用编号指定")
        return hits[0]

    def merge_units(self, source_id: int, target_id: int, who=None) -> list[int]:
        """Source becomes an alias of target; its reports move. Returns the moved report ids (for undo)."""
        if source_id == target_id:
            raise ValueError("不能把单位合并到它自身")
        with self._tx():
            source, target = self.get_unit(source_id), self.get_unit(self._final_unit(target_id))
            moved = [r["id"] for r in self._rows("SELECT id FROM reports WHERE unit_id = ?", (source_id,))]
            self._exec("UPDATE units SET merged_into = ? WHERE id = ?", (target.id, source_id))
            self._exec("UPDATE reports SET unit_id = ? WHERE unit_id = ?", (target.id, source_id))
            self._exec("INSERT OR IGNORE INTO unit_aliases (unit_id, alias, region) VALUES (?, ?, '')",
                       (target.id, source.name))
            self._log("unit", source_id, "merge", "merged_into", None, target.name, None, who)
        return moved

    def unmerge_units(self, source_id: int, report_ids: list[int], who=None) -> None:
        """Undo of merge_units: the source stands alone again with the reports it had."""
        with self._tx():
            source = self.get_unit(source_id)
            self._exec("UPDATE units SET merged_into = NULL WHERE id = ?", (source_id,))
            self._exec("DELETE FROM unit_aliases WHERE alias = ? AND region = '' AND unit_id = ?",
                       (source.name, source.merged_into))
            self.db.conn.executemany("UPDATE reports SET unit_id = ? WHERE id = ?",
                                     [(source_id, rid) for rid in report_ids])
            self._log("unit", source_id, "unmerge", "merged_into", source.merged_into, None, None, who)

    def rename_unit(self, unit_id: int, name: str, who=None) -> UnitRecord:
        """A new name; the old one stays an alias so the next year's report with the old name finds the unit."""
        name = (name or "").strip()
        if not name:
            raise ValueError("单位名称不能为空")
        with self._tx():
            unit = self.get_unit(unit_id)
            other = self._row("SELECT id FROM units WHERE name = ? AND id != ?", (name, unit_id))
            if other:
                raise ValueError(f"已有名为“{name}”的单位，请用合并")
            self._exec("UPDATE units SET name = ? WHERE id = ?", (name, unit_id))
            self._exec("DELETE FROM unit_aliases WHERE alias = ? AND region = '' AND unit_id = ?", (name, unit_id))
            self._exec("INSERT OR IGNORE INTO unit_aliases (unit_id, alias, region) VALUES (?, ?, '')",
                       (unit_id, unit.name))
            self._log("unit", unit_id, "update", "name", unit.name, name, None, who)
        return self.get_unit(unit_id)

    def add_unit_alias(self, unit_id: int, alias: str, region: str | None = None, who=None) -> None:
        """`alias` (in reports of `region`, or anywhere) names this unit; reports already here are regrouped."""
        with self._tx():
            self._exec("INSERT OR REPLACE INTO unit_aliases (unit_id, alias, region) VALUES (?, ?, ?)",
                       (unit_id, alias, region or ""))
            self._log("unit", unit_id, "alias", "alias", None, f"{region or ''}{alias}", None, who)
            for r in self._rows("SELECT id, issuer, region, level, title, unit_id FROM reports"
                                " WHERE issuer = ? AND (? = '' OR region = ?)", (alias, region or "", region or "")):
                unit = self._resolve_unit(r["issuer"], r["region"], r["level"], r["title"])
                if unit != r["unit_id"]:
                    self._exec("UPDATE reports SET unit_id = ? WHERE id = ?", (unit, r["id"]))

    # ---------------------------------------------------------------- stored check results
    def check_stamp(self, report_id: int) -> str:
        """Changes whenever what the checks read changes: the reading, its items, indicators or identity."""
        row = self._row("SELECT sha256, reading_no FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {report_id} 的报告")
        last = self._row("SELECT max(id) AS h FROM history WHERE report_id = ? AND entity IN"
                         " ('report', 'work_item', 'indicator')", (report_id,))
        return f"{row['sha256']}:{row['reading_no']}:{last['h'] or 0}"

    def stored_check_result(self, report_id: int, rubric_hash: str) -> tuple[str, list[dict]] | None:
        """(stamp, findings as dicts) stored for this rubric, or None."""
        row = self._row("SELECT stamp, findings FROM check_results WHERE report_id = ? AND rubric_hash = ?",
                        (report_id, rubric_hash))
        if row is None:
            return None
        try:
            return row["stamp"], loads(unpack_text(row["findings"]), [])
        except (LibraryError, ValueError):  # a damaged cache entry: computed again, as if never stored
            return None

    def save_check_result(self, report_id: int, rubric_hash: str, stamp: str, findings: list[dict]) -> None:
        """Store the findings of one reading under one rubric (a cache: no history row)."""
        counts = {r: sum(1 for f in findings if f["result"] == r) for r in ("pass", "warn", "fail", "unknown")}
        results = {f["check"]: f["result"] for f in findings}
        parts = next((f["data"].get("parts") for f in findings if f["check"] == "required_parts"), None)
        core = ("achievements", "problems", "first_responsible", "plans")
        found = sum(1 for p in core if p in parts) if parts is not None else None
        with self._tx():
            self._exec("INSERT OR REPLACE INTO check_results (report_id, rubric_hash, stamp, results, findings,"
                       " n_pass, n_warn, n_fail, n_unknown, parts_found, computed_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (report_id, rubric_hash, stamp, dumps(results), pack_text(dumps(findings)), counts["pass"],
                        counts["warn"], counts["fail"], counts["unknown"], found, _now()))

    def stale_check_reports(self, rubric_hash: str) -> list[int]:
        """Reports with no stored results for this rubric (results of an older reading are refreshed on use)."""
        return [r["id"] for r in self._rows(
            "SELECT id FROM reports WHERE id NOT IN (SELECT report_id FROM check_results WHERE rubric_hash = ?)"
            " ORDER BY id", (rubric_hash,))]

    def stale_check_ids(self, rubric_hash: str) -> list[int]:
        """Reports whose stored results are missing or of an older state (reading, identity or work items edited
        since): what the overview's 更新检查 recomputes."""
        return [r["id"] for r in self._rows(
            "SELECT r.id FROM reports r LEFT JOIN check_results c ON c.report_id = r.id AND c.rubric_hash = ?"
            " WHERE c.stamp IS NULL OR c.stamp != r.sha256 || ':' || r.reading_no || ':' || coalesce("
            " (SELECT max(h.id) FROM history h WHERE h.report_id = r.id"
            " AND h.entity IN ('report', 'work_item', 'indicator')), 0) ORDER BY r.id", (rubric_hash,))]

    # ---------------------------------------------------------------- reading texts
    def reading_text(self, report_id: int, reading_no: int) -> str:
        """The clean text of one stored reading (the current one lives in reports; older ones compressed)."""
        row = self._row("SELECT r.clean_text, r.text_z, p.clean_text AS current, p.reading_no AS latest"
                        " FROM readings r JOIN reports p ON p.id = r.report_id"
                        " WHERE r.report_id = ? AND r.reading_no = ?", (report_id, reading_no))
        if row is None:
            raise LookupError(f"报告 #{report_id} 没有第 {reading_no} 版")
        if row["text_z"] is not None:
            return unpack_text(row["text_z"], report_id, reading_no)
        return row["clean_text"] or (row["current"] if row["latest"] == reading_no else "")

    def _archive_current_text(self, report_id: int) -> None:
        """Before a new reading replaces the report's text, keep the old text compressed in its reading row."""
        row = self._row("SELECT clean_text, reading_no FROM reports WHERE id = ?", (report_id,))
        self._exec("UPDATE readings SET text_z = ?, clean_text = '' WHERE report_id = ? AND reading_no = ?"
                   " AND text_z IS NULL", (pack_text(row["clean_text"]), report_id, row["reading_no"]))


def fill_season(db) -> None:
    """Data part of migration 0005: identity and units for the reports already there; texts stored once."""
    from desktop.store.repository import Repository  # the migration runs before any Repository exists

    repo = Repository(db, db.conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:")
    for row in repo._rows("SELECT id, doc_kind, title, issuer, report_year, plan_year, published FROM reports"):
        parsed = parser_identity(row["doc_kind"], row["title"], row["issuer"], row["report_year"],
                                 row["plan_year"], row["published"])
        unit = repo._resolve_unit(parsed["issuer"], parsed["region"], parsed["level"], parsed["title"])
        cols = [f for f in IDENTITY_FIELDS]
        repo._exec(f"UPDATE reports SET {', '.join(f'{c} = ?' for c in cols)}, extracted_identity = ?, unit_id = ?"
                   " WHERE id = ?", (*(parsed[c] for c in cols), dumps(parsed), unit, row["id"]))
    for table in ("work_items", "indicators"):  # keep only the parser's values a reviewer changed
        updates = []
        for row in repo._rows(f"SELECT * FROM {table} WHERE origin = 'extracted' AND extracted NOT IN ('', '{{}}')"):
            parsed, edited = loads(row["extracted"], {}), set(loads(row["edited_fields"], []))
            sparse = {k: v for k, v in parsed.items() if k in edited or (k in row and row[k] != v)}
            updates.append((dumps(sparse), row["id"]))
        db.conn.executemany(f"UPDATE {table} SET extracted = ? WHERE id = ?", updates)
    for row in repo._rows("SELECT r.id, r.clean_text, r.reading_no = p.reading_no AS current FROM readings r"
                          " JOIN reports p ON p.id = r.report_id WHERE r.clean_text != ''"):
        if row["current"]:
            repo._exec("UPDATE readings SET clean_text = '' WHERE id = ?", (row["id"],))
        else:
            repo._exec("UPDATE readings SET clean_text = '', text_z = ? WHERE id = ?",
                       (pack_text(row["clean_text"]), row["id"]))


# One query for the library overview; more columns (per-reviewer scores, assignments) join here.
OVERVIEW_SQL = """
SELECT r.id, r.file_name, r.title, r.issuer, r.level, r.region, r.report_year, r.plan_year, r.published,
       r.report_type, r.doc_kind, r.review_status, r.unit_id, r.edited_fields, r.reading_no, r.imported_at,
       u.name AS unit_name,
       coalesce(w.problems, 0) AS problems, coalesce(w.plans, 0) AS plans, coalesce(i.n, 0) AS indicators,
       coalesce(a.n, 0) AS annotations, coalesce(s.scored, 0) AS scored,
       c.n_pass, c.n_warn, c.n_fail, c.n_unknown, c.parts_found, c.results,
       c.stamp IS NULL OR c.stamp != r.sha256 || ':' || r.reading_no || ':' || coalesce(
           (SELECT max(h.id) FROM history h WHERE h.report_id = r.id
            AND h.entity IN ('report', 'work_item', 'indicator')), 0) AS checks_stale,
       v.reviewer
FROM reports r
LEFT JOIN units u ON u.id = r.unit_id
LEFT JOIN (SELECT report_id, sum(kind = 'problem') AS problems, sum(kind = 'plan_task') AS plans
           FROM work_items WHERE deleted = 0 {only} GROUP BY report_id) w ON w.report_id = r.id
LEFT JOIN (SELECT report_id, count(*) AS n FROM indicators WHERE deleted = 0 {only} GROUP BY report_id) i
       ON i.report_id = r.id
LEFT JOIN (SELECT report_id, count(*) AS n FROM annotations WHERE deleted = 0 {only} GROUP BY report_id) a
       ON a.report_id = r.id
LEFT JOIN (SELECT report_id, count(score) AS scored FROM rubric_scores WHERE 1 {only} GROUP BY report_id) s ON s.report_id = r.id
LEFT JOIN (SELECT report_id, group_concat(reviewer, '、') AS reviewer FROM (  -- everyone who annotated or scored,
               SELECT report_id, reviewer, min(updated_at) AS since FROM (             -- first to start first
                   SELECT report_id, reviewer, updated_at FROM annotations WHERE deleted = 0 AND reviewer != '' {only}
                   UNION ALL SELECT report_id, reviewer, updated_at FROM rubric_scores
                   WHERE reviewer != '' AND score IS NOT NULL {only})
               GROUP BY report_id, reviewer ORDER BY report_id, since, reviewer)
           GROUP BY report_id) v ON v.report_id = r.id
LEFT JOIN check_results c ON c.report_id = r.id AND c.rubric_hash = ?
{where}
ORDER BY r.report_year DESC, u.name, r.id
"""

# The overview's light index: what the desk's table filters and sorts on without building every row
# (a page of full rows comes from OVERVIEW_SQL restricted to the ids on screen).
OVERVIEW_INDEX_SQL = """
SELECT r.id, r.file_name, r.title, r.issuer, r.level, r.region, r.report_year, r.published, r.report_type,
       r.review_status, u.name AS unit_name,
       (SELECT count(*) FROM annotations a WHERE a.report_id = r.id AND a.deleted = 0) AS annotations,
       (SELECT count(score) FROM rubric_scores s WHERE s.report_id = r.id) AS scored,
       c.report_id IS NOT NULL AS has_results
FROM reports r
LEFT JOIN units u ON u.id = r.unit_id
LEFT JOIN check_results c ON c.report_id = r.id AND c.rubric_hash = ?
ORDER BY r.report_year DESC, u.name, r.id
"""


class OverviewMixin(RepositoryBase):
    """The library overview, aggregated in SQL (no report is re-read)."""

    def overview_rows(self, rubric_hash: str, *, year: int | None = None, report_ids=None) -> list[dict]:
        """Full overview rows; with `report_ids` (a page of the desk's table) every aggregate is restricted to them,
        so a page costs what its rows cost, not what the library does."""
        clauses, params, only = [], [rubric_hash], ""
        if year is not None:
            clauses.append("r.report_year = ?")
            params.append(year)
        if report_ids is not None:
            ids = sorted({int(i) for i in report_ids})  # ints only: inlined in the aggregates' subqueries
            clauses.append(f"r.id IN ({', '.join(map(str, ids))})" if ids else "0")
            only = f"AND report_id IN ({', '.join(map(str, ids))})" if ids else "AND 0"
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._rows(OVERVIEW_SQL.format(where=where, only=only), params)

    def overview_index(self, rubric_hash: str) -> list[dict]:
        """Every report's identity, review status inputs and whether checks are stored: the overview's light
        index (one short row per report, in the overview's order)."""
        return self._rows(OVERVIEW_INDEX_SQL, [rubric_hash])

    def space_by_table(self) -> dict[str, int]:
        """Bytes each table and index takes in the file (dbstat), largest first; {} where dbstat is missing."""
        try:
            rows = self._rows("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")
        except Exception:  # noqa: BLE001 - an SQLite built without dbstat: nothing to report
            return {}
        return {r["name"]: r["bytes"] for r in rows}
