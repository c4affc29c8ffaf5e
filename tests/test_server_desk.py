"""文件 → 与服务器同步… in the desk against a real PostgreSQL (tests/pgserver.py), real widgets offscreen: the password
asked once per session when libpq has none and never stored, a colleague's work merged, 上次同步 in Chinese."""
from __future__ import annotations

import re

import pytest

from tests.libraries import sample_library
from tests.pgserver import team_database
from tests.test_ui_desk import lib_path, repo, settings, window  # noqa: F401 - the desk's fixtures
from tests.test_ui_files import wait_for

pytest.importorskip("psycopg")


@pytest.fixture
def server(pg_server, pg_url, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")  # libpq has no password: the desk must ask
    return team_database(pg_server, pg_url, ("甲", "乙"))


def test_sync_from_the_file_menu(window, server, pg_server, pg_url, tmp_path):
    from desktop.server.sync import sync

    window.desk.settings.reviewer = "甲"
    with sample_library(tmp_path / "yi.db") as colleague:
        colleague.default_who = "乙"
        colleague.annotations.add_annotation(1, target_kind="span", start=100, end=130, body="乙：数据需核实", reviewer="乙")
        colleague.season.set_review_status(1, "审阅中", who="乙")
        sync(colleague, server["乙"])
    menu = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "与服务器同步…" in menu
    assert window.server.label.text() == ""  # never synced
    address = pg_server.url("甲", None, pg_url.rsplit("/", 1)[1])  # no password in it
    repo = window.desk.repo
    repo.annotations.add_annotation(1, target_kind="report", body="甲：整体较好", reviewer="甲")
    asked, done = [], []
    window.server.sync(address, ask_password=lambda a: asked.append(a) or "甲-pw", on_finished=done.append)
    wait_for(lambda: done, timeout=60_000)
    result = done[0]
    assert result is not None and (result.uploaded, result.downloaded) >= (1, 1) and asked == [address]
    assert sorted(a.body for a in repo.annotations.annotations(1)) == ["乙：数据需核实", "甲：整体较好"]
    assert repo.reports.get_report(1).review_status == "审阅中"
    assert re.fullmatch(r"上次同步：\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", window.server.label.text())
    assert "已同步：" in window.statusBar().currentMessage()
    # the address is remembered, the password only for this session and never in the library
    from desktop.store.sync_marks import server_address

    assert server_address(repo) == address
    done.clear()
    window.server.sync(address, ask_password=lambda a: asked.append(a) or "甲-pw", on_finished=done.append)
    wait_for(lambda: done, timeout=60_000)
    assert done[0].line() == "0 条上传，0 条下载，0 个冲突" and len(asked) == 1
    repo.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert "甲-pw".encode() not in repo.path.read_bytes()
