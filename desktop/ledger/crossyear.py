"""The ledger's 跨年对照 sheet (last year's plans against this report) and 指标年度对比 sheet with a chart.

`collect(repo, reports)` gathers, for each exported report whose unit has the previous year's report in the
library, the follow-up rows and the unit's indicators over the years; `write(wb, blocks)` adds the sheets.
"""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from desktop.followup.indicators import IndicatorTable, unit_indicators
from desktop.followup.service import FollowUp, compare_stored, earlier_for
from desktop.ledger.cells import needs_quote_prefix, row_height, safe_sheet_name, safe_text
from desktop.ledger.styles import BORDER, HEADER_FILL, body_font, heading_font, put_text, setup_print, style_cell

SHEET_FOLLOWUP = "跨年对照"
SHEET_TRENDS = "指标年度对比"
FOLLOWUP_HEADERS = ("序号", "上年安排", "任务类别", "自动结论", "确定性", "判断理由", "得分", "本年报告中的依据", "审阅结论",
                    "结论批注", "台账完成状态")
_WIDTHS = (6, 44, 18, 10, 8, 30, 7, 50, 10, 22, 12)
_STATUS_FILLS = {"待确认": PatternFill("solid", fgColor="FFE8CC"), "已确认": PatternFill("solid", fgColor="CFE2FF")}
VERDICT_FILLS = {"未提及": PatternFill("solid", fgColor="F8D7DA"), "部分体现": PatternFill("solid", fgColor="FFF3CD"),
                 "已体现": PatternFill("solid", fgColor="D4EDDA")}
MAX_EVIDENCE_CHARS = 600


@dataclass(frozen=True)
class CrossYearBlock:
    label: str  # the later report
    followup: FollowUp
    indicators: IndicatorTable


def collect(repo, reports) -> list[CrossYearBlock]:
    """A block for each report whose unit's previous-year report (or 工作要点) is in the library."""
    blocks = []
    for report in reports:
        earlier_id = earlier_for(repo, report.id)
        if earlier_id is None:
            continue
        blocks.append(CrossYearBlock(report.title or report.file_name, compare_stored(repo, earlier_id, report.id),
                                     unit_indicators(repo, report.id)))
    return blocks


def write(wb, blocks: list[CrossYearBlock]) -> None:
    """Add 跨年对照 and 指标年度对比 to the workbook (nothing when no report has an earlier year)."""
    if not blocks:
        return
    _followup_sheet(wb, blocks)
    _trends_sheet(wb, blocks)


def _header(ws, row: int, headers) -> None:
    for i, h in enumerate(headers, 1):
        style_cell(ws.cell(row, i, h), font=heading_font(11), fill=HEADER_FILL, border=BORDER,
                   align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.row_dimensions[row].height = 28


def _put(ws, row: int, col: int, value, *, center=False, fill=None):
    if isinstance(value, str):
        value = safe_text(value)
    cell = ws.cell(row, col)
    if isinstance(value, str):
        put_text(cell, value)  # report text is never a formula
    else:
        cell.value = value
    quote = isinstance(value, str) and needs_quote_prefix(value)
    style_cell(cell, font=body_font(), border=BORDER, fill=fill, quote=quote,
               align=Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True))
    return cell


