"""Review services over the library: checks of a stored report, validated rubric scores, the weighted total.

API (repo: a ReviewLibrary, review/library.py — the parts of desktop.store's Library these use):
    check_stored(repo, report_id, rubric=None) -> list[Finding]   # on the reading with reviewer edits applied
    save_findings(repo, report_id, findings, rubric=None)          # store findings computed on the new reading
    findings_for(repo, report_id, rubric=None) -> list[Finding]   # the same, stored per reading and rubric:
        computed once, again only when the reading, its items/indicators/identity or the rubric change
    rubric_hash(rubric) -> str                                     # the key results are stored under
    scores_of(repo, report_id, reviewer=None) -> dict[criterion_id, ScoreRecord]
        one reviewer's scores, or (None) the team's: the reviewers' mean on the scale's step
    set_score(repo, report_id, criterion_id, value, comment=None, who=None, rubric=None) -> ScoreRecord
        value: a number or a level label (优/良/…) on the criterion's scale, or None to clear; RubricError if
        the criterion is unknown or the value is off the scale. Undo = set_score again with the old value
        and comment (the repository records each change in its history).
    total_of(rubric, records) -> float                             # weighted total, 0–100
    score_summary(repo, report_id, rubric=None) -> list[CriterionSummary]
    score_summaries(repo, rubric=None, report_ids=None) -> {report_id: [CriterionSummary]}  # one read
    team_scores(repo, rubric=None) -> {report_id: {criterion_id: team score}}  # scores_of(…)'s value, one read
        per criterion: every reviewer's score, the mean, the spread (max − min) and `disagree` when the spread
        exceeds the rubric's disagreement threshold (several reviewers scoring the same report).
    find_criterion(rubric, ref) -> Criterion                       # by id or by name (内容完整)
    parse_score(scale, value) -> float                             # RubricError names the valid values
    annotation_scale(rubric=None) -> Scale                         # an annotation's score: the 0–5 points scale
    parse_annotation_score(value, rubric=None) -> float | None
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass

from desktop.review.checks import run_checks
from desktop.review.findings import Evidence, Finding
from desktop.review.library import ReviewLibrary, ScoreRecord
from desktop.review.rubric import Rubric, RubricError, Scale, load_rubric, weighted_total

CHECKS_VERSION = "3"  # raise when the checks' logic changes, so stored results are recomputed


def check_stored(repo: ReviewLibrary, report_id: int, rubric: Rubric | None = None) -> list[Finding]:
    return run_checks(repo.reports.reading(report_id), rubric or load_rubric())


_HASHED: dict[int, tuple[Rubric, str]] = {}  # id(rubric) -> (the rubric, kept alive so the id stays its own; hash)


def rubric_hash(rubric: Rubric) -> str:
    """What the checks' results depend on in the rubric: criteria (which checks inform which) and parameters.
    Worked out once per rubric object (load_rubric returns the same object for the same file): a batch import
    asks for it per report."""
    known = _HASHED.get(id(rubric))
    if known is not None and known[0] is rubric:
        return known[1]
    crit = [(c.id, c.checks) for c in rubric.criteria]
    blob = json.dumps([CHECKS_VERSION, crit, rubric.params], ensure_ascii=False, sort_keys=True, default=str)
    digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
    if len(_HASHED) > 64:  # rubrics edited and reloaded many times in a long desk session
        _HASHED.clear()
    _HASHED[id(rubric)] = (rubric, digest)
    return digest


def findings_for(repo: ReviewLibrary, report_id: int, rubric: Rubric | None = None) -> list[Finding]:
    """The checks of a stored report, from the stored results when they are of this reading and rubric."""
    rubric = rubric or load_rubric()
    key, stamp = rubric_hash(rubric), repo.checks.check_stamp(report_id)
    stored = repo.checks.stored_check_result(report_id, key)
    if stored is not None and stored[0] == stamp:
        return [_finding(d) for d in stored[1]]
    findings = check_stored(repo, report_id, rubric)
    repo.checks.save_check_result(report_id, key, stamp, [f.to_dict() for f in findings])
    return findings


def save_findings(repo: ReviewLibrary, report_id: int, findings: list[dict], rubric: Rubric | None = None) -> None:
    """Store findings computed on the reading a report was just stored with (batch import: checked by the worker
    that read it), under the report's current stamp, so findings_for finds them without running the checks."""
    rubric = rubric or load_rubric()
    repo.checks.save_check_result(report_id, rubric_hash(rubric), repo.checks.check_stamp(report_id), findings)


def refresh_findings(repo: ReviewLibrary, rubric: Rubric | None = None, report_ids=None, progress=None) -> int:
    """Compute and store the checks of reports that have none for this rubric (or of `report_ids`)."""
    rubric = rubric or load_rubric()
    ids = list(report_ids) if report_ids is not None else repo.checks.stale_check_reports(rubric_hash(rubric))
    for n, rid in enumerate(ids):
        findings_for(repo, rid, rubric)
        if progress is not None and progress(n + 1, len(ids)) is False:
            break
    return len(ids)


