"""Benchmark (run by hand): median time to read the seed, throughput over 1,000 generated variants, and time
per KB as the input grows (1x, 10x, 100x the seed, 4 MB of short lines).

    python tests/bench/bench_extract.py [--variants 1000] [--sizes-only]

Targets: >= 250 reports/s on one core; traditional-character and run-on layouts near the plain rate; no size
costs more than 2x the smallest's time per KB (every pass linear).
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.report.extract import read_text  # noqa: E402

SEED = (ROOT / "resources" / "sample-hangzhou-sfj-2023.txt").read_text(encoding="utf-8")


def variants(n: int, rng: random.Random) -> list[str]:
    """Reports that differ from the seed in the ways real ones do: figures, order, headings, punctuation."""
    paragraphs = SEED.split("\n")
    out = []
    for i in range(n):
        paras = list(paragraphs)
        body = [j for j, p in enumerate(paras) if p.startswith("(") and len(p) > 60]
        for j in rng.sample(body, k=min(4, len(body))):  # shuffle some sections' figures
            paras[j] = paras[j].replace("件", f"{rng.randint(1, 9)}件", 1)
        text = "\n".join(paras)
        if i % 3 == 0:
            text = text.replace(",", "，").replace("(", "（").replace(")", "）")
        if i % 5 == 0:
            text = text.replace("2023", str(2015 + i % 10))
        out.append(text)
    return out


def short_lines(size: int = 4 * 1024 * 1024) -> str:
    """Hard-wrapped lines that all rejoin into one (the shape that was quadratic in the wrap joiner)."""
    rng = random.Random(3)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    lines, n = [], 0
    while n < size:
        line = "".join(rng.choices(pool, k=rng.choice((30, 30, 30, 5, 8))))
        if rng.random() < 0.3:
            line = line[:3] + "，" + line[3:]
        lines.append(line)
        n += len(line.encode("utf-8")) + 1
    return "\n".join(lines)


def size_ratios() -> bool:
    """Time per KB for growing inputs; True when none costs more than 2x the smallest input's time per KB."""
    inputs = {"1x seed": SEED}
    for k in (10, 100):  # k different reports one after another (not one body repeated, which is deduplicated)
        inputs[f"{k}x seed"] = "\n".join(variants(k, random.Random(k)))
    inputs["4 MB short lines"] = short_lines()
    per_kb = {}
    for name, text in inputs.items():
        kb = len(text.encode("utf-8")) / 1024
        runs = 5 if kb < 500 else 1
        best = min(_timed(read_text, text) for _ in range(runs))
        per_kb[name] = best / kb
        print(f"{name:>18}: {kb:8.0f} KB in {best:7.3f} s = {per_kb[name] * 1000:6.3f} ms/KB")
    base = per_kb["1x seed"]
    ok = True
    for name, value in per_kb.items():
        ratio = value / base
        ok &= ratio <= 2.0
        print(f"{name:>18}: {ratio:4.2f}x the 1x seed's time per KB{'' if ratio <= 2.0 else '  <-- over 2x'}")
    return ok


def _timed(fn, arg) -> float:
    t0 = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t0


def main() -> None:
    if "--sizes-only" in sys.argv:
        raise SystemExit(0 if size_ratios() else 1)
    n = int(sys.argv[sys.argv.index("--variants") + 1]) if "--variants" in sys.argv else 1000
    times = []
    for _ in range(21):
        t0 = time.perf_counter()
        read_text(SEED)
        times.append(time.perf_counter() - t0)
    print(f"seed: median {statistics.median(times) * 1000:.2f} ms over {len(times)} runs "
          f"({len(SEED)} characters, body twice)")
    texts = variants(n, random.Random(7))
    t0 = time.perf_counter()
    for text in texts:
        read_text(text)
    elapsed = time.perf_counter() - t0
    print(f"variants: {n} reports in {elapsed:.2f} s = {n / elapsed:.0f} reports/s on one core (target >= 250)")
    layouts(texts[: max(50, n // 5)], n / elapsed)
    size_ratios()


def layouts(texts: list[str], reference: float) -> None:
    """Real-page layouts (traditional characters, the body run on one line) against the plain variants above."""
    try:
        import opencc
    except ImportError:
        opencc = None
    shapes = {"run-on body": [t.replace("\n", "") for t in texts]}
    if opencc is not None:
        s2t = opencc.OpenCC("s2t.json")
        shapes["traditional"] = [s2t.convert(t) for t in texts]
    for name, batch in shapes.items():
        t0 = time.perf_counter()
        for text in batch:
            read_text(text)
        rate = len(batch) / (time.perf_counter() - t0)
        print(f"{name}: {rate:.0f} reports/s = {rate / reference:.2f} x the plain variants")


if __name__ == "__main__":
    main()
