"""Desk actions for 审阅意见书: preview and export for the current report, export for chosen reports, the office name."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QLabel, QListWidget, QListWidgetItem, QMessageBox, QVBoxLayout,
)

from desktop.ui.commands import DeskCommand
from desktop.ui.errors import show_error
from desktop.ui.workers import run_job

WORD_FILTER = "Word 文档 (*.docx)"


class SetOfficeCommand(DeskCommand):
    """署名单位: a setting of the library, undoable like every desk edit."""

    def __init__(self, desk, old: str | None, new: str | None):
        super().__init__(desk, "设置署名单位")
        self.old, self.new = old, new

    def apply(self) -> None:
        from desktop.letters.service import set_office

        set_office(self.desk.repo, self.new, self.desk.who())

    def revert(self) -> None:
        from desktop.letters.service import set_office

        set_office(self.desk.repo, self.old, self.desk.who())


def _keep_office(window, office: str) -> None:
    from desktop.letters.draft import OFFICE_SETTING

    old = window.desk.repo.letters.library_setting(OFFICE_SETTING)
    if (office or None) != old:
        window.desk.execute(SetOfficeCommand(window.desk, old, office or None))


def export_current_letter(window, path: str | None = None, review=None):
    """预览并导出审阅意见书 for the report shown. `review(dialog) -> bool` replaces exec() in tests."""
    from desktop.letters.draft import draft_letter
    from desktop.letters.render import LetterError, write_letter
    from desktop.letters.service import file_name
    from desktop.ui.letter_dialog import LetterPreviewDialog

    report_id = window.current_report_id()
    if report_id is None:
        QMessageBox.information(window, "审阅意见书", "请先在左侧选择一份报告。")
        return None
    try:
        draft = draft_letter(window.desk.repo, report_id)
    except Exception as exc:  # noqa: BLE001 — a rubric or library failure is shown, the window stays
        show_error(window, f"无法起草审阅意见书：{exc}", title="审阅意见书")
        return None
    dialog = LetterPreviewDialog(draft, window)
    window.last_dialog = dialog
    accepted = review(dialog) if review is not None else dialog.exec() == QDialog.DialogCode.Accepted
    if not accepted:
        return None
    draft = dialog.draft_result()
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, "导出审阅意见书", str(Path.home() / file_name(draft)),
                                              WORD_FILTER)
        if not path:
            return None
        if not path.lower().endswith(".docx"):
            path += ".docx"
    try:
        written = write_letter(draft, path, dialog.template)
    except LetterError as exc:
        show_error(window, str(exc), title="审阅意见书")
        return None
    _keep_office(window, draft.office)
    window.statusBar().showMessage(f"已导出审阅意见书：{written}", 10000)
    return written


class ReportPickerDialog(QDialog):
    """Which reports get a letter: every report of the library, the current one checked."""

    def __init__(self, reports, checked=(), parent=None):
        super().__init__(parent)
        self.setWindowTitle("批量导出审阅意见书")
        self.resize(560, 520)
        self.list = QListWidget()
        for r in reports:
            item = QListWidgetItem(f"#{r.id} {r.title or r.file_name}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if r.id in checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选择文件夹并导出")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("勾选要生成审阅意见书的报告（每份报告一个 Word 文件，按程序起草的内容导出）："))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


def export_selected_letters(window, report_ids=None, folder: str | None = None, on_finished=None):
    """批量导出审阅意见书: one .docx per chosen report into a folder, in the background."""
    from desktop.ui.files import job_library

    repo = window.desk.repo
    if report_ids is None:
        current = window.current_report_id()
        picker = ReportPickerDialog(repo.reports.list_reports(), {current}, window)
        if picker.exec() != QDialog.DialogCode.Accepted:
            return None
        report_ids = picker.chosen()
    if not report_ids:
        return None
    if folder is None:
        folder = QFileDialog.getExistingDirectory(window, "审阅意见书保存到", str(Path.home()))
        if not folder:
            return None
    library = window.desk.library_path

    def job(progress):
        from desktop.letters.service import drafts_for, write_letters

        repo2 = job_library(library)
        try:
            progress(0, len(report_ids), "正在起草审阅意见书……")
            drafts = drafts_for(repo2, [repo2.reports.get_report(i) for i in report_ids])
            return write_letters(drafts, folder, cancel=lambda: progress.cancelled,
                                 progress=lambda done, total: progress(done, total, "正在写入审阅意见书……"))
        finally:
            repo2.close()

    def done(summary) -> None:
        window.statusBar().showMessage(f"已导出 {summary.reports} 份审阅意见书到 {folder}", 10000)
        if on_finished:
            on_finished(summary)

    def failed(exc, text) -> None:
        show_error(window, f"导出审阅意见书失败：{getattr(exc, 'message', None) or exc}", title="审阅意见书")

    def cancelled() -> None:
        window.statusBar().showMessage("已取消导出审阅意见书（已写出的文件保留）", 8000)

    return run_job(window, "导出审阅意见书", job, on_done=done, on_error=failed, on_cancel=cancelled)


def set_office_name(window) -> None:
    """设置署名单位…: the office that signs the letters."""
    from PySide6.QtWidgets import QInputDialog

    from desktop.letters.draft import OFFICE_SETTING

    old = window.desk.repo.letters.library_setting(OFFICE_SETTING) or ""
    name, ok = QInputDialog.getText(window, "署名单位", "审阅意见书署名的单位名称（保存在本审阅库中）：", text=old)
    if ok:
        _keep_office(window, name.strip())


def rectification_notes(repo, report_id: int, records) -> dict[int, str]:
    """For the annotation list: 整改 state and whether the quoted words changed in the unit's next version."""
    from desktop.store.repo_letters import is_rectification_item, quoted_words_state, rectification_state

    report = repo.reports.get_report(report_id)
    reported = repo.letters.rectifications(report_id)
    notes = {}
    for a in records:
        if not is_rectification_item(a):
            continue
        rec = reported.get(a.id)
        parts = [f"整改：{rectification_state(a, rec) or '未反馈'}"]
        if rec is not None and rec.progress:
            parts.append(rec.progress if len(rec.progress) <= 30 else rec.progress[:29] + "…")
        words = quoted_words_state(a, report)
        if words:
            parts.append(words)
        notes[a.id] = " · ".join(parts)
    return notes
