"""Review records as bundles carry them (no SQL): how each table merges, rows out, shape checks, export filters."""
from __future__ import annotations

from dataclasses import dataclass

from desktop.store import convert
from desktop.store.convert import dumps, loads
from desktop.store.identity import IDENTITY_FIELDS
from desktop.store.merge import merge_row, newest_stamp, stamp_entry, stamp_time

# Not part of the shared content: local ids and times, derived columns (edited_fields; extracted, the parser's
# values, equal wherever the same text was read), and who won a clash when this library
# saw it (that depends on arrival order; the desk shows the current value's author instead).
NOT_SHARED = ("uid", "edited_fields", "extracted", "updated_at", "imported_at", "created_at", "winner_author")


@dataclass(frozen=True)
class Spec:
    """How one table merges: its entity name (history), the per-field LWW fields and the max-merged ones."""
    table: str
    entity: str
    fields: tuple[str, ...]
    max_fields: tuple[str, ...] = ()


SPECS = (
    Spec("indicators", "indicator",
         tuple(sorted(convert.INDICATOR_EDITABLE | {"start", "end", "deleted", "anchor", "position"}))),
    Spec("work_items", "work_item",
         tuple(sorted(convert.WORK_ITEM_EDITABLE | {"kind", "section_path", "deleted", "merged_into", "anchor",
                                                     "position"}))),
    Spec("annotations", "annotation",
         tuple(sorted(convert.ANNOTATION_EDITABLE | {"quote", "anchor", "deleted"})), ("updated_at",)),
    Spec("rubric_scores", "rubric_score", ("comment", "score"), ("updated_at",)),
    Spec("assignments", "assignment", ("deleted", "note")),
    Spec("conflicts", "conflict", ("confirmed_at", "confirmed_by")),
)
SPEC = {s.table: s for s in SPECS}
# Follow-up decisions (their SQL is in followup_team.py): filed under the later report, merged after every report.
FOLLOWUP = Spec("followup_decisions", "followup", ("decision", "deleted", "machine_verdict", "note"),
                ("updated_at",))
# Rectification reports (their SQL is in letters_team.py): filed under the annotation's report, merged after it.
RECTIFICATION = Spec("rectifications", "rectification", ("progress", "state"), ("updated_at",))
REPORT_SPEC = Spec("reports", "report", IDENTITY_FIELDS)  # a report's identity, merged by _merge_identity
TARGET_TABLE = {"work_item": "work_items", "indicator": "indicators"}


def out_row(table: str, row: dict, gid_of: dict) -> dict:
    """A row as a bundle carries it (JSON text columns other than tags stay text: they are only copied)."""
    out = row.copy()
    del out["id"], out["report_id"]
    out["stamps"] = {} if row["stamps"] == "{}" else loads(row["stamps"], {})
    if "tags" in out:
        out["tags"] = loads(out["tags"], [])
    if table == "work_items":
        out["merged_into"] = gid_of["work_items"].get(row["merged_into"]) if row["merged_into"] else None
    if table == "annotations":
        target = TARGET_TABLE.get(row["target_kind"])
        out.pop("target_id")
        out["target_gid"] = gid_of[target].get(row["target_id"]) if target and row["target_id"] else None
    return out


_JSON_COLUMNS = {"tags": list, "edited_fields": list, "extracted": dict}
_VALUE_TYPES = {str, int, float, type(None), dict, list}  # dict and list only under _CONTAINER_KEYS
_CONTAINER_KEYS = frozenset(_JSON_COLUMNS) | {"stamps"}
_EXTRA_KEYS = {"annotations": {"target_gid"}, "work_items": set(), "indicators": set()}


def check_rows(rows, table_info: list[dict], table: str, *, required: bool = True) -> None:
    if not isinstance(rows, list):
        raise ValueError(f"审阅记录中的 {table} 不是列表")
    columns = {c["name"] for c in table_info} - {"id", "report_id"}
    allowed = columns | _EXTRA_KEYS.get(table, set())
    needed = {c["name"] for c in table_info if c["notnull"] and c["dflt_value"] is None} - {"id", "report_id"}
    if table == "annotations":
        allowed -= {"target_id"}
    has_gid = "gid" in columns
    for row in rows:
        if type(row) is not dict or not row.keys() <= allowed or (required and not needed <= row.keys()):
            raise ValueError(f"审阅记录中 {table} 的字段不对")
        types = list(map(type, row.values()))  # one pass in C; the few JSON-valued keys are looked at by name
        if not set(types) <= _VALUE_TYPES:
            raise ValueError(f"审阅记录中 {table} 的值类型不对")
        containers = types.count(dict) + types.count(list)
        for key in _CONTAINER_KEYS & row.keys():
            value = row[key]
            if key == "stamps":
                if type(value) is not dict or not all(
                        type(k) is str and type(v) is list and len(v) == 3 and type(v[0]) is str
                        and type(v[1]) is str and (v[2] is None or type(v[2]) is str) for k, v in value.items()):
                    raise ValueError(f"审阅记录中 {table} 的时间戳无效")
            elif not isinstance(value, (_JSON_COLUMNS[key], str)):
                raise ValueError(f"审阅记录中 {table}.{key} 的类型不对")
            containers -= type(value) in (dict, list)
        if containers:
            raise ValueError(f"审阅记录中 {table} 的值类型不对")
        if has_gid and type(row.get("gid")) is not str:
            raise ValueError(f"审阅记录中 {table} 缺少标识")


