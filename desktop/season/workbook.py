"""The comparison workbook (汇总): overview with per-criterion scores and rank, a findings matrix, and charts.

API:
    export_summary(repo, path, year=None, rubric=None) -> {"reports": n, "path": path}
Sheets: 报告汇总 (the overview's columns, each criterion's score, the rank), 检查结果 (reports × checks,
通过/提醒/未通过 coloured), 图表 (scores by unit; check results per unit, stacked; reports on time vs late),
评分分歧 when reports have several reviewers (each one's score, mean, spread, 分歧 — season/reviewers_sheet.py).
Every sheet prints on A4 landscape, one page wide, headers repeated. Cells go through the ledger's sanitiser.
"""
from __future__ import annotations

from copy import copy
from pathlib import Path
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from desktop.ledger.cells import row_height, safe_text
from desktop.ledger.styles import HEADER_FILL, body_font, heading_font, put_text, setup_print, style_cell
from desktop.review.checks import CHECK_IDS
from desktop.review.findings import RESULT_LABELS, TITLES
from desktop.review.rubric import Rubric, load_rubric
from desktop.review.service import refresh_findings
from desktop.season.overview import COLUMNS, overview, ranks, row_values
from desktop.season.reviewers_sheet import reviewers_sheet

SHEET_SUMMARY, SHEET_MATRIX, SHEET_CHARTS = "报告汇总", "检查结果", "图表"
RESULT_FILLS = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE", "unknown": "EDEDED"}
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_WIDE = {"unit": 26, "published": 12, "report_type": 10, "status": 9, "reviewer": 10}


class _Looks:
    """The workbook's few cell looks, each styled once; a cell takes a copy of the look's style ids (openpyxl's
    StyleArray) instead of new Font/Alignment/Fill objects that openpyxl hashes for every cell (issue 27)."""

    _books: WeakKeyDictionary = WeakKeyDictionary()

    def __init__(self, ws):
        self._ws = ws
        self._protos: dict[tuple, Cell] = {}

    @classmethod
    def of(cls, ws) -> _Looks:
        looks = cls._books.get(ws.parent)
        if looks is None:
            looks = cls._books[ws.parent] = cls(ws)
        return looks

    def apply(self, cell, key: tuple, make) -> None:
        proto = self._protos.get(key)
        if proto is None:
            proto = self._protos[key] = Cell(self._ws)  # detached: only registers the look with the workbook
            make(proto)
        cell._style = copy(proto._style)


