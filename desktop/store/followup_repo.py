"""Stored follow-up decisions: the reviewer's verdict and note on each earlier plan task against a later report.

Functions over an open Repository (they use its transaction and history helpers); SQL stays in desktop/store."""
from __future__ import annotations

from dataclasses import dataclass

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
    rows = repo._rows("SELECT * FROM followup_decisions WHERE later_id = ?", (later_id,))
    return {r["work_item_id"]: FollowUpDecision(r["later_id"], r["work_item_id"], r["machine_verdict"],
                                                r["decision"], r["note"], r["reviewer"], r["updated_at"])
            for r in rows}


def set_decision(repo, later_id: int, work_item_id: int, *, decision=..., note=..., machine_verdict=None,
                 who=None) -> FollowUpDecision:
    """Set the reviewer's verdict and/or note (leave an argument out to keep it); one history row per change."""
    from desktop.store.repo_base import _now

    if decision is not ... and decision is not None and decision not in VERDICTS:
        raise ValueError(f"结论只能是 {'、'.join(VERDICTS)}：{decision}")
    if note is not ... and note is not None:
        note = str(note).strip() or None
    repo.get_report(later_id)
    repo.get_work_item(work_item_id)  # LookupError when the task is not there
    with repo._tx():
        row = repo._row("SELECT * FROM followup_decisions WHERE later_id = ? AND work_item_id = ?",
                        (later_id, work_item_id))
        old = row or {"decision": None, "note": None, "machine_verdict": None}
        new = {"decision": old["decision"] if decision is ... else decision,
               "note": old["note"] if note is ... else note,
               "machine_verdict": machine_verdict or old["machine_verdict"]}
        now = _now()
        who = who or repo.default_who
        if row is None:
            repo._exec("INSERT INTO followup_decisions (later_id, work_item_id, machine_verdict, decision, note,"
                       " reviewer, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (later_id, work_item_id, new["machine_verdict"], new["decision"], new["note"], who, now))
        else:
            repo._exec("UPDATE followup_decisions SET machine_verdict = ?, decision = ?, note = ?, reviewer = ?,"
                       " updated_at = ? WHERE id = ?",
                       (new["machine_verdict"], new["decision"], new["note"], who, now, row["id"]))
        for field in ("decision", "note"):
            if old[field] != new[field]:
                repo._log("followup", work_item_id, "update", field, old[field], new[field], later_id, who)
    return decisions(repo, later_id)[work_item_id]


def report_years(repo, years=None) -> list[dict]:
    """id, issuer, title, doc_kind, report_year, plan_year, unit_id and region of every report (or of those whose report
    or plan year is one of `years`): what automatic pairing needs."""
    sql = "SELECT id, issuer, title, doc_kind, report_year, plan_year, unit_id, region FROM reports"
    if years is None:
        return repo._rows(sql + " ORDER BY id")
    marks = ", ".join("?" * len(years))
    return repo._rows(f"{sql} WHERE report_year IN ({marks}) OR plan_year IN ({marks}) ORDER BY id",
                      (*years, *years))
