"""A sync cut short leaves both sides consistent and the next sync completes (a real PostgreSQL, real processes):
the client killed with SIGKILL while it pushes or merges, and the server stopped under a running sync."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.libraries import SAMPLE
from tests.pgserver import team_database

pytest.importorskip("psycopg")
ROOT = SAMPLE.parents[1]


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """A library of 40 generated reports with three reviewers' work (tests/bench/realistic_library.py)."""
    sys.path[:0] = [str(ROOT / "tests" / "bench")]
    try:
        from realistic_library import build_library
    finally:
        del sys.path[0]
    path = tmp_path_factory.mktemp("season") / "season.db"
    build_library(path, 40).close()
    return path


def _sync(db, url, **kw):
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "sync", "--server", url, "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, **kw)


def _dump(db):
    from desktop.store.db import open_library

    repo = open_library(db, seed_sample=False, backups=False)
    try:
        assert repo.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return repo.team.canonical_dump(), repo.reports.report_count()
    finally:
        repo.close()


def _killed_runs(db, url, delays) -> int:
    """Start a sync and SIGKILL it after each delay in turn; how many were killed while running."""
    killed = 0
    for delay in delays:
        proc = _sync(db, url)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.communicate(timeout=120)
        _dump(db)  # opens, integrity holds, whatever the moment
    return killed


def test_client_killed_while_pushing_and_while_merging(pg_server, pg_url, season, tmp_path):
    team = team_database(pg_server, pg_url)
    source = tmp_path / "office.db"
    shutil.copy(season, source)
    assert _killed_runs(source, team["admin"], (0.6, 1.2)) >= 1  # the first push (everyone's work, as admin)
    done = _sync(source, team["admin"]).communicate(timeout=300)
    assert "已同步" in done[0], done[1]
    want, reports = _dump(source)

    scratch = tmp_path / "scratch.db"  # how long a whole first pull takes on this machine now
    started = time.monotonic()
    assert "已同步" in _sync(scratch, team["张敏"]).communicate(timeout=300)[0]
    whole = time.monotonic() - started
    fresh = tmp_path / "zhang.db"  # an interrupted merge keeps nothing, so each run starts the whole pull again
    killed = _killed_runs(fresh, team["张敏"], tuple(whole * f for f in (0.3, 0.5, 0.7, 0.85)))
    assert killed >= 2
    out, err = _sync(fresh, team["张敏"]).communicate(timeout=300)
    assert out.startswith("已同步（审阅人 张敏）"), err
    got, count = _dump(fresh)
    assert count == reports and got == want  # everything, once: the interrupted merges left nothing half-done
    again, err = _sync(fresh, team["张敏"]).communicate(timeout=300)
    assert "0 条上传，0 条下载，0 个冲突" in again, err


def test_server_stopped_mid_sync(pg_server, pg_url, season, tmp_path):
    team = team_database(pg_server, pg_url)
    source = tmp_path / "office.db"
    shutil.copy(season, source)
    proc = _sync(source, team["admin"])
    time.sleep(1.0)
    pg_server.stop("immediate")
    try:
        out, err = proc.communicate(timeout=120)
        if proc.returncode != 0:  # stopped under it: one line, library intact
            assert proc.returncode == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
            assert "连接中断" in err or "无法连接服务器" in err
        cut = _sync(source, team["admin"]).communicate(timeout=60)
        assert "无法连接服务器" in cut[1]  # while it is down: one line, nothing lost
    finally:
        pg_server.start_again()
    done = _sync(source, team["admin"]).communicate(timeout=300)
    assert "已同步" in done[0], done[1]
    fresh = tmp_path / "li.db"
    out, err = _sync(fresh, team["李强"]).communicate(timeout=300)
    assert "已同步" in out, err
    assert _dump(fresh)[0] == _dump(source)[0]
