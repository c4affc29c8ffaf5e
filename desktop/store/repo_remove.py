"""Removing reports: everything of a report goes in one transaction and is kept in a tombstone to restore from.

A removed report leaves a row in `removed_reports`: its rows of every table (packed JSON), who removed it and
when. `restore_reports` puts every row back with its ids (the desk's undo). Tombstones travel in review bundles
(see repo_team.tombstones_out / apply_tombstones), so a colleague's library loses the report too. History rows
stay: what was done to a report is still told after it goes.
"""
from __future__ import annotations

import json
import zlib

from desktop.store.repo_base import Part, now_iso

SAMPLE_KEY = "sample_report"  # library_info: the id of the bundled sample seeded into a new default library

# Parent tables first (restore order); removal runs the list backwards. Each entry: table, the WHERE clause
# selecting a report's rows given (report id, its work item ids, its annotation ids).
_PARTS = (
    ("reports", "id = :report"),
    ("readings", "report_id = :report"),
    ("sections", "report_id = :report"),
    ("indicators", "report_id = :report"),
    ("work_items", "report_id = :report"),
    ("annotations", "report_id = :report"),
    ("rubric_scores", "report_id = :report"),
    ("check_results", "report_id = :report"),
    ("assignments", "report_id = :report"),
    ("conflicts", "report_id = :report"),
    ("ledger_progress", "work_item_id IN (SELECT id FROM work_items WHERE report_id = :report)"),
    ("followup_decisions", "later_id = :report OR work_item_id IN (SELECT id FROM work_items WHERE report_id = :report)"),
    ("rectifications", "annotation_id IN (SELECT id FROM annotations WHERE report_id = :report)"),
)


class RemovalStore(Part):
    """remove_reports / restore_reports / removal_summary, and which report is the bundled sample."""

    # ---------------------------------------------------------------- the sample
    def sample_report_id(self) -> int | None:
        row = self.db.row("SELECT value FROM library_info WHERE key = ?", (SAMPLE_KEY,))
        try:
            rid = int(row["value"]) if row and row["value"] else None
        except ValueError:
            return None
        return rid if rid is not None and self.db.row("SELECT 1 FROM reports WHERE id = ?", (rid,)) else None

    def mark_sample(self, report_id: int) -> None:
        with self.db.tx():
            self.db.execute("INSERT OR REPLACE INTO library_info (key, value) VALUES (?, ?)", (SAMPLE_KEY, str(report_id)))

    def reports_for_export(self, refs=()) -> list:
        """The reports named by `refs` (id, file name or title part), or all but the bundled sample when none are
        named: the sample never lands in a season's ledger, letters or workbook unless asked for."""
        if refs:
            out, seen = [], set()
            for ref in refs:
                report = self.lib.reports.find_report(ref)
                if report.id not in seen:
                    seen.add(report.id)
                    out.append(report)
            return out
        sample = self.sample_report_id()
        return [r for r in self.lib.reports.list_reports() if r.id != sample]

    # ---------------------------------------------------------------- removal
    def removal_summary(self, report_ids) -> dict[str, int]:
        """What removing these reports takes with them: 批注, 评分, 台账读回轮次, 工作事项, 指标 (for the confirmation)."""
        ids = [int(r) for r in report_ids]
        for rid in ids:
            self.lib.reports.report_row(rid)  # LookupError for an unknown id, before anything is counted
        marks = ",".join("?" * len(ids)) or "NULL"
        one = lambda sql: self.db.row(sql, ids)["n"]  # noqa: E731
        return {
            "annotations": one(f"SELECT count(*) AS n FROM annotations WHERE deleted = 0 AND report_id IN ({marks})"),
            "scores": one(f"SELECT count(*) AS n FROM rubric_scores WHERE score IS NOT NULL AND report_id IN ({marks})"),
            "rounds": one("SELECT count(DISTINCT r.round) AS n FROM ledger_progress p JOIN ledger_returns r"
                          " ON r.id = p.return_id JOIN work_items w ON w.id = p.work_item_id"
                          f" WHERE r.deleted = 0 AND w.report_id IN ({marks})"),
            "work_items": one(f"SELECT count(*) AS n FROM work_items WHERE deleted = 0 AND report_id IN ({marks})"),
            "indicators": one(f"SELECT count(*) AS n FROM indicators WHERE deleted = 0 AND report_id IN ({marks})"),
        }

    def remove_reports(self, report_ids, who=None, *, stamp: str | None = None) -> list[int]:
        """Remove reports with all their rows in ONE transaction; returns the tombstone ids (restore_reports)."""
        ids = list(dict.fromkeys(int(r) for r in report_ids))
        tombs = []
        with self.db.tx():
            for rid in ids:
                tombs.append(self.remove_one(rid, who, stamp))
        return tombs

    def remove_one(self, report_id: int, who, stamp: str | None) -> int:
        report = self.lib.reports.report_row(report_id)
        rows: dict[str, list[dict]] = {}
        for table, where in _PARTS:
            rows[table] = self.db.rows(f"SELECT * FROM {table} WHERE {where}", {"report": report_id})
        for table, where in reversed(_PARTS):
            self.db.execute(f"DELETE FROM {table} WHERE {where}", {"report": report_id})
        payload = zlib.compress(json.dumps(rows, ensure_ascii=False, default=_blob).encode("utf-8"), 6)
        who = who or self.db.default_who
        cur = self.db.execute("INSERT INTO removed_reports (report_id, report_key, title, file_name, removed_at,"
                         " removed_by, stamp, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (report_id, report["report_key"], report["title"], report["file_name"], now_iso(), who,
                          stamp or self.db.stamp(), payload))
        self.db.log("report", report_id, "remove", "title", report["title"] or report["file_name"], None, report_id, who)
        self.db.execute("DELETE FROM library_info WHERE key = ? AND value = ?", (SAMPLE_KEY, str(report_id)))  # ids recur
        return cur.lastrowid

    def restore_reports(self, tombstone_ids, who=None) -> list[int]:
        """Undo of remove_reports: every row back with its ids; returns the restored report ids."""
        restored = []
        with self.db.tx():
            for tomb_id in tombstone_ids:
                tomb = self.db.row("SELECT * FROM removed_reports WHERE id = ?", (tomb_id,))
                if tomb is None:
                    raise LookupError(f"找不到已删除报告的记录 #{tomb_id}")
                if self.db.row("SELECT 1 FROM reports WHERE report_key = ?", (tomb["report_key"],)):
                    raise ValueError(f"报告“{tomb['title'] or tomb['file_name']}”已重新导入，不能再恢复删除前的版本")
                if self.db.row("SELECT 1 FROM reports WHERE id = ?", (tomb["report_id"],)):
                    raise ValueError(f"报告编号 #{tomb['report_id']} 已被此后导入的报告使用，"
                                     f"不能恢复“{tomb['title'] or tomb['file_name']}”；可从删除前的备份中取回")
                rows = json.loads(zlib.decompress(tomb["payload"]).decode("utf-8"), object_hook=_unblob)
                for table, _ in _PARTS:
                    for row in rows.get(table, ()):
                        names = list(row)
                        self.db.execute(f"INSERT INTO {table} ({', '.join(_quoted(n) for n in names)})"
                                   f" VALUES ({', '.join('?' * len(names))})", [row[n] for n in names])
                self.db.execute("DELETE FROM removed_reports WHERE id = ?", (tomb_id,))
                self.db.log("report", tomb["report_id"], "restore", "title", None,
                          tomb["title"] or tomb["file_name"], tomb["report_id"], who)
                restored.append(tomb["report_id"])
        return restored

    def removed_reports(self) -> list[dict]:
        """Tombstones, newest first: report id, key, title, file name, when, who, stamp (no payload)."""
        return self.db.rows("SELECT id, report_id, report_key, title, file_name, removed_at, removed_by, stamp"
                          " FROM removed_reports ORDER BY id DESC")

    def forget_tombstone(self, report_key: str) -> None:
        """A report imported again after its removal: the tombstone no longer stands (nor travels)."""
        self.db.execute("DELETE FROM removed_reports WHERE report_key = ?", (report_key,))


