"""Benchmark (run by hand): median time to read the seed, and throughput over 1,000 generated variants.

    python tests/bench/bench_extract.py [--variants 1000]

Target: >= 250 reports/s on one core; traditional-character and run-on layouts near the plain rate.
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


def main() -> None:
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
