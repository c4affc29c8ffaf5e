"""Work items of a reading: achievement and problem sections, plan themes and one plan task per sentence."""
from __future__ import annotations

import re
from bisect import bisect_left

from desktop.report.normalise import fold
from desktop.report.headings import ITEM_SPLIT, section_run
from desktop.report.lexicon import ARABIC_ITEM, CIRCLED, CN_ORDINALS, MONTH_DAY_NUMBER, YEAR_NUMBER
from desktop.report.model import Section, WorkItem
from desktop.report.outline import problem_parts, title_meaning
from desktop.report.owners import OWNER_LINE, OWNER_NOTE, OWNERS_FROM, owners

_SENTENCE = re.compile(r"[^。！？\n]+(?:[。！？]+|$)")
_MARKER = re.compile(rf"\s*(?:[（(]?[{CN_ORDINALS}\d]{{1,3}}[)）]|[{CN_ORDINALS}]{{1,3}}[、是]|{ARABIC_ITEM}|"
                     rf"[{CIRCLED}]|[-—–•·]+)\s*")
# A plan's goal or its label line, not a task: '目标：执法行为更加规范。', '措施：'.
_GOAL = re.compile(r"^(?:(?:工作|主要|总体)?目标|措施|主要措施|工作措施|任务|主要任务)[：:]")
# A closing paragraph that plans without a heading: '下一步，我局将…', '2024年，我们将…'.
_CLOSING_PLAN = re.compile(r"(?:下一步|下步|下一阶段|今后|新的一年|展望\s*20\d\d\s*年|(?:20\d\d\s*年|明年)[，]?\s*(?:我|全|本|各|县|市|区|局))"
                           r"[^。]{0,40}?(?:将|要|继续|持续|着力|重点)")
# Where a closing lead-in may stand: a paragraph's start, or a sentence's inside a paragraph when it announces a
# list ('…有待提高。下一步，我局将重点做好以下工作：1．…').
_SENTENCE_START = re.compile(r"(?:^|(?<=[。！？]))[ \t\u3000]*(?=\S)", re.M)
_ANNOUNCES_LIST = re.compile(r"[^。！？\n]*：")
_LEAD_YEAR = re.compile(r"(?:展望\s*)?(20\d\d)\s*年")
_DEADLINE = re.compile(r"(?:20\d\d\s*年\s*)?(?:\d{1,2}\s*月(?:底|末|中旬|上旬|下旬)?|年底|年内|上半年|下半年)前")


def find_work_items(text: str, outline: tuple[Section, ...], folded: str | None = None,
                    doc_kind: str = "annual_report", body_start: int = 0, end_matter: int = -1,
                    report_year: int | None = None) -> list[WorkItem]:
    folded = fold(text) if folded is None else folded
    items: list[dict] = []
    closing = _closing_plans(folded, outline, doc_kind, end_matter, report_year)
    cut = closing.start if closing is not None else len(text)  # what the closing plans hold is no result or problem
    if doc_kind == "work_plan" and not any(c.role == "plans" for c in outline):
        # a task list with no chapters (often a 任务分工 table): the whole body is one source of tasks
        body_start = _after_notice(folded, body_start)
        whole = Section(path="preamble", number="", label="", title="", level=1, role="plans", start=body_start,
                        end=len(text), title_start=body_start, title_end=body_start)
        _tasks(text, folded, whole, body_start, len(text), "", items)
    for chapter in outline:
        if chapter.role in {"achievements", "problems"}:
            kind = "achievement" if chapter.role == "achievements" else "problem"
            kids, causes = problem_parts(chapter) if kind == "problem" else (chapter.children, ())
            stop = min(cut, causes[0].start) if causes else cut  # the causes are no problem either
            secs = [sec for sec in kids if sec.start < cut]
            for sec in secs or ((chapter,) if min(chapter.end, stop) - chapter.title_end > 8 else ()):
                end = min(sec.end, cut if secs else stop)
                if end < sec.end:  # the section the closing plans (or the causes) start in ends before them
                    while end > sec.start and text[end - 1].isspace():
                        end -= 1
                items.append(dict(kind=kind, section=sec.path, title=sec.title, start=sec.start, end=end))
        elif chapter.role == "plans":
            _plan_chapter(text, folded, chapter, items)
    if closing is not None:
        _plan_chapter(text, folded, closing, items)
    out = []
    for seq, d in enumerate(items):
        out.append(WorkItem(kind=d["kind"], section=d["section"], title=d["title"], text=text[d["start"]:d["end"]],
                            start=d["start"], end=d["end"], seq=seq, lead_unit=d.get("lead"),
                            partner_units=d.get("partner"), deadline=d.get("deadline")))
    return out


