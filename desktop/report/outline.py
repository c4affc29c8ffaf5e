"""Section tree of a report: numbered headings (一、 （一） 1. （1） ①), 一是 leads and lead sentences; chapter roles by meaning."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.report.normalise import fold
from desktop.report.headings import (CHAPTER_LINE, CN, FIRST_ITEM_LINE, LEVELS, NAMED_CHAPTER, YISHI, is_cause_title,
                                     item_start)
from desktop.report.lexicon import CHAPTER_ROLES, NUMBERED_OPENING, PLAN_FRAME_HEADINGS, alternation
from desktop.report.model import Section
from desktop.report.numbers import cn_to_number

_CN = CN
_HEADING_PATTERNS = LEVELS  # the heading levels are decided in headings.py only
_YISHI = YISHI
_PART_LINE = re.compile(rf"^[ \t\u3000]*第[{CN}]{{1,3}}(?:部分|章)", re.M)
_LEAD = re.compile(r"^([^。！？，、；：“”《》]{4,30})[。！？]")

_ROLE_RULES = tuple((role, re.compile(alternation(words))) for role, words in CHAPTER_ROLES)  # in lexicon's order
_PLAN_OTHER = re.compile(alternation(PLAN_FRAME_HEADINGS))
_NUMBERED_OPENING = re.compile(rf"^{NUMBERED_OPENING}")


def title_meaning(title: str) -> str | None:
    """The part of a report a heading names, judged from its words (traditional script too); None if none.

    The one classifier of heading meaning: the reader's chapter roles and the review's required-parts
    check both use it."""
    t = fold(title)
    for role, rx in _ROLE_RULES:
        if rx.search(t):
            return role
    return None


def _parts_named(title: str) -> set[str]:
    """Every part a heading names: '存在的问题及下一步工作打算' names problems and plans."""
    t = fold(title)
    return {role for role, rx in _ROLE_RULES if rx.search(t)}


def section_role(chapter_title: str, chapter_role: str, title: str) -> str:
    """Role of a chapter's section: the chapter's, unless the section holds a part of its own that the chapter
    combines ('（二）下一步工作打算' under '存在的问题及下一步工作打算') or the 第一责任人 part inside the results."""
    meant = title_meaning(title)
    if meant is None or meant == chapter_role:
        return chapter_role
    if meant == "first_responsible" and chapter_role == "achievements":
        return meant
    return meant if meant in _parts_named(chapter_title) else chapter_role


_PROBLEM_GROUP = re.compile(r"^(?:当前|目前|存在的?|主要|突出|具体)*问题(?:表现)?$")


def problem_parts(section: Section) -> tuple[tuple[Section, ...], tuple[Section, ...]]:
    """The problems and the causes under a problems chapter or section. The sections about causes ('（二）原因分析',
    the group a label line '产生上述问题的原因主要有' opens) are the causes; beside them a sub-heading that names
    the problems ('（一）存在的问题') stands for the problems listed under it. Without causes every section is a problem."""
    causes = tuple(k for k in section.children if is_cause_title(fold(k.title)))
    if not causes:
        return section.children, ()
    problems: list[Section] = []
    for kid in section.children:
        if kid in causes:
            continue
        named = title_meaning(kid.title) == "problems" or _PROBLEM_GROUP.match(fold(kid.title))
        problems.extend(kid.children if kid.children and named else (kid,))
    return tuple(problems), causes


_YEAR = re.compile(r"(20\d\d)\s*年")


def chapter_role(title: str, doc_kind: str, report_year: int | None) -> str:
    """Role of a chapter by what its title says, never by its position."""
    t = fold(title)
    if doc_kind == "work_plan":
        return "other" if _PLAN_OTHER.search(t) else "plans"
    meant = title_meaning(title)
    if meant or doc_kind == "other":
        return meant or "other"
    years = [int(y) for y in _YEAR.findall(t)]
    if report_year and years and max(years) > report_year:
        return "plans"
    return "achievements"


@dataclass
class _Node:
    level: int
    number: str
    label: str
    start: int
    title_start: int
    title_end: int
    kind: str
    end: int = 0
    children: list["_Node"] = field(default_factory=list)


def _paragraphs(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


_SENTENCE_STOP = re.compile(r"[。！？]")
_CLAUSE_STOP = re.compile(r"[，；：]")


def _title_span(folded_para: str, offset: int) -> tuple[int, int]:
    """Span of the heading title inside a paragraph that starts at `offset` (marker already skipped)."""
    m = _SENTENCE_STOP.search(folded_para)
    item = item_start(folded_para[:m.start() if m else 80])
    if item is not None and item <= 80:
        end = item  # the body follows the title without punctuation: '推进公正文明执法1.深化执法改革…'
    elif m and m.start() <= 80:
        end = m.start()
    elif len(folded_para) <= 80:
        end = len(folded_para)
        while end > 0 and folded_para[end - 1] in "。：；，":
            end -= 1
    else:
        m2 = _CLAUSE_STOP.search(folded_para)
        end = m2.start() if m2 and m2.start() <= 40 else min(40, len(folded_para))
    return offset, offset + end


def build_outline(text: str, doc_kind: str, report_year: int | None, folded: str | None = None,
                  end: int | None = None) -> tuple[Section, ...]:
    """Headings found paragraph by paragraph; sections span to the next heading of the same or a higher level."""
    folded = fold(text) if folded is None else folded
    chapters: list[_Node] = []
    stack: list[_Node] = []  # open headings, outermost first
    last_number: dict[int, int] = {}
    end = len(text) if end is None or end < 0 else end
    named = CHAPTER_LINE.search(folded, 0, end) is None  # chapters go unnumbered only where none has a number
    shift = int(len(_PART_LINE.findall(folded, 0, end)) >= 2)  # under 第一部分…第二部分, 一、 opens a section
    prose = False  # the title and the lines above the opening sentence are never chapters
    misprinted = _misprinted_chapters(folded, end, shift)
    for pos, para in _paragraphs(folded):
        if pos >= end:
            break  # the sign-off and attachment list belong to no section
        stripped = para.lstrip()
        if not stripped:
            continue
        pos += len(para) - len(stripped)
        causes = next((n.level for n in stack if n.kind == "causes"), 0)
        node = _numbered(stripped, pos, stack, last_number, shift, causes, pos in misprinted)
        if node is None and stack and not causes:
            node = _causes_label(stripped, pos, stack, folded, pos + len(stripped))
        if node is None and named and prose:
            node = _named(stripped, pos)
        prose = prose or "。" in stripped
        if node is None and stack:
            node = _lead(stripped, pos, stack)
        if node is None:
            continue
        while stack and stack[-1].level >= node.level:
            stack.pop()
        if node.level == 1:
            chapters.append(node)
            for deeper in [k for k in last_number if abs(k) > 1]:
                del last_number[deeper]
        elif stack:
            stack[-1].children.extend(_first_item(folded, stack[-1], node) + [node])
        else:
            continue  # a sub-heading before the first chapter belongs to the preamble
        stack.append(node)
        if node.kind not in {"lead", "yishi"}:
            n = _as_int(node.number) + int(node.level == 1 and node.start in misprinted)  # 二、 printed as 一、
            # key -level: the last number at this level repeated the one before it
            last_number[-node.level] = int(node.level > 1 and last_number.get(node.level) == n)
            last_number[node.level] = n
            for deeper in [k for k in last_number if abs(k) > node.level]:
                del last_number[deeper]
    _close(chapters, end)
    roles = [chapter_role(text[c.title_start:c.title_end], doc_kind, report_year) for c in chapters]
    taken: dict[str, int] = {}
    return tuple(_freeze(c, text, None, role, i, taken) for i, (c, role) in enumerate(zip(chapters, roles)))


def _as_int(number: str) -> int:
    if len(number) == 1 and "①" <= number <= "⑳":  # str.isdigit() is True for these too
        return ord(number) - ord("①") + 1
    if number.isascii() and number.isdigit():
        return int(number)
    v = cn_to_number(number)
    return int(v) if v else 0


def _misprinted_chapters(folded: str, end: int, shift: int) -> set[int]:
    """Where a chapter number is printed twice (二、 as 一、): a chapter-level number repeating the one before it,
    followed by the number after the one it should have been (三、) or by no later chapter number, never by the
    one it repeats the place of (二、): that would make it a list restarting inside the chapter."""
    found: list[tuple[int, int]] = []
    for pos, para in _paragraphs(folded):
        if pos >= end:
            break
        stripped = para.lstrip()
        for level, rx, kind in _HEADING_PATTERNS:
            m = rx.match(stripped)
            if m:
                if level + (shift if kind != "part" else 0) == 1:
                    found.append((pos + len(para) - len(stripped), _as_int(m.group("n"))))
                break
    out = set()
    for i in range(1, len(found)):
        n = found[i][1]
        if n and n == found[i - 1][1]:
            later = next((k for _, k in found[i + 1:] if k in (n + 1, n + 2)), None)
            if later != n + 1:  # 三、 comes next, or nothing does (the last chapter misprinted)
                out.add(found[i][0])
    return out


def _numbered(para: str, pos: int, stack: list[_Node], last_number: dict[int, int], shift: int = 0,
              causes: int = 0, misprinted: bool = False) -> _Node | None:
    """A numbered heading; `causes` is the level of an open causes group, whose list goes one level deeper;
    `misprinted`: a chapter whose number repeats the one before (kept as the next chapter, with a warning)."""
    for level, rx, kind in _HEADING_PATTERNS:
        m = rx.match(para)
        if not m:
            continue
        level += shift if kind != "part" else 0
        level += int(bool(causes) and level >= causes)
        n = _as_int(m.group("n"))
        expected = last_number.get(level, 0) + 1
        if level == 1 and misprinted and n == expected - 1:
            pass
        elif level == 1 and n not in (expected, 1):
            return None
        elif level == 1 and n == 1 and last_number.get(1):
            return None  # a second "一、" inside a chapter is a list, not a new chapter
        if level > 1 and not stack:
            return None
        if level > 1 and n not in (expected, 1) and level in last_number and not (
                n == expected - 1 or (n == expected + 1 and last_number.get(-level))):
            return None  # out of sequence; a repeated number (a typo) and the number after it are kept
        ts, te = _title_span(para[m.end():], pos + m.end())
        if te <= ts:
            return None
        return _Node(level, m.group("n"), m.group(0).strip(), pos, ts, te, kind)
    m = _YISHI.match(para)
    following = _CN[_CN.index(m.group("n")[-1]) + 1] if m and m.group("n")[-1] in _CN[:-1] else None
    if m and following and f"{following}是" in para:
        return None  # 一是…二是… inside one paragraph is a list, not a heading
    if m and stack:
        level = _child_level(stack)
        ts, te = _title_span(para[m.end():], pos + m.end())
        if te > ts:
            return _Node(level, m.group("n"), m.group(0), pos, ts, te, "yishi")
    return None


def _named(para: str, pos: int) -> _Node | None:
    """A chapter named without a number by the part of the report it holds: '存在的不足和原因', '【主要安排】'."""
    m = NAMED_CHAPTER.match(para)
    if not m or bool(m.group("open")) != bool(m.group("close")) or title_meaning(m.group("t")) is None:
        return None
    return _Node(1, "", "", pos, pos + m.start("t"), pos + m.end("t"), "named")


def _causes_label(para: str, pos: int, stack: list[_Node], folded: str, line_end: int) -> _Node | None:
    """A line that introduces the causes as a second list under the problems ('产生上述问题的原因主要有：', then
    '（一）…' again): a group of its own beside the problems, its list under it, so the problems end where it starts
    and its numbers repeat none. Taken under a heading that names the problems (the innermost one holding a list,
    or the chapter) when the next line opens a list."""
    if not is_cause_title(para) or not FIRST_ITEM_LINE.match(folded, line_end):
        return None
    holder = None
    for node in reversed(stack):
        if node.kind not in {"lead", "yishi"} and (node.children or node is stack[0]) and \
                "problems" in _parts_named(folded[node.title_start:node.title_end]):
            holder = node
            break
    if holder is None:
        return None
    title = para.rstrip(" \t\u3000：:")
    return _Node(holder.level + 1, "", "", pos, pos, pos + len(title), "causes")


_FIRST_ITEM = re.compile(r"(?<=[。；：])\s*一是")


def _first_item(folded: str, parent: _Node, node: _Node) -> list[_Node]:
    """The 一是 item that ends its heading's line ('（一）聚焦高位推进，压实责任。一是强化领导。') when 二是 opens the
    next paragraph: a section of its own, as 二是 is."""
    if node.kind != "yishi" or node.number != "二" or parent.children:
        return []
    line_end = folded.find("\n", parent.title_end)
    line_end = len(folded) if line_end < 0 else line_end
    m = _FIRST_ITEM.search(folded, parent.title_end, line_end)
    if m is None:
        return []
    ts, te = _title_span(folded[m.end():line_end], m.end())
    return [_Node(node.level, "一", "一是", m.end() - 2, ts, te, "yishi")] if te > ts else []


def _child_level(stack: list[_Node]) -> int:
    return stack[-1].level + 1 if stack[-1].kind not in {"lead", "yishi"} else stack[-1].level


_NOT_A_LEAD = re.compile(r"\d|[的了]$")


def _lead(para: str, pos: int, stack: list[_Node]) -> _Node | None:
    """A paragraph opening with a short sentence that names the measure: 深入学习宣传贯彻习近平法治思想。…"""
    m = _LEAD.match(para)
    if _NUMBERED_OPENING.match(para):
        return None  # a numbered heading the sequence check refused is not a lead sentence either
    if not m or len(para) <= m.end() + 3:  # the paragraph must go on after its lead sentence
        return None
    title = m.group(1)
    if _NOT_A_LEAD.search(title) or title.startswith(("一是", "二是", "三是")):
        return None
    level = _child_level(stack)
    return _Node(level, "", "", pos, pos, pos + len(title), "lead")


def _close(nodes: list[_Node], end: int) -> None:
    for i, node in enumerate(nodes):
        node.end = nodes[i + 1].start if i + 1 < len(nodes) else end
        _close(node.children, node.end)


def _freeze(node: _Node, text: str, parent_path: str | None, role: str, index: int = 0,
            taken: dict[str, int] | None = None) -> Section:
    if node.kind in {"lead", "named", "causes"}:
        seg = f"§{index + 1}"
    elif node.kind in {"paren"}:
        seg = f"({node.number})"
    elif node.kind == "arabic_paren":
        seg = f"({node.number})"
    else:
        seg = node.number if node.kind != "yishi" else f"{node.number}是"
    if taken is not None:  # a number printed twice among siblings (（一） twice under 一、): "(一)#2"
        taken[seg] = taken.get(seg, 0) + 1
        seg = seg if taken[seg] == 1 else f"{seg}{REPEAT_MARK}{taken[seg]}"
    path = seg if parent_path is None else f"{parent_path}.{seg}"
    end = node.end
    while end > node.start and text[end - 1] == "\n":
        end -= 1
    siblings: dict[str, int] = {}
    title = text[node.title_start:node.title_end]
    kids = tuple(_freeze(c, text, path, role if parent_path else section_role(title, role, text[c.title_start:c.title_end]),
                         i, siblings) for i, c in enumerate(node.children))
    return Section(path=path, number=node.number, label=node.label, title=title.strip(),
                   level=node.level, role=role, start=node.start, end=end, title_start=node.title_start,
                   title_end=node.title_end, children=kids)


REPEAT_MARK = "#"  # path suffix of a section whose number repeats a sibling's


def repeated_numbers(outline: tuple[Section, ...]) -> list[str]:
    """Warnings naming sections whose number repeats a sibling's (kept as separate sections)."""
    out = []
    for chapter in outline:
        for sec in chapter.walk():
            if REPEAT_MARK in sec.path.rsplit(".", 1)[-1]:
                parent = sec.path.rsplit(".", 1)[0] if "." in sec.path else ""
                where = f"“{parent}”下" if parent else ""
                out.append(f"{where}章节编号“{sec.label}”重复出现（{sec.title[:20]}），已作为单独的章节保留")
    return out
