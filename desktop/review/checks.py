"""Automatic checks of a reading against the rubric: pure functions, no Qt, no storage.

API:
    run_checks(reading, rubric=None) -> list[Finding]   # every check, in CHECK_IDS order
    CHECK_IDS                                          # finding ids, in display order
The reviewer decides: each finding is evidence (spans into reading.clean_text) and a suggestion, not a score.
"""
from __future__ import annotations

import re
from datetime import date

from desktop.report.lexicon import CN_ORDINALS
from desktop.report.model import Reading, Section
from desktop.review import content
from desktop.review.findings import TITLES, Finding, evidence
from desktop.review.rubric import Rubric, load_rubric
from desktop.review.structure import (CORE_PARTS, PART_NAMES, SHORT_NAMES, body_span, in_section,
                                      locate_parts)
from desktop.review.text import figures, find_all

CHECK_IDS = (
    "required_parts", "timeliness", "data", "problems.count", "problems.boilerplate", "problems.causes",
    "problems.answered", "plans.measurable", "plans.rates", "indicators.recompute", "indicators.change_unit",
    "first_responsible",
)


def run_checks(reading: Reading, rubric: Rubric | None = None) -> list[Finding]:
    """All checks on one reading. Each finding carries the rubric criteria it informs."""
    rubric = rubric or load_rubric()
    places = locate_parts(reading)
    raw = [check_required_parts(reading, places), check_timeliness(reading, rubric.check_params("timeliness"))]
    raw += content.check_data(reading, places)
    raw += content.check_problems(reading, places, rubric.check_params("problems"))
    raw += content.check_plans(reading, places, rubric.check_params("plans"))
    raw += content.check_indicators(reading)
    raw.append(check_first_responsible(reading, places, rubric.check_params("first_responsible")))
    order = {c: i for i, c in enumerate(CHECK_IDS)}
    raw.sort(key=lambda f: order.get(f.check, len(order)))
    return [Finding(f.check, f.title, f.result, f.explanation, rubric.criteria_for_check(f.check),
                    f.evidence, f.data) for f in raw]


def finding(check: str, result: str, explanation: str, spans=(), **data) -> Finding:
    return Finding(check, TITLES.get(check, check), result, explanation, (), tuple(spans), data)


# ---- 1. required parts ----

def check_required_parts(reading: Reading, places=None) -> Finding:
    places = locate_parts(reading) if places is None else places
    text = reading.clean_text
    parts, spans, found, inside, missing = {}, [], [], [], []
    for part, place in places.items():
        parts[part] = {"level": place.level, "how": place.how,
                       "paths": [s.path for s in place.sections], "titles": [s.title for s in place.sections]}
        for s in place.sections:
            spans.append(evidence(text, s.title_start, s.title_end, f"{SHORT_NAMES[part]}：{_where(s)}"))
    for part in CORE_PARTS:
        place = places.get(part)
        if place is None:
            missing.append(part)
        elif place.level == "section":
            inside.append(part)
        else:
            found.append(part)
    data = {"parts": parts, "missing": missing, "doc_kind": reading.doc_kind}
    lines = [f"{SHORT_NAMES[p]}见{'、'.join(_where(s) for s in places[p].sections)}" for p in found + inside]
    listing = "；".join(lines) if lines else "未识别出任何必备部分"
    if reading.doc_kind != "annual_report":
        kind = "工作安排/实施方案" if reading.doc_kind == "work_plan" else "非年度报告"
        return finding("required_parts", "unknown", f"本文件是{kind}，不适用年度报告必备内容的要求。{listing}。",
                       spans, **data)
    if missing:
        mentions = [evidence(text, a, b, "正文提及")
                    for a, b, _ in find_all(text, ["第一责任人", "存在的不足", "存在的问题", "下一步", "下一年度"])
                    if reading.section_at(a) is not None][:6]
        names = "、".join(f"“{PART_NAMES[p]}”" for p in missing)
        return finding("required_parts", "fail", f"缺少{names}（文本可能不完整）。{listing}。",
                       spans + mentions, **data)
    if inside:
        names = "、".join(f"“{PART_NAMES[p]}”" for p in inside)
        return finding("required_parts", "warn", f"{names}没有单独成章，只在其他章节中出现。{listing}。",
                       spans, **data)
    extra = "，另有“其他需要报告的情况”" if "other" in places else ""
    return finding("required_parts", "pass", f"四个必备部分齐全{extra}。{listing}。", spans, **data)


