"""Frozen dataclasses that describe one reading of a report; offsets point into `clean_text`."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Chapter roles, decided by meaning (see outline.py).
ROLES = ("achievements", "problems", "first_responsible", "plans", "other")
# Work item kinds.
ITEM_KINDS = ("achievement", "problem", "plan_theme", "plan_task")
# Document kinds.
DOC_KINDS = ("annual_report", "work_plan", "other")
QUALIFIERS = ("exact", "over", "under", "approx")


class ReportError(Exception):
    """A report could not be read; the message is a short Chinese sentence for the user."""

    def __init__(self, message: str, *, source: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:  # one line: "<file>: <reason>"
        return f"{self.source}: {self.message}" if self.source else self.message


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    issuer: str | None = None
    department: str | None = None
    index_no: str | None = None
    doc_no: str | None = None
    published: str | None = None  # YYYY-MM-DD
    published_at: str | None = None  # YYYY-MM-DD HH:MM[:SS]
    written: str | None = None  # 成文日期
    report_year: int | None = None
    plan_year: int | None = None
    disclosure: str | None = None  # 公开形式/公开方式
    scope: str | None = None  # 公开范围
    retention: str | None = None  # 公开时限
    channel: str | None = None  # site channel the page was filed under
    notice_title: str | None = None  # title of a 印发 notice wrapping the document

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Section:
    """A heading and everything under it. `path` is e.g. "一.(二).3"."""

    path: str
    number: str  # the numeral as printed without brackets: "二", "3"
    label: str  # the marker as printed: "二、", "(二)", "一是", "" for lead sentences
    title: str
    level: int  # 1 = chapter
    role: str  # chapter role, inherited by descendants
    start: int  # span of the whole section in clean_text
    end: int
    title_start: int
    title_end: int
    children: tuple["Section", ...] = ()

    def walk(self):
        """This section and every one under it, depth first (a stack, not a generator per level)."""
        stack = [self]
        while stack:
            sec = stack.pop()
            yield sec
            if sec.children:
                stack.extend(reversed(sec.children))

    def to_dict(self) -> dict:
        return {
            "path": self.path, "number": self.number, "label": self.label, "title": self.title,
            "level": self.level, "role": self.role, "start": self.start, "end": self.end,
            "title_start": self.title_start, "title_end": self.title_end,
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class Change:
    """A comparison attached to an indicator: 同比下降0.42个百分点 -> -0.42 百分点, basis yoy."""

    text: str
    value: float
    unit: str
    basis: str | None  # "yoy" (同比/较上年), "mom" (环比), "vs_year" (比2022年), None when unstated
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Indicator:
    text: str  # surface form, clean_text[start:end]
    value: float
    unit: str
    qualifier: str  # exact | over | under | approx
    kind: str  # count | rate | money | rank | ratio | amount
    name: str  # the phrase it measures
    context: str  # the clause it stands in
    section: str  # section path, "preamble" before the first chapter
    start: int
    end: int
    change: Change | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["change"] = self.change.to_dict() if self.change else None
        return d


@dataclass(frozen=True)
class WorkItem:
    kind: str  # achievement | problem | plan_theme | plan_task
    section: str  # section path
    title: str  # heading title (sections) or theme title (tasks)
    text: str  # clean_text[start:end]
    start: int
    end: int
    seq: int  # order among items of the reading
    lead_unit: str | None = None  # 牵头单位 / 责任单位
    partner_units: str | None = None  # 配合单位
    deadline: str | None = None  # 完成时限

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Reading:
    source_name: str
    doc_kind: str
    clean_text: str
    metadata: Metadata
    outline: tuple[Section, ...]
    indicators: tuple[Indicator, ...]
    work_items: tuple[WorkItem, ...]
    warnings: tuple[str, ...] = field(default=())

    def sections(self):
        """Every section, depth first."""
        for chapter in self.outline:
            yield from chapter.walk()

    def section_at(self, offset: int) -> Section | None:
        """The deepest section whose span holds `offset`."""
        found = None
        nodes = self.outline
        while nodes:
            hit = next((s for s in nodes if s.start <= offset < s.end), None)
            if hit is None:
                break
            found, nodes = hit, hit.children
        return found

    def to_json_dict(self) -> dict:
        return {
            "source": self.source_name,
            "doc_kind": self.doc_kind,
            "clean_text": self.clean_text,
            "metadata": self.metadata.to_dict(),
            "outline": [s.to_dict() for s in self.outline],
            "indicators": [i.to_dict() for i in self.indicators],
            "work_items": [w.to_dict() for w in self.work_items],
            "warnings": list(self.warnings),
        }


# Built once per heading and per figure, thousands of times in a long report: these give the same frozen objects as
# Section(...)/Indicator(...)/Change(...) (equal, hashed and printed alike, still frozen) without the generated
# __init__'s object.__setattr__ call per field, about a third of the time. Every field is given, in order.
_new = object.__new__
_set = object.__setattr__


def new_section(path: str, number: str, label: str, title: str, level: int, role: str, start: int, end: int,
                title_start: int, title_end: int, children: tuple[Section, ...]) -> Section:
    s = _new(Section)
    _set(s, "__dict__", {"path": path, "number": number, "label": label, "title": title, "level": level,
                         "role": role, "start": start, "end": end, "title_start": title_start,
                         "title_end": title_end, "children": children})
    return s


def new_indicator(text: str, value: float, unit: str, qualifier: str, kind: str, name: str, context: str,
                  section: str, start: int, end: int, change: Change | None) -> Indicator:
    i = _new(Indicator)
    _set(i, "__dict__", {"text": text, "value": value, "unit": unit, "qualifier": qualifier, "kind": kind,
                         "name": name, "context": context, "section": section, "start": start, "end": end,
                         "change": change})
    return i


def new_change(text: str, value: float, unit: str, basis: str | None, start: int, end: int) -> Change:
    c = _new(Change)
    _set(c, "__dict__", {"text": text, "value": value, "unit": unit, "basis": basis, "start": start, "end": end})
    return c
