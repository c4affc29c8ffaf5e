"""Undo commands, one class per kind of edit; each calls the repository and, on undo, its inverse."""
from __future__ import annotations

import logging

from PySide6.QtGui import QUndoCommand
from desktop.kernel.plain import describe

log = logging.getLogger("desktop.ui")


class DeskCommand(QUndoCommand):
    """`apply` runs once through Desk.execute (errors reach the user before anything is pushed);
    redo after an undo calls `apply` again, undo calls `revert`."""

    def __init__(self, desk, text: str):
        super().__init__(text)
        self.desk = desk
        self.skip_next_redo = False  # set by Desk.execute, which applied the edit before pushing it

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def _guard(self, fn) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - a locked or vanished row must not crash the window
            log.exception("undo/redo failed: %s", self.text())
            self.setObsolete(True)
            self.desk.error.emit(f"无法{'撤销' if fn == self.revert else '重做'}“{self.text()}”：{describe(exc)}")

    def redo(self) -> None:
        if self.skip_next_redo:
            self.skip_next_redo = False  # QUndoStack.push calls redo; Desk.execute has already applied it
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)


class EditFieldCommand(DeskCommand):
    """One table cell of a work item or an indicator."""

    def __init__(self, desk, entity: str, record_id: int, field: str, old, new, label: str):
        super().__init__(desk, f"修改{label}")
        self.entity, self.record_id, self.field, self.old, self.new = entity, record_id, field, old, new

    def _write(self, value) -> None:
        repo = self.desk.repo
        update = repo.items.update_work_item if self.entity == "work_item" else repo.items.update_indicator
        update(self.record_id, {self.field: value}, self.desk.who())
        self.desk.notify_records(self.entity, [self.record_id])

    def apply(self) -> None:
        self._write(self.new)

    def revert(self) -> None:
        self._write(self.old)


class AddAnnotationCommand(DeskCommand):
    def __init__(self, desk, report_id: int, fields: dict):
        super().__init__(desk, "添加批注")
        self.report_id, self.fields = report_id, dict(fields)
        self.annotation_id: int | None = None

    def apply(self) -> None:
        repo = self.desk.repo
        if self.annotation_id is None:
            self.annotation_id = repo.annotations.add_annotation(self.report_id, **self.fields).id
        else:
            repo.annotations.restore_annotation(self.annotation_id, self.desk.who())
        self.desk.notify("annotation", self.report_id)

    def revert(self) -> None:
        self.desk.repo.annotations.delete_annotation(self.annotation_id, self.desk.who())
        self.desk.notify("annotation", self.report_id)


class EditAnnotationCommand(DeskCommand):
    def __init__(self, desk, annotation, changes: dict):
        super().__init__(desk, "修改批注")
        self.annotation_id, self.report_id = annotation.id, annotation.report_id
        self.new = dict(changes)
        self.old = {k: getattr(annotation, k) for k in changes}

    def _write(self, values) -> None:
        self.desk.repo.annotations.update_annotation(self.annotation_id, values, self.desk.who())
        self.desk.notify("annotation", self.report_id)

    def apply(self) -> None:
        self._write(self.new)

    def revert(self) -> None:
        self._write(self.old)


class DeleteAnnotationCommand(DeskCommand):
    def __init__(self, desk, annotation):
        super().__init__(desk, "删除批注")
        self.annotation_id, self.report_id = annotation.id, annotation.report_id

    def apply(self) -> None:
        self.desk.repo.annotations.delete_annotation(self.annotation_id, self.desk.who())
        self.desk.notify("annotation", self.report_id)

    def revert(self) -> None:
        self.desk.repo.annotations.restore_annotation(self.annotation_id, self.desk.who())
        self.desk.notify("annotation", self.report_id)


class SplitWorkItemCommand(DeskCommand):
    def __init__(self, desk, item, at: int):
        super().__init__(desk, "拆分工作事项")
        self.item_id, self.report_id, self.at = item.id, item.report_id, at
        self.second_id: int | None = None

    def apply(self) -> None:
        _, second = self.desk.repo.items.split_work_item(self.item_id, self.at, self.desk.who())
        self.second_id = second.id
        self.desk.notify("work_item", self.report_id)

    def revert(self) -> None:
        self.desk.repo.items.merge_work_items(self.item_id, self.second_id, self.desk.who())
        self.desk.notify("work_item", self.report_id)


