"""A sheet's rows under a merged title (the comparison workbook's sheets): fitted heights, one style id per look."""
from __future__ import annotations

from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from desktop.excel.cells import needs_quote_prefix, row_height, safe_text
from desktop.excel.styles import HEADER_FILL, StyleIds, body_font, heading_font, put_text, style_cell
from desktop.excel.xmlrows import RowWriter

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
FIXED_ROW_PT = 16.0  # a row added with fit=False: a known height, so the page breaks a caller plans land right


def sheet_title(ws, text: str, width: int) -> None:
    """Row 1: `text` in 16pt 黑体, centred over the first `width` columns, 30 points tall."""
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = ws.cell(1, 1)
    put_text(cell, safe_text(text))
    style_cell(cell, font=heading_font(16), align=CENTER, border=None)
    ws.row_dimensions[1].height = 30


class SheetRows:
    """A sheet's rows under its title (openpyxl writes the title, charts and print settings): serialised with one
    style id per look and spliced in after saving (issue 27: no style objects per cell, no rescans of the sheet)."""

    def __init__(self, ws, widths: list[float]):
        self.ws, self.widths = ws, widths
        self.writer = RowWriter(2)
        self.heights: list[tuple[int, float]] = []  # (row, points) of every row written, for the page breaks
        self._ids = StyleIds(ws)
        self._looks: dict[tuple, int] = {}
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width

    def _look(self, key: tuple) -> int:
        sid = self._looks.get(key)
        if sid is None:
            kind, left, fill, quote = key
            if kind == "header":
                look = dict(font=heading_font(), align=CENTER, fill=HEADER_FILL)
            else:
                look = dict(font=body_font(), align=LEFT if left else CENTER,
                            fill=PatternFill("solid", fgColor=fill) if fill else None)
            sid = self._looks[key] = self._ids.of(**look, quote=quote)
        return sid

    def header(self, headers: list[str], *, fit: bool = True) -> int:
        """The column headings; `fit`: as tall as the headings need (else the fixed 32 points)."""
        cells = []
        for text in headers:
            text = safe_text(text)
            cells.append((text, self._look(("header", False, None, needs_quote_prefix(text)))))
        return self._add(cells, row_height([v for v, _ in cells], self.widths) if fit else 32)

    def _add(self, cells, height: float) -> int:
        row = self.writer.add(cells, height=height)
        self.heights.append((row, height))
        return row

    def add(self, cells, *, fit: bool = True) -> int:
        """One row of (value, left, fill): numbers as numbers, anything else as text ("" and None: empty);
        `fit`: as tall as its wrapped text needs (else the default height)."""
        out = []
        for value, left, fill in cells:
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                value = safe_text(value if value not in ("", None) else None)
            quote = isinstance(value, str) and needs_quote_prefix(value)
            out.append((value, self._look(("body", left, fill, quote))))
        return self._add(out, row_height([v for v, _ in out], self.widths) if fit else FIXED_ROW_PT)

    def blank_to(self, row: int) -> None:
        self.writer.next_row = max(self.writer.next_row, row)

    def spliced(self) -> tuple:
        last = max(self.writer.last_row, 1)
        return self.ws, self.writer, f"A1:{get_column_letter(max(self.writer.max_col, 1))}{last}"
