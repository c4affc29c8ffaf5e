"""The comparison workbook of a real season (40 reports) prints well: every chart whole on one page, the checks
matrix in balanced pages under its repeated header, the wide overview two pages wide in a readable size, no title
cut (issues 24 and 27). Checked in the print settings, and in LibreOffice's PDF when it is installed."""
from __future__ import annotations

import math
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
N = 40


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    from realistic import generate_reports

    from desktop.season.workbook import export_summary
    from desktop.store.db import open_library

    folder = tmp_path_factory.mktemp("print")
    repo = open_library(folder / "lib.db", seed_sample=False, backups=False)
    for name, data in generate_reports(N, seed=3):
        repo.reports.import_bytes(data, name)
    assert repo.reports.report_count() == N
    export_summary(repo, folder / "汇总.xlsx")
    repo.close()
    return folder / "汇总.xlsx"


def _page_starts(ws) -> list[int]:
    return sorted(b.id + 1 for b in ws.row_breaks.brk)


def test_every_chart_lies_on_one_page(book):
    from desktop.season.printing import CM_PER_PT

    ws = load_workbook(book)["图表"]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and 30 <= ws.page_setup.scale <= 100
    starts = [2, *_page_starts(ws)]
    charts = ws._charts
    assert len(charts) >= 5  # 40 reports: the scores and the checks in two charts each, and the pie
    for chart in charts:
        top = chart.anchor._from.row + 1
        rows = math.ceil(chart.height / (16 * CM_PER_PT))  # the sheet's rows are 16 pt
        page = max(s for s in starts if s <= top)
        following = [s for s in starts if s > page]
        assert not following or top + rows <= following[0], (top, rows, starts)
        bars = chart.series[0].val.numRef.f
        first, last = (int(part.split("$")[-1]) for part in bars.split("!")[1].split(":"))
        assert last - first + 1 <= 25  # bars readable: at most 25 reports to a chart


def test_matrix_pages_are_balanced_and_the_overview_prints_two_pages_wide(book):
    wb = load_workbook(book)
    matrix = wb["检查结果"]
    starts = [3, *_page_starts(matrix), N + 3]
    sizes = [b - a for a, b in zip(starts, starts[1:])]
    assert len(sizes) >= 2 and max(sizes) - min(sizes) <= 2, sizes
    assert matrix.print_title_rows == "$1:$2"
    overview = wb["报告汇总"]
    assert overview.page_setup.fitToWidth == 2 and overview.print_title_cols == "$A:$B"
    assert overview.page_setup.pageOrder == "overThenDown"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_pdf_shows_each_chart_whole_and_the_title_uncut(book, tmp_path):
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)], check=True, capture_output=True,
                   timeout=300)
    pdf = tmp_path / "汇总.pdf"
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    flat = ["".join(p.split()) for p in pages]
    assert f"法治政府建设年度报告审阅汇总（全部年度，共{N}份）" in flat[0]  # the title whole on page 1
    # (LibreOffice's PDF also carries the text of a page's neighbouring chart objects outside the page's clip, so
    # the text alone cannot tell which page shows a chart; the print settings test above does. Here: all printed.)
    chart_pages = [p for p in flat if "审阅汇总图表（全部年度）" in p]
    assert len(chart_pages) >= 5  # each chart after a page break: 2 + 2 bar charts and the pie
    for title in ("各单位加权总分（第1–20位）", "各单位加权总分（第21–40位）", "各单位审阅检查结果（第1–20位）"):
        assert any(title in p for p in chart_pages), title
    matrix_pages = [p for p in flat if "审阅检查结果（全部年度）" in p]
    assert len(matrix_pages) >= 2 and all("未通过" in p for p in matrix_pages)  # the header on every page
