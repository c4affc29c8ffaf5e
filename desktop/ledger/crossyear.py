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
from desktop.followup.service import FollowUp, UnitIndex, compare_stored
from desktop.excel.cells import needs_quote_prefix, row_height, safe_sheet_name, safe_text
from desktop.excel.styles import (
    BORDER, HEADER_FILL, StyleIds, body_font, heading_font, put_text, setup_print, style_cell,
)
from desktop.excel.xmlrows import RowWriter

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
    """A block for each report whose unit's previous-year report (or 工作要点) is in the library.

    The library's units are indexed once and each unit's table built once, however many of its reports are
    exported; a table reads its reports' indicators and lets them go (nothing held across units: issue 27)."""
    index = UnitIndex.of(repo)
    tables: dict[tuple, IndicatorTable] = {}
    blocks = []
    for report in reports:
        earlier_id = index.earlier_id(report.id)
        if earlier_id is None:
            continue
        key = (tuple(r["id"] for r in index.same_unit(report.id)), report.issuer or report.title or report.file_name)
        if key not in tables:
            tables[key] = unit_indicators(repo, report.id, index=index)
        blocks.append(CrossYearBlock(report.title or report.file_name, compare_stored(repo, earlier_id, report.id),
                                     tables[key]))
    return blocks


def write(wb, blocks: list[CrossYearBlock]) -> list[tuple]:
    """Add 跨年对照 and 指标年度对比 to the workbook (nothing when no report has an earlier year).

    Returns (worksheet, RowWriter, dimension) for each sheet: the rows are spliced in after openpyxl saves, as the
    other sheets' are (one style id per kind of cell, no style objects per cell)."""
    if not blocks:
        return []
    return [_followup_sheet(wb, blocks), _trends_sheet(wb, blocks)]


class _Styles:
    """The few cell styles of the two sheets, registered once per sheet."""

    def __init__(self, ws):
        self.ids = StyleIds(ws)
        self.header = self.ids.of(font=heading_font(11), fill=HEADER_FILL, border=BORDER,
                                  align=Alignment(horizontal="center", vertical="center", wrap_text=True))
        self.block_title = self.ids.of(font=heading_font(12), border=None,
                                       align=Alignment(horizontal="left", vertical="center", wrap_text=True))
        self.unit_title = self.ids.of(font=heading_font(12), border=None, align=Alignment(vertical="center"))
        self._body: dict[tuple, int] = {}  # (centered, fill (one of VERDICT_FILLS or None), quote) -> id

    def body(self, *, center=False, fill=None, quote=False) -> int:
        key = (center, id(fill), quote)
        sid = self._body.get(key)
        if sid is None:
            sid = self._body[key] = self.ids.of(
                font=body_font(), border=BORDER, fill=fill, quote=quote,
                align=Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True))
        return sid


def _cell(styles: _Styles, value, *, center=False, fill=None) -> tuple:
    """(value, style id) as _put wrote it: report text never a formula, a quote prefix where Excel would read one."""
    if isinstance(value, str):
        value = safe_text(value)
    quote = isinstance(value, str) and needs_quote_prefix(value)
    return value, styles.body(center=center, fill=fill, quote=quote)


