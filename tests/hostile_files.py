"""Crafted hostile and broken files for the fuzz suite, generated at test time (never stored): bombs, dimension
lies, duplicated IDs, entity declarations in every part, damaged deflate streams, huge PDF content streams,
stray bytes. Each builder writes into `folder` and returns the path."""
from __future__ import annotations

import io
import os
import random
import re
import sqlite3
import zipfile
from pathlib import Path

_DTD = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>'
_DOCX_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# ------------------------------------------------------------------------------------------ text
def stray_byte_variants(seed: bytes, folder: Path) -> dict[str, Path]:
    """The seed with one stray byte (0xFF, NUL, a GBK fragment), cut mid-character, and UTF-16 without BOM."""
    text = seed.decode("utf-8")
    body = seed.rstrip()
    variants = {
        "ff": seed[:3000] + b"\xff" + seed[3000:],
        "nul": seed[:3000] + b"\x00" + seed[3000:],
        "gbk": seed[:3000] + "法治".encode("gbk") + seed[3000:],
        "cut": body[:-1],
        "utf16le": text.encode("utf-16-le"),
        "utf16be": text.encode("utf-16-be"),
    }
    out = {}
    for name, data in variants.items():
        out[name] = folder / f"stray-{name}.txt"
        out[name].write_bytes(data)
    return out


