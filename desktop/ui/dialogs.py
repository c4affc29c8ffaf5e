"""Small dialogs: about (the version and the library's location) and the reviewer's name."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from desktop import __version__
from desktop.ui.icons import app_icon

APP_TITLE = "法治政府建设年度报告审阅台"


def about_text(library: str | None) -> str:
    """The about box's details: version, the library in use, where the program and the logs are."""
    from desktop.kernel.paths import data_folder, install_location

    lines = [f"版本：{__version__}", f"审阅库：{library or '（尚未打开）'}", f"程序位置：{install_location()}",
             f"日志和自动备份：{data_folder()}"]
    return "\n".join(lines)


def show_about(parent: QWidget | None, library: str | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle(f"关于{APP_TITLE}")
    box.setIconPixmap(app_icon().pixmap(64, 64))
    box.setText(f"<b>{APP_TITLE}</b><br>版本 {__version__}")
    box.setInformativeText("为司法局、依法治市办审阅法治政府建设年度报告而作：章节树与正文并排，"
                           "工作事项和指标可编辑，批注保存在本地 SQLite 审阅库，工作安排可导出为 Excel 台账。\n\n"
                           + about_text(library))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
    return box


def ask_reviewer(parent: QWidget | None, current: str = "") -> str | None:
    name, ok = QInputDialog.getText(parent, "审阅人", "请输入审阅人姓名（会记住，用于批注和修改记录）：",
                                    text=current)
    name = name.strip()
    return name if ok and name else None
