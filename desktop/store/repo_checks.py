"""Library part for stored check results: computed once per reading and rubric, stale when either changes."""
from __future__ import annotations

from desktop.store.convert import dumps, loads
from desktop.store.errors import LibraryError
from desktop.store.repo_base import Part, now_iso
from desktop.store.repo_season import pack_text, unpack_text


class CheckStore(Part):
    """Check results stored per report and rubric hash (`lib.checks`)."""

    def check_stamp(self, report_id: int) -> str:
        """Changes whenever what the checks read changes: the reading, its items, indicators or identity."""
        row = self.db.row("SELECT sha256, reading_no FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {report_id} 的报告")
        last = self.db.row("SELECT max(id) AS h FROM history WHERE report_id = ? AND entity IN"
                         " ('report', 'work_item', 'indicator')", (report_id,))
        return f"{row['sha256']}:{row['reading_no']}:{last['h'] or 0}"

    def stored_check_result(self, report_id: int, rubric_hash: str) -> tuple[str, list[dict]] | None:
        """(stamp, findings as dicts) stored for this rubric, or None."""
        row = self.db.row("SELECT stamp, findings FROM check_results WHERE report_id = ? AND rubric_hash = ?",
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
        with self.db.tx():
            self.db.execute("INSERT OR REPLACE INTO check_results (report_id, rubric_hash, stamp, results, findings,"
                       " n_pass, n_warn, n_fail, n_unknown, parts_found, computed_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (report_id, rubric_hash, stamp, dumps(results), pack_text(dumps(findings)), counts["pass"],
                        counts["warn"], counts["fail"], counts["unknown"], found, now_iso()))

    def stale_check_reports(self, rubric_hash: str) -> list[int]:
        """Reports with no stored results for this rubric (results of an older reading are refreshed on use)."""
        return [r["id"] for r in self.db.rows(
            "SELECT id FROM reports WHERE id NOT IN (SELECT report_id FROM check_results WHERE rubric_hash = ?)"
            " ORDER BY id", (rubric_hash,))]

    def stale_check_ids(self, rubric_hash: str) -> list[int]:
        """Reports whose stored results are missing or of an older state (reading, identity or work items edited
        since): what the overview's 更新检查 recomputes."""
        return [r["id"] for r in self.db.rows(
            "SELECT r.id FROM reports r LEFT JOIN check_results c ON c.report_id = r.id AND c.rubric_hash = ?"
            " WHERE c.stamp IS NULL OR c.stamp != r.sha256 || ':' || r.reading_no || ':' || coalesce("
            " (SELECT max(h.id) FROM history h WHERE h.report_id = r.id"
            " AND h.entity IN ('report', 'work_item', 'indicator')), 0) ORDER BY r.id", (rubric_hash,))]
