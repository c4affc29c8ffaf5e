"""审阅意见书 preview: the reviewer includes or leaves out each opinion, reorders, rewords, and sees the letter."""
from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from desktop.letters.draft import SECTION_TITLES, SECTIONS, LetterDraft, chinese_date, letter_blocks

KEY_ROLE = Qt.ItemDataRole.UserRole
OPENING, CLOSING = "__opening__", "__closing__"
_STYLE = {"h1": "font-family:'黑体','SimHei',sans-serif;", "h2": "font-family:'楷体_GB2312','KaiTi',serif;"}


class LetterPreviewDialog(QDialog):
    """Edits a copy of `draft`; `draft_result()` returns it after 导出. `template` is an office's .docx or None."""

    def __init__(self, draft: LetterDraft, parent=None, template: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"审阅意见书：{draft.report_title}")
        self.resize(1280, 820)
        self.draft = draft.copy()
        self.template = template
        self._current: str | None = None
        self._building = False
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_head())
        layout.addWidget(self._build_panes(), 1)
        layout.addLayout(self._build_buttons())
        self._set_template(template)
        self._fill_tree()
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemChanged.connect(self._on_checked)
        self.editor.textChanged.connect(self._on_edited)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        for field in (self.unit, self.office, self.doc_no):
            field.textChanged.connect(self.refresh_preview)
        self.date.dateChanged.connect(lambda _: self.refresh_preview())
        self._on_current(None, None)
        self.refresh_preview()

    def _build_head(self) -> QFormLayout:
        """收文单位, 署名单位, 文号 and 成文日期."""
        self.unit = QLineEdit(self.draft.unit)
        self.unit.setPlaceholderText("报告单位不详：请填写收文单位（否则意见书不写抬头）")
        if self.draft.warnings:
            self.unit.setToolTip("\n".join(self.draft.warnings))
            self.unit.setStyleSheet("QLineEdit { background: #fff4e5; }")
        self.office = QLineEdit(self.draft.office)
        self.office.setPlaceholderText("例如 某市法治政府建设办公室（保存为审阅库设置）")
        self.doc_no = QLineEdit(self.draft.doc_no)
        self.doc_no.setPlaceholderText("例如 某法办函〔2026〕12号（可不填）")
        self.date = QDateEdit(QDate(self.draft.date.year, self.draft.date.month, self.draft.date.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        head = QFormLayout()
        head.addRow("收文单位：", self.unit)
        head.addRow("署名单位：", self.office)
        row = QHBoxLayout()
        row.addWidget(self.doc_no, 1)
        row.addWidget(QLabel("成文日期："))
        row.addWidget(self.date)
        head.addRow("文号：", row)
        return head

    def _build_panes(self) -> QSplitter:
        """The opinions (check, move) | the wording of the one selected | the letter as it will print."""
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["意见（勾选的写入意见书）", "来源"])
        self.tree.setColumnWidth(0, 360)
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addStretch(1)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.tree, 1)
        left_box.addLayout(moves)

        self.quote = QLabel()
        self.quote.setWordWrap(True)
        self.quote.setStyleSheet("QLabel { background: #fff6d5; padding: 6px; border-radius: 3px; }")
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("选择左侧一条意见，在此修改措辞")
        middle = QWidget()
        mid_box = QVBoxLayout(middle)
        mid_box.setContentsMargins(0, 0, 0, 0)
        mid_box.addWidget(QLabel("措辞："))
        mid_box.addWidget(self.quote)
        mid_box.addWidget(self.editor, 1)

        self.preview = QTextBrowser()
        split = QSplitter(Qt.Orientation.Horizontal)
        for w in (left, middle, self.preview):
            split.addWidget(w)
        split.setSizes([430, 360, 490])
        split.setChildrenCollapsible(False)
        return split

    def _build_buttons(self) -> QHBoxLayout:
        self.template_label = QLabel()
        choose = QPushButton("选择模板…")
        choose.clicked.connect(self._choose_template)
        reset = QPushButton("默认模板")
        reset.clicked.connect(lambda: self._set_template(None))
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("导出 Word…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.template_label, 1)
        bottom.addWidget(choose)
        bottom.addWidget(reset)
        bottom.addWidget(buttons)
        return bottom

    # ------------------------------------------------------------------ tree
    def _fill_tree(self, select: str | None = None) -> None:
        self._building = True
        self.tree.clear()
        self._nodes: dict[str, QTreeWidgetItem] = {}
        self._add_node(self.tree, OPENING, "开头", "开头段落", None)
        for section in SECTIONS:
            parent = QTreeWidgetItem(self.tree, [SECTION_TITLES[section], ""])
            parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for item in self.draft.section_items(section, included=False):
                self._add_node(parent, item.key, item.text, item.source, item.include)
            parent.setExpanded(True)
        self._add_node(self.tree, CLOSING, "结尾", "结尾段落", None)
        self._building = False
        if select in self._nodes:
            self.tree.setCurrentItem(self._nodes[select])

    def _add_node(self, parent, key, text, source, include) -> None:
        node = QTreeWidgetItem(parent, [" ".join(text.split())[:80], source])
        node.setData(0, KEY_ROLE, key)
        node.setToolTip(0, text)
        if include is not None:
            node.setFlags(node.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            node.setCheckState(0, Qt.CheckState.Checked if include else Qt.CheckState.Unchecked)
        self._nodes[key] = node

    def node(self, key: str) -> QTreeWidgetItem:
        return self._nodes[key]

    def _on_current(self, current, previous) -> None:
        key = current.data(0, KEY_ROLE) if current is not None else None
        self._current = key
        self.editor.blockSignals(True)
        if key == OPENING:
            self.editor.setPlainText(self.draft.opening)
            self.quote.hide()
        elif key == CLOSING:
            self.editor.setPlainText(self.draft.closing)
            self.quote.hide()
        elif key:
            item = self.draft.item(key)
            self.editor.setPlainText(item.text)
            shown = "，".join(x for x in (item.where, f"“{item.quote}”" if item.quote else "") if x)
            self.quote.setText(shown)
            self.quote.setVisible(bool(shown))
        else:
            self.editor.clear()
            self.quote.hide()
        self.editor.setEnabled(key is not None)
        self.editor.blockSignals(False)
        movable = key not in (None, OPENING, CLOSING)
        self.up_button.setEnabled(movable)
        self.down_button.setEnabled(movable)

    def _on_checked(self, node, column) -> None:
        key = node.data(0, KEY_ROLE)
        if self._building or key in (None, OPENING, CLOSING):
            return
        self.draft.item(key).include = node.checkState(0) == Qt.CheckState.Checked
        self.refresh_preview()

    def _on_edited(self) -> None:
        key, text = self._current, self.editor.toPlainText()
        if key == OPENING:
            self.draft.opening = text
        elif key == CLOSING:
            self.draft.closing = text
        elif key:
            self.draft.item(key).text = text
            self._building = True
            self._nodes[key].setText(0, " ".join(text.split())[:80])
            self._building = False
        self.refresh_preview()

    def move_current(self, delta: int) -> bool:
        key = self._current
        if key in (None, OPENING, CLOSING) or not self.draft.move(key, delta):
            return False
        self._fill_tree(select=key)
        self.refresh_preview()
        return True

    # ------------------------------------------------------------------ letter
    def _sync_head(self) -> None:
        self.draft.unit = self.unit.text().strip()
        self.draft.office = self.office.text().strip()
        self.draft.doc_no = self.doc_no.text().strip()
        d = self.date.date()
        self.draft.date = dt.date(d.year(), d.month(), d.day())

    def refresh_preview(self) -> None:
        self._sync_head()
        d = self.draft
        body = ["<div style=\"font-family:'仿宋_GB2312','FangSong',serif; font-size:12pt; line-height:160%\">"]
        if d.office:
            body.append(f"<p align=center style='color:#e60012; font-size:20pt'>{html.escape(d.office)}</p>")
            if d.doc_no:
                body.append(f"<p align=right>{html.escape(d.doc_no)}</p>")
            body.append("<hr style='color:#e60012'>")
        body.append(f"<p align=center style='font-size:16pt'>{html.escape(d.title)}</p>")
        body.append(f"<p>{html.escape(d.unit)}：</p>")
        for kind, text in letter_blocks(d):
            body.append(f"<p style='text-indent:24px; {_STYLE.get(kind, '')}'>{html.escape(text)}</p>")
        body.append(f"<p align=right><br>{html.escape(d.office)}<br>{chinese_date(d.date)}</p></div>")
        bar = self.preview.verticalScrollBar().value()
        self.preview.setHtml("".join(body))
        self.preview.verticalScrollBar().setValue(bar)

    def _set_template(self, path: str | None) -> None:
        self.template = path
        self.template_label.setText(f"模板：{path}" if path else "模板：默认（公文格式）")

    def _choose_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择意见书模板", "", "Word 模板 (*.docx)")
        if path:
            self._set_template(path)

    def draft_result(self) -> LetterDraft:
        self._sync_head()
        return self.draft
