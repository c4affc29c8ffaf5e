"""The ledger's cross-year sheets written as spliced rows with shared styles read back the same as the
cell-by-cell writer they replaced (issue 27), and the unit index answers what the per-report scans did."""
from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from conftest import ROOT
from desktop.followup import service
from desktop.ledger import crossyear
from desktop.excel.cells import needs_quote_prefix, row_height, safe_text
from desktop.excel.styles import BORDER, HEADER_FILL, body_font, heading_font, put_text, setup_print, style_cell
from desktop.store import followup_repo

PAIRS = ROOT / "tests" / "followup_pairs"


@pytest.fixture
def lib(repo):
    """The sample plus every report of tests/followup_pairs: many units over consecutive years."""
    for path in sorted(PAIRS.glob("*.txt")):
        repo.reports.import_file(path)
    return repo


# ---------------------------------------------------------------- the writer before issue 27, as the reference
def _old_put(ws, row, col, value, *, center=False, fill=None):
    if isinstance(value, str):
        value = safe_text(value)
    cell = ws.cell(row, col)
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value
    quote = isinstance(value, str) and needs_quote_prefix(value)
    style_cell(cell, font=body_font(), border=BORDER, fill=fill, quote=quote,
               align=Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True))


def _old_header(ws, row, headers):
    for i, h in enumerate(headers, 1):
        style_cell(ws.cell(row, i, h), font=heading_font(11), fill=HEADER_FILL, border=BORDER,
                   align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.row_dimensions[row].height = 28


def _old_followup(wb, blocks):
    ws = wb.create_sheet(crossyear.SHEET_FOLLOWUP)
    for i, w in enumerate(crossyear._WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    row = 1
    for block in blocks:
        fu = block.followup
        counts = fu.counts()
        decided, _needing = fu.progress()
        sure = sum(r.certain and not r.confirmed for r in fu.rows)
        title = (f"{fu.earlier_title} 主要安排 → {fu.later_title}：共 {len(fu.rows)} 项，未提及 {counts['未提及']}，"
                 f"部分体现 {counts['部分体现']}，已体现 {counts['已体现']}（确定 {sure} 项，已确认 {decided} 项，"
                 f"待确认 {len(fu.pending())} 项）")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(crossyear.FOLLOWUP_HEADERS))
        style_cell(ws.cell(row, 1, safe_text(title)), font=heading_font(12), border=None,
                   align=Alignment(horizontal="left", vertical="center", wrap_text=True))
        ws.row_dimensions[row].height = 32
        _old_header(ws, row + 1, crossyear.FOLLOWUP_HEADERS)
        row += 2
        for n, r in enumerate(fu.rows, 1):
            values = (n, r.plan.text, r.plan.theme, r.plan.verdict, r.status, r.reason, round(r.plan.score, 2),
                      crossyear._evidence(r), r.decision or "", r.note or "", r.tracking_status or "")
            for col, value in enumerate(values, 1):
                fill = (crossyear.VERDICT_FILLS.get(value) if col in (4, 9)
                        else crossyear._STATUS_FILLS.get(value) if col == 5 else None)
                _old_put(ws, row, col, value, center=col in (1, 4, 5, 7, 9, 11), fill=fill)
            ws.row_dimensions[row].height = min(row_height(list(values), crossyear._WIDTHS), 400)
            row += 1
        row += 1
    ws.freeze_panes = "A3" if len(blocks) == 1 else None
    setup_print(ws, title_rows="2:2", area=f"A1:K{max(row - 1, 1)}")


def _old_trends(wb, blocks):
    ws = wb.create_sheet(crossyear.SHEET_TRENDS)
    row, chart_row, seen = 1, 0, set()
    anchors = []
    for block in blocks:
        table = block.indicators
        if table.unit_name in seen or not table.rows:
            continue
        seen.add(table.unit_name)
        years = list(table.years)
        headers = ["指标", "单位", *[f"{y}年" for y in years], *[f"{y}年变化" for y in years[1:]]]
        ws.cell(row, 1, safe_text(f"{table.unit_name} 指标年度对比"))
        style_cell(ws.cell(row, 1), font=heading_font(12), border=None, align=Alignment(vertical="center"))
        _old_header(ws, row + 1, headers)
        first = row + 2
        ordered = sorted(table.rows, key=lambda ind: not ind.is_rate)
        for r_i, ind in enumerate(ordered):
            r = first + r_i
            _old_put(ws, r, 1, ind.label)
            _old_put(ws, r, 2, "%" if ind.is_rate else ind.unit, center=True)
            for c, y in enumerate(years, 3):
                yv = ind.values.get(y)
                _old_put(ws, r, c, yv.value if yv else None, center=True)
            for c, y in enumerate(years[1:], 3 + len(years)):
                _old_put(ws, r, c, ind.change_text(y) or "—", center=True)
        last = first + len(table.rows) - 1
        if any(ind.is_rate for ind in ordered):
            anchors.append(f"{get_column_letter(len(headers) + 2)}{row}")
            chart_row = row + 16
        row = max(last + 3, chart_row)
    setup_print(ws, title_rows="1:1", area=f"A1:{get_column_letter(11)}{max(row, 1)}")
    return anchors


def _cells(ws) -> dict:
    out = {}
    for line in ws.iter_rows():
        for c in line:
            if c.value is None and not c.has_style:
                continue
            fill = c.fill.fgColor.rgb if c.fill.fill_type else None
            out[c.coordinate] = (c.value, c.font.name, c.font.sz, bool(c.font.b), fill, c.border.left.style,
                                 c.alignment.horizontal, c.alignment.vertical, bool(c.alignment.wrap_text),
                                 bool(c.quotePrefix))
    return out


def _heights(ws) -> dict:
    return {r: d.height for r, d in ws.row_dimensions.items() if d.height}


def test_cross_year_sheets_read_back_as_the_cell_by_cell_writer_wrote_them(lib, tmp_path):
    from desktop.ledger.service import export_from_library

    export_from_library(lib, tmp_path / "ledger.xlsx")
    blocks = crossyear.collect(lib, lib.reports.list_reports())
    assert len(blocks) >= 10  # many units with consecutive years: the sheets are full
    reference = openpyxl.Workbook()
    _old_followup(reference, blocks)
    anchors = _old_trends(reference, blocks)
    reference.save(tmp_path / "reference.xlsx")

    ours = openpyxl.load_workbook(tmp_path / "ledger.xlsx")
    theirs = openpyxl.load_workbook(tmp_path / "reference.xlsx")
    for name in (crossyear.SHEET_FOLLOWUP, crossyear.SHEET_TRENDS):
        a, b = ours[name], theirs[name]
        cells_a, cells_b = _cells(a), _cells(b)
        assert len(cells_b) > 200
        assert cells_a == cells_b, name
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        assert _heights(a) == _heights(b)
        assert (a.print_area, a.print_title_rows, a.freeze_panes) == (b.print_area, b.print_title_rows, b.freeze_panes)
    verdicts = {c[0] for c in _cells(ours[crossyear.SHEET_FOLLOWUP]).values()}
    assert {"未提及", "已体现"} <= verdicts
    charts = ours[crossyear.SHEET_TRENDS]._charts
    assert len(charts) == len(anchors) > 0


def _scanned_same_unit(rows, report_id):
    """same_unit_reports as it was: one scan of every report per call."""
    me = next(r for r in rows if r["id"] == report_id)
    by_year = {}
    for r in rows:
        if r["doc_kind"] != "annual_report" or not r["report_year"]:
            continue
        if r["id"] != report_id and not service._same_unit(me, r):
            continue
        held = by_year.get(r["report_year"])
        if held is None or (held["id"] != report_id and (r["id"] == report_id or r["id"] > held["id"])):
            by_year[r["report_year"]] = r
    return [by_year[y] for y in sorted(by_year)]


def test_unit_index_answers_as_the_scans_did(lib):
    lib.reports.import_bytes("关于2024年工作情况的报告\n\n一、主要举措\n开展执法检查。\n".encode(), "nameless.txt")
    rows = followup_repo.report_years(lib)
    index = service.UnitIndex(rows)
    paired = 0
    for r in rows:
        assert index.same_unit(r["id"]) == _scanned_same_unit(rows, r["id"])
        assert index.earlier_id(r["id"]) == service.earlier_for(lib, r["id"])
        paired += index.earlier_id(r["id"]) is not None
    assert paired >= 10
    with pytest.raises(LookupError):
        index.same_unit(10 ** 6)


def _export_peak(tmp_path, n: int) -> tuple[int, int]:
    """(peak bytes traced while the office ledger of n realistic reports is built from the library as
    export_from_library builds it, bytes their indicator records take when held)."""
    import sys
    import tracemalloc

    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    from realistic import generate_reports

    from desktop.ledger.export import IndicatorSource, ledger_bytes
    from desktop.ledger.service import bundle_for, stored_findings
    from desktop.review.service import refresh_findings
    from desktop.store.db import open_library

    repo = open_library(tmp_path / f"lib{n}.db", seed_sample=False, backups=False)
    for name, data in generate_reports(n, seed=7):
        repo.reports.import_bytes(data, name)
    refresh_findings(repo)
    tracemalloc.start()
    held = repo.items.indicators()
    records = tracemalloc.get_traced_memory()[0]
    del held
    tracemalloc.stop()
    tracemalloc.start()
    reports = repo.reports.list_reports()
    bundles = [bundle_for(repo, r, indicators=False) for r in reports]
    source = IndicatorSource(repo.items.indicators, {rid: c["indicators"] for rid, c in repo.reports.counts().items()})
    data = ledger_bytes(bundles, repo.library_id(), findings_of=stored_findings(repo), indicators=source)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    repo.close()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book["指标汇总"].max_row == 1 + sum(source.count(b) for b in bundles)  # every indicator is in it
    return peak, records


def test_export_memory_does_not_grow_with_the_reports_indicators(tmp_path):
    """Each report's indicators are read when a sheet needs them and let go, and the rows go to disk: 6 reports
    instead of 2 add less to the peak than holding their indicator records alone would."""
    (tmp_path / "warm").mkdir()
    _export_peak(tmp_path / "warm", 1)  # caches that earlier tests may or may not have filled are filled now
    small, _ = _export_peak(tmp_path, 2)
    large, records = _export_peak(tmp_path, 6)
    extra_records = records * 4 / 6
    assert records > 500_000  # realistic reports: hundreds of indicators each
    assert large - small < extra_records, (small, large, records)  # holding every record grew it by 2.8 MB
