"""SQLite's and Python's English messages never reach the user: Chinese on screen, the original in the log (issue 20)."""
from __future__ import annotations

import errno
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desktop.kernel.plain import describe
from desktop.store.db import open_library

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = re.compile(r"\b(?:Page|btree\w*|malformed|error|database|disk|image|returns|code|file|tree)\b", re.I)


def _run(*argv, data: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(data), "HOME": str(data),
           "FAZHI_DATA_DIR": str(data / "fazhi-review")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, argv)], env=env, capture_output=True,
                          text=True, timeout=120)


def _damage_a_page(path: Path) -> None:
    """Overwrite the header of an interior b-tree page: SQLite reports 'btreeInitPage() returns error code 11'."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "r+b") as fh:
        for page in (3, 4, 5, 6):
            fh.seek((page - 1) * page_size)
            fh.write(b"\x07" * 16)


def test_a_damaged_library_is_told_in_chinese_and_the_original_is_logged(tmp_path):
    library = tmp_path / "审阅库.db"
    open_library(library, backups=False).close()
    _damage_a_page(library)
    result = _run("import", ROOT / "resources" / "sample-hangzhou-sfj-2023.txt", "--db", library, data=tmp_path)
    assert result.returncode == 2
    message = result.stderr.replace(str(library), "")
    assert result.stderr.startswith("错误：") and "审阅库文件已损坏" in message and "repair" in message
    assert not ENGLISH.search(message.replace("repair", "").replace("--db", "").replace("python main.py", "")), message
    log = (tmp_path / "fazhi-review" / "cli.log").read_text(encoding="utf-8")
    assert re.search(r"damaged: .*(?:btree|malformed|Page|tree page)", log, re.I), log


def test_real_sqlite_and_os_errors_read_in_chinese(tmp_path):
    not_db = tmp_path / "x.db"
    not_db.write_bytes(b"this is no database at all, just text " * 100)
    with pytest.raises(sqlite3.DatabaseError) as raised:
        sqlite3.connect(not_db).execute("SELECT * FROM sqlite_master").fetchall()
    assert describe(raised.value) == "不是有效的 SQLite 数据库"
    with pytest.raises(sqlite3.OperationalError) as raised:
        sqlite3.connect(tmp_path / "no" / "such" / "x.db")
    assert describe(raised.value).startswith("无法打开数据库文件")
    with pytest.raises(OSError) as raised:
        open(tmp_path / "missing.txt", encoding="utf-8")
    assert describe(raised.value) == "文件或文件夹不存在"
    with pytest.raises(IsADirectoryError) as raised:
        open(tmp_path, encoding="utf-8")
    assert describe(raised.value) == "这是一个文件夹，不是文件"
    assert describe(OSError(errno.ENOSPC, "No space left on device")) == "磁盘已满"
    with pytest.raises(zipfile.BadZipFile) as raised:
        zipfile.ZipFile(not_db)
    assert describe(raised.value) == "不是有效的压缩文件，或文件已损坏"
    with pytest.raises(UnicodeDecodeError) as raised:
        b"\xff\xfe\xfa".decode("utf-8")
    assert describe(raised.value) == "文字编码无法识别"
    assert describe(KeyError("x")) == "程序内部错误"


def test_a_batch_import_names_a_broken_zip_in_chinese(tmp_path, repo, capsys):
    from desktop.cli import main

    broken = tmp_path / "各区县.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)  # a zip's signature and nothing valid behind it
    repo.close()
    code = main(["import", str(broken), "--db", str(repo.path)])
    out, err = capsys.readouterr()
    assert code == 2 and "各区县.zip" in out + err
    assert not re.search(r"File is not a zip file|Bad magic|BadZipFile", out + err)
    assert re.search(r"不是有效的 zip 压缩包（不是有效的压缩文件，或文件已损坏）", out + err), out + err


def test_an_unexpected_failure_is_one_chinese_line_and_a_logged_traceback(tmp_path, capsys, monkeypatch):
    """A bug or an unforeseen error in a command: no traceback on the terminal, the whole of it in cli.log."""
    import logging

    from desktop import cli

    def broken(args):
        raise RuntimeError("internal state went wrong in some English words")

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("FAZHI_DATA_DIR", str(tmp_path / "fazhi-review"))
    real_build = cli.build_parser

    def build_with_a_broken_extract():
        parser = real_build()
        parser._subparsers._group_actions[0].choices["extract"].set_defaults(handler=broken)
        return parser

    monkeypatch.setattr(cli, "build_parser", build_with_a_broken_extract)
    code = cli.main(["extract", str(ROOT / "resources" / "sample-hangzhou-sfj-2023.txt")])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and err.startswith("错误：程序内部错误；详细信息已记入")
    assert "Traceback" not in err and "internal state" not in err
    for handler in logging.getLogger("desktop.kernel.plain").handlers:
        handler.flush()
    log = (tmp_path / "fazhi-review" / "cli.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "internal state went wrong" in log


def test_a_broken_rubric_names_the_place_in_chinese(tmp_path, capsys):
    from desktop.cli import main

    rubric = tmp_path / "我的评分表.toml"
    rubric.write_text("[[criteria]]\nid = \"x\"\nweight = \n", encoding="utf-8")
    code = main(["check", str(ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"), "--rubric", str(rubric)])
    err = capsys.readouterr().err
    assert code == 2 and "评分表格式错误（第 3 行第 10 列）" in err and err.count("\n") == 1
    assert "Invalid" not in err and "line" not in err
