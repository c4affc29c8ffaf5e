"""Follow-up over a real library: pairing by unit and year, stored decisions, the ledger sheets, the checks finding."""
from __future__ import annotations

import openpyxl
import pytest

from conftest import ROOT
from desktop.followup import service
from desktop.followup.indicators import build_table, indicator_key, unit_indicators
from desktop.store import followup_repo

PAIRS = ROOT / "tests" / "followup_pairs"


@pytest.fixture
def lib(repo):
    """The seed (#1, 2023) and its 2024 successor (#2), plus an unrelated county's two years (#3, #4)."""
    for name in ("hz-sfj-2024.txt", "qx-county-2023.txt", "qx-county-2024.txt", "dh-district-2024-points.txt",
                 "dh-district-2024.txt"):
        repo.reports.import_file(PAIRS / name)
    return repo


def test_consecutive_years_of_one_unit_are_paired(lib):
    pairs = service.pairs(lib)
    titles = {(lib.reports.get_report(a).title, lib.reports.get_report(b).title) for a, b in pairs}
    assert ("杭州市司法局2023年法治政府建设年度报告", "杭州市司法局2024年法治政府建设年度报告") in titles
    assert any("青溪县" in a and "2023" in a and "2024" in b for a, b in titles)
    assert any("工作要点" in a and "东湖区" in b for a, b in titles)  # a 工作要点 of the same year pairs too
    assert all(not ("杭州" in a and "青溪" in b) for a, b in titles)
    assert service.earlier_for(lib, 1) is None  # nothing before the seed


def test_a_decision_survives_reopening_and_keeps_history(lib, db_path):
    from desktop.store.db import open_library

    fu = service.compare_stored(lib, 1, 2)
    row = next(r for r in fu.rows if "无证明化" in r.plan.text)
    service.decide(lib, 2, row.work_item_id, decision="部分体现", machine_verdict=row.plan.verdict, who="王五")
    service.decide(lib, 2, row.work_item_id, note="见佐证材料第3页", who="王五")
    with pytest.raises(ValueError):
        service.decide(lib, 2, row.work_item_id, decision="完成了")
    again = open_library(db_path, seed_sample=False, backups=False)
    try:
        d = followup_repo.decisions(again, 2)[row.work_item_id]
        assert (d.decision, d.note, d.machine_verdict, d.reviewer) == ("部分体现", "见佐证材料第3页", "未提及", "王五")
        changes = [(h.field, h.old, h.new) for h in again.annotations.history(2) if h.entity == "followup"]
        assert ("decision", None, "部分体现") in changes and ("note", None, "见佐证材料第3页") in changes
        stored = service.compare_stored(again, 1, 2)
        assert next(r for r in stored.rows if r.work_item_id == row.work_item_id).verdict == "部分体现"
    finally:
        again.close()


def test_the_finding_beside_the_checks(lib):
    from desktop.review.service import check_stored

    findings = service.with_followup(lib, 2, check_stored(lib, 2))
    f = findings[-1]
    assert f.check == "followup.missing" and f.result == "warn"
    assert f.explanation.startswith("3 项上年安排未提及")
    assert service.with_followup(lib, 1, []) == []  # no earlier year: no finding


def test_indicators_are_matched_across_years_by_name():
    assert indicator_key("纠错率", "全年行政复议收案7518件,纠错率5.29%", "%")[0] == "行政复议纠错率"
    assert indicator_key("", "行政机关负责人出庭“应出尽出”实现100%", "%")[0] == "负责人出庭应诉率"
    assert indicator_key("收案", "律师调解市场化全国试点取得重要阶段性成果,收案2.73万件", "件") is None
    assert indicator_key("收行政复议案件", "全年新收行政复议案件8125件", "件")[0] == "行政复议案件数"


def test_unit_indicator_table(lib):
    table = unit_indicators(lib, 2)
    assert table.years == (2023, 2024)
    rows = {r.label: r for r in table.rows}
    assert rows["行政复议纠错率"].change_text(2024) == "-0.42 个百分点"
    assert rows["负责人出庭应诉率"].change_text(2024) == "持平"
    assert rows["行政复议案件数"].change_text(2024) == "+8.1%"
    assert build_table("x", []).rows == ()


