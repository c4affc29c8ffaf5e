"""Batch import's memory: the real CLI importing 24 and then 120 distinct realistic reports (tests/bench/realistic.py)
peaks within 15 MB of each other, in the main process and in the reader processes alike; and every report lands whole
with its checks stored.

A coarse guard, not a proof of flat memory: at 360 reports the main process peaks ~70 MB above 24 reports — the
64 MB page cache the batch import asks for, plus ~60 KB per report not yet accounted for (seen in review)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from realistic import write_reports  # noqa: E402

from desktop.review.rubric import load_rubric  # noqa: E402
from desktop.review.service import rubric_hash  # noqa: E402
from desktop.store.db import open_library  # noqa: E402

RUN = textwrap.dedent("""
    import json, resource, sys
    sys.path.insert(0, {root!r})
    from desktop.cli import main
    if __name__ == "__main__":
        code = main(["import", {folder!r}, "--db", {db!r}, "--json"])
        self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(json.dumps({{"code": code, "main_mb": self_kb / 1024, "reader_mb": kids_kb / 1024}}), file=sys.stderr)
""")


def _import(tmp_path: Path, n: int, seed: int) -> dict:
    folder = tmp_path / f"in-{n}"
    write_reports(folder, n, seed=seed)
    db = tmp_path / f"lib-{n}.db"
    script = tmp_path / f"run_{n}.py"
    script.write_text(RUN.format(root=str(ROOT), folder=str(folder), db=str(db)), encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = json.loads(run.stdout)
    assert len(rows) == n and all(r["label"] == "新导入" for r in rows)
    stats = json.loads(run.stderr.strip().splitlines()[-1])
    with open_library(db, backups=False) as repo:
        counts = repo.reports.counts()
        assert len(counts) >= n and all(c["sections"] > 0 and c["indicators"] > 0 for c in counts.values())
        stale = set(repo.checks.stale_check_reports(rubric_hash(load_rubric())))
        assert not stale & {r["report_id"] for r in rows}  # every imported report's checks stored by the import
    return stats


def test_import_memory_stays_within_15_mb_from_24_to_120_reports(tmp_path):
    small = _import(tmp_path, 24, seed=1)
    large = _import(tmp_path, 120, seed=2)
    assert small["code"] == large["code"] == 0
    # five times the reports: the same window of files in flight, nothing kept per report but its result line
    assert large["main_mb"] <= small["main_mb"] + 15, (small, large)
    assert large["reader_mb"] <= small["reader_mb"] + 15, (small, large)
