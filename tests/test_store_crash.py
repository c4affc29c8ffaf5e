"""Crash safety and two processes: SIGKILL mid-write never corrupts the file or loses a committed annotation."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.store.db import open_library
from tests.libraries import sample_library  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KILLS = 24

# The child writes annotations (and a work item edit) in a loop; after each commit it prints the id.
WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from desktop.store.db import LibraryError, open_library
    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    repo = open_library(path, seed_sample=False, backups=False, timeout=10)
    item = repo.items.work_items(1, kind="plan_task")[0].id
    print("ready", flush=True)
    n = 0
    while count == 0 or n < count:
        n += 1
        try:
            ann = repo.annotations.add_annotation(1, target_kind="span", start=n % 500, end=n % 500 + 4,
                                      body=f"{{tag}}-{{n}}", tags=[tag], reviewer=tag)
            repo.items.update_work_item(item, {{"progress": f"{{tag}}-{{n}}"}}, who=tag)
        except LibraryError as exc:
            print("error", exc, flush=True)
            sys.exit(3)
        print(ann.id, flush=True)
    repo.close()
""")


@pytest.fixture
def library(db_path):
    sample_library(db_path).close()  # the sample report is #1
    return db_path


def _writer(path, tag, count=0):
    script = WRITER.format(root=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", script, str(path), tag, str(count)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


def _committed(lines: list[str]) -> set[int]:
    return {int(x) for x in lines if x.strip().isdigit()}


def test_sigkill_at_random_moments_loses_nothing_committed(library):
    rng = random.Random()
    reported: set[int] = set()
    deadline = time.monotonic() + 60
    for _ in range(KILLS):
        child = _writer(library, "crash")
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.12))  # mid-transaction, between commits, wherever it happens to be
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        reported |= _committed(out.splitlines())
        conn = sqlite3.connect(library)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = {r[0] for r in conn.execute("SELECT id FROM annotations")}
        finally:
            conn.close()
        assert reported <= stored, f"committed annotations missing after SIGKILL: {sorted(reported - stored)}"
        assert time.monotonic() < deadline
    assert len(reported) > KILLS  # the children did get work done between kills
    with sample_library(library) as repo:
        assert repo.integrity_check() == "ok"
        assert len(repo.annotations.annotations(1)) >= len(reported)
        history = [h for h in repo.annotations.history(1) if h.entity == "annotation" and h.action == "insert"]
        assert {h.entity_id for h in history} >= reported  # each insert and its history row committed together


def test_two_processes_write_the_same_library(library):
    count = 60
    children = [_writer(library, tag, count) for tag in ("窗口甲", "窗口乙")]
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        outputs.append(_committed(out.splitlines()))
    assert len(outputs[0]) == len(outputs[1]) == count and not outputs[0] & outputs[1]
    with sample_library(library) as repo:
        anns = repo.annotations.annotations(1)
        assert sorted(a.body for a in anns) == sorted([f"窗口甲-{n}" for n in range(1, count + 1)]
                                                      + [f"窗口乙-{n}" for n in range(1, count + 1)])
        assert repo.integrity_check() == "ok"
        progress = [h for h in repo.annotations.history(1) if h.field == "progress"]
        assert len(progress) == 2 * count


def test_a_writer_blocked_too_long_gets_a_clear_message(library):
    blocker = sqlite3.connect(library, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # e.g. a window stuck in a long write
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from desktop.store.db import LibraryError, open_library
        repo = open_library({str(library)!r}, timeout=0.3)
        try:
            repo.annotations.add_annotation(1, target_kind="report", body="试写")
        except LibraryError as exc:
            print(exc)
            sys.exit(2)
    """)
    try:
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                              timeout=60)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert proc.returncode == 2, proc.stderr
    assert "占用" in proc.stdout and str(library) in proc.stdout and "Traceback" not in proc.stderr
    with sample_library(library) as repo:
        assert repo.annotations.annotations() == [] and repo.integrity_check() == "ok"


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_kill_during_import_leaves_no_half_report(library, sample_path):
    raw = sample_path.read_text(encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from desktop.store.db import open_library
        repo = open_library({str(library)!r}, seed_sample=False, backups=False)
        raw = sys.stdin.read()
        print("ready", flush=True)
        n = 0
        while True:
            n += 1
            r = repo.reports.import_bytes(raw.replace("杭州市司法局", f"第{{n}}司法局").encode(), f"r{{n}}.txt")
            print(r.report.id, flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, encoding="utf-8")
    child.stdin.write(raw)
    child.stdin.close()
    assert child.stdout.readline().strip() == "ready"
    time.sleep(0.4)
    child.send_signal(signal.SIGKILL)
    out = child.stdout.read()
    child.wait(timeout=30)
    done = _committed(out.splitlines())
    with sample_library(library) as repo:
        assert repo.integrity_check() == "ok"
        ids = {r.id for r in repo.reports.list_reports()}
        assert done <= ids
        counts = repo.reports.counts()
        for rid in ids:  # every stored report is whole: all its rows or none
            assert counts[rid]["indicators"] > 0 and counts[rid]["sections"] > 0, rid
