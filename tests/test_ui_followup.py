"""The desk's 上年安排对照 window offscreen: plans beside the later text with evidence highlighted, undoable verdicts."""
from __future__ import annotations

import pytest

from PySide6.QtCore import QSettings

from conftest import ROOT
from desktop.store.db import open_library
from desktop.ui.app import make_app, make_window
from desktop.ui.settings import DeskSettings

LATER = ROOT / "tests" / "followup_pairs" / "hz-sfj-2024.txt"


# the desk as test_ui_desk opens it, over a library that also holds the seed's 2024 successor (#2)
from test_ui_desk import lib_path, settings, window  # noqa: E402,F401
from tests.libraries import sample_library


@pytest.fixture
def repo(lib_path):
    r = sample_library(lib_path)
    r.reports.import_file(LATER)
    yield r
    r.close()


def _open(window, qtbot):
    from desktop.ui.followup_view import open_followup

    window.actions_["followup"].trigger()
    dialog = window.followup_dialog
    qtbot.waitExposed(dialog)
    assert dialog is open_followup(window)  # asked again: the same window comes forward
    return dialog


def test_the_pair_is_found_and_the_tasks_to_confirm_come_first(window, qtbot):
    dialog = _open(window, qtbot)
    assert dialog.pair_box.count() == 1
    assert "2023" in dialog.pair_box.currentText() and "2024" in dialog.pair_box.currentText()
    statuses = [r.status for r in dialog.model.rows]
    assert len(statuses) == 11
    n = statuses.count("待确认")
    assert 0 < n < 11 and statuses[:n] == ["待确认"] * n and set(statuses[n:]) == {"确定"}
    assert [dialog.model.index(i, 0).data() for i in range(11)] == statuses
    assert all(r.reason for r in dialog.model.rows if r.certain)
    assert "未提及 3" in dialog.summary.text()
    assert dialog.progress.text().startswith(f"已确认 0 / {n}")
    assert dialog.text_view.toPlainText().startswith("杭州市司法局2024年")


def test_selecting_a_plan_highlights_its_evidence_in_the_later_text(window, qtbot):
    dialog = _open(window, qtbot)
    i = next(i for i, r in enumerate(dialog.model.rows) if "行政复议工作地方标准" in r.plan.text)
    dialog.table.selectRow(i)
    row = dialog.model.rows[i]
    spans = dialog.text_view._findings
    evidence = [(e.start, e.end) for e in row.plan.evidence]
    assert spans[:len(evidence)] == evidence  # the evidence, then the nearest passages not already in it
    assert set(spans) == set(evidence) | {(n.start, n.end) for n in row.plan.nearest}
    text = dialog.text_view.text()
    assert any("《行政复议工作规范》" in text[s:e] for s, e in spans)
    # the highlight is drawn: some extra selection covers the first evidence span
    sels = dialog.text_view.extraSelections()
    assert any(sel.cursor.selectionStart() <= spans[0][0] < sel.cursor.selectionEnd() for sel in sels)
    i = next(i for i, r in enumerate(dialog.model.rows) if r.verdict == "未提及")
    dialog.table.selectRow(i)  # a 未提及 plan: no evidence, and it says so; its nearest passages are shown
    missing = dialog.model.rows[i]
    assert "没有报告" in dialog.evidence_label.text()
    assert dialog.text_view._findings == [(n.start, n.end) for n in missing.plan.nearest]
    assert dialog.nearest_list.count() == len(missing.plan.nearest) > 0


def test_a_verdict_override_is_stored_undone_and_redone(window, qtbot, lib_path):
    dialog = _open(window, qtbot)
    dialog.table.selectRow(next(i for i, r in enumerate(dialog.model.rows) if r.verdict == "未提及"))
    target = dialog.current_row()
    assert target.verdict == "未提及"
    dialog.buttons["部分体现"].click()
    changed = next(r for r in dialog.model.rows if r.work_item_id == target.work_item_id)
    assert (changed.verdict, changed.decision) == ("部分体现", "部分体现")
    assert dialog.current_row().status == "待确认"  # a button is a key of the queue: the next task follows
    check = open_library(lib_path, seed_sample=False, backups=False)
    try:
        from desktop.store.followup_repo import decisions

        assert decisions(check, 2)[target.work_item_id].decision == "部分体现"
        assert any(h.entity == "followup" and h.new == "部分体现" and h.who == "李审阅" for h in check.annotations.history(2))
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
    dialog.table.selectRow(next(i for i, r in enumerate(dialog.model.rows) if r.verdict == "未提及"))
    target = dialog.current_row()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("部门称已完成，报告未写，需核实", True))
    dialog.annotate()
    row = next(r for r in dialog.model.rows if r.work_item_id == target.work_item_id)
    assert row.note == "部门称已完成，报告未写，需核实"
    window.desk.repo.items.update_work_item(target.work_item_id, {"status": "已完成"})  # a ledger round came back
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
        repo.reports.import_file(LATER)
        w.reload_library()  # what the desk does after 导入报告
        assert dialog.pair_box.count() == 1 and len(dialog.model.rows) == 11
    finally:
        w.desk.undo_stack.clear()
        repo.close()


