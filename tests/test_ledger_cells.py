"""Ledger cell safety: XML-illegal characters, the 32,767 limit, formula prefixes, dates, sheet names, raw rows."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from desktop.excel.cells import (
    CELL_LIMIT, TRUNCATION_MARK, approx_width, chinese_numeral, column_width, needs_quote_prefix,
    parse_date, row_height, safe_sheet_name, safe_text,
)
from desktop.excel.xmlrows import RowWriter, splice
from desktop.kernel.textwidth import display_width


def test_safe_text_removes_xml_illegal_characters_and_keeps_the_rest():
    assert safe_text("依法\x00行政\x07\x1f\ufffe") == "依法行政"
    assert safe_text("第一行\n第二行\t制表") == "第一行\n第二行\t制表"
    assert safe_text("\x01\x02") is None
    assert safe_text("") is None and safe_text(None) is None
    assert safe_text(12) == "12"


def test_safe_text_cuts_at_excel_cell_limit_counting_utf16_units():
    long = "法" * (CELL_LIMIT + 10)
    cut = safe_text(long)
    assert len(cut) == CELL_LIMIT and cut.endswith(TRUNCATION_MARK)
    astral = "𠀀" * 20000  # each counts two UTF-16 units in Excel
    cut = safe_text(astral)
    assert len(cut.encode("utf-16-le")) // 2 <= CELL_LIMIT and cut.endswith(TRUNCATION_MARK)
    exact = "法" * CELL_LIMIT
    assert safe_text(exact) == exact


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd", "\t=1", "\r=1"])
def test_formula_prefixes_are_flagged(text):
    assert needs_quote_prefix(text)


def test_plain_text_is_not_flagged():
    assert not needs_quote_prefix("推进法治政府建设") and not needs_quote_prefix(None)


def test_parse_date_accepts_common_forms_and_rejects_vague_deadlines():
    assert parse_date("2024-12-31") == dt.date(2024, 12, 31)
    assert parse_date("2024/6/3") == dt.date(2024, 6, 3)
    assert parse_date("2024年6月30日") == dt.date(2024, 6, 30)
    assert parse_date(dt.datetime(2024, 1, 2, 0, 0)) == dt.date(2024, 1, 2)
    assert parse_date("2024年底前") is None
    assert parse_date("2024-02-30") is None
    assert parse_date(45000) is None


def test_widths_count_chinese_twice():
    assert display_width("法治ab") == 6 and approx_width("法治ab") == 6
    assert column_width(["牵头单位", "市司法局"], minimum=5, maximum=30) == 10
    assert column_width(["很" * 100], minimum=5, maximum=30) == 30
    assert row_height(["法" * 40, None], [22, None]) > row_height(["法" * 5, None], [22, None])


def test_sheet_names_follow_excel_rules():
    assert safe_sheet_name("审阅[评分]:2024/*?") == "审阅_评分__2024___"
    assert len(safe_sheet_name("很长" * 30)) == 31
    assert safe_sheet_name("指标汇总", ["指标汇总"]) == "指标汇总(2)"
    assert safe_sheet_name("'") == "工作表"
    assert safe_sheet_name("History") == "History(2)"


def test_chinese_numerals():
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_raw_rows_spliced_into_a_workbook_read_back_exactly():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "表头"
    rows = RowWriter(2)
    rows.add([("<&>“引号” 与 =1+1", 0), (3.5, 0), (dt.date(2024, 6, 30), 0), (None, 0), ("  前后空格  ", 0)])
    rows.add([("a\r\nb", 0), (7, 0), (True, 0), (float("nan"), 0)], outline_level=1, height=30)
    buf = io.BytesIO()
    wb.save(buf)
    data = splice(buf.getvalue(), {ws.path.lstrip("/"): (rows, "A1:E3")})
    back = openpyxl.load_workbook(io.BytesIO(data))
    ws = back.active
    assert ws["A2"].value == "<&>“引号” 与 =1+1" and ws["A2"].data_type == "s"
    assert ws["B2"].value == 3.5 and ws["D2"].value is None and ws["E2"].value == "  前后空格  "
    assert ws["A3"].value == "a\r\nb" and ws["B3"].value == 7 and ws["C3"].value is True
    assert ws["D3"].value == "nan"
    assert ws.row_dimensions[3].outline_level == 1 and ws.row_dimensions[3].height == 30
    assert ws.dimensions == "A1:E3"
