"""Benchmark: the ledger and the comparison workbook on a realistic season's library, against pandas writing the
same cells with openpyxl and with xlsxwriter, in the same run; peak memory of the CLI commands.

The library: tests/bench/realistic_library.py (distinct reports of real length and layout, units over consecutive
years, so the 跨年对照 / 指标年度对比 sheets are full; annotations, three reviewers' scores, 牵头单位, rounds).
Measured: `export ledger --all` as the CLI runs it (export_from_library: stored check results, cross-year
sheets), the by-unit export, `export summary`; each against pandas.DataFrame.to_excel of the same cells, unformatted
(openpyxl engine; xlsxwriter engine when installed), and the peak RSS of each CLI command in a child process.

Times are CPU seconds (the benches share the machine). Run by hand: python tests/bench/bench_ledger.py [--reports N] [--repeat R] [--db PATH].
Targets (issue 27): ledger / pandas+openpyxl <= 1.0, peak <= 300 MB at 1,000 reports (every command <= 500 MB);
summary / pandas+openpyxl <= 1.0 at 1,000; by-unit / ledger <= 1.5.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
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
    raise SystemExit("pandas is needed for the reference: pip install -e .[bench]") from None
import openpyxl  # noqa: E402

from desktop.ledger import crossyear, extra_sheets, layout, review_sheet  # noqa: E402
from desktop.ledger.export import export_by_unit, report_labels  # noqa: E402
from desktop.ledger.service import bundle_for, export_from_library, stored_findings  # noqa: E402
from desktop.excel.styles import StyleIds  # noqa: E402
from desktop.review.rubric import load_rubric  # noqa: E402
from desktop.review.service import refresh_findings, score_summaries  # noqa: E402
from desktop.season.overview import COLUMNS, overview, row_values  # noqa: E402
from desktop.season.workbook import export_summary  # noqa: E402
from realistic_library import build_library  # noqa: E402

try:
    import xlsxwriter  # noqa: F401
    ENGINES = ("openpyxl", "xlsxwriter")
except ModuleNotFoundError:  # pragma: no cover
    ENGINES = ("openpyxl",)


def ledger_frames(repo, bundles) -> dict[str, pd.DataFrame]:
    """Every sheet's cells as the office ledger writes them, as plain values (the cross-year sheets included)."""
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
    block = review_sheet._Block(StyleIds(openpyxl.Workbook().active), 1)
    rubric = load_rubric()
    findings_of = stored_findings(repo)
    for b in bundles:
        review_sheet._block(block, b.label, rubric, findings_of(b), {s.criterion_id: s for s in b.rubric_scores})
    width = len(review_sheet.HEADERS)
    frames[review_sheet.SHEET] = pd.DataFrame([[v for v, _ in r] + [None] * (width - len(r)) for r in block.rows])
    blocks = crossyear.collect(repo, [b.report for b in bundles])
    follow = []
    for blk in blocks:
        follow.append([blk.followup.earlier_title] + [None] * 8)
        follow.append(list(crossyear.FOLLOWUP_HEADERS))
        for n, r in enumerate(blk.followup.rows, 1):
            evidence = "\n".join(e.text for e in r.plan.evidence)[:crossyear.MAX_EVIDENCE_CHARS]
            follow.append([n, r.plan.text, r.plan.theme, r.plan.verdict, round(r.plan.score, 2), evidence,
                           r.decision or "", r.note or "", r.tracking_status or ""])
    frames[crossyear.SHEET_FOLLOWUP] = pd.DataFrame(follow)  # every row 9 wide
    trends, seen = [], set()
    for blk in blocks:
        t = blk.indicators
        if t.unit_name in seen or not t.rows:
            continue
        seen.add(t.unit_name)
        trends.append([t.unit_name])
        trends.append(["指标", "单位", *t.years, *t.years[1:]])
        for ind in t.rows:
            trends.append([ind.label, ind.unit, *[ind.values[y].value if y in ind.values else None for y in t.years],
                           *[ind.change_text(y) for y in t.years[1:]]])
    width = max((len(r) for r in trends), default=1)
    frames[crossyear.SHEET_TRENDS] = pd.DataFrame([r + [None] * (width - len(r)) for r in trends])
    return frames


