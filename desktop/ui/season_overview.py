"""The 报告库 overview: one row per report (unit, year, checks, score, status), sortable and filterable; identity edits."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
    QInputDialog, QLabel, QLineEdit, QMenu, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from desktop.kernel.labels import REPORT_LEVELS as LEVELS
from desktop.kernel.labels import REPORT_REVIEW_STATUSES as REVIEW_STATUSES
from desktop.kernel.labels import REPORT_TYPES
from desktop.ui.commands import EditCommand
from desktop.ui.overview_model import COLUMN_KEYS, ID_ROLE, INDEX_ROLE, ROW_ROLE, SORT_ROLE  # noqa: F401 - re-exported
from desktop.ui.overview_model import OverviewFilter, OverviewModel  # noqa: F401 - re-exported

# The season's services (store, review) load when the overview is first used, not with the first window.

INLINE_CHECKS = 10  # up to this many reports without stored checks are checked when the overview opens


class IdentityDialog(QDialog):
    """The form of a report's identity; `changes()` gives the fields that differ from the stored values."""

    def __init__(self, report, parser_values: dict, parent=None):
        from desktop.store.identity import IDENTITY_FIELDS, IDENTITY_LABELS

        super().__init__(parent)
        self.setWindowTitle("报告信息")
        self.report = report
        form = QFormLayout(self)
        self.fields: dict[str, QWidget] = {}
        for name in IDENTITY_FIELDS:
            value = getattr(report, name)
            if name in ("level", "report_type"):
                box = QComboBox()
                box.addItems(["", *(LEVELS if name == "level" else REPORT_TYPES)])
                box.setCurrentText(value or "")
                widget = box
            else:
                widget = QLineEdit("" if value is None else str(value))
                widget.setMinimumWidth(320)
            parsed = parser_values.get(name)
            mark = "（已更正）" if name in report.edited_fields else ""
            widget.setToolTip(f"识别结果：{parsed if parsed not in (None, '') else '—'}")
            form.addRow(f"{IDENTITY_LABELS[name]}{mark}", widget)
            self.fields[name] = widget
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        return {n: (w.currentText() if isinstance(w, QComboBox) else w.text()).strip() for n, w in self.fields.items()}

    def changes(self) -> tuple[dict, dict]:
        """(old, new) of the fields the reviewer changed."""
        old, new = {}, {}
        for name, value in self.values().items():
            stored = getattr(self.report, name)
            if value != ("" if stored is None else str(stored)):
                old[name], new[name] = stored, value
        return old, new


