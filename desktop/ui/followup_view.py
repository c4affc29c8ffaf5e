"""上年安排对照: last year's plans beside this year's report with the evidence highlighted, verdicts the reviewer
confirms or changes (undoable), notes on a verdict, the ledger's tracking status, and indicators over the years."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton, QSplitter,
    QTableView, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from desktop.ui.commands import DeskCommand
from desktop.ui.text_view import ReportTextView

VERDICT_COLORS = {"未提及": QColor("#f8d7da"), "部分体现": QColor("#fff3cd"), "已体现": QColor("#d4edda")}
COLUMNS = ("结论", "自动结论", "得分", "上年安排", "台账状态", "批注")


class DecideCommand(DeskCommand):
    """The reviewer's verdict or note on one earlier task; undo puts the previous value back."""

    def __init__(self, desk, later_id: int, row, field: str, new):
        label = "批注上年安排结论" if field == "note" else "修改上年安排结论"
        super().__init__(desk, label)
        self.later_id, self.item_id, self.machine = later_id, row.work_item_id, row.plan.verdict
        self.field, self.old, self.new = field, getattr(row, field), new

    def _write(self, value) -> None:
        from desktop.followup.service import decide

        field = "decision" if self.field == "decision" else "note"
        decide(self.desk.repo, self.later_id, self.item_id, **{field: value}, machine_verdict=self.machine,
               who=self.desk.who())
        self.desk.notify("followup", self.later_id)

    def apply(self) -> None:
        self._write(self.new)

    def revert(self) -> None:
        self._write(self.old)


class FollowUpModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (r.verdict + (" ✎" if r.decision else ""), r.plan.verdict, f"{r.plan.score:.2f}",
                      " ".join(r.plan.text.split()), (r.tracking_status or "—") + (" ？" if r.questionable else ""),
                      r.note or "")
            return values[col]
        if role == Qt.ItemDataRole.BackgroundRole and col in (0, 1):
            return QBrush(VERDICT_COLORS[r.verdict if col == 0 else r.plan.verdict])
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = r.plan.text
            if r.questionable:
                tip += "\n台账填报为已完成，但本年报告未提及，值得核实"
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 1, 2, 4):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class FollowUpDialog(QDialog):
    """Non-modal window over one pair of reports (earlier → later) of the library."""

    def __init__(self, desk, parent=None, later_id: int | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("上年安排对照")
        self.resize(1280, 760)
        self.followup = None
        self.pairs: list[tuple[int, int]] = []
        self.pair_box = QComboBox()
        self.summary = QLabel()
        self.model = FollowUpModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,) * 3 + (QHeaderView.ResizeMode.Stretch,)
                                   + (QHeaderView.ResizeMode.ResizeToContents,) * 2):
            header.setSectionResizeMode(col, mode)
        self.text_view = ReportTextView()
        self.evidence_label = QLabel()
        self.evidence_label.setWordWrap(True)
        self.buttons = {v: QPushButton(v) for v in ("已体现", "部分体现", "未提及")}
        self.reset_button = QPushButton("恢复自动结论")
        self.note_button = QPushButton("批注…")
        self.trends = QTableWidget()
        self._build()
        self._fill_pairs(later_id)
        desk.changed.connect(self._on_changed)
        desk.library_opened.connect(lambda: self._fill_pairs(None))

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("对照："))
        top.addWidget(self.pair_box, 1)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.summary)
        lv.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("审阅结论："))
        for b in (*self.buttons.values(), self.reset_button, self.note_button):
            row.addWidget(b)
        row.addStretch(1)
        lv.addLayout(row)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.evidence_label)
        rv.addWidget(self.text_view, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 580])
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "安排落实")
        self.tabs.addTab(self.trends, "指标年度对比")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.pair_box.currentIndexChanged.connect(lambda _i: self._load())
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_row(cur.row()))
        for verdict, b in self.buttons.items():
            b.clicked.connect(lambda _c=False, v=verdict: self.decide(v))
        self.reset_button.clicked.connect(lambda: self.decide(None))
        self.note_button.clicked.connect(self.annotate)

    # ------------------------------------------------------------------ data
    def _fill_pairs(self, later_id: int | None) -> None:
        from desktop.followup.service import pairs

        repo = self.desk.repo
        self.pairs = pairs(repo)
        self.pair_box.blockSignals(True)
        self.pair_box.clear()
        for a, b in self.pairs:
            ea, lb = repo.get_report(a), repo.get_report(b)
            self.pair_box.addItem(f"{ea.title or ea.file_name}  →  {lb.title or lb.file_name}")
        pick = next((i for i, (a, b) in enumerate(self.pairs) if later_id in (a, b)), 0)
        self.pair_box.setCurrentIndex(pick if self.pairs else -1)
        self.pair_box.blockSignals(False)
        if not self.pairs:
            self.summary.setText("审阅库中没有同一单位相邻年度的报告。导入上一年度的报告（或本年度工作要点）后即可对照。")
        self._load()

    def _load(self, keep_row: int | None = None) -> None:
        from desktop.followup.indicators import unit_indicators
        from desktop.followup.service import CAUTION, compare_stored

        i = self.pair_box.currentIndex()
        if i < 0 or i >= len(self.pairs):
            self.model.set_rows([])
            return
        earlier_id, later_id = self.pairs[i]
        fu = compare_stored(self.desk.repo, earlier_id, later_id)
        text_changed = self.followup is None or self.followup.later_id != later_id
        self.followup = fu
        self.model.set_rows(fu.sorted_rows())
        counts = fu.counts()
        self.summary.setText(f"上年 {len(fu.rows)} 项安排：未提及 {counts['未提及']}，部分体现 {counts['部分体现']}，"
                             f"已体现 {counts['已体现']}（未提及在前；✎ 为审阅人修改的结论）\n{CAUTION}。")
        if text_changed:
            self.text_view.set_report(fu.later_text)
            self._fill_trends(unit_indicators(self.desk.repo, later_id))
        self.table.resizeRowsToContents()
        if self.model.rows:
            self.table.selectRow(min(keep_row or 0, len(self.model.rows) - 1))

    def _fill_trends(self, table) -> None:
        years = list(table.years)
        headers = ["指标", *[f"{y}年" for y in years], *[f"{y}年变化" for y in years[1:]]]
        self.trends.clear()
        self.trends.setColumnCount(len(headers))
        self.trends.setHorizontalHeaderLabels(headers)
        self.trends.setRowCount(len(table.rows))
        for r, ind in enumerate(table.rows):
            cells = [f"{ind.label}（{'%' if ind.is_rate else ind.unit}）"]
            cells += [f"{ind.values[y].value:g}" if y in ind.values else "—" for y in years]
            cells += [ind.change_text(y) or "—" for y in years[1:]]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.trends.setItem(r, c, item)
        self.trends.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def current_row(self):
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def _show_row(self, row_index: int) -> None:
        if row_index < 0 or row_index >= len(self.model.rows):
            return
        r = self.model.rows[row_index]
        spans = [(e.start, e.end) for e in r.plan.evidence]
        self.text_view.set_findings(spans)
        if spans:
            self.text_view.show_span(*spans[0])
            why = f"\n{r.plan.why}" if r.plan.why else ""
            self.evidence_label.setText(f"依据 {len(spans)} 处（已在正文中标出）：{r.plan.text[:60]}{why}")
        else:
            why = f"\n{r.plan.why}" if r.plan.why else ""
            self.evidence_label.setText(f"本年报告的举措成效和第一责任人部分没有报告这项安排：{r.plan.text[:60]}{why}")
        editable = r.work_item_id is not None
        for b in (*self.buttons.values(), self.reset_button, self.note_button):
            b.setEnabled(editable)

    # ------------------------------------------------------------------ edits
    def decide(self, verdict: str | None) -> None:
        r = self.current_row()
        if r is None or r.work_item_id is None or r.decision == verdict:
            return
        self.desk.execute(DecideCommand(self.desk, self.followup.later_id, r, "decision", verdict))

    def annotate(self) -> None:
        r = self.current_row()
        if r is None or r.work_item_id is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, "结论批注", r.plan.text[:80], r.note or "")
        if ok and (text.strip() or None) != r.note:
            self.desk.execute(DecideCommand(self.desk, self.followup.later_id, r, "note", text.strip() or None))

    def refresh_pairs(self) -> None:
        self._fill_pairs(self.followup.later_id if self.followup else None)

    def _on_changed(self, entity: str, report_id: int) -> None:
        if entity == "report":  # a report imported or re-read: the pairs may have changed
            self.refresh_pairs()
            return
        if self.followup is None:
            return
        if entity in ("followup", "work_item") and report_id in (-1, self.followup.later_id,
                                                                            self.followup.earlier_id):
            current = self.current_row()
            self._load()
            if current is not None:  # keep the same task selected after re-sorting
                for i, r in enumerate(self.model.rows):
                    if r.work_item_id == current.work_item_id and r.plan.text == current.plan.text:
                        self.table.selectRow(i)
                        break


def open_followup(window) -> FollowUpDialog:
    """Open (or bring forward) the window for the report shown in the main window."""
    dialog = getattr(window, "followup_dialog", None)
    if dialog is None or not dialog.isVisible():
        dialog = FollowUpDialog(window.desk, window, getattr(window, "report_id", None))
        window.followup_dialog = dialog
        model = getattr(window, "tree_model", None)
        if model is not None:  # reports imported into the library: the pairs may have changed
            model.modelReset.connect(dialog.refresh_pairs)
    dialog.show()
    dialog.raise_()
    return dialog
