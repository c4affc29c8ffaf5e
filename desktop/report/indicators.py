"""Find the statistical figures of a report: value, unit, qualifier, kind, metric name, attached change."""
from __future__ import annotations

import re
from typing import Callable

from desktop.report.normalise import fold
from desktop.report.model import Change, Indicator
from desktop.report.hanzi import simplified
from desktop.report.lexicon import CN_ORDINALS, COUNT_CHARS, COUNT_FIRST, PERCENT_CHARS
from desktop.report.numbers import PERIOD_UNITS, UNITS, parse_quantity, unit_kind, cn_to_number

_UNIT_ALT = "|".join(map(re.escape, sorted(set(UNITS) | set(PERIOD_UNITS) | {"分钟", "分"}, key=len, reverse=True)))
_PRE = "将近|接近|近|不足|不到|超过|超|逾|多达|约|大约"
_CN = COUNT_CHARS
_FIGURE = re.compile(
    rf"(?P<pre>{_PRE})?"
    rf"(?:(?<![\d.A-Za-z])(?P<num>\d{{1,3}}(?:，\d{{3}})+(?![\d.])|\d+(?:\.\d+)?)|(?<![{_CN}万亿])(?P<cn>[{COUNT_FIRST}][{_CN}]*|(?<=近)[百千](?=[余多]?(?:{_UNIT_ALT}))))"
    r"(?P<mult>千万|百万|十万|万亿|万|亿)?(?P<mid>余|多)?"
    rf"(?:(?P<unit>{_UNIT_ALT})|(?<=[万亿])(?=[，。；、）\n]|$))(?P<post>以上|左右|以下|以内)?"
    rf"|(?P<ppre>近|超过|超|约|逾)?百分之(?P<pnum>[{PERCENT_CHARS}]+|\d+(?:\.\d+)?)(?P<ppost>以上|左右)?"
)
# every character a _FIGURE match can start with: a digit, a Chinese numeral, 百(分之) or a qualifier's first
_FIGURE_FIRST = re.compile("[" + re.escape("".join(sorted({w[0] for w in _PRE.split("|")} | set(COUNT_FIRST)
                                                          | set("近超约逾百")))) + r"\d]")
_RANK = re.compile(rf"第(?P<n>[{CN_ORDINALS}]{{1,3}}|\d{{1,3}})(?P<ming>名|位)?")
_RANK_CONTEXT = re.compile(r"全国|全省|全市|全区|全县|全州|全球|世界|城市|排名|位列|位居|名列|居|排位|列第")
_CLAUSE_END = "，。；、：！？）\n"
_CHANGE = re.compile(
    r"[，、\s]*(?P<basis>同比|较上年同期|较上年|比上年|较去年同期|较去年|比去年|较上一年|[较比]\d{4}年|环比)?\s*"
    r"(?P<dir>上升|增长|提高|提升|增加|上涨|增幅为|增幅|下降|减少|降低|下滑|回落|缩短|压缩|降幅为|降幅)了?\s*"
    rf"(?P<num>\d+(?:\.\d+)?)(?P<mult>万|亿)?(?P<unit>个百分点|百分点|%|倍|{'|'.join(sorted(UNITS, key=len, reverse=True))})")
_NEGATIVE = ("下降", "减少", "降低", "下滑", "回落", "缩短", "压缩", "降幅")
_CADENCE = re.compile(rf"每(?:[{COUNT_FIRST}\d]{{0,2}}个?)(?:年度?|季度|季|月|周|日|天|半年|学期|工作日)")
_SENTENCE_BREAK = re.compile(r"[。；！？\n]")
_NAME_STOP = "，。；、：！？\n（）“”《》"
_LEAD_TRIM = re.compile(r"(?:其中|全年|共计|共|累计|合计|今年以来|目前|截至目前|先后|分别|全市|全区|全县|全省|已|新|拟|并|为|对|向|在|把|将)+")
_TAIL_TRIM = re.compile(r"(?:均达到|均达|均为|分别达|分别为|分别|达到|达|为|实现|增至|提升至|提高至|降至|至|到|了|是|共|约|超|近|有)+$")
_AFTER_CUT = re.compile(r"入选|纳入|签约|作为|获评|获得|荣获|获|提供|参加|参与|开展|进行|被|赴|等|实现|完成|覆盖|"
                        r"落地|通过|取得|办理|入驻|上线|开通|在|的|对|向|从|受理|审结|化解|进入|列入|授予|申报|参训|培训|"
                        r"出庭|开设|建成|达|为")


_ALNUM = re.compile(r"[A-Za-z\d]")
_MEETING = re.compile(r"(?:全会|会议|全体会议|大会|党代会)")
_HAN_OR_QUOTE = re.compile(r"[\u4e00-\u9fff“]")
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
    for m in _figures(folded):
        if m.start() < consumed_until:
            continue
        ind = _figure(text, folded, mask, m, locate)
        if ind is None:
            continue
        change = _change_after(text, folded, ind.end)
        if change is not None:
            ind = _with_change(ind, change)
            consumed_until = change.end
        found.append(ind)
    found.extend(_ranks(text, folded, mask, locate))
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


