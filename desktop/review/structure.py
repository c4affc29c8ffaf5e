"""Where a reading's required parts are: chapters mapped to parts by meaning, and the units the checks look at."""
from __future__ import annotations

from dataclasses import dataclass

from desktop.kernel.labels import ROLE_LABELS
from desktop.report.model import Reading, Section
from desktop.report.outline import problem_parts, title_meaning  # one classifier of heading meaning for reader and checks

# The parts a 年度报告 must contain (督察工作规定第二十六条), in order; "other" is optional.
PARTS = ("achievements", "problems", "first_responsible", "plans", "other")
CORE_PARTS = PARTS[:4]
PART_NAMES = {
    "achievements": "上一年度推进法治政府建设的主要举措和成效",
    "problems": "存在的不足和原因",
    "first_responsible": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "plans": "下一年度推进法治政府建设的主要安排",
    "other": "其他需要报告的情况",
}
SHORT_NAMES = ROLE_LABELS

@dataclass(frozen=True)
class PartPlace:
    part: str
    level: str  # "chapter" | "section" (found only as a section inside another chapter)
    sections: tuple[Section, ...]  # the chapters (or sections) holding the part
    how: str  # "role" (the reader's chapter role) | "title" (heading words) | "position" (thematic chapter)


def locate_parts(reading: Reading) -> dict[str, PartPlace]:
    """Each part found -> where. Chapters first by the reader's role, then by heading words; thematic
    chapters of an annual report that come before any other part count as achievements; a part with no
    chapter may be found as a section heading inside another chapter."""
    chapters: dict[str, list[tuple[Section, str]]] = {}
    unplaced = []
    for chapter in reading.outline:
        part, how = chapter.role, "role"
        if part not in PARTS or part == "other":
            meant = title_meaning(chapter.title)
            part, how = (meant, "title") if meant else (None, "")
        if part is None:
            unplaced.append(chapter)
            continue
        chapters.setdefault(part, []).append((chapter, how))
    if reading.doc_kind == "annual_report" and "achievements" not in chapters and unplaced:
        placed_starts = [s.start for group in chapters.values() for s, _ in group]
        first_other = min(placed_starts, default=len(reading.clean_text) + 1)
        lead = [c for c in unplaced if c.start < first_other]
        if lead:
            chapters["achievements"] = [(c, "position") for c in lead]
    places = {part: PartPlace(part, "chapter", tuple(s for s, _ in group), group[0][1])
              for part, group in chapters.items()}
    for part in CORE_PARTS:
        if part in places:
            continue
        hits = tuple(s for s in reading.sections() if s.level > 1 and title_meaning(s.title) == part
                     and part != "achievements")
        if hits:
            places[part] = PartPlace(part, "section", hits, "title")
    return dict(sorted(places.items(), key=lambda kv: PARTS.index(kv[0])))


def body_span(section: Section) -> tuple[int, int]:
    """The section's text after its heading."""
    return max(section.title_end, section.start), section.end


@dataclass(frozen=True)
class Unit:
    """A problem, an achievement section or a plan theme: a titled span the checks compare."""
    path: str
    title: str
    start: int
    end: int
    title_start: int
    title_end: int


def units(reading: Reading, part: str, places: dict[str, PartPlace] | None = None) -> list[Unit]:
    """The sections directly under the part's chapters (or the chapters themselves when they have none)."""
    places = locate_parts(reading) if places is None else places
    place = places.get(part)
    if place is None:
        return closing_plan_units(reading) if part == "plans" else []
    out = []
    for sec in place.sections:
        kids, causes = problem_parts(sec) if part == "problems" else (sec.children, ())
        kids = [k for k in kids if k.label or k.title]
        for node in kids:
            out.append(Unit(node.path, node.title, node.start, node.end, node.title_start, node.title_end))
        if not kids:  # the part as one unit, up to its causes
            out.append(Unit(sec.path, sec.title, sec.start, causes[0].start if causes else sec.end, sec.title_start,
                            sec.title_end))
    return out


def closing_plan_units(reading: Reading) -> list[Unit]:
    """With no plans part, the plan tasks the reader found after a closing lead-in (下一步，我局将…：1．…), one unit each."""
    out, seen = [], set()
    for w in reading.work_items:
        if w.kind != "plan_task":
            continue
        path = w.section if w.section not in seen else f"{w.section}·{w.seq}"
        seen.add(path)
        out.append(Unit(path, w.text, w.start, w.end, w.start, w.end))
    return out


def cause_sections(reading: Reading, places: dict[str, PartPlace] | None = None) -> list[Section]:
    """The problems part's own cause analysis: its sections about causes ('（二）原因分析', '产生问题的原因主要有：')."""
    places = locate_parts(reading) if places is None else places
    place = places.get("problems")
    return [c for sec in (place.sections if place else ()) for c in problem_parts(sec)[1]]


def in_section(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")
