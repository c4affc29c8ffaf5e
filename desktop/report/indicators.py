"""Find the statistical figures of a report: value, unit, qualifier, kind, metric name, attached change."""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Callable

from desktop.report.normalise import fold
from desktop.report.model import Change, Indicator, new_change, new_indicator
from desktop.report.hanzi import simplified
from desktop.report.lexicon import CN_ORDINALS, COUNT_CHARS, COUNT_FIRST, PERCENT_CHARS
from desktop.report.numbers import PERIOD_UNITS, UNITS, parse_quantity, unit_kind, cn_to_number

_UNIT_WORDS = sorted(set(UNITS) | set(PERIOD_UNITS) | {"分钟", "分"}, key=len, reverse=True)
_UNIT_ALT = "|".join(map(re.escape, _UNIT_WORDS))
# the characters a unit starts with: a number followed by none of them is refused without trying every unit
_UNIT_FIRST = "[" + re.escape("".join(sorted({u[0] for u in _UNIT_WORDS}))) + "]"
_PRE = "将近|接近|近|不足|不到|超过|超|逾|多达|约|大约"
_CN = COUNT_CHARS
_NUM_AFTER = r"(?<![\d.A-Za-z])"  # a figure's digits follow no digit, point or letter
_CN_AFTER = rf"(?<![{_CN}万亿])"  # its numerals no numeral
_FIGURE = re.compile(
    rf"(?P<pre>{_PRE})?"
    rf"(?:{_NUM_AFTER}(?P<num>\d{{1,3}}(?:，\d{{3}})+(?![\d.])|\d++(?:\.\d++)?)|{_CN_AFTER}(?P<cn>[{COUNT_FIRST}][{_CN}]*|(?<=近)[百千](?=[余多]?(?:{_UNIT_ALT}))))"
    r"(?P<mult>千万|百万|十万|万亿|万|亿)?(?P<mid>余|多)?"
    rf"(?:(?={_UNIT_FIRST})(?P<unit>{_UNIT_ALT})|(?<=[万亿])(?=[，。；、）\n]|$))(?P<post>以上|左右|以下|以内)?"
    rf"|(?P<ppre>近|超过|超|约|逾)?百分之(?P<pnum>[{PERCENT_CHARS}]+|\d+(?:\.\d+)?)(?P<ppost>以上|左右)?"
)
# every place a _FIGURE match can start at: a qualifier's first character, 百(分之), or a digit or numeral where
# _FIGURE's lookbehind lets a number start (never inside a run of digits or numerals)
_FIGURE_FIRST = re.compile("[" + re.escape("".join(sorted({w[0] for w in _PRE.split("|")} | set("近超约逾百")))) + "]"
                           + rf"|{_NUM_AFTER}\d|{_CN_AFTER}[{COUNT_FIRST}]")
_RANK = re.compile(rf"第(?P<n>[{CN_ORDINALS}]{{1,3}}|\d{{1,3}})(?P<ming>名|位)?")
_RANK_CONTEXT = re.compile(r"全国|全省|全市|全区|全县|全州|全球|世界|城市|排名|位列|位居|名列|居|排位|列第")
_PERIOD_UNITS = frozenset(PERIOD_UNITS)
_CLAUSE_END = "，。；、：！？）\n"
_BASES = ("同比", "较上年同期", "较上年", "比上年", "较去年同期", "较去年", "比去年", "较上一年", r"[较比]\d{4}年", "环比")
_DIRECTIONS = ("上升", "增长", "提高", "提升", "增加", "上涨", "增幅为", "增幅", "下降", "减少", "降低", "下滑", "回落", "缩短",
               "压缩", "降幅为", "降幅")
_CHANGE = re.compile(
    rf"[，、\s]*(?P<basis>{'|'.join(_BASES)})?\s*"
    rf"(?P<dir>{'|'.join(_DIRECTIONS)})了?\s*"
    rf"(?P<num>\d+(?:\.\d+)?)(?P<mult>万|亿)?(?P<unit>个百分点|百分点|%|倍|{'|'.join(sorted(UNITS, key=len, reverse=True))})")
# a change starts, after commas and spaces, with its basis or its direction: elsewhere _CHANGE is not tried
_CHANGE_OPENS = re.compile(r"[，、\s]*[" + "".join(sorted(({w[0] for w in _BASES + _DIRECTIONS} - {"["}) | set("较比")))
                           + "]")
