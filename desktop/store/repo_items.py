"""Library part for indicators and work items (SQL lives in desktop/store only)."""
from __future__ import annotations

from desktop.kernel.labels import PREAMBLE
from desktop.store import convert
from desktop.store.anchoring import find_quote
from desktop.store.records import (
    TRACKING_FIELDS,
    IndicatorRecord,
    WorkItemRecord,
)
from desktop.store.repo_base import Part


class ItemStore(Part):
    """Indicators and work items: reviewer edits stored over the extraction, soft deletes, split and merge."""

    # ---------------------------------------------------------------- indicators
    def indicators(self, report_id=None, *, include_deleted=False) -> list[IndicatorRecord]:
        where, params = self.db.where(report_id, include_deleted)
        return [convert.indicator_record(r) for r in
                self.db.rows(f"SELECT * FROM indicators {where} ORDER BY report_id, position, id", params)]

    def _indicator_row(self, indicator_id: int) -> dict:
        row = self.db.row("SELECT * FROM indicators WHERE id = ?", (indicator_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {indicator_id} 的指标")
        return row

    def get_indicator(self, indicator_id: int) -> IndicatorRecord:
        return convert.indicator_record(self._indicator_row(indicator_id))

    def update_indicator(self, indicator_id: int, changes: dict, who=None) -> IndicatorRecord:
        """Reviewer's correction of an indicator. Undo: call again with the old values (see the returned record)."""
        bad = set(changes) - convert.INDICATOR_EDITABLE
        if bad:
            raise ValueError(f"指标不能修改这些字段：{'、'.join(sorted(bad))}")
        if "value" in changes:
            changes = {**changes, "value": float(changes["value"])}
        with self.db.tx():
            self.db.update_row("indicators", "indicator", self._indicator_row(indicator_id), changes, who)
        return self.get_indicator(indicator_id)

    def add_indicator(self, report_id: int, fields: dict, who=None) -> IndicatorRecord:
        """An indicator the parser missed (origin "reviewer"). Undo: delete_indicator(id)."""
        report = self.lib.reports.report_row(report_id)
        bad = set(fields) - convert.INDICATOR_EDITABLE - {"start", "end"}
        if bad:
            raise ValueError(f"指标没有这些字段：{'、'.join(sorted(bad))}")
        if "value" not in fields:
            raise ValueError("新增指标必须填写数值")
        values = {"section_path": "preamble", "text": "", "unit": "", "qualifier": "exact", "kind": "count",
                  "name": "", "context": "", "start": 0, "end": 0, "change_value": None, "change_unit": None,
                  "change_basis": None, "change_text": None}
        values.update({k: v for k, v in fields.items() if k != "check_status"})
        values["value"] = float(values["value"])
        if "start" not in fields and values["text"]:
            span = find_quote(report["clean_text"], values["text"])
            if span:
                values["start"], values["end"] = span
        if "section_path" not in fields:
            values["section_path"] = self.section_at(report_id, values["start"])
        with self.db.tx():
            position = self._position_for(report_id, "indicators", values["start"])
            (new_id,) = self.lib.reports.insert_indicators(report_id, [(position, values)], origin="reviewer", who=who)
            if fields.get("check_status"):
                self.db.execute("UPDATE indicators SET check_status = ? WHERE id = ?", (fields["check_status"], new_id))
            self.db.log("indicator", new_id, "insert", "text", None, values["text"], report_id, who)
        return self.get_indicator(new_id)

    def delete_indicator(self, indicator_id: int, who=None) -> IndicatorRecord:
        """Soft delete (nothing is lost). Undo: restore_indicator(id)."""
        self.db.set_deleted("indicators", "indicator", self._indicator_row(indicator_id), True, who)
        return self.get_indicator(indicator_id)

    def restore_indicator(self, indicator_id: int, who=None) -> IndicatorRecord:
        """Undo of delete_indicator."""
        self.db.set_deleted("indicators", "indicator", self._indicator_row(indicator_id), False, who)
        return self.get_indicator(indicator_id)

    def _position_for(self, report_id: int, table: str, start: int) -> int:
        row = self.db.row(f'SELECT max(position) AS p FROM {table} WHERE report_id = ? AND start <= ? AND deleted = 0',
                        (report_id, start))
        return row["p"] if row and row["p"] is not None else 0

    def section_at(self, report_id: int, offset: int | None) -> str | None:
        """The deepest section holding `offset`; "preamble" before the first chapter, as the reader says."""
        if offset is None:
            return None
        row = self.db.row('SELECT path FROM sections WHERE report_id = ? AND start <= ? AND ? < "end"'
                        " ORDER BY level DESC LIMIT 1", (report_id, offset, offset))
        return row["path"] if row else PREAMBLE

    # ---------------------------------------------------------------- work items
    def work_items(self, report_id=None, *, kind=None, include_deleted=False) -> list[WorkItemRecord]:
        where, params = self.db.where(report_id, include_deleted, ("kind = ?", kind) if kind else None)
        return [convert.work_item_record(r) for r in
                self.db.rows(f"SELECT * FROM work_items {where} ORDER BY report_id, position, id", params)]

    def work_row(self, item_id: int) -> dict:
        row = self.db.row("SELECT * FROM work_items WHERE id = ?", (item_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {item_id} 的工作事项")
        return row

    def get_work_item(self, item_id: int) -> WorkItemRecord:
        return convert.work_item_record(self.work_row(item_id))

    def find_work_item(self, ref) -> WorkItemRecord:
        """A work item by id or by its uid (the ledger's hidden column)."""
        ref = str(ref).strip()
        row = self.db.row("SELECT * FROM work_items WHERE uid = ?", (ref,))
        if row is None and ref.isdigit():
            row = self.db.row("SELECT * FROM work_items WHERE id = ?", (int(ref),))
        if row is None:
            raise LookupError(f"找不到工作事项：{ref}")
        return convert.work_item_record(row)

    def check_work_changes(self, changes: dict) -> None:
        bad = set(changes) - convert.WORK_ITEM_EDITABLE
        if bad:
            raise ValueError(f"工作事项不能修改这些字段：{'、'.join(sorted(bad))}")

    def update_work_item(self, item_id: int, changes: dict, who=None) -> WorkItemRecord:
        """Reviewer's edit of the text or any tracking field. Undo: call again with the old values."""
        self.check_work_changes(changes)
        with self.db.tx():
            self.db.update_row("work_items", "work_item", self.work_row(item_id), changes, who)
        return self.get_work_item(item_id)

    def apply_work_item_updates(self, updates: list[tuple[int, dict]], who=None) -> list[WorkItemRecord]:
        """Several work item edits (e.g. a ledger read back) in ONE transaction: all are stored or none."""
        for _, changes in updates:
            self.check_work_changes(changes)
        with self.db.tx():
            for item_id, changes in updates:
                self.db.update_row("work_items", "work_item", self.work_row(item_id), changes, who)
        return [self.get_work_item(item_id) for item_id, _ in updates]

    def split_work_item(self, item_id: int, at: int, who=None) -> tuple[WorkItemRecord, WorkItemRecord]:
        """Split an item's text at character `at`: the item keeps the head, a second item holds the tail.

        Undo: merge_work_items(first.id, second.id). Splitting an item that was merged, at the merge point,
        brings the merged-away item back (same id, uid and tracking fields) instead of creating a new one.
        """
        row = self.work_row(item_id)
        text = row["text"]
        if row["deleted"] or not 0 < at < len(text):
            raise ValueError(f"无法在第 {at} 个字处拆分该事项（须在文字中间，且事项未删除）")
        head, tail = text[:at], text[at:]
        cut = min(row["start"] + at, row["end"])
        with self.db.tx():
            back = self.db.row("SELECT * FROM work_items WHERE merged_into = ? AND deleted = 1 AND text = ?"
                             " ORDER BY id DESC LIMIT 1", (item_id, tail))
            self.db.update_row("work_items", "work_item", row, {"text": head, "end": cut}, who, action="split")
            if back is not None:
                self.db.update_row("work_items", "work_item", back, {"deleted": 0, "merged_into": None}, who,
                                 action="split")
                second_id = back["id"]
            else:
                values = {k: row[k] for k in ("kind", "section_path", "theme", *TRACKING_FIELDS)}
                values.update(text=tail, start=cut, end=row["end"])
                (second_id,) = self.lib.reports.insert_work_items(row["report_id"], [(row["position"], values)],
                                                       origin="reviewer", who=who)
                self.db.log("work_item", second_id, "split", "text", None, tail, row["report_id"], who)
        return self.get_work_item(item_id), self.get_work_item(second_id)

    def merge_work_items(self, first_id: int, second_id: int, who=None) -> WorkItemRecord:
        """Append the second item's text to the first; the second is soft-deleted (its fields are kept).

        The first item keeps its own tracking fields. Undo: split_work_item(first_id, at=len(old first text)),
        which restores the second item as it was.
        """
        first, second = self.work_row(first_id), self.work_row(second_id)
        if first_id == second_id or first["report_id"] != second["report_id"] or first["deleted"] or second["deleted"]:
            raise ValueError("只能合并同一报告中两个未删除的不同事项")
        with self.db.tx():
            self.db.update_row("work_items", "work_item", first,
                             {"text": first["text"] + second["text"], "start": min(first["start"], second["start"]),
                              "end": max(first["end"], second["end"])}, who, action="merge")
            self.db.update_row("work_items", "work_item", second, {"deleted": 1, "merged_into": first_id}, who,
                             action="merge")
        return self.get_work_item(first_id)

    def add_work_item(self, report_id: int, fields: dict, who=None) -> WorkItemRecord:
        """A work item the parser missed (origin "reviewer"). Undo: delete_work_item(id)."""
        report = self.lib.reports.report_row(report_id)
        text = (fields.get("text") or "").strip()
        if not text:
            raise ValueError("新增事项必须填写文字")
        self.check_work_changes({k: v for k, v in fields.items() if k not in ("kind", "section_path")})
        given = fields.get("start"), fields.get("end")
        span = given if None not in given else find_quote(report["clean_text"], text) or (0, 0)
        values = {f: None for f in TRACKING_FIELDS}
        values.update(kind=fields.get("kind", "plan_task"), theme="", start=span[0], end=span[1])
        values.update(fields)
        values["text"] = text
        values.setdefault("section_path", None)
        values["section_path"] = values["section_path"] or self.section_at(report_id, span[0])
        with self.db.tx():
            position = self._position_for(report_id, "work_items", span[0])
            (new_id,) = self.lib.reports.insert_work_items(report_id, [(position, values)], origin="reviewer", who=who)
            self.db.log("work_item", new_id, "insert", "text", None, text, report_id, who)
        return self.get_work_item(new_id)

    def delete_work_item(self, item_id: int, who=None) -> WorkItemRecord:
        """Soft delete (nothing is lost; a new reading keeps it deleted). Undo: restore_work_item(id)."""
        self.db.set_deleted("work_items", "work_item", self.work_row(item_id), True, who)
        return self.get_work_item(item_id)

    def restore_work_item(self, item_id: int, who=None) -> WorkItemRecord:
        """Undo of delete_work_item."""
        self.db.set_deleted("work_items", "work_item", self.work_row(item_id), False, who, {"merged_into": None})
        return self.get_work_item(item_id)
