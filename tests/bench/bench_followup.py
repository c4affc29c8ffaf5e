"""Benchmark and measurement of the follow-up matcher.

Run by hand: python tests/bench/bench_followup.py [--repeat R] [--held-out] [--library N]
  * time of `follow-up` on two seed-sized reports (the seed and its written 2024 successor), beside the time to
    read them; and ms per pair on every labelled pair of real length and layout (certainty and the nearest
    passages included); target: ≤ 100 ms per pair, linear in the plans
  * verdict accuracy, precision/recall of 未提及 and the precision and share of the certain verdicts on the
    tuning batches (1–7), beside a ten-minute bigram-overlap baseline; --held-out scores the batches not yet scored
    (once)
  * in a library of N reports (N/2 units, each two consecutive years, made from the labelled pairs under other
    unit names and figures; default 1,000): pairing every unit's years, ms per pair of the comparison with the
    reviewer's decisions, and what the 未提及 finding adds to the checks of one report
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


def _renamed(text: str, issuer: str | None, i: int) -> str:
    """A labelled report as if another unit wrote it: the two-character place names of its issuer (else its title)
    replaced by another unit's (one per i, for up to 576 units), its counts shifted."""
    import re

    city = CITIES[i % len(CITIES)] + CITIES[(i // len(CITIES)) % len(CITIES)]
    for name in dict.fromkeys(re.findall(r"([\u4e00-\u9fff]{2})(?=[省市县区镇])", (issuer or "").replace("总局", "。"))):
        text = text.replace(name, city)
    return re.sub(r"(\d+)(件|次|场|人次|个)", lambda m: f"{int(m.group(1)) + i % 7}{m.group(2)}", text)


def _library(n: int, repeat: int) -> None:
    import tempfile

    from desktop.followup.service import compare_stored, pairs, with_followup
    from desktop.review.service import check_stored
    from desktop.store.db import open_library

    labelled = fe.load_pairs()
    sources = []
    for pair in labelled:
        earlier, later = fe.read_pair(pair)
        sources.append([(ROOT / pair[k]).read_text(encoding="utf-8") for k in ("earlier", "later")]
                       + [later.metadata.issuer or earlier.metadata.issuer or later.metadata.title])
    repo = open_library(Path(tempfile.mkdtemp(prefix="bench-followup-")) / "lib.db", seed_sample=False)
    t = time.perf_counter()
    for i in range(n // 2):
        a, b, issuer = sources[i % len(sources)]
        for j, text in enumerate((a, b)):
            repo.reports.import_bytes(_renamed(text, issuer, i).encode("utf-8"), f"unit{i:04d}-{j}.txt")
    built = time.perf_counter() - t
    found = _median(lambda: pairs(repo), repeat)
    every = pairs(repo)
    sample = every[:: max(1, len(every) // 40)][:40]
    t = time.perf_counter()
    for earlier_id, later_id in sample:
        compare_stored(repo, earlier_id, later_id)
    per_pair = (time.perf_counter() - t) / max(1, len(sample))
    later_id = sample[-1][1]
    checks = _median(lambda: check_stored(repo, later_id), repeat)
    extra = _median(lambda: with_followup(repo, later_id, []), repeat)
    print(f"审阅库 {repo.reports.report_count()} 份报告（{n // 2} 个单位 × 相邻两年，取自 {len(labelled)} 对标注报告并改写单位名称和数字；"
          f"建库 {built:.1f} s）")
    print(f"  自动配对全部相邻年度     {found * 1000:7.1f} ms   （{len(every)} 对）")
    print(f"  一对报告的对照（含审阅结论、确定性和相近段落） {per_pair * 1000:7.1f} ms/对   （{len(sample)} 对的平均）")
    print(f"  审阅检查                 {checks * 1000:7.1f} ms   加上“上年安排未提及” {extra * 1000:.1f} ms"
          f"（{extra / checks:.2f} 倍）")
    repo.close()


def _realistic(repeat: int) -> None:
    """ms per pair on every labelled pair (real length and layouts), beside the time to read the pair."""
    rows = []
    for pair in fe.load_pairs():
        earlier, later = fe.read_pair(pair)
        tasks = len(follow_up(earlier, later))
        match = _median(lambda: follow_up(earlier, later), repeat)
        read = _median(lambda: fe.read_pair(pair), max(1, repeat // 4))
        rows.append((match, read, tasks, len(later.clean_text), pair["name"]))
    rows.sort()
    times = [r[0] for r in rows]
    worst = rows[-1]
    print(f"标注报告对 {len(rows)} 对：对照中位 {statistics.median(times) * 1000:.1f} ms/对，最慢 {worst[0] * 1000:.1f} ms"
          f"（{worst[4]}，{worst[2]} 项安排，本年报告 {worst[3]} 字；读取这对报告 {worst[1] * 1000:.1f} ms，"
          f"对照是读取的 {worst[0] / worst[1]:.2f} 倍）；目标 ≤ 100 ms：{'达到' if worst[0] <= 0.1 else '未达到'}")
    per_task = [r[0] / max(1, r[2]) * 1000 for r in rows]
    print(f"  每项安排 {min(per_task):.2f}–{max(per_task):.2f} ms（随安排数线性）")


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
    _realistic(max(3, args.repeat // 4))
    print()
    groups = [("第一、二批（调试用）", fe.load_pairs(batch=1)),
              ("第三批（调试用）", fe.load_pairs(batch=3)),
              ("第四批（首评后用于调整确定性规则）", fe.load_pairs(batch=4)),
              ("第五批（首评后用于调整确定性规则）", fe.load_pairs(batch=5)),
              ("第六批（首评后用于调整确定性规则）", fe.load_pairs(batch=6)),
              ("第七批（首评后用于调整确定性规则）", fe.load_pairs(batch=7))]
    if args.held_out:
        groups.append(("留出集（未评过的批次，只评一次）", fe.load_pairs(held_out=True, unscored=True)))
    for name, pairs in groups:
        if not pairs:
            continue
        plans = sum(len(p["plans"]) for p in pairs)
        print(f"{name}（{len(pairs)} 对报告，{plans} 项安排）")
        mine = fe.score(fe.app_matcher, pairs)
        print(f"  本匹配器  {mine.line()}")
        print(f"            {mine.certain_line()}")
        print(f"  二元组基线 {fe.score(fe.bigram_baseline, pairs).line()}")
    if args.library:
        print()
        _library(args.library, max(3, args.repeat // 4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
