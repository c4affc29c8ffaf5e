"""The streaming workbook reader gives read-back exactly the rows openpyxl's read-only mode gives: the same
values and kinds for shared and inline strings, rich text, numbers, dates, durations, booleans, formulas,
error values, rows and cells left out, on ledgers the project exported and then filled in with openpyxl."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from desktop.ledger import layout
from desktop.ledger.readback import open_workbook, open_workbook_openpyxl, read_ledger
from desktop.ledger.service import export_from_library
from desktop.store.db import open_library
from tests.libraries import sample_library


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stream")
    with sample_library(folder / "lib.db") as repo:
        export_from_library(repo, folder / "ledger.xlsx")
    return folder / "ledger.xlsx"


def _filled(src, dest):
    """Every kind of value a department's spreadsheet program leaves in the tracking columns."""
    wb = openpyxl.load_workbook(src)
    ws = wb[layout.SHEET_TRACKING]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if r[0].value == "序号")
    cols = {c.value: c.column for c in header}
    tasks = [r for r in range(header[0].row + 1, ws.max_row + 1)
             if isinstance(ws.cell(r, cols["编号"]).value, str) and not ws.cell(r, cols["编号"]).value.startswith("主题")]
    values = [
        ("完成状态", "已完成"), ("进展情况", "  已完成制度修订\r\n并印发  "), ("完成时限", dt.datetime(2024, 6, 30)),
        ("量化目标", 12), ("备注", 3.25), ("责任人", True), ("佐证材料", "=A1&\"附件\""), ("审核意见", "#N/A"),
        ("配合单位", CellRichText([TextBlock(InlineFont(b=True), "市司法局"), "、市财政局"])),
    ]
    for row, (label, value) in zip(tasks, values):
        cell = ws.cell(row, cols[label])
        cell.value = value
        if label == "完成时限":
            cell.number_format = "yyyy-mm-dd"
        if label == "审核意见":
            cell.data_type = "e"
    ws.cell(tasks[len(values)], cols["备注"]).value = dt.time(8, 30)
    ws.cell(ws.max_row + 3, cols["备注"]).value = "表格下方的说明"  # rows left out between
    wb.save(dest)
    return dest


def _rows(path, opener):
    book = opener(path)
    try:
        out = {}
        for name in book.sheetnames:
            ws = book[name]
            ws.reset_dimensions()
            out[name] = [tuple((c.value, c.data_type) for c in row) for row in ws.iter_rows()]
            out[name + " values"] = list(ws.iter_rows(max_col=2, values_only=True))
        return out
    finally:
        book.close()


def _norm(rows):
    """openpyxl gives EMPTY_CELL for cells left out (data_type 'n') and may end a row with them: compare the same."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] == (None, "n"):
            row.pop()
        out.append(tuple(row))
    while out and not out[-1]:
        out.pop()
    return out


def test_the_stream_reads_what_openpyxl_reads(exported, tmp_path):
    filled = _filled(exported, tmp_path / "filled.xlsx")
    for path in (exported, filled):
        ours, theirs = _rows(path, open_workbook), _rows(path, open_workbook_openpyxl)
        assert ours.keys() == theirs.keys()
        for name in ours:
            assert _norm(ours[name]) == _norm(theirs[name]), name


def test_read_back_is_the_same_through_either_reader(exported, tmp_path):
    filled = _filled(exported, tmp_path / "filled.xlsx")
    ours = read_ledger(filled)
    theirs = read_ledger(filled, opener=open_workbook_openpyxl)
    assert ours == theirs
    assert any(r.refused for r in ours.rows)  # the formula and the error value are refused, as before
    assert any(isinstance(v, dt.datetime) for r in ours.rows for v in r.values.values())
