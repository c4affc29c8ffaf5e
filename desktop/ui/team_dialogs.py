"""Working as a team in the desk: 导出审阅包 / 导入审阅包 (preview of what will change, then merge), 审阅冲突 to
confirm, and the reviewers' scores (mean, spread, who, 分歧) shown in the checks panel."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.ui.errors import show_error
from desktop.ui.files import job_library, ask_report_scope
from desktop.ui.workers import run_job

BUNDLE_FILTER = "审阅包 (*.fzr)"


def _bundle_job(library: str, path: str, *, dry_run: bool, who: str | None):
    """Check and merge (or dry-run) a bundle on the job's own connection: (manifest, MergeSummary)."""
    def job(progress):
        from desktop.store.bundle import import_bundle

        repo = job_library(library)
        try:
            progress(0, 0, "正在检查审阅包……" if dry_run else "正在合并审阅包……")
            return import_bundle(repo, path, dry_run=dry_run, who=who)
        finally:
            repo.close()
    return job


class TeamActions:
    """Owned by the main window (created by menus.build_actions); `window` gives desk, reload_library, status."""

    def __init__(self, window):
        self.window = window

    @property
    def desk(self):
        return self.window.desk

    def export_bundle(self, path: str | None = None, report_ids=None, on_finished=None):
        if report_ids is None:
            scope = ask_report_scope(self.window, "导出审阅包")
            if scope is False:
                return None
            report_ids = scope
        who = self.desk.who()
        if path is None:
            name = f"审阅包-{who or '审阅人'}-{dt.date.today():%Y%m%d}.fzr"
            path, _ = QFileDialog.getSaveFileName(self.window, "导出审阅包", str(Path.home() / name), BUNDLE_FILTER)
            if not path:
                return None
            if not path.lower().endswith(".fzr"):
                path += ".fzr"
        library = self.desk.library_path

        def job(progress):
            from desktop.store.bundle import export_bundle

            repo2 = job_library(library)
            try:
                progress(0, 0, "正在导出审阅包……")
                return export_bundle(repo2, path, report_ids, author=who)
            finally:
                repo2.close()

        def done(manifest) -> None:
            self.window.statusBar().showMessage(f"已导出审阅包：{path}（{manifest['reports']} 份报告）", 10000)
            if on_finished:
                on_finished(manifest)

        return run_job(self.window, "导出审阅包", job, on_done=done, on_error=self._failed("导出审阅包"))

    def import_bundle(self, path: str | None = None, confirm=None, on_finished=None):
        """Preview (a dry run on the job's connection), confirm, then merge; conflicts are offered to confirm."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "导入审阅包", str(Path.home()), BUNDLE_FILTER)
            if not path:
                return None
        library, who = self.desk.library_path, self.desk.who()

        def merged(outcome) -> None:
            _, summary = outcome
            self.desk.undo_stack.clear()  # the library changed outside the undo stack
            self.window.reload_library()
            self.window.statusBar().showMessage("已合并审阅包：" + "；".join(_lines(summary)[:2]), 10000)
            if on_finished:
                on_finished(summary)
            elif summary.conflicts:
                ConflictsDialog(self.desk, self.window).exec()

        def previewed(outcome) -> None:
            manifest, summary = outcome
            if confirm is not None:
                ok = confirm(summary)
            else:
                ok = BundlePreviewDialog(path, manifest, summary, self.window).exec() == QDialog.DialogCode.Accepted
            if not ok or summary.unchanged:
                if on_finished and not ok:
                    on_finished(None)
                return
            run_job(self.window, "导入审阅包", _bundle_job(library, path, dry_run=False, who=who), on_done=merged,
                    on_error=self._failed("导入审阅包"))

        return run_job(self.window, "导入审阅包", _bundle_job(library, path, dry_run=True, who=who),
                       on_done=previewed, on_error=self._failed("导入审阅包"))

    def show_conflicts(self) -> None:
        ConflictsDialog(self.desk, self.window).exec()

    def assign_current(self, names: str | None = None) -> list[str] | None:
        """分工 for the current report: the reviewers' names, separated by 、 or commas (empty: unassign all)."""
        report_id = self.window.current_report_id()
        if report_id is None:
            return None
        wanted = assign_reports(self.desk, self.window, [report_id], names)
        if wanted is not None:
            self.window.statusBar().showMessage(f"分工：{'、'.join(wanted) or '（未分工）'}", 8000)
            if self.window.review_panel is not None:
                self.window.review_panel.refresh_scores()
        return wanted

    def _failed(self, title: str):
        def on_error(exc, text) -> None:
            from desktop.store.bundle import BundleError
            from desktop.ui.errors import log

            if not isinstance(exc, BundleError):
                log.error("%s failed\n%s", title, text)
            show_error(self.window, str(exc), title=title)
        return on_error


