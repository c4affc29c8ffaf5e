"""Benchmark (run by hand): median time of all review checks on the seed and on a long generated report.

    python tests/bench/bench_review.py [--repeat 30]

Target: the checks cost no more than reading the report (ratio checks/read <= 1), so the 审阅检查 panel
can refresh after every edit.
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
    for name, text in (("seed", SEED), ("long", long_report())):
        reading = read_text(text, f"{name}.txt")
        read = median_ms(lambda: read_text(text, f"{name}.txt"), repeat)
        check = median_ms(lambda: run_checks(reading, rubric), repeat)
        print(f"{name}: {len(reading.clean_text)} chars, {sum(1 for _ in reading.sections())} sections, "
              f"{len(reading.indicators)} indicators; read {read:.2f} ms, checks {check:.2f} ms, "
              f"ratio checks/read {check / read:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