def _followup_sheet(wb, blocks) -> None:
    ws = wb.create_sheet(safe_sheet_name(SHEET_FOLLOWUP, wb.sheetnames))
    for i, w in enumerate(_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    row = 1
    for block in blocks:
        fu = block.followup
        counts = fu.counts()
        decided, _needing = fu.progress()
        sure = sum(r.certain and not r.confirmed for r in fu.rows)
        title = (f"{fu.earlier_title} 主要安排 → {fu.later_title}：共 {len(fu.rows)} 项，未提及 {counts['未提及']}，"
                 f"部分体现 {counts['部分体现']}，已体现 {counts['已体现']}（确定 {sure} 项，已确认 {decided} 项，"
                 f"待确认 {len(fu.pending())} 项）")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(FOLLOWUP_HEADERS))
        style_cell(ws.cell(row, 1, safe_text(title)), font=heading_font(12), border=None,
                   align=Alignment(horizontal="left", vertical="center", wrap_text=True))
        ws.row_dimensions[row].height = 32
        _header(ws, row + 1, FOLLOWUP_HEADERS)
        row += 2
        for n, r in enumerate(fu.rows, 1):
            values = (n, r.plan.text, r.plan.theme, r.plan.verdict, r.status, r.reason, round(r.plan.score, 2),
                      _evidence(r), r.decision or "", r.note or "", r.tracking_status or "")
            for col, value in enumerate(values, 1):
                fill = VERDICT_FILLS.get(value) if col in (4, 9) else _STATUS_FILLS.get(value) if col == 5 else None
                _put(ws, row, col, value, center=col in (1, 4, 5, 7, 9, 11), fill=fill)
            ws.row_dimensions[row].height = min(row_height(list(values), _WIDTHS), 400)
            row += 1
        row += 1
    ws.freeze_panes = "A3" if len(blocks) == 1 else None
    setup_print(ws, title_rows="2:2", area=f"A1:{get_column_letter(len(FOLLOWUP_HEADERS))}{max(row - 1, 1)}")


def _evidence(r) -> str:
    """The remarks in 【】 (…出庭应诉率：安排 100%，本年 97.5%), then the evidence; a task to confirm without evidence
    shows the later report's nearest passages to check it against."""
    notes = [f"【{n}】" for n in r.plan.remarks]
    lines = [*notes, *(e.text for e in r.plan.evidence)]
    if not r.plan.evidence and not r.settled and r.plan.nearest:
        lines += ["【相近段落，待核对】", *(n.text for n in r.plan.nearest)]
    return "\n".join(lines)[:MAX_EVIDENCE_CHARS] or "—"


def _trends_sheet(wb, blocks) -> None:
    ws = wb.create_sheet(safe_sheet_name(SHEET_TRENDS, wb.sheetnames))
    row, chart_row = 1, 0
    seen_units = set()
    for block in blocks:
        table = block.indicators
        if table.unit_name in seen_units or not table.rows:
            continue
        seen_units.add(table.unit_name)
        years = list(table.years)
        headers = ["指标", "单位", *[f"{y}年" for y in years], *[f"{y}年变化" for y in years[1:]]]
        ws.cell(row, 1, safe_text(f"{table.unit_name} 指标年度对比"))
        style_cell(ws.cell(row, 1), font=heading_font(12), border=None, align=Alignment(vertical="center"))
        _header(ws, row + 1, headers)
        first = row + 2
        ordered = sorted(table.rows, key=lambda ind: not ind.is_rate)
        for r_i, ind in enumerate(ordered):
            r = first + r_i
            _put(ws, r, 1, ind.label)
            _put(ws, r, 2, "%" if ind.is_rate else ind.unit, center=True)
            for c, y in enumerate(years, 3):
                yv = ind.values.get(y)
                _put(ws, r, c, yv.value if yv else None, center=True)
            for c, y in enumerate(years[1:], 3 + len(years)):
                _put(ws, r, c, ind.change_text(y) or "—", center=True)
        last = first + len(table.rows) - 1
        rates = sum(1 for ind in ordered if ind.is_rate)  # rates come first: one scale, one chart
        if rates:
            chart = BarChart()
            chart.type = "col"
            chart.title = f"{table.unit_name} 主要比率指标（%）"
            chart.y_axis.title = "%"
            chart.height, chart.width = 7.5, 16
            chart.add_data(Reference(ws, min_col=3, max_col=2 + len(years), min_row=first, max_row=first + rates - 1))
            for series, y in zip(chart.series, years):
                series.tx = SeriesLabel(v=f"{y}年")
            chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=first + rates - 1))
            ws.add_chart(chart, f"{get_column_letter(len(headers) + 2)}{row}")
            chart_row = row + 16
        row = max(last + 3, chart_row)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 7
    for c in range(3, 12):
        ws.column_dimensions[get_column_letter(c)].width = 13
    setup_print(ws, title_rows="1:1", area=f"A1:{get_column_letter(11)}{max(row, 1)}")
