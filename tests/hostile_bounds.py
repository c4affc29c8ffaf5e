"""Crafted packages that stay under every size, part and ratio limit but not under the counts of what is parsed:
workbooks (one huge row, styles, content types, defined names, shared strings, DTDs after comments, PIs or in
UTF-16), Word documents (styles, vertically merged tables, paragraphs) and PDFs (inflation bombs, forms nested
in forms). Each builder writes into `folder` and returns the path; `*_under` builders stay just under a count
limit and must be read (or refused for what they are) within the time and memory bounds."""
from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

from hostile_files import _docx, _document, rewrite

_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _numbers(n: int, seed: int) -> list[int]:
    rnd = random.Random(seed)
    return [rnd.randrange(10**6) for _ in range(n)]  # random values: the part does not compress past the ratio


def _replace(src: Path, dest: Path, member: str, data: bytes) -> Path:
    return rewrite(src, dest, lambda name, old: data if name == member else old)


def _edit(src: Path, dest: Path, member: str, change) -> Path:
    return rewrite(src, dest, lambda name, old: change(old) if name == member else old)


def xlsx_files(filled: Path, folder: Path) -> dict[str, Path]:
    """Workbooks over the streaming pass's counts (each under the part, size and ratio limits)."""
    def wide_row(data: bytes) -> bytes:
        cells = b"".join(b'<c s="%d"/>' % v for v in _numbers(200_000, 1))
        end = data.rfind(b"</sheetData>")
        return data[:end] + b'<row r="60000">' + cells + b"</row>" + data[end:]

    def styles(data: bytes) -> bytes:
        xfs = b"".join(b'<xf numFmtId="%d" fontId="0"/>' % v for v in _numbers(60_000, 2))
        return re.sub(rb"<cellXfs[^>]*>", lambda m: m.group(0) + xfs, data, count=1)

    def content_types(data: bytes) -> bytes:
        extra = b"".join(b'<Override PartName="/x/%d.xml" ContentType="application/xml"/>' % v
                         for v in _numbers(8_000, 3))
        return data.replace(b"</Types>", extra + b"</Types>")

    def names(data: bytes) -> bytes:
        body = b"".join(b'<definedName name="n%d">Sheet1!$A$1</definedName>' % v for v in _numbers(12_000, 4))
        data = re.sub(rb"<definedNames>.*?</definedNames>", b"", data, flags=re.S)
        return data.replace(b"</sheets>", b"</sheets><definedNames>" + body + b"</definedNames>")

    def strings() -> bytes:
        body = b"".join(b"<si><t>%d</t></si>" % v for v in _numbers(1_100_000, 5))
        return b'<?xml version="1.0" encoding="UTF-8"?><sst ' + _MAIN + b">" + body + b"</sst>"

    def dtd_after(prefix: bytes):
        def change(data: bytes) -> bytes:
            body = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
            return b'<?xml version="1.0" encoding="UTF-8"?>' + prefix + b'<!DOCTYPE x [<!ENTITY a "b">]>' + body
        return change

    def utf16_dtd(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", data).decode("utf-8")
        return ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>' + body).encode("utf-16")

    sheet = "xl/worksheets/sheet1.xml"
    out = {
        "xlsx-wide-row": _edit(filled, folder / "wide-row.xlsx", sheet, wide_row),
        "xlsx-styles": _edit(filled, folder / "styles.xlsx", "xl/styles.xml", styles),
        "xlsx-content-types": _edit(filled, folder / "ct.xlsx", "[Content_Types].xml", content_types),
        "xlsx-defined-names": _edit(filled, folder / "names.xlsx", "xl/workbook.xml", names),
        "xlsx-dtd-comment": _edit(filled, folder / "dtd-comment.xlsx", "xl/workbook.xml", dtd_after(b"<!-- x -->")),
        "xlsx-dtd-pi": _edit(filled, folder / "dtd-pi.xlsx", "xl/workbook.xml", dtd_after(b"<?x y?>")),
        "xlsx-dtd-utf16": _edit(filled, folder / "dtd-utf16.xlsx", "xl/workbook.xml", utf16_dtd),
    }
    out["xlsx-strings"] = _extra(filled, folder / "strings.xlsx", "xl/sharedStrings.xml", strings())
    return out


def unread_part(filled: Path, folder: Path) -> Path:
    """A custom XML part of 300,000 elements that read-back never reads (so never inflates)."""
    return _extra(filled, folder / "unread.xlsx", "customXml/item9.xml",
                  b"<r>" + b"".join(b"<e v='%d'/>" % v for v in _numbers(300_000, 6)) + b"</r>")


def _extra(src: Path, dest: Path, member: str, data: bytes) -> Path:
    rewrite(src, dest, lambda name, old: old)
    with zipfile.ZipFile(dest) as zf:
        present = member in zf.namelist()
    if present:
        return _replace(src, dest, member, data)
    with zipfile.ZipFile(dest, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, data)
    return dest


def _table(rows: int, cols: int, merged_every: int) -> str:
    """A table whose every `merged_every`-th column continues the cell above (vertically merged)."""
    out = []
    widths = iter(_numbers(rows * cols, 9))
    for r in range(rows):
        cells = []
        for c in range(cols):
            if c % merged_every == 0 and r:
                cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{next(widths)}"/><w:vMerge/></w:tcPr><w:p/></w:tc>')
                continue
            merge = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' if c % merged_every == 0 else ""
            cells.append(f"<w:tc>{merge}<w:p><w:r><w:t>{r}-{c}</w:t></w:r></w:p></w:tc>")
        out.append("<w:tr>" + "".join(cells) + "</w:tr>")
    return "<w:tbl>" + "".join(out) + "</w:tbl>"


def docx_files(folder: Path) -> dict[str, Path]:
    """Word documents over the counts, and the same shapes just under them."""
    head = "<w:p><w:r><w:t>某市司法局2023年法治政府建设年度报告</w:t></w:r></w:p>"
    styles = ('<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/'
              'wordprocessingml/2006/main">' + "".join(f'<w:style w:styleId="s{v}"/>' for v in _numbers(60_000, 7))
              + "</w:styles>").encode()
    rnd = random.Random(8)

    def paragraphs(n: int) -> str:
        return "".join(f"<w:p><w:r><w:t>{i}推进{rnd.getrandbits(20):x}</w:t></w:r></w:p>" for i in range(n))

    return {
        "docx-styles": _docx(folder / "styles.docx", _document(head), extra={"word/styles.xml": styles}),
        "docx-vmerge": _docx(folder / "vmerge.docx", _document(head + _table(1_900, 40, 1))),
        "docx-vmerge-under": _docx(folder / "vmerge-under.docx", _document(head + _table(1_400, 40, 3))),
        "docx-paragraphs": _docx(folder / "paragraphs.docx", _document(head + paragraphs(100_000))),
        "docx-paragraphs-under": _docx(folder / "paragraphs-under.docx", _document(head + paragraphs(55_000))),
    }


def pdf_files(folder: Path) -> dict[str, Path]:
    """A stream that inflates from 100 KB to 100 MB, and text forms drawn by forms drawn by the page."""
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, StreamObject

    def page_with(writer, ops: bytes, xobjects=None):
        page = writer.add_blank_page(width=595, height=842)
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica")})
        res = {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        if xobjects:
            res[NameObject("/XObject")] = DictionaryObject(xobjects)
        page[NameObject("/Resources")] = DictionaryObject(res)
        stream = DecodedStreamObject()
        stream.set_data(ops)
        page[NameObject("/Contents")] = writer._add_object(stream)
        return page

    def form(writer, ops: bytes, xobjects=None):
        stream = DecodedStreamObject()
        stream.set_data(ops)
        stream[NameObject("/Type")] = NameObject("/XObject")
        stream[NameObject("/Subtype")] = NameObject("/Form")
        stream[NameObject("/BBox")] = __import__("pypdf").generic.ArrayObject(
            [__import__("pypdf").generic.NumberObject(v) for v in (0, 0, 595, 842)])
        if xobjects:
            stream[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(xobjects)})
        return writer._add_object(stream)

    writer = PdfWriter()
    inner = form(writer, b"BT /F1 12 Tf 72 700 Td " + b"(law) Tj " * 100 + b"ET")
    middle = form(writer, b"/In Do " * 100, {NameObject("/In"): inner})
    page_with(writer, b"/Mid Do " * 100, {NameObject("/Mid"): middle})
    nested = folder / "nested-forms.pdf"
    with open(nested, "wb") as fh:
        writer.write(fh)

    writer = PdfWriter()
    page = page_with(writer, b"BT /F1 12 Tf 72 700 Td (law-based government) Tj ET")
    bomb = StreamObject()
    bomb._data = zlib.compress(b"% " + b"a" * 100_000_000, 9)
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(bomb)
    inflating = folder / "inflate-bomb.pdf"
    with open(inflating, "wb") as fh:
        writer.write(fh)
    return {"pdf-nested-forms": nested, "pdf-inflate-bomb": inflating}


def text_files(seed: bytes, folder: Path) -> dict[str, Path]:
    """Text that is not a report (NULs throughout, GBK garbage after a UTF-8 BOM) and a file of mixed encodings
    that reads line by line."""
    lines = seed.decode("utf-8").split("\n")
    mixed = b"\xef\xbb\xbf" + b"\n".join(ln.encode("gb18030") if i % 2 else ln.encode("utf-8")
                                          for i, ln in enumerate(lines))
    garbage = b"\xef\xbb\xbf" + b"\n".join(bytes([0x81, 0x30, 0xff, 0xfe]) * 20 if i % 2 else ln.encode("utf-8")
                                           for i, ln in enumerate(lines))
    out = {"text-nul": b"\x00" * 1_000_000, "text-bom-gbk": mixed, "text-bom-garbage": garbage}
    paths = {}
    for key, data in out.items():
        paths[key] = folder / f"{key}.txt"
        paths[key].write_bytes(data)
    return paths


def symlink_sources(seed: bytes, folder: Path) -> dict[str, Path]:
    """A folder holding a report and a link to /etc/passwd named like a report; a zip holding a symlink member."""
    import os
    import stat

    tree = folder / "with-link"
    tree.mkdir()
    (tree / "report.txt").write_bytes(seed)
    os.symlink("/etc/passwd", tree / "passwd.txt")
    os.symlink(tree, tree / "loop")
    archive = folder / "with-link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        link = zipfile.ZipInfo("reports/secret.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("reports/report.txt", seed)
    return {"link-folder": tree, "link-zip": archive}
