"""Opening a library on real SQLite files: creation, migrations from every version, refusals, backups."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest
from sqlite_utils import Database

from desktop.store import migrations
from desktop.store.backups import restore_backup
from desktop.store.db import KEEP_BACKUPS, LibraryError, default_library_path, list_backups, open_library
from tests.libraries import sample_library  # noqa: E402


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_library_is_created_with_the_sample_and_keeps_its_id(db_path):
    repo = sample_library(db_path)
    try:
        reports = repo.reports.list_reports()
        assert [r.title for r in reports] == ["杭州市司法局2023年法治政府建设年度报告"]
        assert len(repo.items.indicators(reports[0].id)) == 43
        assert len(repo.items.work_items(reports[0].id, kind="plan_task")) == 11
        lib_id = repo.library_id()
        conn = repo.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    finally:
        repo.close()
    again = sample_library(db_path)
    try:
        assert again.library_id() == lib_id
        assert again.reports.report_count() == 1  # reopening never seeds twice
    finally:
        again.close()


def test_creates_missing_folders_and_can_skip_the_sample(tmp_path):
    path = tmp_path / "deep" / "er" / "lib.db"
    with open_library(path, seed_sample=False) as repo:
        assert repo.reports.list_reports() == []
        assert repo.path == path
    assert path.is_file()


def test_default_library_lives_in_the_user_data_folder(monkeypatch):
    monkeypatch.delenv("FAZHI_DATA_DIR")
    path = default_library_path()
    assert path.name == "library.db" and "fazhi-review" in str(path)


def test_the_data_folder_can_be_moved_and_the_tests_never_touch_the_real_one(tmp_path):
    """FAZHI_DATA_DIR (set for the whole session by conftest) holds the default library and the CLI's log."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from platformdirs import user_data_path

    real = user_data_path("fazhi-review", appauthor=False)
    assert Path(os.environ["FAZHI_DATA_DIR"]) != real
    assert default_library_path().parent == Path(os.environ["FAZHI_DATA_DIR"])
    moved = tmp_path / "data"
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, FAZHI_DATA_DIR=str(moved))
    done = subprocess.run([sys.executable, "main.py", "list"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert (moved / "library.db").is_file()


def test_empty_file_gets_the_whole_schema(db_path):
    db_path.write_bytes(b"")
    with open_library(db_path, seed_sample=False) as repo:
        state = migrations.inspect(repo.db)
        assert state.applied == migrations.MIGRATION_NAMES
        assert {"reports", "sections", "indicators", "work_items", "annotations", "tags", "history",
                "rubric_scores", "readings"} <= set(state.tables)
        assert repo.annotations.tags()[:2] == ["亮点", "数据存疑"]


def _library_at_version(path, stop_before):
    """A library file as an earlier program version left it (pending migrations not applied)."""
    db = Database(path)
    migrations.apply(db, stop_before=stop_before)
    db.execute("INSERT INTO reports (file_name, sha256, doc_kind, title, clean_text, imported_at)"
               " VALUES ('old.txt', 'abc', 'annual_report', '旧报告', '旧的报告全文，有一句话。', '2024-01-01')")
    db.execute("INSERT INTO readings (report_id, reading_no, file_name, sha256, clean_text, imported_at)"
               " VALUES (1, 1, 'old.txt', 'abc', '旧的报告全文，有一句话。', '2024-01-01')")
    db.execute("INSERT INTO annotations (report_id, target_kind, start, \"end\", quote, body, created_at,"
               " updated_at) VALUES (1, 'span', 2, 4, '报告', '旧批注', '2024-01-01', '2024-01-01')")
    db.execute("INSERT INTO work_items (report_id, uid, kind, section_path, theme, text, start, \"end\", lead_unit)"
               " VALUES (1, 'u1', 'plan_task', '一', '主题', '有一句话。', 7, 12, '市司法局')")
    db.conn.commit()
    version = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()
    return version


@pytest.mark.parametrize("stop_before", migrations.MIGRATION_NAMES[1:])
def test_upgrade_from_every_earlier_schema_version(db_path, stop_before):
    version = _library_at_version(db_path, stop_before)
    assert version < migrations.SCHEMA_VERSION
    with sample_library(db_path) as repo:
        assert migrations.inspect(repo.db).applied == migrations.MIGRATION_NAMES
        assert repo.db.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert [r.title for r in repo.reports.list_reports()] == ["旧报告"]  # no sample added to an existing library
        (ann,) = repo.annotations.annotations()
        assert (ann.body, ann.quote, ann.anchor) == ("旧批注", "报告", "ok")
        (item,) = repo.items.work_items()
        assert item.lead_unit == "市司法局" and item.anchor == "ok"
        repo.scores.set_rubric_score(1, "c1", 4)  # tables of the newest version are usable
        assert repo.integrity_check() == "ok"
    backups = list_backups(db_path)
    assert len(backups) == 1 and "before-v" in backups[0].name
    old = sqlite3.connect(restore_backup(backups[0], db_path.with_name("restored.db")))  # gzip-compressed copies
    assert old.execute("PRAGMA user_version").fetchone()[0] == version  # the copy is the pre-upgrade file
    old.close()


def test_library_from_a_newer_version_is_refused_untouched(db_path):
    open_library(db_path, seed_sample=False).close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, '0099_future', 'x')",
                 [migrations.MIGRATION_SET])
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = _digest(db_path)
    with pytest.raises(LibraryError) as err:
        sample_library(db_path)
    assert err.value.reason == "newer"
    assert "更新版本" in str(err.value) and str(db_path) in str(err.value)
    assert _digest(db_path) == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(db_path):
    db_path.write_text("这不是数据库，是一段文字。" * 50, encoding="utf-8")
    before = _digest(db_path)
    with pytest.raises(LibraryError) as err:
        sample_library(db_path)
    assert err.value.reason == "not_sqlite" and "SQLite" in str(err.value)
    assert _digest(db_path) == before
    assert not (db_path.parent / (db_path.name + "-wal")).exists()


