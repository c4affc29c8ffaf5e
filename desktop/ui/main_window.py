"""The review desk's main window: library tree | report text over the tables | annotations, search, checks."""
from __future__ import annotations

import time
from pathlib import Path

import shiboken6

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QFileDialog, QLabel, QMainWindow, QSplitter, QTabWidget, QTreeView,
)

from desktop.ui.annotations import AnnotationPanel
from desktop.ui.dialogs import ask_reviewer, show_about
from desktop.ui.editing import EditActions
from desktop.ui.errors import show_error
from desktop.ui.files import FileActions
from desktop.ui.ledger_desk import LedgerActions
from desktop.ui.icons import app_icon
from desktop.ui.letter_actions import rectification_notes
from desktop.ui.menus import build_actions, build_menus
from desktop.ui.search_panel import SearchPanel
from desktop.kernel.labels import ANNOTATION_STATUSES, INDICATOR_KIND_LABELS, ITEM_KIND_LABELS, WORK_STATUSES
from desktop.ui.season_overview import install as install_overview
from desktop.ui.table_models import IndicatorTableModel, WorkItemTableModel
from desktop.ui.tables_panel import RecordTable
from desktop.ui.text_view import ReportTextView
from desktop.ui.tree_model import KIND_ROLE, PATH_ROLE, REPORT_ROLE, LibraryTreeModel


