"""The one place that says what a heading marker looks like and which level it opens (一、 （一） 1. （1） ①).

The numerals and the pieces of a marker (1. that is no decimal, ①…⑳) are tables of lexicon.py; the patterns that
read headings with them are built here. The outline reads paragraphs with LEVELS; the cleaner uses the inline forms below to put back line breaks
a run-on body lost, and the title span uses ITEM_INLINE to end a heading where its body starts."""
from __future__ import annotations

import re

from desktop.report.lexicon import ARABIC_DOT_END, CHAPTER_NAMES, CIRCLED, CN_ORDINALS, alternation
from desktop.report.numbers import cn_to_number

CN = CN_ORDINALS  # the numerals and pieces of markers live in lexicon.py

# (level, regex on a folded paragraph, label kind). Patterns match at the start of a paragraph.
LEVELS = (
    (1, re.compile(rf"^(?P<n>[{CN}]{{1,3}})\s*(?:、|\.(?!\d))"), "cn"),  # 一、 and, in some, 一．
    (1, re.compile(rf"^第(?P<n>[{CN}]{{1,3}})(?:部分|章)\s*"), "part"),
    (2, re.compile(rf"^（(?P<n>[{CN}]{{1,3}})）\s*"), "paren"),
    (2, re.compile(rf"^(?P<n>[{CN}]{{1,3}})）\s*"), "paren"),  # malformed: 一) with the opening bracket lost
    (3, re.compile(rf"^(?P<n>\d{{1,2}})\s*[.、．]{ARABIC_DOT_END}\s*"), "arabic"),  # also 1．2025年底前…
    (4, re.compile(r"^（(?P<n>\d{1,2})）\s*"), "arabic_paren"),
    (5, re.compile(rf"^(?P<n>[{CIRCLED}])\s*"), "circled"),
)
YISHI = re.compile(rf"^(?P<n>[{CN}]{{1,3}})是")
# Where the chapters begin (the end of the preamble): a line opening with 一、 or 第一部分.
CHAPTER_LINE = re.compile(rf"^(?:[{CN}]{{1,3}}\s*(?:、|\.(?!\d))|第[{CN}]+(?:部分|章))", re.M)
# A chapter named without a number, on folded text: a short line of words alone, bare or in 【】 (folded to 〔〕):
# '存在的不足和原因', '【下一年度主要安排】'. The outline takes it only where no chapter is numbered and its words
# name a part of the report.
NAMED_CHAPTER = re.compile(r"^(?P<open>〔?)\s*(?P<t>[^。，,；;：:！？!?\s〔〕（）()“”《》]{4,30})\s*(?P<close>〕?)\s*[：:]?\s*$")
# A heading or label line about the causes of the problems, on folded text: '原因分析', '产生上述问题的原因主要有：',
# '究其原因，主要有以下几点：'; never problems and causes named together ('存在的不足和原因') nor a sentence that goes
# on after the word ('原因分析不够深入').
_CAUSES = re.compile(r"(?<![和及与、])原因[，,]?(?:分析|剖析)?(?:主要)?(?:有|是|在于)?(?:以下|如下)?"
                     rf"(?:[几两{CN_ORDINALS[2:]}]?(?:点|个方面|方面))?\s*[：:]?$")  # 几点, 两个方面, 三点…
# A line that opens a numbered list from its first item: （一） 1. （1） ① 一是.
FIRST_ITEM_LINE = re.compile(rf"\s*(?:（一）|一）|1\s*[.．、]{ARABIC_DOT_END}|（1）|①|一是)")


_STOP_MARK = re.compile(r"[。！？；]")


def is_cause_title(folded_title: str) -> bool:
    """Whether a short heading or label line names the causes of the problems."""
    t = folded_title.strip()
    return len(t) <= 30 and not _STOP_MARK.search(t) and _CAUSES.search(t) is not None


# A line that may open a chapter, loosely (一. too), or any section: where a page's title can no longer be.
CHAPTER_START = re.compile(rf"^[{CN}]{{1,3}}\s*[、.．]")
SECTION_START = re.compile(rf"^[（(][{CN}]|^第[{CN}]+(?:部分|章)")

