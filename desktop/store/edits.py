"""Undoable edits: every desk-editable write returns an `Edit` (what record, its state before and after, a Chinese
description), recorded in the history so that it can be undone later, in this process or another one.

An edit is a change of one record's *state*: a kind's `put` writes a state (the values of some fields, whether the
record exists, whether an item is split…) and returns the state it wrote. Undo writes the edit's `before`, redo
its `after`; both are edits themselves (`revert` returns the inverse). The history row that records an edit has
entity "edit", action "edit" / "undo" / "redo", field the kind, old the description and new the edit as JSON
(with the first history row the write made, so the records it touched can be found again).
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Callable

ENTITY = "edit"  # the history entity of an edit's own row
UNDO_PREFIX = "撤销"
MARKS_KEY = "_marks"  # in a state: the records' edit marks (edited_fields, extracted) as they were
REDO_PREFIX = "重做"


@dataclass(frozen=True)
class Edit:
    """One reviewer's edit of one record: `before` and `after` are the record's state as `kind` writes it."""

    kind: str  # a key of KINDS, e.g. "annotation.fields"
    record_id: int | None  # the record (annotation id, work item id, unit id…); None for a library setting
    report_id: int | None
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    label: str = ""  # 修改批注, 删除工作事项… (what the undo menu and the history say)
    who: str | None = None
    history_id: int | None = None  # the history row recording it (None until recorded)
    first_history_id: int | None = None  # the first history row the write itself made
    undoes: int | None = None  # for an undo: the history row of the edit it takes back

    def inverse(self) -> "Edit":
        """The edit that takes this one back (not yet applied)."""
        return Edit(self.kind, self.record_id, self.report_id, dict(self.after), dict(self.before), self.label)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Edit":
        data = json.loads(text)
        return cls(**{f.name: data.get(f.name) for f in dataclasses.fields(cls)})


class UndoRefused(ValueError):
    """Nothing to undo, or a later edit by someone else stands in the way (the message says which, in Chinese)."""


# ---------------------------------------------------------------------------------------------- the kinds
def _method(lib, path: str):
    """`lib.<part>.<method>` named "part.method" (the kinds' table names the parts' writes)."""
    part, name = path.split(".")
    return getattr(getattr(lib, part), name)


def _fields(update: str):
    def put(lib, edit, state, who):
        _method(lib, update)(edit.record_id, dict(state), who)
        return dict(state)
    return put


def _exists(delete: str, restore: str):
    def put(lib, edit, state, who):
        _method(lib, delete if state.get("deleted") else restore)(edit.record_id, who)
        return dict(state)
    return put


def _put_items(lib, edit, state, who):
    lib.items.apply_work_item_updates([(int(i), dict(v)) for i, v in state["items"]], who)
    return dict(state)


def _put_split(lib, edit, state, who):
    if state["split"]:
        _, second = lib.items.split_work_item(edit.record_id, state["at"], who)
        return {**state, "second": second.id}
    lib.items.merge_work_items(edit.record_id, state["second"], who)
    return dict(state)


def _put_score(lib, edit, state, who):
    lib.scores.set_rubric_score(edit.report_id, state["criterion_id"], state["score"], state["comment"],
                          who=state["reviewer"])
    return dict(state)


def _put_rename(lib, edit, state, who):
    lib.units.rename_unit(edit.record_id, state["name"], who)
    if state.get("aliases") is not None:  # undo: the aliases as they were (renaming keeps the old name as one)
        lib.db.execute("DELETE FROM unit_aliases WHERE unit_id = ?", (edit.record_id,))
        lib.db.conn.executemany("INSERT INTO unit_aliases (id, unit_id, alias, region) VALUES (?, ?, ?, ?)",
                                 [(i, edit.record_id, a, r) for i, a, r in state["aliases"]])
    return dict(state)


def _put_unit_merge(lib, edit, state, who):
    if state.get("merged_into") is None:
        lib.units.unmerge_units(edit.record_id, state["moved"], who)
        return dict(state)
    return {**state, "moved": lib.units.merge_units(edit.record_id, state["merged_into"], who)}


def _put_setting(lib, edit, state, who):
    lib.letters.set_library_setting(state["key"], state["value"], who)
    return dict(state)


def _put_decision(lib, edit, state, who):
    from desktop.store import followup_repo

    if state.get("deleted"):
        followup_repo.delete_decision(lib, edit.report_id, edit.record_id, who=who)
    else:
        followup_repo.set_decision(lib, edit.report_id, edit.record_id, decision=state["decision"],
                                   note=state["note"], machine_verdict=state.get("machine_verdict"), who=who)
    return dict(state)


def _put_removed(lib, edit, state, who):
    if state["removed"]:
        return {**state, "tombstones": lib.removal.remove_reports(state["report_ids"], who)}
    lib.removal.restore_reports(state["tombstones"], who)
    return dict(state)


def _backup_before_removal(lib, state) -> dict | None:
    if not state["removed"]:
        return None
    from desktop.store.db import backup_before

    return {"backup": str(backup_before(lib, "remove"))}  # the day's backups hold what goes


def _one(edit, state) -> list:
    return [edit.record_id]


def _listed(edit, state) -> list:
    return [int(i) for i, _ in state["items"]]


@dataclass(frozen=True)
class Kind:
    """How to write one kind of state: `put(lib, edit, state, who) -> the state written`; `entity` is the history
    entity of the record (the desk refreshes its views by it); `carry` are the keys a write learns (the second
    item of a split, the reports a unit merge moved, the tombstones of a removal) that its undo needs too;
    `prepare(lib, state)` runs before the transaction (a backup; what it returns joins the state written). For a
    `table` whose rows keep which fields the reviewer changed (and the parser's values), the marks of the records
    `ids(edit, state)` are kept before the write and put back exactly by its undo."""

    entity: str
    put: Callable[[Any, Edit, dict, Any], dict]
    carry: tuple[str, ...] = ()
    prepare: Callable[[Any, dict], dict | None] | None = None
    table: str | None = None
    ids: Callable[[Edit, dict], list] = _one


MARKS = {"work_items": ("edited_fields", "extracted"), "indicators": ("edited_fields", "extracted"),
         "reports": ("edited_fields", "extracted_identity")}


def _read_marks(lib, table: str, ids) -> dict:
    cols = MARKS[table] + (("unit_id",) if table == "reports" else ())
    marks = {str(i): {c: r[c] for c in cols} for i in ids
             for r in lib.db.rows(f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?", (i,))}
    for values in marks.values() if table == "reports" else ():  # the report's unit, should a write drop it
        values["unit"] = lib.db.row("SELECT * FROM units WHERE id = ?", (values["unit_id"],))
    return marks


def _put_units(lib, marks: dict) -> None:
    """Before an identity is written back: a unit the write left empty (and dropped) comes back with its id."""
    for values in marks.values():
        unit = values.get("unit")
        if unit is not None and lib.db.row("SELECT 1 AS x FROM units WHERE id = ?", (unit["id"],)) is None:
            lib.db.execute(f"INSERT INTO units ({', '.join(unit)}) VALUES ({', '.join('?' * len(unit))})",
                       tuple(unit.values()))


def _put_marks(lib, table: str, marks: dict) -> None:
    for i, values in marks.items():
        values = {k: v for k, v in values.items() if k != "unit"}
        now = lib.db.row(f"SELECT * FROM {table} WHERE id = ?", (int(i),))
        sets = ", ".join(f"{c} = ?" for c in values)
        lib.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*values.values(), int(i)))
        if "unit_id" in values and now["unit_id"] != values["unit_id"]:
            lib.units.drop_empty_unit(now["unit_id"])


KINDS: dict[str, Kind] = {
    "annotation.fields": Kind("annotation", _fields("annotations.update_annotation")),
    "annotation.exists": Kind("annotation", _exists("annotations.delete_annotation", "annotations.restore_annotation")),
    "work_item.fields": Kind("work_item", _fields("items.update_work_item"), table="work_items"),
    "work_item.exists": Kind("work_item", _exists("items.delete_work_item", "items.restore_work_item")),
    "work_items.fields": Kind("work_item", _put_items, table="work_items", ids=_listed),
    "work_item.split": Kind("work_item", _put_split, carry=("second",), table="work_items"),
    "indicator.fields": Kind("indicator", _fields("items.update_indicator"), table="indicators"),
    "indicator.exists": Kind("indicator", _exists("items.delete_indicator", "items.restore_indicator")),
    "rubric_score": Kind("rubric_score", _put_score),
    "report.identity": Kind("report", _fields("season.update_report_identity"), table="reports"),
    "report.removed": Kind("report", _put_removed, carry=("tombstones",), prepare=_backup_before_removal),
    "unit.name": Kind("unit", _put_rename),
    "unit.merge": Kind("unit", _put_unit_merge, carry=("moved",)),
    "setting": Kind("setting", _put_setting),
    "followup.decision": Kind("followup", _put_decision),
}


# ---------------------------------------------------------------------------------------------- doing and undoing
def _record(lib, who, write: Callable[[], Edit], *, action: str = "edit", undoes: int | None = None) -> Edit:
    """Run `write` (it returns the edit it made) and the edit's own history row in ONE transaction. An edit that
    changed nothing (the values were already there) is not recorded: `undo` passes over it."""
    who = who or lib.default_who
    with lib.db.tx():
        first = lib.reports.last_history_id() + 1
        done = write()
        if action == "edit" and lib.reports.last_history_id() < first:
            return dataclasses.replace(done, who=who)
        lib.db.log(ENTITY, done.record_id, action, done.kind, done.label, None, done.report_id, who)
        history_id = lib.reports.last_history_id()
        done = dataclasses.replace(done, who=who, first_history_id=first, undoes=undoes, history_id=history_id)
        lib.db.execute("UPDATE history SET new = ? WHERE id = ?", (done.to_json(), history_id))
    return done


def perform(lib, edit: Edit, who=None, *, action: str = "edit", undoes: int | None = None) -> Edit:
    """Write `edit.after` and record the edit, in ONE transaction; returns the edit as written and recorded."""
    kind = KINDS[edit.kind]
    who = who or lib.default_who
    extra = (kind.prepare(lib, dict(edit.after)) if kind.prepare is not None else None) or {}

    def write() -> Edit:
        state = dict(edit.after)
        marks = state.pop(MARKS_KEY, None)
        kept = _read_marks(lib, kind.table, kind.ids(edit, state)) if kind.table else None
        if marks is not None:
            _put_units(lib, marks)
        written = kind.put(lib, edit, state, who)
        if marks is not None and kind.table is not None:
            _put_marks(lib, kind.table, marks)
        before = {**edit.before, **{k: written[k] for k in kind.carry if k in written}}
        if kept is not None:
            before[MARKS_KEY] = kept
        return dataclasses.replace(edit, before=before, after={**written, **extra})

    return _record(lib, who, write, action=action, undoes=undoes)


def revert(lib, edit: Edit, who=None, *, action: str = "undo") -> Edit:
    """Write `edit.before` (undo; "redo" when `edit` is itself an undo's inverse); returns the edit that did it."""
    return perform(lib, edit.inverse(), who, action=action, undoes=edit.history_id if action == "undo" else None)


def touched(lib, edit: Edit) -> set[tuple[str, int | None]]:
    """(entity, id) of every record the write of `edit` changed (its history rows, the edit's own row left out)."""
    rows = lib.db.rows("SELECT entity, entity_id FROM history WHERE id >= ? AND id < ? AND entity != ?",
                      (edit.first_history_id, edit.history_id, ENTITY))
    return {(r["entity"], r["entity_id"]) for r in rows}


def recorded_edits(lib, who: str) -> list[Edit]:
    """This reviewer's edits still standing (not undone), newest first."""
    rows = lib.db.rows("SELECT action, new FROM history WHERE entity = ? AND who = ? ORDER BY id DESC", (ENTITY, who))
    undone, out = set(), []
    for row in rows:
        edit = Edit.from_json(row["new"])
        if row["action"] == "undo":
            undone.add(edit.undoes)
        elif edit.history_id not in undone:
            out.append(edit)
    return out


def last_edit(lib, who: str) -> Edit:
    """The reviewer's last edit still standing; UndoRefused when there is none or someone else changed its
    records since."""
    from desktop.kernel.labels import ENTITY_LABELS

    standing = recorded_edits(lib, who)
    if not standing:
        raise UndoRefused(f"{who} 在这个审阅库中没有可撤销的修改")
    edit = standing[0]
    mine = touched(lib, edit)
    for row in lib.db.rows("SELECT who, entity, entity_id FROM history WHERE id > ? AND entity != ? AND who != ?"
                          " ORDER BY id", (edit.history_id, ENTITY, who)):
        if (row["entity"], row["entity_id"]) in mine:
            what = ENTITY_LABELS.get(row["entity"], row["entity"]) + (
                f"#{row['entity_id']}" if row["entity_id"] is not None else "")
            raise UndoRefused(f"不能撤销“{edit.label}”：之后 {row['who'] or '他人'} 修改了同一条记录（{what}）")
    return edit


def recorded_at(lib, edit: Edit) -> str | None:
    """When the edit was made (the stored ISO time of its history row)."""
    row = lib.db.row("SELECT at FROM history WHERE id = ?", (edit.history_id,))
    return row["at"] if row else None


def undo_last(lib, who: str) -> Edit:
    """Undo the reviewer's last edit in this library (see last_edit); returns the undo, recorded in history."""
    return revert(lib, last_edit(lib, who), who)


def describe(row_action: str, label: str) -> str:
    """How the history names an edit's own row: 修改批注 / 撤销“修改批注” / 重做“修改批注”."""
    prefix = {"undo": UNDO_PREFIX, "redo": REDO_PREFIX}.get(row_action)
    return f"{prefix}“{label}”" if prefix else label


# ---------------------------------------------------------------------------------------------- the desk's writes
# Each reads the record's state before, writes, and returns the recorded Edit (undo: revert(lib, edit)).
_ENTITY_WORDS = {"indicator": "指标", "work_item": "工作事项"}


def edit_annotation(lib, annotation_id: int, changes: dict, who=None) -> Edit:
    """修改批注: body, tags, score, status or the span of one annotation."""
    ann = lib.annotations.get_annotation(annotation_id)
    before = {k: _plain(getattr(ann, k)) for k in changes}
    return perform(lib, Edit("annotation.fields", ann.id, ann.report_id, before, dict(changes), "修改批注"), who)


def add_annotation(lib, report_id: int, fields: dict, who=None) -> Edit:
    """添加批注 (undo: the annotation is deleted softly; redo restores it with its id)."""
    def write() -> Edit:
        ann = lib.annotations.add_annotation(report_id, **fields)
        return Edit("annotation.exists", ann.id, report_id, {"deleted": 1}, {"deleted": 0}, "添加批注")

    return _record(lib, who or fields.get("reviewer"), write)


def delete_annotation(lib, annotation_id: int, who=None) -> Edit:
    ann = lib.annotations.get_annotation(annotation_id)
    return perform(lib, Edit("annotation.exists", ann.id, ann.report_id, {"deleted": 0}, {"deleted": 1},
                              "删除批注"), who)


def _row_record(lib, entity: str, record_id: int):
    return lib.items.get_indicator(record_id) if entity == "indicator" else lib.items.get_work_item(record_id)


def edit_field(lib, entity: str, record_id: int, changes: dict, who=None, label: str | None = None) -> Edit:
    """修改 fields of one work item or indicator (a table cell)."""
    record = _row_record(lib, entity, record_id)
    before = {k: _plain(getattr(record, k)) for k in changes}
    return perform(lib, Edit(f"{entity}.fields", record_id, record.report_id, before, dict(changes),
                              label or f"修改{_ENTITY_WORDS[entity]}"), who)


def add_row(lib, entity: str, report_id: int, fields: dict, who=None) -> Edit:
    """新增指标 / 新增工作事项 the reader missed (undo deletes it softly, redo restores it)."""
    def write() -> Edit:
        add = lib.items.add_indicator if entity == "indicator" else lib.items.add_work_item
        record = add(report_id, dict(fields), who)
        return Edit(f"{entity}.exists", record.id, report_id, {"deleted": 1}, {"deleted": 0},
                    f"新增{_ENTITY_WORDS[entity]}")

    return _record(lib, who, write)


def delete_row(lib, entity: str, record_id: int, who=None) -> Edit:
    record = _row_record(lib, entity, record_id)
    return perform(lib, Edit(f"{entity}.exists", record_id, record.report_id, {"deleted": 0}, {"deleted": 1},
                              f"删除{_ENTITY_WORDS[entity]}"), who)


def split_work_item(lib, item_id: int, at: int, who=None) -> Edit:
    item = lib.items.get_work_item(item_id)
    return perform(lib, Edit("work_item.split", item_id, item.report_id, {"split": False, "at": at, "second": None},
                              {"split": True, "at": at, "second": None}, "拆分工作事项"), who)


def merge_work_items(lib, first_id: int, second_id: int, who=None) -> Edit:
    first = lib.items.get_work_item(first_id)
    state = {"at": len(first.text), "second": second_id}
    return perform(lib, Edit("work_item.split", first_id, first.report_id, {"split": True, **state},
                              {"split": False, **state}, "合并工作事项"), who)


def assign_work_items(lib, item_ids, values: dict, who=None) -> Edit:
    """分配任务: the same values (牵头单位, 责任人…) on several work items, one edit."""
    items = [lib.items.get_work_item(i) for i in item_ids]
    before = {"items": [[w.id, {k: _plain(getattr(w, k)) for k in values}] for w in items]}
    after = {"items": [[w.id, dict(values)] for w in items]}
    report = items[0].report_id if len({w.report_id for w in items}) == 1 else None
    return perform(lib, Edit("work_items.fields", None, report, before, after, f"分配 {len(items)} 项任务"), who)


def _score_state(lib, report_id: int, criterion_id: str, reviewer: str) -> dict:
    scores = lib.scores.rubric_scores(report_id, reviewer=reviewer)
    old = next((s for s in scores if s.criterion_id == criterion_id), None)
    return {"criterion_id": criterion_id, "reviewer": reviewer, "score": old.score if old else None,
            "comment": old.comment if old else None}


def set_score(lib, report_id: int, criterion_id: str, score, comment, who=None, label: str = "评分", *,
              write: Callable[[], Any] | None = None) -> Edit:
    """One reviewer's score of one criterion. `write()`: the review service's write, which checks the value
    against the criterion's scale (the store cannot see the rubric); without it the score is written as given."""
    reviewer = who or lib.default_who
    before = _score_state(lib, report_id, criterion_id, reviewer)
    if write is None:
        after = {**before, "score": None if score is None else float(score), "comment": comment}
        return perform(lib, Edit("rubric_score", None, report_id, before, after, label), reviewer)

    def run() -> Edit:
        write()
        return Edit("rubric_score", None, report_id, before, _score_state(lib, report_id, criterion_id, reviewer),
                    label)

    return _record(lib, reviewer, run)


def edit_identity(lib, report_id: int, changes: dict, who=None) -> Edit:
    """修改报告信息: every identity field is kept before (a new 单位 may bring its 层级 and 地区 with it)."""
    from desktop.store.identity import IDENTITY_FIELDS

    report = lib.reports.get_report(report_id)
    before = {k: getattr(report, k) for k in IDENTITY_FIELDS}
    return perform(lib, Edit("report.identity", report_id, report_id, before, dict(changes), "修改报告信息"), who)


def rename_unit(lib, unit_id: int, name: str, who=None) -> Edit:
    unit = lib.units.get_unit(unit_id)
    aliases = [[r["id"], r["alias"], r["region"]] for r in
               lib.db.rows("SELECT id, alias, region FROM unit_aliases WHERE unit_id = ? ORDER BY id", (unit_id,))]
    return perform(lib, Edit("unit.name", unit_id, None, {"name": unit.name, "aliases": aliases}, {"name": name},
                              f"单位改名：{unit.name} → {name}"), who)


def merge_units(lib, source_id: int, target_id: int, who=None, label: str | None = None) -> Edit:
    source, target = lib.units.get_unit(source_id), lib.units.get_unit(target_id)
    return perform(lib, Edit("unit.merge", source_id, None, {"merged_into": None, "moved": None},
                              {"merged_into": target_id, "moved": None},
                              f"合并单位：{label or f'{source.name} → {target.name}'}"), who)


def set_setting(lib, key: str, value, who=None, label: str = "修改设置") -> Edit:
    old = lib.letters.library_setting(key)
    return perform(lib, Edit("setting", None, None, {"key": key, "value": old},
                              {"key": key, "value": (value or None)}, label), who)


def decide(lib, later_id: int, item_id: int, changes: dict, machine_verdict=None, who=None,
           label: str = "修改上年安排结论") -> Edit:
    """The reviewer's verdict and/or note on one earlier task (followup_repo.set_decision)."""
    from desktop.store import followup_repo

    old = followup_repo.decisions(lib, later_id).get(item_id)
    before = {"deleted": old is None, "decision": old.decision if old else None, "note": old.note if old else None,
              "machine_verdict": old.machine_verdict if old else None}
    after = {"deleted": False, "decision": before["decision"], "note": before["note"],
             "machine_verdict": machine_verdict or before["machine_verdict"], **changes}
    return perform(lib, Edit("followup.decision", item_id, later_id, before, after, label), who)


def remove_reports(lib, report_ids, who=None, label: str = "删除报告") -> Edit:
    """删除报告 (a backup first); undo brings them back with their ids."""
    ids = list(dict.fromkeys(int(r) for r in report_ids))
    state = {"report_ids": ids, "tombstones": None}
    return perform(lib, Edit("report.removed", None, ids[0] if len(ids) == 1 else None,
                              {"removed": False, **state}, {"removed": True, **state}, label), who)


def _plain(value):
    """A record's value as JSON keeps it (tuples as lists)."""
    return list(value) if isinstance(value, tuple) else value
