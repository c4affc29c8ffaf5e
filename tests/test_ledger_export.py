"""The exported ledger read back with openpyxl: values, validations, conditional formats, panes, printing, IDs."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from desktop.ledger import layout
from desktop.ledger.errors import LedgerCancelled
from desktop.ledger.export import LedgerBundle, export_ledger, ledger_title
from desktop.store.records import AnnotationRecord, IndicatorRecord, ReportRecord, SectionRecord, WorkItemRecord

THEME1 = "以创建全国法治政府建设示范市为主线,推进法治政府建设迭代升级"
THEME2 = "以满足群众法治需求为导向,夯实基层法治政府建设基础"


def report(rid=1, title="杭州市司法局2023年法治政府建设年度报告", plan_year=2024):
    return ReportRecord(id=rid, file_name=f"report-{rid}.txt", sha256="0" * 64, doc_kind="annual_report",
                        title=title, issuer="杭州市司法局", report_year=plan_year - 1, plan_year=plan_year,
                        published="2024-03-04", metadata={}, clean_text="", imported_at="2024-03-05 09:00:00")


def task(i, rid=1, theme=THEME1, **kw):
    fields = dict(id=rid * 100 + i, report_id=rid, uid=f"uid-{rid}-{i}", kind="plan_task", section_path="四.(一)",
                  theme=theme, text=f"第{i}项：紧抓“关键少数”，提升领导干部法治思维和法治能力。", start=i * 10,
                  end=i * 10 + 9, position=i)
    fields.update(kw)
    return WorkItemRecord(**fields)


def bundle(rid=1, **kw):
    sections = (SectionRecord(1, rid, "四", None, "四", "四、", "2024年推进法治政府建设的主要安排", 1, "plans", 0, 500, 0),
                SectionRecord(2, rid, "四.(一)", "四", "一", "(一)", THEME1, 2, "plans", 10, 300, 1))
    items = (
        task(1, rid, deadline="2024-06-30", status="推进中", lead_unit="市司法局", partner_units="各区县司法局"),
        task(2, rid, deadline="2024年底前", owner="张三"),
        task(3, rid, theme=THEME2, category="基层法治", progress="=HYPERLINK(\"http://x\")", remarks="@备注"),
        task(4, rid, theme=THEME2, text="-负号开头的任务\x00含非法字符"),
        WorkItemRecord(id=rid * 100 + 9, report_id=rid, uid=f"uid-{rid}-ach", kind="achievement", section_path="一",
                       theme="成效", text="不是工作安排", start=0, end=5, position=0),
        task(5, rid, deleted=True),
    )
    indicators = (IndicatorRecord(1, rid, "ind-1", "四.(一)", "22个", 22.0, "个", "over", "count", "合规指引",
                                  "等22个重点产业合规指引", 20, 23, position=1, change_value=-0.42, change_unit="百分点",
                                  change_basis="yoy"),
                  IndicatorRecord(2, rid, "ind-2", "preamble", "第二", 2.0, "名", "exact", "rank", "总分",
                                  "=总分位列全国第二", 0, 2, check_status="已审", position=2))
    annotations = (AnnotationRecord(1, rid, "span", None, "四.(一)", 12, 16, "关键少数", "+请补充量化目标",
                                    ("量化", "待核实"), 3.5, "需核实", "李四", "2024-03-05 10:00", "2024-03-06 11:00",
                                    anchor="orphaned"),)
    return LedgerBundle(report(rid, **kw), sections, items, indicators, annotations)


@pytest.fixture
def exported(tmp_path):
    path = tmp_path / "台账.xlsx"
    seen = []
    summary = export_ledger([bundle()], path, "lib-A", progress=lambda d, t: seen.append((d, t)),
                            now=dt.datetime(2024, 3, 7, 9, 30))
    return path, summary, seen


def test_tracking_sheet_values_and_theme_groups(exported):
    path, summary, _ = exported
    assert summary.tasks == 4 and summary.reports == 1
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:5] == ["工作要点跟踪台账", "汇总", "指标汇总", "审阅意见", "报告结构"]
    ws = wb["工作要点跟踪台账"]
    assert ws["A1"].value == "杭州市司法局2024年法治政府建设主要安排落实情况跟踪表"
    assert "A1:M1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value.startswith("填报单位") and any("填报日期" in str(c.value) for c in ws[2])
    header = [c.value for c in ws[3]]
    assert header == ["序号", "任务类别", "工作任务", "量化目标", "牵头单位", "配合单位", "责任人", "完成时限",
                      "进展情况", "完成状态", "佐证材料", "审核意见", "备注", "编号"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == ["一", 1, 2, "二", 3, "三", 4]  # theme (category) rows, then numbered tasks
    assert rows[0][1] == THEME1 and rows[0][13] == "主题:1"
    assert rows[1][1] is None and rows[1][4] == "市司法局" and rows[1][9] == "推进中"  # the theme row names it
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"B4:M4", "B7:M7", "B9:M9"} <= merged  # theme rows span the table: no text over a grid line
    assert rows[1][7] == dt.datetime(2024, 6, 30) and ws["H5"].number_format.startswith("yyyy")
    assert rows[2][7] == "2024年底前" and rows[2][6] == "张三"
    assert rows[3][0] == "二" and rows[3][1] == "基层法治"  # category overrides the theme
    assert rows[5][1] == THEME2 and rows[6][1] is None
    assert [r[13] for r in rows if isinstance(r[0], int)] == ["uid-1-1", "uid-1-2", "uid-1-3", "uid-1-4"]
    assert not any("不是工作安排" in str(r[2]) for r in rows)  # only plan tasks, deleted ones left out
    assert ws.row_dimensions[5].outline_level == 1


def test_fonts_widths_wrap_and_hidden_id_column(exported):
    ws = openpyxl.load_workbook(exported[0])["工作要点跟踪台账"]
    assert ws["A1"].font.name == "黑体" and ws["A3"].font.name == "黑体"
    assert ws["C5"].font.name == "仿宋" and ws["C5"].alignment.wrap_text
    assert ws["C5"].border.left.style == "thin"
    assert ws.column_dimensions["N"].hidden
    assert ws.column_dimensions["C"].width >= 40  # the task text column is wide
    assert 5 <= ws.column_dimensions["A"].width <= 6
    assert ws.column_dimensions["E"].width >= 10  # 市司法局 fits (CJK counted twice)
    assert ws.row_dimensions[5].height >= 20


def test_validations_for_status_and_deadline(exported):
    ws = openpyxl.load_workbook(exported[0])["工作要点跟踪台账"]
    dvs = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert dvs["list"].formula1 == '"未启动,推进中,已完成,滞后,常态化推进"'
    assert str(dvs["list"].sqref) == "J4:J10" and dvs["list"].showErrorMessage
    assert str(dvs["date"].sqref) == "H4:H10" and dvs["date"].operator == "between"
    assert dvs["date"].formula1 == "36526"


def test_conditional_formats_for_late_done_and_overdue(exported):
    ws = openpyxl.load_workbook(exported[0])["工作要点跟踪台账"]
    rules = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rules[rule.formula[0]] = (str(cf.sqref), rule)
    late = rules['$J4="滞后"']
    assert late[0] == "A4:M10" and late[1].dxf.fill.bgColor.rgb.endswith("FFC7CE")
    done = rules['$J4="已完成"']
    assert done[1].dxf.fill.bgColor.rgb.endswith("C6EFCE")
    overdue = next(v for k, v in rules.items() if "TODAY()" in k)
    assert overdue[0] == "H4:H10" and '$J4<>"已完成"' in overdue[1].formula[0]


def test_panes_filter_and_print_settings(exported):
    ws = openpyxl.load_workbook(exported[0])["工作要点跟踪台账"]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:M10"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_formula_like_text_stays_text(exported):
    wb = openpyxl.load_workbook(exported[0])
    ws = wb["工作要点跟踪台账"]
    progress, remarks, text = ws["I8"], ws["M8"], ws["C10"]
    assert progress.value == '=HYPERLINK("http://x")' and progress.data_type == "s" and progress.quotePrefix
    assert remarks.value == "@备注" and remarks.quotePrefix
    assert text.value == "-负号开头的任务含非法字符" and text.quotePrefix
    assert wb["指标汇总"]["G3"].value == "=总分位列全国第二" and wb["指标汇总"]["G3"].data_type == "s"
    assert wb["审阅意见"]["C2"].value == "+请补充量化目标" and wb["审阅意见"]["C2"].quotePrefix


def test_indicator_annotation_and_outline_sheets(exported):
    wb = openpyxl.load_workbook(exported[0])
    ind = [[c.value for c in r] for r in wb["指标汇总"].iter_rows()]
    assert ind[0] == list(layout.INDICATOR_HEADERS)
    assert ind[1] == [f"四.(一) {THEME1}", "合规指引", 22, "个", "以上", "同比-0.42百分点", "等22个重点产业合规指引", None]
    assert ind[2][0] == "导语" and ind[2][7] == "已审"
    ann = [[c.value for c in r] for r in wb["审阅意见"].iter_rows()]
    assert ann[1] == [f"四.(一) {THEME1}", "关键少数", "+请补充量化目标", "量化、待核实", 3.5, "需核实", "李四",
                      "2024-03-06 11:00", "找不到原文"]
    outline = [[c.value for c in r] for r in wb["报告结构"].iter_rows()]
    assert outline[1] == ["四", "2024年推进法治政府建设的主要安排", "下一年度安排", 1, 4, 1]
    assert outline[2][:2] == ["四.(一)", THEME1] and wb["报告结构"]["B3"].alignment.indent == 1
    for name in ("指标汇总", "审阅意见", "报告结构"):
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows == "$1:$1"


def test_meta_sheet_is_very_hidden_and_names_the_library(exported):
    wb = openpyxl.load_workbook(exported[0])
    meta = wb["台账信息"]
    assert meta.sheet_state == "veryHidden"
    info = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    assert info["library_id"] == "lib-A" and info["format"] == layout.FORMAT
    assert info["exported_at"] == "2024-03-07T09:30:00"


def test_progress_is_reported_and_cancel_leaves_no_file(exported, tmp_path):
    _, _, seen = exported
    assert seen and seen[-1][0] == seen[-1][1]
    target = tmp_path / "cancelled.xlsx"
    with pytest.raises(LedgerCancelled):
        export_ledger([bundle()], target, "lib-A", cancel=lambda: True)
    assert not target.exists() and not list(tmp_path.glob(".ledger-*"))


def test_several_reports_carry_a_source_column(tmp_path):
    path = tmp_path / "two.xlsx"
    export_ledger([bundle(1), bundle(2, title="西湖区2023年法治政府建设年度报告")], path, "lib-A")
    wb = openpyxl.load_workbook(path)
    ws = wb["工作要点跟踪台账"]
    header = [c.value for c in ws[3]]
    assert header[-2:] == ["来源报告", "编号"] and ws.column_dimensions["O"].hidden
    sources = {r[13] for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)}
    assert sources == {"杭州市司法局2023年法治政府建设年度报告", "西湖区2023年法治政府建设年度报告"}
    assert [c.value for c in wb["指标汇总"][1]][0] == "来源报告"
    assert [c.value for c in wb["审阅意见"][1]][0] == "来源报告"
    assert [c.value for c in wb["报告结构"][1]][0] == "来源报告"
    seqs = [r[0] for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert seqs == list(range(1, 9))


def test_title_falls_back_when_reports_differ():
    assert ledger_title([bundle(1), bundle(2, plan_year=2025)]) == "杭州市司法局法治政府建设主要安排落实情况跟踪表"


def test_empty_ledger_is_still_a_valid_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    b = bundle()
    export_ledger([LedgerBundle(b.report)], path, "lib-A")
    ws = openpyxl.load_workbook(path)["工作要点跟踪台账"]
    assert [c.value for c in ws[3]][0] == "序号"
    assert all(v is None for r in ws.iter_rows(min_row=4, values_only=True) for v in r)
    assert {str(dv.sqref) for dv in ws.data_validations.dataValidation} == {"J4", "H4"}


def test_review_sheet_is_written(tmp_path):
    path = tmp_path / "hook.xlsx"
    export_ledger([bundle()], path, "lib-A")
    wb = openpyxl.load_workbook(path)
    assert "审阅评分" in wb.sheetnames, wb.sheetnames


def test_defusedxml_guards_openpyxl():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_every_sheet_prints_a4_landscape_one_page_wide(exported):
    wb = openpyxl.load_workbook(exported[0])
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert int(ws.page_setup.fitToHeight) == 0, ws.title
    assert wb["工作要点跟踪台账"].print_title_rows == "$1:$3"
    assert wb["汇总"].print_title_rows == "$1:$2" and wb["汇总"]._charts  # the bar chart is an openpyxl chart
