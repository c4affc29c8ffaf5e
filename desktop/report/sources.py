"""Turn a file's bytes into text: encoding detection for .txt, a real HTML parser for .html/.htm."""
from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from desktop.report.model import ReportError

MAX_BYTES = 10 * 1024 * 1024  # a report is a few hundred KB; larger files are refused up front
_BINARY_MAGIC = (
    (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"),
    (b"PK\x03\x04", "压缩包（或 Excel、PowerPoint 文档）"), (b"\xd0\xcf\x11\xe0", "旧版 Office 文档（.doc/.xls），请另存为 .docx"),
    (b"\x7fELF", "程序文件"),
    (b"SQLite format 3", "SQLite 数据库"), (b"MZ", "程序文件"), (b"\x1f\x8b", "gzip 压缩文件"),
)
READABLE = "可读取的是文本（.txt）、网页（.html）、Word（.docx）或 PDF 格式的报告"
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
DOCX_SUFFIXES = {".docx", ".docm"}
PDF_SUFFIX = ".pdf"


def read_source(path: str | Path) -> tuple[bytes, str]:
    """Read a file's bytes, refusing directories, missing files and oversized files with a clear message."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise ReportError("这是一个文件夹，不是报告文件", source=name)
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ReportError(f"文件过大（{size / 1048576:.0f} MB），上限为 {MAX_BYTES // 1048576} MB", source=name)
        return p.read_bytes(), name
    except FileNotFoundError:
        raise ReportError("文件不存在", source=name) from None
    except PermissionError:
        raise ReportError("没有读取该文件的权限", source=name) from None
    except OSError as exc:
        raise ReportError(f"无法读取文件（{exc.strerror or exc}）", source=name) from None


def bytes_to_text(data: bytes, name: str = "") -> str:
    """Decode a report's bytes; HTML (by suffix or by content) goes through the HTML parser."""
    if len(data) > MAX_BYTES:
        raise ReportError(f"文件过大，上限为 {MAX_BYTES // 1048576} MB", source=name or None)
    if not data.strip():
        raise ReportError("文件为空", source=name or None)
    if data.startswith(b"PK\x03\x04") and Path(name).suffix.lower() in DOCX_SUFFIXES | {""}:
        return docx_to_text(data, name)
    if data.startswith(b"%PDF"):
        return pdf_to_text(data, name)
    if data.startswith(b"PK\x03\x04") and Path(name).suffix.lower() in WORKBOOK_SUFFIXES:
        raise ReportError(f"这是 Excel 工作簿，不是报告（填好的台账请用 import-ledger 读回）；{READABLE}",
                          source=name or None)
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise ReportError(f"这是{' ' if what[0].isascii() else ''}{what}，不是报告；{READABLE}", source=name or None)
    text = decode(data, name)
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in {".txt", ".text"} and _looks_like_html(text)):
        text = html_to_text(text)
    if not text.strip():
        raise ReportError("文件中没有可读的文字", source=name or None)
    return text


def decode(data: bytes, name: str = "") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else detection (GB18030 covers GBK/GB2312)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                raise ReportError(f"文件声明为 {enc.upper()} 编码，但内容无法按此解码", source=name or None) from None
    utf16 = _guess_bomless_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    if b"\x00" in data:
        raise ReportError(f"这是二进制文件，不是报告；{READABLE}", source=name or None)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
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
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible(text):
            return text
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
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


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
    import zipfile

    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a declared dependency
        raise ReportError("未安装 python-docx，无法读取 Word 文档", source=name or None) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > 20 * MAX_BYTES:
                raise ReportError("Word 文档解压后过大，可能已损坏", source=name or None)
        document = docx.Document(io.BytesIO(data))
    except ReportError:
        raise
    except Exception:  # python-docx raises many kinds for a damaged or non-Word zip
        raise ReportError("不是有效的 Word（.docx）文档，或文件已损坏", source=name or None) from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat: keep one
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:
                        cells.append(text)
                lines.append(" | ".join(cells))
    return "\n".join(lines)


def pdf_to_text(data: bytes, name: str = "") -> str:
    """The text layer of a PDF, page by page (pypdf). Scanned pages without text get a clear message."""
    import io

    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - a declared dependency
        raise ReportError("未安装 pypdf，无法读取 PDF", source=name or None) from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ReportError("PDF 已加密，需要密码才能读取", source=name or None)
            except (PdfReadError, NotImplementedError):
                raise ReportError("PDF 已加密，需要密码才能读取", source=name or None) from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReportError:
        raise
    except Exception:  # pypdf raises many kinds on damaged files
        raise ReportError("PDF 文件已损坏或无法解析", source=name or None) from None
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise ReportError("PDF 中没有可提取的文字（可能是扫描件，需要先做文字识别）", source=name or None)
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


def html_to_text(html: str) -> str:
    """Visible text of an HTML page; scripts, styles, navigation, header and footer are dropped."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this guards against pathological input
        raise ReportError(f"网页无法解析（{exc}）") from None
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t]+", " ", ln).strip(" |") for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()
