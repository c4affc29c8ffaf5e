"""Desk: a returned 整改清单 is read back with the ledger as one undoable command (undo and redo included)."""
from __future__ import annotations

import openpyxl

from desktop.ledger.service import export_from_library

from test_ui_files import lib_path, settings, wait_for, window  # noqa: E402,F401 (fixtures)


def test_rectification_read_back_is_undone_and_redone_with_the_ledger(window, tmp_path):
    repo = window.desk.repo
    at = repo.reports.get_report(1).clean_text.index("行政复议")
    open_item = repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 4, body="核对案件数", status="需整改")
    closing = repo.annotations.add_annotation(1, target_kind="section", section_path="二.(一)", body="写明原因", status="需整改")
    path, back = tmp_path / "台账.xlsx", tmp_path / "已填.xlsx"
    export_from_library(repo, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["整改清单"]
    rows = {ws.cell(r, 8).value: r for r in range(4, ws.max_row + 1)}
    ws.cell(rows[f"批注-{open_item.id}"], 5, "已核对更正")
    ws.cell(rows[f"批注-{open_item.id}"], 6, "已整改")
    ws.cell(rows[f"批注-{closing.id}"], 6, "已销号")
    wb.save(back)
    seen, done = [], []
    window.ledger.read_back([back], "2024年第四季度", confirm=lambda plan: seen.append(plan) or {},
                            on_finished=done.append)
    wait_for(lambda: done)
    assert "整改清单 2 项有更新" in seen[0].summary()
    assert repo.letters.rectifications(1)[open_item.id].progress == "已核对更正"
    assert repo.annotations.get_annotation(closing.id).status == "已销号"
    window.desk.undo_stack.undo()
    assert repo.annotations.get_annotation(closing.id).status == "需整改"
    assert repo.letters.rectifications(1)[open_item.id].progress is None
    window.desk.undo_stack.redo()
    assert repo.annotations.get_annotation(closing.id).status == "已销号"
    assert repo.letters.rectifications(1)[open_item.id].state == "已整改"
