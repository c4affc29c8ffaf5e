"""The comparison workbook (汇总): overview with per-criterion scores and rank, a findings matrix, and charts.

API:
    export_summary(repo, path, year=None, rubric=None) -> {"reports": n, "path": path}
Sheets: 报告汇总 (the overview's columns, each criterion's score, the rank), 检查结果 (reports × checks,
通过/提醒/未通过 coloured), 图表 (scores by unit; check results per unit, stacked; reports on time vs late),
评分分歧 when reports have several reviewers (each one's score, mean, spread, 分歧 — season/reviewers_sheet.py).
Every sheet prints on A4 landscape, one page wide, headers repeated. Cells go through the Excel kit's sanitiser (desktop/excel).
"""
from __future__ import annotations

import io
import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from desktop.excel.styles import setup_print
from desktop.excel.rows import FIXED_ROW_PT, SheetRows, sheet_title
from desktop.excel.xmlrows import splice
from desktop.review.checks import CHECK_IDS
from desktop.review.findings import RESULT_LABELS, TITLES
from desktop.review.rubric import Rubric, load_rubric
from desktop.review.service import refresh_findings
from desktop.season.overview import COLUMNS, overview, ranks, row_values
from desktop.season.printing import CM_PER_PT, balanced_breaks, fixed_scale, page_height_pt
from desktop.season.reviewers_sheet import reviewers_sheet

SHEET_SUMMARY, SHEET_MATRIX, SHEET_CHARTS = "报告汇总", "检查结果", "图表"
RESULT_FILLS = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE", "unknown": "EDEDED"}
_BARS_PER_CHART = 25  # at most this many reports in one bar chart: 0.6 cm a bar, the chart whole on one page
_WIDE = {"unit": 26, "published": 12, "report_type": 10, "status": 9, "reviewer": 10, "assigned": 12, "disagree": 30}


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
    sheets = [_summary_sheet(wb.active, rows, rank, rubric, scope),
              _matrix_sheet(wb.create_sheet(SHEET_MATRIX), rows, scope),
              _charts_sheet(wb.create_sheet(SHEET_CHARTS), rows, scope),
              reviewers_sheet(wb, repo, rows, rubric, scope)]  # 评分分歧 when several reviewers (issue 14)
    buf = io.BytesIO()
    wb.save(buf)
    data = splice(buf.getvalue(), {r.ws.path.lstrip("/"): r.spliced()[1:] for r in sheets if r is not None})
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return {"reports": len(rows), "path": str(path)}


def _summary_sheet(ws, rows, rank, rubric: Rubric, scope: str) -> SheetRows:
    ws.title = SHEET_SUMMARY
    headers = ["排名"] + [h for _, h in COLUMNS] + [f"{c.name}（{c.weight:g}）" for c in rubric.criteria] + ["报告标题"]
    widths = [6] + [_WIDE.get(k, 8) for k, _ in COLUMNS] + [10] * len(rubric.criteria) + [30]
    # printed two pages wide: the title spans the columns that surely print on the first page, so it is never cut
    first_page = next((i for i in range(1, len(widths) + 1) if sum(widths[:i]) > 0.45 * sum(widths)), len(widths))
    sheet_title(ws, f"法治政府建设年度报告审阅汇总（{scope}，共 {len(rows)} 份）", max(first_page - 1, 2))
    out = SheetRows(ws, widths)
    out.header(headers)
    for row in rows:
        values = row_values(row)
        cells = [(rank.get(row.report_id, ""), False, None)]
        for key, _ in COLUMNS:
            fill = "FFC7CE" if key == "on_time" and row.on_time is False else None
            cells.append((values[key], key == "unit", fill))
        for crit in rubric.criteria:
            score = row.scores.get(crit.id)
            cells.append((crit.scale.display(score) if score is not None else "", False, None))
        cells.append((row.title or row.file_name, True, None))
        out.add(cells)
    ws.freeze_panes = "C3"
    setup_print(ws, title_rows="1:2", area=f"A1:{get_column_letter(len(headers))}{max(2, len(rows) + 2)}")
    _two_pages_wide(ws)
    return out


def _two_pages_wide(ws) -> None:
    """So many columns print too small on one page: two pages wide, 排名 and 单位 repeated on the second, each
    block of rows printed left half then right half (over, then down)."""
    ws.page_setup.fitToWidth = 2
    ws.print_title_cols = "A:B"
    ws.page_setup.pageOrder = "overThenDown"


def _paged(ws, out: SheetRows) -> None:
    """One page wide at a fixed scale, rows broken into balanced pages under the repeated title and header."""
    scale = fixed_scale(ws, out.widths)
    balanced_breaks(ws, out.heights[1:], page_height_pt(scale, 30 + out.heights[0][1]))


def _matrix_sheet(ws, rows, scope: str) -> SheetRows:
    headers = ["单位", "年度"] + [TITLES.get(c, c) for c in CHECK_IDS] + ["通过", "提醒", "未通过"]
    sheet_title(ws, f"审阅检查结果（{scope}）", len(headers))
    out = SheetRows(ws, [26, 7] + [9] * (len(headers) - 2))
    out.header(headers)
    for row in rows:
        cells = [(row.unit or "单位不详", True, None), (row.year or "", False, None)]
        for check in CHECK_IDS:
            result = row.results.get(check)
            cells.append((RESULT_LABELS.get(result, ""), False, RESULT_FILLS.get(result)))
        cells += [("" if n is None else n, False, None) for n in (row.n_pass, row.n_warn, row.n_fail)]
        out.add(cells)
    ws.freeze_panes = "C3"
    setup_print(ws, title_rows="1:2", area=f"A1:{get_column_letter(len(headers))}{max(2, len(rows) + 2)}")
    _paged(ws, out)
    return out


