"""A damaged, empty or copied library: refused with where the last good backup is, repaired into a new file,
read-only commands make no backups folder, a failed backup leaves nothing behind."""
from __future__ import annotations

import sqlite3

import pytest

from desktop.cli import main
from desktop.store import health, repair
from desktop.store.db import LibraryError, backup_dir, list_backups, open_library
from tests.libraries import sample_library  # noqa: E402


def _damage(path):
    from hostile_files import damage_history

    damage_history(path)


@pytest.fixture
def library(tmp_path):
    path = tmp_path / "lib.db"
    sample_library(path).close()  # the sample imported
    return path


def test_damaged_library_is_refused_naming_the_last_good_backup(library, capsys):
    assert main(["annotate", "1", "--whole", "--comment", "第一条", "--db", str(library)]) == 0  # makes the daily copy
    good = list_backups(library)[-1]
    _damage(library)
    before = library.read_bytes()
    for argv in (["annotate", "1", "--whole", "--comment", "x"], ["import", str(library.parent / "x.txt")],
                 ["backup", str(library.parent / "b.db")]):
        capsys.readouterr()
        assert main([*argv, "--db", str(library)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "已损坏" in err[0] and str(good) in err[0]
    capsys.readouterr()
    assert main(["list", "--db", str(library)]) == 0  # reading what can be read, with the warning
    out = capsys.readouterr()
    assert "杭州市司法局" in out.out and "已损坏" in out.err and str(good) in out.err
    assert library.read_bytes() == before


def test_repair_restores_the_backup_into_a_new_file(library, capsys):
    main(["annotate", "1", "--whole", "--comment", "第一条", "--db", str(library)])
    _damage(library)
    before = library.read_bytes()
    assert main(["repair", "--db", str(library)]) == 0
    restored = next(library.parent.glob("lib-restored-*.db"))
    assert library.read_bytes() == before  # never in place
    assert health.is_good(restored)
    with open_library(restored, seed_sample=False, backups=False) as repo:
        assert repo.reports.report_count() == 1


def test_recover_copies_every_readable_row(library, tmp_path):
    _damage(library)
    result = repair.recover(library, tmp_path / "new.db")
    assert result.check == "ok" and sum(result.rows.values()) > 50
    with open_library(tmp_path / "new.db", seed_sample=False, backups=False) as repo:
        assert repo.reports.report_count() == 1
    with pytest.raises(LibraryError, match="新文件"):
        repair.recover(library, library)


def test_empty_file_with_backups_is_refused(library):
    main(["annotate", "1", "--whole", "--comment", "x", "--db", str(library)])
    for leftover in library.parent.glob("lib.db-*"):
        leftover.unlink()
    library.write_bytes(b"")
    with pytest.raises(LibraryError, match="0 字节.*备份"):
        sample_library(library)
    assert library.stat().st_size == 0


def test_empty_file_without_backups_becomes_a_library_with_a_notice(tmp_path, capsys):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert main(["list", "--db", str(path)]) == 0
    assert "0 字节" in capsys.readouterr().err


def test_read_only_commands_make_no_backups_folder(library, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(library.read_bytes())
    for argv in (["list"], ["show", "1"], ["annotations"], ["history"]):
        assert main([*argv, "--db", str(copy)]) == 0
    assert not backup_dir(copy).exists()
    assert main(["annotate", "1", "--whole", "--comment", "-2+3", "--db", str(copy)]) == 0  # a write: daily copy
    assert backup_dir(copy).is_dir()


def test_daily_backup_step_runs_integrity_check(library):
    _damage(library)
    with pytest.raises(LibraryError, match="已损坏"):
        sample_library(library)
    assert not list(backup_dir(library).glob("*daily*"))


def test_failed_backup_leaves_no_journal(library, tmp_path, monkeypatch):
    dest = tmp_path / "out" / "b.db"
    with sample_library(library, backups=False) as repo:
        def boom(target, *a, **k):
            # A full disk stops the copy and the rollback: SQLite leaves its hot journal behind.
            part = target.execute("PRAGMA database_list").fetchone()[2]
            with open(part + "-journal", "wb") as fh:
                fh.write(b"\0" * 512)
            raise sqlite3.OperationalError("database or disk is full")

        class Conn:
            def __getattr__(self, name):
                return getattr(real, name)

            backup = staticmethod(boom)

        real = repo.db.conn
        monkeypatch.setattr(repo.db, "conn", Conn())
        with pytest.raises(LibraryError, match="磁盘已满"):
            repo.backup(dest)
    assert not list(dest.parent.glob("*part*"))