class MainWindow(QMainWindow):
    def __init__(self, desk, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.report_id: int | None = None
        self.report = None
        self.section_path: str | None = None
        self._sections: dict[str, object] = {}
        self._linking = False
        self.last_dialog = None
        self.review_panel = None
        self._overview_panel = None  # the 报告库 window, made when first opened (overview_panel)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        desk.reviewer_provider = self._ask_reviewer_once
        desk.error.connect(lambda message: show_error(self, message))
        desk.notice.connect(lambda message: self.statusBar().showMessage(message, 20000))
        self.files = FileActions(self)
        self.ledger = LedgerActions(self)
        self.edits = EditActions(self)
        self._build_widgets()
        self.actions_ = build_actions(self)
        build_menus(self, self.actions_)
        install_overview(self)  # 报告库 window, 导入文件夹
        self.text_view.context_actions = [self.actions_[k] for k in ("annotate", "add_indicator", "add_work_item")]
        self._connect()
        self._build_status_bar()
        self._update_title()
        self.restore_settings()
        self._open_initial_report()
        from desktop.ui.watch import LibraryWatcher

        self.watcher = LibraryWatcher(self.desk, self)  # writes by the CLI or another window show here

    @property
    def overview_panel(self):
        """The 报告库 window (season_overview.build_panel), made the first time it is wanted: not at start-up."""
        if self._overview_panel is None:
            from desktop.ui.season_overview import build_panel

            self._overview_panel = build_panel(self)
        return self._overview_panel

    # ------------------------------------------------------------------ construction
    def _build_widgets(self) -> None:
        self.tree_model = LibraryTreeModel(self.desk.repo, self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        header.setSectionResizeMode(1, header.ResizeMode.ResizeToContents)
        self.text_view = ReportTextView()
        self.work_model = WorkItemTableModel(self.desk, self)
        self.indicator_model = IndicatorTableModel(self.desk, self)
        self.work_table = RecordTable(self.work_model, ITEM_KIND_LABELS, WORK_STATUSES)
        self.indicator_table = RecordTable(self.indicator_model, INDICATOR_KIND_LABELS, ANNOTATION_STATUSES)
        self.table_tabs = QTabWidget()
        self.table_tabs.addTab(self.work_table, "工作事项")
        self.table_tabs.addTab(self.indicator_table, "指标")
        self.annotation_panel = AnnotationPanel()
        self.search_panel = SearchPanel(self.desk)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.annotation_panel, "批注")
        self.side_tabs.addTab(self.search_panel, "搜索")
        self.side_tabs.addTab(QLabel("打开此页时运行审阅检查……"), "审阅检查")

        self.centre_split = QSplitter(Qt.Orientation.Vertical)
        self.centre_split.addWidget(self.text_view)
        self.centre_split.addWidget(self.table_tabs)
        self.centre_split.setSizes([560, 340])
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.addWidget(self.tree)
        self.main_split.addWidget(self.centre_split)
        self.main_split.addWidget(self.side_tabs)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([350, 900, 360])
        for w in (self.main_split, self.centre_split):
            w.setChildrenCollapsible(False)
        self.setCentralWidget(self.main_split)
        self.resize(1500, 920)

    def _connect(self) -> None:
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.work_table.recordSelected.connect(lambda rid: self._on_record_selected(self.work_model, rid))
        self.indicator_table.recordSelected.connect(lambda rid: self._on_record_selected(self.indicator_model, rid))
        self.text_view.figureClicked.connect(self.select_indicator)
        self.text_view.annotationClicked.connect(self._on_annotation_clicked)
        self.annotation_panel.activated.connect(self._show_annotation)
        self.annotation_panel.editRequested.connect(self.edits.edit_annotation)
        self.annotation_panel.deleteRequested.connect(self.edits.delete_annotation)
        self.annotation_panel.addRequested.connect(self.edits.add_annotation)
        self.search_panel.hitActivated.connect(self._on_search_hit)
        self.side_tabs.currentChanged.connect(self._on_side_tab)
        self.desk.changed.connect(self._on_changed)
        self.desk.records_changed.connect(lambda entity, ids: self._refresh_marks())
        self.desk.undo_stack.indexChanged.connect(self._mark_saved)

    def _build_status_bar(self) -> None:
        self.counts_label = QLabel()
        self.saved_label = QLabel("已保存")
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.saved_label)

    # ------------------------------------------------------------------ reports and sections
    def _open_initial_report(self) -> None:
        reports = self.tree_model.report_nodes()
        if not reports:
            self._update_counts()
            return
        last = self.desk.settings.last_report(self.desk.library_path)
        rid = last if any(n.report_id == last for n in reports) else reports[0].report_id
        self.select_in_tree(rid, None)
        self.tree.expand(self.tree_model.index_for(rid))
        for row in range(self.tree_model.rowCount(self.tree_model.index_for(rid))):
            self.tree.expand(self.tree_model.index(row, 0, self.tree_model.index_for(rid)))

    def current_report_id(self) -> int | None:
        return self.report_id

    def load_report(self, report_id: int) -> None:
        if report_id == self.report_id:
            return
        self.report_id = report_id
        self.report = self.desk.repo.reports.get_report(report_id)
        self._sections = {s.path: s for s in self.desk.repo.reports.sections(report_id)}
        self.section_path = None
        self.text_view.set_report(self.report.clean_text)
        self.work_model.load(report_id)
        self.indicator_model.load(report_id)
        self._refresh_marks()
        self._refresh_annotations()
        self.desk.settings.set_last_report(self.desk.library_path, report_id)
        if self.review_panel is not None:
            self.review_panel.set_report(report_id)
        self._update_title()
        self._update_counts()

    def section_record(self, path: str):
        return self._sections.get(path)

    def select_in_tree(self, report_id: int, path: str | None) -> None:
        index = self.tree_model.index_for(report_id, path)
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.tree.scrollTo(index)

    def _on_tree_current(self, current, previous) -> None:
        if not current.isValid():
            return
        report_id = current.data(REPORT_ROLE)
        if report_id is None:  # a year or unit group
            return
        self.load_report(report_id)
        path = current.data(PATH_ROLE) if current.data(KIND_ROLE) == "section" else None
        self.section_path = path
        if not self._linking:
            sec = self._sections.get(path) if path else None
            title = f"{sec.label}{sec.title}" if sec else ""
            self.work_table.set_section(path, title)
            self.indicator_table.set_section(path, title)
            if sec:
                self.text_view.show_section(sec.start, sec.end)
            else:
                self.text_view.clear_focus()
                self.text_view.verticalScrollBar().setValue(0)
        self._refresh_annotations()

    def _on_record_selected(self, model, record_id: int) -> None:
        rec = model.record(record_id)
        if rec is None:
            return
        if rec.end > rec.start:
            self.text_view.show_span(rec.start, rec.end)
        if rec.section_path in self._sections and rec.section_path != self.section_path:
            self._linking = True
            try:
                self.select_in_tree(rec.report_id, rec.section_path)
            finally:
                self._linking = False

    def select_indicator(self, indicator_id: int) -> None:
        self.table_tabs.setCurrentWidget(self.indicator_table)
        self.indicator_table.select_record(indicator_id)

    # ------------------------------------------------------------------ annotations
    def _refresh_annotations(self) -> None:
        if self.report_id is None:
            self.annotation_panel.set_annotations([], "批注")
            return
        records = self.desk.repo.annotations.annotations(self.report_id)
        self.text_view.set_annotations((a.start, a.end, a.id) for a in records if a.target_kind == "span"
                                       and a.anchor != "orphaned")
        path = self.section_path
        if path:
            records = [a for a in records if a.section_path and (a.section_path == path
                                                                  or a.section_path.startswith(path + "."))]
            sec = self._sections.get(path)
            title = f"{sec.label}{sec.title}" if sec else path
        else:
            title = "全部"
        notes = rectification_notes(self.desk.repo, self.report_id, records)  # 整改 state of 需整改 items
        self.annotation_panel.set_annotations(records, title, notes)

    def _show_annotation(self, annotation) -> None:
        if annotation.start is not None and annotation.end is not None and annotation.end > annotation.start:
            self.text_view.show_span(annotation.start, annotation.end)

    def _on_annotation_clicked(self, annotation_id: int) -> None:
        self.side_tabs.setCurrentWidget(self.annotation_panel)
        if all(a.id != annotation_id for a in self.annotation_panel.records()):
            self.select_in_tree(self.report_id, None)
        self.annotation_panel.select(annotation_id)

    def _refresh_marks(self) -> None:
        self.text_view.set_figures((r.start, r.end, r.id) for r in self.indicator_model.all_records()
                                   if r.anchor != "orphaned")

    def _on_changed(self, entity: str, report_id: int) -> None:
        if entity == "annotation":
            self._refresh_annotations()
            self.tree_model.refresh_states(report_id)
        elif entity == "indicator":
            self._refresh_marks()
        elif entity == "rubric" and self.review_panel is not None:
            self.review_panel.refresh_scores()
        self._update_counts()

    # ------------------------------------------------------------------ tables
    def focused_table(self) -> RecordTable | None:
        focus = QApplication.focusWidget()
        for table in (self.work_table, self.indicator_table):
            if focus is not None and (focus is table.view or table.view.isAncestorOf(focus)):
                return table
        return None

    def current_table(self) -> RecordTable:
        return self.table_tabs.currentWidget()

    # ------------------------------------------------------------------ side tabs
    def focus_search(self) -> None:
        self.side_tabs.setCurrentWidget(self.search_panel)
        self.search_panel.focus()

    def _on_search_hit(self, hit) -> None:
        """Go to the hit's section as a click in the tree would (tables, annotations, Ctrl+M follow), then the hit."""
        self.load_report(hit.report_id)
        if hit.annotation_id is not None:
            path = self.desk.repo.annotations.get_annotation(hit.annotation_id).section_path
        else:
            holding = [s for s in self._sections.values() if s.start <= (hit.start or 0) < s.end]
            path = max(holding, key=lambda s: s.level).path if holding else None
        self.select_in_tree(hit.report_id, path if path in self._sections else None)
        if hit.start is not None and hit.end is not None:
            self.text_view.show_span(hit.start, hit.end)

    def _on_side_tab(self, index: int) -> None:
        if self.side_tabs.tabText(index) == "审阅检查" and self.review_panel is None:
            from desktop.ui.review_panel import ReviewPanel

            self.review_panel = ReviewPanel(self.desk, self.text_view)
            self.side_tabs.blockSignals(True)
            self.side_tabs.removeTab(index)
            self.side_tabs.insertTab(index, self.review_panel, "审阅检查")
            self.side_tabs.setCurrentIndex(index)
            self.side_tabs.blockSignals(False)
            if self.report_id is not None:
                self.review_panel.set_report(self.report_id)

    # ------------------------------------------------------------------ library
    def reload_library(self, select_report: int | None = None) -> None:
        keep = select_report or self.report_id
        self.report_id = None
        self.tree_model.reload()
        ids = [n.report_id for n in self.tree_model.report_nodes()]
        if ids:
            rid = keep if keep in ids else ids[0]
            self.select_in_tree(rid, None)
            self.tree.expand(self.tree_model.index_for(rid))
        else:  # an empty library (the last report removed): nothing of the old report stays on screen
            self.report, self._sections, self.section_path = None, {}, None
            self.text_view.set_report("")
            for model in (self.work_model, self.indicator_model):
                model.report_id = None
                model.set_records([])
            self.annotation_panel.set_annotations([], "批注")
            self._update_title()
        self._update_counts()

    def open_library(self, path: str | None, title: str = "打开审阅库") -> bool:
        from desktop.store.db import open_library
        from desktop.store.errors import LibraryError

        try:
            repo = open_library(path)
        except LibraryError as exc:
            show_error(self, str(exc), title=title)
            return False
        self.desk.set_repo(repo)
        self.tree_model.set_repo(repo)
        self.desk.settings.add_recent_library(str(repo.path))
        self.report_id = None
        self.reload_library(self.desk.settings.last_report(str(repo.path)))
        self._update_title()
        self.server.refresh_label()  # 上次同步 of this library
        return True

    def choose_library(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开审阅库", str(Path(self.desk.library_path).parent),
                                              "审阅库 (*.db *.sqlite);;所有文件 (*)")
        if path:
            self.open_library(path)

    def new_library(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "新建审阅库", str(Path(self.desk.library_path).parent / "新审阅库.db"),
                                              "审阅库 (*.db)")
        if path:
            self.open_library(path)

    def fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.desk.settings.recent_libraries():
            action = self.recent_menu.addAction(path)
            action.setEnabled(Path(path).exists() and path != self.desk.library_path)
            action.triggered.connect(lambda checked=False, p=path: self.open_library(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("（无）").setEnabled(False)

    # ------------------------------------------------------------------ reviewer, about
    def _ask_reviewer_once(self) -> str | None:
        name = ask_reviewer(self)
        if name:
            self.desk.settings.reviewer = name
        return name

    def change_reviewer(self) -> None:
        name = ask_reviewer(self, self.desk.settings.reviewer)
        if name:
            self.desk.settings.reviewer = name
            self._update_counts()

    def show_about(self) -> None:
        show_about(self, self.desk.library_path if self.desk.repo is not None else None)

    # ------------------------------------------------------------------ status and title
    def _update_title(self) -> None:
        if self.desk.repo is None:  # the window shows before the library is open (start-up)
            self.setWindowTitle("正在打开审阅库……")
            return
        name = Path(self.desk.library_path).name
        report = f"{self.report.title or self.report.file_name} — " if self.report else ""
        # the platform appends the application's display name (审阅台) itself: not a second time here
        self.setWindowTitle(f"{report}{name}")

    def _update_counts(self) -> None:
        n_reports = len(self.tree_model.report_nodes())
        parts = [f"报告 {n_reports} 份"]
        if self.report_id is not None:
            chapters, sections = self.tree_model.section_count(self.report_id)
            notes = len(self.desk.repo.annotations.annotations(self.report_id))
            parts += [f"章 {chapters}　节 {sections}", f"工作事项 {self.work_model.total_count()}",
                      f"指标 {self.indicator_model.total_count()}", f"批注 {notes}"]
        reviewer = self.desk.settings.reviewer
        parts.append(f"审阅人：{reviewer}" if reviewer else "审阅人：未设置")
        self.counts_label.setText("　|　".join(parts))

    def _mark_saved(self, _index: int = 0) -> None:
        # The undo stack belongs to the Desk, which outlives the window: when the stack is cleared as the
        # program ends, the label may already be gone (a dialog at quit, issue 24). Nothing to show then.
        if not shiboken6.isValid(self.saved_label):
            return
        self.saved_label.setText(f"已保存 {time.strftime('%H:%M:%S')}")
        self.saved_label.setToolTip(f"每次修改都立即写入审阅库：{self.desk.library_path}")

    # ------------------------------------------------------------------ settings, drag and drop, close
    def restore_settings(self) -> None:
        s = self.desk.settings
        if (g := s.state("geometry")) is not None:
            self.restoreGeometry(g)
        if (st := s.state("window")) is not None:
            self.restoreState(st)
        for key, widget in (("main_split", self.main_split), ("centre_split", self.centre_split)):
            if (st := s.state(key)) is not None:
                widget.restoreState(st)
        for key, view in (("work_header", self.work_table.view), ("indicator_header", self.indicator_table.view)):
            if (st := s.state(key)) is not None:
                view.horizontalHeader().restoreState(st)
        if (st := s.state("tree_header")) is not None:
            self.tree.header().restoreState(st)

    def save_settings(self) -> None:
        s = self.desk.settings
        s.set_state("geometry", self.saveGeometry())
        s.set_state("window", self.saveState())
        s.set_state("main_split", self.main_split.saveState())
        s.set_state("centre_split", self.centre_split.saveState())
        s.set_state("work_header", self.work_table.view.horizontalHeader().saveState())
        s.set_state("indicator_header", self.indicator_table.view.horizontalHeader().saveState())
        s.set_state("tree_header", self.tree.header().saveState())
        if self.report_id is not None:
            s.set_last_report(self.desk.library_path, self.report_id)
        s.sync()

    def closeEvent(self, event) -> None:
        self.save_settings()
        try:  # the window's labels go before the Desk's undo stack is emptied at exit
            self.desk.undo_stack.indexChanged.disconnect(self._mark_saved)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(event)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        ledgers = [p for p in paths if p.lower().endswith(".xlsx")]  # filled ledgers go to 导入台账
        reports = [p for p in paths if p not in ledgers]
        if paths:
            event.acceptProposedAction()
        if reports:
            self.files.import_reports(reports)
        if ledgers:
            self.ledger.read_back(ledgers)
