"""Stored follow-up decisions: the reviewer's verdict and note on each earlier plan task against a later report.

Functions over an open Library (they use its transaction and history helpers); SQL stays in desktop/store."""
from __future__ import annotations

from dataclasses import dataclass

from desktop.store.merge import CREATED, followup_gid
from desktop.store.repo_base import now_iso

VERDICTS = ("已体现", "部分体现", "未提及")


@dataclass(frozen=True)
class FollowUpDecision:
    later_id: int
    work_item_id: int
    machine_verdict: str | None
    decision: str | None  # the reviewer's verdict; None = the matcher's stands
    note: str | None
    reviewer: str | None
    updated_at: str


def decisions(repo, later_id: int) -> dict[int, FollowUpDecision]:
    """The reviewer's decisions against one later report, by the earlier plan task's work item id."""
    rows = repo.db.rows("SELECT * FROM followup_decisions WHERE later_id = ? AND deleted = 0", (later_id,))
    return {r["work_item_id"]: FollowUpDecision(r["later_id"], r["work_item_id"], r["machine_verdict"],
                                                r["decision"], r["note"], r["reviewer"], r["updated_at"])
            for r in rows}


_FIELDS = ("decision", "note", "machine_verdict")


def set_decision(repo, later_id: int, work_item_id: int, *, decision=..., note=..., machine_verdict=None,
                 who=None) -> FollowUpDecision:
    """Set the reviewer's verdict and/or note (leave an argument out to keep it); one history row per change.

    Every written field is stamped (team.md §2), so the decision travels in review bundles like any record."""
    if decision is not ... and decision is not None and decision not in VERDICTS:
        raise ValueError(f"结论只能是 {'、'.join(VERDICTS)}：{decision}")
    if note is not ... and note is not None:
        note = str(note).strip() or None
    later = repo.reports.report_row(later_id)
    task = repo.items.work_row(work_item_id)  # LookupError when the task is not there
    with repo.db.tx():
        row = repo.db.row("SELECT * FROM followup_decisions WHERE later_id = ? AND work_item_id = ?",
                        (later_id, work_item_id))
        gone = row is None or row["deleted"]  # a decision taken back starts again from nothing
        old = {f: None for f in _FIELDS} if gone else row
        new = {"decision": old["decision"] if decision is ... else decision,
               "note": old["note"] if note is ... else note,
               "machine_verdict": machine_verdict or old["machine_verdict"]}
        written = [f for f in _FIELDS if new[f] != (row[f] if row else None)]
        who = who or repo.default_who
        if row is None:
            repo.db.execute("INSERT INTO followup_decisions (later_id, work_item_id, machine_verdict, decision, note,"
                       " reviewer, updated_at, gid, stamps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (later_id, work_item_id, new["machine_verdict"], new["decision"], new["note"], who, now_iso(),
                        followup_gid(later["report_key"], task["gid"]),
                        repo.db.stamps_after({}, [CREATED, *written], who)))
        elif written or row["deleted"]:
            written += ["deleted"] if row["deleted"] else []
            repo.db.execute("UPDATE followup_decisions SET machine_verdict = ?, decision = ?, note = ?, reviewer = ?,"
                       " updated_at = ?, deleted = 0, stamps = ? WHERE id = ?",
                       (new["machine_verdict"], new["decision"], new["note"], who, now_iso(),
                        repo.db.stamps_after(row, written, who), row["id"]))
        for field in ("decision", "note"):
            if old[field] != new[field]:
                repo.db.log("followup", work_item_id, "update", field, old[field], new[field], later_id, who)
    return decisions(repo, later_id)[work_item_id]


def delete_decision(repo, later_id: int, work_item_id: int, *, who=None) -> bool:
    """Take a decision back (a tombstone, so the delete travels in bundles); False when there was none."""
    with repo.db.tx():
        row = repo.db.row("SELECT * FROM followup_decisions WHERE later_id = ? AND work_item_id = ? AND deleted = 0",
                        (later_id, work_item_id))
        if row is None:
            return False
        who = who or repo.default_who
        repo.db.execute("UPDATE followup_decisions SET deleted = 1, reviewer = ?, updated_at = ?, stamps = ? WHERE id = ?",
                   (who, now_iso(), repo.db.stamps_after(row, ["deleted"], who), row["id"]))
        repo.db.log("followup", work_item_id, "delete", "decision", row["decision"], None, later_id, who)
    return True


def report_years(repo, years=None) -> list[dict]:
    """id, issuer, title, doc_kind, report_year, plan_year, unit_id and region of every report (or of those whose report
    or plan year is one of `years`): what automatic pairing needs."""
    sql = "SELECT id, issuer, title, doc_kind, report_year, plan_year, unit_id, region FROM reports"
    if years is None:
        return repo.db.rows(sql + " ORDER BY id")
    marks = ", ".join("?" * len(years))
    return repo.db.rows(f"{sql} WHERE report_year IN ({marks}) OR plan_year IN ({marks}) ORDER BY id",
                      (*years, *years))