def assign_reports(desk, parent, report_ids: list[int], names: str | None = None) -> list[str] | None:
    """分工 of one or more reports (the desk and the 报告库 window): ask for the names (、 or commas; empty
    takes the reports back) unless given, then assign and unassign so each report has exactly those reviewers."""
    from PySide6.QtWidgets import QInputDialog

    repo = desk.repo
    if not report_ids:
        return None
    current = repo.team.assignments()
    if names is None:
        shown = "、".join(current.get(report_ids[0], [])) if len(report_ids) == 1 else ""
        what = "这份报告" if len(report_ids) == 1 else f"选中的 {len(report_ids)} 份报告"
        names, ok = QInputDialog.getText(parent, "分工", f"审阅{what}的人（多人用顿号或逗号分隔）：", text=shown)
        if not ok:
            return None
    wanted = [n for n in (p.strip() for p in names.replace("，", "、").replace(",", "、").split("、")) if n]
    who = desk.who()
    for rid in report_ids:
        had = current.get(rid, [])
        for name in wanted:
            if name not in had:
                repo.team.assign(rid, name, who=who)
        for name in had:
            if name not in wanted:
                repo.team.assign(rid, name, assigned=False, who=who)
    desk.undo_stack.clear()  # a write outside the undo stack
    desk.notify("assignment", report_ids[0])
    return wanted


def _lines(summary) -> list[str]:
    from desktop.store.team_text import summary_lines

    return summary_lines(summary)


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class BundlePreviewDialog(QDialog):
    """导入审阅包: who sent it, what the merge will add and change, and the conflicts — before anything is written."""

    def __init__(self, path: str, manifest: dict, summary, parent=None):
        super().__init__(parent)
        from desktop.kernel.labels import field_label
        from desktop.store.team_text import entity_label, local_time, show_value

        self.setWindowTitle("导入审阅包：确认合并")
        self.resize(860, 480)
        layout = QVBoxLayout(self)
        head = QLabel(f"文件：{Path(path).name}（{manifest.get('author') or '未署名'} 于 "
                      f"{local_time(manifest.get('created_at'))} 导出，{manifest.get('reports', 0)} 份报告）")
        head.setWordWrap(True)
        layout.addWidget(head)
        body = QLabel("\n".join(line for line in _lines(summary) if not line.startswith("  ")))
        body.setWordWrap(True)
        layout.addWidget(body)
        if summary.conflicts:
            layout.addWidget(QLabel("以下修改将被对方更晚的修改覆盖（原值保留在冲突记录和修改历史中）："))
            rows = [[c["report"] or "", entity_label(c["entity"]),
                     field_label(c["field"], c["entity"]), c.get("author") or "未署名", show_value(c["value"]),
                     c.get("winner_author") or "未署名"] for c in summary.conflicts]
            self.table = _table(["报告", "对象", "字段", "作者", "被覆盖的值", "以谁为准"], rows)
            layout.addWidget(self.table, 1)
        else:
            self.table = None
            layout.addStretch(1)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("合并" if not summary.unchanged else "关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        if not summary.unchanged:
            buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ConflictsDialog(QDialog):
    """审阅冲突: values that lost to a later edit by a colleague; each can be confirmed (seen)."""

    def __init__(self, desk, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("审阅冲突")
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        self.head = QLabel()
        self.head.setWordWrap(True)
        layout.addWidget(self.head)
        self.table = _table(["时间", "报告", "对象", "字段", "作者", "被覆盖的值", "当前值（作者）"], [])
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        self.confirm_button = QPushButton("确认所选")
        self.confirm_button.clicked.connect(self.confirm_selected)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        from desktop.kernel.labels import field_label
        from desktop.store.team_text import entity_label, local_time, show_value

        self.rows = self.desk.repo.team.conflicts()
        self.table.setRowCount(len(self.rows))
        for r, c in enumerate(self.rows):
            values = [local_time(c["stamp"]), c["report_title"] or c["file_name"],
                      entity_label(c["entity"]), field_label(c["field"], c["entity"]),
                      c["author"] or "未署名", show_value(c["value"]),
                      f"{show_value(c['current'])}（{c['winner_author'] or '未署名'}）"]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, col, item)
        self.table.resizeColumnsToContents()
        self.head.setText(f"待确认的冲突 {len(self.rows)} 处：合并时按修改时间以后改者为准，被覆盖的值保留在这里。"
                          if self.rows else "没有待确认的冲突。")
        self.confirm_button.setEnabled(bool(self.rows))

    def confirm_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}) or range(len(self.rows))
        for r in rows:
            self.desk.repo.team.confirm_conflict(self.rows[r]["id"], who=self.desk.who())
        self.desk.undo_stack.clear()
        self.reload()


def team_scores_text(repo, report_id: int, rubric) -> str:
    """The checks panel's line on several reviewers' scores: per criterion mean, spread, who; 分歧 flagged."""
    from desktop.review.service import score_summary

    rows = [r for r in score_summary(repo, report_id, rubric) if r.scores]
    assigned = repo.team.assignments(report_id).get(report_id, [])
    head = f"分工：{'、'.join(assigned)}<br>" if assigned else ""
    if not rows or max(len(r.scores) for r in rows) < 2:
        return head.removesuffix("<br>")
    parts = []
    for r in rows:
        flag = f" <b style='color:#c62828'>⚠ 分歧（分差超过 {r.threshold:g}）</b>" if r.disagree else ""
        parts.append(f"{r.name}：均分 {r.shown(r.mean)}，分差 {r.spread:g}（{r.who_text()}）{flag}")
    return head + "多人评分：<br>" + "<br>".join(parts)
