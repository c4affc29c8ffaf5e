"""整改清单 round trip: annotations marked 需整改 out to the unit in the ledger workbook and back, by stable ID."""
from __future__ import annotations

import openpyxl
import pytest

from desktop.cli import main
from desktop.ledger import rectification
from desktop.ledger.diff import diff_ledger
from desktop.ledger.readback import read_ledger
from desktop.ledger.service import export_from_library
from desktop.store.repo_letters import WORDS_CHANGED, WORDS_UNCHANGED
from tests.conftest import SAMPLE
from tests.libraries import sample_library  # noqa: E402

SHEET = "整改清单"


def preview_import(repo, path):
    """A returned ledger read back as the import does: the tracking sheet's diff with its 整改清单 part."""
    ledger = read_ledger(path)
    diff = diff_ledger(ledger, repo.items.work_items(include_deleted=True), repo.library_id())
    rectification.attach(diff, repo, path, ledger)
    return diff


def apply_import(repo, diff):
    return rectification.apply(repo, diff.rectification)


@pytest.fixture
def items(repo):
    """Three 需整改 notes (one quoting text, one a section, one a work item), one 需核实 and one 已审 note."""
    text = repo.reports.get_report(1).clean_text
    at = text.index("行政复议")
    task = next(w for w in repo.items.work_items(1) if w.kind == "plan_task")
    made = [
        repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 4, body="=请核对案件数 {{ x }}", status="需整改"),
        repo.annotations.add_annotation(1, target_kind="section", section_path="二.(一)", body="问题表述空泛", status="需整改"),
        repo.annotations.add_annotation(1, target_kind="work_item", target_id=task.id, body="任务缺少时限", status="需整改"),
    ]
    repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 2, body="请核实", status="需核实")
    repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 2, body="已审", status="已审")
    return made


def _sheet_rows(path):
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    header = [c.value for c in ws[3]]
    rows = {ws.cell(r, len(header)).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, len(header)).value}
    return wb, ws, header, rows


def test_only_items_marked_for_rectification_are_listed(repo, items, tmp_path):
    path = tmp_path / "台账.xlsx"
    export_from_library(repo, path)
    wb, ws, header, rows = _sheet_rows(path)
    assert header == ["序号", "章节", "引文", "审阅意见", "整改情况", "整改状态", "原文变化", "编号"]
    assert ws.column_dimensions["H"].hidden
    assert sorted(rows) == sorted(f"批注-{a.id}" for a in items)
    first = rows[f"批注-{items[0].id}"]
    assert ws.cell(first, 3).value == "行政复议" and ws.cell(first, 4).value == "=请核对案件数 {{ x }}"
    assert ws.cell(first, 4).data_type == "s" and ws.cell(first, 4).quotePrefix  # never a formula
    assert "整改清单" in ws.cell(1, 1).value
    assert any('"未整改,整改中,已整改,已销号"' == dv.formula1 for dv in ws.data_validations.dataValidation)


def test_round_trip_applies_exactly_what_the_unit_filled(repo, items, tmp_path):
    path, back = tmp_path / "台账.xlsx", tmp_path / "已填.xlsx"
    export_from_library(repo, path)
    unchanged = preview_import(repo, path)
    assert unchanged.rectification.changes == [] and unchanged.rectification.unchanged_rows == 3
    wb, ws, _, rows = _sheet_rows(path)
    ws.cell(rows[f"批注-{items[0].id}"], 5, "已逐件核对，更正为 1234 件")
    ws.cell(rows[f"批注-{items[0].id}"], 6, "已整改")
    ws.cell(rows[f"批注-{items[1].id}"], 6, "整改中")
    wb.save(back)
    diff = preview_import(repo, back)
    got = sorted((c.annotation_id, c.label, c.old, c.new) for c in diff.rectification.changes)
    assert got == sorted([(items[0].id, "整改情况", None, "已逐件核对，更正为 1234 件"),
                          (items[0].id, "整改状态", None, "已整改"), (items[1].id, "整改状态", None, "整改中")])
    assert diff.rectification.summary() == "整改清单 2 项有更新"
    apply_import(repo, diff)
    assert rectification.apply(repo, None) == []
    recs = repo.letters.rectifications(1)
    assert recs[items[0].id].progress == "已逐件核对，更正为 1234 件" and recs[items[0].id].state == "已整改"
    assert recs[items[1].id].state == "整改中" and items[2].id not in recs
    assert preview_import(repo, back).rectification.changes == []  # applying twice changes nothing
    again = tmp_path / "再导出.xlsx"
    export_from_library(repo, again)  # the next round shows what the unit reported
    _, ws2, _, rows2 = _sheet_rows(again)
    assert ws2.cell(rows2[f"批注-{items[0].id}"], 5).value == "已逐件核对，更正为 1234 件"
    history = [h for h in repo.annotations.history(1) if h.field == "rectification_progress"]
    assert history and history[0].new == "已逐件核对，更正为 1234 件"


