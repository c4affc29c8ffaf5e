"""Conversions without SQL: stored rows <-> record dataclasses, readings <-> row values (rows -> Reading: report.rebuild)."""
from __future__ import annotations

import dataclasses
import json

from desktop.report.model import Indicator, Reading, Section, WorkItem
from desktop.store.records import (
    AnnotationRecord, HistoryRecord, IndicatorRecord, ReportRecord, RubricScoreRecord, SectionRecord,
    TRACKING_FIELDS, WorkItemRecord,
)

# Values the parser produces for each indicator / work item; kept in `extracted` so reviewer edits stay apart.
INDICATOR_EXTRACTED = ("section_path", "text", "value", "unit", "qualifier", "kind", "name", "context",
                       "start", "end", "change_value", "change_unit", "change_basis", "change_text")
INDICATOR_EDITABLE = frozenset(INDICATOR_EXTRACTED) - {"start", "end"} | {"check_status"}
# A work item's fields the parser gives (what `extracted` may hold once a reviewer changes one of them).
WORK_ITEM_EXTRACTED = ("kind", "section_path", "theme", "text", "start", "end",
                       "category", "lead_unit", "partner_units", "deadline")
WORK_ITEM_EDITABLE = frozenset({"text", "theme", "start", "end"}) | frozenset(TRACKING_FIELDS)
ANNOTATION_EDITABLE = frozenset({"body", "tags", "score", "status", "reviewer", "section_path", "start", "end"})


def loads(value, default):
    if value in (None, ""):
        return default
    return json.loads(value)


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # what json.dumps builds per call, made once


def dumps(value) -> str:
    return _ENCODER.encode(value)


def parser_values(row: dict, fields) -> dict:
    """The parser's values of a stored indicator / work item: its columns, overlaid with `extracted`, which
    holds only the parser's values of fields a reviewer changed (older libraries: all of them)."""
    return {**{f: row[f] for f in fields if f in row}, **loads(row.get("extracted"), {})}


def report_record(row: dict) -> ReportRecord:
    return ReportRecord(
        id=row["id"], file_name=row["file_name"], sha256=row["sha256"], doc_kind=row["doc_kind"],
        title=row["title"], issuer=row["issuer"], report_year=row["report_year"], plan_year=row["plan_year"],
        published=row["published"], metadata=loads(row["metadata"], {}), clean_text=row["clean_text"],
        imported_at=row["imported_at"], reading_no=row["reading_no"],
        level=row.get("level"), region=row.get("region"), report_type=row.get("report_type"),
        unit_id=row.get("unit_id"), edited_fields=tuple(loads(row.get("edited_fields"), [])),
        review_status=row.get("review_status"),
        warnings=tuple(loads(row.get("warnings"), [])),
    )


def section_record(row: dict) -> SectionRecord:
    return SectionRecord(**{f.name: row[f.name] for f in dataclasses.fields(SectionRecord) if f.name in row})


def indicator_record(row: dict) -> IndicatorRecord:
    values = {f.name: row[f.name] for f in dataclasses.fields(IndicatorRecord) if f.name in row}
    values["edited_fields"] = tuple(loads(row["edited_fields"], []))
    values["deleted"] = bool(row["deleted"])
    return IndicatorRecord(**values)


def work_item_record(row: dict) -> WorkItemRecord:
    values = {f.name: row[f.name] for f in dataclasses.fields(WorkItemRecord) if f.name in row}
    values["edited_fields"] = tuple(loads(row["edited_fields"], []))
    values["deleted"] = bool(row["deleted"])
    return WorkItemRecord(**values)


def annotation_record(row: dict) -> AnnotationRecord:
    values = {f.name: row[f.name] for f in dataclasses.fields(AnnotationRecord) if f.name in row}
    values["tags"] = tuple(loads(row["tags"], []))
    return AnnotationRecord(**values)


_RUBRIC_FIELDS = tuple(f.name for f in dataclasses.fields(RubricScoreRecord))  # once: the overview converts 240k


def rubric_record(row: dict) -> RubricScoreRecord:
    return RubricScoreRecord(*[row[name] for name in _RUBRIC_FIELDS])


def history_record(row: dict) -> HistoryRecord:
    return HistoryRecord(**{f.name: row[f.name] for f in dataclasses.fields(HistoryRecord)})


def report_values(reading: Reading) -> dict:
    meta = reading.metadata
    return {
        "doc_kind": reading.doc_kind, "title": meta.title, "issuer": meta.issuer,
        "report_year": meta.report_year, "plan_year": meta.plan_year, "published": meta.published,
        "metadata": dumps(meta.to_dict()), "clean_text": reading.clean_text,
        "warnings": dumps(list(reading.warnings)), "identity": identity(reading),
    }


def identity(reading: Reading) -> str | None:
    """Two readings with the same title and issuer are versions of one report."""
    title = (reading.metadata.title or "").strip()
    if not title:
        return None
    return f"{title}|{(reading.metadata.issuer or '').strip()}"


def section_rows(reading: Reading) -> list[dict]:
    rows: list[dict] = []

    def walk(section: Section, parent: str | None):
        rows.append({
            "path": section.path, "parent_path": parent, "number": section.number, "label": section.label,
            "title": section.title, "level": section.level, "role": section.role, "start": section.start,
            "end": section.end, "title_start": section.title_start, "title_end": section.title_end,
            "position": len(rows),
        })
        for child in section.children:
            walk(child, section.path)

    for chapter in reading.outline:
        walk(chapter, None)
    return rows


def indicator_values(ind: Indicator) -> dict:
    ch = ind.change
    return {
        "section_path": ind.section, "text": ind.text, "value": ind.value, "unit": ind.unit,
        "qualifier": ind.qualifier, "kind": ind.kind, "name": ind.name, "context": ind.context,
        "start": ind.start, "end": ind.end,
        "change_value": ch.value if ch else None, "change_unit": ch.unit if ch else None,
        "change_basis": ch.basis if ch else None, "change_text": ch.text if ch else None,
    }


def work_item_values(item: WorkItem) -> dict:
    plan = item.kind in ("plan_task", "plan_theme")
    return {
        "kind": item.kind, "section_path": item.section, "theme": item.title, "text": item.text,
        "start": item.start, "end": item.end, "category": item.title if plan else None,
        "lead_unit": item.lead_unit, "partner_units": item.partner_units, "deadline": item.deadline,
    }
