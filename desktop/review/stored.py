"""A Reading rebuilt from stored records (deleted rows left out), so checks can run on a library's report."""
from __future__ import annotations

from desktop.report.model import Change, Indicator, Metadata, Reading, Section, WorkItem


def reading_from_records(report, sections=(), indicators=(), work_items=()) -> Reading:
    """`report` is a ReportRecord; the rest are SectionRecord / IndicatorRecord / WorkItemRecord sequences."""
    meta_fields = set(Metadata.__dataclass_fields__)
    meta = Metadata(**{k: v for k, v in (report.metadata or {}).items() if k in meta_fields})
    return Reading(
        source_name=report.file_name, doc_kind=report.doc_kind, clean_text=report.clean_text, metadata=meta,
        outline=_outline(sections, report.clean_text),
        indicators=tuple(_indicator(r, report.clean_text) for r in sorted(indicators, key=lambda r: (r.start, r.position))
                         if not r.deleted),
        work_items=tuple(_work_item(w) for w in sorted(work_items, key=lambda w: (w.position, w.id))
                         if not w.deleted),
    )


def _outline(records, text: str) -> tuple[Section, ...]:
    kids: dict[str | None, list] = {}
    paths = {r.path for r in records}
    for r in sorted(records, key=lambda r: (r.position, r.start)):
        parent = r.parent_path if r.parent_path in paths else None
        kids.setdefault(parent, []).append(r)

    def build(r) -> Section:
        at = text.find(r.title, r.start, r.end) if r.title else -1
        at = at if at >= 0 else r.start + len(r.label)
        return Section(r.path, r.number, r.label, r.title, r.level, r.role, r.start, r.end, at,
                       at + len(r.title), tuple(build(k) for k in kids.get(r.path, [])))

    return tuple(build(r) for r in kids.get(None, []))


def _indicator(r, text: str) -> Indicator:
    change = None
    if r.change_value is not None:
        at = text.find(r.change_text, r.end, r.end + 40) if r.change_text else -1
        a, b = (at, at + len(r.change_text)) if at >= 0 else (r.end, r.end)
        change = Change(r.change_text or "", r.change_value, r.change_unit or "", r.change_basis, a, b)
    return Indicator(r.text, r.value, r.unit, r.qualifier, r.kind, r.name, r.context, r.section_path,
                     r.start, r.end, change)


def _work_item(w) -> WorkItem:
    return WorkItem(w.kind, w.section_path, w.theme, w.text, w.start, w.end, w.position,
                    w.lead_unit, w.partner_units, w.deadline)