def _where(section) -> str:
    if section.level == 1:
        return f"第{section.number}章“{section.title}”" if section.number else f"“{section.title}”一章"
    return f"{section.path}“{section.title}”"


# ---- 2. timeliness ----

_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


_REPORT_YEAR = re.compile(r"(\d{4})\s*年度?(?:法治政府建设|推进法治)")


def _report_year(reading: Reading) -> int | None:
    if reading.metadata.report_year:
        return reading.metadata.report_year
    m = _REPORT_YEAR.search(reading.metadata.title or "")
    return int(m.group(1)) if m else None


def check_timeliness(reading: Reading, params: dict | None = None) -> Finding:
    params = params or {}
    month, day = int(params.get("deadline_month", 4)), int(params.get("deadline_day", 1))
    meta = reading.metadata
    year = _report_year(reading)
    published = meta.published or (meta.published_at or "")[:10] or None
    data = {"published": published, "report_year": year, "deadline": None}
    if reading.doc_kind != "annual_report":
        return finding("timeliness", "unknown", "本文件不是年度报告，不检查次年4月1日前公开的要求。", **data)
    if year is None:
        return finding("timeliness", "unknown", "无法确定报告年度，不能判断是否按时公开。", **data)
    deadline = date(year + 1, month, day)
    data["deadline"] = deadline.isoformat()
    if not published:
        return finding("timeliness", "unknown",
                       f"文本中没有发布日期，无法判断是否在 {deadline.year}年{deadline.month}月{deadline.day}日前公开，请人工核实。", **data)
    m = _DATE.match(published)
    try:
        when = date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        when = None
    if when is None:
        return finding("timeliness", "unknown", f"发布日期“{published}”无法识别，请人工核实。", **data)
    spans = _date_spans(reading.clean_text, when)
    if when <= deadline:
        return finding("timeliness", "pass",
                       f"{year}年度报告于 {when:%Y-%m-%d} 发布，在 {deadline:%Y-%m-%d} 之前，按时公开。", spans, **data)
    late = (when - deadline).days
    return finding("timeliness", "fail",
                   f"{year}年度报告于 {when:%Y-%m-%d} 发布，晚于 {deadline:%Y-%m-%d}（逾期 {late} 天）。", spans, **data)


def _date_spans(text: str, when: date):
    out = []
    for m in _DATE.finditer(text):
        try:
            if date(int(m.group(1)), int(m.group(2)), int(m.group(3))) == when:
                out.append(evidence(text, m.start(), m.end(), "发布日期"))
        except ValueError:
            continue
    return out[:2]


# ---- 7. the 第一责任人 chapter ----

_DUTY = re.compile(r"第一责任人")
_ITEM = re.compile(rf"[{CN_ORDINALS}]+是")


def _duty_passage(reading: Reading):
    """((start, end), section) of the 一是… item (else the paragraph) of the results that tells of the 第一责任人
    duty, when the report gives it no section of its own; None when no such passage is found."""
    text = reading.clean_text
    outside = [(c.start, c.end) for c in reading.outline if c.role in ("problems", "plans")]
    for m in _DUTY.finditer(text):
        if any(a <= m.start() < b for a, b in outside):
            continue
        para_start = text.rfind("\n", 0, m.start()) + 1
        para_end = text.find("\n", m.end())
        para_end = len(text) if para_end < 0 else para_end
        starts = [i.start() for i in _ITEM.finditer(text, para_start, para_end)]
        a = max((s for s in starts if s <= m.start()), default=para_start)
        b = min((s for s in starts if s > m.start()), default=para_end)
        section = next((s for s in reversed(list(reading.sections())) if s.start <= a < s.end), None)
        return (a, b), section
    return None