_NEGATIVE = ("下降", "减少", "降低", "下滑", "回落", "缩短", "压缩", "降幅")
_CADENCE = re.compile(  # opens with 每: _figure tries it only where 每 is in the window
    rf"每(?:[{COUNT_FIRST}\d]{{0,2}}个?)(?:年度?|季度|季|月|周|日|天|半年|学期|工作日)")
_SENTENCE_BREAK = re.compile(r"[。；！？\n]")
_NAME_STOP = "，。；、：！？\n（）“”《》"
_LAST_NAME_STOP = re.compile(".*[" + re.escape(_NAME_STOP) + "]", re.S)
_LEAD_TRIM = re.compile(r"(?:其中|全年|共计|共|累计|合计|今年以来|目前|截至目前|先后|分别|全市|全区|全县|全省|已|新|拟|并|为|对|向|在|把|将)+")
_TAIL_WORDS = "均达到|均达|均为|分别达|分别为|分别|达到|达|为|实现|增至|提升至|提高至|降至|至|到|了|是|共|约|超|近|有"
_TAIL_TRIM = re.compile(rf"(?:{_TAIL_WORDS})+$")
_TAIL_LAST = frozenset(w[-1] for w in _TAIL_WORDS.split("|"))  # a phrase can end in a tail word only after these
_AFTER_CUT = re.compile(r"入选|纳入|签约|作为|获评|获得|荣获|获|提供|参加|参与|开展|进行|被|赴|等|实现|完成|覆盖|"
                        r"落地|通过|取得|办理|入驻|上线|开通|在|的|对|向|从|受理|审结|化解|进入|列入|授予|申报|参训|培训|"
                        r"出庭|开设|建成|达|为")


_ALNUM = re.compile(r"[A-Za-z\d]")
_MEETING = re.compile(r"(?:全会|会议|全体会议|大会|党代会)")
_HAN_OR_QUOTE = re.compile(r"[\u4e00-\u9fff“]")
_AFTER_PHRASE = re.compile(r"[^，。；、：！？\n（）]{0,24}")
_LAST_CLAUSE_MARK = re.compile(r".*[，。；：！？\n]", re.S)  # greedy: ends just after the last mark in a window

_PAIRS = {"“": "”", "《": "》", "〈": "〉", "<": ">", "‘": "’", "「": "」", "『": "』", "〔": "〕", "\"": "\""}
_OPENERS = re.compile("[" + re.escape("".join(_PAIRS)) + "]")


def _quoted_mask(folded: str) -> bytearray:
    """1 for characters inside quotation marks or title brackets: figures there are names, not statistics."""
    mask = bytearray(len(folded))
    n = len(folded)
    i = 0
    while True:
        opener = _OPENERS.search(folded, i)
        if opener is None:
            break
        i = opener.start()
        close = _PAIRS[folded[i]]
        j = folded.find(close, i + 1, min(n, i + 120))
        if j == -1 or "\n" in folded[i:j]:
            i += 1
            continue
        if folded[i] == "《":  # nested 《…<…>…》: close at the matching outer bracket
            depth, k = 0, i
            while k < min(n, i + 200):
                depth += folded[k] == "《"
                depth -= folded[k] == "》"
                if depth == 0:
                    break
                k += 1
            j = k if depth == 0 else j
        mask[i:j + 1] = b"\x01" * (j + 1 - i)
        i = j + 1
    return mask


def find_indicators(text: str, locate: Callable[[int], str], folded: str | None = None) -> list[Indicator]:
    """Every statistical figure in `text` (the clean text); `locate(offset)` gives the section path."""
    folded = fold(text) if folded is None else folded
    mask = _quoted_mask(folded)
    found: list[Indicator] = []
    consumed_until = -1
    breaks = _sentence_breaks(text)
    parsed: dict = {}  # surface -> parse_quantity of it (萬 read as 万; ASCII thousands commas kept), per reading
    for m in _figures(folded):
        if m.start() < consumed_until:
            continue
        num_start = m.start("num")
        if num_start == 0 or (num_start > 0 and folded[num_start - 1] in _ORDINAL_BEFORE):
            continue  # an ordinal or part of a code (第3项, 1-2): what _out_of_place would refuse, without the call
        ind = _figure(text, folded, mask, m, locate, parsed, breaks)
        if ind is None:
            continue
        if ind.change is not None:
            consumed_until = ind.change.end
        found.append(ind)
    found.extend(_ranks(text, folded, mask, locate, breaks))
    found.sort(key=lambda i: i.start)
    return found


