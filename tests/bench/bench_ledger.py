"""Benchmark: exporting the ledger of a realistic library vs pandas.DataFrame.to_excel of the same sheets' rows.

The library: about 1,000 reports (bench_store's generator: the sample under other issuers and figures) with
their sections, indicators and plan tasks, two annotations and a few rubric scores each, tasks assigned to
牵头单位. Measured in one run: the office workbook (every sheet, the checks of every report included), pandas
writing the same rows unformatted, and the by-unit export of the same library.

Run by hand: python tests/bench/bench_ledger.py [--reports N] [--repeat R] [--db PATH].
Targets: office workbook / pandas <= 1.0; by-unit export / office workbook <= 1.5.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

try:
    import pandas as pd
except ModuleNotFoundError:  # pragma: no cover - run by hand
    raise SystemExit("pandas is needed for the reference: pip install pandas") from None
import openpyxl  # noqa: E402

from bench_store import generated_reports  # noqa: E402
from desktop.ledger import extra_sheets, layout, review_sheet  # noqa: E402
from desktop.ledger.export import export_by_unit, export_ledger, report_labels  # noqa: E402
from desktop.ledger.service import bundle_for, stored_findings  # noqa: E402
from desktop.ledger.styles import StyleIds  # noqa: E402
from desktop.review.checks import run_checks  # noqa: E402
from desktop.review.rubric import load_rubric  # noqa: E402
from desktop.review.service import refresh_findings  # noqa: E402
from desktop.report.rebuild import reading_from_records  # noqa: E402
from desktop.store.db import open_library  # noqa: E402

UNITS = ("市司法局", "市发改委", "市公安局", "市市场监管局", "市生态环境局", "市人力社保局", "市教育局",
         "市卫生健康委", "市住建局", "市交通运输局", "市自然资源规划局", "市应急管理局", "市数据资源局",
         "市财政局", "市民政局", "各区、县（市）政府")
STATUSES = layout.STATUSES


def build_library(path: Path, n: int):
    repo = open_library(path, seed_sample=False, backups=False)
    if repo.report_count() >= n:
        return repo
    for name, data in generated_reports(n):
        repo.import_bytes(data, name)
    rubric = load_rubric()
    updates = []
    for k, report in enumerate(repo.list_reports()):
        sections = repo.sections(report.id)
        for j in range(2):
            s = sections[(k + j) % len(sections)]
            repo.add_annotation(report.id, target_kind="section", section_path=s.path, body=f"请补充{s.title}的数据来源",
                                tags=["数据存疑"], status="待审", reviewer="bench")
        for c in rubric.criteria[:3]:
            repo.set_rubric_score(report.id, c.id, c.scale.choices()[k % len(c.scale.choices())][1],
                                  "评语", "bench")
        for i, t in enumerate(repo.work_items(report.id, kind="plan_task")):
            lead = UNITS[(k + i) % len(UNITS)] + ("、市司法局" if i % 7 == 0 else "")
            updates.append((t.id, {"lead_unit": lead, "status": STATUSES[(k + i) % len(STATUSES)],
                                   "deadline": "2024-12-31", "progress": "按计划推进" if i % 3 == 0 else None}))
    repo.apply_work_item_updates(updates)
    return repo


def same_rows(bundles, findings) -> dict[str, pd.DataFrame]:
    """Every sheet's rows as the export writes them, as plain values."""
    labels = report_labels(bundles)
    cols = layout.tracking_columns(with_report=True)
    tracking = []
    for b in bundles:
        for seq, item in enumerate(b.plan_tasks(), 1):
            tracking.append([seq if c.key == "seq" else labels[b.report.id] if c.key == "report" else
                             item.text if c.key == "text" else getattr(item, c.key, None) for c in cols])
    frames = {layout.SHEET_TRACKING: pd.DataFrame(tracking, columns=[c.header for c in cols])}
    for name, headers, make in ((layout.SHEET_INDICATORS, layout.INDICATOR_HEADERS, extra_sheets._indicator_rows),
                                (layout.SHEET_ANNOTATIONS, layout.ANNOTATION_HEADERS, extra_sheets._annotation_rows)):
        rows = [[labels[b.report.id], *r] for b in bundles for r in make(b)]
        frames[name] = pd.DataFrame(rows, columns=[layout.REPORT_HEADER, *headers])
    outline = [[labels[b.report.id], *r] for b in bundles for _, r in extra_sheets._outline_rows(b)]
    frames[layout.SHEET_OUTLINE] = pd.DataFrame(outline, columns=[layout.REPORT_HEADER, *layout.OUTLINE_HEADERS])
    ws = openpyxl.Workbook().active
    block = review_sheet._Block(StyleIds(ws), 1)
    rubric = load_rubric()
    for b in bundles:
        scores = {s.criterion_id: s for s in b.rubric_scores}
        review_sheet._block(block, b.label, rubric, findings[b.report.id], scores)
    width = len(review_sheet.HEADERS)
    frames[review_sheet.SHEET] = pd.DataFrame([[v for v, _ in r] + [None] * (width - len(r)) for r in block.rows])
    return frames


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", help="library file to build or reuse (default: a temporary one)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    t = time.perf_counter()
    repo = build_library(Path(args.db) if args.db else tmp / "library.db", args.reports)
    bundles = [bundle_for(repo, r) for r in repo.list_reports()]
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    refresh_findings(repo)  # what the desk's overview does: every report's checks stored once
    print(f"checks stored for the reports that had none: {time.perf_counter() - t:.1f} s")
    print(f"library: {len(bundles)} reports, {sum(len(b.plan_tasks()) for b in bundles)} tasks, "
          f"{sum(len(b.indicators) for b in bundles)} indicators, {sum(len(b.annotations) for b in bundles)} "
          f"annotations, {sum(len(b.sections) for b in bundles)} sections (built/loaded in "
          f"{loaded:.1f} s)")
    rubric = load_rubric()
    t = time.perf_counter()
    findings = {b.report.id: run_checks(reading_from_records(b.report, b.sections, b.indicators, b.work_items),
                                        rubric) for b in bundles}
    checks = time.perf_counter() - t
    frames = same_rows(bundles, findings)

    def pandas_export():
        with pd.ExcelWriter(tmp / "pandas.xlsx", engine="openpyxl") as xw:
            for name, frame in frames.items():
                frame.to_excel(xw, sheet_name=name, index=False)

    ours = timed(lambda: export_ledger(bundles, tmp / "ledger.xlsx", "bench"), args.repeat)
    stored = timed(lambda: export_ledger(bundles, tmp / "ledger2.xlsx", "bench", findings_of=stored_findings(repo)),
                   args.repeat)
    theirs = timed(pandas_export, args.repeat)
    units = timed(lambda: export_by_unit(bundles, tmp / "units", "bench"), args.repeat)
    rows = sum(len(f) for f in frames.values())
    print(f"rows in the office workbook's sheets: {rows} ({', '.join(f'{k} {len(v)}' for k, v in frames.items())})")
    print(f"checks of every report (part of the export): {checks:.2f} s")
    print(f"export_ledger running the checks (formatted, every sheet): median {ours:.2f} s "
          f"({(tmp / 'ledger.xlsx').stat().st_size // 1024} KB)")
    print(f"pandas to_excel of the same rows:      median {theirs:.2f} s "
          f"({(tmp / 'pandas.xlsx').stat().st_size // 1024} KB)")
    print(f"by-unit export ({len(list((tmp / 'units').iterdir()))} workbooks): median {units:.2f} s")
    print(f"export_ledger with the stored check results (as export_from_library): median {stored:.2f} s")
    print(f"ratio ledger / pandas: {stored / theirs:.2f} with stored check results (target <= 1.0); "
          f"{ours / theirs:.2f} running every report's checks during the export")
    print(f"ratio by-unit / ledger: {units / stored:.2f}  (target <= 1.5)")
    repo.close()


if __name__ == "__main__":
    main()
