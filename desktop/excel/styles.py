"""Look of the ledger: government-document fonts, cell styles by id, page setup for A4 landscape."""
from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import Outline, PageSetupProperties

from desktop.excel.cells import needs_quote_prefix

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
GB2312 = 134  # font charset: lets Excel/WPS pick the Chinese face

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def body_font(size: float = 11, bold: bool = False) -> Font:
    return Font(name=BODY_FONT, size=size, bold=bold, charset=GB2312)


def heading_font(size: float = 11) -> Font:
    return Font(name=HEADING_FONT, size=size, charset=GB2312)


def style_cell(cell, *, font: Font, align: Alignment, border: Border | None = BORDER,
               fill: PatternFill | None = None, number_format: str | None = None, quote: bool = False):
    cell.font = font
    cell.alignment = align
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    if number_format:
        cell.number_format = number_format
    if quote:
        cell.quotePrefix = True
    return cell


def put_text(cell, text: str | None) -> None:
    """Write text into an openpyxl cell as a string, never as a formula."""
    cell.value = text
    if text and cell.data_type == "f":
        cell.data_type = "s"
    if needs_quote_prefix(text):
        cell.quotePrefix = True


class StyleIds:
    """Cell-format ids (indices into the workbook's cellXfs) for the rows written by xmlrows."""

    def __init__(self, ws):
        self._ws = ws
        self._ids: dict[tuple, int] = {}

    def get(self, *, centered: bool = False, wrap: bool = True, indent: int = 0, bold: bool = False,
            heading: bool = False, fill: bool | str = False, date: bool = False, quote: bool = False,
            hidden_text: bool = False, number_format: str | None = None, border: bool = True) -> int:
        """`fill`: True for the group grey, or an RGB colour such as "C6EFCE"."""
        key = (centered, wrap, indent, bold, heading, fill, date, quote, hidden_text, number_format, border)
        sid = self._ids.get(key)
        if sid is None:
            cell = Cell(self._ws)  # detached: only registers the format with the workbook
            align = Alignment(horizontal="center" if centered else "left", vertical="center",
                              wrap_text=wrap, indent=indent)
            fill_style = GROUP_FILL if fill is True else PatternFill("solid", fgColor=fill) if fill else None
            style_cell(cell, font=heading_font() if heading else body_font(bold=bold), align=align,
                       fill=fill_style, number_format=DATE_FORMAT if date else number_format,
                       quote=quote, border=None if hidden_text or not border else BORDER)
            sid = self._ids[key] = cell.style_id
        return sid

    def of(self, *, font: Font, align: Alignment, border: Border | None = BORDER, fill: PatternFill | None = None,
           quote: bool = False) -> int:
        """The id of any style_cell combination, registered once (openpyxl's style objects are hashable)."""
        key = ("of", font, align, border, fill, quote)
        sid = self._ids.get(key)
        if sid is None:
            cell = Cell(self._ws)
            style_cell(cell, font=font, align=align, border=border, fill=fill, quote=quote)
            sid = self._ids[key] = cell.style_id
        return sid


def setup_print(ws, *, title_rows: str | None, area: str, footer_size: int = 10) -> None:
    """A4 landscape, one page wide, repeated title rows (when given), page numbers in Chinese."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.sheet_properties.outlinePr = Outline(summaryBelow=False, summaryRight=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.header = 0.3
    ws.page_margins.footer = 0.3
    if title_rows:  # None: nothing to repeat (e.g. blocks that each carry their own header)
        ws.print_title_rows = title_rows
    ws.print_area = area
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = BODY_FONT
    ws.oddFooter.center.size = footer_size
