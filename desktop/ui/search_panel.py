"""搜索 (Ctrl+F): report text and annotations, one- and two-character Chinese terms included; a result list."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

LIMIT = 500


class SearchPanel(QWidget):
    hitActivated = Signal(object)  # SearchHit

    def __init__(self, desk, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("搜索报告正文和批注（可搜单字、双字）")
        self.edit.setClearButtonEnabled(True)
        self.button = QPushButton("搜索")
        self.summary = QLabel("")
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.edit.returnPressed.connect(self.run)
        self.button.clicked.connect(self.run)
        self.results.currentItemChanged.connect(self._activate)
        self.results.itemActivated.connect(lambda item: self._activate(item, None))
        self.hits: list = []

    def focus(self) -> None:
        self.edit.setFocus()
        self.edit.selectAll()

    def run(self, text: str | None = None) -> list:
        term = (self.edit.text() if text is None or not isinstance(text, str) else text).strip()
        if isinstance(text, str):
            self.edit.setText(text)
        self.results.clear()
        self.hits = self.desk.repo.annotations.search(term, LIMIT) if term else []
        texts = sum(1 for h in self.hits if h.kind == "text")
        notes = len(self.hits) - texts
        if not term:
            self.summary.setText("")
        elif not self.hits:
            self.summary.setText(f"没有找到“{term}”")
        else:
            more = "（只显示前 500 条）" if len(self.hits) >= LIMIT else ""
            self.summary.setText(f"“{term}”：正文 {texts} 处，批注 {notes} 条{more}")
        for hit in self.hits:
            where = "正文" if hit.kind == "text" else "批注"
            title = hit.report_title or ""
            item = QListWidgetItem(f"〔{where}〕{hit.snippet}\n{title}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            item.setToolTip(hit.snippet)
            self.results.addItem(item)
        return self.hits

    def _activate(self, current, previous=None) -> None:
        if current is not None:
            self.hitActivated.emit(current.data(Qt.ItemDataRole.UserRole))