_DUTY_KINDS = {"meetings": "会议", "account": "述法", "training": "学法培训", "leader": "负责人本人"}


def _duty_bodies(reading: Reading, place) -> tuple[list[tuple[tuple[int, int], Section | None]], str] | None:
    """([((start, end), section)], where it is told) of the 第一责任人 part: its own sections, else the one passage
    of the results that tells it; None when neither is found."""
    if place is not None:
        return [(body_span(sec), sec) for sec in place.sections], "、".join(_where(s) for s in place.sections)
    passage = _duty_passage(reading)  # many reports tell it in one 一是… item of the results, with no section of its own
    if passage is None:
        return None
    where = f"{_where(passage[1])}中的一段（没有单独的章节）" if passage[1] else "正文中的一段（没有单独的章节）"
    return [passage], where


def _duty_hits(reading: Reading, bodies, own_section: bool, params: dict) -> tuple[dict[str, list], list]:
    """The rubric's marker phrases of each kind found in the bodies, and the spans of their figures."""
    text = reading.clean_text
    hits: dict[str, list] = {k: [] for k in _DUTY_KINDS}
    figure_spans: list = []
    for (a, b), sec in bodies:
        for kind in _DUTY_KINDS:
            hits[kind] += find_all(text, params.get(kind, []), a, b)
        inds = [] if not own_section else [(i.start, i.end) for i in content.indicator_index(reading).within(a, b)
                                           if in_section(i.section, sec.path)]
        figure_spans += inds or figures(text, a, b)
    return hits, figure_spans


def check_first_responsible(reading: Reading, places=None, params: dict | None = None) -> Finding:
    places = locate_parts(reading) if places is None else places
    params = params or {}
    place = places.get("first_responsible")
    text = reading.clean_text
    told = _duty_bodies(reading, place)
    if told is None:
        return finding("first_responsible", "unknown", "未找到党政主要负责人履行第一责任人职责的章节。")
    bodies, where = told
    kinds = _DUTY_KINDS
    hits, figure_spans = _duty_hits(reading, bodies, place is not None, params)
    spans = []
    for kind, label in kinds.items():
        for a, b, _ in hits[kind][:3]:
            spans.append(evidence(text, a, b, label))
    for a, b in figure_spans[:6]:
        spans.append(evidence(text, a, b, "数据"))
    concrete = [k for k in ("meetings", "account", "training") if hits[k]]
    data = {"paths": [sec.path for _, sec in bodies if sec is not None],
            "markers": {k: len(v) for k, v in hits.items()},
            "figures": len(figure_spans), "concrete": concrete, "own_section": place is not None}
    named = "、".join(kinds[k] for k in concrete) or "无"
    leader = "" if hits["leader"] else "未写明主要负责人本人的履职行为（多以单位为主语）。"
    if place is None and concrete:  # a paragraph, not the part the 督察工作规定 asks for: at best a reminder
        (first_start, first_end), _ = bodies[0]
        return finding("first_responsible", "warn", f"{where}提到{named}。建议单列一部分报告第一责任人履职情况。",
                       [evidence(text, first_start, first_end, "第一责任人"), *spans], **data)
    if len(concrete) >= 2 and figure_spans and hits["leader"]:
        return finding("first_responsible", "pass",
                       f"{where}写到{named}，并有 {len(figure_spans)} 处数据，内容具体。", spans, **data)
    if concrete:
        more = f"有 {len(figure_spans)} 处数据" if figure_spans else "没有次数、人数等数据"
        return finding("first_responsible", "warn", f"{where}提到{named}，但{more}。{leader}".rstrip(),
                       spans, **data)
    return finding("first_responsible", "fail",
                   f"{where}未提到会议、述法或学法培训等具体履职，内容较笼统。{leader}".rstrip(), spans, **data)