def test_setting_closed_closes_the_item_and_the_office_can_reopen_it(repo, items, tmp_path):
    path, back = tmp_path / "台账.xlsx", tmp_path / "已填.xlsx"
    export_from_library(repo, path)
    wb, ws, _, rows = _sheet_rows(path)
    ws.cell(rows[f"批注-{items[1].id}"], 6, "已销号")
    wb.save(back)
    reverts = rectification.apply(repo, preview_import(repo, back).rectification)
    assert reverts == [(items[1].id, {"status": "需整改"})]
    assert repo.annotations.get_annotation(items[1].id).status == "已销号"
    repo.letters.apply_rectification_updates(reverts)  # the undo
    assert repo.annotations.get_annotation(items[1].id).status == "需整改"
    apply_import(repo, preview_import(repo, back))
    assert repo.annotations.get_annotation(items[1].id).status == "已销号"
    closed = tmp_path / "销号后.xlsx"
    export_from_library(repo, closed)
    wb, ws, _, rows = _sheet_rows(closed)
    assert ws.cell(rows[f"批注-{items[1].id}"], 6).value == "已销号"  # closed items stay on the list
    ws.cell(rows[f"批注-{items[1].id}"], 6, "整改中")
    wb.save(back)
    apply_import(repo, preview_import(repo, back))
    assert repo.annotations.get_annotation(items[1].id).status == "需整改"
    assert repo.letters.rectifications(1)[items[1].id].state == "整改中"


def test_refused_rows_have_reasons_and_nothing_is_lost(repo, items, tmp_path):
    path, back = tmp_path / "台账.xlsx", tmp_path / "已填.xlsx"
    export_from_library(repo, path)
    wb, ws, header, rows = _sheet_rows(path)
    r0, r1, r2 = (rows[f"批注-{a.id}"] for a in items)
    ws.cell(r0, 4, "单位改写的意见")
    ws.cell(r0, 5, "不应写入")
    ws.cell(r1, 6, "完成了")
    ws.cell(r2, 8, f"批注-{items[1].id}")  # a duplicated ID
    ws.cell(r2, 5, "重复行")
    extra = ws.max_row + 1
    ws.cell(extra, 4, "单位新增的一行")
    ws.cell(extra, 5, "新增")
    ws.cell(extra + 1, 4, "不存在")
    ws.cell(extra + 1, 8, "批注-99999")
    wb.save(back)
    diff = preview_import(repo, back)
    reasons = {p.row: p.reason for p in diff.rectification.problems}
    assert "审阅意见" in reasons[r0] and "被修改" in reasons[r0]
    assert "编号重复" in reasons[r1] and "编号重复" in reasons[r2]
    assert "缺少编号" in reasons[extra] and "不存在" in reasons[extra + 1]
    assert diff.rectification.changes == []
    assert all(p in diff.problems for p in diff.rectification.problems)  # listed with the ledger's refusals
    apply_import(repo, diff)
    assert repo.letters.rectifications(1) == {}


def test_a_bad_state_and_a_deleted_item_are_refused(repo, items, tmp_path):
    path, back = tmp_path / "台账.xlsx", tmp_path / "已填.xlsx"
    export_from_library(repo, path)
    repo.annotations.delete_annotation(items[2].id)
    wb, ws, _, rows = _sheet_rows(path)
    ws.cell(rows[f"批注-{items[0].id}"], 6, "基本完成")
    ws.cell(rows[f"批注-{items[2].id}"], 5, "已补充时限")
    wb.save(back)
    reasons = {p.row: p.reason for p in preview_import(repo, back).rectification.problems}
    assert "不是可选值" in reasons[rows[f"批注-{items[0].id}"]]
    assert "不再需要整改" in reasons[rows[f"批注-{items[2].id}"]]


def test_renamed_columns_or_another_library_change_nothing(repo, items, tmp_path, db_path):
    path, back = tmp_path / "台账.xlsx", tmp_path / "改列.xlsx"
    export_from_library(repo, path)
    wb, ws, _, rows = _sheet_rows(path)
    ws.cell(3, 5, "整改措施")
    ws.cell(rows[f"批注-{items[0].id}"], 5, "写了内容")
    wb.save(back)
    diff = preview_import(repo, back)
    assert diff.rectification.changes == [] and "表头" in diff.rectification.problems[0].reason
    from desktop.store.db import open_library

    other = sample_library(tmp_path / "other.db")
    try:
        wb, ws, _, rows = _sheet_rows(path)
        ws.cell(rows[f"批注-{items[0].id}"], 5, "写了内容")
        wb.save(back)
        diff = preview_import(other, back)
        assert diff.rectification.changes == [] and all("另一个审阅库" in p.reason for p in diff.rectification.problems)
    finally:
        other.close()


def test_a_ledger_without_items_has_no_sheet_and_reads_back_as_before(repo, tmp_path):
    path = tmp_path / "台账.xlsx"
    export_from_library(repo, path)
    assert SHEET not in openpyxl.load_workbook(path).sheetnames
    assert preview_import(repo, path).rectification is None