def test_the_queue_is_walked_with_keys_undone_and_kept_in_history(window, qtbot, lib_path):
    from PySide6.QtCore import Qt

    dialog = _open(window, qtbot)
    pending = [r for r in dialog.model.rows if r.status == "待确认"]
    n = len(pending)
    assert n >= 3
    first = dialog.current_row()
    assert first.work_item_id == pending[0].work_item_id  # the queue opens on the first task to confirm
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_2)  # 2: 部分体现
    decided = {r.work_item_id: r for r in dialog.model.rows if r.decision}
    assert decided[first.work_item_id].decision == "部分体现"
    second = dialog.current_row()  # the next task to confirm follows
    assert second.status == "待确认" and second.work_item_id != first.work_item_id
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter: the proposal stands, confirmed
    row = next(r for r in dialog.model.rows if r.work_item_id == second.work_item_id)
    assert (row.decision, row.status) == (second.plan.verdict, "已确认")
    third = dialog.current_row()
    assert third.status == "待确认"
    dialog.note_edit.setFocus()
    qtbot.keyClicks(dialog.note_edit, "3")  # typing a note: the 3 goes into the note, not a verdict …
    dialog.note_edit.insert("处佐证")  # … and the rest as an input method puts it
    assert dialog.note_edit.text() == "3处佐证" and not dialog.current_row().confirmed
    qtbot.keyClick(dialog.table, Qt.Key.Key_3)  # 3: 未提及, with the note typed
    row = next(r for r in dialog.model.rows if r.work_item_id == third.work_item_id)
    assert (row.decision, row.note) == ("未提及", "3处佐证")
    assert dialog.progress.text().startswith(f"已确认 3 / {n}")
    assert [r.status for r in dialog.model.rows][:n - 3] == ["待确认"] * (n - 3)

    check = open_library(lib_path, seed_sample=False, backups=False)
    try:
        changes = [(h.entity_id, h.field, h.new) for h in check.annotations.history(2) if h.entity == "followup"]
        assert (first.work_item_id, "decision", "部分体现") in changes
        assert (second.work_item_id, "decision", second.plan.verdict) in changes
        assert (third.work_item_id, "note", "3处佐证") in changes
    finally:
        check.close()

    window.desk.undo_stack.undo()  # the last decision (verdict and note together) is taken back …
    row = next(r for r in dialog.model.rows if r.work_item_id == third.work_item_id)
    assert (row.decision, row.note, row.status) == (None, None, "待确认")
    assert dialog.current_row().work_item_id == third.work_item_id  # … and shown
    assert dialog.progress.text().startswith(f"已确认 2 / {n}")
    assert window.desk.undo_stack.undoText() == "确认上年安排结论"
    window.desk.undo_stack.undo()
    window.desk.undo_stack.undo()
    assert not any(r.decision for r in dialog.model.rows)
    check = open_library(lib_path, seed_sample=False, backups=False)
    try:
        undone = [(h.entity_id, h.field, h.old, h.new) for h in check.annotations.history(2) if h.entity == "followup"]
        assert (third.work_item_id, "decision", "未提及", None) in undone  # the undo is in the history too
    finally:
        check.close()
    window.desk.undo_stack.redo()
    assert next(r for r in dialog.model.rows if r.work_item_id == first.work_item_id).decision == "部分体现"


def test_enter_in_the_note_box_accepts_the_proposal_with_the_note_and_keeps_the_window(window, qtbot):
    from PySide6.QtCore import Qt

    dialog = _open(window, qtbot)
    task = dialog.current_row()
    assert task.status == "待确认"
    dialog.note_edit.setFocus()
    dialog.note_edit.insert("已电话核实")
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)
    row = next(r for r in dialog.model.rows if r.work_item_id == task.work_item_id)
    assert (row.decision, row.note, row.status) == (task.plan.verdict, "已电话核实", "已确认")
    assert dialog.isVisible()  # Enter decides; it never closes the window
    assert dialog.current_row().work_item_id != task.work_item_id and dialog.note_edit.text() == ""
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)  # Escape still closes it
    assert not dialog.isVisible()
