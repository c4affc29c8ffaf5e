"""Small dialogs: about (with the version), the reviewer's name, the 导入台账 confirmation with its differences."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QInputDialog, QLabel, QMessageBox, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from desktop import __version__
from desktop.ui.icons import app_icon

APP_TITLE = "法治政府建设年度报告审阅台"


def show_about(parent: QWidget | None) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(f"关于{APP_TITLE}")
    box.setIconPixmap(app_icon().pixmap(64, 64))
    box.setText(f"<b>{APP_TITLE}</b><br>版本 {__version__}")
    box.setInformativeText("为司法局、依法治市办审阅法治政府建设年度报告而作：章节树与正文并排，"
                           "工作事项和指标可编辑，批注保存在本地 SQLite 审阅库，工作安排可导出为 Excel 台账。")
    box.exec()


def ask_reviewer(parent: QWidget | None, current: str = "") -> str | None:
    name, ok = QInputDialog.getText(parent, "审阅人", "请输入审阅人姓名（会记住，用于批注和修改记录）：",
                                    text=current)
    name = name.strip()
    return name if ok and name else None


class LedgerDiffDialog(QDialog):
    """导入台账: every change and refusal, confirmed before anything is written."""

    def __init__(self, diff, parent=None):
        super().__init__(parent)
        self.setWindowTitle("导入台账：确认修改")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        head = QLabel(f"文件：{diff.path}\n{diff.summary()}")
        head.setWordWrap(True)
        layout.addWidget(head)
        for problem in diff.file_problems:
            layout.addWidget(QLabel(f"⚠ {problem}"))
        rows = diff.rows()
        table = QTableWidget(len(rows), 6)
        table.setHorizontalHeaderLabels(["行", "序号", "任务", "字段", "原值", "新值 / 未导入原因"])
        for r, d in enumerate(rows):
            values = [d.row, d.seq, d.task, d.field, d.old, d.problem or d.new]
            for c, v in enumerate(values):
                item = QTableWidgetItem("" if v is None else str(v))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if d.problem:
                    item.setForeground(Qt.GlobalColor.darkRed)
                table.setItem(r, c, item)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnsToContents()
        layout.addWidget(table, 1)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("导入这些修改", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.setEnabled(diff.has_changes())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