def short_lines(folder: Path, size: int = 4 * 1024 * 1024) -> Path:
    """4 MB of short hard-wrapped lines that all rejoin into one (quadratic in a naive joiner)."""
    rnd = random.Random(3)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    lines, n = [], 0
    while n < size:
        k = rnd.choice((30, 30, 30, 5, 8))
        ln = "".join(rnd.choices(pool, k=k))
        if rnd.random() < 0.3:
            ln = ln[:3] + "，" + ln[3:]
        lines.append(ln)
        n += len(ln.encode("utf-8")) + 1
    path = folder / "short-lines.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def html_many_tags(folder: Path) -> Path:
    """A 5 MB page of 900,000 nested tags (pure-Python HTML parsing costs per tag)."""
    path = folder / "many-tags.html"
    path.write_text("<html><body>" + "<span>" * 900_000 + "法治</body></html>", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------ docx
def _docx(path: Path, document: bytes, *, extra: dict[str, bytes] | None = None) -> Path:
    ct = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
          b'"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
          b'document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def _document(paragraphs: str, prolog: bytes = b"") -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?>' + prolog
    return head + f"<w:document {_DOCX_NS}><w:body>{paragraphs}</w:body></w:document>".encode()


def docx_files(folder: Path) -> dict[str, Path]:
    para = "<w:p><w:r><w:t>推进法治政府建设，全面落实行政执法责任制。</w:t></w:r></w:p>"
    rnd = random.Random(5)
    varied = "".join(f"<w:p><w:r><w:t>{rnd.getrandbits(256):x}</w:t></w:r></w:p>" for _ in range(70_000))
    out = {
        "bomb": _docx(folder / "bomb.docx", _document(para * 400_000)),  # ~30 MB of XML in ~100 KB
        "big-body": _docx(folder / "big-body.docx", _document(varied)),  # > 5 MB, low ratio
        "entity": _docx(folder / "entity.docx", _document("<w:p><w:r><w:t>&a;</w:t></w:r></w:p>", _DTD)),
        "entity-rels": _docx(folder / "entity-rels.docx", _document(para),
                             extra={"word/_rels/document.xml.rels": b'<?xml version="1.0"?>' + _DTD + b"<x/>"}),
        "many-parts": _docx(folder / "many-parts.docx", _document(para),
                            extra={f"word/media/p{i}.xml": b"<x/>" for i in range(2100)}),
    }
    good = _docx(folder / "good.docx", _document(para * 30))
    out["deflate"] = damage_member(good, "word/document.xml", folder / "deflate.docx")
    return out


# ------------------------------------------------------------------------------------------- pdf
def pdf_files(folder: Path) -> dict[str, Path]:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    def make(path: Path, ops: bytes) -> Path:
        writer = PdfWriter()
        page = writer.add_blank_page(width=595, height=842)
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica")})
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
        stream = DecodedStreamObject()
        stream.set_data(ops)
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
        with open(path, "wb") as fh:
            writer.write(fh)
        return path

    readable = make(folder / "readable.pdf", b"BT /F1 12 Tf 72 700 Td (" + b"law-based government " * 20 + b") Tj ET")
    data = readable.read_bytes()
    bad_xref = _write(folder / "bad-xref.pdf", data[: data.rfind(b"startxref")] + b"startxref\n12345\n%%EOF\n")
    return {
        "bad-xref": bad_xref,  # readable, but pypdf warns while it repairs the cross-reference table
        "text-ops": make(folder / "text-ops.pdf", b"BT /F1 12 Tf 72 700 Td " + b"[(a) -250 (b) 300 (c)] TJ " * 100_000
                         + b"ET"),
        "huge-stream": make(folder / "huge-stream.pdf", b"BT /F1 12 Tf 72 700 Td (ab) Tj ET " + b"% " + b"x" * 9_000_000),
        "damaged": _write(folder / "damaged.pdf", b"%PDF-1.7\n" + os.urandom(3000)),
    }


# ------------------------------------------------------------------------------------------ xlsx
def damage_member(src: Path, member: str, dest: Path) -> Path:
    """A copy of `src` whose `member` has garbage in the middle of its deflate stream."""
    raw = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    for k in range(middle, min(middle + 40, start + info.compress_size)):
        raw[k] ^= 0x5A
    dest.write_bytes(bytes(raw))
    return dest


def rewrite(src: Path, dest: Path, change) -> Path:
    """Copy a package, passing each member's bytes through change(name, data)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return dest


def with_entity(src: Path, member: str, dest: Path) -> Path:
    def change(name, data):
        if name != member:
            return data
        return re.sub(rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or b"") + _DTD, data, count=1)

    return rewrite(src, dest, change)


def fill_status(src: Path, dest: Path, sheet: str, status: str = "已完成") -> tuple[Path, int]:
    """The tracking sheet with every task row's 完成状态 filled (openpyxl), and the number of rows filled."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if r[0].value == "序号")
    cols = {c.value: c.column for c in header}
    filled = 0
    for row in range(header[0].row + 1, ws.max_row + 1):
        uid = ws.cell(row, cols["编号"]).value
        if isinstance(uid, str) and uid and not uid.startswith("主题"):
            ws.cell(row, cols["完成状态"]).value = status
            filled += 1
    wb.save(dest)
    return dest, filled


def dimension_lie(src: Path, dest: Path) -> Path:
    """The first sheet's <dimension> claims far fewer rows than it holds."""
    def change(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:N6"/>', data, count=1)
        return data

    return rewrite(src, dest, change)


def duplicated_rows(src: Path, dest: Path, copies: int) -> Path:
    """The first task row of the tracking sheet repeated `copies` times below the table (same hidden ID)."""
    def change(name, data):
        if name != "xl/worksheets/sheet1.xml":
            return data
        rows = re.findall(rb"<row [^>]*>.*?</row>", data, re.S)
        task = next(r for r in rows if re.search(rb"<c [^>]*t=\"inlineStr\"", r) and rows.index(r) >= 4)
        last = max(int(m) for m in re.findall(rb'<row [^>]*r="(\d+)"', data))
        old = re.search(rb'r="(\d+)"', task).group(1)
        parts = []
        for i in range(copies):
            n = str(last + 1 + i).encode()
            parts.append(re.sub(rb'(r="[A-Z]{1,3})' + old + b'"', rb"\g<1>" + n + b'"',
                                task.replace(b'r="' + old + b'"', b'r="' + n + b'"', 1)))
        end = data.rfind(b"</sheetData>")
        return data[:end] + b"".join(parts) + data[end:]

    return rewrite(src, dest, change)


def shared_strings_bomb(src: Path, dest: Path, size: int = 26 * 1024 * 1024) -> Path:
    """A sharedStrings part far larger than any ledger's (random, so it does not compress away)."""
    def change(name, data):
        return data

    rewrite(src, dest, change)
    body = os.urandom(size // 2).hex().encode()
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main" count="1" uniqueCount="1"><si><t>' + body + b"</t></si></sst>")
    with zipfile.ZipFile(dest, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings.xml", xml)
    return dest


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def damage_history(path: Path) -> Path:
    """Garbage over the history's pages, a part of the library that listing reports does not read.

    (Not the file's middle: that moves onto other tables as the schema grows.)"""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = [r[0] for r in conn.execute("SELECT rootpage FROM sqlite_master WHERE name IN ('history', 'history_report')")]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * size)
            fh.write(os.urandom(size))
    return path
