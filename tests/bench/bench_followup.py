"""Benchmark and measurement of the follow-up matcher.

Run by hand: python tests/bench/bench_followup.py [--repeat R] [--held-out]
  * time of `follow-up` on two seed-sized reports (the seed and its written 2024 successor), beside the time to
    read them; target: follow-up ≤ 0.5 s (it is the matching alone; reading is printed for scale)
  * verdict accuracy and precision/recall of 未提及 on the hand-labelled pairs, for the matcher and for a
    ten-minute bigram-overlap baseline; --held-out also scores the pairs kept out of tuning
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--held-out", action="store_true", help="also score the held-out pairs")
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
    groups = [("调试用", fe.load_pairs(held_out=False))]
    if args.held_out:
        groups.append(("留出集", fe.load_pairs(held_out=True)))
    for name, pairs in groups:
        plans = sum(len(p["plans"]) for p in pairs)
        print(f"{name}（{len(pairs)} 对报告，{plans} 项安排）")
        print(f"  本匹配器  {fe.score(fe.app_matcher, pairs).line()}")
        print(f"  二元组基线 {fe.score(fe.bigram_baseline, pairs).line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
