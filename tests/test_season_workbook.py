"""The comparison workbook: its rows agree with `summary --json`, it has real charts, and LibreOffice prints it."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.review.service import set_score
from desktop.store.db import open_library
from tests.season_texts import variant
from tests.libraries import sample_library  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("season")
    db = folder / "lib.db"
    repo = sample_library(db)
    for i, (city, year) in enumerate((("宁波", 2023), ("温州", 2023), ("宁波", 2022), ("嘉兴", 2023))):
        text = variant(city, year, figures=i)
        if city == "温州":
            text = text.replace("2024-03-04", "2024-04-20")  # published late
        report = repo.reports.import_bytes(text.encode("utf-8"), f"{city}{year}.txt").report
        if city == "嘉兴":  # a title that a spreadsheet would take for a formula
            repo.season.update_report_identity(report.id, {"title": '=HYPERLINK("http://x")嘉兴'})
    scores = {"宁波市司法局": ("5", "4"), "温州市司法局": ("3", "2"), "杭州市司法局": ("4", "4")}
    for report in repo.reports.list_reports():
        for (crit, value) in zip(("completeness", "timeliness"), scores.get(report.issuer, ())):
            set_score(repo, report.id, crit, value, who="李四")
    repo.close()
    return folder, db


def _run(*args):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True)


def test_summary_json_and_the_workbook_agree(library):
    folder, db = library
    out = _run("summary", "--json", "--db", str(db))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 5
    late = next(r for r in rows if r["unit"] == "温州市司法局")
    assert late["on_time"] is False and late["n_fail"] >= 1
    book = folder / "汇总.xlsx"
    res = _run("export", "summary", "-o", str(book), "--db", str(db))
    assert res.returncode == 0, res.stderr
    again = _run("export", "summary", "-o", str(book), "--db", str(db))
    assert again.returncode == 2 and "已存在" in again.stderr
    wb = load_workbook(book)
    assert wb.sheetnames == ["报告汇总", "检查结果", "图表"]
    ws = wb["报告汇总"]
    headers = [c.value for c in ws[2]]
    by_unit_year = {}
    for line in ws.iter_rows(min_row=3, values_only=True):
        rec = dict(zip(headers, line))
        by_unit_year[(rec["单位"], rec["年度"])] = rec
    assert len(by_unit_year) == len(rows)
    for r in rows:
        rec = by_unit_year[(r["unit"], r["year"])]
        assert rec["通过"] == r["n_pass"] and rec["提醒"] == r["n_warn"] and rec["未通过"] == r["n_fail"]
        assert rec["按时"] == {True: "是", False: "否", None: None}[r["on_time"]]
        assert rec["问题数"] == r["problems"] and rec["指标数"] == r["indicators"]
        assert (rec["评分"] or None) == (round(r["score"], 1) if r["score"] is not None else None)
    ranked = sorted((rec["评分"], rec["排名"]) for rec in by_unit_year.values() if rec["评分"])
    assert ranked[-1][1] == 1  # best score ranks first
    matrix = wb["检查结果"]
    late_row = next(row for row in matrix.iter_rows(min_row=3) if row[0].value == "温州市司法局")
    timing = late_row[3]
    assert timing.value == "未通过" and timing.fill.fgColor.rgb.endswith("FFC7CE")
    charts = wb["图表"]._charts
    assert len(charts) == 3 and {type(c).__name__ for c in charts} == {"BarChart", "PieChart"}
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$2"
    title_col = headers.index("报告标题") + 1
    formula = next(ws.cell(r, title_col) for r in range(3, ws.max_row + 1)
                   if str(ws.cell(r, title_col).value).startswith("=HYPERLINK"))
    assert formula.data_type == "s" and formula.quotePrefix


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_the_workbook(library, tmp_path):
    folder, db = library
    book = tmp_path / "汇总.xlsx"
    assert _run("export", "summary", "-o", str(book), "--year", "2023", "--db", str(db)).returncode == 0
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)], check=True, capture_output=True,
                   timeout=180)
    pdf = tmp_path / "汇总.pdf"
    assert pdf.stat().st_size > 5000
    if shutil.which("pdftotext"):
        text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
        assert "各单位加权总分" in text and "审阅检查结果（2023年度）" in text and "第1页共" in text
        assert "宁波市司法局（2022）" not in text
