"""Bundle benchmark: size on disk and packed (goal ≤ 250 MB / ≤ 100 MB), and the frozen program's start to a shown
window with the library open, against the source start measured the same way in the same run (goal ≤ 1.5×).
Run: python tests/bench/bench_bundle.py [DIST]   (DIST holds fazhi-review/ from `python -m desktop.build -o DIST`;
without it the bundle is built into a temporary folder first)."""
from __future__ import annotations

import gzip
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def packed_mb(folder: Path) -> float:
    """The folder as a .tar.gz (gzip level 6, what a download or the .deb's data part costs)."""
    sink = io.BytesIO()
    with gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=6, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w") as tar:
            tar.add(folder, arcname=folder.name)
    return len(sink.getvalue()) / 1e6


def timed(argv: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def start_times(exe: Path, runs: int) -> tuple[list[float], list[float]]:
    """(frozen, source): start → the window shown with the library open → exit, interleaved runs."""
    home = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    common = {"HOME": str(home), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
              "FAZHI_QUIT_WHEN_READY": "1", "XDG_DATA_HOME": str(home / "data"),
              "XDG_CONFIG_HOME": str(home / "config")}
    frozen_env = {**common, "PATH": "/usr/bin:/bin"}
    source_env = {**common, "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    frozen_argv = [str(exe), "--db", str(home / "frozen.db")]
    source_argv = [sys.executable, str(ROOT / "main.py"), "--db", str(home / "source.db")]
    timed(frozen_argv, frozen_env)  # first starts create the libraries (the sample imported)
    timed(source_argv, source_env)
    frozen, source = [], []
    for _ in range(runs):
        frozen.append(timed(frozen_argv, frozen_env))
        source.append(timed(source_argv, source_env))
    return frozen, source


def main(argv: list[str]) -> int:
    if argv:
        dist = Path(argv[0])
    else:
        dist = Path(tempfile.mkdtemp(prefix="bench-dist-"))
        subprocess.run([sys.executable, "-m", "desktop.build", "-o", str(dist)], cwd=ROOT, check=True)
    bundle = dist / "fazhi-review"
    exe = bundle / ("fazhi-review.exe" if os.name == "nt" else "fazhi-review")
    size, packed = disk_mb(bundle), packed_mb(bundle)
    print(f"bundle on disk: {size:.0f} MB (goal ≤ 250)   packed .tar.gz: {packed:.0f} MB (goal ≤ 100)")
    for deb in sorted(dist.glob("*.deb")):
        print(f"{deb.name}: {deb.stat().st_size / 1e6:.0f} MB")
    frozen, source = start_times(exe, runs=int(os.environ.get("BENCH_RUNS", "5")))
    f, s = statistics.median(frozen), statistics.median(source)
    print(f"start to a shown window with the library (median of {len(frozen)}): frozen {f:.2f} s, "
          f"source {s:.2f} s, ratio {f / s:.2f}× (goal ≤ 1.5×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
