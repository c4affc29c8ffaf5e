"""Edit actions of the desk: add/edit/delete annotations, split/merge work items, add/delete rows (all undoable)."""
from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox

from desktop.kernel.labels import TARGET_LABELS
from desktop.ui.annotations import AnnotationDialog
from desktop.ui.commands import (
    AddAnnotationCommand, AddRowCommand, DeleteAnnotationCommand, DeleteRowCommand, EditAnnotationCommand,
    MergeWorkItemsCommand, SplitWorkItemCommand,
)


def quantity_fields(text: str) -> dict:
    """Value, unit, qualifier and kind of a selected figure, read as the reader reads them:
    '超170万家' -> 1,700,000 家, over; words around a figure ('办理案件超170万家') also name it."""
    from desktop.report.indicators import find_indicators
    from desktop.report.numbers import parse_quantity, unit_kind

    q = parse_quantity(text)
    if q is not None:
        return {"value": q.value, "unit": q.unit, "qualifier": q.qualifier, "kind": unit_kind(q.unit)}
    found = find_indicators(text, lambda _offset: "")
    if not found:
        return {}
    ind = found[0]
    return {"value": ind.value, "unit": ind.unit, "qualifier": ind.qualifier, "kind": ind.kind, "name": ind.name}


class EditActions:
    def __init__(self, window):
        self.window = window

    @property
    def desk(self):
        return self.window.desk

    # ------------------------------------------------------------------ annotations
    def annotation_target(self) -> dict | None:
        """What 添加批注 applies to: the focused table row, else the selected text, else the section or report."""
        w = self.window
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
            QMessageBox.information(self.window, "添加批注", "请先在左侧选择一份报告。")
            return False
        reviewer = self.desk.who()
        if values is None:
            dialog = AnnotationDialog(self.window, quote=target.get("quote") or "",
                                      target=TARGET_LABELS.get(target["target_kind"], ""), tags=self.desk.repo.annotations.tags())
            self.window.last_dialog = dialog
            if dialog.exec() != AnnotationDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        fields = {k: v for k, v in target.items() if k != "quote"}
        fields.update(values)
        fields.setdefault("reviewer", reviewer)
        return self.desk.execute(AddAnnotationCommand(self.desk, self.window.report_id, fields))

    def edit_annotation(self, annotation, values: dict | None = None) -> bool:
        if values is None:
            dialog = AnnotationDialog(self.window, quote=annotation.quote or "", annotation=annotation,
                                      target=TARGET_LABELS.get(annotation.target_kind, ""), tags=self.desk.repo.annotations.tags())
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
        records = self.window.work_table.current_records()
        if len(records) != 1:
            QMessageBox.information(self.window, "拆分工作事项", "请在“工作事项”表中选中要拆分的一行。")
            return False
        item = records[0]
        if at is None:
            at = self._split_point(item)
            if at is None:
                return False
        return self.desk.execute(SplitWorkItemCommand(self.desk, item, at))

    def _split_point(self, item) -> int | None:
        """The cursor in the text view when it lies inside the item; else ask for the character position."""
        offset = self.window.text_view.cursor_offset()
        if item.start < offset < item.end:
            return offset - item.start
        at, ok = QInputDialog.getInt(self.window, "拆分工作事项",
                                     f"在第几个字之后拆分？（共 {len(item.text)} 字；也可以先在正文中把光标放在拆分处）",
                                     max(1, len(item.text) // 2), 1, max(1, len(item.text) - 1))
        return at if ok else None

    def merge_work_items(self) -> bool:
        records = self.window.work_table.current_records()
        if len(records) != 2:
            QMessageBox.information(self.window, "合并工作事项", "请在“工作事项”表中选中要合并的两行（按住 Ctrl 点选）。")
            return False
        first, second = sorted(records, key=lambda r: (r.position, r.start, r.id))
        return self.desk.execute(MergeWorkItemsCommand(self.desk, first, second))

    def _selection(self, title: str, hint: str) -> tuple[int, int] | None:
        """The selected span of the text, or None after telling the user what to select."""
        span = self.window.text_view.selection_span()
        if not span:
            QMessageBox.information(self.window, title, hint)
        return span

    def add_indicator(self, fields: dict | None = None) -> bool:
        w = self.window
        if w.report_id is None:
            return False
        if fields is None:
            span = self._selection("新增指标", "请先在正文中选中指标的数字（例如“98.76%”）。")
            if not span:
                return False
            text = w.text_view.text()[span[0]:span[1]]
            guess = quantity_fields(text)
            value, ok = QInputDialog.getDouble(w, "新增指标", f"“{text}”的数值：", guess.get("value", 0.0),
                                               -1e15, 1e15, 4)
            if not ok:
                return False
            name, ok = QInputDialog.getText(w, "新增指标", "指标名称：", text=guess.get("name", ""))
            if not ok:
                return False
            fields = {"unit": "", **guess, "text": text, "start": span[0], "end": span[1], "value": value,
                      "name": name.strip()}
        return self.desk.execute(AddRowCommand(self.desk, "indicator", w.report_id, fields))

    def add_work_item(self, fields: dict | None = None) -> bool:
        """新增工作事项: the selected text becomes a task the reader missed (kind from the chapter it stands in)."""
        w = self.window
        if w.report_id is None:
            return False
        if fields is None:
            span = self._selection("新增工作事项", "请先在正文中选中这项工作的文字。")
            if not span:
                return False
            section = w.desk.repo.reports.reading(w.report_id).section_at(span[0])
            kind = {"plans": "plan_task", "problems": "problem"}.get(section.role if section else "", "achievement")
            fields = {"text": w.text_view.text()[span[0]:span[1]], "kind": kind, "start": span[0], "end": span[1]}
        return self.desk.execute(AddRowCommand(self.desk, "work_item", w.report_id, fields))

    def delete_rows(self) -> bool:
        table = self.window.focused_table() or self.window.current_table()
        records = table.current_records() if table else []
        if not records:
            return False
        entity = "indicator" if table is self.window.indicator_table else "work_item"
        stack = self.desk.undo_stack
        if len(records) > 1:
            stack.beginMacro(f"删除 {len(records)} 行")
        ok = all(self.desk.execute(DeleteRowCommand(self.desk, entity, r)) for r in records)
        if len(records) > 1:
            stack.endMacro()
        return ok
