"""Turn a file's bytes into text: encoding detection for .txt, a real HTML parser for .html/.htm."""
from __future__ import annotations

import codecs
import logging
import os
import re
import stat
import threading
from html.parser import HTMLParser
from pathlib import Path

from desktop.kernel import limits

from desktop.report import ocr
from desktop.report.model import ReportError
from desktop.report.pdftext import pdf_pages
from desktop.kernel.plain import plain

MAX_BYTES = limits.MAX_FILE_BYTES  # a report is a few hundred KB; larger files are refused up front
_BINARY_MAGIC = (
    (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"),
    (b"PK\x03\x04", "压缩包（或 Excel、PowerPoint 文档）"), (b"\xd0\xcf\x11\xe0", "旧版 Office 文档（.doc/.xls），请另存为 .docx"),
    (b"\x7fELF", "程序文件"),
    (b"SQLite format 3", "SQLite 数据库"), (b"MZ", "程序文件"), (b"\x1f\x8b", "gzip 压缩文件"),
)
READABLE = "可读取的是文本（.txt）、网页（.html）、Word（.docx）、PDF 格式的报告或报告页面的图片（.png/.jpg/.tif）"
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
DOCX_SUFFIXES = {".docx", ".docm"}
PDF_SUFFIX = ".pdf"
log = logging.getLogger(__name__)
REPLACED_MARK = "已替换为 �"  # ends the reading's warning about undecodable bytes (the desk and CLI look for it)


class NoTextLayer(ReportError):
    """A PDF whose pages carry no text (a scan)."""


def read_source(path: str | Path) -> tuple[bytes, str]:
    """Read a regular file's bytes (at most the limit + 1), refusing folders, pipes, devices and oversized files."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise ReportError("这是一个文件夹，不是报告文件", source=name)
        # O_NONBLOCK: opening a named pipe must not wait for a writer; fstat then refuses it.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise ReportError("这是一个文件夹，不是报告文件", source=name)
            if not stat.S_ISREG(info.st_mode):
                raise ReportError("不是普通文件（管道、设备或套接字），只能读取普通的报告文件", source=name)
            if info.st_size > MAX_BYTES:
                raise ReportError(f"文件过大（{info.st_size / 1048576:.0f} MB），上限为 {limits.describe(MAX_BYTES)}",
                                  source=name)
            data = fh.read(MAX_BYTES + 1)  # a file that grows while read is still bounded
        if len(data) > MAX_BYTES:
            raise ReportError(f"文件过大，上限为 {limits.describe(MAX_BYTES)}", source=name)
        return data, name
    except FileNotFoundError:
        raise ReportError("文件不存在", source=name) from None
    except PermissionError:
        raise ReportError("没有读取该文件的权限", source=name) from None
    except IsADirectoryError:
        raise ReportError("这是一个文件夹，不是报告文件", source=name) from None
    except OSError as exc:
        raise ReportError(f"无法读取文件（{exc.strerror or exc}）", source=name) from None


def bytes_to_text(data: bytes, name: str = "") -> str:
    """Decode a report's bytes; HTML (by suffix or by content) goes through the HTML parser."""
    return source_text(data, name)[0]


def source_text(data: bytes, name: str = "") -> tuple[str, tuple[str, ...]]:
    """A report's text and the notes of its reading (bytes that could not be decoded, replaced and counted)."""
    if len(data) > MAX_BYTES:
        raise ReportError(f"文件过大，上限为 {limits.describe(MAX_BYTES)}", source=name or None)
    if not data.strip():
        raise ReportError("文件为空", source=name or None)
    notes: list[str] = []
    if data.startswith(b"PK\x03\x04") and Path(name).suffix.lower() in DOCX_SUFFIXES | {""}:
        text = docx_to_text(data, name)
    elif data.startswith(b"%PDF"):
        try:
            text = pdf_to_text(data, name)
        except NoTextLayer:  # a scan: read by OCR (or a clear message that the OCR extra is missing)
            text, notes = ocr.pdf_ocr(data, name)
            notes = list(notes)
    elif ocr.is_image(data):
        text, notes = ocr.image_ocr(data, name)
        notes = list(notes)
    else:
        if data.startswith(b"PK\x03\x04") and Path(name).suffix.lower() in WORKBOOK_SUFFIXES:
            raise ReportError(f"这是 Excel 工作簿，不是报告（填好的台账请用 import-ledger 读回）；{READABLE}",
                              source=name or None)
        for magic, what in _BINARY_MAGIC:
            if data.startswith(magic):
                raise ReportError(f"这是{' ' if what[0].isascii() else ''}{what}，不是报告；{READABLE}",
                                  source=name or None)
        text, notes = decode_counting(data, name)
        suffix = Path(name).suffix.lower()
        if suffix in HTML_SUFFIXES or (suffix not in {".txt", ".text"} and _looks_like_html(text)):
            tags = text.count("<")
            if tags > limits.MAX_HTML_TAGS:
                raise ReportError(f"网页的标签过多（{tags} 个），上限为 {limits.MAX_HTML_TAGS} 个", source=name or None)
            text = html_to_text(text)
    if not text.strip():
        raise ReportError("文件中没有可读的文字", source=name or None)
    _check_text_size(text, name)
    return text, tuple(notes)


def _check_text_size(text: str, name: str) -> None:
    if len(text) > limits.MAX_TEXT_CHARS:
        raise ReportError(f"文字过多（{len(text) // 10000} 万字），上限为 {limits.MAX_TEXT_CHARS // 10000} 万字",
                          source=name or None)
    lines = text.count("\n") + 1
    if lines > limits.MAX_TEXT_LINES:
        raise ReportError(f"行数过多（{lines} 行），上限为 {limits.MAX_TEXT_LINES} 行", source=name or None)


# ------------------------------------------------------------------------------------ decoding
_counts = threading.local()


def _replace_and_count(exc: UnicodeDecodeError):
    _counts.bad = getattr(_counts, "bad", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


codecs.register_error("fazhi-review-count", _replace_and_count)


def _decode(data: bytes, enc: str) -> tuple[str, int]:
    """`data` decoded with every undecodable byte sequence replaced by U+FFFD; (text, bytes replaced)."""
    _counts.bad = 0
    text = data.decode(enc, "fazhi-review-count")
    return text, _counts.bad


def decode(data: bytes, name: str = "") -> str:
    """The text of `data` (see decode_counting)."""
    return decode_counting(data, name)[0]


def decode_counting(data: bytes, name: str = "") -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), UTF-16 (with or without BOM), else detection (GB18030 covers GBK/GB2312).

    A few stray bytes (a 0xFF, a NUL, a GBK fragment in UTF-8, a file cut mid-character) do not refuse the
    report: they become U+FFFD and the notes say how many there were."""
    text, bad, enc = _decode_any(data, name)
    notes = []
    if bad and enc in ("UTF-8", "UTF-16") and len(data) < limits.MAX_FILE_BYTES + 1:
        mixed = _per_line(data)  # e.g. a UTF-8 BOM, then lines saved as GBK: each line in the encoding it reads in
        if mixed is not None:
            text, bad, lines = mixed
            enc = "UTF-8"
            notes.append(f"文件混用了两种编码：{lines} 行按 GB18030 读取，其余按 UTF-8 读取")
    nul = text.count("\x00")
    if nul:
        text = text.replace("\x00", "\ufffd")
    _refuse_garbage(text, bad + nul, name)
    if bad or nul:
        notes.append(f"文件中有 {bad + nul} 个字节无法按 {enc} 解码（可能混入了其他编码的文字或文件不完整），"
                     + REPLACED_MARK)
    return text, notes


_GARBAGE_SHARE = 0.2  # more of the text than this unreadable: not a report with a few stray bytes


def _refuse_garbage(text: str, replaced: int, name: str) -> None:
    """Refuse text that is mostly replacement characters or NULs (a binary file, a wrong encoding throughout)."""
    if replaced <= 16:
        return
    visible = len(text) - sum(map(text.count, (" ", "\n", "\r", "\t", "\u3000")))
    share = text.count("\ufffd") / max(visible, 1)
    if share > _GARBAGE_SHARE:
        raise ReportError(f"文件内容大部分无法识别（{share:.0%} 是乱码或空字节），不像是报告；{READABLE}",
                          source=name or None)


def _per_line(data: bytes) -> tuple[str, int, int] | None:
    """Decode line by line: UTF-8, else GB18030 (a GBK line); (text, bytes still undecodable, lines read as
    GB18030), or None when no line needed GB18030 or the GB18030 lines do not read as text."""
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    out, gb, bad = [], [], 0
    for line in body.split(b"\n"):
        try:
            out.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        as_utf8, n = _decode(line, "utf-8")
        try:
            if n * 5 < sum(1 for b in line if b >= 0x80):  # mostly UTF-8: a few stray bytes, not a GBK line
                raise UnicodeDecodeError("utf-8", line, 0, 1, "a UTF-8 line with stray bytes")
            decoded = line.decode("gb18030")
            gb.append(decoded)
        except UnicodeDecodeError:
            decoded = as_utf8
            bad += n
        out.append(decoded)
    wide = [ch for ch in "".join(gb) if ord(ch) >= 0x80]
    chinese = sum(1 for ch in wide if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                  or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u206f")
    if not gb or not _plausible("".join(gb)) or chinese < 0.8 * len(wide):
        return None  # the lines that are not UTF-8 do not read as Chinese in GB18030 either
    return "\n".join(out), bad, len(gb)


def _decode_any(data: bytes, name: str) -> tuple[str, int, str]:
    for bom, enc, label in ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
                            (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")):
        if data.startswith(bom):
            text, bad = _decode(data, enc)
            return text, bad, label
    try:
        return data.decode("utf-8"), 0, "UTF-8"
    except UnicodeDecodeError:
        pass
    utf16 = _guess_bomless_utf16(data)
    if utf16:
        text, bad = _decode(data, utf16)
        return text, bad, "UTF-16"
    if data.count(0) > max(16, len(data) // 100):
        raise ReportError(f"这是二进制文件，不是报告；{READABLE}", source=name or None)
    non_ascii = sum(1 for b in data[:400_000] if b >= 0x80) * max(1, len(data) // 400_000)
    text, bad = _decode(data, "utf-8")
    if bad * 20 <= non_ascii:  # UTF-8 with a few stray bytes
        return text, bad, "UTF-8"
    declared = _declared_charset(data)
    candidates = [declared] if declared else []
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None:
            candidates.append(best.encoding)
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    candidates.append("gb18030")
    for enc in candidates:
        enc = _widen(enc)
        try:
            other = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible(other):
            return other, 0, enc.upper()
    gb, gb_bad = _decode(data, "gb18030")
    if gb_bad * 20 <= non_ascii and _plausible(gb):
        return gb, gb_bad, "GB18030"
    if bad <= 16:  # a few stray bytes in otherwise plain text
        return text, bad, "UTF-8"
    raise ReportError("无法识别文件编码（不是 UTF-8、UTF-16 或 GBK/GB18030 文本）", source=name or None)


def _widen(enc: str) -> str:
    """GB2312 and GBK decoders reject characters that GB18030 (their superset) reads."""
    e = enc.lower().replace("_", "").replace("-", "")
    return "gb18030" if e in {"gb2312", "gbk", "cp936", "hz", "gb18030", "euccn"} else enc


def _plausible(text: str) -> bool:
    """Reject decodings that are mostly control or private-use characters."""
    if not text:
        return False
    bad = sum(1 for ch in text[:20000] if (ord(ch) < 32 and ch not in "\r\n\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / min(len(text), 20000) < 0.02


def _guess_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: the byte order whose decoding reads as Chinese or ASCII text."""
    sample = data[:8000]
    if len(sample) < 8:
        return None
    sample = sample[: len(sample) // 2 * 2]
    best, best_score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        text = sample.decode(enc, "replace")
        good = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or " " <= ch <= "~" or ch in "\r\n\t"
                   or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u206f")
        score = good / max(len(text), 1)
        if score > best_score:
            best, best_score = enc, score
    return best if best_score >= 0.9 else None


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    m = _CHARSET_RE.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in text)


def docx_to_text(data: bytes, name: str = "") -> str:
    """Paragraphs and table rows of a Word document in document order (tables as 'a | b | c' rows)."""
    import io

    try:
        import docx  # python-docx
        from docx.table import Table
    except ImportError:  # pragma: no cover - a declared dependency
        raise ReportError("未安装 python-docx，无法读取 Word 文档", source=name or None) from None
    from desktop.kernel.xmlbounds import DOCX_XML
    from desktop.kernel.zipcheck import Limits, PackageError, check_package

    docx_limits = Limits(limits.MAX_DOCX_PARTS, limits.MAX_DOCX_UNPACKED, limits.MAX_DOCX_RATIO,
                         {"word/document.xml": limits.MAX_DOCX_XML}, DOCX_XML)
    try:
        names = check_package(io.BytesIO(data), docx_limits, "Word 文档")
    except PackageError as exc:
        raise ReportError(str(exc), source=name or None) from None
    if "word/document.xml" not in names:
        raise ReportError("不是有效的 Word（.docx）文档（压缩包里没有正文 word/document.xml）", source=name or None)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a damaged or non-Word zip
        raise ReportError("不是有效的 Word（.docx）文档，或文件已损坏", source=name or None) from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_paragraph_text(child))
        elif tag == "tbl":
            lines.extend(_table_lines(Table(child, document)))
    return "\n".join(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_CHARS = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def _paragraph_text(p) -> str:
    """python-docx's Paragraph.text in one walk of the element (it runs two XPath queries per paragraph)."""
    out: list[str] = []
    for child in p.iterchildren(_W + "r", _W + "hyperlink"):
        for run in ((child,) if child.tag == _W + "r" else child.iterchildren(_W + "r")):
            for e in run:
                tag = e.tag
                if tag == _W + "t":
                    out.append(e.text or "")
                elif tag == _W + "br":
                    out.append("\n" if e.get(_W + "type", "textWrapping") == "textWrapping" else "")
                elif tag in _RUN_CHARS:
                    out.append(_RUN_CHARS[tag])
    return "".join(out)


def _table_lines(table) -> list[str]:
    """A Word table's rows as 'a | b | c' lines, in one pass: a vertically merged cell repeats the text of the
    cell it continues (python-docx's row.cells walks up the rows for each such cell, quadratic in the rows)."""
    above: dict[int, str] = {}  # grid column -> text of the cell there in the previous row
    lines = []
    for row in table.rows:
        cells: list[str] = []
        col = row.grid_cols_before
        current: dict[int, str] = {}
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue":
                text = above.get(col, "")
            else:
                text = " ".join("\n".join(_paragraph_text(p) for p in tc.iterchildren(_W + "p")).split())
            for k in range(span):
                current[col + k] = text
            col += span
            if not cells or cells[-1] != text:  # merged cells repeat: keep one
                cells.append(text)
        above = current
        lines.append(" | ".join(cells))
    return lines


_SPACE = re.compile(r"\s")


def pdf_to_text(data: bytes, name: str = "") -> str:
    """The text layer of a PDF, page by page (pypdf). Scanned pages without text get a clear message.

    What extraction will cost is bounded first (desktop/report/pdfbounds.py), with pypdf's own decoding
    limits set to ours while the file is read."""
    import io

    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - a declared dependency
        raise ReportError("未安装 pypdf，无法读取 PDF", source=name or None) from None
    from desktop.report.pdfbounds import check_pdf_content, decode_limits

    try:
        with decode_limits():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    if not reader.decrypt(""):
                        raise ReportError("PDF 已加密，需要密码才能读取", source=name or None)
                except (PdfReadError, NotImplementedError):
                    raise ReportError("PDF 已加密，需要密码才能读取", source=name or None) from None
            if len(reader.pages) > limits.MAX_PDF_PAGES:
                raise ReportError(f"PDF 有 {len(reader.pages)} 页，超过上限 {limits.MAX_PDF_PAGES} 页",
                                  source=name or None)
            check_pdf_content(reader, name)
            pages = pdf_pages(data, reader, name)
    except ReportError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        if type(exc).__name__ == "LimitReachedError":  # a stream inflating past pypdf's limit, set to ours
            raise ReportError(f"PDF 内容流解开后超过上限 {limits.describe(limits.MAX_PDF_CONTENT)}",
                              source=name or None) from None
        log.warning("PDF %s could not be parsed", name, exc_info=True)
        raise ReportError("PDF 文件已损坏或无法解析", source=name or None) from None
    text = "\n".join(pages)
    if len(_SPACE.sub("", text)) < 20:
        raise NoTextLayer("PDF 中没有可提取的文字（可能是扫描件，需要先做文字识别）", source=name or None)
    return text


# ----------------------------------------------------------------------------------------- HTML
_SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "iframe", "svg", "button", "select",
              "template", "object", "form", "head", "title"}
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
               "section", "article", "blockquote", "pre", "dd", "dt", "dl", "hr", "center", "tbody", "thead"}
_CELL_TAGS = {"td", "th"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}


class _TextExtractor(HTMLParser):
    """Collects visible text; block elements become line breaks, table cells are joined with ' | '."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self._role_tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip_depth += 1
            return
        attrs_d = dict(attrs)
        role = (attrs_d.get("role") or "").lower()
        if role in {"navigation", "banner", "contentinfo"} and tag not in _VOID_TAGS:
            self.skip_depth += 1
            self._role_tags.append(tag)
            return
        if self.skip_depth:
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self._role_tags and tag == self._role_tags[-1]:
            self._role_tags.pop()
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if not self.skip_depth and tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data.replace("\n", " ").replace("\r", " "))


_BLANKS = re.compile(r"[ \t]+")


def html_to_text(html: str) -> str:
    """Visible text of an HTML page; scripts, styles, navigation, header and footer are dropped."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this guards against pathological input
        raise ReportError(f"网页无法解析（{plain(exc)}）") from None
    text = "".join(parser.parts)
    lines = [_BLANKS.sub(" ", ln).strip(" |") for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()
