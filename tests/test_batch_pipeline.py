"""Batch import through worker processes and one transaction per batch: the same library as one report at a
time, checks stored once and equal to checking the stored reading, exact ids when a derived id is taken, and a
SIGKILL in the middle of a batch leaves every stored report whole."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from realistic import write_reports  # noqa: E402

from desktop.report.extract import read_bytes  # noqa: E402
from desktop.review.checks import run_checks  # noqa: E402
from desktop.review.rubric import load_rubric  # noqa: E402
from desktop.review.service import rubric_hash  # noqa: E402
from desktop.season import batch  # noqa: E402
from desktop.season.batch import import_batch  # noqa: E402
from desktop.store.convert import dumps, indicator_values  # noqa: E402
from desktop.store.db import open_library  # noqa: E402
from desktop.store.merge import derived_gid, report_key  # noqa: E402


def _ids(repo, table: str, report_id: int) -> list:
    return [tuple(row.values()) for row in repo.db.rows(
        f"SELECT position, gid, uid, text, start, \"end\" FROM {table} WHERE report_id = ? ORDER BY position",
        (report_id,))]


def _library_rows(repo) -> list:
    out = []
    for r in repo.reports.list_reports():
        out.append((r.file_name, r.title, r.issuer, r.report_year, repo.reports.report_key_of(r.id),
                    _ids(repo, "indicators", r.id), _ids(repo, "work_items", r.id),
                    [(s.path, s.title) for s in repo.reports.sections(r.id)]))
    return sorted(out)


def test_pool_batches_store_what_one_at_a_time_stores_with_checks_of_the_stored_reading(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    paths = write_reports(folder, 14, seed=5)
    (folder / "坏.docx").write_bytes(b"PK\x03\x04broken")  # not a document: fails alone, in its place
    monkeypatch.setattr(batch, "BATCH_FILES", 4)  # several transactions
    pooled = open_library(tmp_path / "pooled.db", seed_sample=False, backups=False)
    items = import_batch(pooled, [folder], checks=True, workers=2)
    assert [i.status for i in items].count("new") == 14
    assert [i.name for i in items] == sorted(str(p) for p in [*paths, folder / "坏.docx"])
    assert next(i for i in items if i.name.endswith("坏.docx")).status == "failed"
    single = open_library(tmp_path / "single.db", seed_sample=False, backups=False)
    for p in paths:
        single.reports.import_bytes(p.read_bytes(), p.name)
    assert _library_rows(pooled) == _library_rows(single)
    rubric = load_rubric()
    key = rubric_hash(rubric)
    for r in pooled.reports.list_reports():
        stamp, stored = pooled.checks.stored_check_result(r.id, key)
        assert stamp == pooled.checks.check_stamp(r.id)  # current: findings_for will not run the checks again
        assert json.dumps(stored, sort_keys=True, default=str) == json.dumps(
            [f.to_dict() for f in run_checks(pooled.reports.reading(r.id), rubric)], sort_keys=True, default=str)
    again = import_batch(pooled, [folder], checks=True, workers=2)
    assert [i.status for i in again].count("unchanged") == 14
    pooled.close()
    single.close()


def test_a_derived_id_already_taken_gets_the_next_one_as_before(tmp_path):
    path = write_reports(tmp_path / "in", 1, seed=9)[0]
    reading = read_bytes(path.read_bytes(), path.name)
    key = report_key(reading.clean_text)
    first = indicator_values(reading.indicators[0])
    taken = derived_gid(key, "indicators", 0, dumps(first), 0)
    repo = open_library(tmp_path / "lib.db", seed_sample=True, backups=False)
    sample_id = repo.reports.list_reports()[0].id
    victim = repo.items.indicators(sample_id)[0]
    repo.db.execute("UPDATE indicators SET gid = ?, uid = ? WHERE id = ?", (taken, taken[:16], victim.id))
    result = repo.reports.import_bytes(path.read_bytes(), path.name)
    mine = _ids(repo, "indicators", result.report.id)  # (position, gid, uid, …)
    assert mine[0][1] == derived_gid(key, "indicators", 0, dumps(first), 1)  # item_gid's next candidate
    assert mine[0][2] == mine[0][1][:16] and len(mine) == len(reading.indicators)
    assert [i[1] for i in mine[1:]] == [derived_gid(key, "indicators", n, dumps(indicator_values(ind)), 0)
                                         for n, ind in enumerate(reading.indicators[1:], 1)]
    repo.close()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_during_a_batch_import_leaves_every_stored_report_whole(tmp_path):
    folder = tmp_path / "in"
    write_reports(folder, 80, seed=3)
    db = tmp_path / "lib.db"
    open_library(db).close()
    child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "import", str(folder), "--db", str(db)],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:  # kill once some batch is being written
        with open_library(db, backups=False) as repo:
            if repo.reports.report_count() > 5:
                break
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    with open_library(db, backups=False) as repo:
        assert repo.integrity_check() == "ok"
        counts = repo.reports.counts()
        assert len(counts) > 1
        for rid, c in counts.items():  # all of a report's rows or none of them
            assert c["sections"] > 0 and c["indicators"] > 0, rid
    rerun = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(folder), "--db", str(db), "--json"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert {r["label"] for r in json.loads(rerun.stdout)} <= {"新导入", "未变化"}
    with open_library(db, backups=False) as repo:
        assert repo.reports.report_count() == 80  # a --db library starts empty
