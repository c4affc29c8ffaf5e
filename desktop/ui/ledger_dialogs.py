"""Ledger dialogs: a read-back's changes and conflicts, assigning units, the 填报情况 panel, a task's timeline."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from desktop.kernel.labels import local_time

if TYPE_CHECKING:
    from desktop.store.library import Library

NOT_CHOSEN = "（暂不选择，保留冲突）"


def _table(headers, rows, stretch: int | None = None, red=None) -> QTableWidget:
    return _fill_table(QTableWidget(), headers, rows, stretch, red)


def _fill_table(table: QTableWidget, headers, rows, stretch: int | None = None, red=None) -> QTableWidget:
    """Read-only cells; `red(row, column)` marks cells to show in dark red."""
    table.clear()
    table.setColumnCount(len(headers))
    table.setRowCount(len(rows))
    table.setHorizontalHeaderLabels(list(headers))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            item = QTableWidgetItem("" if v is None else str(v))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if red is not None and red(r, c):
                item.setForeground(Qt.GlobalColor.darkRed)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    if stretch is not None:
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    return table


class ReadBackDialog(QDialog):
    """读回台账: what each file changes, what is refused and why, and a choice for every conflict."""

    def __init__(self, plan, parent=None):
        from desktop.ledger.diff import describe

        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("导入台账：确认修改")
        self.resize(1000, 620)
        layout = QVBoxLayout(self)
        files = "；".join(Path(d.path).name + (f"（填报单位：{d.unit}）" if d.unit else "") for d in plan.diffs)
        skipped = "；".join(Path(s.path).name for s in plan.skipped)
        skipped = f"\n未读取（与本轮次此前读回的文件内容完全相同，没有新的内容）：{skipped}" if skipped else ""
        head = QLabel(f"轮次：{plan.round}\n文件：{files}{skipped}\n{plan.summary()}\n"
                      "空白单元格表示“未填报”，不会清除已有内容。")
        head.setWordWrap(True)
        layout.addWidget(head)
        rows, bad = [], []
        for d in plan.diffs:
            name = Path(d.path).name
            for c in plan.changes.get(d.path, []):
                rows.append((name, c.row, c.task, c.label, describe(c.old), describe(c.new)))
                bad.append(False)
            for p in d.problems:
                rows.append((name, p.row or "整个文件", p.task, None, None, p.reason))
                bad.append(True)
            for r in d.rectification.rows() if d.rectification is not None else ():
                rows.append((name, r.row, r.task, r.field, describe(r.old), describe(r.new)))
                bad.append(False)
        self.changes_table = _table(("文件", "行", "任务", "字段", "原值", "新值 / 未导入原因"), rows, 2,
                                    red=lambda r, c: bad[r])
        layout.addWidget(self.changes_table, 2)
        self.conflict_boxes: list[tuple[object, QComboBox]] = []
        if plan.conflicts:
            layout.addWidget(QLabel(f"冲突 {len(plan.conflicts)} 处：两个文件对同一任务同一字段填写不同，请选择采用哪一份"
                                    "（不选择则暂不写入）："))
            table = QTableWidget(len(plan.conflicts), 5)
            table.setHorizontalHeaderLabels(["任务", "字段", "审阅库中", "各文件填写", "采用"])
            for r, c in enumerate(plan.conflicts):
                claims = "\n".join(f"{claim.value} —— {claim.source}" for claim in c.claims)
                for col, v in enumerate((c.task, c.label, describe(c.old), claims)):
                    item = QTableWidgetItem(v or "")
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    table.setItem(r, col, item)
                box = QComboBox()
                box.addItem(NOT_CHOSEN, None)
                for claim in c.claims:
                    box.addItem(f"{claim.value} —— {claim.source}", claim.value)
                table.setCellWidget(r, 4, box)
                self.conflict_boxes.append((c, box))
            table.resizeColumnsToContents()
            table.resizeRowsToContents()
            table.setColumnWidth(0, 260)
            table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
            self.conflict_table = table
            layout.addWidget(table, 1)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        readable = any(not d.file_problems for d in plan.diffs)
        self.apply_button.setEnabled(readable)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choices(self) -> dict:
        """{(work item id, field): chosen value} for the conflicts the reviewer decided."""
        return {c.key: box.currentData() for c, box in self.conflict_boxes if box.currentData() is not None}


class AssignDialog(QDialog):
    """牵头单位 / 配合单位 / 责任人 / 完成时限 for several tasks; a field left blank is not changed."""

    def __init__(self, count: int, units, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"分配任务（已选 {count} 项）")
        form = QFormLayout(self)
        form.addRow(QLabel("选择或输入单位；留空的项保持不变。"))
        self.lead = self._unit_box(units)
        self.partners = self._unit_box(units)
        self.owner = QLineEdit()
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText("例如 2024-12-31 或 2024年底前")
        form.addRow("牵头单位", self.lead)
        form.addRow("配合单位", self.partners)
        form.addRow("责任人", self.owner)
        form.addRow("完成时限", self.deadline)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("设置")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _unit_box(units) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        box.addItem("")
        box.addItems(list(units))
        box.setCurrentIndex(0)
        box.lineEdit().setPlaceholderText("从已有单位中选择，或输入新单位")
        box.setMinimumWidth(320)
        return box

    def values(self) -> dict:
        raw = {"lead_unit": self.lead.currentText(), "partner_units": self.partners.currentText(),
               "owner": self.owner.text(), "deadline": self.deadline.text()}
        return {k: v.strip() for k, v in raw.items() if v.strip()}


class StatusPanel(QDialog):
    """台账填报情况: per 牵头单位 tasks, returned this round or not, statuses, overdue, completion."""

    def __init__(self, desk, parent=None):
        from desktop.ledger.merge import default_round

        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("台账填报情况")
        self.resize(980, 480)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("轮次："))
        self.round_box = QComboBox()
        self.round_box.setEditable(True)
        rounds = [default_round()] + sorted({r.round for r in desk.repo.ledger.ledger_returns()}, reverse=True)
        self.round_box.addItems(list(dict.fromkeys(rounds)))
        bar.addWidget(self.round_box, 1)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        bar.addWidget(refresh)
        layout.addLayout(bar)
        self.table = QTableWidget()
        layout.addWidget(self.table, 1)
        self.choices = QLabel()  # values chosen in this round (--prefer or the read-back dialog) and their files
        self.choices.setWordWrap(True)
        layout.addWidget(self.choices)
        self.round_box.currentTextChanged.connect(lambda _: self.refresh())
        desk.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, entity: str, report_id: int) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        from desktop.ledger.errors import LedgerError
        from desktop.ledger.status import HEADERS, status_from_library

        try:
            status = status_from_library(self.desk.repo, None, self.round_box.currentText())
        except LedgerError:
            status = None
        units = status.units if status else []
        rows = [u.cells() for u in units] + ([status.total_cells()] if units else [])  # 合计: each task once
        for row in rows:
            row[-2] = f"{row[-2]:.0%}"
        last = len(HEADERS) - 1
        _fill_table(self.table, HEADERS, rows, red=lambda r, c: c == last and r < len(units) and not units[r].returns)
        self.table.horizontalHeader().setStretchLastSection(True)
        chosen = status.choices if status else []
        self.choices.setText("本轮已选定的值（优先于本轮任何文件，直到重新选择）：\n" + "\n".join(
            f"{task}：{label} = {value or '（空）'}（采用 {name}）" for task, label, value, name in chosen)
            if chosen else "")
        self.choices.setVisible(bool(chosen))


class TimelineDialog(QDialog):
    """任务进展记录: each round's and each file's status and progress for one task."""

    def __init__(self, repo: Library, item, parent=None):
        super().__init__(parent)
        self.setWindowTitle("任务进展记录")
        self.resize(900, 360)
        layout = QVBoxLayout(self)
        text = item.text if len(item.text) <= 60 else item.text[:59] + "…"
        layout.addWidget(QLabel(f"任务：{text}\n当前：{item.status or '（未填写）'}；{item.progress or ''}"))
        entries = repo.ledger.task_timeline(item.id)
        rows = [(e.round, e.file_name, e.filler_unit, local_time(e.read_at), e.status, e.progress) for e in entries]
        self.table = _table(("轮次", "文件", "填报单位", "读回时间", "完成状态", "进展情况"), rows, 5)
        layout.addWidget(self.table if rows else QLabel("尚无读回记录。"), 1)