def summary_frames(repo) -> dict[str, pd.DataFrame]:
    """The comparison workbook's cells: 报告汇总 and 检查结果 rows (the charts' data is a subset of them)."""
    rubric = load_rubric()
    rows = overview(repo, rubric=rubric)
    table = [[row_values(r)[k] for k, _ in COLUMNS] + [r.scores.get(c.id) for c in rubric.criteria] + [r.title]
             for r in rows]
    checks = [[r.unit, r.year, *r.results.values(), r.n_pass, r.n_warn, r.n_fail] for r in rows]
    charts = [[r.unit, r.score, r.n_pass, r.n_warn, r.n_fail] for r in rows]
    summaries = score_summaries(repo, rubric, [r.report_id for r in rows])
    spread = [[r.unit, r.year, c.name, "，".join(f"{n} {v}" for n, v in c.scores), c.mean, c.spread, r.assigned,
               c.disagree] for r in rows for c in summaries.get(r.report_id, []) if c.scores]
    return {"报告汇总": pd.DataFrame(table), "检查结果": pd.DataFrame(checks), "图表": pd.DataFrame(charts),
            "评分分歧": pd.DataFrame(spread)}


def to_excel(frames, path: Path, engine: str) -> None:
    with pd.ExcelWriter(path, engine=engine) as xw:
        for name, frame in frames.items():
            frame.to_excel(xw, sheet_name=name, index=False)


def timed(fn, repeat: int) -> float:
    """Median CPU seconds of this process (the machine is shared; every writer measured here runs on one core)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def peak_mb(argv: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one CLI command, measured by /usr/bin/time on its own
    process (a child's rusage on Linux would count this large benchmark process's memory before exec)."""
    timer = shutil.which("time") or "/usr/bin/time"
    start = time.perf_counter()
    done = subprocess.run([timer, "-f", "%M %U %S", sys.executable, str(ROOT / "main.py"), *argv],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{argv} failed: {done.stderr.strip()[-300:]}")
    peak_kb, user, system = done.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(peak_kb) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--db", help="library file to build or reuse (default: a temporary one)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    t = time.perf_counter()
    repo = build_library(Path(args.db) if args.db else tmp / "library.db", args.reports)
    refresh_findings(repo)  # the checks stored once, as the desk's overview does
    print(f"machine: {os.cpu_count()} cores; library of {repo.reports.report_count()} realistic reports ready in "
          f"{time.perf_counter() - t:.1f} s")
    bundles = [bundle_for(repo, r) for r in repo.reports.list_reports()]
    frames = ledger_frames(repo, bundles)
    cells = sum(f.size for f in frames.values())
    print("ledger sheets (rows): " + ", ".join(f"{k} {len(v)}" for k, v in frames.items()) + f"; {cells} cells")
    ours = timed(lambda: export_from_library(repo, tmp / "ledger.xlsx"), args.repeat)
    refs = {e: timed(lambda e=e: to_excel(frames, tmp / f"pandas-{e}.xlsx", e), args.repeat) for e in ENGINES}
    units = timed(lambda: export_by_unit(bundles, tmp / "units", "bench"), args.repeat)
    print(f"export ledger --all (export_from_library, formatted, every sheet): {ours:.2f} s")
    for e, secs in refs.items():
        print(f"pandas + {e} writing the same cells, unformatted: {secs:.2f} s -> ratio {ours / secs:.2f}"
              + (" (target <= 1.0)" if e == "openpyxl" else ""))
    print(f"by-unit export: {units:.2f} s -> ratio to the office ledger {units / ours:.2f} (target <= 1.5)")
    del bundles, frames

    sframes = summary_frames(repo)
    summary = timed(lambda: export_summary(repo, tmp / "summary.xlsx"), args.repeat)
    print(f"export summary: {summary:.2f} s")
    for e in ENGINES:
        secs = timed(lambda e=e: to_excel(sframes, tmp / f"summary-{e}.xlsx", e), args.repeat)
        print(f"pandas + {e} writing the same rows: {secs:.2f} s -> ratio {summary / secs:.2f}"
              + (" (target <= 1.0)" if e == "openpyxl" else ""))
    db = str(repo.path)
    repo.close()

    bare = [peak_mb(["--version"]) for _ in range(3)]
    bare_cpu = statistics.median(b[1] for b in bare)
    print(f"bare start (python main.py --version): {statistics.median(b[0] for b in bare):.3f} s wall, "
          f"{bare_cpu:.3f} s CPU")
    for argv in (["list"], ["summary", "--json"], ["ledger-status"],
                 ["export", "ledger", "--all", "-o", str(tmp / "cli.xlsx")],
                 ["export", "ledger", "--all", "--by-unit", "-o", str(tmp / "cli-units")],
                 ["export", "summary", "--force", "-o", str(tmp / "cli-summary.xlsx")]):
        wall, cpu, peak = peak_mb([*argv, "--db", db])
        print(f"python main.py {' '.join(a for a in argv if not a.startswith(('/', '-o')))}: {wall:.2f} s wall, "
              f"{cpu:.2f} s CPU ({cpu - bare_cpu:+.2f} s CPU over the bare start); peak {peak:.0f} MB "
              f"(target <= 500 MB; the ledger <= 300 MB)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