def _finding(d: dict) -> Finding:
    return Finding(d["check"], d["title"], d["result"], d["explanation"], tuple(d["criteria"]),
                   tuple(Evidence(**e) for e in d["evidence"]), d["data"])




def scores_of(repo: ReviewLibrary, report_id: int, reviewer: str | None = None,
              rubric: Rubric | None = None) -> dict[str, ScoreRecord]:
    """criterion id -> score record: one reviewer's, or (None) the team's — with several reviewers their mean,
    rounded to the criterion's scale step so totals and letters can use it, the newest comment, all names."""
    records = repo.scores.rubric_scores(report_id, reviewer=reviewer)
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


def set_score(repo: ReviewLibrary, report_id: int, criterion_id: str, value, comment=None, who=None,
              rubric: Rubric | None = None) -> ScoreRecord:
    rubric = rubric or load_rubric()
    criterion = rubric.criterion(criterion_id)
    score = None if value is None or value == "" else parse_score(criterion.scale, value)
    return repo.scores.set_rubric_score(report_id, criterion_id, score, comment, who)


def find_criterion(rubric: Rubric, ref: str):
    """A criterion by its id (overall) or its name (总体评价); the error lists what there is."""
    ref = str(ref).strip()
    for c in rubric.criteria:
        if ref in (c.id, c.name):
            return c
    known = "；".join(f"{c.id}（{c.name}）" for c in rubric.criteria)
    raise RubricError(f"评分表中没有评分项“{ref}”，可用的评分项：{known}")


def valid_values(scale: Scale) -> str:
    """What a reviewer may write on a scale, as one Chinese phrase: 优、良、中、差 / 0–5（步长 0.5）."""
    if scale.levels:
        return "、".join(label for label, _ in scale.levels)
    step = f"（步长 {scale.step:g}）" if scale.step else ""
    return f"{scale.min:g}–{scale.max:g}{step}"


def parse_score(scale: Scale, value) -> float:
    """A score on `scale` as stored; off the scale: RubricError that says which values are valid."""
    try:
        return scale.parse(value)
    except RubricError as exc:
        raise RubricError(f"{exc}；可填：{valid_values(scale)}") from None


def annotation_scale(rubric: Rubric | None = None) -> Scale:
    """An annotation's score is on the rubric's points scale (0–5 in the bundled rubric)."""
    return (rubric or load_rubric()).scales["points"]


def parse_annotation_score(value, rubric: Rubric | None = None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_score(annotation_scale(rubric), value)


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
    scale: Scale | None = None  # how a score is read out: 优/良/中/差 on a rated criterion, else the number

    @property
    def reviewers(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.scores)

    def shown(self, value: float | None) -> str:
        """A score as the reviewer gave it: the level's word (优) on a rated criterion, else the number."""
        if value is None:
            return ""
        if self.scale is None:
            return f"{value:g}"
        word = self.scale.display(value)
        if word != f"{value:g}" or not self.scale.levels:
            return word
        below = [label for label, v in self.scale.levels if v < value]
        above = [label for label, v in self.scale.levels if v > value]
        # a mean between two levels: the number, and the words either side (3.5 is 良～优)
        return f"{value:g}（{below[0]}～{above[-1]}）" if below and above else word

    def who_text(self) -> str:
        return "，".join(f"{name} {self.shown(score)}" for name, score in self.scores)


def score_summary(repo: ReviewLibrary, report_id: int, rubric: Rubric | None = None) -> list[CriterionSummary]:
    """Every criterion of the rubric with all reviewers' scores of one report: mean, spread, who, disagreement."""
    return _summarise(rubric or load_rubric(), repo.scores.rubric_scores(report_id))


def score_summaries(repo: ReviewLibrary, rubric: Rubric | None = None, report_ids=None, records=None
                    ) -> dict[int, list[CriterionSummary]]:
    """score_summary of many reports (all when None) in one read (or of `records` already read: the overview reads
    them once for this and team_scores): for the overview and the comparison workbook."""
    rubric = rubric or load_rubric()
    by_report: dict[int, list] = {}
    for rec in repo.scores.all_rubric_scores(report_ids) if records is None else records:
        by_report.setdefault(rec.report_id, []).append(rec)
    return {rid: _summarise(rubric, recs) for rid, recs in by_report.items()}


def team_scores(repo: ReviewLibrary, rubric: Rubric | None = None, report_ids=None,
                records=None) -> dict[int, dict[str, float]]:
    """Every report's (or `report_ids`') team score per criterion in one read (the overview, the comparison
    workbook): what scores_of(repo, report) gives — one reviewer's score, or the reviewers' mean on the scale's step."""
    rubric = rubric or load_rubric()
    values: dict[int, dict[str, list[float]]] = {}
    for rec in repo.scores.all_rubric_scores(report_ids) if records is None else records:
        if rec.score is not None:
            values.setdefault(rec.report_id, {}).setdefault(rec.criterion_id, []).append(rec.score)
    return {rid: {cid: (v[0] if len(v) == 1 else _on_scale(rubric, cid, sum(v) / len(v))) for cid, v in crit.items()}
            for rid, crit in values.items()}


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
                                    spread is not None and spread > threshold + 1e-9, c.scale))
    return out
