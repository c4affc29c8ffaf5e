"""Review services over the library: checks of a stored report, validated rubric scores, the weighted total.

API (repo is a desktop.store Repository):
    check_stored(repo, report_id, rubric=None) -> list[Finding]   # on the reading with reviewer edits applied
    scores_of(repo, report_id) -> dict[criterion_id, RubricScoreRecord]
    set_score(repo, report_id, criterion_id, value, comment=None, who=None, rubric=None) -> RubricScoreRecord
        value: a number or a level label (优/良/…) on the criterion's scale, or None to clear; RubricError if
        the criterion is unknown or the value is off the scale. Undo = set_score again with the old value
        and comment (the repository records each change in its history).
    total_of(rubric, records) -> float                             # weighted total, 0–100
"""
from __future__ import annotations

from desktop.review.checks import run_checks
from desktop.review.rubric import Rubric, load_rubric, weighted_total


def check_stored(repo, report_id: int, rubric: Rubric | None = None):
    return run_checks(repo.reading(report_id), rubric or load_rubric())


def scores_of(repo, report_id: int) -> dict:
    return {r.criterion_id: r for r in repo.rubric_scores(report_id)}


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
