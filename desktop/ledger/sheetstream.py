"""A workbook read as a stream of rows (expat, no tree, no openpyxl load): the few parts read-back needs —
workbook, its relationships, shared strings, the cell formats that make a number a date, and the sheets asked
for — and nothing else. Cells mean what openpyxl's read-only mode makes of them (not data_only: a formula
stays a formula), so the read-back above sees the same rows, several times faster.

The package has passed desktop/ledger/safety.check_package (sizes, ratios, counts, DTDs) before this runs.
"""
from __future__ import annotations

import pyexpat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CHUNK = 1 << 18


@dataclass(frozen=True)
class Cell:
    """A cell as openpyxl's read-only mode gives it: value and data_type ('n', 's', 'f', 'e', 'b', 'd')."""
    value: object
    data_type: str


EMPTY = Cell(None, "n")


def _local(name: str) -> str:
    return name[name.rfind(":") + 1:] if ":" in name else name


def _parse(data: bytes, start=None, end=None, text=None) -> None:
    parser = pyexpat.ParserCreate()
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
        parser.buffer_text = True
    parser.Parse(data, True)


class StreamBook:
    """The subset of openpyxl's read-only Workbook that read-back uses: sheetnames, book[name], close()."""

    def __init__(self, path):
        self._zf = zipfile.ZipFile(path)
        try:
            self._sheets, self._epoch = self._workbook()
            self._strings: list[str] | None = None
            self._dates: tuple[set[int], set[int]] | None = None
        except BaseException:
            self._zf.close()
            raise

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheets)

    def __getitem__(self, name: str) -> "StreamSheet":
        from desktop.ledger.safety import read_parts

        member = self._sheets[name]
        if not read_parts(member):  # only parts safety.check_package counted are ever read
            raise ValueError(f"worksheet outside xl/worksheets/: {member}")
        return StreamSheet(self, member)

    def close(self) -> None:
        self._zf.close()

    def _read(self, member: str) -> bytes | None:
        try:
            return self._zf.read(member)
        except KeyError:
            return None

    def _workbook(self):
        names: list[tuple[str, str | None]] = []
        epoch = [CALENDAR_WINDOWS_1900]

        def start(name, attrs):
            local = _local(name)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
                names.append((attrs.get("name", ""), rid))
            elif local == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                epoch[0] = CALENDAR_MAC_1904

        _parse(self._zf.read("xl/workbook.xml"), start)
        targets: dict[str | None, str] = {}
        rels = self._read("xl/_rels/workbook.xml.rels")
        if rels:
            _parse(rels, lambda name, attrs: targets.__setitem__(attrs.get("Id"), attrs.get("Target", ""))
                   if _local(name) == "Relationship" else None)
        sheets = {}
        for name, rid in names:
            target = targets.get(rid)
            if target:
                sheets[name] = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        return sheets, epoch[0]

    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = _shared_strings(self._read("xl/sharedStrings.xml"))
        return self._strings

    def date_styles(self) -> tuple[set[int], set[int]]:
        """Style ids whose number format shows a date (and those showing a duration)."""
        if self._dates is None:
            self._dates = _date_styles(self._read("xl/styles.xml"))
        return self._dates


def _shared_strings(data: bytes | None) -> list[str]:
    out: list[str] = []
    if not data:
        return out
    parts: list[str] = []
    state = {"t": False, "rph": 0}

    def start(name, attrs):
        local = _local(name)
        if local == "si":
            parts.clear()
        elif local == "rPh":
            state["rph"] += 1  # phonetic runs are not the text
        elif local == "t" and not state["rph"]:
            state["t"] = True

    def end(name):
        local = _local(name)
        if local == "si":
            out.append("".join(parts).replace("x005F_", ""))
        elif local == "rPh":
            state["rph"] -= 1
        elif local == "t":
            state["t"] = False

    def text(data):
        if state["t"]:
            parts.append(data)

    _parse(data, start, end, text)
    return out


def _date_styles(data: bytes | None) -> tuple[set[int], set[int]]:
    if not data:
        return set(), set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    depth = {"cellXfs": False}

    def start(name, attrs):
        local = _local(name)
        if local == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif local == "cellXfs":
            depth["cellXfs"] = True
        elif local == "xf" and depth["cellXfs"]:
            try:
                xfs.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(name):
        if _local(name) == "cellXfs":
            depth["cellXfs"] = False

    _parse(data, start, end)
    dates, durations = set(), set()
    for i, fmt_id in enumerate(xfs):
        code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, ""))
        if code and is_date_format(code):
            dates.add(i)
            if is_timedelta_format(code):
                durations.add(i)
    return dates, durations


