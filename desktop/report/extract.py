"""The reading pipeline: bytes or text -> clean text -> outline -> metadata -> indicators -> work items."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from pathlib import Path

from desktop.report.clean import clean
from desktop.report.normalise import fold
from desktop.report.headings import CHAPTER_LINE
from desktop.report.indicators import find_indicators
from desktop.report.metadata import doc_kind, missing_fields, read_metadata
from desktop.report.model import Metadata, Reading, ReportError, Section
from desktop.report.outline import build_outline, repeated_numbers, title_meaning
from desktop.report.sources import read_source, source_text
from desktop.report.workitems import find_work_items

_FIRST_CHAPTER = CHAPTER_LINE


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
    report_year = report_year_of(cleaned.title, preamble, folded) if kind != "work_plan" else None
    outline = build_outline(body, kind, report_year, folded, cleaned.end_matter)
    if kind == "other" and len(outline) >= 2 and any(c.role in {"problems", "plans"} for c in outline):
        kind = "annual_report"  # untitled, but laid out as a report: chapters of results, problems, plans
    plans = next((c for c in outline if c.role == "plans"), None)
    metadata = read_metadata(cleaned, preamble, kind, plans.title if plans else None,
                             report_year if kind == "annual_report" else None)
    locate = _locator(outline)
    indicators = find_indicators(body, locate, folded)
    title_end = len(cleaned.title) + 1 if cleaned.title and body.startswith(cleaned.title) else 0
    work_items = find_work_items(body, outline, folded, kind, title_end, cleaned.end_matter, metadata.report_year)
    warnings = [*notes, *cleaned.repairs, *repeated_numbers(outline)]
    if not outline:
        warnings.append("未识别到章节标题，全文按一个整体处理")
    metadata = _plan_year_from_tasks(metadata, kind, work_items)
    warnings.extend(missing_fields(metadata, kind, any(w.kind == "plan_task" for w in work_items)))
    return Reading(source_name=name, doc_kind=kind, clean_text=body, metadata=metadata, outline=outline,
                   indicators=tuple(indicators), work_items=tuple(work_items), warnings=tuple(warnings))


_YEAR_IN_TEXT = (
    re.compile(r"^\s*(20\d\d)\s*年"),  # '2023年，全县…'
    re.compile(r"现将.{0,30}?(20\d\d)\s*年.{0,30}?(?:报告|汇报)如下"),  # '现将市政府2023年度法治政府建设情况报告如下'
    re.compile(r"^[^。\n]{0,20}(20\d\d)\s*年(?:度|以来)?[，]"),  # '过去的2023年，' '一年来' is no year
)
_CHAPTER_YEAR = re.compile(CHAPTER_LINE.pattern + r"[^。\n]{0,12}?(20\d\d)\s*年", re.M)


_YEAR = re.compile(r"(20\d\d)\s*年")


def report_year_of(title: str | None, preamble: str, folded_body: str) -> int | None:
    """The year a report is about: from its title, its opening sentence, or its first dated chapter
    ('一、2022年总体情况', '2024年主要工作情况'); a chapter that plans a year does not count."""
    m = _YEAR.search(fold(title)) if title else None
    if m is None:
        head = fold(preamble[:800])
        m = next((found for rx in _YEAR_IN_TEXT if (found := rx.search(head))), None)
    if m is None:
        for c in _CHAPTER_YEAR.finditer(folded_body):
            if title_meaning(c.group(0)) != "plans":
                return int(c.group(1))
        return None
    return int(m.group(1))


def _plan_year_from_tasks(metadata: Metadata, kind: str, work_items) -> Metadata:
    """Plans without a chapter of their own ('2024年，我们将…') plan the year they name, or the year after the report's."""
    first = next((w for w in work_items if w.kind == "plan_task"), None)
    if kind != "annual_report" or metadata.plan_year is not None or first is None or metadata.report_year is None:
        return metadata
    m = _YEAR.search(fold(first.text))
    year = int(m.group(1)) if m and int(m.group(1)) > metadata.report_year else metadata.report_year + 1
    return replace(metadata, plan_year=year)


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
