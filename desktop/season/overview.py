"""The library overview (报告库): one row per report, aggregated by the store; shared by the desk, `summary` and the workbook.

API:
    overview(repo, year=None, rubric=None, report_ids=None) -> list[OverviewRow]
    COLUMNS                    # (key, Chinese header) in display order (kernel.labels.OVERVIEW_COLUMNS)
    row_values(row) -> dict    # key -> display value (Chinese), for tables and workbooks
    row_json(row) -> dict      # JSON-safe
    overview_index(repo, rubric=None, include_sample=True) -> list[IndexEntry]  # light: filter/sort/page keys
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from desktop.kernel.labels import OVERVIEW_COLUMNS, OVERVIEW_TABLE_COLUMNS, REPORT_REVIEW_STATUSES
from desktop.review.findings import RESULT_LABELS
from desktop.review.rubric import Rubric, load_rubric
from desktop.review.service import rubric_hash, score_summaries, team_scores
from desktop.store.identity import on_time

REVIEW_STATUSES, COLUMNS = REPORT_REVIEW_STATUSES, OVERVIEW_COLUMNS
TABLE_COLUMNS = OVERVIEW_TABLE_COLUMNS  # the desk's table and `summary`: 标题 beside 单位
HEADERS = dict(COLUMNS)
CORE_PARTS = 4


@dataclass(frozen=True)
class OverviewRow:
    report_id: int
    unit: str | None
    unit_id: int | None
    issuer: str | None
    level: str | None
    region: str | None
    year: int | None
    plan_year: int | None
    report_type: str | None
    published: str | None
    on_time: bool | None
    parts_found: int | None
    problems: int
    plans: int
    indicators: int
    n_pass: int | None
    n_warn: int | None
    n_fail: int | None
    n_unknown: int | None
    checks_stale: bool
    score: float | None
    status: str
    reviewer: str | None
    annotations: int
    title: str | None
    file_name: str
    results: dict = field(default_factory=dict)  # check id -> pass/warn/fail/unknown
    scores: dict = field(default_factory=dict)  # criterion id -> score (the team's: several reviewers' mean)
    assigned: str = ""  # 分工: the reviewers the report is assigned to
    disagree: str = ""  # criteria whose reviewers' scores differ by more than the rubric's threshold
    sample: bool = False  # the bundled sample (shown in the desk only, marked 示例)


def overview(repo, year: int | None = None, rubric: Rubric | None = None, report_ids=None, *,
             include_sample: bool = False) -> list[OverviewRow]:
    """Rows of the library's reports from stored counts, check results and scores (no report is re-read).
    The bundled sample is left out (the summary workbook and `summary`) unless `include_sample` (the desk)."""
    import json

    rubric = rubric or load_rubric()
    total_of = _scorer(rubric)
    records = repo.scores.all_rubric_scores(report_ids)  # read once for the team's scores and their disagreements
    scores = team_scores(repo, rubric, records=records)  # several reviewers: their mean on the scale
    assigned = repo.team.assignments()
    disagree = {rid: "、".join(c.name for c in summary if c.disagree)
                for rid, summary in score_summaries(repo, rubric, records=records).items()}
    n_criteria = len(rubric.criteria)
    out = []
    sample = repo.removal.sample_report_id()
    for r in repo.overview.overview_rows(rubric_hash(rubric), year=year, report_ids=report_ids):
        if r["id"] == sample and not include_sample:
            continue
        mine = scores.get(r["id"], {})
        status = _status(r, n_criteria)
        out.append(OverviewRow(
            report_id=r["id"], unit=r["unit_name"] or r["issuer"], unit_id=r["unit_id"], issuer=r["issuer"],
            level=r["level"], region=r["region"], year=r["report_year"], plan_year=r["plan_year"],
            report_type=r["report_type"], published=r["published"],
            on_time=on_time(r["published"], r["report_year"]) if r["report_type"] == "年度报告" else None,
            parts_found=r["parts_found"], problems=r["problems"], plans=r["plans"], indicators=r["indicators"],
            n_pass=r["n_pass"], n_warn=r["n_warn"], n_fail=r["n_fail"], n_unknown=r["n_unknown"],
            checks_stale=bool(r["checks_stale"]), score=total_of(mine) if mine else None, status=status,
            reviewer=r["reviewer"], annotations=r["annotations"], title=r["title"], file_name=r["file_name"],
            results=json.loads(r["results"]) if r["results"] else {}, scores=mine,
            assigned="、".join(assigned.get(r["id"], [])), disagree=disagree.get(r["id"], ""),
            sample=r["id"] == sample))
    return out


def _status(r, n_criteria: int) -> str:
    return r["review_status"] or ("已审" if n_criteria and r["scored"] >= n_criteria
                                  else "审阅中" if r["annotations"] or r["scored"] else "待审")


@dataclass(frozen=True)
class IndexEntry:
    """What the desk's table filters and sorts on before (or without) building a report's full row."""
    report_id: int
    unit: str | None
    issuer: str | None
    level: str | None
    region: str | None
    year: int | None
    report_type: str | None
    published: str | None
    status: str
    annotations: int
    title: str | None
    file_name: str
    has_results: bool
    sample: bool

    def values(self) -> dict:
        """The display values of the columns the index knows (the same as row_values gives)."""
        return {"unit": self.unit or "（单位不详）", "level": self.level or "", "year": self.year or "",
                "report_type": self.report_type or "", "published": self.published or "", "status": self.status,
                "annotations": self.annotations,
                "title": ("【示例】" if self.sample else "") + (self.title or self.file_name or "")}


def overview_index(repo, rubric: Rubric | None = None, *, include_sample: bool = True) -> list[IndexEntry]:
    """The light index of the overview (every report, its order): one short query, no scores or checks read."""
    rubric = rubric or load_rubric()
    n_criteria, sample = len(rubric.criteria), repo.removal.sample_report_id()
    return [IndexEntry(r["id"], r["unit_name"] or r["issuer"], r["issuer"], r["level"], r["region"],
                       r["report_year"], r["report_type"], r["published"], _status(r, n_criteria), r["annotations"],
                       r["title"], r["file_name"], bool(r["has_results"]), r["id"] == sample)
            for r in repo.overview.overview_index(rubric_hash(rubric)) if include_sample or r["id"] != sample]


def _scorer(rubric: Rubric):
    """review.service.total_of for many reports: each (criterion, value) parsed once, not once per report."""
    weights = {c.id: c for c in rubric.criteria}
    parts: dict[tuple[str, float], float | None] = {}

    def part(cid: str, value) -> float | None:
        key = (cid, value)
        if key not in parts:
            crit = weights.get(cid)
            try:
                parts[key] = crit.weight * crit.scale.normalise(crit.scale.parse(value)) if crit else None
            except Exception:  # noqa: BLE001 - a score off an adapted rubric's scale counts as unscored
                parts[key] = None
        return parts[key]

    def total(scores: dict) -> float:
        got = (part(cid, v) for cid, v in scores.items())
        return round(100.0 * sum(x for x in got if x is not None) / rubric.total_weight, 2)

    return total


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def row_values(row: OverviewRow) -> dict:
    """Display values of the overview's columns (what the table, `summary` and the workbook show)."""
    return {
        "unit": row.unit or "（单位不详）", "level": row.level or "", "year": row.year or "",
        "report_type": row.report_type or "", "published": row.published or "", "on_time": _yes_no(row.on_time),
        "parts_found": "" if row.parts_found is None else f"{row.parts_found}/{CORE_PARTS}",
        "problems": row.problems, "plans": row.plans, "indicators": row.indicators,
        "n_pass": "" if row.n_pass is None else row.n_pass, "n_warn": "" if row.n_warn is None else row.n_warn,
        "n_fail": "" if row.n_fail is None else row.n_fail,
        "score": "" if row.score is None else round(row.score, 1), "status": row.status,
        "reviewer": row.reviewer or "", "annotations": row.annotations,
        "assigned": row.assigned, "disagree": row.disagree,
        "title": ("【示例】" if row.sample else "") + (row.title or row.file_name or ""),
    }


def row_json(row: OverviewRow) -> dict:
    d = asdict(row)
    d["results_labels"] = {k: RESULT_LABELS.get(v, v) for k, v in row.results.items()}
    if d["score"] is not None:
        d["score"] = round(d["score"], 2)
    return d


def ranks(rows: list[OverviewRow]) -> dict[int, int]:
    """Rank by weighted score (1 = best; ties share a rank); unscored reports have none."""
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: -r.score)
    out, last, rank = {}, None, 0
    for n, r in enumerate(scored, 1):
        if r.score != last:
            rank, last = n, r.score
        out[r.report_id] = rank
    return out