def _followup_sheet(wb, blocks) -> tuple:
    ws = wb.create_sheet(safe_sheet_name(SHEET_FOLLOWUP, wb.sheetnames))
    styles = _Styles(ws)
    for i, w in enumerate(_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ncol = len(FOLLOWUP_HEADERS)
    header = [(h, styles.header) for h in FOLLOWUP_HEADERS]
    rows = RowWriter(2)
    for b_no, block in enumerate(blocks):
        fu = block.followup
        counts = fu.counts()
        decided, _needing = fu.progress()
        sure = sum(r.certain and not r.confirmed for r in fu.rows)
        title = safe_text(f"{fu.earlier_title} 主要安排 → {fu.later_title}：共 {len(fu.rows)} 项，未提及 {counts['未提及']}，"
                          f"部分体现 {counts['部分体现']}，已体现 {counts['已体现']}（确定 {sure} 项，已确认 {decided} 项，"
                          f"待确认 {len(fu.pending())} 项）")
        if b_no == 0:  # openpyxl writes the first title (the frame needs one merge for the rows' merges to join)
            cell = ws.cell(1, 1)
            put_text(cell, title)
            style_cell(cell, font=heading_font(12), border=None,
                       align=Alignment(horizontal="left", vertical="center", wrap_text=True))
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
            ws.row_dimensions[1].height = 32
        else:
            r = rows.add([(title, styles.block_title)], height=32)
            rows.merges.append(f"A{r}:{get_column_letter(ncol)}{r}")
        rows.add(header, height=28)
        for n, r in enumerate(fu.rows, 1):
            values = (n, r.plan.text, r.plan.theme, r.plan.verdict, r.status, r.reason, round(r.plan.score, 2),
                      _evidence(r), r.decision or "", r.note or "", r.tracking_status or "")
            cells = [_cell(styles, value, center=col in (1, 4, 5, 7, 9, 11),
                           fill=VERDICT_FILLS.get(value) if col in (4, 9)
                           else _STATUS_FILLS.get(value) if col == 5 else None)
                     for col, value in enumerate(values, 1)]
            rows.add(cells, height=min(row_height(list(values), _WIDTHS), 400))
        rows.next_row += 1  # a blank row between blocks
    ws.freeze_panes = "A3" if len(blocks) == 1 else None
    last_col = get_column_letter(ncol)
    setup_print(ws, title_rows="2:2", area=f"A1:{last_col}{max(rows.last_row, 1)}")  # the blank row after the last block
    return ws, rows, f"A1:{last_col}{max(rows.last_row - 1, 1)}"


def _evidence(r) -> str:
    """The remarks in 【】 (…出庭应诉率：安排 100%，本年 97.5%), then the evidence; a task to confirm without evidence
    shows the later report's nearest passages to check it against."""
    notes = [f"【{n}】" for n in r.plan.remarks]
    lines = [*notes, *(e.text for e in r.plan.evidence)]
    if not r.plan.evidence and not r.settled and r.plan.nearest:
        lines += ["【相近段落，待核对】", *(n.text for n in r.plan.nearest)]
    return "\n".join(lines)[:MAX_EVIDENCE_CHARS] or "—"


def _trends_sheet(wb, blocks) -> tuple:
    ws = wb.create_sheet(safe_sheet_name(SHEET_TRENDS, wb.sheetnames))
    styles = _Styles(ws)
    rows = RowWriter(1)
    row, chart_row, width = 1, 0, 1
    seen_units = set()
    for block in blocks:
        table = block.indicators
        if table.unit_name in seen_units or not table.rows:
            continue
        seen_units.add(table.unit_name)
        years = list(table.years)
        headers = ["指标", "单位", *[f"{y}年" for y in years], *[f"{y}年变化" for y in years[1:]]]
        width = max(width, len(headers))
        rows.next_row = row
        rows.add([(safe_text(f"{table.unit_name} 指标年度对比"), styles.unit_title)])
        rows.add([(h, styles.header) for h in headers], height=28)
        first = row + 2
        ordered = sorted(table.rows, key=lambda ind: not ind.is_rate)
        for ind in ordered:
            cells = [_cell(styles, ind.label), _cell(styles, "%" if ind.is_rate else ind.unit, center=True)]
            for y in years:
                yv = ind.values.get(y)
                cells.append(_cell(styles, yv.value if yv else None, center=True))
            cells += [_cell(styles, ind.change_text(y) or "—", center=True) for y in years[1:]]
            rows.add(cells)
        last = first + len(table.rows) - 1
        rates = sum(1 for ind in ordered if ind.is_rate)  # rates come first: one scale, one chart
        if rates:
            _rate_chart(ws, table, years, first, rates, f"{get_column_letter(len(headers) + 2)}{row}")
            chart_row = row + 16
        row = max(last + 3, chart_row)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 7
    for c in range(3, 12):
        ws.column_dimensions[get_column_letter(c)].width = 13
    setup_print(ws, title_rows="1:1", area=f"A1:{get_column_letter(11)}{max(row, 1)}")
    return ws, rows, f"A1:{get_column_letter(width)}{max(rows.last_row, 1)}"


def _rate_chart(ws, table, years, first: int, rates: int, anchor: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = f"{table.unit_name} 主要比率指标（%）"
    chart.y_axis.title = "%"
    chart.height, chart.width = 7.5, 16
    chart.add_data(Reference(ws, min_col=3, max_col=2 + len(years), min_row=first, max_row=first + rates - 1))
    for series, y in zip(chart.series, years):
        series.tx = SeriesLabel(v=f"{y}年")
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=first + rates - 1))
    ws.add_chart(chart, anchor)