_NOTICE_LINE = re.compile(r"^[^\n]{0,60}(?:印发|转发)[^\n]{0,200}(?:通知|决定)$", re.M)
_SIGNED_DATE = re.compile(rf"^\s*{YEAR_NUMBER}\s*年\s*{MONTH_DAY_NUMBER}\s*月\s*{MONTH_DAY_NUMBER}\s*日\s*$", re.M)


def _after_notice(folded: str, start: int) -> int:
    """Where the issued plan begins when the text opens with the notice that issues it: after the notice's dated
    sign-off ('关于印发《…清单》的通知 … 某市人民政府办公室 2025年2月20日'); `start` when there is no notice."""
    notice = _NOTICE_LINE.search(folded, start, start + 400)
    if notice is None:
        return start
    signed = _SIGNED_DATE.search(folded, notice.end(), notice.end() + 2000)
    return signed.end() + 1 if signed else start


def _plan_chapter(text: str, folded: str, chapter: Section, items: list[dict]) -> None:
    """Themes (the chapter's sections) and their tasks; sections that are the lines of a list are tasks themselves."""
    if chapter.children:
        _tasks(text, folded, chapter, chapter.title_end, chapter.children[0].start, chapter.title, items)
    if _item_list(folded, chapter):
        for item in chapter.children:  # the chapter is the theme; each line is a task where it stands
            _tasks(text, folded, item, item.start, item.end, chapter.title, items)
        return
    for theme in chapter.children or (chapter,):
        if theme is not chapter and _runs_items_together(folded, theme):
            _tasks(text, folded, theme, theme.start, theme.end, chapter.title, items)  # the chapter is the theme
            continue
        if theme is not chapter:
            items.append(dict(kind="plan_theme", section=theme.path, title=theme.title, start=theme.start,
                              end=theme.end))
        before = len(items)
        _tasks(text, folded, theme, theme.title_end, theme.end, theme.title, items)
        if len(items) == before and theme is not chapter and not theme.children:
            _theme_as_task(text, folded, theme, items)


def _runs_items_together(folded: str, theme: Section) -> bool:
    """Whether a section's heading line is a list run together from its own marker: '（一）推进…；（二）制定…。'."""
    line_end = folded.find("\n", theme.start, theme.end)
    return section_run(folded[theme.start:line_end if line_end >= 0 else theme.end])[:1] == [0]


# One whole sentence ending in ；or 。 (a list line once its marker and owners are taken off): '推进政务诚信建设；'.
_ONE_SENTENCE = re.compile(r"^[^。！？\n]+[；。]$")


def _item_list(folded: str, chapter: Section) -> bool:
    """Whether the chapter's sections are the lines of a list, one task sentence a line ('1．制定…；', '（一）推进…。',
    '一是…；'), not theme headings: every section is a line that is one whole sentence, with only owner lines
    under it (the last may run on into a closing paragraph). A title line '（一）加强制度建设' is a heading."""
    kids = chapter.children
    if len(kids) < 2:
        return False
    for i, sec in enumerate(kids):
        if sec.children:
            return False
        line, _, rest = folded[sec.start:sec.end].partition("\n")
        marker = _MARKER.match(line)
        sentence = line[marker.end() if marker else 0:]
        named = OWNERS_FROM.search(sentence)
        if not _ONE_SENTENCE.match(sentence[:named.start() if named else len(sentence)].strip()):
            return False
        if i < len(kids) - 1 and any(p.strip() and not OWNER_LINE.match(p.strip())
                                     for p in rest.split("\n")):
            return False
    return True


