"""The 汇总 sheet of the office's workbook: the ledger-status table per 牵头单位 and a stacked bar chart."""
from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from desktop.ledger import layout
from desktop.excel.cells import column_width, row_height, safe_text
from desktop.ledger.status import HEADERS, STATUS_KEYS, LedgerStatus
from desktop.excel.styles import BORDER, HEADER_FILL, body_font, heading_font, put_text, setup_print, style_cell

_COLOURS = ("BFBFBF", "5B9BD5", "70AD47", "FF0000", "FFC000", "E7E6E6")  # one per STATUS_KEYS entry
_ROW_CM = 0.9  # chart height per unit


def write_summary(wb, status: LedgerStatus, title: str):
    """The table (title, header, one row per unit, a total) and below it a chart of statuses per unit."""
    ws = wb.create_sheet(layout.SHEET_SUMMARY)
    ncol = len(HEADERS)
    last_letter = get_column_letter(ncol)
    head = ws.cell(1, 1)
    put_text(head, safe_text(f"{title}——填报情况汇总（{status.round}）"))
    style_cell(head, font=heading_font(16), align=Alignment(horizontal="center", vertical="center"), border=None)
    ws.merge_cells(f"A1:{last_letter}1")
    ws.row_dimensions[1].height = 32
    for i, h in enumerate(HEADERS, 1):
        style_cell(ws.cell(2, i, h), font=heading_font(11), fill=HEADER_FILL, border=BORDER,
                   align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.row_dimensions[2].height = 30
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    r = 2
    for r, u in enumerate(status.units, 3):
        for i, v in enumerate(u.cells(), 1):
            cell = ws.cell(r, i)
            if isinstance(v, str):
                put_text(cell, safe_text(v))
            else:
                cell.value = v
            style_cell(cell, font=body_font(11), align=left if i in (1, ncol) else center,
                       number_format="0%" if HEADERS[i - 1] == "完成率" else None)
    last_unit_row = r
    total_row = r + 1
    for i, v in enumerate(status.total_cells(), 1):  # a task led by two units is one task here
        cell = ws.cell(total_row, i)
        if isinstance(v, str):
            put_text(cell, v)
        else:
            cell.value = v
        style_cell(cell, font=body_font(11, bold=True), align=left if i in (1, ncol) else center,
                   number_format="0%" if HEADERS[i - 1] == "完成率" else None)
    widths = [column_width([u.unit for u in status.units] + ["牵头单位"], minimum=12, maximum=24)]
    widths += [8] * (ncol - 2) + [column_width([u.returned_text for u in status.units], minimum=16, maximum=40)]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for r in range(3, total_row + 1):  # wrapped unit names and returns show whole
        cells = [ws.cell(r, 1).value, *([None] * (ncol - 2)), ws.cell(r, ncol).value]
        ws.row_dimensions[r].height = row_height(cells, widths)
    if status.units:
        _chart(ws, last_unit_row, total_row + 2)
    ws.freeze_panes = "B3"
    last_row = total_row + 2 + _chart_rows(len(status.units))
    setup_print(ws, title_rows="1:2", area=f"A1:{last_letter}{last_row}")
    return ws


def _chart_height(units: int) -> float:
    return max(7.0, units * _ROW_CM + 4)


def _chart_rows(units: int) -> int:
    """Rows the chart covers (default row height 15 pt ≈ 0.53 cm), so the print area holds all of it."""
    return int(_chart_height(units) / 0.5) + 2


def _chart(ws, last_unit_row: int, anchor_row: int) -> None:
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: long unit names stay readable
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "各牵头单位任务完成状态"
    chart.y_axis.title = "任务数"
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes unless told
    chart.x_axis.scaling.orientation = "maxMin"  # first unit on top, as in the table
    data = Reference(ws, min_col=3, max_col=2 + len(STATUS_KEYS), min_row=2, max_row=last_unit_row)
    cats = Reference(ws, min_col=1, min_row=3, max_row=last_unit_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    for series, colour in zip(chart.series, _COLOURS):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.legend.position = "b"
    chart.height = _chart_height(last_unit_row - 2)
    chart.width = 24.0
    ws.add_chart(chart, f"A{anchor_row}")
