"""Read-only commands open a library cleanly closed with a cheap structural check; the full quick_check runs before
the first write of the connection (health.WriteGate), so a damaged library is still never written; a library left
with a write-ahead log (not closed cleanly, or open elsewhere) gets the full check when it is opened."""
from __future__ import annotations

import os
import sqlite3

import pytest

from desktop.cli import main
from desktop.store.db import LibraryError, open_library
from tests.libraries import file_sha, sample_library


def _history_rows(path, n=400):
    """Enough history for the table to span leaf pages below its root (annotations, each one logged)."""
    with sample_library(path, backups=False) as repo:
        with repo.db.tentative("many"):
            for i in range(n):
                repo.annotations.add_annotation(1, target_kind="report", body=f"第{i}条意见：数据来源需补充说明" * 3)


def _damage_a_history_leaf(path):
    """Garbage over the first leaf page of `history` (not its root, not the last leaf new rows go to): only a full
    check, or reading old history, finds it — a write would go through and spread the damage."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    leaf = conn.execute("SELECT pageno FROM dbstat WHERE name = 'history' AND pagetype = 'leaf' "
                        "ORDER BY path LIMIT 1").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((leaf - 1) * size)
        fh.write(os.urandom(size))


@pytest.fixture
def deep_damage(tmp_path):
    path = tmp_path / "lib.db"
    _history_rows(path)
    _damage_a_history_leaf(path)
    assert not (tmp_path / "lib.db-wal").exists() or (tmp_path / "lib.db-wal").stat().st_size == 0
    return path


def test_quick_open_reads_without_the_full_check_but_refuses_the_first_write(deep_damage):
    before = file_sha(deep_damage)
    repo = open_library(deep_damage, seed_sample=False, backups=False, quick_open=True)
    try:
        assert repo.notices == []  # the structure is sound: listing is not held up by a full read of the file
        assert [r.id for r in repo.reports.list_reports()] == [1]
        with pytest.raises(LibraryError) as raised:
            repo.annotations.add_annotation(1, target_kind="report", body="不应写入")
        assert raised.value.reason == "damaged" and "已损坏" in str(raised.value)
        with pytest.raises(LibraryError):  # and every later write too
            repo.scores.set_rubric_score(1, "structure", 1.0, None, "测试")
    finally:
        repo.close()
    assert file_sha(deep_damage) == before


def test_the_full_open_still_refuses_the_same_library(deep_damage):
    with pytest.raises(LibraryError) as raised:
        open_library(deep_damage, seed_sample=False, backups=False)
    assert raised.value.reason == "damaged"


def test_a_clean_library_opened_quickly_takes_writes(tmp_path):
    path = tmp_path / "lib.db"
    sample_library(path, backups=False).close()
    with open_library(path, seed_sample=False, backups=False, quick_open=True) as repo:
        note = repo.annotations.add_annotation(1, target_kind="report", body="写入正常")
    with open_library(path, seed_sample=False, backups=False) as repo:
        assert [a.body for a in repo.annotations.annotations(1)] == [note.body]


def test_cli_summary_on_a_deeply_damaged_library_writes_nothing(deep_damage, capsys):
    """`summary` is read-only but stores checks missing under the rubric: that first write runs the full check."""
    before = file_sha(deep_damage)
    with sqlite3.connect(deep_damage) as conn:  # make the stored checks stale so summary wants to write
        conn.execute("DELETE FROM check_results")
    conn.close()
    _damage_a_history_leaf(deep_damage)  # the delete moved pages: damage history again, after it
    before = file_sha(deep_damage)
    code = main(["summary", "--db", str(deep_damage)])
    err = capsys.readouterr().err
    assert code == 2 and "已损坏" in err and len(err.strip().splitlines()) == 1
    assert file_sha(deep_damage) == before


def test_a_library_left_with_its_write_ahead_log_gets_the_full_check(deep_damage):
    """Another connection holding the library open (or a crash) leaves a WAL: the open then checks everything."""
    holder = sqlite3.connect(deep_damage, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TEMP TABLE t(x)")  # a connection that stays open
    holder.execute("INSERT INTO library_info(key, value) VALUES ('holder', '1')")  # committed into the WAL
    try:
        assert (deep_damage.parent / "lib.db-wal").stat().st_size > 0
        with pytest.raises(LibraryError) as raised:
            open_library(deep_damage, seed_sample=False, backups=False, quick_open=True)
        assert raised.value.reason == "damaged"
    finally:
        holder.close()
