"""Benchmark: writing 100 审阅意见书 (draft with checks + render + save) beside reading the same 100 reports.

Run by hand: `python tests/bench/bench_letters.py [--reports 1000] [--letters 100] [--dir DIR]`. The library holds
--reports generated reports (sections, indicators, work items); the --letters written ones also carry
annotations (需整改/需核实/已审) and rubric scores. Target: 100 letters ≤ 10 s.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import generated_reports  # noqa: E402

from desktop.letters.service import drafts_for, write_letters  # noqa: E402
from desktop.report.extract import read_bytes  # noqa: E402
from desktop.review.service import set_score  # noqa: E402
from desktop.store.db import open_library  # noqa: E402

NOTES = (("需整改", "问题表述空泛，请写明具体表现和原因。"), ("需核实", "该数据与统计公报不一致，请核实。"),
         ("已审", "亮点突出。"), ("需整改", "任务缺少完成时限和责任单位。"))


def build(path: Path, docs, letters: int) -> list:
    repo = open_library(path, seed_sample=False)
    ids = [repo.reports.import_bytes(data, name).report.id for name, data in docs]
    for rid in ids[:letters]:
        text = repo.reports.get_report(rid).clean_text
        for k, (status, body) in enumerate(NOTES):
            at = 200 + 300 * k
            repo.annotations.add_annotation(rid, target_kind="span", start=at, end=at + 12, body=body, status=status)
        for cid, value in (("completeness", 4.5), ("evidence", 3), ("candour", 2.5)):
            set_score(repo, rid, cid, value)
        assert text
    repo.close()
    return ids[:letters]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--letters", type=int, default=100)
    ap.add_argument("--dir", help="folder for the library and the letters (default: a temporary folder)")
    args = ap.parse_args()
    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="bench-letters-"))
    path = folder / "bench-letters.db"
    for stale in folder.glob("bench-letters.db*"):
        stale.unlink()
    docs = generated_reports(args.reports)
    t = time.perf_counter()
    ids = build(path, docs, args.letters)
    print(f"library: {args.reports} reports, {args.letters} with annotations and scores "
          f"(built in {time.perf_counter() - t:.1f} s)")

    t = time.perf_counter()
    for name, data in docs[: args.letters]:
        read_bytes(data, name)
    reading = time.perf_counter() - t

    repo = open_library(path, seed_sample=False)
    try:
        t = time.perf_counter()
        drafts = drafts_for(repo, [repo.reports.get_report(i) for i in ids])
        drafting = time.perf_counter() - t
        t = time.perf_counter()
        summary = write_letters(drafts, folder / "letters")
        rendering = time.perf_counter() - t
        t = time.perf_counter()
        drafts_for(repo, [repo.reports.get_report(i) for i in ids])
        redraft = time.perf_counter() - t
    finally:
        repo.close()
    total = drafting + rendering
    print(f"reading the same {args.letters} reports: {reading:.2f} s ({reading / args.letters * 1000:.1f} ms each)")
    print(f"writing {summary.reports} letters: {total:.2f} s ({total / summary.reports * 1000:.1f} ms each: "
          f"draft with checks {drafting:.2f} s, render and save {rendering:.2f} s), "
          f"{summary.opinions} opinions; ratio to reading {total / reading:.2f}")
    print(f"  drafting again with the check results stored: {redraft:.2f} s")
    limit = 10 * args.letters / 100
    print(f"target ≤ {limit:g} s: {'ok' if total <= limit else 'MISSED'}")
    return 0 if total <= limit else 1


if __name__ == "__main__":
    raise SystemExit(main())
