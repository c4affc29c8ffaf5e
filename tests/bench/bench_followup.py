"""Benchmark and measurement of the follow-up matcher.

Run by hand: python tests/bench/bench_followup.py [--repeat R] [--held-out] [--library N]
  * time of `follow-up` on two seed-sized reports (the seed and its written 2024 successor), beside the time to
    read them; target: follow-up ≤ 0.5 s (it is the matching alone; reading is printed for scale)
  * verdict accuracy and precision/recall of 未提及 on the hand-labelled pairs, for the matcher and for a
    ten-minute bigram-overlap baseline; --held-out also scores the pairs kept out of tuning
  * in a library of N reports (N/2 units, each with a 2023 and a 2024 report; default 1,000): pairing every
    unit's years, one pair's comparison with the reviewer's decisions, and what the 未提及 finding adds to
    the checks of one report
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import followup_eval as fe  # noqa: E402

from desktop.followup.matcher import follow_up  # noqa: E402
from desktop.report.extract import read_file  # noqa: E402

EARLIER = ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"
LATER = ROOT / "tests" / "followup_pairs" / "hz-sfj-2024.txt"


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


CITIES = "杭宁温嘉湖绍金衢舟台丽甬苏锡常镇扬泰通盐淮宿连徐"


def _library(n: int, repeat: int) -> None:
    import tempfile

    from desktop.followup.service import compare_stored, pairs, with_followup
    from desktop.review.service import check_stored
    from desktop.store.db import open_library

    texts = [EARLIER.read_text(encoding="utf-8"), LATER.read_text(encoding="utf-8")]
    repo = open_library(Path(tempfile.mkdtemp(prefix="bench-followup-")) / "lib.db", seed_sample=False)
    t = time.perf_counter()
    for i in range(n // 2):
        city = CITIES[i % len(CITIES)] + CITIES[(i // len(CITIES)) % len(CITIES)] + f"{i}"
        for j, text in enumerate(texts):
            body = text.replace("杭州市", f"{city}市").replace("杭州", city).replace("7518件", f"{7000 + i}件")
            repo.import_bytes(body.encode("utf-8"), f"{city}-{2023 + j}.txt")
    built = time.perf_counter() - t
    found = _median(lambda: pairs(repo), repeat)
    earlier_id, later_id = pairs(repo)[-1]
    one = _median(lambda: compare_stored(repo, earlier_id, later_id), repeat)
    checks = _median(lambda: check_stored(repo, later_id), repeat)
    extra = _median(lambda: with_followup(repo, later_id, []), repeat)
    print(f"审阅库 {repo.report_count()} 份报告（{n // 2} 个单位 × 2 年；建库 {built:.1f} s）")
    print(f"  自动配对全部相邻年度     {found * 1000:7.1f} ms   （{len(pairs(repo))} 对）")
    print(f"  一对报告的对照（含审阅结论） {one * 1000:7.1f} ms")
    print(f"  审阅检查                 {checks * 1000:7.1f} ms   加上“上年安排未提及” {extra * 1000:.1f} ms"
          f"（{extra / checks:.2f} 倍）")
    repo.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--held-out", action="store_true", help="also score the held-out pairs")
    ap.add_argument("--library", type=int, default=1000, metavar="N", help="reports in the library part (0: skip)")
    args = ap.parse_args()

    read = _median(lambda: (read_file(EARLIER), read_file(LATER)), args.repeat)
    earlier, later = read_file(EARLIER), read_file(LATER)
    match = _median(lambda: follow_up(earlier, later), args.repeat)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    bare = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "follow-up", str(EARLIER), str(LATER)],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    cli = time.perf_counter() - t
    print(f"读取两份报告      {read * 1000:7.1f} ms")
    print(f"follow-up 对照    {match * 1000:7.1f} ms   （读取的 {match / read:.2f} 倍；目标 ≤ 500 ms："
          f"{'达到' if match <= 0.5 else '未达到'}）")
    print(f"命令行全程        {cli * 1000:7.1f} ms   （含读取和对照；其中空解释器启动 {bare * 1000:.0f} ms）")
    print()
    everything = fe.load_pairs()
    groups = [("第一、二批（调试用）", [p for p in everything if not p.get("batch")]),
              ("第三批（调试用，首评后用于调整）", [p for p in everything if p.get("batch") == 3])]
    if args.held_out:
        groups.append(("第四批（留出集，只评一次）", fe.load_pairs(held_out=True)))
    for name, pairs in groups:
        if not pairs:
            continue
        plans = sum(len(p["plans"]) for p in pairs)
        print(f"{name}（{len(pairs)} 对报告，{plans} 项安排）")
        print(f"  本匹配器  {fe.score(fe.app_matcher, pairs).line()}")
        print(f"  二元组基线 {fe.score(fe.bigram_baseline, pairs).line()}")
    if args.library:
        print()
        _library(args.library, max(3, args.repeat // 4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
