"""The desk imports a scanned report: OCR runs in the import worker (the window keeps answering), the progress
dialog names the page being read, and its 取消 stops the recognition without storing anything."""
from __future__ import annotations

import time
from functools import partial

import pytest

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from desktop.report import ocr
from desktop.store.db import open_library
from desktop.ui.app import make_app, make_window
from desktop.ui.settings import DeskSettings
from test_ui_files import wait_for as _wait_for
from tests.scans import OWN_REPORT, PDFTOPPM, SOFFICE, scan, to_pdf, write_docx

pytestmark = pytest.mark.skipif(SOFFICE is None or PDFTOPPM is None or not ocr.available(),
                                reason="needs LibreOffice, poppler and the OCR extra")
wait_for = partial(_wait_for, timeout=300.0)  # recognising pages takes far longer than the other desk jobs


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    work = tmp_path_factory.mktemp("desk-scan")
    write_docx(work / "own.docx", OWN_REPORT, page_numbers=True)
    (pdf,) = to_pdf([work / "own.docx"], work)
    return scan(pdf, work, dpi=200, seal="青禾县司法局")


@pytest.fixture
def window(qtbot, tmp_path):
    make_app()
    settings = DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    settings.reviewer = "测试"
    repo = open_library(tmp_path / "lib.db")
    w = make_window(repo, settings=settings)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.desk.undo_stack.clear()
    w.desk.repo.close()


def _dialog_saying(window, words: str):
    return next((d for d in window.findChildren(QProgressDialog) if words in d.labelText()), None)


def test_scanned_report_is_read_in_the_worker_while_the_window_answers(window, scanned):
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    done, labels = [], set()
    window.files.import_reports([str(scanned)], on_finished=done.append)
    wait_for(lambda: (labels.update(d.labelText() for d in window.findChildren(QProgressDialog)) or done))
    timer.stop()
    results, failures = done[0]
    assert not failures and len(results) == 1
    assert any(m.startswith(ocr.OCR_MARK) for m in results[0].messages)
    assert any("正在识别第" in label for label in labels)
    assert "青禾县司法局2024年法治政府建设年度报告" in window.report.title
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > 20 and max(gaps) < 2.0  # the GUI thread kept running its timer during the OCR


def test_cancel_in_the_progress_dialog_stops_the_recognition(window, scanned):
    before = window.desk.repo.reports.report_count()
    window.files.import_reports([str(scanned)])
    wait_for(lambda: _dialog_saying(window, "正在识别") is not None)
    _dialog_saying(window, "正在识别").findChild(QPushButton).click()  # the dialog's 取消 button
    wait_for(lambda: "导入已取消" in window.statusBar().currentMessage())
    assert window.desk.repo.reports.report_count() == before
