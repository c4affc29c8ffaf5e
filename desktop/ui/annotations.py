"""批注: the dialog to add or edit one (comment, tags, rubric score, status) and the panel listing a section's."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListView,
    QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from desktop.kernel.labels import ANNOTATION_STATUSES, TARGET_LABELS

ALL_STATUSES = "全部状态"


class AnnotationDialog(QDialog):
    """添加批注 / 编辑批注. `values()` gives body, tags, score, status."""

    def __init__(self, parent=None, *, quote: str = "", target: str = "", tags=(), annotation=None):
        super().__init__(parent)
        self.setWindowTitle("编辑批注" if annotation else "添加批注")
        self.setMinimumWidth(520)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        shown = quote if len(quote) <= 160 else quote[:157] + "……"
        self.quote_label = QLabel(f"“{shown}”" if shown else "（无引文）")
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote_label.setStyleSheet("QLabel { background: #fff6d5; padding: 6px; border-radius: 3px; }")
        self.quote_label.setMinimumWidth(400)
        self.quote_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        form.addRow(f"批注对象（{target}）：" if target else "批注对象：", self.quote_label)
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText("写下审阅意见……")
        self.body.setMinimumHeight(110)
        form.addRow("批注内容：", self.body)

        chosen = set(annotation.tags) if annotation else set()
        self.tag_list = QListWidget()
        self.tag_list.setFlow(QListView.Flow.LeftToRight)
        self.tag_list.setWrapping(True)
        self.tag_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.tag_list.setSpacing(3)
        self.tag_list.setMaximumHeight(self.fontMetrics().height() * 4 + 16)
        for name in list(tags) + [t for t in sorted(chosen) if t not in tags]:
            self._add_tag_item(name, name in chosen)
        self.new_tag = QLineEdit()
        self.new_tag.setPlaceholderText("输入新标签，回车添加（多个用逗号分隔）")
        self.new_tag.returnPressed.connect(self._add_typed_tags)
        tag_box = QVBoxLayout()
        tag_box.addWidget(self.tag_list)
        tag_box.addWidget(self.new_tag)
        form.addRow("标签：", tag_box)

        from desktop.review.service import annotation_scale, valid_values  # not on the start-up path

        scale = annotation_scale()  # the rubric's points scale, as the command line checks it
        step = scale.step or 0.5
        old = annotation.score if annotation and annotation.score is not None else None
        self.no_score = min(scale.min, old if old is not None else scale.min) - step  # shown as 未评分
        self.score = QDoubleSpinBox()
        self.score.setRange(self.no_score, max(scale.max, old if old is not None else scale.max))
        self.score.setDecimals(1)
        self.score.setSingleStep(step)
        self.score.setSpecialValueText("未评分")
        self.score.setMinimumWidth(110)
        self.score.setToolTip(f"评分（{scale.name}）：{valid_values(scale)}")
        self.score.setValue(self.no_score if old is None else old)
        self.status = QComboBox()
        self.status.addItems(ANNOTATION_STATUSES)
        if annotation:
            self.status.setCurrentText(annotation.status)
        row = QHBoxLayout()
        row.addWidget(self.score)
        row.addSpacing(16)
        row.addWidget(QLabel("状态："))
        row.addWidget(self.status)
        row.addStretch(1)
        form.addRow("评分：", row)
        if annotation:
            self.body.setPlainText(annotation.body)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.body.setFocus()

    def _add_tag_item(self, name: str, checked: bool) -> None:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.tag_list.addItem(item)

    def _add_typed_tags(self) -> None:
        existing = {self.tag_list.item(i).text(): self.tag_list.item(i) for i in range(self.tag_list.count())}
        for name in self.new_tag.text().replace("，", ",").split(","):
            name = name.strip()
            if not name:
                continue
            if name in existing:
                existing[name].setCheckState(Qt.CheckState.Checked)
            else:
                self._add_tag_item(name, True)
        self.new_tag.clear()

    def _accept(self) -> None:
        if self.new_tag.text().strip():
            self._add_typed_tags()
        if not self.body.toPlainText().strip():
            QMessageBox.information(self, "添加批注", "请填写批注内容。")
            return
        self.accept()

    def values(self) -> dict:
        tags = [self.tag_list.item(i).text() for i in range(self.tag_list.count())
                if self.tag_list.item(i).checkState() == Qt.CheckState.Checked]
        score = self.score.value()
        return {"body": self.body.toPlainText().strip(), "tags": tuple(tags),
                "score": None if score <= self.no_score else score, "status": self.status.currentText()}


class AnnotationPanel(QWidget):
    """Annotations of the current section (or the whole report) with 编辑 and 删除."""

    activated = Signal(object)  # AnnotationRecord
    editRequested = Signal(object)
    deleteRequested = Signal(object)
    addRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel("批注")
        self.title.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.add_button = QPushButton("添加批注")
        self.edit_button = QPushButton("编辑")
        self.delete_button = QPushButton("删除")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        self.status_filter = QComboBox()  # 需整改 / 已销号 … : the 整改 items at a glance
        self.status_filter.addItems([ALL_STATUSES, *ANNOTATION_STATUSES])
        self.status_filter.setToolTip("按批注状态筛选")
        self.status_filter.currentTextChanged.connect(lambda _: self._show())
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.addRequested)
        self.edit_button.clicked.connect(lambda: self._emit(self.editRequested))
        self.delete_button.clicked.connect(lambda: self._emit(self.deleteRequested))
        self.list.itemDoubleClicked.connect(lambda item: self.editRequested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.list.currentItemChanged.connect(self._on_current)
        self._records: list = []
        self._all: list = []
        self._notes: dict[int, str] = {}
        self._title = "批注"
        self._update_buttons()

    def set_annotations(self, records, title: str, notes: dict[int, str] | None = None) -> None:
        """`notes`: an extra line per annotation id (e.g. its 整改 state)."""
        self._all, self._title, self._notes = list(records), title, dict(notes or {})
        self._show()

    def _show(self) -> None:
        wanted = self.status_filter.currentText()
        self._records = [r for r in self._all if wanted == ALL_STATUSES or r.status == wanted]
        shown = f"{len(self._records)} 条批注" if wanted == ALL_STATUSES else f"{wanted} {len(self._records)} 条"
        self.title.setText(f"{self._title}（{shown}）")
        self.list.blockSignals(True)
        self.list.clear()
        for rec in self._records:
            meta = [rec.status]
            if rec.tags:
                meta.append("、".join(rec.tags))
            if rec.score is not None:
                meta.append(f"{rec.score:g} 分")
            if rec.reviewer:
                meta.append(rec.reviewer)
            quote = (rec.quote or "").replace("\n", " ")
            quote = quote if len(quote) <= 40 else quote[:38] + "……"
            where = TARGET_LABELS.get(rec.target_kind, "")
            text = f"{rec.body}\n〔{where}〕" + (f"“{quote}”" if quote else "") + "\n" + " · ".join(meta)
            if rec.anchor == "orphaned":
                text += "\n（原文已变动，未能重新定位）"
            if rec.id in self._notes:
                text += f"\n{self._notes[rec.id]}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, rec)
            item.setToolTip(rec.body)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._update_buttons()

    def records(self) -> list:
        return list(self._records)

    def select(self, annotation_id: int) -> None:
        if all(r.id != annotation_id for r in self._records) and any(r.id == annotation_id for r in self._all):
            self.status_filter.setCurrentText(ALL_STATUSES)  # shown again when the filter hid it
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole).id == annotation_id:
                self.list.setCurrentRow(i)
                return

    def current(self):
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _emit(self, signal) -> None:
        rec = self.current()
        if rec is not None:
            signal.emit(rec)

    def _on_current(self, current, previous) -> None:
        self._update_buttons()
        if current is not None:
            self.activated.emit(current.data(Qt.ItemDataRole.UserRole))

    def _update_buttons(self) -> None:
        has = self.list.currentItem() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
