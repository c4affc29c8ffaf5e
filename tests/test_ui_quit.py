"""Quitting the desk after an edit, by the menu and by Ctrl+Q: no error dialog, exit status 0 (a real process)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]

# Runs inside the child: opens the desk as `python main.py --db LIB` does, edits a cell once the library is
# open, then quits by the File menu's 退出 or by Ctrl+Q. Any message box shown is written to DIALOGS and closed.
DRIVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox
    from desktop.ui import launch as launch_mod
    from desktop.ui.app import make_app

    lib, how, dialogs = sys.argv[1], sys.argv[2], Path(sys.argv[3])

    def watch():
        modal = QApplication.activeModalWidget()
        for w in QApplication.topLevelWidgets():
            if (isinstance(w, QMessageBox) or w is modal) and w.isVisible():
                with dialogs.open("a", encoding="utf-8") as fh:
                    fh.write(w.windowTitle() + " | " + w.text() + "\\n")
                w.done(0)

    def window():
        from desktop.ui.main_window import MainWindow
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def edit_then_quit():
        w = window()
        if w.desk.repo is None or w.report_id is None:
            QTimer.singleShot(50, edit_then_quit)
            return
        w.desk.settings.reviewer = "张审阅"  # else the first edit asks for a name
        model = w.work_model
        model.set_filters(kind="plan_task")
        col = model.column_of("status")
        assert model.setData(model.index(0, col), "推进中")
        assert w.desk.undo_stack.count() == 1
        if how == "menu":
            file_menu = w.menuBar().actions()[0].menu()
            next(a for a in file_menu.actions() if a.text() == "退出").trigger()
        else:
            w.activateWindow()
            QTest.qWaitForWindowActive(w, 5000)
            QTest.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    app = make_app()
    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(20)
    QTimer.singleShot(100, edit_then_quit)
    QTimer.singleShot(30000, lambda: app.exit(7))  # a window that never closes fails the test, not the run
    code = launch_mod.launch(db=lib)
    app.processEvents()
    sys.exit(code)
""")


@pytest.mark.parametrize("how", ["menu", "ctrl+q"])
def test_quit_after_an_edit_shows_no_dialog_and_exits_0(tmp_path, sample_path, how):
    from desktop.store.db import open_library

    lib = tmp_path / "lib.db"
    with open_library(lib, seed_sample=False) as repo:
        repo.reports.import_file(sample_path)
    dialogs = tmp_path / "dialogs.txt"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               FAZHI_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", DRIVER, str(lib), how, str(dialogs)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    shown = dialogs.read_text(encoding="utf-8") if dialogs.exists() else ""
    assert shown == "", shown
    assert done.returncode == 0, done.stderr[-2000:]
    with open_library(lib, seed_sample=False, backups=False) as repo:  # the edit was saved
        items = repo.items.work_items(repo.reports.list_reports()[0].id)
    assert "推进中" in [i.status for i in items]
