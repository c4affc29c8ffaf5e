"""Dataclasses the repository returns: one per stored row, no SQL and no Qt here."""
from __future__ import annotations

from dataclasses import dataclass, field

from desktop.kernel.labels import ANNOTATION_STATUSES, TRACKING_FIELD_LABELS, WORK_STATUSES  # noqa: F401 (re-exported)

# Tracking fields of a work item: attribute name -> column header used in the UI and the ledger.
TRACKING_FIELDS: dict[str, str] = TRACKING_FIELD_LABELS
# What an annotation can be attached to.
TARGET_KINDS = ("report", "section", "work_item", "indicator", "span")


@dataclass(frozen=True)
class ReportRecord:
    id: int
    file_name: str
    sha256: str
    doc_kind: str
    title: str | None
    issuer: str | None
    report_year: int | None
    plan_year: int | None
    published: str | None
    metadata: dict
    clean_text: str
    imported_at: str
    reading_no: int = 1  # how many readings of this report (by identity) have been imported
    warnings: tuple[str, ...] = ()  # what the reader noted (未识别到章节标题…)
    # the season (0005): identity a reviewer may correct over the parser's values, and the unit it belongs to
    level: str | None = None  # 省/市/县区/部门/其他
    region: str | None = None
    report_type: str | None = None  # 年度报告/工作要点/其他
    unit_id: int | None = None
    edited_fields: tuple[str, ...] = ()  # identity fields the reviewer set
    review_status: str | None = None  # set by the reviewer; None = derived (待审/审阅中/已审)


@dataclass(frozen=True)
class UnitRecord:
    id: int
    name: str
    level: str | None
    region: str | None
    merged_into: int | None
    aliases: tuple[str, ...] = ()
    reports: int = 0


@dataclass(frozen=True)
class SectionRecord:
    id: int
    report_id: int
    path: str
    parent_path: str | None
    number: str
    label: str
    title: str
    level: int
    role: str
    start: int
    end: int
    position: int
    title_start: int | None = None  # the heading's span in clean_text
    title_end: int | None = None


@dataclass(frozen=True)
class IndicatorRecord:
    id: int
    report_id: int
    uid: str  # stable across re-readings
    section_path: str
    text: str
    value: float
    unit: str
    qualifier: str
    kind: str
    name: str
    context: str
    start: int
    end: int
    change_value: float | None = None
    change_unit: str | None = None
    change_basis: str | None = None
    change_text: str | None = None
    origin: str = "extracted"  # extracted | reviewer
    edited_fields: tuple[str, ...] = ()  # fields a reviewer changed; re-extraction keeps them
    check_status: str | None = None  # reviewer's check: 待审/已审/需核实...
    deleted: bool = False
    position: int = 0
    anchor: str = "ok"  # ok | moved | orphaned (not found in the latest reading; kept, never dropped)


@dataclass(frozen=True)
class WorkItemRecord:
    id: int
    report_id: int
    uid: str  # stable ID written into the ledger's hidden column
    kind: str  # achievement | problem | plan_theme | plan_task
    section_path: str
    theme: str  # title of the section (theme) it belongs to
    text: str
    start: int
    end: int
    position: int
    origin: str = "extracted"  # extracted | reviewer (split/merged/added)
    edited_fields: tuple[str, ...] = ()
    deleted: bool = False
    # tracking fields (see TRACKING_FIELDS)
    category: str | None = None
    target: str | None = None
    lead_unit: str | None = None
    partner_units: str | None = None
    owner: str | None = None
    deadline: str | None = None
    progress: str | None = None
    status: str | None = None
    evidence: str | None = None
    review_opinion: str | None = None
    remarks: str | None = None
    anchor: str = "ok"  # ok | moved | orphaned (not found in the latest reading; kept, never dropped)


@dataclass(frozen=True)
class AnnotationRecord:
    id: int
    report_id: int
    target_kind: str  # see TARGET_KINDS
    target_id: int | None  # work item / indicator id
    section_path: str | None
    start: int | None  # span annotations (and the anchor of the others when known)
    end: int | None
    quote: str | None  # the quoted text, used to re-anchor after a new reading
    body: str
    tags: tuple[str, ...] = ()
    score: float | None = None
    status: str = "待审"
    reviewer: str | None = None
    created_at: str = ""
    updated_at: str = ""
    anchor: str = "ok"  # ok | moved | orphaned (could not be re-anchored; kept, never dropped)


@dataclass(frozen=True)
class RubricScoreRecord:
    id: int
    report_id: int
    criterion_id: str
    score: float | None
    comment: str | None
    reviewer: str | None
    updated_at: str


@dataclass(frozen=True)
class HistoryRecord:
    id: int
    at: str
    who: str | None
    entity: str  # report | work_item | indicator | annotation | rubric_score | tag
    entity_id: int | None
    action: str  # insert | update | delete | split | merge | import | reimport
    field: str | None
    old: str | None
    new: str | None
    report_id: int | None = None
    source: str | None = None  # where the change came from (a ledger read back: round, file, 填报单位)


@dataclass(frozen=True)
class SearchHit:
    report_id: int
    kind: str  # text | annotation
    start: int | None  # offsets into the report's clean_text (an annotation's anchor; None when orphaned)
    end: int | None
    snippet: str
    annotation_id: int | None = None
    report_title: str | None = None


@dataclass(frozen=True)
class ImportResult:
    report: ReportRecord
    status: str  # new | unchanged | new_reading
    carried_over: int = 0  # reviewer edits and annotations carried to the new reading
    orphaned: tuple[int, ...] = field(default=())  # annotation ids that could not be re-anchored
    messages: tuple[str, ...] = ()