def _figures(folded: str):
    """_FIGURE.finditer(folded), faster: a match can only start at a character in _FIGURE_FIRST, so only those
    positions are tried (same matches: lookbehinds still see the text before the position)."""
    search, match = _FIGURE_FIRST.search, _FIGURE.match
    pos = 0
    while True:
        c = search(folded, pos)
        if c is None:
            return
        m = match(folded, c.start())
        if m is None:
            pos = c.start() + 1
            continue
        yield m
        pos = m.end()


def _figure(text, folded, mask, m, locate, parsed: dict, breaks: list[int]) -> Indicator | None:
    """The indicator a _FIGURE match stands for, or None where it is no statistic; `parsed`: the reading's
    quantities by surface (the same 1次 or 3件 recurs in a report, and a Quantity is frozen)."""
    start, end = m.start(), m.end()
    num_start = m.start("num")  # -1 where the group took no part
    if num_start < 0:
        num_start = m.start("cn") if m.start("cn") >= 0 else m.start("pnum")
    if _out_of_place(folded, mask, start, end, num_start):
        return None
    if m.start("num") >= 0 and "，" in text[num_start:m.end("num")]:
        # a full-width comma separates clauses (only an ASCII comma groups thousands): read what follows it
        tail = _FIGURE.match(folded, m.start("num") + text[m.start("num"):m.end("num")].rindex("，") + 1)
        return _figure(text, folded, mask, tail, locate, parsed, breaks) if tail else None
    last = _LAST_CLAUSE_MARK.match(folded, max(0, num_start - 40), num_start)
    clause_start = last.end() - 1 if last else -1
    lo = max(clause_start + 1, num_start - 10)
    cadence = _CADENCE.search(folded, lo, num_start) if folded.find("每", lo, num_start) >= 0 else None
    if cadence and cadence.end() >= num_start - 4:
        return None  # 每季度开展1次, 每两月1次: a cadence, not a result
    if m.group("unit") in _PERIOD_UNITS:
        return None
    if m.group("cn") and not _counts_in_words(m, folded, clause_start, num_start, end):
        return None
    surface = text[start:end]
    if surface in parsed:
        q = parsed[surface]
    else:  # a surface its fold leaves alone holds no traditional character (fold simplifies them too)
        q = parsed[surface] = parse_quantity(surface if folded[start:end] == surface else simplified(surface))
    if q is None:
        return None
    kind = "score" if q.unit == "分" else unit_kind(q.unit)
    return new_indicator(surface, q.value, q.unit, q.qualifier, kind, _name(folded, text, start, end, kind),
                         _context(text, start, end, breaks), locate(start), start, end, _change_after(text, folded, end))


_ORDINAL_BEFORE = "第届+/×*-—~～"  # a figure right after one of these is an ordinal or part of a code


def _out_of_place(folded: str, mask: bytearray, start: int, end: int, num_start: int) -> bool:
    """A figure inside quotes or a title, an ordinal or part of a code (第3, 1+1, 5G)."""
    if mask.find(1, start, end) != -1:
        return True
    prev = folded[num_start - 1] if num_start else ""
    nxt = folded[end] if end < len(folded) else ""
    return prev in _ORDINAL_BEFORE or _ALNUM.match(nxt) is not None


def _counts_in_words(m: re.Match, folded: str, clause_start: int, num_start: int, end: int) -> bool:
    """A number in words is a statistic when qualified, ten or more, or counted ('共开展两轮'); 三项制度, 两个确立,
    一件事 are names, and a number before a quote or a meeting (十九届四中全会) is none either."""
    value = cn_to_number(m.group("cn"))
    qualified = bool(m.group("pre") or m.group("mid") or m.group("post"))
    if value is None or (value < 10 and not qualified and
                         not _counted(folded, clause_start, num_start, end, m.group("unit") or "")):
        return False
    return not (folded[end:end + 1] == "“" or _MEETING.match(folded[end:end + 4]))


# A small number in words is a count when the clause counts ('共开展两轮', '累计举办三期'), in these units.
_COUNTING = re.compile(r"共|累计|合计|总计|达|近")
_COUNTED_UNITS = {"批", "批次", "轮", "件", "场", "期"}