def _values_only(percent: bool = False) -> DataLabelList:
    """Labels with the value (and share) only: no series or category name cluttering the bars."""
    return DataLabelList(showVal=True, showPercent=percent, showSerName=False, showCatName=False,
                         showLegendKey=False, showLeaderLines=False)


def _charts_sheet(ws, rows, scope: str) -> SheetRows:
    """Chart data on the sheet (left), charts beside it; the data block prints as a table too."""
    sheet_title(ws, f"审阅汇总图表（{scope}）", 14)
    out = SheetRows(ws, [30, 9, 9, 9, 9])
    out.header(["单位（年度）", "加权总分", "通过", "提醒", "未通过"], fit=False)
    for row in rows:
        out.add([(_label(row), True, None), (round(row.score, 1) if row.score is not None else 0, False, None),
                 *((n or 0, False, None) for n in (row.n_pass, row.n_warn, row.n_fail))], fit=False)
    last = max(3, len(rows) + 2)
    timing_row = last + 2
    out.blank_to(timing_row)
    out.header(["公开时间", "报告数"], fit=False)
    annual = [r for r in rows if r.report_type == "年度报告"]
    timing = (("按时公开", sum(1 for r in annual if r.on_time)), ("逾期公开", sum(1 for r in annual if r.on_time is False)),
              ("日期不详", sum(1 for r in annual if r.on_time is None)))
    for label, n in timing:
        out.add([(label, True, None), (n, False, None)], fit=False)
    # Printed at a fixed scale, each chart below the last one when it fits in the rest of the page, else after a
    # page break: every chart whole on one page. At most _BARS_PER_CHART reports to a bar chart.
    setup_print(ws, title_rows="1:1", area="A1:P2")
    scale = fixed_scale(ws, [30, 9, 9, 9, 9] + [None] * 11)
    per_page = int(page_height_pt(scale, 30) // FIXED_ROW_PT) - 2  # two rows spare: the headers are taller
    chunks = max(1, math.ceil(len(rows) / _BARS_PER_CHART))
    size = math.ceil(len(rows) / chunks) if rows else 0
    pages = [(3 + k * size, min(2 + (k + 1) * size, last)) for k in range(chunks)]
    cursor = {"page": 0, "used": None}  # rows of the current page taken by charts (None: no page yet)

    def next_anchor(height_cm: float) -> str:
        """Below the last chart when this one fits in the rest of its page, else at the top of a new page."""
        need = math.ceil((height_cm + 0.5) / (FIXED_ROW_PT * CM_PER_PT))
        if cursor["used"] is None or cursor["used"] + need > per_page:
            if cursor["used"] is not None:
                ws.row_breaks.append(Break(id=1 + cursor["page"] * per_page))
            cursor["page"] += 1
            cursor["used"] = 0
        top = 2 + (cursor["page"] - 1) * per_page + cursor["used"]
        cursor["used"] += need
        return f"G{top}"

    def numbered(title: str, first: int, end: int) -> str:
        return title if chunks == 1 else f"{title}（第 {first - 2}–{end - 2} 位）"

    for first, end in pages:
        chart = _score_chart(ws, first, end, numbered("各单位加权总分", first, end))
        chart.height = _bars_height(end - first + 1, per_page, scale)
        ws.add_chart(chart, next_anchor(chart.height))
    for first, end in pages:
        chart = _checks_chart(ws, first, end, numbered("各单位审阅检查结果", first, end))
        chart.height = _bars_height(end - first + 1, per_page, scale)
        ws.add_chart(chart, next_anchor(chart.height))
    pie = PieChart()
    pie.title = "按时公开与逾期"
    pie.add_data(Reference(ws, min_col=2, min_row=timing_row, max_row=timing_row + 3), titles_from_data=True)
    pie.set_categories(Reference(ws, min_col=1, min_row=timing_row + 1, max_row=timing_row + 3))
    pie.dataLabels = _values_only(percent=True)
    pie.height, pie.width = 7.5, 12
    ws.add_chart(pie, next_anchor(pie.height))
    ws.print_area = f"A1:P{max(1 + cursor['page'] * per_page, timing_row + 4)}"
    return out


def _score_chart(ws, first: int, end: int, title: str) -> BarChart:
    """加权总分 of the table's rows first..end, one bar each, first report on top (as in the table)."""
    chart = BarChart()
    chart.type, chart.title, chart.style = "bar", title, 10
    chart.series.append(Series(Reference(ws, min_col=2, min_row=first, max_row=end), title="加权总分"))
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=end))
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.y_axis.title, chart.legend = "分", None
    chart.x_axis.scaling.orientation = "maxMin"
    chart.width = 16
    chart.dataLabels = _values_only()
    return chart


def _checks_chart(ws, first: int, end: int, title: str) -> BarChart:
    """通过/提醒/未通过 of the table's rows first..end, stacked."""
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap, chart.title = "bar", "stacked", 100, title
    for col, name, colour in ((3, "通过", "70AD47"), (4, "提醒", "FFC000"), (5, "未通过", "C00000")):
        series = Series(Reference(ws, min_col=col, min_row=first, max_row=end), title=name)
        series.graphicalProperties.solidFill = colour
        chart.series.append(series)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=end))
    chart.x_axis.scaling.orientation = "maxMin"
    chart.width = 16
    return chart


def _bars_height(bars: int, per_page: int, scale: float) -> float:
    """A bar chart's height in cm: 0.6 cm a bar (at least 7.5 cm), never taller than a printed page holds."""
    room = per_page * FIXED_ROW_PT * CM_PER_PT - 1.0
    return min(max(7.5, 0.6 * bars + 3), room)
