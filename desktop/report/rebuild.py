"""A Reading rebuilt from its stored parts (the library's records), the one converter for store, review and ledger.

The parts are read by attribute name only (report: file_name, doc_kind, clean_text, metadata, warnings;
sections: path, parent_path, number, label, title, level, role, start, end, position, title_start/title_end;
indicators and work items as the store's records), so this bottom layer does not depend on the store.
Deleted rows are left out; work items are numbered in their stored order, so a split item gets its own seq.
"""
from __future__ import annotations

import dataclasses

from desktop.report.model import Change, Indicator, Metadata, Reading, Section, WorkItem

_METADATA_FIELDS = frozenset(f.name for f in dataclasses.fields(Metadata))
_CHANGE_WINDOW = 40  # how far after its figure a comparison (同比增长3%) may start


def reading_from_records(report, sections=(), indicators=(), work_items=()) -> Reading:
    """`report` is a ReportRecord; the rest are SectionRecord / IndicatorRecord / WorkItemRecord sequences."""
    text = report.clean_text
    metadata = Metadata(**{k: v for k, v in (report.metadata or {}).items() if k in _METADATA_FIELDS})
    live_items = sorted((w for w in work_items if not w.deleted), key=lambda w: (w.position, w.id))
    return Reading(
        source_name=report.file_name, doc_kind=report.doc_kind, clean_text=text, metadata=metadata,
        outline=_outline(sections, text),
        indicators=tuple(_indicator(r, text) for r in sorted(indicators, key=lambda r: (r.position, r.id))
                         if not r.deleted),
        work_items=tuple(WorkItem(w.kind, w.section_path, w.theme, w.text, w.start, w.end, seq, w.lead_unit,
                                  w.partner_units, w.deadline) for seq, w in enumerate(live_items)),
        warnings=tuple(getattr(report, "warnings", None) or ()),
    )


def _outline(records, text: str) -> tuple[Section, ...]:
    kids: dict[str | None, list] = {}
    paths = {r.path for r in records}
    for r in sorted(records, key=lambda r: (r.position, r.start)):
        kids.setdefault(r.parent_path if r.parent_path in paths else None, []).append(r)

    def build(r) -> Section:
        start = getattr(r, "title_start", None)
        if start is None:  # records written before title offsets were kept: find the title again
            at = text.find(r.title, r.start, r.end) if r.title else -1
            start = at if at >= 0 else r.start + len(r.label)
        end = getattr(r, "title_end", None)
        end = start + len(r.title) if end is None else end
        return Section(r.path, r.number, r.label, r.title, r.level, r.role, r.start, r.end, start, end,
                       tuple(build(k) for k in kids.get(r.path, [])))

    return tuple(build(r) for r in kids.get(None, []))


def _indicator(r, text: str) -> Indicator:
    return Indicator(r.text, r.value, r.unit, r.qualifier, r.kind, r.name, r.context, r.section_path,
                     r.start, r.end, _change(r, text))


def _change(r, text: str) -> Change | None:
    """The comparison attached to an indicator; its offsets are found again just after the figure."""
    if r.change_value is None:
        return None
    surface = r.change_text or ""
    at = text.find(surface, r.end, r.end + _CHANGE_WINDOW + len(surface)) if surface else -1
    start, end = (at, at + len(surface)) if at >= 0 else (r.end, r.end)
    return Change(surface, r.change_value, r.change_unit or "", r.change_basis, start, end)