# A chapter (一、) or section (（一）) marker inside a line, on folded text.
CHAPTER_INLINE = rf"[{CN}]{{1,3}}、"
SECTION_INLINE = rf"（[{CN}]{{1,3}}）"
# A chapter or section heading the page ran into the previous sentence: '…成效。二、存在的问题' or
# '…报告如下：一、主要工作'. The break goes back before the marker.
LOST_BREAK = re.compile(rf"(?<=[。！？：])\s*(?=(?:{CHAPTER_INLINE}|{SECTION_INLINE})\S)")
# A chapter heading without closing punctuation run into its first section: 一、主要工作（一）健全…, also set
# off by a space or a colon ('二、存在的不足 （一）…', '第一部分 主要工作：（一）…').
# A long chapter title may hold a comma ('三、党政主要负责人履行…职责，加强…情况（一）…').
CHAPTER_RUN_ON = re.compile(rf"^(?:[{CN}]{{1,3}}(?:、|\.(?!\d))|第[{CN}]{{1,3}}(?:部分|章)\s*)"
                            rf"(?=[^。！？；：（]{{2,60}}?[ \t]*[：:]?[ \t]*{SECTION_INLINE})"
                            rf"(?:[^。！？，；：（\s]{{2,40}}?|[^。！？，；：（\s][^。！？；：（\s]{{5,59}}?)"
                            rf"(?=[ \t]*[：:]?[ \t]*{SECTION_INLINE})")
# In a run-on body, a chapter heading set off from its body by a space only: 二、存在问题 与此同时…
CHAPTER_SPACED = re.compile(rf"^{CHAPTER_INLINE}[^。！？，；：（\s]{{2,30}}(?=\s+\S)")
# In a run-on body, a chapter heading in the usual words run straight into its body: 二、存在的问题和不足一些地方…
_CHAPTER_NAMES = alternation(CHAPTER_NAMES)
CHAPTER_NAMED = re.compile(rf"^{CHAPTER_INLINE}(?:20\d\d\s*年度?)?(?:推进法治政府建设的?)?(?:{_CHAPTER_NAMES})"
                           r"(?=[\u4e00-\u9fff“])(?![和及与的、])")
# Where a heading's body starts without punctuation: an item marker right after a character of the title,
# '（二）推进严格规范公正文明执法1.深化执法改革…', '（一）加强组织领导一是成立领导小组…'.
ITEM_INLINE = re.compile(rf"(?<=[\u4e00-\u9fff”》）])(?:\d{{1,2}}[.．、](?=[\u4e00-\u9fff“《])|（\d{{1,2}}）|[{CIRCLED}]|"
                         rf"(?P<cn>[{CN}])是)")

# Items run together in one sentence, cut before each marker: '…以下工作：一是…；二是…；三是….' (and 十一是 after 十是)
ITEM_SPLIT = re.compile(rf"(?<![\u4e00-\u9fff])(?=[{CN}]{{1,2}}是)|(?<=[：；，。])(?=[{CN}]{{1,2}}是)|"
                        rf"(?<=[：；。])\s*(?=\d{{1,2}}[.．、]{ARABIC_DOT_END}|（\d{{1,2}}）)")

# A section marker inside a paragraph, or a quote mark or bracket of a document name around one.
_SECTION_OR_QUOTE = re.compile(rf"(?P<mark>{SECTION_INLINE})|[“”‘’「」『』《》〈〉\"]")
_OPENING_QUOTES, _CLOSING_QUOTES = "“‘「『《〈", "”’」』》〉"


def section_run(folded_para: str) -> list[int]:
    """Offsets of section markers run together in one paragraph as items: （一）…（二）…（三）…, each the next
    number, with words between, none inside quotes or a document name nor cited ('第（二）项'); [] when fewer
    than two follow each other from （一）."""
    run: list[int] = []
    depth, straight, last_end = 0, False, -2
    for m in _SECTION_OR_QUOTE.finditer(folded_para):
        ch = m.group(0)
        if m.group("mark") is None:
            if ch == '"':
                straight = not straight
            elif ch in _OPENING_QUOTES:
                depth += 1
            else:
                depth = max(depth - 1, 0)
            continue
        if depth or straight or folded_para[m.start() - 1:m.start()] == "第":
            continue
        if cn_to_number(ch[1:-1]) != len(run) + 1 or (run and m.start() - last_end < 2):
            break  # out of sequence, or no words since the last marker: no more items
        run.append(m.start())
        last_end = m.end()
    return run if len(run) >= 2 else []


def item_start(folded_title: str) -> int | None:
    """Offset in a heading's folded text where an inline item begins (the title's natural end), or None."""
    for m in ITEM_INLINE.finditer(folded_title):
        if m.start() < 4:
            continue
        cn = m.group("cn")
        if cn is not None:  # 一是 needs its 二是 to follow, or it is just words (统一是…)
            if cn == CN[-1] or f"{CN[CN.index(cn) + 1]}是" not in folded_title[m.end():]:
                continue
        return m.start()
    return None
