"""Ledgers out to many departments and back in rounds: by-unit workbooks, merge without loss, conflicts."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main
from desktop.ledger import layout
from desktop.ledger.service import apply_round, export_units_from_library, preview_round

UNITS = ["市司法局", "市发改委、市司法局", "市公安局", None, "各区、县（市）政府", "市数据局*?"]


def _assign(repo) -> list:
    """Give the sample's plan tasks lead units: one led by two units, some unassigned, one unsafe name."""
    tasks = repo.items.work_items(kind="plan_task")
    repo.items.apply_work_item_updates([(t.id, {"lead_unit": UNITS[i % len(UNITS)]}) for i, t in enumerate(tasks)])
    return repo.items.work_items(kind="plan_task")


def _fill(path: Path, out: Path, values: dict, unit: str | None = None) -> Path:
    """Open a workbook as a department would, type values by task uid and header, save."""
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.SHEET_TRACKING]
    header = [c.value for c in ws[layout.HEADER_ROW]]
    rows = {ws.cell(r, len(header)).value: r for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1)}
    for uid, fields in values.items():
        for name, value in fields.items():
            ws.cell(rows[uid], header.index(name) + 1).value = value
    if unit is not None:
        ws.cell(layout.FILLER_ROW, 1).value = f"填报单位（盖章）：{unit}"
    wb.save(out)
    return out


def _tracked(repo, uid):
    return next(w for w in repo.items.work_items() if w.uid == uid)


@pytest.fixture
def units(repo, tmp_path):
    tasks = _assign(repo)
    written = export_units_from_library(repo, tmp_path / "out")
    return tasks, {Path(s.path).name: Path(s.path) for s in written}


def test_by_unit_workbooks_hold_only_their_units_tasks(repo, units):
    tasks, files = units
    assert set(files) == {"台账-市司法局.xlsx", "台账-市发改委.xlsx", "台账-市公安局.xlsx", "台账-未分配.xlsx",
                          "台账-各区、县（市）政府.xlsx", "台账-市数据局__.xlsx"}
    for name, path in files.items():
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == [layout.SHEET_TRACKING, layout.SHEET_META]  # nothing else to print
        ws = wb[layout.SHEET_TRACKING]
        unit = name[3:-5].replace("市数据局__", "市数据局*?")
        assert ws["A2"].value == f"填报单位（盖章）：{unit}"
        uids = {ws.cell(r, 14).value for r in range(4, ws.max_row + 1)} - {None}
        uids = {u for u in uids if not u.startswith(layout.THEME_MARK)}
        expected = {t.uid for t in tasks if (unit == "未分配" and not t.lead_unit)
                    or (t.lead_unit and unit in t.lead_unit.split("、"))}
        if unit == "各区、县（市）政府":
            expected = {t.uid for t in tasks if t.lead_unit == "各区、县（市）政府"}
        assert uids == expected and uids, name
    both = next(t for t in tasks if t.lead_unit == "市发改委、市司法局")
    for name in ("台账-市司法局.xlsx", "台账-市发改委.xlsx"):  # a task led by two units goes to both
        ws = openpyxl.load_workbook(files[name])[layout.SHEET_TRACKING]
        assert both.uid in {ws.cell(r, 14).value for r in range(4, ws.max_row + 1)}


def test_second_department_does_not_blank_the_first(repo, tmp_path):
    """The reported bug: A's copy (rows 1–3 filled), then B's copy (rows 8–11 filled, 1–3 blank)."""
    main(["export", "ledger", "--all", "-o", str(tmp_path / "l.xlsx"), "--db", str(repo.path)])
    tasks = repo.items.work_items(kind="plan_task")
    a = _fill(tmp_path / "l.xlsx", tmp_path / "A.xlsx", {t.uid: {"完成状态": "已完成", "进展情况": f"A{i}"}
                                                        for i, t in enumerate(tasks[:3])}, "甲单位")
    b = _fill(tmp_path / "l.xlsx", tmp_path / "B.xlsx", {t.uid: {"完成状态": "推进中"} for t in tasks[7:11]}, "乙单位")
    assert main(["import-ledger", str(a), "--db", str(repo.path), "--round", "2024年第二季度"]) == 0
    assert main(["import-ledger", str(b), "--db", str(repo.path), "--round", "2024年第二季度"]) == 0
    for i, t in enumerate(tasks[:3]):
        now = _tracked(repo, t.uid)
        assert (now.status, now.progress) == ("已完成", f"A{i}")
    assert all(_tracked(repo, t.uid).status == "推进中" for t in tasks[7:11])


