"""Library part for rubric scores: one score and comment per report, criterion and reviewer."""
from __future__ import annotations

from desktop.store import convert
from desktop.store.convert import loads
from desktop.store.merge import CREATED, derived_gid, newest_stamp
from desktop.store.records import RubricScoreRecord
from desktop.store.repo_base import Part, now_iso


class ScoreStore(Part):
    """Rubric scores per reviewer (`lib.scores`)."""

    def set_rubric_score(self, report_id: int, criterion_id: str, score, comment=None, who=None) -> RubricScoreRecord:
        """One reviewer's score of one rubric criterion of a report (`who`, else the configured reviewer or 未署名).

        Each reviewer has their own row per criterion. Undo: call again with the previous score and comment."""
        report = self.lib.reports.report_row(report_id)
        score = None if score is None else float(score)
        reviewer = who or self.db.default_who or ""
        with self.db.tx():
            old = self.db.row("SELECT * FROM rubric_scores WHERE report_id = ? AND criterion_id = ? AND reviewer = ?",
                            (report_id, criterion_id, reviewer))
            if old is None:
                stamps = self.db.stamps_after({}, [CREATED, "score", "comment"], reviewer)
                cur = self.db.execute("INSERT INTO rubric_scores (report_id, criterion_id, score, comment, reviewer,"
                                 " updated_at, gid, stamps) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 (report_id, criterion_id, score, comment, reviewer, now_iso(),
                                  derived_gid(report["report_key"], criterion_id, reviewer), stamps))
                self.db.log("rubric_score", cur.lastrowid, "insert", criterion_id, None, score, report_id, reviewer)
                if comment:
                    self.db.log("rubric_score", cur.lastrowid, "insert", "comment", None, comment, report_id, reviewer)
            elif (old["score"], old["comment"]) != (score, comment):
                changed = [f for f, v in (("score", score), ("comment", comment)) if old[f] != v]
                self.db.execute("UPDATE rubric_scores SET score = ?, comment = ?, updated_at = ?, stamps = ?"
                           " WHERE id = ?", (score, comment, now_iso(), self.db.stamps_after(old, changed, reviewer),
                                            old["id"]))
                if old["score"] != score:
                    self.db.log("rubric_score", old["id"], "update", criterion_id, old["score"], score, report_id,
                              reviewer)
                if old["comment"] != comment:
                    self.db.log("rubric_score", old["id"], "update", "comment", old["comment"], comment, report_id,
                              reviewer)
        return next(r for r in self.rubric_scores(report_id, reviewer=reviewer) if r.criterion_id == criterion_id)

    def rubric_scores(self, report_id: int, reviewer: str | None = None) -> list[RubricScoreRecord]:
        """Every reviewer's scores of a report (or one reviewer's), oldest write first."""
        sql, params = "SELECT * FROM rubric_scores WHERE report_id = ?", [report_id]
        if reviewer is not None:
            sql += " AND reviewer = ?"
            params.append(reviewer)
        rows = self.db.rows(sql, params)
        rows.sort(key=lambda r: (newest_stamp(loads(r["stamps"], {})), r["id"]))
        return [convert.rubric_record(r) for r in rows]

    def all_rubric_scores(self, report_ids=None) -> list[RubricScoreRecord]:
        """Every reviewer's scores of many reports (all when None) in one query, by report then criterion."""
        where = ""
        if report_ids is not None:  # ints only, inlined: a page of the overview reads its own rows
            where = f"WHERE report_id IN ({', '.join(str(int(i)) for i in report_ids)})" if report_ids else "WHERE 0"
        rows = self.db.rows(f"SELECT * FROM rubric_scores {where} ORDER BY report_id, criterion_id, reviewer")
        return [convert.rubric_record(r) for r in rows]
