"""Safe cell values for ledger workbooks: XML-legal text, the cell limit, dates, widths, sheet names."""
from __future__ import annotations

import datetime as dt
import re

# Excel's limit, counted in UTF-16 code units.
CELL_LIMIT = 32767
TRUNCATION_MARK = "……（内容过长已截断，全文见审阅库）"
# Text starting with one of these would be read as a formula (or a DDE payload) when a user edits the
# cell or the sheet is saved as CSV: such text is written as a string with the quote-prefix style.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/U+FFFF).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LIMIT = 31

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def safe_text(value) -> str | None:
    """The text a cell will hold: illegal XML characters removed, cut to Excel's cell limit.

    None and empty strings stay None. The same function normalises exported and current values
    before they are compared on read-back, so a truncated task text still matches.
    """
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    text = _ILLEGAL_XML.sub("", text)
    if not text:
        return None
    if len(text) > CELL_LIMIT // 2 and _utf16_len(text) > CELL_LIMIT:
        keep, units = CELL_LIMIT - len(TRUNCATION_MARK), 0
        for i, ch in enumerate(text):
            units += 2 if ord(ch) > 0xFFFF else 1
            if units > keep:
                text = text[:i] + TRUNCATION_MARK
                break
    return text


def needs_quote_prefix(text: str | None) -> bool:
    """True when Excel would take the text for a formula if a user re-entered it."""
    return bool(text) and text.startswith(FORMULA_PREFIXES)


def parse_date(value) -> dt.date | None:
    """A calendar date from a cell value (date, datetime, or text like 2024-12-31 / 2024年12月31日)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def approx_width(text: str) -> int:
    """kernel.textwidth.display_width in Excel column units, estimated fast: every character outside ASCII counts
    two (CJK text, quotes)."""
    n = len(text)
    return n + (len(text.encode("utf-8")) - n + 1) // 2


LINE_HEIGHT = 15.0  # points per line of 11pt 仿宋, a little generous so nothing is clipped


def row_height(cells, widths, *, minimum: float = 20.0) -> float:
    """Height in points that shows every wrapped text cell of a row whole; widths in column units."""
    lines = 1
    for value, width in zip(cells, widths):
        if value.__class__ is not str or width is None:
            continue
        usable = max(width - 1.5, 2.0)
        n = 0
        for para in value.split("\n"):
            w = approx_width(para)
            n += max(1, -(-w // usable))
        lines = max(lines, n)
    return max(minimum, round(lines * LINE_HEIGHT + 6, 1))


def column_width(values, *, minimum: float, maximum: float) -> float:
    """A column width that fits the longest line of the values, clamped to [minimum, maximum]."""
    widest = 0
    for value in values:
        if value is None:
            continue
        for line in str(value).splitlines() or [""]:
            widest = max(widest, approx_width(line))
            if widest >= maximum:
                return maximum
    return float(min(max(widest + 2, minimum), maximum))


def safe_sheet_name(name: str, existing=()) -> str:
    """A valid, unique sheet name: no []:*?/\\, not blank, no edge apostrophes, at most 31 characters."""
    clean = _SHEET_NAME_BAD.sub("_", _ILLEGAL_XML.sub("", name or "")).strip().strip("'").strip()
    clean = clean[:SHEET_NAME_LIMIT] or "工作表"
    taken = {n.casefold() for n in existing}
    candidate, n = clean, 2
    while candidate.casefold() in taken or candidate.casefold() == "history":
        suffix = f"({n})"
        candidate = clean[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        n += 1
    return candidate


_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (enough for theme numbers)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")
