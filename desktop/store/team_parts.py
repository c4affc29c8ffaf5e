"""The registry of mergeable parts: every kind of review record a bundle carries and the team server stores, declared
once — its key in a state, how it merges (per-field last-writer-wins fields, max-merged fields), where it is filed,
whether the bundle schema validates it and whether the server's report content carries its unedited rows.

Bundles (team_state/merge_state, team_records, team_schema) and the server (desktop/server/records.py) read their
lists of parts from here: two transports of the same records, one merge. No SQL, no imports of the team modules."""
from __future__ import annotations

from dataclasses import dataclass

from desktop.store import convert
from desktop.store.identity import IDENTITY_FIELDS


@dataclass(frozen=True)
class Spec:
    """How one table merges: its entity name (history), the per-field LWW fields and the max-merged ones."""
    table: str
    entity: str
    fields: tuple[str, ...]
    max_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """One mergeable part. `filed`: "rows" (a report's own table, merged with the report), "after" (filed under a
    report, merged after every report of a state: it may name another report's record), "report" (the report's
    identity fields), "top" (a list of the state itself). `content`: the server ships its unedited rows inside the
    report's content record (the reader's rows, most of a library)."""
    spec: Spec
    filed: str
    identity: str  # how its gid is made (team.md §1)
    content: bool = False


PARTS: tuple[Part, ...] = (
    Part(Spec("reports", "report", (*IDENTITY_FIELDS, "review_status")), "report", "report_key"),
    Part(Spec("indicators", "indicator",
              tuple(sorted(convert.INDICATOR_EDITABLE | {"start", "end", "deleted", "anchor", "position"}))),
         "rows", "derived from the reading, or uuid4", content=True),
    Part(Spec("work_items", "work_item",
              tuple(sorted(convert.WORK_ITEM_EDITABLE | {"kind", "section_path", "deleted", "merged_into", "anchor",
                                                          "position"}))),
         "rows", "derived from the reading, or uuid4", content=True),
    Part(Spec("annotations", "annotation", tuple(sorted(convert.ANNOTATION_EDITABLE | {"quote", "anchor", "deleted"})),
              ("updated_at",)), "rows", "uuid4"),
    Part(Spec("rubric_scores", "rubric_score", ("comment", "score"), ("updated_at",)), "rows",
         "sha256(report, criterion, reviewer)"),
    Part(Spec("assignments", "assignment", ("deleted", "note")), "rows", "sha256(report, reviewer)"),
    Part(Spec("conflicts", "conflict", ("confirmed_at", "confirmed_by")), "rows",
         "sha256(entity, field, losing stamp)"),
    Part(Spec("followup_decisions", "followup", ("decision", "deleted", "machine_verdict", "note"), ("updated_at",)),
         "after", "sha256(later report, task)"),
    Part(Spec("rectifications", "rectification", ("progress", "state"), ("updated_at",)), "after",
         "sha256(annotation)"),
    Part(Spec("ledger_returns", "ledger_return", ("deleted",)), "top", "uuid4 (its lines: sha256(return, task, row))"),
)
BY_TABLE = {p.spec.table: p for p in PARTS}
ROW_PARTS = tuple(p for p in PARTS if p.filed == "rows")  # merged with their report, in this order
REPORT_LISTS = tuple(p.spec.table for p in PARTS if p.filed in ("rows", "after"))  # the lists under a report
CONTENT_TABLES = tuple(p.spec.table for p in PARTS if p.content)