def test_another_programs_sqlite_database_is_refused_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('x')")
    conn.commit()
    conn.close()
    before = _digest(db_path)
    with pytest.raises(LibraryError) as err:
        sample_library(db_path)
    assert err.value.reason == "not_library"
    assert _digest(db_path) == before


def test_a_read_only_library_is_refused_untouched(db_path):
    open_library(db_path, seed_sample=False).close()
    before = _digest(db_path)
    os.chmod(db_path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(LibraryError) as err:
            sample_library(db_path)
        assert err.value.reason == "readonly" and "只读" in str(err.value)
    finally:
        os.chmod(db_path, stat.S_IRUSR | stat.S_IWUSR)
    assert _digest(db_path) == before


def test_a_locked_library_gives_a_clear_message_then_works_again(db_path):
    open_library(db_path, seed_sample=False).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another window holds the write lock
    other.execute("INSERT INTO tags (name, created_at) VALUES ('别的窗口', 'now')")
    try:
        with sample_library(db_path, timeout=0.2) as repo:  # reading still works in WAL mode
            assert "别的窗口" not in repo.annotations.tags()
            with pytest.raises(LibraryError) as err:
                repo.reports.import_reading(_tiny_reading(), file_name="t.txt")
            assert err.value.reason == "locked" and "占用" in str(err.value) and str(db_path) in str(err.value)
            with pytest.raises(LibraryError):
                repo.annotations.add_tag("新标签")
            other.execute("COMMIT")
            repo.annotations.add_tag("新标签")
            assert {"别的窗口", "新标签"} <= set(repo.annotations.tags())
            assert repo.reports.list_reports() == []  # the refused import left nothing half-written
    finally:
        other.close()


def test_a_locked_file_that_needs_upgrading_is_refused(db_path):
    _library_at_version(db_path, migrations.MIGRATION_NAMES[1])
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # rollback-journal file: nobody else may even read
    try:
        with pytest.raises(LibraryError) as err:
            sample_library(db_path, timeout=0.2)
        assert err.value.reason == "locked"
    finally:
        other.execute("ROLLBACK")
        other.close()
    with sample_library(db_path) as repo:  # once released, the upgrade goes through
        assert migrations.inspect(repo.db).applied == migrations.MIGRATION_NAMES


def test_daily_backup_once_a_day_and_only_the_last_few_kept(db_path):
    open_library(db_path, seed_sample=False).close()
    assert list_backups(db_path) == []  # a brand-new library needs no backup
    sample_library(db_path).close()
    sample_library(db_path).close()
    (daily,) = list_backups(db_path)
    assert "daily" in daily.name
    folder = daily.parent
    for n in range(KEEP_BACKUPS + 3):  # older copies, e.g. from earlier days
        (folder / f"{db_path.stem}-2020010{n % 9}-00000{n}-000000-daily.db").write_bytes(daily.read_bytes())
    daily.unlink()
    sample_library(db_path).close()
    kept = list_backups(db_path)
    assert len(kept) == KEEP_BACKUPS
    assert "2020" not in kept[-1].name  # today's copy is the newest and was kept


def test_backup_copies_a_consistent_library_and_never_overwrites(db_path, tmp_path):
    with sample_library(db_path) as repo:
        repo.annotations.add_annotation(1, target_kind="report", body="整体较好")
        dest = repo.backup(tmp_path / "copy.db")
        with pytest.raises(LibraryError):
            repo.backup(dest)
    copy = sqlite3.connect(dest)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT body FROM annotations").fetchall() == [("整体较好",)]
    copy.close()


def _tiny_reading():
    from desktop.report.extract import read_text

    return read_text("某县司法局2023年法治政府建设年度报告\n一、主要举措和成效\n全年办案12件。\n", "t.txt")


def test_a_killed_daily_backup_does_not_count_as_todays(db_path):
    """A backup killed mid-write leaves a .part file named for today: the day's copy is still made, and the
    stale part is removed."""
    import os
    import time as _time
    from datetime import datetime

    open_library(db_path, seed_sample=False).close()
    folder = db_path.parent / f"{db_path.stem}-backups"
    folder.mkdir(exist_ok=True)
    today = datetime.now().strftime("%Y%m%d")
    part = folder / f"{db_path.stem}-{today}-000000-000000-daily.db.gz.part"
    part.write_bytes(b"half a copy")
    old = _time.time() - 7200
    os.utime(part, (old, old))
    open_library(db_path).close()
    (daily,) = list_backups(db_path)
    assert daily.name.endswith(".db.gz") and today in daily.name
    assert not part.exists()
