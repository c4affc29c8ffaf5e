"""Read-back of an edited ledger: exactly the expected changes, per-row refusals, and hostile files refused."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from desktop.ledger.diff import diff_ledger
from desktop.ledger.errors import LedgerError
from desktop.ledger.export import LedgerBundle, export_ledger
from desktop.ledger.readback import read_ledger
from desktop.store.records import ReportRecord, WorkItemRecord

LIB = "lib-A"


def _items():
    base = dict(report_id=1, kind="plan_task", section_path="四.(一)", theme="以满足群众法治需求为导向", start=0, end=1)
    return [
        WorkItemRecord(id=11, uid="u1", text="出台行政复议工作地方标准。", position=1, status="推进中", **base),
        WorkItemRecord(id=12, uid="u2", text="深化“无证明化”改革。", position=2, deadline="2024年底前", **base),
        WorkItemRecord(id=13, uid="u3", text="全域推进合法性审查改革。", position=3, lead_unit="市司法局", **base),
        WorkItemRecord(id=14, uid="u4", text="开展法治宣传。", position=4, **base),
        WorkItemRecord(id=15, uid="u5", text="强化涉外法治供给。", position=5, deadline="2024-06-30", **base),
        WorkItemRecord(id=16, uid="u6", text="=SUM(1,2) 以等号开头的任务。", position=6, remarks="原备注", **base),
    ]


@pytest.fixture
def ledger(tmp_path):
    rep = ReportRecord(id=1, file_name="r.txt", sha256="0", doc_kind="annual_report", title="某市2023年报告",
                       issuer="某市司法局", report_year=2023, plan_year=2024, published=None, metadata={},
                       clean_text="", imported_at="")
    path = tmp_path / "ledger.xlsx"
    export_ledger([LedgerBundle(rep, work_items=tuple(_items()))], path, LIB)
    return path


def _rows_by_uid(ws):
    return {ws.cell(r, 14).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 14).value}


def _edit(path, out, fn):
    wb = openpyxl.load_workbook(path)
    ws = wb["工作要点跟踪台账"]
    fn(wb, ws, _rows_by_uid(ws))
    wb.save(out)
    return out


def test_unchanged_ledger_reads_back_without_changes(ledger):
    diff = diff_ledger(read_ledger(ledger), _items(), LIB)
    assert diff.changes == [] and diff.problems == [] and diff.unchanged_rows == 6


def test_round_trip_applies_exactly_the_expected_changes(ledger, tmp_path):
    def edit(wb, ws, row):
        ws.cell(row["u1"], 10).value = "已完成"  # status
        ws.cell(row["u1"], 9).value = "已出台标准，\n并印发实施。"  # progress
        ws.cell(row["u2"], 10).value = "滞后"
        ws.cell(row["u2"], 8).value = "2024年9月底"  # not a date: the whole row is refused
        ws.cell(row["u3"], 3).value = "全域推进合法性审查改革攻坚。"  # task text changed
        ws.cell(row["u3"], 10).value = "已完成"
        ws.cell(row["u4"], 10).value = "完成了"  # not a status
        ws.cell(row["u5"], 8).value = dt.datetime(2024, 9, 30)  # a real date
        ws.cell(row["u5"], 7).value = "王五"
        ws.cell(row["u6"], 13).value = None  # cleared: a blank is "not reported", the stored value stays
        r = ws.max_row + 1
        ws.cell(r, 1).value, ws.cell(r, 3).value, ws.cell(r, 14).value = 99, "新增任务", "no-such-id"
        ws.cell(r + 1, 3).value, ws.cell(r + 1, 10).value = "没有编号的新行", "推进中"
    edited = _edit(ledger, tmp_path / "edited.xlsx", edit)
    file = read_ledger(edited)
    diff = diff_ledger(file, _items(), LIB)
    got = sorted((c.uid, c.field, c.old, c.new) for c in diff.changes)
    assert got == [
        ("u1", "progress", None, "已出台标准，\n并印发实施。"),
        ("u1", "status", "推进中", "已完成"),
        ("u5", "deadline", "2024-06-30", "2024-09-30"),
        ("u5", "owner", None, "王五"),
    ]
    assert {(c.item_id, c.field, c.new) for c in diff.changes} == {
        (11, "status", "已完成"), (11, "progress", "已出台标准，\n并印发实施。"), (15, "deadline", "2024-09-30"),
        (15, "owner", "王五")}
    reasons = {p.uid: p.reason for p in diff.problems}
    assert set(reasons) == {"u2", "u3", "u4", "no-such-id", None}
    assert "完成时限“2024年9月底”不是有效日期" in reasons["u2"]
    assert "工作任务" in reasons["u3"] and "被修改" in reasons["u3"]
    assert "完成状态“完成了”不是可选值" in reasons["u4"]
    assert "不存在" in reasons["no-such-id"]
    assert "缺少编号" in reasons[None]
    assert all(p.row for p in diff.problems)  # every refusal names its row
    table = diff.rows()
    assert any(d.field == "完成状态" and d.old == "推进中" and d.new == "已完成" for d in table)
    assert len(diff.changes) == 4 and len({c.item_id for c in diff.changes}) == 2


def test_quote_prefixed_task_text_still_matches(ledger):
    ws = openpyxl.load_workbook(ledger)["工作要点跟踪台账"]
    cell = ws.cell(_rows_by_uid(ws)["u6"], 3)
    assert cell.value == "=SUM(1,2) 以等号开头的任务。" and cell.data_type == "s"


def test_duplicate_ids_refuse_both_rows(ledger, tmp_path):
    def edit(wb, ws, row):
        ws.cell(row["u2"], 14).value = "u1"
        ws.cell(row["u2"], 3).value = ws.cell(row["u1"], 3).value
        ws.cell(row["u1"], 10).value = "已完成"
    diff = diff_ledger(read_ledger(_edit(ledger, tmp_path / "dup.xlsx", edit)), _items(), LIB)
    assert diff.changes == []
    dup = [p for p in diff.problems if "编号重复" in p.reason]
    assert len(dup) == 2 and {p.uid for p in dup} == {"u1"}


def test_workbook_from_another_library_changes_nothing(ledger, tmp_path):
    edited = _edit(ledger, tmp_path / "e.xlsx", lambda wb, ws, row: setattr(ws.cell(row["u1"], 10), "value", "已完成"))
    diff = diff_ledger(read_ledger(edited), _items(), "another-library")
    assert diff.changes == [] and len(diff.problems) == 6
    assert all("另一个审阅库" in p.reason for p in diff.problems)


@pytest.mark.parametrize("how", ["swap", "rename"])
def test_reordered_or_renamed_columns_change_nothing(ledger, tmp_path, how):
    def edit(wb, ws, row):
        ws.cell(row["u1"], 10).value = "已完成"
        if how == "swap":
            for r in [3, *(r for u, r in row.items() if not u.startswith("主题"))]:  # theme rows are merged
                ws.cell(r, 5).value, ws.cell(r, 6).value = ws.cell(r, 6).value, ws.cell(r, 5).value
        else:
            ws.cell(3, 5).value = "责任单位"
    diff = diff_ledger(read_ledger(_edit(ledger, tmp_path / f"{how}.xlsx", edit)), _items(), LIB)
    assert diff.changes == [] and len(diff.problems) == 6
    expected = "列顺序" if how == "swap" else "第 E 列应为“牵头单位”，实为“责任单位”"
    assert all(expected in p.reason for p in diff.problems)


def test_missing_ledger_info_changes_nothing(ledger, tmp_path):
    diff = diff_ledger(read_ledger(_edit(ledger, tmp_path / "m.xlsx", lambda wb, ws, row: wb.remove(wb["台账信息"]))),
                       _items(), LIB)
    assert diff.changes == [] and all("缺少台账信息" in p.reason for p in diff.problems)


def test_deleted_item_is_refused(ledger):
    items = _items()
    items[0] = WorkItemRecord(**{**items[0].__dict__, "deleted": True})
    diff = diff_ledger(read_ledger(ledger), items, LIB)
    assert [p.uid for p in diff.problems] == ["u1"] and "已在审阅库中删除" in diff.problems[0].reason


# ---------------------------------------------------------------- hostile or broken files

def _refused(path, fragment):
    with pytest.raises(LedgerError) as err:
        read_ledger(path)
    assert fragment in err.value.message, err.value.message
    assert str(path) in str(err.value)


def test_text_file_is_not_a_workbook(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_text("序号,工作任务\n1,任务", encoding="utf-8")
    _refused(p, "不是 Excel 工作簿")


def test_zip_without_a_workbook(tmp_path):
    p = tmp_path / "other.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "hello")
    _refused(p, "不是 Excel 工作簿")


def test_password_protected_workbook(tmp_path):
    # An encrypted .xlsx is an OLE compound file holding an "EncryptedPackage" stream.
    p = tmp_path / "locked.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    _refused(p, "密码")


def test_old_xls_file(tmp_path):
    p = tmp_path / "old.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    _refused(p, ".xls")


def test_truncated_workbook_is_corrupt(ledger, tmp_path):
    p = tmp_path / "cut.xlsx"
    p.write_bytes(ledger.read_bytes()[: ledger.stat().st_size // 2])
    _refused(p, "")  # any clear message, no traceback
    with pytest.raises(LedgerError) as err:
        read_ledger(p)
    assert "损坏" in err.value.message or "不是 Excel" in err.value.message


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    _refused(p, "压缩炸弹")


def test_entity_expansion_is_blocked_by_defusedxml(ledger, tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    p = tmp_path / "entities.xlsx"
    src = zipfile.ZipFile(io.BytesIO(ledger.read_bytes()))
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = bomb.encode() if info.filename == "xl/worksheets/sheet1.xml" else src.read(info.filename)
            dst.writestr(info, data)
    _refused(p, "不安全的 XML")


def test_missing_file_and_other_workbooks(tmp_path):
    _refused(tmp_path / "nope.xlsx", "不存在")
    p = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(p)
    _refused(p, "找不到工作表“工作要点跟踪台账”")


def test_several_reports_round_trip(tmp_path):
    rep = ReportRecord(id=1, file_name="a.txt", sha256="0", doc_kind="annual_report", title="甲", issuer=None,
                       report_year=2023, plan_year=2024, published=None, metadata={}, clean_text="", imported_at="")
    rep2 = ReportRecord(**{**rep.__dict__, "id": 2, "file_name": "b.txt", "title": "乙"})
    first = _items()[:3]
    second = [WorkItemRecord(**{**w.__dict__, "id": w.id + 100, "uid": w.uid + "b", "report_id": 2}) for w in first]
    path = tmp_path / "two.xlsx"
    export_ledger([LedgerBundle(rep, work_items=tuple(first)), LedgerBundle(rep2, work_items=tuple(second))],
                  path, LIB)
    wb = openpyxl.load_workbook(path)
    ws = wb["工作要点跟踪台账"]
    uid_col = [c.value for c in ws[3]].index("编号") + 1
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, uid_col).value == "u2b")
    ws.cell(row, 10).value = "常态化推进"
    wb.save(path)
    diff = diff_ledger(read_ledger(path), first + second, LIB)
    assert [(c.item_id, c.field, c.new) for c in diff.changes] == [(112, "status", "常态化推进")]
    assert diff.problems == [] and diff.unchanged_rows == 5


def test_export_into_a_missing_folder_is_a_clear_error(tmp_path):
    rep = ReportRecord(id=1, file_name="a.txt", sha256="0", doc_kind="annual_report", title="甲", issuer=None,
                       report_year=None, plan_year=None, published=None, metadata={}, clean_text="", imported_at="")
    with pytest.raises(LedgerError) as err:
        export_ledger([LedgerBundle(rep)], tmp_path / "no" / "such" / "x.xlsx", LIB)
    assert err.value.message == "保存位置的文件夹不存在"


def test_overlong_and_illegal_character_texts_still_match_their_rows(tmp_path):
    rep = ReportRecord(id=1, file_name="a.txt", sha256="0", doc_kind="annual_report", title="甲", issuer=None,
                       report_year=None, plan_year=None, published=None, metadata={}, clean_text="", imported_at="")
    base = dict(report_id=1, kind="plan_task", section_path="四", theme="主题", start=0, end=1)
    items = [WorkItemRecord(id=1, uid="long", text="法" * 40000, position=1, **base),
             WorkItemRecord(id=2, uid="ctrl", text="含\x00非法\x1f字符的任务", position=2, **base)]
    path = tmp_path / "long.xlsx"
    export_ledger([LedgerBundle(rep, work_items=tuple(items))], path, LIB)
    ws = openpyxl.load_workbook(path)["工作要点跟踪台账"]
    texts = {ws.cell(r, 14).value: ws.cell(r, 3).value for r in range(5, ws.max_row + 1)}
    assert len(texts["long"]) == 32767 and texts["long"].endswith("全文见审阅库）")
    assert texts["ctrl"] == "含非法字符的任务"
    diff = diff_ledger(read_ledger(path), items, LIB)
    assert diff.problems == [] and diff.changes == [] and diff.unchanged_rows == 2


def test_read_back_reports_progress_and_can_be_cancelled(ledger):
    from desktop.ledger.errors import LedgerCancelled

    seen = []
    read_ledger(ledger, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (6, 6)
    with pytest.raises(LedgerCancelled):
        read_ledger(ledger, cancel=lambda: True)
