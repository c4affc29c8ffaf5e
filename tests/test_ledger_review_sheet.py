"""The 审阅评分 sheet: written into a real workbook, saved, read back with openpyxl."""
from __future__ import annotations

import openpyxl
import pytest

from desktop.report.extract import read_file
from desktop.review.checks import run_checks
from desktop.ledger.review_sheet import SHEET, write_review_sheet
from desktop.review.findings import Evidence, Finding
from desktop.review.rubric import load_rubric, weighted_total


@pytest.fixture(scope="module")
def seed(sample_path):
    reading = read_file(sample_path)
    return reading, run_checks(reading)


def _rows(path):
    ws = openpyxl.load_workbook(path)[SHEET]
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


def test_sheet_lists_criteria_findings_scores_and_total(tmp_path, seed):
    reading, findings = seed
    rubric = load_rubric()
    scores = {"completeness": 5, "timeliness": 5, "evidence": 3.5, "candour": 2, "overall": "良"}
    wb = openpyxl.Workbook()
    write_review_sheet(wb, reading.metadata.title, rubric, findings, scores)
    path = tmp_path / "ledger.xlsx"
    wb.save(path)

    ws, rows = _rows(path)
    assert rows[0][0] == "审阅评分：杭州市司法局2023年法治政府建设年度报告"
    header = rows.index(["评分项", "说明", "权重", "量表", "自动检查结论", "评分", "加权得分", "评语", "评分人"])
    by_name = {r[0]: r for r in rows[header + 1:header + 1 + len(rubric.criteria)]}
    assert list(by_name) == [c.name for c in rubric.criteria]
    assert by_name["按时公开"][2] == 10 and by_name["按时公开"][5] == "5"
    assert by_name["按时公开"][6] == pytest.approx(10.0)
    assert "【通过】公开时间" in by_name["按时公开"][4]
    assert "【未通过】问题原因" in by_name["问题查摆坦诚、原因分析到位"][4]
    assert by_name["总体评价"][5] == "良"
    assert by_name["第一责任人履职具体"][5] is None or by_name["第一责任人履职具体"][5] == ""
    total_row = rows[header + 1 + len(rubric.criteria)]
    assert total_row[0] == "合计" and total_row[6] == pytest.approx(weighted_total(rubric, scores))
    assert rows[1][3] == pytest.approx(weighted_total(rubric, scores))
    # the findings detail lists every check with its evidence
    detail = rows.index(["检查", "说明", "结论", "涉及评分项", "证据", None, None, None, None])
    titles = [r[0] for r in rows[detail + 1:]]
    assert len(titles) == len(findings)
    data_row = rows[detail + 1 + [f.check for f in findings].index("data")]
    assert data_row[2] == "提醒" and "全力争创全国法治政府建设示范市" in data_row[4]
    # no formulas anywhere
    assert not any(isinstance(v, str) and c.data_type == "f" for row in ws.iter_rows() for c in row for v in [c.value])


def test_text_starting_with_formula_characters_stays_text(tmp_path):
    rubric = load_rubric()
    evil = Finding("data", "=HYPERLINK(\"http://x\")", "warn", "=1+1", ("evidence",),
                   (Evidence(0, 4, "@SUM(A1)", ""),), {})
    wb = openpyxl.Workbook()
    record = type("Rec", (), {"criterion_id": "evidence", "score": 4.0, "comment": "-2 分：数据少", "reviewer": "+张"})()
    write_review_sheet(wb, "=cmd|' /C calc'!A0", rubric, [evil], {"evidence": record})
    path = tmp_path / "evil.xlsx"
    wb.save(path)
    ws = openpyxl.load_workbook(path)[SHEET]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)
             and c.value[:1] in "=+-@"]
    assert {c.value for c in cells} >= {"=HYPERLINK(\"http://x\")", "=1+1", "@SUM(A1)", "-2 分：数据少", "+张"}
    assert all(c.data_type == "s" for c in cells)
    assert ws["A1"].value == "审阅评分：=cmd|' /C calc'!A0"


def test_off_scale_scores_are_ignored_not_written(tmp_path):
    rubric = load_rubric()
    wb = openpyxl.Workbook()
    write_review_sheet(wb, "报告", rubric, [], {"timeliness": 9, "plans": "优秀"})
    path = tmp_path / "x.xlsx"
    wb.save(path)
    _, rows = _rows(path)
    assert rows[1][3] == 0  # total
    assert all(r[5] in (None, "") for r in rows[4:4 + len(rubric.criteria)])


def test_second_report_is_appended_below(tmp_path, seed):
    reading, findings = seed
    wb = openpyxl.Workbook()
    write_review_sheet(wb, "甲报告", None, findings, {"timeliness": 5})
    write_review_sheet(wb, "乙报告", None, findings, {"timeliness": 2})
    path = tmp_path / "two.xlsx"
    wb.save(path)
    _, rows = _rows(path)
    heads = [r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("审阅评分：")]
    assert heads == ["审阅评分：甲报告", "审阅评分：乙报告"]


def test_astral_text_is_cut_to_excels_cell_limit_in_utf16_units(tmp_path):
    """One sanitiser (excel.cells.safe_text): 20,000 astral characters are 40,000 UTF-16 units, over the limit."""
    from desktop.excel.cells import CELL_LIMIT, TRUNCATION_MARK

    rubric = load_rubric()
    huge = Finding("data", "数据", "warn", "𠀀" * 20000, ("evidence",), (), {})
    wb = openpyxl.Workbook()
    write_review_sheet(wb, "报告", rubric, [huge], {})
    path = tmp_path / "astral.xlsx"
    wb.save(path)
    _, rows = _rows(path)
    longest = max((v for r in rows for v in r if isinstance(v, str)), key=len)
    assert len(longest.encode("utf-16-le")) // 2 <= CELL_LIMIT and longest.endswith(TRUNCATION_MARK)
