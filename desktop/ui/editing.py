"""Edit actions of the desk: add/edit/delete annotations, split/merge work items, add/delete rows (all undoable)."""
from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox

from desktop.report.labels import TARGET_LABELS
from desktop.ui.annotations import AnnotationDialog
from desktop.ui.commands import (
    AddAnnotationCommand, AddIndicatorCommand, DeleteAnnotationCommand, DeleteRowCommand, EditAnnotationCommand,
    MergeWorkItemsCommand, SplitWorkItemCommand,
)


class EditActions:
    def __init__(self, window):
        self.w = window

    @property
    def desk(self):
        return self.w.desk

    # ------------------------------------------------------------------ annotations
    def annotation_target(self) -> dict | None:
        """What 添加批注 applies to: the focused table row, else the selected text, else the section or report."""
        w = self.w
        if w.report_id is None:
            return None
        table = w.focused_table()
        if table is not None and table.current_records():
            rec = table.current_records()[0]
            kind = "indicator" if table is w.indicator_table else "work_item"
            return {"target_kind": kind, "target_id": rec.id, "quote": rec.text}
        span = w.text_view.selection_span()
        if span:
            start, end = span
            return {"target_kind": "span", "start": start, "end": end, "quote": w.text_view.text()[start:end]}
        if w.section_path:
            sec = w.section_record(w.section_path)
            return {"target_kind": "section", "section_path": w.section_path, "quote": sec.title if sec else ""}
        return {"target_kind": "report", "quote": w.report.title or w.report.file_name}

    def add_annotation(self, values: dict | None = None, target: dict | None = None) -> bool:
        target = target or self.annotation_target()
        if target is None:
            QMessageBox.information(self.w, "添加批注", "请先在左侧选择一份报告。")
            return False
        reviewer = self.desk.who()
        if values is None:
            dialog = AnnotationDialog(self.w, quote=target.get("quote") or "",
                                      target=TARGET_LABELS.get(target["target_kind"], ""), tags=self.desk.repo.tags())
            self.w.last_dialog = dialog
            if dialog.exec() != AnnotationDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        fields = {k: v for k, v in target.items() if k != "quote"}
        fields.update(values)
        fields.setdefault("reviewer", reviewer)
        return self.desk.execute(AddAnnotationCommand(self.desk, self.w.report_id, fields))

    def edit_annotation(self, annotation, values: dict | None = None) -> bool:
        if values is None:
            dialog = AnnotationDialog(self.w, quote=annotation.quote or "", annotation=annotation,
                                      target=TARGET_LABELS.get(annotation.target_kind, ""), tags=self.desk.repo.tags())
            if dialog.exec() != AnnotationDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        changes = {k: v for k, v in values.items() if getattr(annotation, k) != v}
        if not changes:
            return False
        return self.desk.execute(EditAnnotationCommand(self.desk, annotation, changes))

    def delete_annotation(self, annotation) -> bool:
        return self.desk.execute(DeleteAnnotationCommand(self.desk, annotation))

    # ------------------------------------------------------------------ work items and indicators
    def split_work_item(self, at: int | None = None) -> bool:
        records = self.w.work_table.current_records()
        if len(records) != 1:
            QMessageBox.information(self.w, "拆分工作事项", "请在“工作事项”表中选中要拆分的一行。")
            return False
        item = records[0]
        if at is None:
            at = self._split_point(item)
            if at is None:
                return False
        return self.desk.execute(SplitWorkItemCommand(self.desk, item, at))

    def _split_point(self, item) -> int | None:
        """The cursor in the text view when it lies inside the item; else ask for the character position."""
        offset = self.w.text_view.cursor_offset()
        if item.start < offset < item.end:
            return offset - item.start
        at, ok = QInputDialog.getInt(self.w, "拆分工作事项",
                                     f"在第几个字之后拆分？（共 {len(item.text)} 字；也可以先在正文中把光标放在拆分处）",
                                     max(1, len(item.text) // 2), 1, max(1, len(item.text) - 1))
        return at if ok else None

    def merge_work_items(self) -> bool:
        records = self.w.work_table.current_records()
        if len(records) != 2:
            QMessageBox.information(self.w, "合并工作事项", "请在“工作事项”表中选中要合并的两行（按住 Ctrl 点选）。")
            return False
        first, second = sorted(records, key=lambda r: (r.position, r.start, r.id))
        return self.desk.execute(MergeWorkItemsCommand(self.desk, first, second))

    def add_indicator(self, fields: dict | None = None) -> bool:
        w = self.w
        if w.report_id is None:
            return False
        if fields is None:
            span = w.text_view.selection_span()
            if not span:
                QMessageBox.information(w, "新增指标", "请先在正文中选中指标的数字（例如“98.76%”）。")
                return False
            text = w.text_view.text()[span[0]:span[1]]
            import re

            m = re.search(r"-?\d+(?:\.\d+)?", text)
            value, ok = QInputDialog.getDouble(w, "新增指标", f"“{text}”的数值：", float(m.group()) if m else 0.0,
                                               -1e12, 1e12, 4)
            if not ok:
                return False
            name, ok = QInputDialog.getText(w, "新增指标", "指标名称：")
            if not ok:
                return False
            unit = text[m.end():].strip() if m else ""
            fields = {"text": text, "start": span[0], "end": span[1], "value": value, "name": name.strip(),
                      "unit": unit[:8]}
        return self.desk.execute(AddIndicatorCommand(self.desk, w.report_id, fields))

    def delete_rows(self) -> bool:
        table = self.w.focused_table() or self.w.current_table()
        records = table.current_records() if table else []
        if not records:
            return False
        entity = "indicator" if table is self.w.indicator_table else "work_item"
        stack = self.desk.undo_stack
        if len(records) > 1:
            stack.beginMacro(f"删除 {len(records)} 行")
        ok = all(self.desk.execute(DeleteRowCommand(self.desk, entity, r)) for r in records)
        if len(records) > 1:
            stack.endMacro()
        return ok
