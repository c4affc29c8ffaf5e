"""The desk's ledger: read back many workbooks as one undoable command, by-unit export, assigning units, status."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog

from desktop.ui.commands import DeskCommand
from desktop.ui.files import LEDGER_FILTER, job_library
from desktop.ui.workers import Cancelled, run_job


class LedgerReadBackCommand(DeskCommand):
    """读回台账: every file of one run applied together; undo withdraws the whole read-back."""

    def __init__(self, desk, plan):
        files = len([d for d in plan.diffs if not d.file_problems])
        super().__init__(desk, f"读回台账（{plan.round}，{files} 个文件）")
        self.plan = plan
        self.return_ids: list[int] | None = None

    def apply(self) -> None:
        from desktop.ledger.service import apply_round

        repo = self.desk.repo
        if self.return_ids is not None:  # redo: the 整改清单 part again (apply_round did it the first time)
            from desktop.ledger import rectification

            rectification.apply_plan(repo, self.plan, self.desk.who())
            self.desk.notify("annotation", -1)
        if self.return_ids is None:
            self.return_ids = apply_round(repo, self.plan, self.desk.who())
            self.desk.notify("annotation", -1)
        else:
            repo.ledger.restore_ledger_returns(self.plan.round, self.return_ids, self.plan.returns(), self.desk.who())
        self.desk.notify("work_item", -1)

    def revert(self) -> None:
        from desktop.ledger import rectification

        rectification.undo(self.desk.repo, self.plan.rectification_undo, self.desk.who())
        self.desk.notify("annotation", -1)
        self.desk.repo.ledger.withdraw_ledger_returns(self.return_ids, self.plan.reverts(), self.desk.who())
        self.desk.notify("work_item", -1)


class AssignCommand(DeskCommand):
    """设置牵头单位/配合单位/责任人/完成时限 for several tasks at once."""

    def __init__(self, desk, items, values: dict):
        super().__init__(desk, f"分配 {len(items)} 项任务")
        self.values = dict(values)
        self.olds = [(w.id, {k: getattr(w, k) for k in values}) for w in items]

    def _write(self, updates) -> None:
        self.desk.repo.items.apply_work_item_updates(updates, self.desk.who())
        self.desk.notify_records("work_item", [i for i, _ in updates])

    def apply(self) -> None:
        self._write([(i, dict(self.values)) for i, _ in self.olds])

    def revert(self) -> None:
        self._write(self.olds)


class LedgerActions:
    """Owned by the main window (`window.ledger`)."""

    def __init__(self, window):
        self.window = window

    @property
    def desk(self):
        return self.window.desk

    # ------------------------------------------------------------------ 读回台账
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "导入台账（可多选）", str(Path.home()), LEDGER_FILTER)
        if paths:
            self.read_back(paths)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "导入文件夹中的全部台账", str(Path.home()))
        if folder:
            self.read_back([folder])

    def read_back(self, paths, round_name: str | None = None, confirm=None, on_finished=None):
        """Read the files off the GUI thread, show changes/conflicts/refusals, apply as ONE undoable command.

        `confirm(plan) -> dict | None` replaces the dialog (tests): the conflict choices, or None to cancel.
        """
        from desktop.ledger.merge import default_round

        if round_name is None:
            round_name, ok = QInputDialog.getText(self.window, "导入台账", "本次读回属于哪一轮次？",
                                                  text=default_round())
            if not ok or not round_name.strip():
                return None
        library, paths = self.desk.library_path, [str(p) for p in paths]

        def job(progress):
            from desktop.ledger.errors import LedgerCancelled
            from desktop.ledger.service import preview_round

            repo = job_library(library)
            try:
                return preview_round(repo, paths, round_name, cancel=lambda: progress.cancelled,
                                     progress=lambda done, total: progress(done, total, "正在读取台账……"))
            except LedgerCancelled:
                raise Cancelled() from None
            finally:
                repo.close()

        def done(plan) -> None:
            result = self._confirm_and_apply(plan, confirm)
            if on_finished:
                on_finished(result)

        return run_job(self.window, "导入台账", job, on_done=done, on_error=self.window.files.failed("导入台账"),
                       on_cancel=lambda: self.window.statusBar().showMessage("已取消导入台账", 8000))

    def _confirm_and_apply(self, plan, confirm):
        from desktop.ledger.service import replan_with_choices

        if confirm is not None:
            choices = confirm(plan)
        else:
            from desktop.ui.ledger_dialogs import ReadBackDialog

            dialog = ReadBackDialog(plan, self.window)
            choices = dialog.choices() if dialog.exec() == ReadBackDialog.DialogCode.Accepted else None
        if choices is None:
            return None
        if choices:  # the picks are remembered for the round when the read-back is applied
            plan = replan_with_choices(self.desk.repo, plan, choices)
        if not any(not d.file_problems for d in plan.diffs):
            return plan
        if self.desk.execute(LedgerReadBackCommand(self.desk, plan)):
            self.window.statusBar().showMessage(f"已读回台账：{plan.summary()}", 10000)
        return plan

    # ------------------------------------------------------------------ 按单位导出
    def export_by_unit(self, folder: str | None = None, on_finished=None):
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self.window, "按牵头单位导出台账到文件夹", str(Path.home()))
            if not folder:
                return None
        library = self.desk.library_path

        def job(progress):
            from desktop.ledger.errors import LedgerCancelled
            from desktop.ledger.service import export_units_from_library

            repo = job_library(library)
            try:
                return export_units_from_library(repo, folder, cancel=lambda: progress.cancelled,
                                                 progress=lambda d, t: progress(d, t, "正在按单位写入台账……"))
            except LedgerCancelled:
                raise Cancelled() from None
            finally:
                repo.close()

        def done(written) -> None:
            from desktop.ledger.units import UNASSIGNED, safe_file_name

            loose = [s for s in written if Path(s.path).name == safe_file_name(UNASSIGNED)]
            hint = (f"；{loose[0].tasks} 项工作任务尚未指定牵头单位（在 {Path(loose[0].path).name} 中），"
                    "可选中后用 台账 → 分配任务…" if loose else "")
            self.window.statusBar().showMessage(f"已按牵头单位导出 {len(written)} 份台账到 {folder}{hint}", 15000)
            if on_finished:
                on_finished(written)

        return run_job(self.window, "按单位导出台账", job, on_done=done,
                       on_error=self.window.files.failed("按单位导出台账"),
                       on_cancel=lambda: self.window.statusBar().showMessage("导出已取消，没有写入文件", 8000))

    # ------------------------------------------------------------------ 分配
    def assign(self, values: dict | None = None) -> bool:
        """Set 牵头单位/配合单位/责任人/完成时限 on the selected plan tasks (one undoable command)."""
        from desktop.ledger.units import split_units

        items = [r for r in self.window.work_table.current_records() if r is not None and r.kind == "plan_task"]
        if not items:
            self.desk.error.emit("请先在“工作事项”表中选中一项或多项工作安排（可按住 Ctrl 或 Shift 多选）")
            return False
        if values is None:
            from desktop.ui.ledger_dialogs import AssignDialog

            units = sorted({u for text in self.desk.repo.ledger.known_units() for u in split_units(text)})
            dialog = AssignDialog(len(items), units, self.window)
            if dialog.exec() != AssignDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        if not values:
            return False
        return self.desk.execute(AssignCommand(self.desk, items, values))

    # ------------------------------------------------------------------ 填报情况 / 任务进展
    def show_status(self):
        from desktop.ui.ledger_dialogs import StatusPanel

        panel = StatusPanel(self.desk, self.window)
        panel.show()
        self.window.last_dialog = panel
        return panel

    def show_timeline(self):
        from desktop.ui.ledger_dialogs import TimelineDialog

        items = self.window.work_table.current_records()
        if not items or items[0] is None:
            self.desk.error.emit("请先在“工作事项”表中选中一项工作安排")
            return None
        dialog = TimelineDialog(self.desk.repo, items[0], self.window)
        dialog.show()
        self.window.last_dialog = dialog
        return dialog
