"""Benchmark (run by hand): OCR of the sample as a scan — time per A4 page, peak memory, accuracy against the text.

    python tests/bench/bench_ocr.py [--dpi 200] [--no-reference]

The sample is typeset by LibreOffice (justified, autospace, page numbers), rendered with pdftoppm and assembled
into an image-only PDF with a red seal on the last page. The reading runs in a fresh process (so its peak RSS is
the OCR's own); the reference, in the same run, is RapidOCR with its default settings on the first page.
Targets: <= 8 s per page (wall, two cores), <= 600 MB peak, indicator F1 >= 0.95 and the outline equal.
CPU seconds are printed too: on a machine shared with other work, wall time is not the reader's alone.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.scans import PDFTOPPM, SOFFICE, scan, to_pdf, write_docx  # noqa: E402

SAMPLE = ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"

_READ = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from desktop.report import ocr
from desktop.report.extract import read_file
marks = []
def tick(done, total, message):
    if not marks or marks[-1][0] != done:
        marks.append((done, time.monotonic(), time.process_time()))
t0, c0 = time.monotonic(), time.process_time()
with ocr.watching(tick):
    reading = read_file(sys.argv[1])
t1, c1 = time.monotonic(), time.process_time()
pages = [(b[1] - a[1], b[2] - a[2]) for a, b in zip(marks, marks[1:])]
print(json.dumps({"wall": t1 - t0, "cpu": c1 - c0, "pages": pages,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "indicators": [[i.value, i.unit] for i in reading.indicators],
                  "outline": [[s.path, s.title] for s in reading.sections()], "note": reading.warnings[0]}))
"""

_DEFAULT = r"""
import json, resource, sys, time
from rapidocr_onnxruntime import RapidOCR
engine = RapidOCR()
t0, c0 = time.monotonic(), time.process_time()
result, _ = engine(sys.argv[1])
print(json.dumps({"wall": time.monotonic() - t0, "cpu": time.process_time() - c0, "lines": len(result or []),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _f1(found, expected) -> float:
    pool = [tuple(x) for x in expected]
    hits = 0
    for x in map(tuple, found):
        if x in pool:
            pool.remove(x)
            hits += 1
    p, r = hits / max(1, len(found)), hits / max(1, len(expected))
    return 2 * p * r / (p + r) if hits else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--no-reference", action="store_true", help="skip RapidOCR's default settings on page 1")
    args = ap.parse_args()
    if SOFFICE is None or PDFTOPPM is None:
        sys.exit("needs LibreOffice (soffice) and poppler (pdftoppm)")
    from desktop.report.extract import read_text
    from desktop.report.normalise import fold

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        text = SAMPLE.read_text(encoding="utf-8")
        write_docx(work / "sample.docx", text, page_numbers=True)
        (pdf,) = to_pdf([work / "sample.docx"], work)
        scanned = scan(pdf, work, dpi=args.dpi, seal="杭州市司法局")
        got = _run(_READ, str(scanned), str(ROOT))
        expected = read_text(text)
        pages = got["pages"]
        walls = sorted(w for w, _ in pages)
        cpus = sorted(c for _, c in pages)
        print(f"pages: {len(pages)} at {args.dpi} dpi   note: {got['note'][:60]}…")
        print(f"per page wall: median {walls[len(walls) // 2]:.1f} s, max {walls[-1]:.1f} s (target <= 8 s)")
        print(f"per page CPU : median {cpus[len(cpus) // 2]:.1f} s, max {cpus[-1]:.1f} s")
        print(f"whole reading: wall {got['wall']:.1f} s, CPU {got['cpu']:.1f} s (model loading included)")
        print(f"peak memory  : {got['peak_mb']:.0f} MB (target <= 600 MB)")
        fold_title = (lambda t: fold(t).translate(str.maketrans("“”\"", "'''")))
        same_outline = [(p, fold_title(t)) for p, t in got["outline"]] == \
            [(s.path, fold_title(s.title)) for s in expected.sections()]
        f1 = _f1(got["indicators"], [[i.value, i.unit] for i in expected.indicators])
        print(f"accuracy     : indicator F1 {f1:.3f} (target >= 0.95), outline equal: {same_outline}")
        if not args.no_reference:
            first = sorted(work.glob("sample-page-*.png"))[0]
            ref = _run(_DEFAULT, str(first))
            print(f"reference    : RapidOCR defaults on page 1: wall {ref['wall']:.1f} s, CPU {ref['cpu']:.1f} s, "
                  f"peak {ref['peak_mb']:.0f} MB")
            print(f"ratio        : tuned/default per page wall {walls[len(walls) // 2] / ref['wall']:.2f}, "
                  f"CPU {cpus[len(cpus) // 2] / ref['cpu']:.2f}, peak {got['peak_mb'] / ref['peak_mb']:.2f}")


if __name__ == "__main__":
    main()
