"""Fast data rows: serialise plain rows as SpreadsheetML and splice them into a workbook openpyxl saved.

openpyxl writes the frame of each sheet (title, header, validations, conditional formats, print
settings, styles); the bulk rows are written here as strings, which is several times faster than
one openpyxl cell object per value. Every string is an inline string, so nothing becomes a formula.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import tempfile
import zipfile

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

_LETTERS = [get_column_letter(i) for i in range(1, 101)]
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _cell(ref: str, value, style: int) -> str:
    if value is None:
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, str):
        text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
        space = ' xml:space="preserve"' if (value[:1].isspace() or value[-1:].isspace()) else ""
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (dt.date, dt.datetime)):
        return f'<c r="{ref}" s="{style}"><v>{to_excel(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    if isinstance(value, float) and math.isfinite(value):  # 16 digits as openpyxl writes them: 3031600, not …0005
        return f'<c r="{ref}" s="{style}"><v>{value:.16g}</v></c>'
    if isinstance(value, float):  # inf / nan have no cell form: keep them readable as text
        return _cell(ref, str(value), style)
    raise TypeError(f"unsupported cell value {type(value).__name__}")


class RowWriter:
    """Rows of one worksheet, numbered from `first_row`; each cell is (value, style id).

    The serialised rows go to a temporary file as they are added, so a sheet of 300,000 rows costs disk, not
    memory (issue 27); splice() copies them into the package in chunks."""

    def __init__(self, first_row: int):
        self.first_row = first_row
        self.next_row = first_row
        self.max_col = 0
        self._spool = tempfile.TemporaryFile()
        self._buffer: list[str] = []
        self._buffered = 0
        self.merges: list[str] = []  # ranges such as "B5:M5", added to the sheet's <mergeCells>

    def add(self, cells, *, outline_level: int = 0, height: float | None = None) -> int:
        r = self.next_row
        attrs = f'r="{r}"'
        if height is not None:
            attrs += f' ht="{height}" customHeight="1"'
        if outline_level:
            attrs += f' outlineLevel="{outline_level}"'
        body = "".join(_cell(f"{_LETTERS[i]}{r}", v, s) for i, (v, s) in enumerate(cells))
        self._buffer.append(f"<row {attrs}>{body}</row>")
        self._buffered += 1
        if self._buffered >= 512:
            self._flush()
        self.max_col = max(self.max_col, len(cells))
        self.next_row = r + 1
        return r

    def _flush(self) -> None:
        if self._buffer:
            self._spool.write("".join(self._buffer).encode("utf-8"))
            self._buffer, self._buffered = [], 0

    @property
    def last_row(self) -> int:
        return self.next_row - 1

    def chunks(self, size: int = 1 << 20):
        """The serialised rows as UTF-8 bytes, in chunks."""
        self._flush()
        self._spool.seek(0)
        while chunk := self._spool.read(size):
            yield chunk

    def close(self) -> None:
        self._spool.close()


def splice(package: bytes, sheets: dict[str, tuple[RowWriter, str]]) -> bytes:
    """Insert each writer's rows at the end of <sheetData> of the given part ("xl/worksheets/sheet1.xml")
    and set the sheet's <dimension> to the given ref. The rows stream from the writers' spools."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename not in sheets:
                dst.writestr(info, data)
                continue
            writer, ref = sheets[info.filename]
            head, tail = _frame(data, ref, writer.merges)
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w") as part:
                part.write(head)
                for chunk in writer.chunks():
                    part.write(chunk)
                part.write(tail)
            writer.close()
    return out.getvalue()


def _frame(xml: bytes, ref: str, merges=()) -> tuple[bytes, bytes]:
    """The sheet's XML before and after where the rows go (the end of <sheetData>)."""
    xml = _DIMENSION.sub(f'<dimension ref="{ref}"/>'.encode(), xml, count=1)
    if merges:
        xml = _add_merges(xml, merges)
    end = xml.rfind(b"</sheetData>")
    if end >= 0:
        return xml[:end], xml[end:]
    empty = xml.find(b"<sheetData/>")
    if empty < 0:
        raise ValueError("worksheet without sheetData")
    return xml[:empty] + b"<sheetData>", b"</sheetData>" + xml[empty + len(b"<sheetData/>"):]


_MERGE_COUNT = re.compile(rb'<mergeCells count="(\d+)">')


def _add_merges(xml: bytes, merges) -> bytes:
    """Append ranges to the <mergeCells> openpyxl wrote (the frame of the sheet always merges its title)."""
    m = _MERGE_COUNT.search(xml)
    end = xml.find(b"</mergeCells>")
    if m is None or end < 0:
        raise ValueError("worksheet without mergeCells: merge a frame cell with openpyxl first")
    extra = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges).encode()
    xml = xml[:end] + extra + xml[end:]
    count = int(m.group(1)) + len(merges)
    return xml[:m.start()] + f'<mergeCells count="{count}">'.encode() + xml[m.end():]
