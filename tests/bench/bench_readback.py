"""Benchmark of the ledger read-back (`import-ledger`) on a realistic season's library: the by-unit workbooks
exported, filled by each unit (progress and status typed into most rows, saved by openpyxl as Excel would), read
back once into a round and then again with nothing new. References in the same run: openpyxl in read-only mode
reading every cell of the same files.

Run by hand: python tests/bench/bench_readback.py [--reports N] [--db PATH] (a copy of PATH is used: the bench
writes rounds). Targets (issue 27): read-back <= 1.5x openpyxl read-only; the same files again well under 1 s.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

import openpyxl  # noqa: E402

from desktop.ledger import layout  # noqa: E402
from desktop.ledger.service import (  # noqa: E402
    apply_round, export_units_from_library, preview_round, replan_with_choices,
)
from realistic_library import build_library  # noqa: E402

STATUSES = layout.STATUSES


def fill(path: Path, out: Path, rng: random.Random) -> int:
    """A unit's copy: 80% of the task rows get a status and a progress sentence; returns how many rows. A task two
    units lead gets the same values in both copies (they agree: no conflict waits for the reviewer)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.SHEET_TRACKING]
    header = [c.value for c in ws[layout.HEADER_ROW]]
    status, progress, uid = header.index("完成状态") + 1, header.index("进展情况") + 1, len(header)
    filled = 0
    for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
        key = ws.cell(r, uid).value
        if not key or str(key).startswith(layout.THEME_MARK) or rng.random() < 0.2:
            continue
        same = random.Random(str(key))
        ws.cell(r, status).value = same.choice(STATUSES)
        ws.cell(r, progress).value = f"已召开推进会{same.randint(1, 9)}次，完成年度目标的{same.randint(10, 100)}%"
        filled += 1
    wb.save(out)
    return filled


def openpyxl_read_only(paths) -> float:
    t = time.perf_counter()
    for p in paths:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--db", help="library to build or reuse (a copy is measured)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-readback-"))
    source = Path(args.db) if args.db else tmp / "source.db"
    build_library(source, args.reports).close()
    lib = tmp / "library.db"
    shutil.copy(source, lib)
    repo = build_library(lib, args.reports)
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {repo.reports.report_count()} reports")
    written = export_units_from_library(repo, tmp / "out")
    rng = random.Random(27)
    back = tmp / "back"
    back.mkdir()
    rows = sum(fill(Path(s.path), back / Path(s.path).name, rng) for s in written)
    files = sorted(back.glob("*.xlsx"))
    print(f"{len(files)} unit workbooks returned, {rows:,} filled rows")
    reference = openpyxl_read_only(files)
    t = time.perf_counter()
    plan = preview_round(repo, files, "bench第一轮")
    conflicts = len(plan.conflicts)
    if plan.conflicts:  # settled as in the desk's dialog: the value that changed (the co-lead kept the old one)
        choices = {c.key: next((x.value for x in c.claims if x.value != c.old), c.claims[0].value)
                   for c in plan.conflicts}
        plan = replan_with_choices(repo, plan, choices)
    apply_round(repo, plan, who="bench")
    first = time.perf_counter() - t
    problems = sum(1 for d in plan.diffs if d.problems or d.file_problems)
    print(f"  {conflicts} conflicts (a task two units lead: one changed it, the other sent the exported value back), "
          f"settled in the same step as the desk's dialog does; {len(plan.conflicts)} left; {problems} files with "
          f"refused rows")
    t = time.perf_counter()
    again = preview_round(repo, files, "bench第一轮")
    second = time.perf_counter() - t
    reference = (reference + openpyxl_read_only(files)) / 2  # before and after: the machine's load moves
    print(f"openpyxl read-only reading every cell of the same files (mean of before and after): {reference:.2f} s")
    print(f"read-back into a round (read, compare, store): {first:.2f} s = {first / reference:.2f}x openpyxl "
          f"read-only (target <= 1.5x: {'ok' if first <= 1.5 * reference else 'MISSED'}); {len(plan.all_changes):,} "
          f"changes")
    print(f"the same {len(files)} files again, nothing new: {second:.3f} s = {second / reference:.3f}x openpyxl "
          f"read-only; {len(again.skipped)} skipped unread, {len(again.diffs)} read (target well under 1 s: "
          f"{'ok' if second < 0.5 else 'MISSED'})")
    repo.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
