"""Print layout of the comparison workbook: a fixed scale that fits the page width, and page breaks chosen here so
pages are balanced and every chart is whole on one page (issue 24: with 40 reports a chart was cut at a page foot)."""
from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

CM_PER_PT = 2.54 / 72
# A4 landscape inside the margins styles.setup_print sets (0.4" left/right, 0.6" top, 0.7" bottom).
PRINT_WIDTH_CM = 29.7 - 2 * 0.4 * 2.54
PRINT_HEIGHT_CM = 21.0 - (0.6 + 0.7) * 2.54 - 0.3  # a little room for the footer's baseline
DEFAULT_COLUMN_WIDTH = 8.43  # what a spreadsheet shows for a column without a width


WIDTH_MARGIN = 1.3  # LibreOffice draws columns about a fifth wider than Excel's pixel formula; room to spare


def column_cm(width: float | None) -> float:
    """A column's printed width at 100 %: Excel's width in characters as pixels at 96 dpi, with WIDTH_MARGIN."""
    return int((width or DEFAULT_COLUMN_WIDTH) * 7 + 5) / 96 * 2.54 * WIDTH_MARGIN


def fixed_scale(ws, widths: Sequence[float | None]) -> float:
    """Print at the largest whole percentage that fits these columns on the page's width (at most 100 %).

    A fixed scale, not "fit to page": spreadsheets ignore manual page breaks under fit-to-page."""
    scale = max(10, min(100, math.floor(PRINT_WIDTH_CM / sum(column_cm(w) for w in widths) * 100)))
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_setup.scale = scale
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
    return scale / 100


def page_height_pt(scale: float, repeated_pt: float) -> float:
    """How many points of rows (at 100 %) one printed page holds below the repeated title rows."""
    return PRINT_HEIGHT_CM / CM_PER_PT / scale - repeated_pt


def balanced_breaks(ws, heights: list[tuple[int, float]], room_pt: float) -> list[int]:
    """Row breaks so each page holds about the same height of rows (no page with a lone tail of two rows);
    `heights`: (row, points) of the rows that flow, in order. Returns the first row of each page after the first."""
    total = sum(h for _, h in heights)
    pages, used = 1, 0.0
    for _, h in heights:  # how many pages filling greedily takes
        if used + h > room_pt and used:
            pages, used = pages + 1, 0.0
        used += h
    target = total / pages
    starts: list[int] = []
    used = 0.0
    for row, h in heights:
        if used and (used + h > room_pt or (used >= target - h / 2 and len(starts) < pages - 1)):
            starts.append(row)
            ws.row_breaks.append(Break(id=row - 1))
            used = 0.0
        used += h
    return starts
