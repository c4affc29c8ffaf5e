"""Desk file actions off the GUI thread (import, ledger export/import, cancel), settings, error log, screenshot."""
from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from PySide6.QtCore import QSettings

from desktop.store.db import open_library
from desktop.ui.app import make_app, make_window
from desktop.ui.settings import DeskSettings
from desktop.ui.workers import run_job
from tests.libraries import sample_library

ROOT = Path(__file__).resolve().parents[1]


def wait_for(predicate, timeout=30.0):
    """Process events until `predicate()`; sleeps between rounds so the worker thread gets the GIL
    (QTest.qWait, used by qtbot.waitUntil, keeps it)."""
    import time

    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the worker")
        QApplication.processEvents()
        time.sleep(0.01)


@pytest.fixture
def lib_path(tmp_path):
    return tmp_path / "lib.db"


@pytest.fixture
def settings(tmp_path):
    s = DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    s.reviewer = "测试"
    return s


@pytest.fixture
def window(qtbot, lib_path, settings):
    make_app()
    repo = sample_library(lib_path)
    w = make_window(repo, settings=settings)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.desk.undo_stack.clear()
    w.desk.repo.close()


def test_import_reports_in_a_worker(window, qtbot, tmp_path, sample_path):
    other = tmp_path / "另一份报告.txt"
    text = sample_path.read_text(encoding="utf-8").replace("杭州市司法局", "宁波市司法局")
    other.write_text(text, encoding="utf-8")
    bad = tmp_path / "空文件.txt"
    bad.write_bytes(b"")
    done = []
    errors = []
    import desktop.ui.files as files

    original = files.show_error
    files.show_error = lambda parent, message, title="": errors.append(message)
    try:
        window.files.import_reports([str(other), str(bad)], on_finished=done.append)
        wait_for(lambda: done)
    finally:
        files.show_error = original
    results, failures = done[0]
    assert len(results) == 1 and len(failures) == 1 and "空文件.txt" in failures[0]
    assert errors and "空文件.txt" in errors[0]
    assert len(window.tree_model.report_nodes()) == 2
    assert "宁波市司法局" in window.report.title


def test_job_cancel_stops_and_reports(qtbot, qapp):
    started, finished = threading.Event(), []

    def job(progress):
        started.set()
        for i in range(10_000):
            progress(i, 10_000, "运行中")
            threading.Event().wait(0.001)
        return "done"

    cancelled = []
    j = run_job(None, "测试", job, on_done=finished.append, on_cancel=lambda: cancelled.append(True), delay_ms=0)
    assert started.wait(5)
    j.progress.cancel()
    wait_for(lambda: cancelled)
    assert finished == []


def test_job_failure_reaches_the_gui_thread(qtbot, qapp):
    failures = []

    def job(progress):
        raise ValueError("坏文件")

    run_job(None, "测试", job, on_error=lambda exc, text: failures.append((exc, text)))
    wait_for(lambda: failures)
    assert str(failures[0][0]) == "坏文件" and "ValueError" in failures[0][1]


def test_export_ledger_then_import_it_back(window, qtbot, tmp_path):
    import openpyxl
    path = tmp_path / "台账.xlsx"
    done = []
    window.files.export_ledger(str(path), report_ids=[window.report_id], on_finished=done.append)
    wait_for(lambda: done)
    assert path.exists() and done[0].tasks == 11
    wb = openpyxl.load_workbook(path)
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    task = window.desk.repo.items.work_items(window.report_id, kind="plan_task")[0]
    assert any(task.text[:20] in c for c in cells)

    seen = []
    window.ledger.read_back([str(path)], "2024年第一季度", confirm=lambda plan: seen.append(plan) or {})
    wait_for(lambda: seen)
    assert seen[0].all_changes == []  # unchanged ledger: nothing to apply


def test_settings_remember_layout_and_last_report(qtbot, lib_path, settings, tmp_path):
    make_app()
    repo = sample_library(lib_path)
    w = make_window(repo, settings=settings)
    qtbot.addWidget(w)
    w.resize(780, 560)  # within the offscreen screen, so restoreGeometry keeps the size
    w.show()
    w.main_split.setSizes([150, 400, 200])
    w.work_table.view.horizontalHeader().resizeSection(3, 444)
    rid = w.report_id
    w.close()
    sizes = w.main_split.sizes()
    w2 = make_window(repo, settings=DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w2)
    w2.show()
    assert w2.size() == w.size()
    assert w2.main_split.sizes() == sizes
    assert w2.work_table.view.horizontalHeader().sectionSize(3) == 444
    assert w2.report_id == rid
    assert str(lib_path) in w2.desk.settings.recent_libraries()
    w2.close()
    repo.close()


def test_unhandled_exception_is_logged_and_shown(qapp, tmp_path, monkeypatch):
    from desktop.ui import errors

    log = tmp_path / "desk.log"
    monkeypatch.setattr(errors, "log_path", lambda: log)
    errors.setup_logging(log)
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, message, title="", details=None: shown.append(details))
    try:
        raise RuntimeError("意外")
    except RuntimeError:
        errors.handle_exception(*sys.exc_info())
    for h in logging.getLogger("desktop.ui").handlers:
        h.flush()
    assert "RuntimeError: 意外" in log.read_text(encoding="utf-8")
    assert shown and "RuntimeError" in shown[0]


def test_screenshot_option_renders_the_window(tmp_path):
    png = tmp_path / "shot.png"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "main.py", "--screenshot", str(png), "--db", str(tmp_path / "s.db")],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_screenshot_under_xvfb_with_a_real_window(tmp_path):
    png = tmp_path / "shot.png"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, "main.py",
                          "--screenshot", str(png), "--db", str(tmp_path / "s.db")],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert png.stat().st_size > 20_000


def test_reimporting_an_unchanged_file_says_unchanged_like_the_cli(window, sample_path):
    """The sample is already in the library: the desk says 未变化 1 份, not 导入完成：成功 1 份."""
    done = []
    window.files.import_reports([str(sample_path)], on_finished=done.append)
    wait_for(lambda: done)
    message = window.statusBar().currentMessage()
    assert "未变化 1 份" in message and "成功" not in message and "新导入" not in message
