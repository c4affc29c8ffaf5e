"""Report metadata from the page's label/value fields, the title and the opening text; missing means None."""
from __future__ import annotations

import re

from desktop.report.clean import Cleaned
from desktop.report.normalise import fold
from desktop.report.hanzi import simplified
from desktop.kernel.labels import FIELD_LABELS
from desktop.report.lexicon import (BARE_LEVEL_CHARS, BODY_SUFFIXES, CN_ORDINALS, GOVERNMENT_SUFFIXES, PLACE_SUFFIXES,
                                    TOWN_SUFFIXES, YEAR_DIGIT_VALUES, YEAR_DIGITS, alternation)
from desktop.report.model import Metadata
from desktop.report.numbers import cn_to_number

_ORG_SUFFIX = BODY_SUFFIXES
_ORG_RE = re.compile(r"[\u4e00-\u9fff]{1,16}?(?:" + "|".join(_ORG_SUFFIX) + ")")
_PLACES = alternation(PLACE_SUFFIXES + TOWN_SUFFIXES)  # 省|自治区|…|乡|镇|街道
_PLACE_END = re.compile(rf"[\u4e00-\u9fff]{{1,10}}?(?:{_PLACES})$")
_PLACE_TAIL = re.compile(rf"(?:{_PLACES})$")
_TITLE_PLACE = re.compile(rf"^(?P<pre>[\u4e00-\u9fff]{{1,8}}?(?:{alternation(PLACE_SUFFIXES)}))(?=[\u4e00-\u9fff])")
_TITLE_YEAR = rf"(?:20\d\d|[{YEAR_DIGITS}]{{4}})\s*年"  # a title's year: 2024年, 二〇二四年
_TITLE_ORG_YEAR = re.compile(rf"^(?P<pre>.+?){_TITLE_YEAR}")
_TITLE_PLACE_YEAR = re.compile(rf"^(?P<pre>[\u4e00-\u9fff]{{2,12}}?){_TITLE_YEAR}")
_YEAR_ORG = re.compile(r"^(?:20\d\d)\s*年度?(?P<org>[\u4e00-\u9fff]{2,20}?(?:" + "|".join(_ORG_SUFFIX) + "))"
                       r"(?=法治|依法|推进|关于)")
_SUBJECT_VERB = re.compile(r"^(?:坚持|認真|认真|在|深入|以|紧紧|全面|围绕|紧扣|深刻|始终|持续|聚焦|按照|严格|积极|扎实|"
                           r"堅持|全力|大力|不断|切实|着力|贯彻|高度|牢牢|把|进一步|立足)")
_DATE = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
                   r"(?:\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?)?")
# Chinese numerals only, anywhere in a value: not titles.DATE_LINE, which is a whole line and takes Arabic digits
# too ('2024年03月14日 11:18' would be rewritten below and lose its time).
_CN_DATE = re.compile(rf"([{YEAR_DIGITS}]{{4}})\s*年\s*([{CN_ORDINALS}]{{1,3}})\s*月\s*([{CN_ORDINALS}]{{1,3}})\s*日")
_CN_YEAR = str.maketrans(YEAR_DIGITS, YEAR_DIGIT_VALUES)
# the longer org name before the subject's verb (市市场监管局 rather than 市市场监管)
_ORG_BEFORE_VERB = re.compile(r"^([\u4e00-\u9fff]{2,16}?(?:" + "|".join(_ORG_SUFFIX) + "))"
                              "(?=" + _SUBJECT_VERB.pattern[1:] + ")")
_WORK_PLAN = re.compile(r"工作要点|工作安排|任务分工|实施方案|工作计划|行动方案|工作方案|责任清单|任务清单|实施意见")
_REPORT = re.compile(r"报告|总结|情况")


def _date(value: str | None) -> tuple[str | None, str | None]:
    """'2024- 03- 14  11: 18' -> ('2024-03-14', '2024-03-14 11:18')."""
    if not value:
        return None, None
    cn = _CN_DATE.search(value)
    if cn:  # '二〇二四年十二月二十六日'
        y, mo, d = (cn_to_number(cn.group(k)) for k in (1, 2, 3))
        value = f"{int(y or 0)}年{int(mo or 0)}月{int(d or 0)}日"
    m = _DATE.search(value.translate(_CN_YEAR) if "年" in value else value)
    if not m:
        return None, None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None, None
    day = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"] is None:
        return day, None
    at = f"{day} {int(m['H']):02d}:{m['M']}" + (f":{m['S']}" if m["S"] else "")
    return day, at


