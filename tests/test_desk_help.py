"""帮助 → 使用说明 (F1) opens the user guide; 帮助 → 关于 names the version and the library in use (issue 20)."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import __version__
from desktop.ui.app import make_app, make_window


def _window(qtbot, repo):
    make_app()
    window = make_window(repo, ephemeral_settings=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_f1_opens_the_user_guide(qtbot, repo):
    window = _window(qtbot, repo)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("帮助"))
    assert [a.text() for a in help_menu.actions() if not a.isSeparator()] == ["使用说明", "关于"]
    assert window.actions_["guide"].shortcut().toString() == "F1"
    assert window.actions_["guide"] in window.actions()  # a window-wide shortcut, whatever has focus
    window.actions_["guide"].trigger()  # (offscreen, the window never becomes active for a key press)
    guide = window._guide_window
    assert guide.isVisible() and guide.windowTitle() == "使用说明"
    text = guide.browser.toPlainText()
    assert "法治政府建设年度报告审阅台 · 使用说明" in text and "export ledger" in text and "上年安排对照" in text
    guide.find_box.setText("整改清单")
    assert guide.find_next() and guide.browser.textCursor().selectedText() == "整改清单"
    guide.find_box.setText("没有这几个字")
    assert not guide.find_next() and guide.status.text() == "未找到"
    window.actions_["guide"].trigger()
    assert window._guide_window is guide  # one window, raised again


def test_about_names_the_version_and_the_library(qtbot, repo):
    window = _window(qtbot, repo)
    seen = {}

    def read_box():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, read_box)
            return
        seen["text"] = box.text() + "\n" + box.informativeText()
        seen["buttons"] = [b.text() for b in box.buttons()]
        box.accept()

    QTimer.singleShot(50, read_box)
    window.actions_["about"].trigger()
    assert f"版本 {__version__}" in seen["text"] and f"审阅库：{repo.path}" in seen["text"]
    assert "程序位置：" in seen["text"] and "日志和自动备份：" in seen["text"]
    assert seen["buttons"] == ["确定"]