_LINE = re.compile(r"[^\n]+")


def _tasks(text: str, folded: str, section: Section, start: int, end: int, theme: str, items: list[dict]) -> None:
    """One task per sentence after the heading sentence; 责任单位 lines give the owners of the tasks above them."""
    pending: list[dict] = []
    pos = start
    while pos < end and folded[pos] in "。！？：；，":
        pos += 1
    columns: dict[str, int] | None = None
    for para_match in _LINE.finditer(folded[pos:end]):
        p_start = pos + para_match.start()
        para = para_match.group(0)
        if _PLAN_NAME_LINE.match(para.strip()):  # an attachment's own title ('…责任清单') above its table
            columns = None
            continue
        if para.count("|") >= 2:  # a table row (HTML tables arrive as 'a | b | c')
            columns = _table_row(text, para, p_start, section, theme, columns, items)
            continue
        if OWNER_LINE.match(para.strip()):
            named = owners(para)
            for task in pending or [t for t in items if t.get("section") == section.path and t["kind"] == "plan_task"]:
                for key, value in named.items():
                    task.setdefault(key, value)
            pending = []
            continue
        for s, e in _pieces(para, p_start):
            marker = _MARKER.match(folded, s)
            if marker and marker.end() <= e:
                s = marker.end()
            while s < e and folded[s].isspace():
                s += 1
            body = folded[s:e].strip()
            if OWNER_LINE.match(body.strip("（）() ")) or OWNER_LINE.match(body):
                if pending:  # （牵头单位：…）after a task sentence belongs to that task
                    for key, value in owners(body).items():
                        pending[-1].setdefault(key, value)
                continue
            if len(body.rstrip("。！？")) < 4 or _GOAL.match(body) or body.endswith("："):
                continue  # a goal, a label, or a lead-in announcing the list below ('重点做好以下工作：')
            if e >= len(text.rstrip()) and not body.endswith(("。", "！", "？")):
                continue  # the text stops mid-sentence (a truncated copy): not a task
            if body.endswith("；"):  # a list line: the separator belongs to no task, as in a run of items
                e = s + len(folded[s:e].rstrip()) - 1
            task = dict(kind="plan_task", section=section.path, title=theme, start=s, end=e)
            task.update(owners(body))
            deadline = _DEADLINE.search(body)
            if deadline and "deadline" not in task:
                task["deadline"] = text[s + deadline.start():s + deadline.end()]
            items.append(task)
            pending.append(task)


# The title line of a plan issued with a notice, or of its attachment: '附件2 某县2024年法治政府建设责任清单'.
_PLAN_NAME_LINE = re.compile(r"^(?:附\s*件\s*\d*\s*[：:]?\s*)?[^。；，：:|]{4,60}?(?:工作要点|责任清单|任务清单|"
                             r"清单|实施方案|工作方案|工作计划|工作安排|任务分工(?:方案|表)?)$")
_TASK_HEADERS = ("工作任务", "任务内容", "具体任务", "重点任务", "主要任务", "工作内容", "工作措施", "任务")
_COLUMN_KEYS = {"lead": ("牵头单位", "责任单位", "牵头部门", "责任部门", "主责单位", "责任处室", "牵头处室"),
                "partner": ("配合单位", "协办单位", "参与单位", "配合部门", "配合处室"),
                "deadline": ("完成时限", "完成时间", "时间节点", "时限")}


