"""Benchmark: median time to export a 10,000-task ledger vs pandas.DataFrame.to_excel of the same rows, unformatted.

Run by hand: python tests/bench/bench_ledger.py [--tasks N] [--repeat R]. Target: ratio <= 1.0.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pandas as pd  # noqa: E402

from desktop.ledger.export import LedgerBundle, export_ledger  # noqa: E402
from desktop.ledger.layout import tracking_columns  # noqa: E402
from desktop.store.records import ReportRecord, WorkItemRecord  # noqa: E402

THEMES = ("以创建全国法治政府建设示范市为主线，推进法治政府建设迭代升级",
          "以实施政务服务增值化改革为牵引，放大法治化营商环境优化提升蝶变效应",
          "以满足群众法治需求为导向，夯实基层法治政府建设基础")
TEXT = "加强“小切口”“小快灵”立法，推进重大行政决策科学化、民主化、法治化，健全行政规范性文件合法性审核工作机制"
STATUSES = ("未启动", "推进中", "已完成", "滞后", "常态化推进")


def make_bundle(n: int) -> LedgerBundle:
    rep = ReportRecord(id=1, file_name="bench.txt", sha256="0", doc_kind="annual_report",
                       title="杭州市司法局2023年法治政府建设年度报告", issuer="杭州市司法局", report_year=2023,
                       plan_year=2024, published=None, metadata={}, clean_text="", imported_at="")
    items = []
    for i in range(n):
        items.append(WorkItemRecord(
            id=i + 1, report_id=1, uid=f"{i:016x}", kind="plan_task", section_path="四", theme=THEMES[i * 3 // n],
            text=f"{TEXT}（第{i + 1}项）。", start=i, end=i + 1, position=i,
            lead_unit="市司法局", partner_units="各区、县（市）司法局" if i % 3 == 0 else None,
            owner="张三" if i % 4 == 0 else None, deadline="2024-12-31" if i % 2 else "2024年底前",
            progress="已完成阶段性任务，正在推进" if i % 5 == 0 else None, status=STATUSES[i % 5],
            target="报备率100%" if i % 7 == 0 else None))
    return LedgerBundle(rep, work_items=tuple(items))


def same_rows(bundle: LedgerBundle) -> pd.DataFrame:
    """The tracking sheet's rows (visible columns and the ID) as plain values."""
    cols = tracking_columns(with_report=False)
    data = []
    for seq, item in enumerate(bundle.plan_tasks(), 1):
        row = []
        for c in cols:
            if c.key == "seq":
                row.append(seq)
            elif c.key == "category":
                row.append(item.category or item.theme)
            else:
                row.append(getattr(item, c.key))
        data.append(row)
    return pd.DataFrame(data, columns=[c.header for c in cols])


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    bundle = make_bundle(args.tasks)
    frame = same_rows(bundle)
    with tempfile.TemporaryDirectory() as tmp:
        ledger_path, pandas_path = Path(tmp) / "ledger.xlsx", Path(tmp) / "pandas.xlsx"
        ours = timed(lambda: export_ledger([bundle], ledger_path, "bench"), args.repeat)
        theirs = timed(lambda: frame.to_excel(pandas_path, index=False), args.repeat)
        sizes = ledger_path.stat().st_size // 1024, pandas_path.stat().st_size // 1024
    print(f"tasks: {args.tasks}, runs: {args.repeat}")
    print(f"export_ledger (formatted, 4 sheets): median {ours:.3f} s  ({sizes[0]} KB)")
    print(f"pandas.DataFrame.to_excel (plain):   median {theirs:.3f} s  ({sizes[1]} KB)")
    print(f"ratio ledger / pandas: {ours / theirs:.2f}  (target <= 1.0)")


if __name__ == "__main__":
    main()
