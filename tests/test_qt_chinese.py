"""Qt's own dialogs speak Chinese in the desk: the file dialog, message-box buttons, text fields' menus (issue 20)."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication, QComboBox, QFileDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QToolButton, QTreeView,
)

from desktop.ui.app import make_app, make_window

ENGLISH = re.compile(r"[A-Za-z]{2,}")


def _english(texts) -> list[str]:
    # file patterns such as (*.txt *.docx) are names, not words
    return [t for t in texts if ENGLISH.search(re.sub(r"\(\*[^)]*\)|\*\.\w+", "", t))]


@pytest.fixture
def window(qtbot, repo):
    make_app()
    win = make_window(repo, ephemeral_settings=True)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _dialog_texts(dialog: QFileDialog) -> list[str]:
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible() and w.text()]
    texts += [w.text() for w in dialog.findChildren(QPushButton) if w.isVisible()]
    texts += [w.toolTip() for w in dialog.findChildren(QToolButton) if w.isVisible()]
    types = dialog.findChild(QComboBox, "fileTypeCombo")  # the other combo lists folders: names, not words
    texts += [types.itemText(i) for i in range(types.count())]
    tree = dialog.findChild(QTreeView, "treeView")
    model = tree.model()
    texts += [model.headerData(c, tree.header().orientation()) for c in range(model.columnCount())]
    return texts


def test_the_desks_file_dialog_is_chinese(window, qtbot, tmp_path):
    (tmp_path / "一个文件夹").mkdir()
    (tmp_path / "报告.txt").write_text("x", encoding="utf-8")
    seen: dict = {}

    def inspect():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, inspect)
            return
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog) or dialog.findChild(QTreeView)
        dialog.setDirectory(str(tmp_path))
        qtbot.wait(300)  # the file system model fills in a thread
        seen["texts"] = _dialog_texts(dialog)
        view = dialog.findChild(QTreeView, "treeView")
        model = view.model()
        root = view.rootIndex()
        seen["types"] = [model.index(r, 2, root).data() for r in range(model.rowCount(root))]
        seen["shot"] = dialog.grab()
        dialog.reject()

    QTimer.singleShot(50, inspect)
    window.actions_["import"].trigger()  # 文件 → 导入报告…, as a reviewer opens it
    texts = seen["texts"]
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts and "文件名称(&N)：" in texts, texts
    assert "取消" in texts and any(t.startswith("打开") for t in texts)
    assert _english(texts) == [], texts
    assert "文件夹" in seen["types"] and not _english(seen["types"]), seen["types"]
    assert not seen["shot"].isNull()


@pytest.mark.parametrize("button, chinese", [
    (QMessageBox.StandardButton.Ok, "确定"), (QMessageBox.StandardButton.Cancel, "取消"),
    (QMessageBox.StandardButton.Yes, "是"), (QMessageBox.StandardButton.No, "否"),
    (QMessageBox.StandardButton.Save, "保存"), (QMessageBox.StandardButton.Discard, "丢弃"),
])
def test_message_box_buttons_are_chinese(qtbot, button, chinese):
    make_app()
    box = QMessageBox(QMessageBox.Icon.Question, "标题", "内容", button)
    qtbot.addWidget(box)
    assert box.button(button).text().replace("&", "").startswith(chinese)


def test_text_field_context_menu_is_chinese(qtbot):
    make_app()
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]  # shortcut after a tab
    assert "复制(&C)" in texts and "粘贴(&P)" in texts and "全选" in texts
    assert _english(texts) == []


def test_the_supplement_keeps_qtbase_and_the_source_text():
    """Both translators are installed; what the supplement lacks comes from qtbase_zh_CN; what neither has stays."""
    app = make_app()
    assert len(app._desk_translators) == 2
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QApplication.translate("QFileDialog", "&Look in:") == "查找范围(&L)："
    assert QApplication.translate("NoSuchContext", "Untranslated %1") == "Untranslated %1"


def test_the_committed_supplement_is_compiled_from_its_source(tmp_path):
    """resources/qt-supplement_zh_CN.qm is what pyside6-lrelease makes of the .ts beside it."""
    import shutil
    import subprocess

    from desktop.kernel.paths import resource

    source = resource("qt-supplement_zh_CN.ts")
    lrelease = shutil.which("pyside6-lrelease")
    assert source is not None and lrelease, "pyside6-lrelease comes with PySide6"
    fresh = tmp_path / "fresh.qm"
    subprocess.run([lrelease, "-silent", str(source), "-qm", str(fresh)], check=True, timeout=60)
    assert fresh.read_bytes() == resource("qt-supplement_zh_CN.qm").read_bytes()
