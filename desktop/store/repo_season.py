"""The season's parts of the library: report identity, units and aliases, check results, reading texts; the overview."""
from __future__ import annotations

import zlib

from desktop.report.model import Reading
from desktop.store import convert
from desktop.store.convert import dumps, loads
from desktop.store.identity import (
    IDENTITY_FIELDS, clean_identity, guess_level, guess_region, parser_identity, unit_name,
)
from desktop.store.records import ReportRecord
from desktop.store.repo_base import Part


def _parser_identity_of(reading: Reading) -> dict:
    m = reading.metadata
    return parser_identity(reading.doc_kind, m.title, m.issuer, m.report_year, m.plan_year, m.published)


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def unpack_text(blob: bytes, report_id: int = 0, reading_no: int = 0) -> str:
    from desktop.store.migrations import unpack_reading

    return unpack_reading(blob, report_id, reading_no)


class SeasonStore(Part):
    """Identity over the parser's values, units, check results, stored texts (`lib.season`)."""

    # ---------------------------------------------------------------- identity
    def identity_values(self, reading: Reading, prior: dict | None = None) -> dict:
        """Column values for a reading: the parser's, except the fields the reviewer set on `prior`."""
        values = convert.report_values(reading)
        parsed = _parser_identity_of(reading)
        edited = loads(prior.get("edited_fields"), []) if prior else []
        values.update(parsed)
        for field in edited:
            values[field] = prior[field]
        values["extracted_identity"] = dumps(parsed)
        values["unit_id"] = self.lib.units.resolve_unit(values["issuer"], values["region"], values["level"], values["title"])
        return values

    def update_report_identity(self, report_id: int, changes: dict, who=None) -> ReportRecord:
        """Correct title, 单位, 层级, 地区, years, 发布日期 or 类型; each change has a history row.
        A value equal to the parser's clears the edit (a re-import then follows the parser again)."""
        changes = clean_identity(changes)
        with self.db.tx():
            row = self.lib.reports.report_row(report_id)
            changes = self._follow_issuer(row, changes)
            view = {**row, "extracted": row["extracted_identity"], "report_id": report_id}
            self.db.update_row("reports", "report", view, changes, who)
            row = self.lib.reports.report_row(report_id)
            unit = self.lib.units.resolve_unit(row["issuer"], row["region"], row["level"], row["title"])
            if unit != row["unit_id"]:
                self.db.execute("UPDATE reports SET unit_id = ? WHERE id = ?", (unit, report_id))
                self.lib.units.drop_empty_unit(row["unit_id"])
        return self.lib.reports.get_report(report_id)

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

    def parser_identity(self, report_id: int) -> dict:
        return loads(self.lib.reports.report_row(report_id)["extracted_identity"], {})

    def set_review_status(self, report_id: int, status: str | None, who=None) -> ReportRecord:
        """待审/审阅中/已审 set by the reviewer (None: derived from annotations and scores again)."""
        if status not in (None, "待审", "审阅中", "已审"):
            raise ValueError(f"审阅状态应为 待审/审阅中/已审，收到：{status}")
        with self.db.tx():
            row = self.lib.reports.report_row(report_id)
            if row["review_status"] != status:
                self.db.execute("UPDATE reports SET review_status = ? WHERE id = ?", (status, report_id))
                self.db.log("report", report_id, "update", "review_status", row["review_status"], status,
                          report_id, who)
        return self.lib.reports.get_report(report_id)

    # ---------------------------------------------------------------- units
    # ---------------------------------------------------------------- stored check results
    # ---------------------------------------------------------------- reading texts
    def reading_text(self, report_id: int, reading_no: int) -> str:
        """The clean text of one stored reading (the current one lives in reports; older ones compressed)."""
        row = self.db.row("SELECT r.clean_text, r.text_z, p.clean_text AS current, p.reading_no AS latest"
                        " FROM readings r JOIN reports p ON p.id = r.report_id"
                        " WHERE r.report_id = ? AND r.reading_no = ?", (report_id, reading_no))
        if row is None:
            raise LookupError(f"报告 #{report_id} 没有第 {reading_no} 版")
        if row["text_z"] is not None:
            return unpack_text(row["text_z"], report_id, reading_no)
        return row["clean_text"] or (row["current"] if row["latest"] == reading_no else "")

    def archive_current_text(self, report_id: int) -> None:
        """Before a new reading replaces the report's text, keep the old text compressed in its reading row."""
        row = self.db.row("SELECT clean_text, reading_no FROM reports WHERE id = ?", (report_id,))
        self.db.execute("UPDATE readings SET text_z = ?, clean_text = '' WHERE report_id = ? AND reading_no = ?"
                   " AND text_z IS NULL", (pack_text(row["clean_text"]), report_id, row["reading_no"]))


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


class OverviewStore(Part):
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
        return self.db.rows(OVERVIEW_SQL.format(where=where, only=only), params)

    def overview_index(self, rubric_hash: str) -> list[dict]:
        """Every report's identity, review status inputs and whether checks are stored: the overview's light
        index (one short row per report, in the overview's order)."""
        return self.db.rows(OVERVIEW_INDEX_SQL, [rubric_hash])

    def space_by_table(self) -> dict[str, int]:
        """Bytes each table and index takes in the file (dbstat), largest first; {} where dbstat is missing."""
        try:
            rows = self.db.rows("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")
        except Exception:  # noqa: BLE001 - an SQLite built without dbstat: nothing to report
            return {}
        return {r["name"]: r["bytes"] for r in rows}