def _first(fields: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for v in fields.get(key, []):
            if v:
                return v
    return None


_REPORT_OPENING = re.compile(r"报告如下|年度报告|情况报告|工作报告")
_PLAN_OPENING = re.compile(r"安排如下|制定本.{0,4}(?:方案|要点)|要点如下|印发给你们")
_LAW_WORDS = re.compile(r"法治|依法")
_NOT_A_REPORT = re.compile(r"解读|答记者问|新闻发布|图解|一图读懂")
_REPORT_AND_MORE = re.compile(r"(?:情况|总结|成效)暨")
_YEAR_OPENING = re.compile(r"\s*20\d\d\s*年(?:度|以来)?，")
_RESULT_WORDS = re.compile(r"取得|成效|推进")
_REPORT_WORDS = re.compile(r"报告|总结")


def doc_kind(title: str | None, preamble: str) -> str:
    """annual_report | work_plan | other, from the title or, without one, from how the text opens."""
    if title:
        title = fold(title)
        if _NOT_A_REPORT.search(title):
            return "other"  # about a report or plan, not the document itself
        if _REPORT_AND_MORE.search(title):
            return "annual_report"  # '2023年工作情况暨2024年工作要点': last year's report and this year's plan
        if _WORK_PLAN.search(title) and not _REPORT_WORDS.search(title):
            return "work_plan"
        if _REPORT.search(title):
            return "annual_report"
    head = fold(preamble[:600])
    if _REPORT_OPENING.search(head):
        return "annual_report"
    if _PLAN_OPENING.search(head):
        return "work_plan"
    if _YEAR_OPENING.match(head) and _LAW_WORDS.search(head):
        return "annual_report"
    if _LAW_WORDS.search(head):
        return "annual_report" if _RESULT_WORDS.search(head) else "other"
    return "other"


_ORG_ABOUT = re.compile(r"^(?P<org>.+?)关于")


def _org_from_title(title: str) -> str | None:
    m = _ORG_ABOUT.match(title)
    if m and " " in m["org"].strip() and all(_ORG_RE.fullmatch(o) for o in m["org"].split()):
        return "".join(m["org"].split())  # a joint title '中共某市委 某市人民政府关于…' names both, as when unspaced
    if m and _ORG_RE.fullmatch(m["org"]):
        return m["org"]
    m = _TITLE_ORG_YEAR.match(title)
    if m and _ORG_RE.fullmatch(m["pre"]) and not _PLACE_END.fullmatch(m["pre"]):
        return m["pre"]
    m = _YEAR_ORG.match(title)
    return m["org"] if m else None


def _place_from_title(title: str) -> str | None:
    m = _TITLE_PLACE_YEAR.match(title)
    if m and _PLACE_END.fullmatch(m["pre"]):
        return m["pre"]
    m = _TITLE_PLACE.match(title)
    return m["pre"] if m else None


_GOVERNMENT_ORG = re.compile(rf"[\u4e00-\u9fff]{{2,20}}?(?:{alternation(GOVERNMENT_SUFFIXES)})")


def _orgs_in(lines: list[str]) -> list[str]:
    found = []
    for ln in lines:
        for m in _GOVERNMENT_ORG.finditer(ln):
            found.append(m.group(0))
    return found


_CLAUSE_MARK = re.compile(r"[，,。；;]")


def _subject_org(paragraph: str) -> str | None:
    """The organisation a report's opening sentence is about: '2024年,…,滨江区司法局坚持…' -> 滨江区司法局."""
    for clause in _CLAUSE_MARK.split(paragraph[:300]):
        clause = clause.strip()
        for m in _ORG_RE.finditer(clause):
            if m.start() != 0:
                break
            rest = clause[m.end():]
            if _SUBJECT_VERB.match(rest) or rest.startswith("党组") or rest.startswith("黨組"):
                return m.group(0)
            # try the longer org name (e.g. 市市场监管局 rather than 市市场监管)
        m2 = _ORG_BEFORE_VERB.match(clause)
        if m2:
            return m2.group(1)
    return None


def _opening_subject(preamble: str) -> str | None:
    """The body the opening paragraph is about, as printed (traditional characters kept)."""
    para = next((p for p in preamble.split("\n") if len(p) > 20), "")
    folded = fold(para)
    org = _subject_org(folded)
    if not org:
        return None
    start = folded.find(org)
    return para[start:start + len(org)]


_HAN = re.compile(r"[\u4e00-\u9fff]")
_BARE_LEVEL = re.compile(rf"^[{BARE_LEVEL_CHARS}]")


def _expand(short: str, haystack: str) -> str:
    """市公安局 -> 宜春市公安局 when the text names the full form somewhere (a place name of 2-4 characters)."""
    if not _BARE_LEVEL.match(fold(short)):
        return short
    counts: dict[str, int] = {}
    cjk = _HAN
    for m in re.finditer(re.escape(short), haystack):
        i = m.start()
        for size in (2, 3, 4):
            place = haystack[max(0, i - size):i]
            if len(place) < size or not all(cjk.match(ch) for ch in place) or place[0] in "全我本各该":
                break
            before = haystack[i - size - 1] if i - size - 1 >= 0 else ""
            if not cjk.match(before) or before in "了的在对与和及由经将把从向是":
                counts[place + short] = counts.get(place + short, 0) + 1
                break
    return max(counts, key=lambda k: counts[k]) if counts else short


_DOC_NO_BRACKETS = re.compile(r"[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】].*号")
_YEAR = re.compile(r"(20\d\d)\s*年")
_TITLE_YEARS = re.compile(r"(20\d\d)\s*(?:年\s*)?[-—–~至到]\s*20\d\d\s*年|(20\d\d)\s*年")
_PLAN_YEAR = re.compile(r"()(20\d\d)\s*年[^。]{0,30}?(?:工作要点|工作安排|工作计划)")


def read_metadata(cleaned: Cleaned, preamble: str, kind: str, plans_title: str | None,
                  report_year: int | None = None) -> Metadata:
    f = cleaned.fields
    title = cleaned.title
    published, published_at = _date(_first(f, "published", "time", "updated"))
    for v in f.get("published", []) + f.get("time", []) + f.get("updated", []):
        _, at = _date(v)
        if at:
            published_at = at
            break
    if published is None:
        for line in cleaned.date_lines:
            published, _ = _date(line)
            if published:
                break
    written, _ = _date(_first(f, "written", "generated") or cleaned.signed_date)
    if published is None:
        published = written  # nothing at the top dates the page: the sign-off's date does
    doc_no = _first(f, "doc_no")
    if doc_no and not _DOC_NO_BRACKETS.search(simplified(doc_no)):
        doc_no = None
    if doc_no is None and cleaned.doc_no_lines:
        doc_no = cleaned.doc_no_lines[0]
    notice = _first(f, "page_title")
    if notice and "通知" not in notice:
        notice = None
    if notice is None:
        lines = cleaned.text.split("\n")[:12]
        for i, ln in enumerate(lines):
            if "关于印发" in ln or "关于转发" in ln:
                notice = ln + (lines[i + 1] if not ln.endswith("通知") and i + 1 < len(lines)
                               and lines[i + 1].endswith("通知") else "")
                break

    issuer = _issuer(cleaned, title, notice, preamble)
    plan_year = None
    if kind == "annual_report":
        if plans_title:  # the plans chapter names its year, or plans the year after the report's
            m = _YEAR.search(fold(plans_title))
            plan_year = int(m.group(1)) if m else (report_year + 1 if report_year else None)
        if title and plan_year is None and "暨" in title:
            years = _YEAR.findall(fold(title))
            plan_year = int(years[-1]) if len(years) >= 2 else None
    elif kind == "work_plan":  # a plan over several years ('2023-2025年') starts in its first
        m = _TITLE_YEARS.search(fold(title)) if title else None
        m = m or _PLAN_YEAR.search(fold(preamble[:600]))
        plan_year = int(m.group(1) or m.group(2)) if m else None
    return Metadata(
        title=title, issuer=issuer, department=_first(f, "department", "publisher"), index_no=_first(f, "index_no"),
        doc_no=doc_no, published=published, published_at=published_at, written=written, report_year=report_year,
        plan_year=plan_year, disclosure=_first(f, "disclosure"), scope=_first(f, "scope"),
        retention=_first(f, "retention"), channel=cleaned.channel, notice_title=notice)


def missing_fields(metadata: Metadata, kind: str, has_plans: bool) -> list[str]:
    """One warning per field the reader could not find, so the desk can ask the reviewer for it."""
    wanted = ["title", "issuer", "published"]
    if kind == "annual_report":
        wanted.append("report_year")
    if kind == "work_plan" or (kind == "annual_report" and has_plans):
        wanted.append("plan_year")
    return [f"未能识别{FIELD_LABELS[k]}，请补充" for k in wanted if getattr(metadata, k) is None]


_NOTICE_ISSUER = re.compile(r"^(.+?)关于")


def _issuer(cleaned: Cleaned, title: str | None, notice: str | None, preamble: str) -> str | None:
    haystack = "\n".join(cleaned.header_lines) + "\n" + cleaned.text
    if title:
        org = _org_from_title(title)
        if org:
            return _expand(org, haystack)
    if notice:
        m = _NOTICE_ISSUER.match(notice)
        if m and _ORG_RE.fullmatch(m.group(1)):
            return m.group(1)
    if title:
        place = _place_from_title(title)
        subject = _opening_subject(preamble)
        if place and subject and fold(subject).startswith(fold(place)) and "政府" in fold(subject):
            return subject  # the opening sentence names the body: '2023年，北渡县人民政府坚持…'
        if place:
            head = cleaned.header_lines + cleaned.text.split("\n")[:10] + cleaned.fields.get("publisher", []) \
                + cleaned.fields.get("source", [])
            for org in _orgs_in(head):
                if place in org:
                    return org
    if cleaned.signed_by:
        return cleaned.signed_by
    org = _opening_subject(preamble)
    if org:
        return _expand(org, haystack)
    place = _place_from_title(title) if title else None
    if place and _PLACE_TAIL.search(fold(place)):
        # '下陆区2024年法治政府建设工作报告' is the district's own report, whoever put it on the site
        return place + ("办事处" if fold(place).endswith("街道") else "人民政府")
    for publisher in cleaned.fields.get("publisher", []) + cleaned.fields.get("source", []):
        if _ORG_RE.fullmatch(fold(publisher)):
            return publisher  # the page's 发布机构 or 来源 names a body: the last word, when nothing else does
    return None
