"""The ledger over a real library (the bundled sample): export, edit in a copy, import via the service and CLI."""
from __future__ import annotations

import openpyxl

from desktop.cli import main
from desktop.ledger.service import apply_round, export_from_library, preview_round
from desktop.store.db import open_library
from tests.libraries import sample_library  # noqa: E402


def _uid_rows(ws):
    header = [c.value for c in ws[3]]
    col = header.index("编号") + 1
    return {ws.cell(r, col).value: r for r in range(4, ws.max_row + 1)
            if ws.cell(r, col).value and not str(ws.cell(r, col).value).startswith("主题:")}


def test_sample_exports_its_eleven_plan_tasks(repo, tmp_path):
    path = tmp_path / "sample.xlsx"
    summary = export_from_library(repo, path)
    assert summary.tasks == 11 and summary.reports == 1
    wb = openpyxl.load_workbook(path)
    ws = wb["工作要点跟踪台账"]
    assert ws["A1"].value == "杭州市司法局2024年法治政府建设主要安排落实情况跟踪表"
    tasks = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert [r[0] for r in tasks] == list(range(1, 12))
    stored = {w.uid: w for w in repo.items.work_items(kind="plan_task")}
    assert {r[13] for r in tasks} == set(stored)
    assert all(r[2] == stored[r[13]].text for r in tasks)
    groups = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[13], str) and r[13].startswith("主题:")]
    assert len(groups) == 3
    assert wb["指标汇总"].max_row - 1 == len(repo.items.indicators(repo.reports.list_reports()[0].id))
    info = {r[0]: r[1] for r in wb["台账信息"].iter_rows(values_only=True)}
    assert info["library_id"] == repo.library_id()


def test_import_updates_tracking_fields_and_nothing_else(repo, tmp_path):
    path = tmp_path / "sample.xlsx"
    export_from_library(repo, path)
    before = {w.uid: w for w in repo.items.work_items(kind="plan_task")}
    wb = openpyxl.load_workbook(path)
    ws = wb["工作要点跟踪台账"]
    rows = _uid_rows(ws)
    first, second, third = list(rows)[:3]
    ws.cell(rows[first], 10).value = "已完成"
    ws.cell(rows[first], 9).value = "已完成全部学习任务"
    ws.cell(rows[second], 3).value = "被改过的任务文字"
    ws.cell(rows[third], 10).value = "差不多了"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)

    plan = preview_round(repo, [edited], "2024年第一季度")
    assert {(c.uid, c.field, c.new) for c in plan.all_changes} == {
        (first, "status", "已完成"), (first, "progress", "已完成全部学习任务")}
    assert {p.uid for _, p in plan.problems} == {second, third}
    assert repo.items.get_work_item(before[first].id).status is None  # preview writes nothing

    assert len(apply_round(repo, plan, who="测试")) == 1  # one file returned
    after = {w.uid: w for w in repo.items.work_items(kind="plan_task")}
    assert after[first].status == "已完成" and after[first].progress == "已完成全部学习任务"
    for uid, item in before.items():
        if uid != first:
            assert after[uid] == item
    assert after[first].text == before[first].text


def test_cli_export_and_import(repo, db_path, tmp_path, capsys):
    repo.close()
    out = tmp_path / "cli.xlsx"
    assert main(["export", "ledger", "--all", "-o", str(out), "--db", str(db_path)]) == 0
    assert "11 项工作任务" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    ws = wb["工作要点跟踪台账"]
    rows = _uid_rows(ws)
    uid = next(iter(rows))
    ws.cell(rows[uid], 10).value = "滞后"
    ws.cell(rows[uid], 8).value = "明年"  # bad date: refused
    other = list(rows)[1]
    ws.cell(rows[other], 7).value = "赵六"
    wb.save(out)

    assert main(["import-ledger", str(out), "--dry-run", "--db", str(db_path)]) == 1
    captured = capsys.readouterr()
    assert "试运行" in captured.out and "责任人" in captured.out and "赵六" in captured.out
    assert "完成时限“明年”不是有效日期" in captured.out
    check = sample_library(db_path)
    try:
        assert check.items.find_work_item(other).owner is None
    finally:
        check.close()

    assert main(["import-ledger", str(out), "--db", str(db_path)]) == 1
    check = sample_library(db_path)
    try:
        assert check.items.find_work_item(other).owner == "赵六"
        assert check.items.find_work_item(uid).status is None
    finally:
        check.close()


def test_cli_reports_a_bad_file_in_one_line(db_path, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    assert main(["import-ledger", str(bad), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(bad) in err and "不是 Excel 工作簿" in err


def test_cli_export_of_an_unknown_report(db_path, tmp_path, capsys):
    assert main(["export", "ledger", "没有这份报告", "-o", str(tmp_path / "x.xlsx"), "--db", str(db_path)]) == 2
    assert "找不到报告" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_the_review_sheet_uses_stored_check_results(repo, tmp_path, monkeypatch):
    from desktop.review import service as review_service

    export_from_library(repo, tmp_path / "first.xlsx")  # computes and stores each report's checks once
    monkeypatch.setattr(review_service, "run_checks", lambda *a, **k: (_ for _ in ()).throw(AssertionError("rerun")))
    export_from_library(repo, tmp_path / "second.xlsx")  # the stored results: no check runs again
    ws = openpyxl.load_workbook(tmp_path / "second.xlsx")["审阅评分"]
    assert any(r[0] == "检查明细" for r in ws.iter_rows(values_only=True))
