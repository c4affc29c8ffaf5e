"""Follow-up decisions in review bundles: out by report key and task gid, in by the same merge as every record.

A decision is filed under its later report in a bundle's `records.json` (`followup_decisions`); it names the
earlier plan task by its work item gid and that task's report by its report key, never by a local row id.
The decisions are merged after every report of the bundle, so the task's report may come in the same bundle.
"""
from __future__ import annotations

from desktop.store.convert import dumps
from desktop.store.followup_repo import VERDICTS
from desktop.store.merge import CREATED, followup_gid, stamp_entry
from desktop.store.team_records import FOLLOWUP as SPEC
from desktop.store.team_records import check_rows, check_unique, filed, last_author, merge_records, note_once

KEY = SPEC.table  # the key of a report's decisions in records.json
_COLUMNS = ("gid", "task_gid", "task_report", "decision", "note", "machine_verdict", "reviewer", "deleted",
            "updated_at", "stamps")
_INFO = [{"name": c, "notnull": int(c in ("gid", "task_gid", "task_report")), "dflt_value": None}
         for c in _COLUMNS]


def rows_out(repo, report_ids, *, reviewer=None, since=None) -> dict[int, list[dict]]:
    """Later report id -> its decisions as a bundle carries them (tombstones included)."""
    rows = repo.db.rows("SELECT f.*, w.gid AS task_gid, r.report_key AS task_report FROM followup_decisions f"
                      " JOIN work_items w ON w.id = f.work_item_id JOIN reports r ON r.id = w.report_id ORDER BY f.id")
    return filed(rows, "later_id", _COLUMNS, report_ids, KEY, reviewer, since)


def check(rep: dict) -> None:
    """ValueError when a report's decisions are not what export writes (old bundles have none)."""
    rows = rep.get(KEY, [])
    check_rows(rows, _INFO, KEY)
    for row in rows:
        if row.get("decision") not in (None, *VERDICTS) or row.get("deleted", 0) not in (0, 1):
            raise ValueError(f"审阅记录中 {KEY} 的结论无效")
        if row["gid"] != followup_gid(rep["key"], row["task_gid"]):  # also rules out a gid given twice
            raise ValueError(f"审阅记录中 {KEY} 的标识与报告不符")
    check_unique(rows, KEY)


def merge(repo, state: dict, summary, who) -> str:
    """Merge every report's incoming decisions (after the reports themselves); the newest stamp seen."""
    def local_of(later_id):
        return {r["gid"]: r for r in repo.db.rows("SELECT * FROM followup_decisions WHERE later_id = ?", (later_id,))}

    def update(mine, result, later_id):
        sets = {**result.changes, "stamps": dumps(result.stamps), "reviewer": last_author(result.stamps)}
        for name, value in result.changes.items():
            if name != "updated_at":
                repo.db.log("followup", mine["work_item_id"], "bundle", name, mine[name], value, later_id,
                          stamp_entry(result.stamps, name)[2] or who)
        repo.db.execute(f"UPDATE followup_decisions SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                   (*sets.values(), mine["id"]))

    return merge_records(repo, SPEC, state, summary, local_of,
                         lambda row, later_id, title: _insert(repo, later_id, row, title, summary, who), update)


def _insert(repo, later_id: int, row: dict, title: str, summary, who) -> None:
    task = repo.db.row("SELECT w.id FROM work_items w JOIN reports r ON r.id = w.report_id"
                     " WHERE w.gid = ? AND r.report_key = ?", (row["task_gid"], row["task_report"]))
    if task is None:  # the earlier report is neither here nor in the bundle: it comes with a fuller bundle
        note_once(summary, f"《{title}》：有对上年安排的审阅结论，但本库没有那份上年报告，暂未合并；导入上年报告后再合并一次")
        return
    stamps = row.get("stamps") or {}
    repo.db.execute("INSERT INTO followup_decisions (later_id, work_item_id, machine_verdict, decision, note, reviewer,"
               " updated_at, gid, stamps, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (later_id, task["id"], row.get("machine_verdict"), row.get("decision"), row.get("note"),
                last_author(stamps) or row.get("reviewer"), row.get("updated_at") or "", row["gid"], dumps(stamps),
                int(row.get("deleted") or 0)))
    author = stamp_entry(stamps, CREATED)[2] or who
    for name in ("decision", "note"):
        if row.get(name) is not None:
            repo.db.log("followup", task["id"], "bundle", name, None, row[name], later_id, author)
    summary.inserted[KEY] = summary.inserted.get(KEY, 0) + 1

