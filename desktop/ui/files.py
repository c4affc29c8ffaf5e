"""File actions run off the GUI thread: 导入报告, 导出台账 (each job opens its own library connection; 导入台账: ledger_desk)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.ui.errors import show_error
from desktop.ui.workers import Cancelled, run_job

REPORT_FILTER = ("报告文件或压缩包 (*.txt *.htm *.html *.docx *.pdf *.zip *.png *.jpg *.jpeg *.tif *.tiff);;"
                 "所有文件 (*)")
LEDGER_FILTER = "Excel 台账 (*.xlsx)"


def job_library(path: str):
    from desktop.store.db import open_library

    return open_library(path, seed_sample=False, backups=False)


def import_reports_job(library: str, paths: list[str], who: str | None):
    """The job body of 导入报告 (files, folders, zip archives): returns (imported BatchItems, failure lines).
    Cancel stops after the current file; what was imported stays."""
    def job(progress):
        from desktop.season.batch import import_batch

        def step(done, total, message):
            try:
                progress(done, total, message)
            except Cancelled:
                return False
            return True

        repo = job_library(library)
        try:
            items = import_batch(repo, paths, who, progress=step, checks=True)  # checked once, by the reader
        finally:
            repo.close()
        ok = [i for i in items if i.status in ("new", "unchanged", "new_reading")]
        return ok, [f"{i.name}: {i.reason}" for i in items if i.status == "failed"]
    return job


def ask_report_scope(window, title: str):
    """Only the current report, or the whole library? [id], None (all) or False (cancelled); no question when
    the library holds one report."""
    current = window.current_report_id()
    if current is None or window.desk.repo.reports.report_count() <= 1:
        return None
    answer = QMessageBox.question(
        window, title, "只导出当前报告？\n选“否”导出审阅库中的全部报告。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel)
    if answer == QMessageBox.StandardButton.Cancel:
        return False
    return [current] if answer == QMessageBox.StandardButton.Yes else None


def import_counts(results, failures) -> str:
    """新导入 2 份，未变化 1 份，失败 0 份: the same words as the command line, never 成功 for an unchanged file."""
    from desktop.kernel.labels import IMPORT_STATUS_LABELS

    parts = [f"{label} {n} 份" for status, label in IMPORT_STATUS_LABELS.items()
             if (n := sum(1 for r in results if r.status == status))]
    return "，".join(parts + [f"失败 {len(failures)} 份"])


class FileActions:
    """Owned by the main window; `window` provides desk, reload_library(select_report) and status messages."""

    def __init__(self, window):
        self.window = window

    @property
    def desk(self):
        return self.window.desk

    # ------------------------------------------------------------------ 导入报告
    def choose_and_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "导入报告", str(Path.home()), REPORT_FILTER)
        if paths:
            self.import_reports(paths)

    def import_reports(self, paths: list[str], on_finished=None):
        paths = [str(p) for p in paths]
        who = self.desk.who()

        def done(outcome) -> None:
            results, failures = outcome
            last = results[-1].report_id if results else None
            self.window.reload_library(select_report=last)
            lines = []
            for r in results:
                lines.append(f"{r.title}：{r.label}")
                lines += [f"  {m}" for m in r.messages]
            from desktop.report.sources import REPLACED_MARK  # the reader (OCR, PDF) loads when first used

            damaged = [f"{r.title}：{m}" for r in results for m in r.messages if REPLACED_MARK in m]
            note = None
            if any(r.status == "new_reading" for r in results):  # the report's rows were rewritten
                note = self.desk.clear_undo("已导入报告的新版本")
            self.window.statusBar().showMessage(f"导入完成：{import_counts(results, failures)}"
                                                + (f"；{note}" if note else ""), 20000 if note else 8000)
            if damaged and not failures:  # stray bytes were replaced: the reviewer should know the text is not whole
                QMessageBox.information(self.window, "导入报告", "\n".join(damaged))
            if failures:
                show_error(self.window, "以下文件未能导入：\n" + "\n".join(failures)
                           + ("\n\n已导入：\n" + "\n".join(lines) if lines else ""), title="导入报告")
            if on_finished:
                on_finished(outcome)

        return run_job(self.window, "导入报告", import_reports_job(self.desk.library_path, paths, who),
                       on_done=done, on_error=self.failed("导入报告"),
                       on_cancel=lambda: self._cancelled("导入已取消（已完成的文件保留在库中）"))

    # ------------------------------------------------------------------ 导出台账
    def export_ledger(self, path: str | None = None, report_ids=None, on_finished=None):
        if report_ids is None:
            scope = ask_report_scope(self.window, "导出台账")
            if scope is False:
                return None
            report_ids = scope
        if path is None:
            name = f"法治政府建设台账-{dt.date.today():%Y%m%d}.xlsx"
            path, _ = QFileDialog.getSaveFileName(self.window, "导出台账", str(Path.home() / name), LEDGER_FILTER)
            if not path:
                return None
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
        library = self.desk.library_path
        refs = [str(i) for i in report_ids] if report_ids else None

        def job(progress):
            from desktop.ledger.errors import LedgerCancelled
            from desktop.ledger.service import export_from_library

            repo2 = job_library(library)
            try:
                progress(0, 0, "正在准备台账……")
                return export_from_library(repo2, path, refs, cancel=lambda: progress.cancelled,
                                           progress=lambda done, total: progress(done, total, "正在写入台账……"))
            except LedgerCancelled:
                raise Cancelled() from None
            finally:
                repo2.close()

        def done(summary) -> None:
            self.window.statusBar().showMessage(
                f"已导出台账：{summary.path}（{summary.reports} 份报告，{summary.tasks} 项任务）", 10000)
            if on_finished:
                on_finished(summary)

        return run_job(self.window, "导出台账", job, on_done=done, on_error=self.failed("导出台账"),
                       on_cancel=lambda: self._cancelled("导出已取消，没有写入文件"))

    # ------------------------------------------------------------------ shared
    def failed(self, title: str):
        def on_error(exc, text) -> None:
            from desktop.ui.errors import log

            log.error("%s failed\n%s", title, text)
            show_error(self.window, str(exc), title=title)
        return on_error

    def _cancelled(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)

    # ------------------------------------------------------------------ 删除报告
    def remove_reports(self, report_ids=None, confirm=None) -> bool:
        """删除报告 (the current one by default) after a confirmation naming what goes; undoable (撤销)."""
        from desktop.store.repo_remove import removal_text
        from desktop.ui.commands import RemoveReportsCommand

        ids = list(report_ids or ([self.window.report_id] if self.window.report_id is not None else []))
        if not ids:
            QMessageBox.information(self.window, "删除报告", "请先在左侧选中要删除的报告")
            return False
        repo = self.desk.repo
        titles = [(r.title or r.file_name) for r in (repo.reports.get_report(i) for i in ids)]
        text = removal_text(titles, repo.removal.removal_summary(ids)) + "\n\n删除前会自动备份审阅库；删除后可用“撤销”恢复。"
        if confirm is None:
            answer = QMessageBox.question(self.window, "删除报告", text,
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            ok = answer == QMessageBox.StandardButton.Yes
        else:
            ok = confirm(text)
        if not ok:
            return False
        done = self.desk.execute(RemoveReportsCommand(self.desk, ids, titles))
        if done:
            self.window.statusBar().showMessage(f"已删除 {len(ids)} 份报告（可撤销）", 8000)
        return done