_NOT_EDITS = ("start", "end", "merged_into", "anchor", "position", "deleted")


def edit_marks(spec: Spec, mine: dict, sets: dict, stamps: dict) -> dict:
    """`edited_fields` (and `extracted`) of an item after a merge wrote `sets`: the parser's value of a field
    is kept in `extracted` before it is first overwritten; a field counts as edited when a write changed it
    away from the parser's value (a reviewer's row: when anyone wrote it)."""
    extracted = loads(mine["extracted"], {})
    out = {}
    by_parser = mine.get("origin") == "extracted"
    if by_parser and any(f not in extracted and f not in _NOT_EDITS for f in sets if f in spec.fields):
        extracted.update({f: mine[f] for f in sets if f in spec.fields and f not in _NOT_EDITS and f not in extracted})
        out["extracted"] = dumps(extracted)
    after = {**mine, **sets}
    edited = sorted(f for f in stamps if f in spec.fields and f not in _NOT_EDITS
                    and (not by_parser or (f in extracted and extracted[f] != after[f])))
    out["edited_fields"] = dumps(edited + (["deleted"] if after["deleted"] else []))
    return out


def local_view(row: dict, back: dict) -> dict:
    """A local row as the bundle would carry it: JSON columns decoded, merged_into as a gid (`back`: id -> gid)."""
    out = dict(row)
    if "tags" in out:
        out["tags"] = loads(out["tags"], [])
    if row.get("merged_into"):
        out["merged_into"] = back.get(row["merged_into"])
    return out


def wanted(table: str, row: dict, reviewer, since) -> bool:
    """The export filters: items always travel; other records only when by `reviewer` / written since `since`."""
    if table in ("work_items", "indicators") or not (reviewer or since):
        return True
    stamps = loads(row["stamps"], {})
    if since and stamp_time(newest_stamp(stamps)) < since:
        return False
    if reviewer:
        names = {stamp_entry(stamps, k)[2] for k in stamps} | {row.get("reviewer"), row.get("author")}
        return reviewer in names
    return True


def last_author(stamps: dict) -> str | None:
    """Who wrote a record last: the author of its newest stamp (the same in every library)."""
    newest = newest_stamp(stamps)
    return next((stamp_entry(stamps, k)[2] for k in sorted(stamps) if stamp_entry(stamps, k)[0] == newest), None)


def merge_records(repo, spec: Spec, state: dict, summary, local_of, insert, update) -> str:
    """The merge of records kept outside a report's own tables (follow-up decisions, rectification reports), run
    after the bundle's reports themselves: for each report with incoming `spec.table` rows, `local_of(report_id)`
    gives this library's rows by gid; an unknown gid -> `insert(row, report_id, title)`, a known one -> per-field
    last-writer-wins, `update(mine, result, report_id)` when it changed; conflicts recorded under the report.
    Returns the newest stamp seen."""
    newest = ""
    for rep in state["reports"]:
        incoming = rep.get(spec.table) or []
        if not incoming:
            continue
        report = repo.db.row("SELECT id, title, file_name FROM reports WHERE report_key = ?", (rep["key"],))
        report_id, title = report["id"], report["title"] or report["file_name"]
        local = local_of(report_id)
        for row in incoming:
            stamps = row.get("stamps") or {}
            newest = max(newest, newest_stamp(stamps))
            mine = local.get(row["gid"])
            if mine is None:
                insert(row, report_id, title)
                continue
            result = merge_row(mine, loads(mine["stamps"], {}), row, stamps, spec.fields, spec.max_fields)
            for c in result.conflicts:
                repo.team.record_conflict(report_id, spec, row["gid"], c, title, summary)
            if not result.changes and result.stamps == loads(mine["stamps"], {}):
                continue
            update(mine, result, report_id)
            if set(result.changes) - {"updated_at"}:
                summary.changed[spec.table] = summary.changed.get(spec.table, 0) + 1
    return newest


def note_once(summary, note: str) -> None:
    """A note for the import summary, said once however many rows it concerns."""
    if note not in summary.notes:
        summary.notes.append(note)


def filed(rows, report_col: str, columns, report_ids, table: str, reviewer, since) -> dict[int, list[dict]]:
    """Records kept outside a report's own tables, filed under their report (`report_col`) as a bundle carries
    them: `columns` only, stamps decoded, the export filters applied."""
    out: dict[int, list[dict]] = {}
    for row in rows:
        if (report_ids is None or row[report_col] in report_ids) and wanted(table, row, reviewer, since):
            entry = {c: row[c] for c in columns}
            entry["stamps"] = loads(row["stamps"], {})
            out.setdefault(row[report_col], []).append(entry)
    return out


def check_unique(rows: list[dict], table: str) -> None:
    if len({row["gid"] for row in rows}) != len(rows):
        raise ValueError(f"审阅记录中 {table} 的标识重复")