def test_the_next_version_shows_whether_the_quoted_words_changed(repo, items, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    clean = repo.reports.get_report(1).clean_text
    phrase = next(clean[i:i + 14] for i in range(900, 2000, 7) if clean.count(clean[i:i + 14]) == 1
                  and "\n" not in clean[i:i + 14] and text.count(clean[i:i + 14]) >= 1)
    at = clean.index(phrase)
    rewritten = repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + len(phrase), body="请改写",
                                    status="需整改")
    report = repo.reports.get_report(1)
    from desktop.store.repo_letters import quoted_words_state

    assert quoted_words_state(rewritten, report) is None  # no new version yet
    new = tmp_path / SAMPLE.name
    new.write_text(text.replace(phrase, "按照意见改写后的全新表述内容"), encoding="utf-8")
    assert repo.reports.import_file(new).status == "new_reading"
    report = repo.reports.get_report(1)
    states = {a.id: quoted_words_state(a, report) for a in repo.annotations.annotations(1)}
    assert states[items[0].id] == WORDS_UNCHANGED and states[rewritten.id] == WORDS_CHANGED
    path = tmp_path / "台账.xlsx"
    export_from_library(repo, path)
    _, ws, _, rows = _sheet_rows(path)
    assert ws.cell(rows[f"批注-{items[0].id}"], 7).value == WORDS_UNCHANGED
    assert ws.cell(rows[f"批注-{rewritten.id}"], 7).value == WORDS_CHANGED


def test_import_ledger_command_lists_rectification_changes_and_refusals(repo, items, tmp_path, db_path, capsys):
    path, back = tmp_path / "台账.xlsx", tmp_path / "已填.xlsx"
    export_from_library(repo, path)
    wb, ws, _, rows = _sheet_rows(path)
    ws.cell(rows[f"批注-{items[0].id}"], 5, "已更正")
    ws.cell(rows[f"批注-{items[1].id}"], 6, "随便写")
    wb.save(back)
    repo.close()
    assert main(["import-ledger", str(back), "--db", str(db_path)]) == 1
    out = capsys.readouterr()
    assert "整改清单" in out.out and "已更正" in out.out and "不是可选值" in out.out
    assert rectification.read_sheet(back)[1] is None


def test_a_workbook_of_several_reports_names_the_report_and_reads_back(repo, items, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("杭州市司法局", "宁波市司法局")
    other = tmp_path / "ningbo.txt"
    other.write_text(text, encoding="utf-8")
    rid = repo.reports.import_file(other).report.id
    clean = repo.reports.get_report(rid).clean_text
    at = clean.index("行政复议")
    theirs = repo.annotations.add_annotation(rid, target_kind="span", start=at, end=at + 4, body="宁波的意见", status="需整改")
    path, back = tmp_path / "台账.xlsx", tmp_path / "已填.xlsx"
    export_from_library(repo, path)
    wb, ws, header, rows = _sheet_rows(path)
    assert header[1] == "来源报告" and len(rows) == 4
    assert "宁波市司法局" in ws.cell(rows[f"批注-{theirs.id}"], 2).value
    ws.cell(rows[f"批注-{theirs.id}"], 6, "已整改")
    wb.save(back)
    diff = preview_import(repo, back)
    assert [(c.annotation_id, c.new) for c in diff.rectification.changes] == [(theirs.id, "已整改")]


def test_several_returned_files_apply_together_and_undo_in_reverse(repo, items, tmp_path):
    from types import SimpleNamespace

    path = tmp_path / "台账.xlsx"
    export_from_library(repo, path)
    files = []
    for n, (progress, state) in enumerate((("第一次", "整改中"), ("第二次", "已整改"))):
        wb, ws, _, rows = _sheet_rows(path)
        ws.cell(rows[f"批注-{items[0].id}"], 5, progress)
        ws.cell(rows[f"批注-{items[0].id}"], 6, state)
        wb.save(tmp_path / f"{n}.xlsx")
        files.append(preview_import(repo, tmp_path / f"{n}.xlsx"))
    undo = rectification.apply_plan(repo, SimpleNamespace(diffs=files))
    assert repo.letters.rectifications(1)[items[0].id].progress == "第二次"
    rectification.undo(repo, undo)
    assert repo.letters.rectifications(1)[items[0].id].progress is None  # as before the read-back
    assert "第二次" in rectification.format_changes(files[1])


def test_a_note_on_the_opening_text_is_listed_under_its_chinese_name(repo, tmp_path):
    """The text before the first chapter is 导语 on the sheet the unit reads, never the internal `preamble`."""
    text = repo.reports.get_report(1).clean_text
    first_chapter = min(s.start for s in repo.reports.sections(1))
    at = next(i for i in range(first_chapter) if not text[i].isspace())
    note = repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 4, body="导语未写明报告依据", status="需整改")
    assert note.section_path == "preamble"
    path = tmp_path / "台账.xlsx"
    export_from_library(repo, path)
    wb, ws, header, rows = _sheet_rows(path)
    assert ws.cell(rows[f"批注-{note.id}"], header.index("章节") + 1).value == "导语"
    assert all("preamble" not in str(c.value or "") for row in ws.iter_rows() for c in row)
