"""The 审阅评分 sheet of the ledger workbook: criteria, weights, check findings, the reviewer's scores, total.

API:
    write_review_sheet(workbook, report_title, rubric=None, findings=None, scores=None) -> Worksheet
        adds (or extends) the sheet 审阅评分 of an openpyxl Workbook with one block for the report.
        scores: criterion id -> number | level label | RubricScoreRecord (its comment and reviewer are shown).
    write_review_rows(workbook, bundles, findings_of=None) -> (Worksheet, RowWriter, dimension) | None
        the exporter's form: one block per report, rows serialised by xmlrows (spliced after saving).
Every text goes through excel.cells.safe_text and is written as text (quote prefix when it starts with
= + - @), never as a formula.
"""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from desktop.excel.cells import needs_quote_prefix, row_height, safe_text
from desktop.excel.styles import StyleIds, setup_print
from desktop.excel.xmlrows import RowWriter
from desktop.review.findings import RESULT_LABELS
from desktop.review.rubric import Rubric, RubricError, load_rubric, scored_weight, weighted_total

SHEET = "审阅评分"
HEADERS = ("评分项", "说明", "权重", "量表", "自动检查结论", "评分", "加权得分", "评语", "评分人")
WIDTHS = (16, 30, 8, 12, 44, 7, 9, 20, 9)
DETAIL_HEADERS = ("检查", "说明", "结论", "涉及评分项", "证据")  # in columns whose widths suit them
HEAD_FILL = "D9D9D9"
RESULT_FILL = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE", "unknown": "EDEDED"}
MAX_EVIDENCE = 4  # quotes per finding: enough to find them, few enough that the row prints whole
EVIDENCE_CHARS = 80
MAX_ROW_HEIGHT = 409  # Excel's limit in points


class _Block:
    """Rows of one sheet as [(value, style id)], numbered from `start`."""

    def __init__(self, styles: StyleIds, start: int):
        self.styles, self.rows, self.start = styles, [], start

    def style(self, value, **kw) -> int:
        return self.styles.get(quote=isinstance(value, str) and needs_quote_prefix(value), **kw)

    def add(self, cells) -> None:
        out = []
        for value, kw in cells:
            value = safe_text(value) if isinstance(value, str) else value
            out.append((value, self.style(value, **kw)))
        self.rows.append(out)

    def blank(self) -> None:
        self.rows.append([])


def _sheet(workbook):
    if SHEET in workbook.sheetnames:
        return workbook[SHEET], True
    ws = workbook.create_sheet(SHEET)
    for i, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return ws, False


def _heights(cells) -> float:
    return min(MAX_ROW_HEIGHT, row_height([v for v, _ in cells], WIDTHS))


