"""帮助 → 使用说明 (F1): the user guide (resources/guide.md) in a window of its own, searchable."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QTextBrowser, QVBoxLayout, QWidget

GUIDE_NAME = "guide.md"


def guide_text() -> str:
    """The guide's Markdown, or a short note naming what is missing when this installation lacks it."""
    from desktop.kernel.paths import resource

    path = resource(GUIDE_NAME)
    if path is None:
        return "# 使用说明\n\n本安装中没有找到使用说明文件（resources/guide.md）。"
    return path.read_text(encoding="utf-8")


class GuideWindow(QDialog):
    """The guide rendered from Markdown, with a find box (Ctrl+F, Enter for the next match)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.resize(980, 760)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide_text())
        self.find_box = QLineEdit(self)
        self.find_box.setPlaceholderText("在使用说明中查找（回车查找下一处）")
        self.find_box.returnPressed.connect(self.find_next)
        self.status = QLabel("", self)
        row = QHBoxLayout()
        row.addWidget(self.find_box, 1)
        row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.find_box.setFocus)

    def find_next(self) -> bool:
        words = self.find_box.text().strip()
        if not words:
            return False
        found = self.browser.find(words)
        if not found:  # wrap around to the top once
            self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
            found = self.browser.find(words, QTextDocument.FindFlag(0))
        self.status.setText("" if found else "未找到")
        return found


def show_guide(parent: QWidget | None) -> GuideWindow:
    """Open (or raise) the guide window; it stays open beside the desk."""
    window = getattr(parent, "_guide_window", None)
    if window is None:
        window = GuideWindow(parent)
        if parent is not None:
            parent._guide_window = window
    window.show()
    window.raise_()
    window.activateWindow()
    return window