def test_ledger_workbook_has_the_cross_year_sheets_with_a_chart(lib, tmp_path):
    from desktop.ledger.service import export_from_library

    fu = service.compare_stored(lib, 1, 2)
    row = next(r for r in fu.rows if "无证明化" in r.plan.text)
    service.decide(lib, 2, row.work_item_id, decision="部分体现", note="=HYPERLINK(\"x\")")
    lib.items.update_work_item(row.work_item_id, {"status": "已完成"})
    out = tmp_path / "台账.xlsx"
    export_from_library(lib, out, ["1", "2"])
    wb = openpyxl.load_workbook(out)
    assert "跨年对照" in wb.sheetnames and "指标年度对比" in wb.sheetnames
    ws = wb["跨年对照"]
    assert [c.value for c in ws[2]] == ["序号", "上年安排", "任务类别", "自动结论", "确定性", "判断理由", "得分",
                                        "本年报告中的依据", "审阅结论", "结论批注", "台账完成状态"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3, max_row=13)]
    assert len(rows) == 11
    target = next(r for r in rows if "无证明化" in r[1])
    # no evidence; the later report plans it again (2025 安排 repeat 无证明化), and the cell says so
    assert target[3:5] == ["未提及", "已确认"] and "再次提到" in target[5]  # the reviewer's decision stands
    assert target[7:] == ["【本年报告的“下一年度安排”中再次提到】", "部分体现", "=HYPERLINK(\"x\")", "已完成"]
    note_cell = next(c for c in ws["J"] if c.value == "=HYPERLINK(\"x\")")
    assert note_cell.data_type == "s"  # written as text, never as a formula
    standard = next(r for r in rows if "行政复议工作地方标准" in r[1])
    assert standard[3] == "已体现" and "《行政复议工作规范》" in standard[7]
    for r in rows:  # every task says whether its verdict is certain; a certain one always says why
        assert r[4] in ("确定", "待确认", "已确认") and (r[4] != "确定" or r[5])
    pending = [r for r in rows if r[4] == "待确认"]
    assert pending and all(r[7] != "—" for r in pending)  # something to check each one against
    trends = wb["指标年度对比"]
    assert trends._charts, "a chart of the rates over the years"
    values = {r[0]: r[1:] for r in trends.iter_rows(min_row=3, values_only=True) if r[0]}
    assert values["行政复议纠错率"][:4] == ("%", 5.29, 4.87, "-0.42 个百分点")


def test_ledger_without_an_earlier_year_has_no_cross_year_sheet(repo, tmp_path):
    from desktop.ledger.service import export_from_library

    out = tmp_path / "台账.xlsx"
    export_from_library(repo, out)
    assert "跨年对照" not in openpyxl.load_workbook(out).sheetnames


def test_libreoffice_prints_the_cross_year_sheets(lib, tmp_path):
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    from desktop.ledger.service import export_from_library

    src = tmp_path / "台账.xlsx"
    export_from_library(lib, src, ["1", "2"])
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)], check=True, capture_output=True,
                   timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "台账.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "未提及 3，部分体现 2，已体现 6" in text  # the 跨年对照 title line
    assert "《行政复议工作规范》" in text  # evidence printed whole, not cut off
    assert "行政复议纠错率" in text and "-0.42 个百分点" in text  # 指标年度对比


def test_pairing_follows_the_library_units(repo):
    """A unit renamed between years pairs once the reviewer merges the two units (helper 10's units)."""
    text = (PAIRS / "hz-sfj-2024.txt").read_text(encoding="utf-8").replace("杭州市司法局", "杭州市司法行政局")
    renamed = repo.reports.import_bytes(text.encode("utf-8"), "renamed-2024.txt").report
    assert service.earlier_for(repo, renamed.id) is None
    units = {u.name: u.id for u in repo.units.units()}
    repo.units.merge_units(units["杭州市司法行政局"], units["杭州市司法局"])
    assert service.earlier_for(repo, renamed.id) == 1
    assert [r["id"] for r in service.same_unit_reports(repo, renamed.id)] == [1, renamed.id]


def test_a_work_plan_in_the_library_gives_every_task(lib):
    plan = next(r for r in lib.reports.list_reports() if "工作要点" in (r.title or ""))
    later = next(r for r in lib.reports.list_reports() if "东湖区人民政府" in (r.title or ""))
    fu = service.compare_stored(lib, plan.id, later.id)
    assert len(fu.rows) == 12  # the tasks the reader stored, and the numbered headings of 加强组织保障
    assert sum(r.work_item_id is not None for r in fu.rows) >= 10
    texts = [r.plan.text for r in fu.rows]
    assert any("综合绩效考核" in t for t in texts) and texts.index(next(t for t in texts if "编制" in t)) == 0