def _counted(folded: str, clause_start: int, num_start: int, end: int, unit: str) -> bool:
    return unit in _COUNTED_UNITS and folded[end:end + 1] != "事" \
        and _COUNTING.search(folded, clause_start + 1, num_start) is not None  # not 共推进“一件事”改革


def _ranks(text, folded, mask, locate, breaks: list[int]) -> list[Indicator]:
    out = []
    for m in _RANK.finditer(folded):
        s, e = m.start(), m.end()
        if mask[s] or (e < len(folded) and folded[e] not in _CLAUSE_END and not m.group("ming")):
            continue
        if m.group("ming") == "位" and e < len(folded) and folded[e] not in _CLAUSE_END:
            continue
        window = folded[max(0, s - 12):s]
        window = window[window.rfind("，") + 1:] if "，" in window else window
        if not _RANK_CONTEXT.search(window) or "每" in window:
            continue
        n = m.group("n")
        value = float(n) if n.isdigit() else cn_to_number(n)
        if not value:
            continue
        end = s + 1 + len(n)  # surface is 第N; 名 stays outside like the report's own wording
        name = _name(folded, text, s, end, "rank")
        out.append(Indicator(text=text[s:end], value=value, unit="名", qualifier="exact", kind="rank", name=name,
                             context=_context(text, s, end, breaks), section=locate(s), start=s, end=end))
    return out


_FOUR_DIGITS = re.compile(r"\d{4}")


def _change_after(text, folded, end) -> Change | None:
    m = _CHANGE.match(folded, end) if _CHANGE_OPENS.match(folded, end) else None
    if not m:
        return None
    value = float(m.group("num")) * {"万": 10_000, "亿": 100_000_000}.get(m.group("mult") or "", 1)
    if m.group("dir").startswith(_NEGATIVE):
        value = -value
    unit = "百分点" if "百分点" in m.group("unit") else m.group("unit")
    basis = m.group("basis")
    basis = "mom" if basis == "环比" else ("yoy" if basis and not _FOUR_DIGITS.search(basis) else
                                          ("vs_year" if basis else None))
    s = m.start("basis") if m.group("basis") else m.start("dir")
    return new_change(text[s:m.end()], value, unit, basis, s, m.end())


def _sentence_breaks(text: str) -> list[int]:
    """Offsets of the text's sentence breaks (_SENTENCE_BREAK), in order: one pass for every figure's context."""
    return [m.start() for m in _SENTENCE_BREAK.finditer(text)]


def _context(text: str, start: int, end: int, breaks: list[int]) -> str:
    """The sentence around a figure, within 60 characters either side: from just after the last break before it to
    just after the first break after it (`breaks`: _sentence_breaks(text))."""
    a = max(0, start - 60)
    b = min(len(text), end + 60)
    i = bisect_left(breaks, start) - 1
    j = bisect_left(breaks, end)
    left = breaks[i] + 1 if i >= 0 and breaks[i] >= a else a
    right = breaks[j] + 1 if j < len(breaks) and breaks[j] < b else b
    return text[left:right].strip()


def _name(folded: str, text: str, start: int, end: int, kind: str) -> str:
    """The phrase the figure measures: the noun after a measure word (3家律所), else the phrase before it."""
    stop = _LAST_NAME_STOP.match(folded, max(0, start - 30), start)  # the phrase starts after the last stop
    i = stop.end() if stop else max(0, start - 30)
    lead = _LEAD_TRIM.match(folded, i, start)
    a = lead.end() if lead else i
    tail = _TAIL_TRIM.search(folded, a, start) if start > a and folded[start - 1] in _TAIL_LAST else None
    b = tail.start() if tail else start
    before_text = text[a:b] if b > a else ""
    after_text = ""
    if kind in {"count", "duration"} and end < len(folded) and _HAN_OR_QUOTE.match(folded[end]):
        phrase = _AFTER_PHRASE.match(folded, end)
        assert phrase is not None  # {0,24}: it matches, if only the empty string
        segment = phrase.group()  # up to 24 characters before the clause ends
        cut = _AFTER_CUT.search(segment, 1)
        after_text = text[end:end + (cut.start() if cut else len(segment))].strip("“”")
    if kind in {"count", "duration"} and len(after_text) >= 2:
        return after_text
    return (before_text or after_text).strip()