def test_three_units_in_one_call_keep_every_value_and_a_later_blank_round_keeps_them(repo, units, tmp_path,
                                                                                       capsys):
    tasks, files = units
    by_unit = {"市司法局": [], "市公安局": [], "未分配": []}
    for t in tasks:
        key = "市司法局" if t.lead_unit and "市司法局" in t.lead_unit else t.lead_unit or "未分配"
        if key in by_unit:
            by_unit[key].append(t)
    fills = {}
    for n, (unit, mine) in enumerate(by_unit.items()):
        values = {t.uid: {"完成状态": layout.STATUSES[n], "进展情况": f"{unit}第{i}项进展", "责任人": f"人{n}{i}"}
                  for i, t in enumerate(mine)}
        fills[unit] = values
        _fill(files[f"台账-{unit}.xlsx"], tmp_path / f"back-{n}.xlsx", values, unit)
    args = ["import-ledger", *(str(tmp_path / f"back-{n}.xlsx") for n in range(3)), "--round", "2024年第一季度",
            "--reviewer", "审阅人乙", "--db", str(repo.path)]
    assert main(args) == 0
    for values in fills.values():
        for uid, fields in values.items():
            now = _tracked(repo, uid)
            assert (now.status, now.progress, now.owner) == (fields["完成状态"], fields["进展情况"], fields["责任人"])
    # provenance on every history row of the read-back, and a timeline per task
    rows = [h for h in repo.annotations.history() if h.who == "审阅人乙"]
    assert rows and all(h.source and h.source.startswith("2024年第一季度 · back-") and "填报单位" in h.source
                        for h in rows)
    first = next(iter(fills["市公安局"]))
    line = repo.ledger.task_timeline(_tracked(repo, first).id)
    assert [(p.round, p.file_name, p.filler_unit, p.status) for p in line] == [
        ("2024年第一季度", "back-1.xlsx", "市公安局", layout.STATUSES[1])]
    # next round: the 市司法局 sends its copy with only one cell filled; everything else stays
    mine = list(fills["市司法局"])
    _fill(files["台账-市司法局.xlsx"], tmp_path / "q2.xlsx", {mine[0]: {"进展情况": "第二季度的进展"}}, "市司法局")
    capsys.readouterr()
    assert main(["import-ledger", str(tmp_path / "q2.xlsx"), "--round", "2024年第二季度", "--db", str(repo.path)]) == 0
    assert "1 处修改" in capsys.readouterr().out
    for unit, values in fills.items():
        for uid, fields in values.items():
            now = _tracked(repo, uid)
            expected = "第二季度的进展" if uid == mine[0] else fields["进展情况"]
            assert (now.status, now.progress, now.owner) == (fields["完成状态"], expected, fields["责任人"])
    rounds = [p.round for p in repo.ledger.task_timeline(_tracked(repo, mine[0]).id)]
    assert rounds == ["2024年第一季度", "2024年第二季度"]


def test_conflict_is_listed_and_applied_only_after_a_choice(repo, units, tmp_path, capsys):
    tasks, files = units
    shared = next(t for t in tasks if t.lead_unit == "市发改委、市司法局")
    a = _fill(files["台账-市司法局.xlsx"], tmp_path / "司法.xlsx", {shared.uid: {"完成状态": "已完成"}})
    b = _fill(files["台账-市发改委.xlsx"], tmp_path / "发改.xlsx", {shared.uid: {"完成状态": "滞后",
                                                                            "备注": "资金未到位"}})
    capsys.readouterr()
    assert main(["import-ledger", str(a), str(b), "--round", "R1", "--db", str(repo.path)]) == 1
    out = capsys.readouterr().out
    assert "冲突" in out and "司法.xlsx" in out and "发改.xlsx" in out and "已完成" in out and "滞后" in out
    now = _tracked(repo, shared.uid)
    assert now.status is None and now.remarks == "资金未到位"  # the agreed field is applied, the conflict waits
    # same round, the other file alone: still a conflict with what the round already holds
    assert main(["import-ledger", str(b), "--round", "R1", "--db", str(repo.path)]) == 1
    assert _tracked(repo, shared.uid).status is None
    assert main(["import-ledger", str(a), str(b), "--round", "R1", "--prefer", "x.xlsx", "--db", str(repo.path)]) == 2
    assert main(["import-ledger", str(a), str(b), "--round", "R1", "--prefer", str(b), "--db", str(repo.path)]) == 0
    assert _tracked(repo, shared.uid).status == "滞后"
    history = [h for h in repo.annotations.history() if h.field == "status" and h.entity_id == shared.id]
    assert history[0].source.startswith("R1 · 发改.xlsx")


