"""Opening a ledger workbook safely: what it may cost (parts, unpacked XML, rows, cells, characters), damaged
deflate streams and entity declarations in every XML part refused with one sentence before openpyxl parses it."""
from __future__ import annotations

import errno
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from desktop.ledger import layout
from desktop.ledger.errors import LedgerError
from desktop.kernel.limits import MB, describe
from desktop.kernel.xmlbounds import XLSX_XML
from desktop.kernel.zipcheck import Limits, PackageError, check_package as check_zip

MAX_FILE_BYTES = 50 * MB
MAX_PARTS = 1_000  # members of the package
MAX_UNPACKED_BYTES = 120 * MB  # all parts together, uncompressed
MAX_PART_RATIO = 200  # uncompressed / compressed, for parts above 1 MB
MAX_SHARED_STRINGS = 24 * MB  # xl/sharedStrings.xml, held in memory whole by openpyxl
MAX_SHEET_XML = 60 * MB  # one worksheet part (streamed)
MAX_ROWS = 25_000  # rows of the tracking sheet (about 1,000 reports' plans, with room to spare)
MAX_CELLS = 1_000_000  # cells read from the tracking sheet
MAX_CHARS = 30_000_000  # characters of text read from the tracking sheet
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def _fail(path, message: str):
    raise LedgerError(message, path=path)


def check_package(path) -> None:
    """Refuse what is not a workbook, an encrypted, damaged or oversized one, and entity declarations in any part."""
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        _fail(path, "文件不存在")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            _fail(path, "符号链接形成了循环（链接指向自身），不是台账文件")
        from desktop.kernel.plain import plain

        _fail(path, f"无法读取文件（{plain(exc)}）")
    if stat.S_ISDIR(info.st_mode):
        _fail(path, "这是一个文件夹，不是台账文件")
    if not stat.S_ISREG(info.st_mode):
        _fail(path, "不是普通文件（管道、设备或套接字），只能读取普通的台账文件")
    if info.st_size == 0:
        _fail(path, "文件是空的")
    if info.st_size > MAX_FILE_BYTES:
        _fail(path, f"文件过大（{info.st_size // MB} MB），上限为 {describe(MAX_FILE_BYTES)}，不像是台账")
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
            if head == _OLE_MAGIC:
                blob = fh.read(min(info.st_size, 4 * MB))
                if "EncryptedPackage".encode("utf-16-le") in blob:
                    _fail(path, "工作簿设置了打开密码，请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入")
                _fail(path, "这是旧版 .xls 文件，请在 Excel/WPS 中另存为 .xlsx 后再导入")
    except OSError as exc:
        _fail(path, f"无法读取文件（{exc.strerror or exc}）")
    if not head.startswith(_ZIP_MAGIC):
        _fail(path, "不是 Excel 工作簿（.xlsx）")
    limits = Limits(MAX_PARTS, MAX_UNPACKED_BYTES, MAX_PART_RATIO, {"xl/sharedStrings.xml": MAX_SHARED_STRINGS}, XLSX_XML)
    try:
        names = check_zip(p, limits, "工作簿", member_cap=MAX_SHEET_XML, only=read_parts)
    except PackageError as exc:
        _fail(path, str(exc))
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
        _fail(path, "不是 Excel 工作簿（.xlsx），压缩包里没有工作簿内容")
    _check_row_count(p, path)


def read_parts(name: str) -> bool:
    """The parts read-back reads (sheetstream.StreamBook): only these are unpacked and counted; a part nobody
    reads (custom XML, drawings, printer settings, document properties) is never inflated."""
    return name in READ_PARTS or (name.startswith(SHEET_FOLDER) and name.endswith(".xml"))


READ_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                        "xl/sharedStrings.xml", "xl/styles.xml"})
SHEET_FOLDER = "xl/worksheets/"


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _tracking_part(zf: zipfile.ZipFile) -> str | None:
    """The zip member of the tracking sheet, from workbook.xml and its rels (both checked, small)."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    rid = next((s.get(f"{_NS_REL}id") for s in book.iter(f"{_NS_MAIN}sheet")
                if s.get("name") == layout.SHEET_TRACKING), None)
    target = next((r.get("Target") for r in rels if r.get("Id") == rid), None) if rid else None
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _check_row_count(p: Path, path) -> None:
    """Count the tracking sheet's rows in its XML before openpyxl builds a tuple for each of them."""
    with zipfile.ZipFile(p) as zf:
        part = _tracking_part(zf)
        if part is None or part not in zf.namelist():
            return  # read_ledger names what is missing
        rows = 0
        tail = b""
        with zf.open(part) as fh:
            while chunk := fh.read(1 << 20):
                rows += len(_ROW_TAG.findall(tail + chunk))
                tail = chunk[-8:]
                rows -= len(_ROW_TAG.findall(tail))  # counted again with the next chunk
                if rows > MAX_ROWS:
                    _fail(path, f"台账的行数超过上限 {MAX_ROWS} 行，已拒绝读取")


class RowBudget:
    """Counts what the read-back takes from a sheet and refuses, naming the limit, once it is exceeded."""

    def __init__(self, path):
        self.path = path
        self.rows = self.cells = self.chars = 0

    def take(self, values) -> None:
        self.rows += 1
        self.cells += len(values)
        self.chars += sum(len(v) for v in values if isinstance(v, str))
        if self.rows > MAX_ROWS:
            _fail(self.path, f"台账的数据行超过上限 {MAX_ROWS} 行，已拒绝读取")
        if self.cells > MAX_CELLS:
            _fail(self.path, f"台账的单元格超过上限 {MAX_CELLS} 个，已拒绝读取")
        if self.chars > MAX_CHARS:
            _fail(self.path, f"台账的文字超过上限 {MAX_CHARS // 10000} 万字，已拒绝读取")