def write_review_sheet(workbook, report_title, rubric: Rubric | None = None, findings=None, scores=None):
    """One block on the sheet through openpyxl cells (for callers that save the workbook themselves)."""
    rubric = rubric or load_rubric()
    ws, existed = _sheet(workbook)
    start = ws.max_row + 2 if existed else 1
    block = _Block(StyleIds(ws), start)
    _block(block, report_title or "（未命名报告）", rubric, list(findings or []), dict(scores or {}))
    styles = workbook._cell_styles
    for r, cells in enumerate(block.rows, start):
        for c, (value, sid) in enumerate(cells, 1):
            cell = ws.cell(r, c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
            cell._style = styles[sid].__copy__()
        if cells:
            ws.row_dimensions[r].height = _heights(cells)
    _print(ws, start + len(block.rows) - 1)
    return ws


def write_review_rows(workbook, bundles, findings_of=None):
    """The exporter's form: one block per report; `findings_of(bundle)` gives its findings (checks run once)."""
    bundles = list(bundles)
    if not bundles:
        return None
    rubric = load_rubric()
    if findings_of is None:
        def findings_of(b):
            return bundle_findings(b, rubric)
    ws, _ = _sheet(workbook)
    block = _Block(StyleIds(ws), 1)
    for i, b in enumerate(bundles):
        if i:
            block.blank()
        scores = {s.criterion_id: s for s in getattr(b, "rubric_scores", ())}
        _block(block, b.report.title or b.report.file_name, rubric, list(findings_of(b)), scores)
    rows = RowWriter(1)
    for cells in block.rows:
        rows.add(cells, height=_heights(cells) if cells else None)
    last = max(rows.last_row, 1)
    _print(ws, last)
    return ws, rows, f"A1:{get_column_letter(len(HEADERS))}{last}"


def bundle_findings(bundle, rubric: Rubric | None = None) -> list:
    """The checks run on a bundle's records (once per report per export, when no stored results are at hand)."""
    from desktop.review.checks import run_checks
    from desktop.report.rebuild import reading_from_records

    b = bundle
    return run_checks(reading_from_records(b.report, b.sections, b.indicators, b.work_items), rubric or load_rubric())


def _print(ws, last: int) -> None:
    # each report's block has its own title and header: nothing to repeat on every page
    setup_print(ws, title_rows=None, area=f"A1:{get_column_letter(len(HEADERS))}{max(last, 1)}")


def _score_parts(value):
    """(score, comment, reviewer) from a number, a label or a RubricScoreRecord."""
    if value is not None and hasattr(value, "criterion_id"):
        return value.score, value.comment, value.reviewer
    return value, None, None


def _block(b: _Block, title: str, rubric: Rubric, findings: list, scores: dict) -> None:
    plain = {cid: _score_parts(v)[0] for cid, v in scores.items()}
    plain = {cid: v for cid, v in plain.items() if _valid(rubric, cid, v)}
    total = weighted_total(rubric, plain)
    b.add([(f"审阅评分：{title}", dict(heading=True, wrap=False, border=False))])
    b.add([("评分表", dict(bold=True)), (rubric.name, {}), ("加权总分", dict(bold=True)),
           (total, dict(number_format="0.00", centered=True)),
           (f"满分 100；已评分项占权重 {scored_weight(rubric, plain):g}%（未评分项按 0 计）", {})])
    b.blank()
    b.add([(h, dict(heading=True, fill=HEAD_FILL, centered=True)) for h in HEADERS])
    weight_sum = rubric.total_weight
    for c in rubric.criteria:
        mine = [f for f in findings if c.id in f.criteria]
        summary = "\n".join(f"【{RESULT_LABELS[f.result]}】{f.title}：{f.explanation}" for f in mine)
        score, comment, who = _score_parts(scores.get(c.id))
        score = score if _valid(rubric, c.id, score) else None
        weighted = round(100 * c.weight / weight_sum * c.scale.normalise(c.scale.parse(score)), 2) \
            if score is not None else None
        worst = _worst(mine)
        b.add([(c.name, dict(bold=True)), (c.description, {}), (c.weight, dict(number_format="0.##", centered=True)),
               (c.scale.name, dict(centered=True)),
               (summary or "（无自动检查，由审阅人判断）", dict(fill=RESULT_FILL.get(worst) or False)),
               (c.scale.display(float(c.scale.parse(score))) if score is not None else "", dict(centered=True)),
               (weighted, dict(number_format="0.00", centered=True)), (comment or "", {}), (who or "", {})])
    b.add([("合计", dict(bold=True)), ("", {}), (weight_sum, dict(number_format="0.##", centered=True)), ("", {}),
           ("", {}), ("", {}), (total, dict(bold=True, number_format="0.00", centered=True)), ("", {}), ("", {})])
    if findings:
        b.blank()
        b.add([("检查明细", dict(heading=True, wrap=False, border=False))])
        b.add([(h, dict(heading=True, fill=HEAD_FILL, centered=True)) for h in DETAIL_HEADERS])
        names = {c.id: c.name for c in rubric.criteria}
        for f in findings:
            quotes = [_clip(f"{e.note}：{e.quote}" if e.note else e.quote) for e in f.evidence[:MAX_EVIDENCE]]
            if len(f.evidence) > MAX_EVIDENCE:
                quotes.append(f"……另有 {len(f.evidence) - MAX_EVIDENCE} 处，见审阅台")
            b.add([(f.title, {}), (f.explanation, {}),
                   (RESULT_LABELS[f.result], dict(fill=RESULT_FILL[f.result], centered=True)),
                   ("、".join(names.get(c, c) for c in f.criteria), {}),
                   ("\n".join(quotes), {})])


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


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
