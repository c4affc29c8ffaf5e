"""The desk's ledger: a read-back of several files is one undoable command; conflicts chosen in a dialog;
assigning units to several tasks at once; the 填报情况 panel and a task's timeline (real widgets, offscreen)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel

from desktop.ledger.service import export_units_from_library

from test_ledger_rounds import _fill
from test_ui_files import lib_path, settings, wait_for, window  # noqa: E402,F401 (fixtures)


def _tasks(w):
    return w.desk.repo.items.work_items(kind="plan_task")


def _select_rows(w, items) -> None:
    table = w.work_table
    model = table.model
    sel = table.view.selectionModel()
    sel.clearSelection()
    for item in items:
        row = model.row_of(item.id)
        assert row >= 0
        sel.select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)


def _assign_units(w):
    tasks = _tasks(w)
    _select_rows(w, tasks[:4])
    assert w.ledger.assign({"lead_unit": "市司法局", "deadline": "2024-12-31"})
    _select_rows(w, tasks[4:8])
    assert w.ledger.assign({"lead_unit": "市公安局", "owner": "王五"})
    return _tasks(w)


def test_assigning_several_tasks_is_one_undoable_command(window):
    w = window
    tasks = _tasks(w)
    _select_rows(w, tasks[:3])
    assert w.ledger.assign({"lead_unit": "市司法局", "partner_units": "市发改委", "owner": "张三"})
    now = _tasks(w)[:3]
    assert all((t.lead_unit, t.partner_units, t.owner) == ("市司法局", "市发改委", "张三") for t in now)
    assert w.desk.undo_stack.count() == 1 and "3 项" in w.desk.undo_stack.text(0)
    w.desk.undo_stack.undo()
    assert all(t.lead_unit is None and t.owner is None for t in _tasks(w)[:3])
    w.desk.undo_stack.redo()
    assert all(t.lead_unit == "市司法局" for t in _tasks(w)[:3])


def test_assign_dialog_offers_known_units_and_leaves_blank_fields_alone(window):
    from desktop.ui.ledger_dialogs import AssignDialog

    dialog = AssignDialog(2, ["市司法局", "市公安局"])
    assert [dialog.lead.itemText(i) for i in range(dialog.lead.count())] == ["", "市司法局", "市公安局"]
    dialog.lead.setCurrentIndex(2)
    dialog.partners.setEditText("新成立的市数据局")
    assert dialog.values() == {"lead_unit": "市公安局", "partner_units": "新成立的市数据局"}
    dialog.close()


def test_read_back_of_several_files_is_one_command_with_undo_and_redo(window, tmp_path):
    w = window
    tasks = _assign_units(w)
    written = {Path(s.path).name: Path(s.path) for s in export_units_from_library(w.desk.repo, tmp_path / "out")}
    a = _fill(written["台账-市司法局.xlsx"], tmp_path / "a.xlsx",
              {t.uid: {"完成状态": "已完成"} for t in tasks[:4]})
    b = _fill(written["台账-市公安局.xlsx"], tmp_path / "b.xlsx",
              {t.uid: {"进展情况": f"进展{i}"} for i, t in enumerate(tasks[4:8])})
    before = w.desk.undo_stack.count()
    done = []
    w.ledger.read_back([a, b], "2024年第三季度", confirm=lambda plan: {}, on_finished=done.append)
    wait_for(lambda: done)
    assert w.desk.undo_stack.count() == before + 1
    now = _tasks(w)
    assert all(t.status == "已完成" for t in now[:4]) and [t.progress for t in now[4:8]] == [f"进展{i}" for i in range(4)]
    assert len(w.desk.repo.ledger.ledger_returns("2024年第三季度")) == 2
    w.desk.undo_stack.undo()
    now = _tasks(w)
    assert all(t.status is None for t in now[:4]) and all(t.progress is None for t in now[4:8])
    assert w.desk.repo.ledger.ledger_returns("2024年第三季度") == []
    w.desk.undo_stack.redo()
    assert all(t.status == "已完成" for t in _tasks(w)[:4]) and len(w.desk.repo.ledger.ledger_returns("2024年第三季度")) == 2


def test_conflict_dialog_lists_both_sources_and_applies_only_the_choice(window, tmp_path):
    from desktop.ui.ledger_dialogs import ReadBackDialog

    w = window
    tasks = _assign_units(w)
    written = {Path(s.path).name: Path(s.path) for s in export_units_from_library(w.desk.repo, tmp_path / "out")}
    a = _fill(written["台账-市司法局.xlsx"], tmp_path / "甲.xlsx", {tasks[0].uid: {"完成状态": "已完成"}})
    b = _fill(written["台账-市司法局.xlsx"], tmp_path / "乙.xlsx", {tasks[0].uid: {"完成状态": "滞后"},
                                                                  tasks[1].uid: {"责任人": "=A1"}})
    seen = []

    def look(plan):
        dialog = ReadBackDialog(plan)
        seen.append(dialog)
        assert len(dialog.conflict_boxes) == 1
        conflict, box = dialog.conflict_boxes[0]
        options = [box.itemText(i) for i in range(box.count())]
        assert any("甲.xlsx" in o and "已完成" in o for o in options)
        assert any("乙.xlsx" in o and "滞后" in o for o in options)
        cells = {dialog.changes_table.item(r, c).text() for r in range(dialog.changes_table.rowCount())
                 for c in range(6)}
        assert any("公式" in c for c in cells)  # the refused formula cell is listed with its reason
        assert dialog.choices() == {}
        return dialog.choices()

    w.ledger.read_back([a, b], "R", confirm=look)
    wait_for(lambda: seen)
    assert _tasks(w)[0].status is None  # not chosen: nothing written for the conflicting field
    picked = []

    def choose(plan):
        dialog = ReadBackDialog(plan)
        _, box = dialog.conflict_boxes[0]
        box.setCurrentIndex(next(i for i in range(box.count()) if box.itemData(i) == "滞后"))
        picked.append(dialog.choices())
        return picked[-1]

    w.ledger.read_back([a, b], "R", confirm=choose)
    wait_for(lambda: picked)
    assert _tasks(w)[0].status == "滞后"
    # the desk's pick is remembered for round R: 甲's copy read again raises no conflict and changes nothing
    assert [(c["field"], c["value"], c["file_name"]) for c in w.desk.repo.ledger.ledger_choices("R")] == [
        ("status", "滞后", "乙.xlsx")]
    again = []
    w.ledger.read_back([a], "R", confirm=lambda plan: again.append(plan) or {})
    wait_for(lambda: again)
    assert again[0].conflicts == [] and _tasks(w)[0].status == "滞后"
    panel = w.ledger.show_status()
    panel.round_box.setCurrentText("R")
    panel.refresh()
    assert "完成状态 = 滞后（采用 乙.xlsx）" in panel.choices.text()
    panel.close()
    w.desk.undo_stack.undo()
    w.desk.undo_stack.undo()
    assert _tasks(w)[0].status is None


def test_status_panel_and_task_timeline(window, tmp_path):
    w = window
    tasks = _assign_units(w)
    written = {Path(s.path).name: Path(s.path) for s in export_units_from_library(w.desk.repo, tmp_path / "out")}
    a = _fill(written["台账-市公安局.xlsx"], tmp_path / "q.xlsx", {tasks[4].uid: {"完成状态": "推进中",
                                                                              "进展情况": "已开展调研"}})
    done = []
    w.ledger.read_back([tmp_path / "q.xlsx"], "2024年第四季度", confirm=lambda plan: {}, on_finished=done.append)
    wait_for(lambda: done)
    assert a.exists()
    panel = w.ledger.show_status()
    panel.round_box.setEditText("2024年第四季度")
    panel.refresh()
    rows = {panel.table.item(r, 0).text(): [panel.table.item(r, c).text() for c in range(panel.table.columnCount())]
            for r in range(panel.table.rowCount())}
    assert rows["市公安局"][1] == "4" and rows["市公安局"][-1].startswith("已交回（q.xlsx")
    assert rows["市司法局"][-1] == "未交回"
    total = rows["合计"]  # the last row: each task once, however many units lead it
    assert total[1] == str(len({t.id for t in w.desk.repo.items.work_items(kind="plan_task")})) and "个单位已交回" in total[-1]
    panel.close()
    _select_rows(w, [tasks[4]])
    dialog = w.ledger.show_timeline()
    cells = [dialog.table.item(0, c).text() for c in range(6)]
    assert cells[0] == "2024年第四季度" and cells[1] == "q.xlsx" and cells[4] == "推进中" and cells[5] == "已开展调研"
    assert "T" not in cells[3]  # no raw ISO time
    dialog.close()


def test_dropping_a_ledger_on_the_window_reads_it_back(window, monkeypatch, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    ledgers, reports = [], []
    monkeypatch.setattr(window.ledger, "read_back", lambda paths: ledgers.append(paths))
    monkeypatch.setattr(window.files, "import_reports", lambda paths, on_finished=None: reports.append(paths))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "台账-市司法局.xlsx")), QUrl.fromLocalFile(str(tmp_path / "r.txt"))])
    window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))
    assert ledgers == [[str(tmp_path / "台账-市司法局.xlsx")]] and reports == [[str(tmp_path / "r.txt")]]


def test_export_by_unit_in_the_desk_says_how_many_tasks_have_no_lead_unit(window, tmp_path):
    """Before any 分配任务 every task lands in 台账-未分配.xlsx: the status bar says so and how to assign them."""
    done = []
    window.ledger.export_by_unit(str(tmp_path), on_finished=done.append)
    wait_for(lambda: done)
    message = window.statusBar().currentMessage()
    assert "11 项工作任务尚未指定牵头单位" in message and "分配任务" in message
    assert [Path(s.path).name for s in done[0]] == ["台账-未分配.xlsx"]