class StreamSheet:
    """One worksheet's rows, streamed; iter_rows() like openpyxl's read-only worksheet after reset_dimensions."""

    max_row = None

    def __init__(self, book: StreamBook, member: str):
        self.book = book
        self.member = member

    def reset_dimensions(self) -> None:
        """Every row is read whatever the sheet's <dimension> says (nothing to reset: it is never read)."""

    def iter_rows(self, max_col: int | None = None, values_only: bool = False):
        counter = 1
        for idx, cells in self._rows():
            for _ in range(counter, idx):  # rows the sheet leaves out are empty rows
                counter += 1
                yield self._shape([], max_col, values_only)
            if counter <= idx:
                counter += 1
                yield self._shape(cells, max_col, values_only)

    @staticmethod
    def _shape(cells: list[Cell], max_col, values_only):
        if max_col is not None:
            cells = (cells + [EMPTY] * max_col)[:max_col]
        return tuple(c.value for c in cells) if values_only else tuple(cells)

    def _rows(self):
        reader = _RowReader(self.book)
        with self.book._zf.open(self.member) as fh:
            while chunk := fh.read(_CHUNK):
                reader.parser.Parse(chunk, False)
                yield from reader.take()
            reader.parser.Parse(b"", True)
            yield from reader.take()


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n


def _cast_number(text: str):
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


class _RowReader:
    """expat handlers turning <row>/<c> elements into (row number, [Cell, ...]) as chunks arrive."""

    def __init__(self, book: StreamBook):
        self.book = book
        self.done: list[tuple[int, list[Cell]]] = []
        self.row_no = 0
        self.cells: list[Cell] = []
        self.cell: dict | None = None
        self.capture: str | None = None  # "v", "f" or "t" while inside one
        self.buf: list[str] = []
        parser = pyexpat.ParserCreate()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.buffer_text = True
        self.parser = parser

    def take(self):
        out, self.done = self.done, []
        return out

    def start(self, name, attrs):
        local = _local(name)
        if local == "row":
            r = attrs.get("r")
            self.row_no = int(r) if r and r.isdigit() else self.row_no + 1
            self.cells = []
        elif local == "c":
            self.cell = {"t": attrs.get("t", "n"), "r": attrs.get("r"), "s": attrs.get("s"), "v": None, "f": None,
                         "is": None}
        elif self.cell is not None and local in ("v", "f"):
            self.capture, self.buf = local, []
            if local == "f":
                self.cell["f"] = ""
        elif self.cell is not None and local == "is":
            self.cell["is"] = []
        elif self.cell is not None and local == "t" and self.cell["is"] is not None:
            self.capture, self.buf = "t", []
        elif local == "rPh" and self.cell is not None:
            self.capture = None

    def text(self, data):
        if self.capture is not None:
            self.buf.append(data)

    def end(self, name):
        local = _local(name)
        if self.capture is not None and local == self.capture:
            text = "".join(self.buf)
            assert self.cell is not None  # capture starts only inside a cell
            if local == "t":
                self.cell["is"].append(text)
            else:
                self.cell[local] = text
            self.capture = None
        elif local == "c" and self.cell is not None:
            self._add_cell(self.cell)
            self.cell = None
        elif local == "row":
            self.done.append((self.row_no, self.cells))

    def _add_cell(self, c: dict) -> None:
        column = _column(c["r"]) if c["r"] else len(self.cells) + 1
        while len(self.cells) < column - 1:
            self.cells.append(EMPTY)
        self.cells.append(self._value(c))

    def _value(self, c: dict) -> Cell:
        kind = c["t"]
        if c["f"] is not None:
            return Cell("=" + c["f"], "f")
        value = c["v"] or None
        if kind == "inlineStr":
            return Cell("".join(c["is"]), "s") if c["is"] is not None else Cell(None, kind)
        if value is None:
            return Cell(None, kind)
        if kind == "n":
            number = _cast_number(value)
            style = int(c["s"]) if c["s"] and c["s"].isdigit() else 0
            dates, durations = self.book.date_styles()
            if style in dates:
                try:
                    return Cell(from_excel(number, self.book._epoch, timedelta=style in durations), "d")
                except (OverflowError, ValueError):
                    return Cell("#VALUE!", "e")
            return Cell(number, "n")
        if kind == "s":
            return Cell(self.book.strings()[int(value)], "s")
        if kind == "b":
            return Cell(bool(int(value)), "b")
        if kind == "str":
            return Cell(value, "s")
        return Cell(value, kind)