class MergeWorkItemsCommand(DeskCommand):
    def __init__(self, desk, first, second):
        super().__init__(desk, "合并工作事项")
        self.first_id, self.second_id, self.report_id = first.id, second.id, first.report_id
        self.at = len(first.text)

    def apply(self) -> None:
        self.desk.repo.items.merge_work_items(self.first_id, self.second_id, self.desk.who())
        self.desk.notify("work_item", self.report_id)

    def revert(self) -> None:
        self.desk.repo.items.split_work_item(self.first_id, self.at, self.desk.who())
        self.desk.notify("work_item", self.report_id)


class AddRowCommand(DeskCommand):
    """新增 an indicator or a work item the reader missed; undo deletes it (softly), redo restores it."""

    def __init__(self, desk, entity: str, report_id: int, fields: dict):
        super().__init__(desk, "新增指标" if entity == "indicator" else "新增工作事项")
        self.entity, self.report_id, self.fields = entity, report_id, dict(fields)
        self.record_id: int | None = None

    def apply(self) -> None:
        repo, who = self.desk.repo, self.desk.who()
        if self.record_id is None:
            add = repo.items.add_indicator if self.entity == "indicator" else repo.items.add_work_item
            self.record_id = add(self.report_id, self.fields, who).id
        else:
            (repo.items.restore_indicator if self.entity == "indicator" else repo.items.restore_work_item)(self.record_id, who)
        self.desk.notify(self.entity, self.report_id)

    def revert(self) -> None:
        repo = self.desk.repo
        (repo.items.delete_indicator if self.entity == "indicator" else repo.items.delete_work_item)(self.record_id, self.desk.who())
        self.desk.notify(self.entity, self.report_id)


class DeleteRowCommand(DeskCommand):
    """删除 an indicator or a work item (soft delete; undo restores it)."""

    def __init__(self, desk, entity: str, record):
        super().__init__(desk, "删除指标" if entity == "indicator" else "删除工作事项")
        self.entity, self.record_id, self.report_id = entity, record.id, record.report_id

    def apply(self) -> None:
        repo = self.desk.repo
        (repo.items.delete_indicator if self.entity == "indicator" else repo.items.delete_work_item)(
            self.record_id, self.desk.who())
        self.desk.notify(self.entity, self.report_id)

    def revert(self) -> None:
        repo = self.desk.repo
        (repo.items.restore_indicator if self.entity == "indicator" else repo.items.restore_work_item)(
            self.record_id, self.desk.who())
        self.desk.notify(self.entity, self.report_id)


class RubricScoreCommand(DeskCommand):
    """The reviewer's score of one rubric criterion, written by the review service (checked against its scale)."""

    def __init__(self, desk, report_id: int, criterion, old: tuple, new: tuple, rubric):
        super().__init__(desk, f"评分：{criterion.name}")
        self.report_id, self.criterion_id, self.old, self.new, self.rubric = report_id, criterion.id, old, new, rubric

    def _write(self, value) -> None:
        from desktop.review.service import set_score

        score, comment = value
        set_score(self.desk.repo, self.report_id, self.criterion_id, score, comment, self.desk.who(), self.rubric)
        self.desk.notify("rubric", self.report_id)

    def apply(self) -> None:
        self._write(self.new)

    def revert(self) -> None:
        self._write(self.old)


class RemoveReportsCommand(DeskCommand):
    """删除报告: a backup first, then the reports go with all their rows; undo restores them with their ids."""

    def __init__(self, desk, report_ids: list[int], titles: list[str]):
        super().__init__(desk, f"删除报告《{titles[0]}》" + (f"等 {len(titles)} 份" if len(titles) > 1 else ""))
        self.report_ids = list(report_ids)
        self.tombstones: list[int] = []

    def apply(self) -> None:
        from desktop.store.db import backup_before

        repo = self.desk.repo
        backup_before(repo, "remove")  # the day's backups hold what goes
        self.tombstones = repo.removal.remove_reports(self.report_ids, self.desk.who())
        self.desk.notify("report", None)

    def revert(self) -> None:
        self.desk.repo.removal.restore_reports(self.tombstones, self.desk.who())
        self.tombstones = []
        self.desk.notify("report", self.report_ids[0])