def test_formula_and_error_cells_are_refused_with_the_reason(repo, units, tmp_path, capsys):
    tasks, files = units
    mine = [t for t in tasks if t.lead_unit == "市公安局"]
    path = _fill(files["台账-市公安局.xlsx"], tmp_path / "f.xlsx",
                 {mine[0].uid: {"完成状态": '=IF(1,"已完成")', "进展情况": "正常填写"},
                  mine[1].uid: {"责任人": "张三"}})
    wb = openpyxl.load_workbook(path)  # an error value as Excel stores it
    ws = wb[layout.SHEET_TRACKING]
    r = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 14).value == mine[1].uid)
    ws.cell(r, 9).value = "#VALUE!"
    ws.cell(r, 9).data_type = "e"
    wb.save(path)
    capsys.readouterr()
    assert main(["import-ledger", str(path), "--db", str(repo.path)]) == 1
    out = capsys.readouterr().out
    assert "完成状态：单元格含公式" in out and "进展情况：单元格是错误值“#VALUE!”" in out
    first, second = _tracked(repo, mine[0].uid), _tracked(repo, mine[1].uid)
    assert first.status is None and first.progress == "正常填写"
    assert second.progress is None and second.owner == "张三"


def test_undo_withdraws_a_whole_read_back(repo, units, tmp_path):
    tasks, files = units
    mine = [t for t in tasks if t.lead_unit == "市公安局"]
    path = _fill(files["台账-市公安局.xlsx"], tmp_path / "u.xlsx", {t.uid: {"完成状态": "已完成"} for t in mine})
    plan = preview_round(repo, [tmp_path], "R9")  # a folder
    ids = apply_round(repo, plan)
    assert all(_tracked(repo, t.uid).status == "已完成" for t in mine) and repo.ledger.ledger_returns("R9")
    repo.ledger.withdraw_ledger_returns(ids, plan.reverts())
    assert all(_tracked(repo, t.uid).status is None for t in mine) and not repo.ledger.ledger_returns("R9")
    assert not repo.ledger.task_timeline(_tracked(repo, mine[0].uid).id)
    assert repo.annotations.history()[0].source == "撤销台账读回"
    repo.ledger.restore_ledger_returns("R9", ids, plan.returns())  # redo: the same values, each with its file's provenance
    assert all(_tracked(repo, t.uid).status == "已完成" for t in mine) and repo.ledger.ledger_returns("R9")
    assert repo.annotations.history()[0].source == "R9 · u.xlsx · 填报单位：市公安局"  # pre-filled at export
    assert path.exists()