def _table_row(text, para, p_start, section, theme, columns, items):
    """A header row names the columns; each later row is one task with its owners and deadline."""
    cells, pos = [], 0
    for part in para.split("|"):
        cells.append((p_start + pos, p_start + pos + len(part)))
        pos += len(part) + 1
    values = [para[a - p_start:b - p_start].strip() for a, b in cells]
    header = {k: i for i, v in enumerate(values) for k, names in _COLUMN_KEYS.items() if v in names}
    task_col = next((i for i, v in enumerate(values) if v in _TASK_HEADERS), None)
    if task_col is not None:
        header["task"] = task_col
        return header
    if columns is None or "task" not in columns or columns["task"] >= len(cells):
        return columns
    a, b = cells[columns["task"]]
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b - a < 4:
        return columns
    task = dict(kind="plan_task", section=section.path, title=theme, start=a, end=b)
    for key in ("lead", "partner", "deadline"):
        if key in columns and columns[key] < len(values) and values[columns[key]]:
            task[key] = values[columns[key]]
    items.append(task)
    return columns


def _pieces(para: str, p_start: int):
    """Sentence spans of a paragraph: a sentence of run-together items cut at each item marker, and an owner note
    after an item's ；or 。 a piece of its own ('1．修订…；（牵头单位：…）2．制定…。')."""
    run = section_run(para)  # '（一）推进…；（二）制定…。': cut at each marker of the run
    for m in _SENTENCE.finditer(para):
        pos = m.start()
        for note in OWNER_NOTE.finditer(para, m.start(), m.end()):
            yield from _items(para[pos:note.start()], p_start + pos, [r - pos for r in run])
            yield p_start + note.start(), p_start + note.end()
            pos = note.end()
        yield from _items(para[pos:m.end()], p_start + pos, [r - pos for r in run])


def _items(sentence: str, start: int, marks: list[int] | tuple[int, ...] = ()):
    """Spans of the items run together in one sentence ('…以下工作：一是…；二是…。'), or the sentence itself;
    `marks` are the offsets of a run of section markers that cut it too."""
    if not sentence.strip():
        return
    cuts = [c.start() for c in ITEM_SPLIT.finditer(sentence)] if "是" in sentence or "：" in sentence else []
    opens_list = bool(cuts) and cuts[0] == 0 and sentence.startswith("一是")  # '一是A；二是B。': two items
    cuts = [c for c in cuts if 0 < c < len(sentence)]
    if len(cuts) < 2 and not (cuts and (opens_list or sentence[:cuts[0]].rstrip().endswith("："))):
        cuts = []
    cuts = sorted(set(cuts).union(c for c in marks if 0 < c < len(sentence)))
    if not cuts:
        yield start, start + len(sentence)
        return
    bounds = [0] + cuts + [len(sentence)]
    for a, b in zip(bounds, bounds[1:]):
        piece = sentence[a:b]
        if piece.rstrip().endswith("："):
            continue  # the lead-in: '重点做好以下工作：'
        b -= len(piece) - len(piece.rstrip("；， "))  # the separator belongs to no task
        yield start + a, start + b


def _theme_as_task(text: str, folded: str, theme: Section, items: list[dict]) -> None:
    """A numbered plan item that is one sentence ('3.健全行政执法监督体系。（牵头单位：…）') is itself a task."""
    rest = folded[theme.title_end:theme.end].strip(" 。！？\n")
    if rest and not (OWNER_LINE.match(rest.strip("（()）")) or OWNER_LINE.match(rest)):
        return
    start = theme.title_start
    end = theme.title_end + (1 if folded[theme.title_end:theme.title_end + 1] in ("。", "！", "？") else 0)
    note = OWNER_NOTE.search(folded, start, end)  # '（二）修订…；（牵头单位：…）': the note gives the owners
    if note:
        end = note.start() - (folded[note.start() - 1] in "；;")
    if end - start < 4:
        return
    task = dict(kind="plan_task", section=theme.path, title=theme.title, start=start, end=end)
    task.update(owners(folded[note.start() if note else theme.title_end:theme.end]))
    items.append(task)


_SHORT_LEAD = re.compile(r"[^，。：]{1,10}(?=，)")


