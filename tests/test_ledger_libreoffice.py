"""A real spreadsheet program opens the ledger: LibreOffice converts it to PDF and CSV (skipped without soffice)."""
from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from desktop.ledger.export import LedgerBundle, export_ledger
from desktop.store.records import ReportRecord, WorkItemRecord

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

THEMES = ("以创建全国法治政府建设示范市为主线", "以实施政务服务增值化改革为牵引", "以满足群众法治需求为导向")


def _bundle(n=60):
    rep = ReportRecord(id=1, file_name="r.txt", sha256="0", doc_kind="annual_report",
                       title="杭州市司法局2023年法治政府建设年度报告", issuer="杭州市司法局", report_year=2023,
                       plan_year=2024, published=None, metadata={}, clean_text="", imported_at="")
    items = []
    for i in range(1, n + 1):
        items.append(WorkItemRecord(
            id=i, report_id=1, uid=f"uid{i:04d}", kind="plan_task", section_path="四", theme=THEMES[(i - 1) * 3 // n],
            text=f"第{i}项任务：健全行政规范性文件合法性审核工作机制，提升备案审查文件报备率、及时率和规范率。",
            start=i, end=i + 1, position=i, lead_unit="市司法局", status="推进中" if i % 2 else "滞后",
            deadline="2024-12-31", progress="=1+1" if i == 1 else None))
    return LedgerBundle(rep, work_items=tuple(items))


def _convert(src, outdir, fmt, profile):
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", str(outdir), str(src)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("lo")
    src = root / "ledger.xlsx"
    export_ledger([_bundle()], src, "lib-A")
    profile = root / "profile"
    _convert(src, root, "pdf", profile)
    _convert(src, root, 'csv:Text - txt - csv (StarCalc):44,34,76', profile)
    return root / "ledger.pdf", root / "ledger.csv"


def test_csv_holds_the_ledger_as_text(converted):
    _, csv_path = converted
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8").splitlines()))
    assert rows[0][0] == "杭州市司法局2024年法治政府建设主要安排落实情况跟踪表"
    assert rows[2][:3] == ["序号", "任务类别", "工作任务"]
    tasks = [r for r in rows[3:] if r and r[0].isdigit()]
    assert len(tasks) == 60
    assert tasks[0][2].startswith("第1项任务") and tasks[0][9] == "推进中" and tasks[1][9] == "滞后"
    assert tasks[0][8] == "=1+1"  # stayed text, was not computed to 2
    assert tasks[0][7] == "2024年12月31日"


def test_pdf_is_a4_landscape_with_repeated_headers(converted):
    pdf, _ = converted
    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdfinfo, pdftotext) are not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split("x"))
    assert width > height and round(width) == 842 and round(height) == 595  # A4 landscape
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages")).split()[-1])
    texts = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-layout", str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout for p in range(1, pages + 1)]
    ledger_pages = [t for t in texts if "第60项任务" in t or "第1项任务" in t or "项任务：" in t]
    assert len(ledger_pages) >= 2  # 60 tasks need more than one page
    for text in ledger_pages:
        compact = text.replace(" ", "")
        assert "落实情况跟踪表" in compact and "工作任务" in compact and "完成状态" in compact  # title and header repeated
        assert "页共" in compact  # the footer 第 N 页 共 M 页
    assert "uid0001" not in "".join(texts)  # the hidden ID column is not printed


def test_ledger_saved_again_by_libreoffice_reads_back_unchanged(tmp_path):
    """A department that opens and saves the ledger in another program: IDs, texts and dates survive."""
    from desktop.ledger.diff import diff_ledger
    from desktop.ledger.readback import read_ledger

    bundle = _bundle(12)
    src = tmp_path / "src" / "ledger.xlsx"
    src.parent.mkdir()
    export_ledger([bundle], src, "lib-A")
    out = tmp_path / "out"
    _convert(src, out, "xlsx:Calc MS Excel 2007 XML", tmp_path / "profile")
    diff = diff_ledger(read_ledger(out / "ledger.xlsx"), bundle.work_items, "lib-A")
    assert diff.problems == [] and diff.changes == [] and diff.unchanged_rows == 12


def _pdf_pages(pdf):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [line.split(":", 1)[1] for line in info.splitlines() if line.startswith("Page") and "size" in line]
    texts = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-layout", str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout.replace(" ", "")
             for p in range(1, len(sizes) + 1)]
    return sizes, texts


def test_every_sheet_of_the_office_workbook_and_a_unit_workbook_print_landscape(repo, tmp_path):
    """汇总 with its chart, 审阅评分 and the rest: all A4 landscape; a department's copy counts its own pages."""
    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdfinfo, pdftotext) are not installed")
    from desktop.ledger.service import export_from_library, export_units_from_library

    tasks = repo.items.work_items(kind="plan_task")
    repo.items.apply_work_item_updates([(t.id, {"lead_unit": "市司法局" if i % 3 else "市公安局"})
                                  for i, t in enumerate(tasks)])
    office = tmp_path / "office.xlsx"
    export_from_library(repo, office)
    units = {s.path.rsplit("/", 1)[-1]: s for s in export_units_from_library(repo, tmp_path / "units")}
    profile = tmp_path / "profile"
    _convert(office, tmp_path, "pdf", profile)
    _convert(tmp_path / "units" / "台账-市公安局.xlsx", tmp_path, "pdf", profile)
    sizes, texts = _pdf_pages(tmp_path / "office.pdf")
    landscape = [tuple(round(float(x)) for x in s.split("pts")[0].split("x")) for s in sizes]
    assert set(landscape) == {(842, 595)}, sizes  # every page A4 landscape
    whole = "".join(texts)
    for title in ("落实情况跟踪表", "填报情况汇总", "各牵头单位任务完成状态", "审阅评分：", "指标名称", "检查明细"):
        assert title in whole, title  # the chart's title is drawn with it
    assert f"页共{len(texts)}页" in texts[-1]
    sizes, texts = _pdf_pages(tmp_path / "台账-市公安局.pdf")
    assert len(texts) == 1 and "第1页共1页" in texts[0] and "填报单位（盖章）：市公安局" in texts[0]
    assert units["台账-市公安局.xlsx"].tasks == sum(1 for i in range(len(tasks)) if not i % 3)
