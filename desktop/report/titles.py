"""The page's title: found among the lines before the first chapter, put back together when printed over two
lines, cut from a banner or advertisement glued before it or from the body run into it, or read from a
key-value page header; a path line, a breadcrumb or the body's opening sentence is never a title."""
from __future__ import annotations

import re

from desktop.report.hanzi import simplified
from desktop.report.headings import CHAPTER_START, SECTION_START
from desktop.report.lexicon import BODY_LINE_SUFFIXES, CN_ORDINALS, MONTH_DAY_NUMBER, YEAR_NUMBER, alternation

DOC_NO = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号$")
DATE_LINE = re.compile(rf"^{YEAR_NUMBER}\s*年\s*{MONTH_DAY_NUMBER}\s*月\s*{MONTH_DAY_NUMBER}\s*日$")

# A mirror's advertisement or a site banner glued before the title: '某某文库—每日更新www.example.com湖北省…'.
_AD_PREFIX = re.compile(r"^[^。，,；;\n]{0,40}?(?:https?://[A-Za-z0-9./_-]+|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|"
                        r"[A-Za-z0-9-]+\.(?:com|net|org|cn)(?:\.cn)?)(?=[\u4e00-\u9fff])")
_BANNER_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,20}?(?:门户网站|政府网|门户网|网站|官网)(?=[\u4e00-\u9fff]{2,30}?(?:关于|20\d\d\s*年))")
# A title the page ran into the body's first sentence: '…2023年度法治政府建设情况报告2023年，县政府坚持…'.
_TITLE_HEAD = re.compile(r"^(?P<t>[^。，,；;：:]{6,70}?(?:报告|要点|工作安排|实施方案|工作计划|工作总结))(?=\s*(?:20\d\d\s*年|现将|为[^止]|"
                         rf"根据|按照|今年以来|近年来|[{CN_ORDINALS}]、|[（(]一[）)]))")
_TITLE_END = re.compile(r"(?:报告|要点|安排|方案|计划|总结|意见|规划|清单|分工)$")


_TITLE_HINT = re.compile(r"法治|依法|法制|20\d\d")
_BODY_OPENING = re.compile(r"(?:现将|现就|按照|根据|为)")


def unglue_head(raw: str, repairs: list[str]) -> str:
    """Cut an advertisement or banner glued before the title (and the same advertisement inside the body),
    and put a line break between a title and the body run into it; only the page's first lines are looked at."""
    lines = raw.split("\n")
    heads = [i for i, ln in enumerate(lines) if ln.strip()][:12]
    for i in heads:
        first = lines[i].strip()
        ad = _AD_PREFIX.match(first) or _BANNER_PREFIX.match(simplified(first))
        if ad and len(first) - ad.end() >= 6:
            cut = first[:ad.end()]
            lines[i] = first[ad.end():]
            if len(cut) >= 8:  # the same advertisement stamped inside the text
                lines = [ln.replace(cut, "") for ln in lines]
            repairs.append("删除了粘在标题前的网站横幅或广告")
            break
    for i in heads:
        first = lines[i].strip()
        if len(first) < 40:
            continue
        m = _TITLE_HEAD.match(simplified(first))
        if m and len(first) > m.end() + 20 and _TITLE_HINT.search(m.group("t")) \
                and not _BODY_OPENING.match(m.group("t")):
            lines[i] = first[:m.end()] + "\n" + first[m.end():]
            repairs.append("把连在正文前的标题分开")
        break  # only the first long line can be a title run into the body
    return "\n".join(lines)


_TITLE_WORDS = re.compile(r"报告|方案|安排|要点|计划|总结|意见|规划|清单|分工|情况")
# A file path or address is never a title, nor part of one: 'zwgk/fzzf/202303/12345_…报告', 'C:\\…', 'https://…'.
# ('2023/2024年度' is no path: one separator between digits).
PATH_LIKE = re.compile(r"[A-Za-z0-9_.\-]*[/\\][A-Za-z0-9_.\-]*[/\\]|[A-Za-z_][/\\]|[/\\][A-Za-z_]|https?:|www\.|"
                       r"\.s?html?\b|^[A-Za-z]:|本地目录|原文链接")
_NOT_TITLE = re.compile(r"^(?:关于(?!.*(?:报告|总结|要点|安排)$)|现将|现就|特此|根据|按照)|如下|通知$|印发|转发")
# How the name of an issuing body ends (a sign-off line, the first line of a two-line title).
ORG_SUFFIX = alternation(BODY_LINE_SUFFIXES)
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,30}}(?:{ORG_SUFFIX})$")


