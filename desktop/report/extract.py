"""The reading pipeline: bytes or text -> clean text -> outline -> metadata -> indicators -> work items."""
from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from desktop.report.clean import clean, fold
from desktop.report.indicators import find_indicators
from desktop.report.metadata import doc_kind, read_metadata
from desktop.report.model import Reading, ReportError, Section
from desktop.report.outline import build_outline, repeated_numbers
from desktop.report.sources import read_source, source_text
from desktop.report.workitems import find_work_items

_FIRST_CHAPTER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*、|第[一二三四五六七八九十]+(?:部分|章))", re.M)


def read_file(path: str | Path) -> Reading:
    """Read a report file (.txt in UTF-8/UTF-16/GBK, or .html/.htm)."""
    data, name = read_source(path)
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str = "") -> Reading:
    try:
        text, notes = source_text(data, name)
        return read_text(text, name, notes=notes)
    except ReportError as exc:
        if exc.source is None and name:
            exc.source = name
        raise


def read_text(text: str, name: str = "", *, notes: tuple[str, ...] = ()) -> Reading:
    """Read report text that is already decoded."""
    if not isinstance(text, str):
        raise ReportError("输入不是文本", source=name or None)
    cleaned = clean(text)
    body = cleaned.text
    if not body.strip():
        raise ReportError("没有可读的正文", source=name or None)
    folded = fold(body)
    first = _FIRST_CHAPTER.search(folded)
    preamble = body[: first.start()] if first else body[:600]
    if cleaned.title and preamble.startswith(cleaned.title):
        preamble = preamble[len(cleaned.title):].lstrip("\n")
    kind = doc_kind(cleaned.title, preamble)
    report_year = _report_year(cleaned.title, preamble) if kind == "annual_report" else None
    outline = build_outline(body, kind, report_year, folded, cleaned.end_matter)
    if kind == "other" and len(outline) >= 2 and any(c.role in {"problems", "plans"} for c in outline):
        kind = "annual_report"  # untitled, but laid out as a report: chapters of results, problems, plans
    plans = next((c for c in outline if c.role == "plans"), None)
    metadata = read_metadata(cleaned, preamble, kind, plans.title if plans and kind == "annual_report" else None)
    locate = _locator(outline)
    indicators = find_indicators(body, locate, folded)
    title_end = len(cleaned.title) + 1 if cleaned.title and body.startswith(cleaned.title) else 0
    work_items = find_work_items(body, outline, folded, kind, title_end)
    warnings = [*notes, *cleaned.repairs, *repeated_numbers(outline)]
    if not outline:
        warnings.append("未识别到章节标题，全文按一个整体处理")
    return Reading(source_name=name, doc_kind=kind, clean_text=body, metadata=metadata, outline=outline,
                   indicators=tuple(indicators), work_items=tuple(work_items), warnings=tuple(warnings))


def _report_year(title: str | None, preamble: str) -> int | None:
    m = re.search(r"(20\d\d)\s*年", title) if title else None
    if m is None:
        m = re.match(r"\s*(20\d\d)\s*年", fold(preamble))
    return int(m.group(1)) if m else None


def _locator(outline: tuple[Section, ...]):
    """offset -> path of the deepest section holding it ("preamble" before the first chapter)."""
    spans: list[tuple[int, int, int, str]] = []
    for chapter in outline:
        for sec in chapter.walk():
            spans.append((sec.start, sec.end, sec.level, sec.path))
    spans.sort(key=lambda s: (s[0], -s[1]))
    starts = [s[0] for s in spans]
    first = spans[0][0] if spans else None

    def locate(offset: int) -> str:
        if first is None or offset < first:
            return "preamble"
        i = bisect_right(starts, offset) - 1
        while i >= 0:
            s, e, _, path = spans[i]
            if s <= offset < e:
                return path
            i -= 1
        return "preamble"

    return locate