def test_status_lists_units_returns_and_overdue(repo, units, tmp_path, capsys):
    tasks, files = units
    mine = [t for t in tasks if t.lead_unit == "市公安局"]
    repo.items.apply_work_item_updates([(mine[0].id, {"deadline": "2020-06-30"})])
    _fill(files["台账-市公安局.xlsx"], tmp_path / "s.xlsx", {mine[1].uid: {"完成状态": "已完成"}})
    assert main(["import-ledger", str(tmp_path / "s.xlsx"), "--round", "Q", "--db", str(repo.path)]) == 0
    capsys.readouterr()
    assert main(["ledger-status", "--round", "Q", "--json", "--db", str(repo.path)]) == 0
    data = json.loads(capsys.readouterr().out)
    police = next(u for u in data["units"] if u["unit"] == "市公安局")
    assert police["tasks"] == len(mine) and police["returned"] and police["overdue"] == 1
    assert police["statuses"]["已完成"] == 1 and police["returns"][0]["file"] == "s.xlsx"
    justice = next(u for u in data["units"] if u["unit"] == "市司法局")
    assert justice["returned"] is False
    assert data["units"][-1]["unit"] == "未分配"
    office = tmp_path / "office.xlsx"  # the office's workbook: the same table on its 汇总 sheet
    assert main(["export", "ledger", "-o", str(office), "--round", "Q", "--db", str(repo.path)]) == 0
    ws = openpyxl.load_workbook(office)[layout.SHEET_SUMMARY]
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["市公安局"][1] == police["tasks"] and rows["市公安局"][-1].startswith("已交回（s.xlsx")
    assert rows["市司法局"][-1] == "未交回"
    # a task led by two units stands in both rows but is one task in the total (it was counted twice)
    assert any(t.lead_unit and "、" in t.lead_unit and "各区" not in t.lead_unit for t in tasks)
    assert rows["合计"][1] == data["total"]["tasks"] == len(tasks) < sum(u["tasks"] for u in data["units"])
    assert data["total"]["statuses"]["已完成"] == 1 and data["total"]["overdue"] == 1
    assert main(["ledger-status", "--round", "Q", "--db", str(repo.path)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1].split("\t")
    assert last[:2] == ["合计", str(len(tasks))] and last[-1].endswith("个单位已交回")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_resave_of_a_filled_unit_workbook_reads_back_identically(repo, units, tmp_path):
    tasks, files = units
    mine = [t for t in tasks if t.lead_unit == "市公安局"]
    values = {mine[0].uid: {"完成状态": "已完成", "进展情况": "已办结，\n材料已归档", "完成时限": "2024-09-30"},
              mine[1].uid: {"责任人": "李四", "佐证材料": "=不是公式的文字"}}
    filled = _fill(files["台账-市公安局.xlsx"], tmp_path / "filled.xlsx", values, "市公安局")
    wb = openpyxl.load_workbook(filled)  # text that starts with = typed as text (Excel's quote prefix)
    ws = wb[layout.SHEET_TRACKING]
    for row in ws.iter_rows(min_row=4):
        for c in row:
            if c.value == "=不是公式的文字":
                c.data_type, c.quotePrefix = "s", True
    wb.save(filled)
    resaved = tmp_path / "lo"
    resaved.mkdir()
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(resaved), str(filled)],
                   check=True, capture_output=True, timeout=180)
    before = preview_round(repo, [filled], "X")
    after = preview_round(repo, [resaved / "filled.xlsx"], "X")
    assert before.diffs[0].unit == after.diffs[0].unit == "市公安局"
    assert before.diffs[0].reported == after.diffs[0].reported
    assert not before.problems and not after.problems
    assert [(c.uid, c.field, c.new) for c in before.all_changes] == [(c.uid, c.field, c.new) for c in after.all_changes]
    assert ("佐证材料" not in str(after.problems)) and any(c.new == "=不是公式的文字" for c in after.all_changes)


PLAN = """某市2025年法治政府建设工作要点

为深入推进法治政府建设，制定本要点。

一、深入推进依法行政
（一）健全依法决策机制
1.制定出台行政复议工作地方标准。（牵头单位：市司法局；配合单位：市市场监管局）
2.推进重大行政决策目录化管理。（牵头单位：市政府办公厅、市司法局）
（二）强化示范创建
3.开展法治政府建设示范创建工作。（责任单位：市委依法治市办）
二、加强法治宣传
（一）抓好普法宣传
4.组织开展宪法宣传周系列活动。（牵头单位：市司法局；完成时限：2025年12月底前）
5.推动公共法律服务平台融合发展。
"""


def test_a_work_plan_naming_its_lead_units_needs_no_assigning(db_path, tmp_path, capsys):
    from desktop.store.db import open_library

    plan = tmp_path / "某市2025年工作要点.txt"
    plan.write_text(PLAN, encoding="utf-8")
    repo = open_library(db_path, seed_sample=False)
    try:
        report = repo.reports.import_file(plan).report
    finally:
        repo.close()
    out = tmp_path / "分发"
    assert main(["export", "ledger", str(report.id), "--by-unit", "-o", str(out), "--db", str(db_path)]) == 0
    counts = {}
    for f in out.iterdir():
        ws = openpyxl.load_workbook(f)[layout.SHEET_TRACKING]
        counts[f.name] = sum(1 for r in range(4, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int))
    assert counts == {"台账-市司法局.xlsx": 3, "台账-市政府办公厅.xlsx": 1, "台账-市委依法治市办.xlsx": 1,
                      "台账-未分配.xlsx": 1}
    assert main(["export", "ledger", "--by-unit", "-o", str(tmp_path / "x.xlsx"), "--db", str(db_path)]) == 2


