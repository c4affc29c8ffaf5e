"""PDF text as it is typeset: each printed line rebuilt from its characters' positions, without the spaces
typesetting adds (Chinese next to Latin letters or digits, the stretch of a justified line).

Word and LibreOffice put a small gap between a Chinese character and a digit ("28 件", "2019 年度") and
stretch justified lines; a text extractor that turns every gap into a space then hides the figures from the
reader. Here a gap becomes a space only where it separates two Latin words or numbers ("2.3 3") or is wide
enough to be a column; a space the document itself holds (a space glyph) is kept. Glyphs drawn out of order
(a quotation mark set in a fallback font after the rest of its line) go back to where they are printed.
"""
from __future__ import annotations

import io
import logging
import re

from desktop.kernel import limits
from desktop.report.model import ReportError

log = logging.getLogger(__name__)

_WORD_GAP = 0.15  # em: a gap wider than this between two Latin letters or digits is a word space
_COLUMN_GAP = 2.0  # em: a gap this wide between any two characters separates columns (a table's cells)
_SAME_LINE = 0.5  # em: baselines closer than this belong to one printed line


def _latin(ch: str) -> bool:
    """A Latin letter or digit, half- or full-width (the characters typesetting spaces off from Chinese)."""
    return (ch.isascii() and ch.isalnum()) or "\uff10" <= ch <= "\uff19" or "\uff21" <= ch <= "\uff3a" \
        or "\uff41" <= ch <= "\uff5a" or ch in ".%％．"


def join_line(chars: list[tuple[float, float, float, str]]) -> str:
    """One printed line from its characters (x0, x1, size, text), in any order: sorted by position, a
    positional gap made a space only between Latin words/numbers or when column-wide."""
    chars = sorted(chars, key=lambda c: c[0])
    out: list[str] = []
    prev_x0 = prev_end = None
    prev_ch = ""
    for x0, x1, size, text in chars:
        if not text:
            continue
        if text.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            prev_end = x1
            continue
        if prev_x0 is not None and text == prev_ch and abs(x0 - prev_x0) < 0.3 * (size or 1):
            continue  # the same glyph drawn twice a little apart (a bold made by overprinting)
        if prev_end is not None and out and out[-1] != " ":
            gap = (x0 - prev_end) / (size or 1)
            if gap >= _COLUMN_GAP or (gap > _WORD_GAP and _latin(prev_ch) and _latin(text[0])):
                out.append(" ")
        out.append(text)
        prev_x0, prev_end, prev_ch = x0, x1, text[-1]
    return "".join(out).strip()


def _page_lines(layout) -> list[str]:
    """The printed lines of one pdfminer page layout, top to bottom."""
    from pdfminer.layout import LTChar, LTContainer

    chars: list[tuple[float, float, float, float, str]] = []
    stack = [iter(layout)]
    while stack:  # characters inside figures (form XObjects) too, without recursion
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        if isinstance(item, LTChar):
            size = item.size or (item.y1 - item.y0) or 1.0
            chars.append((-item.matrix[5], item.x0, item.x1, size, item.get_text()))
        elif isinstance(item, LTContainer) and len(stack) < 8:
            stack.append(iter(item))
    chars.sort(key=lambda c: c[0])
    lines: list[str] = []
    current: list[tuple[float, float, float, str]] = []
    base = None
    for y, x0, x1, size, text in chars:
        if base is not None and y - base > _SAME_LINE * size:
            lines.append(join_line(current))
            current = []
            base = None
        if base is None:
            base = y
        current.append((x0, x1, size, text))
    if current:
        lines.append(join_line(current))
    return lines


def typeset_pages(data: bytes, name: str = "") -> list[str]:
    """The text of each page of a PDF whose limits were already checked, line by line as printed."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Bounded(PDFPageAggregator):
        """Counts the glyphs a page draws and stops at the limit (one text operator can show millions)."""
        glyphs = 0

        def render_char(self, *args, **kwargs):
            self.glyphs += 1
            if self.glyphs > limits.MAX_PDF_PAGE_GLYPHS:
                raise ReportError(f"PDF 第 {len(pages) + 1} 页的文字超过上限 {limits.MAX_PDF_PAGE_GLYPHS} 个字符",
                                  source=name or None)
            return super().render_char(*args, **kwargs)

    manager = PDFResourceManager(caching=True)
    device = Bounded(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[str] = []
    for page in PDFPage.get_pages(io.BytesIO(data), password=""):
        device.glyphs = 0
        interpreter.process_page(page)
        pages.append("\n".join(_page_lines(device.get_result())))
    return pages


_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20"
_LATIN = r"0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_TYPESET_SPACE = re.compile(rf"(?<=[{_CJK}]) (?=[{_LATIN}])|(?<=[{_LATIN}%％]) (?=[{_CJK}])")


def drop_typeset_spaces(text: str) -> str:
    """Text extracted without positions: a single space between a Chinese character and a Latin letter or digit
    dropped ('获 2023 年度' -> '获2023年度'); a space between two numbers stays."""
    return _TYPESET_SPACE.sub("", text)


def pdf_pages(data: bytes, reader, name: str = "") -> list[str]:
    """Each page's text as typeset; pypdf's extraction (with typesetting spaces dropped) when pdfminer fails."""
    try:
        return typeset_pages(data, name)
    except ReportError:
        raise
    except Exception:  # pdfminer raises many kinds on files pypdf still reads
        log.info("pdfminer could not lay out the PDF; using pypdf's text", exc_info=True)
    return [drop_typeset_spaces(page.extract_text() or "") for page in reader.pages]