class OverviewPanel(QWidget):
    """The 报告库 window: filters above the table; double-click opens the report in the desk."""

    open_report = Signal(int)

    def __init__(self, desk, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.desk = desk
        self.setWindowTitle("报告库")
        self.resize(1280, 640)
        self.model = OverviewModel(desk.repo, self)
        self.proxy = OverviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self._stale = True  # refreshed when shown; while visible, on every change
        self._checking = False
        self._stale_checks = 0  # reports whose stored checks are missing or older than the report's last edit
        desk.changed.connect(self._on_change)
        desk.library_opened.connect(self._on_change)

    def _on_change(self, *args) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _build(self) -> None:
        self.year_box, self.level_box, self.status_box = QComboBox(), QComboBox(), QComboBox()
        self.level_box.addItems(["全部层级", *LEVELS])
        self.status_box.addItems(["全部状态", *REVIEW_STATUSES])
        self.search = QLineEdit()
        self.search.setPlaceholderText("单位、标题、地区…")
        self.search.setClearButtonEnabled(True)
        for box in (self.year_box, self.level_box, self.status_box):
            box.currentIndexChanged.connect(self._apply_filters)
        self.search.textChanged.connect(self._apply_filters)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        for label, widget in (("年度", self.year_box), ("层级", self.level_box), ("状态", self.status_box),
                              ("查找", self.search)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = {"unit": 180, "title": 240, "published": 96, "report_type": 80, "status": 70, "reviewer": 110,
                  "score": 64}
        for col, key in enumerate(COLUMN_KEYS):
            self.table.setColumnWidth(col, widths.get(key, 58))
        self.table.verticalScrollBar().valueChanged.connect(self._prefetch)
        self.proxy.layoutChanged.connect(self._prefetch)
        self.table.doubleClicked.connect(self._open)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        buttons = QHBoxLayout()
        for text, slot in (("报告信息…", self.edit_identity), ("合并单位…", self.merge_unit),
                           ("单位改名…", self.rename_unit), ("分工…", self.assign), ("更新检查", self.recheck_stale),
                           ("导出汇总…", self.export_summary)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            if slot == self.recheck_stale:
                button.setToolTip("重新运行检查结果已过期的报告（报告或其工作事项修改后），在后台进行，可取消")
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        self._stale = False
        self._reload_model()
        years = sorted({e.year for e in self.model.entries() if e.year}, reverse=True)
        current = self.year_box.currentText()
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItems(["全部年度", *[f"{y}年度" for y in years]])
        self.year_box.setCurrentText(current if current else "全部年度")
        self.year_box.blockSignals(False)
        from desktop.review.service import rubric_hash

        self._stale_checks = len(self.desk.repo.checks.stale_check_ids(rubric_hash(self.model.rubric)))
        self._apply_filters()
        self._update_checks()

    def _reload_model(self) -> None:
        """Read the index again and keep the order the reviewer chose (the header's sort column)."""
        self.model.reload(self.desk.repo)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() >= 0 and header.isSortIndicatorShown():
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _update_checks(self) -> None:
        """Reports without stored check results are checked now: a few at once, more in the background (progress,
        取消). Results gone stale (the report or its work items edited since) are not recomputed for every view:
        they show marked, are refreshed when the report is opened, and 更新检查 recomputes them on request."""
        todo = [e.report_id for e in self.model.entries() if not e.has_results]
        if not todo or self._checking:
            return
        from desktop.review.service import refresh_findings

        if len(todo) <= INLINE_CHECKS:
            refresh_findings(self.desk.repo, report_ids=todo)
            self._reload_model()
            self._apply_filters()
            return
        self._check_in_background(todo)

    def recheck_stale(self) -> int:
        """更新检查: recompute the stored checks that are stale (or missing) in the background, cancellable."""
        if self._checking:
            return 0
        from desktop.review.rubric import load_rubric
        from desktop.review.service import rubric_hash

        todo = self.desk.repo.checks.stale_check_ids(rubric_hash(load_rubric()))
        if todo:
            self._check_in_background(todo)
        else:
            self.count_label.setText(self.count_label.text().split("；")[0] + "；检查结果均为最新")
        return len(todo)

    def _check_in_background(self, todo: list[int]) -> None:
        from desktop.review.service import refresh_findings
        from desktop.ui.files import job_library
        from desktop.ui.workers import run_job

        library = self.desk.library_path

        def job(progress):
            repo = job_library(library)
            try:
                refresh_findings(repo, report_ids=todo,  # progress raises Cancelled once 取消 is pressed
                                 progress=lambda n, total: progress(n, total, f"正在运行审阅检查（{n}/{total}）"))
            finally:
                repo.close()

        def finished(*_):  # (after 取消 too: what was checked is stored; the rest stays marked)
            from desktop.review.service import rubric_hash

            self._checking = False
            self._reload_model()
            self._stale_checks = len(self.desk.repo.checks.stale_check_ids(rubric_hash(self.model.rubric)))
            self._apply_filters()

        self._checking = True
        run_job(self, "审阅检查", job, on_done=finished, on_cancel=finished, on_error=lambda exc, text: finished())

    def _apply_filters(self) -> None:
        year = self.year_box.currentText().rstrip("年度")
        self.proxy.set_filters(year=int(year) if year.isdigit() else None,
                               level=self.level_box.currentText() if self.level_box.currentIndex() > 0 else None,
                               status=self.status_box.currentText() if self.status_box.currentIndex() > 0 else None,
                               text=self.search.text())
        stale = f"；{self._stale_checks} 份的检查结果待更新（“更新检查”）" if self._stale_checks else ""
        self.count_label.setText(f"{self.proxy.rowCount()} / {self.model.rowCount()} 份{stale}")
        self._prefetch()

    def _prefetch(self, *_) -> None:
        """The rows in view (and a screenful below) read in one query before they are painted."""
        view, count = self.table, self.proxy.rowCount()
        first = max(0, view.rowAt(0))
        last = view.rowAt(view.viewport().height() - 1)
        last = first + 40 if last < 0 else last
        self.model.prefetch([self.proxy.index(r, 0).data(ID_ROLE) for r in range(first, min(count, last + 30))])

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def _open(self, index) -> None:
        rid = index.data(ID_ROLE)
        if rid is not None:
            self.open_report.emit(int(rid))

    def _menu(self, pos) -> None:
        menu = QMenu(self)
        for text, slot in (("打开报告", lambda: self._open(self.table.currentIndex())),
                           ("报告信息…", self.edit_identity), ("合并单位…", self.merge_unit),
                           ("单位改名…", self.rename_unit), ("分工…", self.assign)):
            menu.addAction(text, slot)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def selected_ids(self) -> list[int]:
        """The reports of the selected rows (table order)."""
        return sorted({i.data(ID_ROLE) for i in self.table.selectionModel().selectedRows()} - {None})

    def assign(self, names: str | None = None) -> list[str] | None:
        """分工 of the selected reports (desktop.ui.team_dialogs); the table shows it at once."""
        from desktop.ui.team_dialogs import assign_reports

        ids = sorted({i.data(ID_ROLE) for i in self.table.selectionModel().selectedRows()} - {None})
        return assign_reports(self.desk, self, ids or [r for r in [self.selected_id()] if r is not None], names)

    # ------------------------------------------------------------------ edits (undoable)
    def edit_identity(self, report_id: int | None = None, dialog_hook=None) -> bool:
        rid = report_id or self.selected_id()
        if rid is None:
            return False
        repo = self.desk.repo
        dialog = IdentityDialog(repo.reports.get_report(rid), repo.season.parser_identity(rid), self)
        if dialog_hook is not None:
            dialog_hook(dialog)
        elif dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        old, new = dialog.changes()
        return bool(new) and self.desk.execute(EditCommand(self.desk, "修改报告信息", "edit_identity", rid, new))

    def merge_unit(self, target_name: str | None = None) -> bool:
        rid = self.selected_id()
        row = self.model.row_of(rid) if rid is not None else None
        if row is None or row.unit_id is None:
            return False
        others = [u for u in self.desk.repo.units.units() if u.id != row.unit_id]
        if target_name is None:
            names = [u.name for u in others]
            target_name, ok = QInputDialog.getItem(self, "合并单位", f"把“{row.unit}”并入：", names, 0, False)
            if not ok:
                return False
        target = next((u for u in others if u.name == target_name), None)
        if target is None:
            return False
        return self.desk.execute(EditCommand(self.desk, f"合并单位：{row.unit} → {target.name}", "merge_units",
                                             row.unit_id, target.id, label=f"{row.unit} → {target.name}"))

    def rename_unit(self, new_name: str | None = None) -> bool:
        rid = self.selected_id()
        row = self.model.row_of(rid) if rid is not None else None
        if row is None or row.unit_id is None:
            return False
        if new_name is None:
            new_name, ok = QInputDialog.getText(self, "单位改名", "新名称（原名称作为别名保留）：", text=row.unit or "")
            if not ok:
                return False
        new_name = new_name.strip()
        if not new_name or new_name == row.unit:
            return False
        return self.desk.execute(EditCommand(self.desk, f"单位改名：{row.unit} → {new_name}", "rename_unit",
                                             row.unit_id, new_name))

    def export_summary(self, path: str | None = None):
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出汇总", "报告汇总.xlsx", "Excel 工作簿 (*.xlsx)")
            if not path:
                return None
        year = self.proxy.year
        from desktop.season.workbook import export_summary

        return export_summary(self.desk.repo, path, year=year)


def build_panel(window) -> OverviewPanel:
    """The 报告库 window, made the first time it is wanted (MainWindow.overview_panel): not while the desk starts."""
    panel = OverviewPanel(window.desk, window)

    def open_in_desk(rid: int) -> None:
        window.select_in_tree(rid, None)
        window.raise_()

    panel.open_report.connect(open_in_desk)
    panel.remove_reports = lambda: window.files.remove_reports(panel.selected_ids() or None)
    remove = QPushButton("删除报告…")
    remove.setToolTip("删除所选报告（连同批注、评分和台账读回记录；删除前自动备份，可撤销）")
    remove.clicked.connect(panel.remove_reports)
    panel.buttons.insertWidget(panel.buttons.count() - 1, remove)
    return panel


def install(window) -> None:
    """Hook the 报告库 window and 导入文件夹 into the main window's 视图/文件 menus (one call from main_window)."""

    def show() -> None:
        panel = window.overview_panel
        panel.show()
        panel.raise_()

    action = QAction("报告库…", window)
    action.setShortcut(QKeySequence("Ctrl+L"))
    action.setStatusTip("所有报告一览：单位、年度、按时、检查结果、评分、审阅状态")
    action.triggered.connect(show)
    window.addAction(action)
    window.view_menu.addAction(action)
    folder = QAction("导入文件夹…", window)
    folder.setStatusTip("导入一个文件夹（含子文件夹）中的全部报告")

    def import_folder() -> None:
        path = QFileDialog.getExistingDirectory(window, "导入文件夹")
        if path:
            window.files.import_reports([path])

    folder.triggered.connect(import_folder)
    identity = QAction("报告信息…", window)
    identity.setStatusTip("更正当前报告的单位、层级、地区、年度、发布日期、类型或标题（可撤销）")
    identity.triggered.connect(lambda: window.overview_panel.edit_identity(window.report_id) if window.report_id
                               else None)
    window.view_menu.addAction(identity)
    window.actions_["import_folder"], window.actions_["overview"] = folder, action
    window.actions_["report_identity"] = identity
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.insertAction(file_menu.actions()[1], folder)
    window.desk.changed.connect(lambda entity, rid: window.reload_library() if entity == "report" else None)
