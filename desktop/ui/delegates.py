"""Cell editors fitting each column: a status list, a date picker, a number box, a multi-line text box."""
from __future__ import annotations

import re

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDoubleSpinBox, QLineEdit, QPlainTextEdit, QStyledItemDelegate,
)

from desktop.ui.table_models import CHOICES_ROLE, EDITOR_ROLE

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class FieldDelegate(QStyledItemDelegate):
    """Chooses the editor from the model's EDITOR_ROLE of the cell."""

    def createEditor(self, parent, option, index):
        kind = index.data(EDITOR_ROLE)
        value = index.data(Qt.ItemDataRole.EditRole)
        if kind == "choice":
            box = QComboBox(parent)
            box.addItem("（空）", None)
            for stored, label in index.data(CHOICES_ROLE) or ():
                box.addItem(label, stored)
            return box
        if kind == "number":
            box = QDoubleSpinBox(parent)
            box.setRange(-1e12, 1e12)
            box.setDecimals(4)
            box.setGroupSeparatorShown(False)
            return box
        if kind == "date" and (value in (None, "") or _ISO.match(str(value))):
            edit = QDateEdit(parent)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            return edit
        if kind == "longtext":
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            return edit
        return QLineEdit(parent)

    def setEditorData(self, editor, index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            pos = editor.findData(value if value != "" else None)
            editor.setCurrentIndex(max(pos, 0))
        elif isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(value) if value not in (None, "") else 0.0)
        elif isinstance(editor, QDateEdit):
            m = _ISO.match(str(value or ""))
            editor.setDate(QDate(int(m[1]), int(m[2]), int(m[3])) if m else QDate.currentDate())
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText("" if value is None else str(value))
        else:
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor, model, index) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QDoubleSpinBox):
            value = editor.value()
        elif isinstance(editor, QDateEdit):
            value = editor.date().toString("yyyy-MM-dd")
        elif isinstance(editor, QPlainTextEdit):
            value = editor.toPlainText()
        else:
            value = editor.text()
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index) -> None:
        rect = option.rect
        if isinstance(editor, QPlainTextEdit):
            rect = rect.adjusted(0, 0, 0, max(0, 90 - rect.height()))
        editor.setGeometry(rect)
