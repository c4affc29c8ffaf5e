"""A table tab: filter bar (section, kind, status, free text) over an editable, sortable table view."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QToolButton, QVBoxLayout,
    QWidget,
)

from desktop.ui.delegates import FieldDelegate
from desktop.ui.table_models import ID_ROLE, RecordTableModel


class RecordTable(QWidget):
    """Filter bar + table. `recordSelected(id)` when the current row changes."""

    recordSelected = Signal(int)

    def __init__(self, model: RecordTableModel, kinds: dict[str, str], statuses, parent=None):
        super().__init__(parent)
        self.model = model
        self.section_label = QLabel("章节：全部")
        self.clear_section = QToolButton(text="全部章节")
        self.clear_section.setToolTip("取消章节筛选")
        self.clear_section.clicked.connect(lambda: self.set_section(None))
        self.kind_box = QComboBox()
        self.kind_box.addItem("全部类型", None)
        for value, label in kinds.items():
            self.kind_box.addItem(label, value)
        self.status_box = QComboBox()
        self.status_box.addItem("全部状态", None)
        for s in statuses:
            self.status_box.addItem(s, s)
        self.search = QLineEdit()
        self.search.setPlaceholderText("筛选（任意列中的文字）")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        for w in (self.section_label, self.clear_section, self.kind_box, self.status_box):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)

        self.view = QTableView()
        self.view.setModel(model)
        self.view.setItemDelegate(FieldDelegate(self.view))
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        for i, col in enumerate(model.columns):
            header.resizeSection(i, col.width)
        header.setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self._apply_text)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.kind_box.currentIndexChanged.connect(lambda _: self.model.set_filters(kind=self.kind_box.currentData()))
        self.status_box.currentIndexChanged.connect(
            lambda _: self.model.set_filters(status=self.status_box.currentData()))
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        model.modelReset.connect(self._update_count)
        model.rowsRemoved.connect(self._update_count)
        self._section_title = ""

    def _apply_text(self) -> None:
        self.model.set_filters(text=self.search.text())

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        self.count_label.setText(f"{shown} / {total} 行" if shown != total else f"{total} 行")

    def _on_current(self, current, previous) -> None:
        if current.isValid():
            rid = current.data(ID_ROLE)
            if rid is not None:
                self.recordSelected.emit(int(rid))

    def set_section(self, path: str | None, title: str = "") -> None:
        self.section_label.setText(f"章节：{title or path}" if path else "章节：全部")
        self.clear_section.setEnabled(bool(path))
        self.model.set_filters(section=path or None)

    def select_record(self, record_id: int, *, reveal: bool = True) -> bool:
        """Make a record the current row; clear filters that hide it when `reveal`."""
        row = self.model.row_of(record_id)
        if row < 0 and reveal and self.model.record(record_id) is not None:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            for box in (self.kind_box, self.status_box):
                box.blockSignals(True)
                box.setCurrentIndex(0)
                box.blockSignals(False)
            self.model.set_filters(kind=None, status=None, text="")
            rec = self.model.record(record_id)
            if self.model.row_of(record_id) < 0:
                self.set_section(rec.section_path)
            row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def current_records(self) -> list:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return [self.model.record(self.model.record_id(r)) for r in rows if self.model.record_id(r) is not None]