def _title(ws, text: str, width: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = ws.cell(1, 1)
    put_text(cell, safe_text(text))
    style_cell(cell, font=heading_font(16), align=_CENTER, border=None)
    ws.row_dimensions[1].height = 30


def _header(ws, row: int, headers: list[str]) -> None:
    looks = _Looks.of(ws)
    for col, text in enumerate(headers, 1):
        cell = ws.cell(row, col)
        put_text(cell, safe_text(text))
        looks.apply(cell, ("header",), lambda c: style_cell(c, font=heading_font(), align=_CENTER, fill=HEADER_FILL))
    ws.row_dimensions[row].height = 32


def _put(ws, row: int, col: int, value, *, left=False, fill: str | None = None):
    cell = ws.cell(row, col)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
        quote = False
    else:
        put_text(cell, safe_text(value if value not in ("", None) else None))
        quote = bool(cell.quotePrefix)
    _Looks.of(ws).apply(cell, ("body", left, fill, quote), lambda c: style_cell(
        c, font=body_font(), align=_LEFT if left else _CENTER, quote=quote,
        fill=PatternFill("solid", fgColor=fill) if fill else None))
    return cell


def _fit(ws, widths: list[float], first: int, last: int) -> None:
    """Column widths, and row heights that show every wrapped cell whole (the ledger's measure).

    One pass over the rows' cells, as wide as `widths` (ws[r] per row made openpyxl scan the whole sheet)."""
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    lines = ws.iter_rows(min_row=first, max_row=last, min_col=1, max_col=len(widths), values_only=True)
    for r, values in enumerate(lines, first):
        ws.row_dimensions[r].height = row_height(list(values), widths)


def _label(row) -> str:
    return f"{row.unit or '单位不详'}（{row.year}）" if row.year else (row.unit or "单位不详")


def export_summary(repo, path, year: int | None = None, rubric: Rubric | None = None) -> dict:
    rubric = rubric or load_rubric()
    refresh_findings(repo, rubric)  # reports never checked under this rubric
    rows = overview(repo, year=year, rubric=rubric)
    rank = ranks(rows)
    rows = sorted(rows, key=lambda r: (rank.get(r.report_id, 10 ** 6), r.unit or "", r.year or 0))
    wb = Workbook()
    scope = f"{year}年度" if year else "全部年度"
    _summary_sheet(wb.active, rows, rank, rubric, scope)
    _matrix_sheet(wb.create_sheet(SHEET_MATRIX), rows, scope)
    _charts_sheet(wb.create_sheet(SHEET_CHARTS), rows, scope)
    reviewers_sheet(wb, repo, rows, rubric, scope)  # when reports have several reviewers (issue 14)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return {"reports": len(rows), "path": str(path)}


def _summary_sheet(ws, rows, rank, rubric: Rubric, scope: str) -> None:
    ws.title = SHEET_SUMMARY
    headers = ["排名"] + [h for _, h in COLUMNS] + [f"{c.name}（{c.weight:g}）" for c in rubric.criteria] + ["报告标题"]
    _title(ws, f"法治政府建设年度报告审阅汇总（{scope}，共 {len(rows)} 份）", len(headers))
    _header(ws, 2, headers)
    for i, row in enumerate(rows, 3):
        values = row_values(row)
        _put(ws, i, 1, rank.get(row.report_id, ""))
        for j, (key, _) in enumerate(COLUMNS, 2):
            fill = "FFC7CE" if key == "on_time" and row.on_time is False else None
            _put(ws, i, j, values[key], left=key == "unit", fill=fill)
        base = 2 + len(COLUMNS)
        for k, crit in enumerate(rubric.criteria):
            score = row.scores.get(crit.id)
            _put(ws, i, base + k, crit.scale.display(score) if score is not None else "")
        _put(ws, i, base + len(rubric.criteria), row.title or row.file_name, left=True)
    widths = [6] + [_WIDE.get(k, 8) for k, _ in COLUMNS] + [10] * len(rubric.criteria) + [30]
    _fit(ws, widths, 2, len(rows) + 2)
    ws.freeze_panes = "C3"
    setup_print(ws, title_rows="1:2", area=f"A1:{get_column_letter(len(headers))}{max(2, len(rows) + 2)}")


def _matrix_sheet(ws, rows, scope: str) -> None:
    headers = ["单位", "年度"] + [TITLES.get(c, c) for c in CHECK_IDS] + ["通过", "提醒", "未通过"]
    _title(ws, f"审阅检查结果（{scope}）", len(headers))
    _header(ws, 2, headers)
    for i, row in enumerate(rows, 3):
        _put(ws, i, 1, row.unit or "单位不详", left=True)
        _put(ws, i, 2, row.year or "")
        for j, check in enumerate(CHECK_IDS, 3):
            result = row.results.get(check)
            _put(ws, i, j, RESULT_LABELS.get(result, ""), fill=RESULT_FILLS.get(result))
        for k, n in enumerate((row.n_pass, row.n_warn, row.n_fail)):
            _put(ws, i, 3 + len(CHECK_IDS) + k, "" if n is None else n)
    _fit(ws, [26, 7] + [9] * (len(headers) - 2), 2, len(rows) + 2)
    ws.freeze_panes = "C3"
    setup_print(ws, title_rows="1:2", area=f"A1:{get_column_letter(len(headers))}{max(2, len(rows) + 2)}")


def _values_only(percent: bool = False) -> DataLabelList:
    """Labels with the value (and share) only: no series or category name cluttering the bars."""
    return DataLabelList(showVal=True, showPercent=percent, showSerName=False, showCatName=False,
                         showLegendKey=False, showLeaderLines=False)


def _charts_sheet(ws, rows, scope: str) -> None:
    """Chart data on the sheet (left), charts beside it; the data block prints as a table too."""
    _title(ws, f"审阅汇总图表（{scope}）", 14)
    _header(ws, 2, ["单位（年度）", "加权总分", "通过", "提醒", "未通过"])
    for i, row in enumerate(rows, 3):
        _put(ws, i, 1, _label(row), left=True)
        _put(ws, i, 2, round(row.score, 1) if row.score is not None else 0)
        for k, n in enumerate((row.n_pass, row.n_warn, row.n_fail)):
            _put(ws, i, 3 + k, n or 0)
    last = max(3, len(rows) + 2)
    timing_row = last + 2
    _header(ws, timing_row, ["公开时间", "报告数"])
    annual = [r for r in rows if r.report_type == "年度报告"]
    timing = (("按时公开", sum(1 for r in annual if r.on_time)), ("逾期公开", sum(1 for r in annual if r.on_time is False)),
              ("日期不详", sum(1 for r in annual if r.on_time is None)))
    for k, (label, n) in enumerate(timing, timing_row + 1):
        _put(ws, k, 1, label, left=True)
        _put(ws, k, 2, n)
    ws.column_dimensions["A"].width = 30
    for col in "BCDE":
        ws.column_dimensions[col].width = 9
    height = max(7.5, 0.6 * len(rows) + 3)  # cm: one bar per report stays readable
    cats = Reference(ws, min_col=1, min_row=3, max_row=last)
    scores = BarChart()
    scores.type, scores.title, scores.style = "bar", "各单位加权总分", 10
    scores.add_data(Reference(ws, min_col=2, min_row=2, max_row=last), titles_from_data=True)
    scores.set_categories(cats)
    scores.y_axis.scaling.min, scores.y_axis.scaling.max = 0, 100
    scores.y_axis.title, scores.legend = "分", None
    scores.x_axis.scaling.orientation = "maxMin"  # first report on top, as in the table
    scores.height, scores.width = height, 16
    scores.dataLabels = _values_only()
    ws.add_chart(scores, "G2")
    stacked = BarChart()
    stacked.type, stacked.grouping, stacked.overlap, stacked.title = "bar", "stacked", 100, "各单位审阅检查结果"
    stacked.add_data(Reference(ws, min_col=3, max_col=5, min_row=2, max_row=last), titles_from_data=True)
    stacked.set_categories(cats)
    stacked.x_axis.scaling.orientation = "maxMin"
    for series, colour in zip(stacked.series, ("70AD47", "FFC000", "C00000")):
        series.graphicalProperties.solidFill = colour
    stacked.height, stacked.width = height, 16
    ws.add_chart(stacked, f"G{2 + int(height * 2) + 2}")
    pie = PieChart()
    pie.title = "按时公开与逾期"
    pie.add_data(Reference(ws, min_col=2, min_row=timing_row, max_row=timing_row + 3), titles_from_data=True)
    pie.set_categories(Reference(ws, min_col=1, min_row=timing_row + 1, max_row=timing_row + 3))
    pie.dataLabels = _values_only(percent=True)
    pie.height, pie.width = 7.5, 12
    ws.add_chart(pie, f"A{timing_row + 5}")
    setup_print(ws, title_rows="1:1", area=f"A1:P{max(timing_row + 20, 2 + int(height * 4) + 6)}")
