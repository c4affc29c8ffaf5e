"""Benchmark (run by hand): time of all review checks against the time of reading, at 1×, 10× and 100× the seed.

    python tests/bench/bench_review.py [--repeat 30]

Target: the checks are linear in the text's length, like the reading: the ratio checks/read stays <= 1.5 at
every size (the reading is the reference, measured in the same run).
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.report.extract import read_text  # noqa: E402
from desktop.review.checks import run_checks  # noqa: E402
from desktop.review.rubric import load_rubric  # noqa: E402

SEED = (ROOT / "resources" / "sample-hangzhou-sfj-2023.txt").read_text(encoding="utf-8")


def long_report(copies: int = 6) -> str:
    """The seed's body with every numbered section repeated (same numbers, new figures): ~copies × as long."""
    body = SEED[:SEED.index("加入收藏")]
    out = []
    for line in body.split("\n"):
        out.append(line)
        if line.startswith("(") and len(line) > 40:
            for k in range(copies - 1):
                out.append("\n" + line.replace("。", f"，第{k + 2}批次共{(k + 3) * 7}件。", 1))
    return "\n".join(out)


def scaled(factor: int) -> str:
    """About `factor` times the seed's length: its sections repeated with new figures."""
    if factor <= 1:
        return SEED
    copies = factor
    while len(text := long_report(copies)) < factor * len(SEED[:SEED.index("加入收藏")]):  # the body, as read
        copies += max(1, copies // 10)
    return text


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 30
    rubric = load_rubric()
    worst = 0.0
    for factor in (1, 10, 100):
        text, name = scaled(factor), f"{factor}x"
        reading = read_text(text, f"{name}.txt")
        n = max(3, repeat // factor)
        read = median_ms(lambda: read_text(text, f"{name}.txt"), n)
        check = median_ms(lambda: run_checks(reading, rubric), n)
        worst = max(worst, check / read)
        print(f"{name:>5}: {len(reading.clean_text):>8} chars, {sum(1 for _ in reading.sections()):>5} sections, "
              f"{len(reading.indicators):>6} indicators, {len(reading.work_items):>5} work items; "
              f"read {read:9.1f} ms, checks {check:9.1f} ms, ratio checks/read {check / read:.2f}")
    print(f"worst ratio {worst:.2f} (target <= 1.5: {'ok' if worst <= 1.5 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