def _figure(text, folded, mask, m, locate) -> Indicator | None:
    start, end = m.start(), m.end()
    num_start = m.start("num") if m.group("num") else (m.start("cn") if m.group("cn") else m.start("pnum"))
    if mask.find(1, start, end) != -1:
        return None
    prev = folded[num_start - 1] if num_start else ""
    nxt = folded[end] if end < len(folded) else ""
    if prev in "第届+/×*-—~～" or _ALNUM.match(nxt):
        return None
    if m.group("num") and "，" in text[m.start("num"):m.end("num")]:
        # a full-width comma separates clauses (only an ASCII comma groups thousands): read what follows it
        tail = _FIGURE.match(folded, m.start("num") + text[m.start("num"):m.end("num")].rindex("，") + 1)
        return _figure(text, folded, mask, tail, locate) if tail else None
    last = _LAST_CLAUSE_MARK.match(folded, max(0, num_start - 40), num_start)
    clause_start = last.end() - 1 if last else -1
    cadence = _CADENCE.search(folded, max(clause_start + 1, num_start - 10), num_start)
    if cadence and cadence.end() >= num_start - 4:
        return None  # 每季度开展1次, 每两月1次: a cadence, not a result
    unit = m.group("unit") or ""
    if unit in PERIOD_UNITS:
        return None
    if m.group("cn"):
        value = cn_to_number(m.group("cn"))
        qualified = bool(m.group("pre") or m.group("mid") or m.group("post"))
        if value is None or (value < 10 and not qualified and not _counted(folded, clause_start, num_start, end, unit)):
            return None  # 三项制度, 两个确立, 一件事: names, not statistics
        if folded[end:end + 1] == "“" or _MEETING.match(folded[end:end + 4]):
            return None
    q = parse_quantity(simplified(text[start:end]))  # 萬 is 万; ASCII thousands commas kept
    if q is None:
        return None
    kind = unit_kind(q.unit)
    if q.unit in {"分"}:
        kind = "score"
    name = _name(folded, text, start, end, kind)
    return Indicator(text=text[start:end], value=q.value, unit=q.unit, qualifier=q.qualifier, kind=kind,
                     name=name, context=_context(text, start, end), section=locate(start), start=start, end=end)


# A small number in words is a count when the clause counts ('共开展两轮', '累计举办三期'), in these units.
_COUNTING = re.compile(r"共|累计|合计|总计|达|近")
_COUNTED_UNITS = {"批", "批次", "轮", "件", "场", "期"}


def _counted(folded: str, clause_start: int, num_start: int, end: int, unit: str) -> bool:
    return unit in _COUNTED_UNITS and folded[end:end + 1] != "事" \
        and _COUNTING.search(folded, clause_start + 1, num_start) is not None  # not 共推进“一件事”改革


def _ranks(text, folded, mask, locate) -> list[Indicator]:
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
                             context=_context(text, s, end), section=locate(s), start=s, end=end))
    return out


_FOUR_DIGITS = re.compile(r"\d{4}")


def _change_after(text, folded, end) -> Change | None:
    m = _CHANGE.match(folded, end)
    if not m:
        return None
    value = float(m.group("num")) * {"万": 10_000, "亿": 100_000_000}.get(m.group("mult") or "", 1)
    if any(m.group("dir").startswith(neg) for neg in _NEGATIVE):
        value = -value
    unit = "百分点" if "百分点" in m.group("unit") else m.group("unit")
    basis = m.group("basis")
    basis = "mom" if basis == "环比" else ("yoy" if basis and not _FOUR_DIGITS.search(basis) else
                                          ("vs_year" if basis else None))
    s = m.start("basis") if m.group("basis") else m.start("dir")
    return Change(text=text[s:m.end()], value=value, unit=unit, basis=basis, start=s, end=m.end())


def _with_change(ind: Indicator, change: Change) -> Indicator:
    return Indicator(**{**ind.__dict__, "change": change})


def _context(text: str, start: int, end: int) -> str:
    a = max(0, start - 60)
    b = min(len(text), end + 60)
    left = [m.end() for m in _SENTENCE_BREAK.finditer(text, a, start)]
    right = _SENTENCE_BREAK.search(text, end, b)
    return text[left[-1] if left else a: right.end() if right else b].strip()


def _name(folded: str, text: str, start: int, end: int, kind: str) -> str:
    """The phrase the figure measures: the noun after a measure word (3家律所), else the phrase before it."""
    i = start
    while i > 0 and folded[i - 1] not in _NAME_STOP and start - i < 30:
        i -= 1
    lead = _LEAD_TRIM.match(folded, i, start)
    a = lead.end() if lead else i
    tail = _TAIL_TRIM.search(folded, a, start)
    b = tail.start() if tail else start
    before_text = text[a:b] if b > a else ""
    after_text = ""
    if kind in {"count", "duration"} and end < len(folded) and _HAN_OR_QUOTE.match(folded[end]):
        j = end
        while j < len(folded) and folded[j] not in "，。；、：！？\n（）" and j - end < 24:
            j += 1
        segment = folded[end:j]
        cut = _AFTER_CUT.search(segment, 1)
        after_text = text[end:end + (cut.start() if cut else len(segment))].strip("“”")
    if kind in {"count", "duration"} and len(after_text) >= 2:
        return after_text
    return (before_text or after_text).strip()
