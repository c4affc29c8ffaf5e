"""Review services over the library: checks of a stored report, validated rubric scores, the weighted total.

API (repo is a desktop.store Repository):
    check_stored(repo, report_id, rubric=None) -> list[Finding]   # on the reading with reviewer edits applied
    scores_of(repo, report_id, reviewer=None) -> dict[criterion_id, RubricScoreRecord]
        one reviewer's scores, or (None) the team's: the reviewers' mean on the scale's step
    set_score(repo, report_id, criterion_id, value, comment=None, who=None, rubric=None) -> RubricScoreRecord
        value: a number or a level label (优/良/…) on the criterion's scale, or None to clear; RubricError if
        the criterion is unknown or the value is off the scale. Undo = set_score again with the old value
        and comment (the repository records each change in its history).
    total_of(rubric, records) -> float                             # weighted total, 0–100
    score_summary(repo, report_id, rubric=None) -> list[CriterionSummary]
    score_summaries(repo, rubric=None, report_ids=None) -> {report_id: [CriterionSummary]}  # one read
        per criterion: every reviewer's score, the mean, the spread (max − min) and `disagree` when the spread
        exceeds the rubric's disagreement threshold (several reviewers scoring the same report).
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from desktop.review.checks import run_checks
from desktop.review.rubric import Rubric, load_rubric, weighted_total


def check_stored(repo, report_id: int, rubric: Rubric | None = None):
    return run_checks(repo.reading(report_id), rubric or load_rubric())


def scores_of(repo, report_id: int, reviewer: str | None = None, rubric: Rubric | None = None) -> dict:
    """criterion id -> score record: one reviewer's, or (None) the team's — with several reviewers their mean,
    rounded to the criterion's scale step so totals and letters can use it, the newest comment, all names."""
    records = repo.rubric_scores(report_id, reviewer=reviewer)
    if reviewer is not None:
        return {r.criterion_id: r for r in records}
    by_criterion: dict[str, list] = {}
    for rec in records:  # oldest write first
        by_criterion.setdefault(rec.criterion_id, []).append(rec)
    rubric = rubric or load_rubric()
    out = {}
    for cid, recs in by_criterion.items():
        scored = [r for r in recs if r.score is not None]
        if len(scored) <= 1:
            out[cid] = scored[0] if scored else recs[-1]
            continue
        mean = sum(r.score for r in scored) / len(scored)
        comment = next((r.comment for r in reversed(recs) if r.comment), None)
        out[cid] = dataclasses.replace(scored[-1], score=_on_scale(rubric, cid, mean), comment=comment,
                                       reviewer="、".join(sorted({r.reviewer or "（未署名）" for r in scored})))
    return out


def _on_scale(rubric: Rubric, criterion_id: str, value: float) -> float:
    """`value` rounded (half up) to the criterion's step, so the scale accepts it; unknown criteria unchanged."""
    try:
        scale = rubric.criterion(criterion_id).scale
    except Exception:  # noqa: BLE001 — a criterion the (adapted) rubric no longer has
        return round(value, 2)
    if not scale.step:
        return round(value, 2)
    steps = math.floor((value - scale.min) / scale.step + 0.5 + 1e-9)
    return min(scale.max, max(scale.min, scale.min + steps * scale.step))


def set_score(repo, report_id: int, criterion_id: str, value, comment=None, who=None, rubric: Rubric | None = None):
    rubric = rubric or load_rubric()
    criterion = rubric.criterion(criterion_id)
    score = None if value is None or value == "" else criterion.scale.parse(value)
    return repo.set_rubric_score(report_id, criterion_id, score, comment, who)


def total_of(rubric: Rubric, records: dict) -> float:
    """Weighted total of stored scores; a stored score off the (possibly adapted) scale counts as unscored."""
    usable = {}
    for cid, rec in records.items():
        value = getattr(rec, "score", rec)
        try:
            rubric.criterion(cid).scale.parse(value) if value is not None else None
        except Exception:  # noqa: BLE001 — an adapted rubric may no longer accept an old score
            continue
        usable[cid] = value
    return weighted_total(rubric, usable)


@dataclass(frozen=True)
class CriterionSummary:
    criterion_id: str
    name: str
    scores: tuple[tuple[str, float], ...]  # (reviewer, score) for each reviewer who scored, by name
    mean: float | None
    spread: float | None  # max − min; 0 with one reviewer
    threshold: float
    disagree: bool

    @property
    def reviewers(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.scores)


def score_summary(repo, report_id: int, rubric: Rubric | None = None) -> list[CriterionSummary]:
    """Every criterion of the rubric with all reviewers' scores of one report: mean, spread, who, disagreement."""
    return _summarise(rubric or load_rubric(), repo.rubric_scores(report_id))


def score_summaries(repo, rubric: Rubric | None = None, report_ids=None) -> dict[int, list[CriterionSummary]]:
    """score_summary of many reports (all when None) in one read: for the overview and the comparison workbook."""
    rubric = rubric or load_rubric()
    by_report: dict[int, list] = {}
    for rec in repo.all_rubric_scores(report_ids):
        by_report.setdefault(rec.report_id, []).append(rec)
    return {rid: _summarise(rubric, recs) for rid, recs in by_report.items()}


def _summarise(rubric: Rubric, records) -> list[CriterionSummary]:
    by_criterion: dict[str, dict[str, float]] = {}
    for rec in records:
        if rec.score is not None:
            by_criterion.setdefault(rec.criterion_id, {})[rec.reviewer or "（未署名）"] = rec.score
    out = []
    for c in rubric.criteria:
        scores = tuple(sorted(by_criterion.get(c.id, {}).items()))
        values = [v for _, v in scores]
        mean = round(sum(values) / len(values), 2) if values else None
        spread = round(max(values) - min(values), 2) if values else None
        threshold = rubric.disagreement_of(c.id)
        out.append(CriterionSummary(c.id, c.name, scores, mean, spread, threshold,
                                    spread is not None and spread > threshold + 1e-9))
    return out
