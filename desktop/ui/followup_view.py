"""上年安排对照: last year's plans as a queue (待确认 first, one task at a time, its nearest passages highlighted in
this year's report), verdicts confirmed with a key (1/2/3, Enter accepts the proposal; undoable, in history), notes on
a verdict, the ledger's tracking status, and indicators over the years."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QSplitter, QTableView, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout,
    QWidget,
)

from desktop.ui.commands import DeskCommand
from desktop.ui.text_view import ReportTextView

VERDICT_COLORS = {"未提及": QColor("#f8d7da"), "部分体现": QColor("#fff3cd"), "已体现": QColor("#d4edda")}
STATUS_COLORS = {"待确认": QColor("#ffe8cc"), "确定": QColor("#e2e3e5"), "已确认": QColor("#cfe2ff")}
COLUMNS = ("状态", "结论", "自动结论", "上年安排", "台账状态", "批注")
KEYS = {"1": "已体现", "2": "部分体现", "3": "未提及"}  # the queue's keys; Enter accepts the proposal


class DecideCommand(DeskCommand):
    """The reviewer's verdict and/or note on one earlier task; undo puts the previous values back."""

    def __init__(self, desk, later_id: int, row, field: str | None = None, new=None, *, changes: dict | None = None):
        changes = dict(changes or {field: new})
        label = "批注上年安排结论" if set(changes) == {"note"} else (
            "确认上年安排结论" if changes.get("decision") == row.plan.verdict else "修改上年安排结论")
        super().__init__(desk, label)
        self.later_id, self.item_id, self.machine = later_id, row.work_item_id, row.plan.verdict
        self.new = changes
        self.old = {f: getattr(row, f) for f in changes}

    def _write(self, values: dict) -> None:
        from desktop.followup.service import decide

        decide(self.desk.repo, self.later_id, self.item_id, **values, machine_verdict=self.machine,
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
            values = (r.status, r.verdict + (" ✎" if r.decision and r.decision != r.plan.verdict else ""),
                      r.plan.verdict, " ".join(r.plan.text.split()),
                      (r.tracking_status or "—") + (" ？" if r.questionable else ""), r.note or "")
            return values[col]
        if role == Qt.ItemDataRole.BackgroundRole and col in (0, 1, 2):
            return QBrush(STATUS_COLORS[r.status] if col == 0 else VERDICT_COLORS[r.verdict if col == 1
                                                                                    else r.plan.verdict])
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{r.plan.text}\n{r.status}：{r.reason}" if r.reason else r.plan.text
            if r.questionable:
                tip += "\n台账填报为已完成，但本年报告未提及，值得核实"
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 1, 2, 4):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class FollowUpDialog(QDialog):
    """Non-modal window over one pair of reports (earlier → later) of the library: the queue of tasks to confirm."""

    def __init__(self, desk, parent=None, later_id: int | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("上年安排对照")
        self.resize(1280, 800)
        self.followup = None
        self.pairs: list[tuple[int, int]] = []
        self._stack_index = desk.undo_stack.index()
        self.pair_box = QComboBox()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.progress = QLabel()
        self.model = FollowUpModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == 3
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.text_view = ReportTextView()
        self.task_label = QLabel()
        self.task_label.setWordWrap(True)
        bold = QFont(self.task_label.font())
        bold.setBold(True)
        self.task_label.setFont(bold)
        self.evidence_label = QLabel()
        self.evidence_label.setWordWrap(True)
        self.nearest_list = QListWidget()
        self.nearest_list.setWordWrap(True)
        self.nearest_list.setMaximumHeight(110)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("批注（可选）：输入后按 1/2/3 或回车，随结论一并记录")
        self.buttons = {v: QPushButton(f"{k} {v}") for k, v in KEYS.items()}
        self.accept_button = QPushButton("回车 接受自动结论")
        self.reset_button = QPushButton("恢复自动结论")
        self.note_button = QPushButton("批注…")
        for b in (*self.buttons.values(), self.accept_button, self.reset_button, self.note_button):
            b.setAutoDefault(False)  # Enter is the queue's key, not a click on whichever button has focus
            b.setDefault(False)
        self.trends = QTableWidget()
        self._build()
        self._keys()
        self._fill_pairs(later_id)
        desk.changed.connect(self._on_changed)
        desk.library_opened.connect(lambda: self._fill_pairs(None))
        desk.undo_stack.indexChanged.connect(self._on_undo_redo)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("对照："))
        top.addWidget(self.pair_box, 1)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.summary)
        lv.addWidget(self.progress)
        lv.addWidget(self.table, 3)
        lv.addWidget(self.task_label)
        lv.addWidget(self.evidence_label)
        lv.addWidget(QLabel("本年报告中最相近的段落（已在右侧正文中标出，点选可跳转）："))
        lv.addWidget(self.nearest_list)
        lv.addWidget(self.note_edit)
        row = QHBoxLayout()
        row.addWidget(QLabel("审阅结论："))
        for b in (*self.buttons.values(), self.accept_button, self.reset_button, self.note_button):
            row.addWidget(b)
        row.addStretch(1)
        lv.addLayout(row)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.text_view, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([720, 560])
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "安排落实")
        self.tabs.addTab(self.trends, "指标年度对比")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.pair_box.currentIndexChanged.connect(lambda _i: self._load())
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_row(cur.row()))
        self.nearest_list.currentRowChanged.connect(self._show_near)
        for verdict, b in self.buttons.items():
            b.clicked.connect(lambda _c=False, v=verdict: self.decide(v, advance=True))
        self.accept_button.clicked.connect(self.accept_proposal)
        self.reset_button.clicked.connect(lambda: self.decide(None))
        self.note_button.clicked.connect(self.annotate)
        self.note_edit.returnPressed.connect(self.accept_proposal)

    def _keys(self) -> None:
        """1/2/3 set 已体现/部分体现/未提及, Enter accepts the proposal — wherever the focus is in the window but in the
        note box, where they type (Enter there accepts too). The list views would take the keys for searching, so
        they are caught before them."""
        for view in (self.table, self.nearest_list):
            view.installEventFilter(self)

    def _queue_key(self, event) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods != Qt.KeyboardModifier.NoModifier or self.tabs.currentIndex() != 0:
            return False
        if event.text() in KEYS:
            self.decide(KEYS[event.text()], advance=True)
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_proposal()
            return True
        return False

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and self._queue_key(event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:
        if not self._queue_key(event):  # Enter never closes the window or clicks a button; Escape still closes
            super().keyPressEvent(event)

    # ------------------------------------------------------------------ data
    def _fill_pairs(self, later_id: int | None) -> None:
        from desktop.followup.service import pairs

        repo = self.desk.repo
        self.pairs = pairs(repo)
        self.pair_box.blockSignals(True)
        self.pair_box.clear()
        for a, b in self.pairs:
            ea, lb = repo.reports.get_report(a), repo.reports.get_report(b)
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
            self.progress.setText("")
            return
        earlier_id, later_id = self.pairs[i]
        fu = compare_stored(self.desk.repo, earlier_id, later_id)
        text_changed = self.followup is None or self.followup.later_id != later_id
        self.followup = fu
        self.model.set_rows(fu.queue())
        counts = fu.counts()
        self.summary.setText(f"上年 {len(fu.rows)} 项安排：未提及 {counts['未提及']}，部分体现 {counts['部分体现']}，"
                             f"已体现 {counts['已体现']}。待确认的在前，逐项确认：按 1/2/3 定为已体现/部分体现/未提及，"
                             f"回车接受自动结论。\n{CAUTION}。")
        self._show_progress()
        if text_changed:
            self.text_view.set_report(fu.later_text)
            self._fill_trends(unit_indicators(self.desk.repo, later_id))
        self.table.resizeRowsToContents()
        if self.model.rows:
            self.table.selectRow(min(keep_row or 0, len(self.model.rows) - 1))

    def _show_progress(self) -> None:
        fu = self.followup
        decided, needing = fu.progress()
        sure = sum(r.certain and not r.confirmed for r in fu.rows)
        left = len(fu.pending())
        done = "，全部确认完毕" if not left else f"，还有 {left} 项待确认"
        self.progress.setText(f"已确认 {decided} / {needing}{done}（另有 {sure} 项依据充分，自动确定）")

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
        self.task_label.setText(f"上年安排：{' '.join(r.plan.text.split())}")
        proposal = f"自动结论：{r.plan.verdict}（{r.status}）" + (f"；审阅结论：{r.decision}" if r.decision else "")
        evidence = (f"依据 {len(r.plan.evidence)} 处" if r.plan.evidence
                    else "本年报告的举措成效和第一责任人部分没有报告这项安排")
        self.evidence_label.setText(f"{proposal}\n{r.reason or r.plan.why}\n{evidence}")
        self.nearest_list.blockSignals(True)
        self.nearest_list.clear()
        for k, near in enumerate(r.plan.nearest, 1):
            item = QListWidgetItem(f"{k}. （相似度 {near.score:.2f}）{' '.join(near.text.split())}")
            item.setToolTip(near.text)
            self.nearest_list.addItem(item)
        self.nearest_list.blockSignals(False)
        spans = [(e.start, e.end) for e in r.plan.evidence]
        spans += [(n.start, n.end) for n in r.plan.nearest if (n.start, n.end) not in spans]
        self.text_view.set_findings(spans)
        focus = r.plan.evidence[0] if r.plan.evidence else (r.plan.nearest[0] if r.plan.nearest else None)
        if focus is not None:
            self.text_view.show_span(focus.start, focus.end)
        self.note_edit.blockSignals(True)
        self.note_edit.setText(r.note or "")
        self.note_edit.blockSignals(False)
        editable = r.work_item_id is not None
        for b in (*self.buttons.values(), self.accept_button, self.reset_button, self.note_button, self.note_edit):
            b.setEnabled(editable)

    def _show_near(self, k: int) -> None:
        r = self.current_row()
        if r is not None and 0 <= k < len(r.plan.nearest):
            self.text_view.show_span(r.plan.nearest[k].start, r.plan.nearest[k].end)

    # ------------------------------------------------------------------ edits
    def decide(self, verdict: str | None, *, advance: bool = False) -> None:
        """Set the reviewer's verdict (None: back to the matcher's) on the current task, with the note typed; with
        `advance`, the next task to confirm follows."""
        r = self.current_row()
        if r is None or r.work_item_id is None:
            return
        changes = {}
        if r.decision != verdict:
            changes["decision"] = verdict
        note = self.note_edit.text().strip() or None
        if note != r.note:
            changes["note"] = note
        if not changes:
            if advance:
                self._select_next(r)
            return
        if self.desk.execute(DecideCommand(self.desk, self.followup.later_id, r, changes=changes)) and advance:
            self._select_next(r)

    def accept_proposal(self) -> None:
        """Enter: the matcher's verdict stands, confirmed by the reviewer."""
        r = self.current_row()
        if r is not None:
            self.decide(r.plan.verdict, advance=True)

    def _select_next(self, decided) -> None:
        """After a decision: the next task still to confirm after the one decided (in the report's order), else the
        first one left; the decided task stays selected when none is left."""
        rows = self.model.rows
        order = sorted(range(len(rows)), key=lambda i: rows[i].plan.start)
        pending = [i for i in order if not rows[i].settled and rows[i].work_item_id is not None]
        after = [i for i in pending if rows[i].plan.start > decided.plan.start]
        pick = (after or pending or [None])[0]
        if pick is None:
            pick = next((i for i, r in enumerate(rows) if r.work_item_id == decided.work_item_id), 0)
        self.table.selectRow(pick)
        self.table.setFocus()

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

    def _on_undo_redo(self, index: int) -> None:
        """An undone or redone decision: show the task it was about."""
        stack, before = self.desk.undo_stack, self._stack_index
        self._stack_index = index
        cmd = stack.command(index if index < before else index - 1) if index != before else None
        if not isinstance(cmd, DecideCommand) or self.followup is None or cmd.later_id != self.followup.later_id:
            return
        for i, r in enumerate(self.model.rows):
            if r.work_item_id == cmd.item_id:
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
