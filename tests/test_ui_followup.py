"""The desk's 上年安排对照 window offscreen: plans beside the later text with evidence highlighted, undoable verdicts."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402

from conftest import ROOT  # noqa: E402
from desktop.store.db import open_library  # noqa: E402
from desktop.ui.launch import make_app, make_window  # noqa: E402
from desktop.ui.settings import DeskSettings  # noqa: E402

LATER = ROOT / "tests" / "followup_pairs" / "hz-sfj-2024.txt"


# the desk as test_ui_desk opens it, over a library that also holds the seed's 2024 successor (#2)
from test_ui_desk import lib_path, settings, window  # noqa: E402,F401
from tests.libraries import sample_library  # noqa: E402


@pytest.fixture
def repo(lib_path):
    r = sample_library(lib_path)
    r.import_file(LATER)
    yield r
    r.close()


def _open(window, qtbot):
    from desktop.ui.followup_view import open_followup

    window.actions_["followup"].trigger()
    dialog = window.followup_dialog
    qtbot.waitExposed(dialog)
    assert dialog is open_followup(window)  # asked again: the same window comes forward
    return dialog


def test_the_pair_is_found_and_missing_plans_come_first(window, qtbot):
    dialog = _open(window, qtbot)
    assert dialog.pair_box.count() == 1
    assert "2023" in dialog.pair_box.currentText() and "2024" in dialog.pair_box.currentText()
    verdicts = [r.verdict for r in dialog.model.rows]
    assert len(verdicts) == 11
    assert verdicts[:3] == ["未提及"] * 3 and verdicts[-1] == "已体现"
    assert "未提及 3" in dialog.summary.text()
    assert dialog.text_view.toPlainText().startswith("杭州市司法局2024年")


def test_selecting_a_plan_highlights_its_evidence_in_the_later_text(window, qtbot):
    dialog = _open(window, qtbot)
    i = next(i for i, r in enumerate(dialog.model.rows) if "行政复议工作地方标准" in r.plan.text)
    dialog.table.selectRow(i)
    row = dialog.model.rows[i]
    spans = dialog.text_view._findings
    assert spans == [(e.start, e.end) for e in row.plan.evidence]
    text = dialog.text_view.text()
    assert any("《行政复议工作规范》" in text[s:e] for s, e in spans)
    # the highlight is drawn: some extra selection covers the first evidence span
    sels = dialog.text_view.extraSelections()
    assert any(sel.cursor.selectionStart() <= spans[0][0] < sel.cursor.selectionEnd() for sel in sels)
    dialog.table.selectRow(0)  # a 未提及 plan: nothing to highlight, and it says so
    assert dialog.text_view._findings == []
    assert "没有报告" in dialog.evidence_label.text()


def test_a_verdict_override_is_stored_undone_and_redone(window, qtbot, lib_path):
    dialog = _open(window, qtbot)
    dialog.table.selectRow(0)
    target = dialog.current_row()
    assert target.verdict == "未提及"
    dialog.buttons["部分体现"].click()
    changed = next(r for r in dialog.model.rows if r.work_item_id == target.work_item_id)
    assert (changed.verdict, changed.decision) == ("部分体现", "部分体现")
    assert dialog.current_row().work_item_id == target.work_item_id  # still selected after re-sorting
    check = open_library(lib_path, seed_sample=False, backups=False)
    try:
        from desktop.store.followup_repo import decisions

        assert decisions(check, 2)[target.work_item_id].decision == "部分体现"
        assert any(h.entity == "followup" and h.new == "部分体现" and h.who == "李审阅" for h in check.history(2))
    finally:
        check.close()
    window.desk.undo_stack.undo()
    back = next(r for r in dialog.model.rows if r.work_item_id == target.work_item_id)
    assert (back.verdict, back.decision) == ("未提及", None)
    window.desk.undo_stack.redo()
    assert next(r for r in dialog.model.rows if r.work_item_id == target.work_item_id).decision == "部分体现"


def test_a_note_on_a_verdict_and_the_tracking_status_beside_it(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    dialog = _open(window, qtbot)
    dialog.table.selectRow(0)
    target = dialog.current_row()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("部门称已完成，报告未写，需核实", True))
    dialog.annotate()
    row = next(r for r in dialog.model.rows if r.work_item_id == target.work_item_id)
    assert row.note == "部门称已完成，报告未写，需核实"
    window.desk.repo.update_work_item(target.work_item_id, {"status": "已完成"})  # a ledger round came back
    window.desk.notify("work_item", 1)
    row = next(r for r in dialog.model.rows if r.work_item_id == target.work_item_id)
    assert row.tracking_status == "已完成" and row.questionable
    i = dialog.model.rows.index(row)
    assert "？" in dialog.model.index(i, 4).data()


def test_indicators_over_the_years_tab(window, qtbot):
    dialog = _open(window, qtbot)
    t = dialog.trends
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert headers == ["指标", "2023年", "2024年", "2024年变化"]
    rows = {t.item(r, 0).text(): [t.item(r, c).text() for c in range(1, 4)] for r in range(t.rowCount())}
    assert rows["行政复议纠错率（%）"] == ["5.29", "4.87", "-0.42 个百分点"]
    assert rows["行政复议案件数（件）"] == ["7518", "8125", "+8.1%"]


def test_the_checks_panel_shows_the_missing_plans_finding(window, qtbot):
    window.load_report(2)
    index = next(i for i in range(window.side_tabs.count()) if window.side_tabs.tabText(i) == "审阅检查")
    window.side_tabs.setCurrentIndex(index)
    panel = window.review_panel
    assert panel is not None
    found = [f for f in panel.findings if f.check == "followup.missing"]
    assert found and found[0].explanation.startswith("3 项上年安排未提及")
    items = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert any(t.startswith("上年安排落实：3 项上年安排未提及") for t in items)


def test_a_window_opened_before_the_later_report_picks_it_up_on_import(qtbot, tmp_path):
    repo = sample_library(tmp_path / "lib.db")
    settings = DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    make_app()
    w = make_window(repo, settings=settings)
    qtbot.addWidget(w)
    try:
        from desktop.ui.followup_view import open_followup

        dialog = open_followup(w)
        assert dialog.pair_box.count() == 0 and "没有同一单位相邻年度" in dialog.summary.text()
        repo.import_file(LATER)
        w.reload_library()  # what the desk does after 导入报告
        assert dialog.pair_box.count() == 1 and len(dialog.model.rows) == 11
    finally:
        w.desk.undo_stack.clear()
        repo.close()