def test_a_choice_made_with_prefer_is_remembered_for_the_round(repo, tmp_path, capsys):
    """A and B disagree on two fields; --prefer A settles them. A third copy of the same round (C) read later agrees
    with B: the choice stands (exit 0) until a newer round or a new --prefer; ledger-status shows it and its file."""
    db, rnd = str(repo.path), "2024年第三季度"
    main(["export", "ledger", "--all", "-o", str(tmp_path / "l.xlsx"), "--db", db])
    t1, t2 = repo.items.work_items(kind="plan_task")[:2]
    a = _fill(tmp_path / "l.xlsx", tmp_path / "A.xlsx", {t1.uid: {"完成状态": "已完成"}, t2.uid: {"进展情况": "甲说"}}, "甲单位")
    b = _fill(tmp_path / "l.xlsx", tmp_path / "B.xlsx", {t1.uid: {"完成状态": "推进中"}, t2.uid: {"进展情况": "乙说"}}, "乙单位")
    c = _fill(tmp_path / "l.xlsx", tmp_path / "C.xlsx", {t1.uid: {"完成状态": "推进中"}, t2.uid: {"进展情况": "丙说"}}, "丙单位")
    assert main(["import-ledger", str(a), str(b), "--round", rnd, "--db", db]) == 1  # two conflicts wait
    assert main(["import-ledger", str(a), str(b), "--round", rnd, "--prefer", "A.xlsx", "--db", db]) == 0
    assert (_tracked(repo, t1.uid).status, _tracked(repo, t2.uid).progress) == ("已完成", "甲说")
    capsys.readouterr()
    assert main(["import-ledger", str(c), "--round", rnd, "--db", db]) == 0  # the older B still disagrees: no matter
    out = capsys.readouterr().out
    assert "冲突" not in out.replace("冲突已按选择处理", "") and "2 处按本轮此前的选择" in out
    assert (_tracked(repo, t1.uid).status, _tracked(repo, t2.uid).progress) == ("已完成", "甲说")
    assert main(["ledger-status", "--round", rnd, "--db", db]) == 0
    status = capsys.readouterr().out
    assert "本轮已选定的值（2 处" in status and "完成状态 = 已完成（采用 A.xlsx）" in status
    assert "进展情况 = 甲说（采用 A.xlsx）" in status
    # an explicit change: prefer C now
    assert main(["import-ledger", str(c), str(a), "--round", rnd, "--prefer", "C.xlsx", "--db", db]) == 0
    assert (_tracked(repo, t1.uid).status, _tracked(repo, t2.uid).progress) == ("推进中", "丙说")
    # a newer round starts afresh: A and C disagree again
    assert main(["import-ledger", str(a), str(c), "--round", "2024年第四季度", "--db", db]) == 1


def test_a_copy_signed_with_a_departments_full_name_counts_as_returned(repo, tmp_path, capsys):
    """填报单位 杭州市司法局法治调研处 answers for the tasks led by 杭州市司法局 (and 市司法局): not 未交回."""
    tasks = repo.items.work_items(kind="plan_task")
    repo.items.apply_work_item_updates([(tasks[0].id, {"lead_unit": "杭州市司法局"}), (tasks[1].id, {"lead_unit": "市公安局"})])
    db = str(repo.path)
    main(["export", "ledger", "--all", "-o", str(tmp_path / "l.xlsx"), "--db", db])
    back = _fill(tmp_path / "l.xlsx", tmp_path / "back.xlsx", {tasks[0].uid: {"完成状态": "已完成"}},
                 "杭州市司法局法治调研处")
    assert main(["import-ledger", str(back), "--round", "2024年第一季度", "--db", db]) == 0
    capsys.readouterr()
    assert main(["ledger-status", "--round", "2024年第一季度", "--db", db]) == 0
    lines = {line.split("\t")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "已交回（back.xlsx" in lines["杭州市司法局"] and lines["市公安局"].endswith("未交回")
