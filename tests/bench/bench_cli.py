"""CLI floor on a realistic season's library: what read-only commands pay above the bare interpreter start.

Each command runs as a child process, interleaved with the references so all see the same machine load: the bare
interpreter (`python -c pass`) and `python main.py --version` (the CLI's own start). Wall and CPU seconds (the
child's user + system time), median of --runs. Beside each, the same work done in-process on an open library, so
what a command pays for starting (imports, opening the library) is its time minus the work; and each command on a
library of one report (the sample), where nearly all it pays is starting.

Run by hand: python tests/bench/bench_cli.py [--reports N] [--db PATH] [--runs R]
Target (issue 27): a read-only command pays <= 0.3 s above the bare interpreter start.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from realistic_library import build_library  # noqa: E402

COMMANDS = (["list"], ["list", "--json"], ["show", "5"], ["summary", "--json"], ["ledger-status"], ["history"])


def child(argv: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def in_process(db: Path) -> dict[str, float]:
    """The data work of some commands on an already open library (no start-up), seconds."""
    from desktop.season.overview import overview
    from desktop.store.db import open_library

    repo = open_library(db, seed_sample=False, backups=False)
    out = {}
    try:
        t = time.perf_counter()
        repo.reports.list_reports(), repo.reports.counts()
        out["list"] = time.perf_counter() - t
        t = time.perf_counter()
        overview(repo)
        out["summary --json"] = time.perf_counter() - t
    finally:
        repo.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--db", help="library to build or reuse")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="bench-cli-")) / "library.db"
    build_library(db, args.reports).close()
    py, main_py = sys.executable, str(ROOT / "main.py")
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; library {db} "
          f"({db.stat().st_size / 1048576:.0f} MB)")
    runs: dict[str, list[tuple[float, float]]] = {}
    small = db.parent / "bench-cli-one-report.db"
    if not small.exists():
        from tests.libraries import sample_library

        sample_library(small, backups=False).close()
    for _ in range(args.runs):
        runs.setdefault("bare", []).append(child([py, "-c", "pass"]))
        runs.setdefault("--version", []).append(child([py, main_py, "--version"]))
        for argv in COMMANDS:
            runs.setdefault(" ".join(argv), []).append(child([py, main_py, *argv, "--db", str(db)]))
            one = ["show", "1"] if argv[0] == "show" else argv
            runs.setdefault(" ".join(one) + " (one report)", []).append(child([py, main_py, *one, "--db", str(small)]))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
    bare_wall, bare_cpu = med["bare"]
    work = in_process(db)
    print(f"bare interpreter (python -c pass): {bare_wall:.3f} s wall, {bare_cpu:.3f} s CPU (median of {args.runs})")
    for name, (wall, cpu) in med.items():
        if name == "bare":
            continue
        over = wall - bare_wall
        extra = f"; in-process work {work[name]:.2f} s, start-up {over - work[name]:+.2f} s" if name in work else ""
        print(f"python main.py {name}: {wall:.3f} s wall ({wall / bare_wall:.1f}× bare), {cpu:.3f} s CPU; "
              f"{over:+.3f} s wall / {cpu - bare_cpu:+.3f} s CPU above the bare start (target <= 0.3 s: "
              f"{'ok' if cpu - bare_cpu <= 0.3 else 'MISSED'}){extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