# ---------------------------------------------------------------- tombstones in review bundles
def tombstones_out(repo) -> list[dict]:
    """The removals a bundle carries: report key, title, who and the removal's stamp."""
    return [{"key": t["report_key"], "title": t["title"] or t["file_name"] or "", "who": t["removed_by"] or "",
             "stamp": t["stamp"]} for t in repo.removal.removed_reports()]


def check_tombstones(state: dict) -> list[dict]:
    """The bundle's removals, checked (ValueError) before anything is written."""
    removed = state.get("removed") or []
    if not isinstance(removed, list) or not all(
            isinstance(t, dict) and isinstance(t.get("key"), str) and 0 < len(t["key"]) <= 128
            and isinstance(t.get("stamp"), str) and len(t["stamp"]) <= 200
            and isinstance(t.get("title", ""), str) and isinstance(t.get("who", ""), str) for t in removed):
        raise ValueError("审阅记录中的已删除报告无效")
    return removed


def apply_tombstones(repo, state: dict, summary, who) -> None:
    """A colleague removed a report: it goes here too (kept in a tombstone, restorable), unless the bundle also
    carries the report — imported again there after the removal. A removal we already hold is not repeated."""
    present = {rep["key"] for rep in state["reports"]}
    held = {t["report_key"] for t in repo.removal.removed_reports()}
    for tomb in check_tombstones(state):
        key = tomb["key"]
        if key in present or key in held:
            continue
        row = repo.db.row("SELECT id, title, file_name FROM reports WHERE report_key = ?", (key,))
        if row is None:  # never had it: keep the tombstone so it travels on to the next colleague
            repo.db.execute("INSERT INTO removed_reports (report_id, report_key, title, file_name, removed_at, removed_by,"
                       " stamp, payload) VALUES (0, ?, ?, NULL, ?, ?, ?, ?)",
                       (key, tomb.get("title"), now_iso(), tomb.get("who") or who, tomb["stamp"],
                        zlib.compress(b"{}")))
            continue
        repo.removal.remove_one(row["id"], tomb.get("who") or who, tomb["stamp"])
        summary.removed.append(row["title"] or row["file_name"])


def removal_text(titles: list[str], counts: dict[str, int]) -> str:
    """What goes, in the words of the confirmation (the CLI and the desk's dialog say the same)."""
    head = "、".join(f"《{t}》" for t in titles[:5]) + (f" 等 {len(titles)} 份报告" if len(titles) > 5 else "")
    parts = [f"批注 {counts['annotations']} 条", f"评分 {counts['scores']} 项", f"台账读回 {counts['rounds']} 轮",
             f"工作事项 {counts['work_items']} 项", f"指标 {counts['indicators']} 个"]
    return f"将删除 {head}，连同{'、'.join(parts)}。"


def _quoted(name: str) -> str:
    return f'"{name}"'


def _blob(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"__blob__": bytes(value).hex()}
    raise TypeError(f"cannot keep {type(value).__name__} in a tombstone")


def _unblob(obj):
    if set(obj) == {"__blob__"}:
        return bytes.fromhex(obj["__blob__"])
    return obj
