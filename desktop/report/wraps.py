"""Text wrapped at a fixed width (PDF, some exports): lines cut mid-sentence rejoined, page numbers dropped."""
from __future__ import annotations

import re

from desktop.report.lexicon import ARABIC_ITEM, CN_ITEM, PAREN_ITEM, PART_HEAD_SHORT

_PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})$")
_SENTENCE_END = "。！？：；!?:;"
# A line of a page's label/value header (an archive crawl's 标题: … 本地目录: … 正文) is never part of a wrapped line.
_LABEL_LINE = re.compile(r"^(?:标\s*题|发布时间|发布日期|文\s*号|发布机构|栏\s*目|原文链接|原文地址|本地目录|来\s*源|索引号)"
                         r"\s*[:：]|^正\s*文\s*[:：]?$"
                         # a document number ('青政办发〔2024〕8号') and a table row ('1 | 任务 | 牵头单位') stand alone
                         r"|^[\u4e00-\u9fff]{1,10}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号$|.\s\|\s.")
_HEADING_START = re.compile(rf"{CN_ITEM}|{PAREN_ITEM}|{ARABIC_ITEM}|{PART_HEAD_SHORT}")


def join_hard_wraps(lines: list[str], repairs: list[str]) -> list[str]:
    """Text wrapped at a fixed width (PDF, some exports): rejoin lines cut mid-sentence; drop page numbers.

    Linear in the text: a line being rejoined is kept as pieces with running facts (_Wrapped), never re-read."""
    lengths = sorted(len(ln) for ln in lines if len(ln) >= 10)
    if len(lengths) < 8:
        return lines
    width = lengths[int(len(lengths) * 0.9) - 1]
    full = [ln for ln in lines if len(ln) >= 0.85 * width]
    cut = [ln for ln in full if ln[-1] not in _SENTENCE_END]
    if width < 20 or len(full) < 6 or len(cut) < 0.3 * len(full) or len(full) < 0.3 * len(lengths):
        return lines
    out: list[str] = []
    last: _Wrapped | None = None  # the last output line, still growing
    joins = 0
    page_break = False  # a page number was dropped right after `last`
    for ln in lines:
        if _PAGE_NUMBER.match(ln):
            page_break = last is not None
            continue
        if page_break and ln and last is not None and last.endswith(ln):
            page_break = False
            continue  # the line repeated at the top of the next page
        if ln:
            page_break = False
        if last is not None and ln and last.takes(ln, width) and not _LABEL_LINE.match(ln) \
                and not _LABEL_LINE.match(last.pieces[0]):
            last.add(ln)
            joins += 1
            continue
        if last is not None:
            out.append(last.text())
        last = _Wrapped(ln)
    if last is not None:
        out.append(last.text())
    if joins:
        repairs.append(f"合并了按页宽折断的行 {joins} 处")
    return out


_MID_MARKS = re.compile(r"[，、。；]")
_CHAPTER_HEADING = re.compile(rf"{CN_ITEM}|{PART_HEAD_SHORT}")
_STOPS = ("。", "！", "？", "!", "?")
_ENDS = re.compile("[" + re.escape(_SENTENCE_END) + "]")


class _Wrapped:
    """A line rejoined from wrapped pieces: what the join rule asks of it, kept up to date as pieces arrive."""

    __slots__ = ("pieces", "length", "head", "marks", "marks_before_last", "ended", "last")

    def __init__(self, first: str):
        self.pieces = [first]
        self.length = len(first)
        self.head = first[:24]  # enough for _HEADING_START, which matches at the start
        m = _MID_MARKS.search(first)
        self.marks = m is not None
        self.marks_before_last = m is not None and m.start() < len(first) - 1
        self.ended = _ENDS.search(first) is not None  # a sentence ends somewhere in the line
        self.last = first

    def add(self, piece: str) -> None:
        if self.marks:
            self.marks_before_last = True
        else:
            m = _MID_MARKS.search(piece)
            self.marks = m is not None
            self.marks_before_last = m is not None and m.start() < len(piece) - 1
        self.ended = self.ended or _ENDS.search(piece) is not None
        self.pieces.append(piece)
        self.length += len(piece)
        if len(self.head) < 24:
            self.head = (self.head + piece)[:24]
        self.last = piece

    def takes(self, ln: str, width: int) -> bool:
        """Does `ln` continue this line? (It was cut at the page width or split off by the extractor.)"""
        end = self.last[-1:]
        heading = _HEADING_START.match(self.head)
        if self.length >= 0.85 * width:  # a line that fills the width goes on unless it ends a sentence
            broken = end not in _STOPS
        else:  # a shorter piece of prose the extractor split off (not a heading, a label or a title)
            broken = self.marks_before_last and end not in _SENTENCE_END and not heading
        if not broken or _HEADING_START.match(ln):
            return False
        if heading and not self.ended and _CHAPTER_HEADING.match(self.head):
            # A chapter heading stands on its own line: it takes the short tail of its own title, never the
            # first line of its body (sub-headings such as （一） often run on into their paragraph).
            return len(ln) < 0.85 * width and not any(ch in _STOPS for ch in ln)
        return True

    def endswith(self, s: str) -> bool:
        tail: list[str] = []
        size = 0
        for piece in reversed(self.pieces):
            tail.append(piece)
            size += len(piece)
            if size >= len(s):
                break
        return "".join(reversed(tail)).endswith(s)

    def text(self) -> str:
        return "".join(self.pieces)