def _closing_plans(folded: str, outline: tuple[Section, ...], doc_kind: str, end_matter: int,
                   report_year: int | None) -> Section | None:
    """Without a plans chapter, a report's plans are its close: from a forward-looking lead-in in its last chapter
    ('下一步，我局将…', '2025年，我们将重点做好以下工作：', a heading '（二）下一步工作打算') to its end. Returned as a
    plans chapter whose sections are those of the outline after the lead-in (the lines of its list)."""
    if doc_kind != "annual_report" or any(c.role == "plans" for c in outline):
        return None
    end = end_matter if end_matter >= 0 else len(folded)
    found, holder = _closing_start(folded, outline[-1] if outline else None, end, report_year)
    if found is None:
        return None
    after: list[Section] = []
    opens = holder is not None and (found == holder.start or _BLANK.fullmatch(folded, holder.title_end, found))
    if opens and holder.level > 1:
        # the lead-in opens its section ('（二）下一步工作打算', then perhaps '下一步，我局将…：'): the section plans
        _sections_after(outline[-1], holder.title_end, after)
        return Section(path=holder.path, number=holder.number, label=holder.label, title=holder.title,
                       level=holder.level, role="plans", start=holder.start, end=end, title_start=holder.title_start,
                       title_end=holder.title_end, children=tuple(after))
    if outline:
        _sections_after(outline[-1], found, after)
    lead = _SHORT_LEAD.match(folded[found:end])
    return Section(path=holder.path if holder else "preamble", number="", label="", title=lead.group(0) if lead else "",
                   level=1, role="plans", start=found, end=end, title_start=found, title_end=found,
                   children=tuple(after))


_BLANK = re.compile(r"[\s。：:]*")
_FORWARD_TITLE = re.compile(r"(?:下一步|下步|下一阶段|今后|明年|下一年|新的一年|(?:展望\s*)?20\d\d\s*年)")
_FIRST_NUMBERS = {"1", "一", "①"}


def _closing_start(folded: str, last: Section | None, end: int,
                   report_year: int | None) -> tuple[int | None, Section | None]:
    """The first forward-looking lead-in of the last chapter (or of the whole body without chapters) and the deepest
    section holding it. A lead-in after which the holder's own sequence goes on ('（二）…' after one in '（一）')
    is a sentence inside the results, not the close; a year the report is about looks back."""
    secs = list(last.walk()) if last is not None else []
    starts = [sec.start for sec in secs]
    headings = {sec.start: sec for sec in secs[1:]}
    stack: list[Section] = []
    i = 0
    for at in _SENTENCE_START.finditer(folded, last.start if last is not None else 0, end):
        pos = at.end()
        heading = headings.get(pos)
        if heading is not None:
            pos_text = heading.title_start
            forward = bool(_FORWARD_TITLE.match(folded, pos_text)) and title_meaning(heading.title) == "plans"
        else:
            pos_text = pos
            mid_paragraph = at.start() > 0 and folded[at.start() - 1] != "\n"
            forward = bool(_CLOSING_PLAN.match(folded, pos)) and not (
                mid_paragraph and not _ANNOUNCES_LIST.match(folded, pos))
        year = _LEAD_YEAR.match(folded, pos_text)
        if not forward or (year and report_year and int(year.group(1)) <= report_year):
            continue
        while i < len(secs) and secs[i].start <= pos:
            while stack and stack[-1].end <= secs[i].start:
                stack.pop()
            stack.append(secs[i])
            i += 1
        while stack and stack[-1].end <= pos:
            stack.pop()
        holder = stack[-1] if stack else None
        following = bisect_left(starts, holder.end) if holder is not None else len(secs)
        if following < len(secs) and secs[following].number not in _FIRST_NUMBERS:
            continue
        return pos, holder
    return None, None


def _sections_after(section: Section, pos: int, out: list[Section]) -> None:
    """The outermost sections under `section` that start at or after `pos`."""
    for child in section.children:
        if child.start >= pos:
            out.append(child)
        elif child.end > pos:
            _sections_after(child, pos, out)