_NOT_TITLE_MARK = re.compile(r"[。，,；;：:|>＞]$|[。|>＞]")
_YEAR_WORD = re.compile(r"\d{4}\s*年")
_LAW_WORDS = re.compile(r"法治|依法|法制")


def _title_score(ln: str) -> int:
    """0 when `ln` (simplified) cannot be a title, else higher for a likelier one."""
    if not (6 <= len(ln) <= 80) or _NOT_TITLE_MARK.search(ln):
        return 0
    if _NOT_TITLE.search(ln) or not _TITLE_WORDS.search(ln) or PATH_LIKE.search(ln):
        return 0
    return 2 + 2 * bool(_LAW_WORDS.search(ln)) + 2 * bool(_YEAR_WORD.search(ln))


_NOTICE_WORDS = re.compile(r"印发|转发|通知$")
_TITLE_BREAK = re.compile(r"[。，,；;：:|>＞]")
_TITLE_HEAD_HINT = re.compile(r"法治|依法|\d{4}")


def _opens_title(first: str, second: str) -> bool:
    """Whether `first` is the first line of a title printed over two lines and ending in `second`: an issuing
    body (or two: '中共某市委 某市人民政府') before '关于…的报告', or a title cut before its last words."""
    if len(second) > 40 or not _TITLE_END.search(second) or _NOTICE_WORDS.search(second):
        return False
    orgs = first.split()
    if len(first) > 30 or _TITLE_END.search(first) or _TITLE_BREAK.search(first) \
            or DATE_LINE.match(first) or DOC_NO.match(first):
        return False
    if len(orgs) > 1 and not all(_ORG_LINE.match(o) for o in orgs):
        return False
    if _ORG_LINE.match(orgs[-1]):
        return True
    return not second.startswith("关于") and bool(_TITLE_HEAD_HINT.search(first))


def find_title(lines: list[str], kept: list[int]) -> tuple[int | None, int | None]:
    """Index of the title line before the first chapter, and of its second line when it is printed over two
    ('某县人民政府' / '关于2024年度法治政府建设情况的报告')."""
    best, best_score, second = None, 0, None
    prev = None
    for i in kept:
        ln = simplified(lines[i])
        if CHAPTER_START.match(ln) or SECTION_START.match(ln):
            break
        score = _title_score(ln)
        if prev is not None and _opens_title(simplified(lines[prev]), ln):
            joined = _title_score(simplified(lines[prev]) + ln.removeprefix("关于"))
            if joined and joined + 1 > max(score, best_score):
                best, best_score, second = prev, joined + 1, i
                prev = i
                continue
        if score > best_score:
            best, best_score, second = i, score, None
        prev = i
    return best, second


_NOT_HEADER_TITLE = re.compile(r"通知$|印发|转发|[。>＞]")


def header_title(fields: dict[str, list[str]]) -> str | None:
    """The title a page header gives as '标题: …' when no line of the page is one."""
    for value in fields.get("page_title", []):
        v = simplified(value)
        if 6 <= len(v) <= 80 and _TITLE_WORDS.search(v) and not _NOT_HEADER_TITLE.search(v) \
                and not PATH_LIKE.search(v):
            return value
    return None


_ISSUED = re.compile(r"(?:印发|转发|发布)[^《\n]{0,12}《(?P<names>[^\n]{4,200}?)》(?:[^《》\n]{0,8}的)?(?:通知|决定)")
_PLAN_FIRST = re.compile(r"(?:工作要点|工作安排|工作计划|实施方案|工作方案|行动方案|任务分工方案|报告|总结)$")


_NAME_JOIN = re.compile(r"》\s*[、和及与]?\s*《")


def issued_name(lines: list[str]) -> str | None:
    """The name of the document a notice issues ('关于印发《某县2024年法治政府建设工作要点》《…责任清单》的通知' ->
    '某县2024年法治政府建设工作要点'): the plan before its list when it issues both; None when no line is one."""
    for line in lines:
        m = _ISSUED.search(simplified(line))
        if m is None:
            continue
        names = [n.strip() for n in _NAME_JOIN.split(line[m.start("names"):m.end("names")])]
        names = [n for n in names if 4 <= len(n) <= 80 and _TITLE_END.search(simplified(n))]
        if names:
            return next((n for n in names if _PLAN_FIRST.search(simplified(n))), names[0])
    return None
