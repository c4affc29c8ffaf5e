"""The 审阅评分 sheet of the ledger workbook: criteria, weights, check findings, the reviewer's scores, total.

API:
    write_review_sheet(workbook, report_title, rubric=None, findings=None, scores=None) -> Worksheet
        adds (or extends) the sheet 审阅评分 of an openpyxl Workbook with one block for the report.
        scores: criterion id -> number | level label | RubricScoreRecord (its comment and reviewer are shown).
    write_review_sheet(workbook, bundles)
        the ledger exporter's form: `bundles` are LedgerBundle objects (report + records + rubric_scores);
        the checks are run on each stored report and one block per report is written.
Text is always written as text: a value starting with = + - @ gets the quote prefix, never a formula.
"""
from __future__ import annotations

import re

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.review.findings import RESULT_LABELS
from desktop.review.rubric import Rubric, RubricError, load_rubric, scored_weight, weighted_total

SHEET = "审阅评分"
HEADERS = ("评分项", "说明", "权重", "量表", "自动检查结论", "评分", "加权得分", "评语", "评分人")
WIDTHS = (18, 40, 8, 12, 60, 8, 10, 30, 10)
DETAIL_HEADERS = ("检查", "结论", "说明", "涉及评分项", "证据")
CELL_LIMIT = 32000
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_RESULT_FILL = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE", "unknown": "EDEDED"}


def write_review_sheet(workbook, report_title, rubric: Rubric | None = None, findings=None, scores=None):
    if not isinstance(report_title, str) and report_title is not None:
        return _write_bundles(workbook, report_title, rubric)
    rubric = rubric or load_rubric()
    ws = _sheet(workbook)
    _block(ws, ws.max_row + 2 if ws.max_row > 1 else 1, report_title or "（未命名报告）", rubric,
           list(findings or []), dict(scores or {}))
    return ws


def _write_bundles(workbook, bundles, rubric: Rubric | None):
    from desktop.review.checks import run_checks
    from desktop.review.stored import reading_from_records

    rubric = rubric or load_rubric()
    ws = None
    for b in bundles:
        reading = reading_from_records(b.report, b.sections, b.indicators, b.work_items)
        scores = {s.criterion_id: s for s in getattr(b, "rubric_scores", ())}
        title = b.report.title or b.report.file_name
        ws = write_review_sheet(workbook, title, rubric, run_checks(reading, rubric), scores)
    return ws


def _sheet(workbook):
    if SHEET in workbook.sheetnames:
        return workbook[SHEET]
    ws = workbook.create_sheet(SHEET)
    for i, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return ws


def put(ws, row: int, col: int, value, *, bold=False, fill=None, wrap=True, border=True, number_format=None):
    """Write one cell; strings are cleaned, cut to the cell limit and never become formulas."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        if len(value) > CELL_LIMIT:
            value = value[:CELL_LIMIT] + "……"
        cell.value = value
        cell.data_type = "s"
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            cell.quotePrefix = True
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if border:
        cell.border = _BORDER
    if number_format:
        cell.number_format = number_format
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    return cell


def _score_parts(value):
    """(score, comment, reviewer) from a number, a label or a RubricScoreRecord."""
    if value is not None and hasattr(value, "criterion_id"):
        return value.score, value.comment, value.reviewer
    return value, None, None


def _block(ws, row: int, title: str, rubric: Rubric, findings: list, scores: dict) -> int:
    plain = {}
    for cid, value in scores.items():
        plain[cid] = _score_parts(value)[0]
    plain = {cid: v for cid, v in plain.items() if _valid(rubric, cid, v)}
    total = weighted_total(rubric, plain)
    put(ws, row, 1, f"审阅评分：{title}", bold=True, border=False, wrap=False)
    row += 1
    put(ws, row, 1, "评分表", bold=True)
    put(ws, row, 2, rubric.name)
    put(ws, row, 3, "加权总分", bold=True)
    put(ws, row, 4, total, number_format="0.00")
    put(ws, row, 5, f"满分 100；已评分项占权重 {scored_weight(rubric, plain):g}%（未评分项按 0 计）")
    row += 2
    for col, head in enumerate(HEADERS, 1):
        put(ws, row, col, head, bold=True, fill="DDEBF7")
    row += 1
    weight_sum = rubric.total_weight
    for c in rubric.criteria:
        mine = [f for f in findings if c.id in f.criteria]
        summary = "\n".join(f"【{RESULT_LABELS[f.result]}】{f.title}：{f.explanation}" for f in mine)
        score, comment, who = _score_parts(scores.get(c.id))
        score = score if _valid(rubric, c.id, score) else None
        weighted = round(100 * c.weight / weight_sum * c.scale.normalise(c.scale.parse(score)), 2) \
            if score is not None else None
        worst = _worst(mine)
        put(ws, row, 1, c.name, bold=True)
        put(ws, row, 2, c.description)
        put(ws, row, 3, c.weight, number_format="0.##")
        put(ws, row, 4, c.scale.name)
        put(ws, row, 5, summary or "（无自动检查，由审阅人判断）", fill=_RESULT_FILL.get(worst) if worst else None)
        put(ws, row, 6, c.scale.display(float(c.scale.parse(score))) if score is not None else "")
        put(ws, row, 7, weighted, number_format="0.00")
        put(ws, row, 8, comment or "")
        put(ws, row, 9, who or "")
        row += 1
    put(ws, row, 1, "合计", bold=True)
    for col in (2, 4, 5, 6, 8, 9):
        put(ws, row, col, "")
    put(ws, row, 3, weight_sum, number_format="0.##")
    put(ws, row, 7, total, bold=True, number_format="0.00")
    row += 2
    if findings:
        put(ws, row, 1, "检查明细", bold=True, border=False, wrap=False)
        row += 1
        for col, head in enumerate(DETAIL_HEADERS, 1):
            put(ws, row, col, head, bold=True, fill="DDEBF7")
        row += 1
        names = {c.id: c.name for c in rubric.criteria}
        for f in findings:
            put(ws, row, 1, f.title)
            put(ws, row, 2, RESULT_LABELS[f.result], fill=_RESULT_FILL[f.result])
            put(ws, row, 3, f.explanation)
            put(ws, row, 4, "、".join(names.get(c, c) for c in f.criteria))
            put(ws, row, 5, "\n".join(f"{e.note}：{e.quote}" if e.note else e.quote for e in f.evidence[:8]))
            row += 1
    return row


def _valid(rubric: Rubric, cid: str, value) -> bool:
    if value is None:
        return False
    try:
        rubric.criterion(cid).scale.parse(value)
    except RubricError:
        return False
    return True


def _worst(findings) -> str | None:
    order = ("fail", "warn", "unknown", "pass")
    results = {f.result for f in findings}
    return next((r for r in order if r in results), None)
