"""`server init`, `server add-reviewer` and `sync --server` on the command line against a real PostgreSQL: Chinese
lines, exit 2 with one line on bad input (server down, wrong password, not initialised), never a traceback."""
from __future__ import annotations

import pytest

import subprocess
import sys

from tests.libraries import SAMPLE, cli
from tests.pgserver import SUPERUSER, _free_port

pytest.importorskip("psycopg")


def admin(*args):
    """`python main.py server …` (no library: the server commands do not open one)."""
    return subprocess.run([sys.executable, str(SAMPLE.parents[1] / "main.py"), "server", *map(str, args)],
                          capture_output=True, text=True, cwd=SAMPLE.parents[1], timeout=120)


def _one_line_error(proc) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), proc.stderr
    return lines[0]


def test_init_add_reviewer_and_sync(pg_server, pg_url, tmp_path):
    db = tmp_path / "a.db"
    out = admin("init", pg_url)
    assert out.returncode == 0 and "服务器已初始化（新建 0001_records）" in out.stdout, out.stderr
    again = admin("init", pg_url)
    assert "已是最新，无需改动" in again.stdout
    added = admin("add-reviewer", "张敏", "--server", pg_url)
    assert added.returncode == 0 and "已为审阅人“张敏”建立账户 张敏" in added.stdout
    password = added.stdout.split("初始密码：")[1].split("（")[0] if "初始密码" in added.stdout else None
    if password is None:  # the role exists from an earlier test of this session: give it a known password
        import psycopg

        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("ALTER ROLE \"张敏\" PASSWORD '张敏-pw'")
        password = "张敏-pw"
    url = pg_server.url("张敏", None, pg_url.rsplit("/", 1)[1])
    import os

    env_before = os.environ.get("PGPASSWORD")
    os.environ["PGPASSWORD"] = password  # libpq's own source: the library never stores it
    try:
        first = cli("sync", "--server", url, db=db)
        assert first.returncode == 0, first.stderr
        assert first.stdout.startswith("已同步（审阅人 张敏）：") and "条上传，0 条下载，0 个冲突" in first.stdout
        second = cli("sync", db=db)  # the address is remembered
        assert "已同步（审阅人 张敏）：0 条上传，0 条下载，0 个冲突" in second.stdout, second.stderr
    finally:
        if env_before is None:
            os.environ.pop("PGPASSWORD", None)
        else:
            os.environ["PGPASSWORD"] = env_before
    assert password.encode() not in db.read_bytes()


@pytest.mark.parametrize("case", ["down", "password", "uninitialised", "no-password", "not-reviewer"])
def test_bad_servers_one_line(pg_server, pg_url, tmp_path, case, monkeypatch):
    import psycopg

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    dbname = pg_url.rsplit("/", 1)[1]
    if case == "down":
        url, expect = f"postgresql://x:y@127.0.0.1:{_free_port()}/fazhi", "无法连接服务器"
    elif case == "password":
        url, expect = pg_server.url(SUPERUSER, "wrong", dbname), "账户或密码不对"
    elif case == "uninitialised":
        url, expect = pg_url, "服务器尚未初始化"
    elif case == "no-password":
        url, expect = pg_server.url(SUPERUSER, None, dbname), "服务器要求密码"
    else:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            from desktop.server import schema

            schema.init(conn)
            conn.execute("DROP ROLE IF EXISTS visitor")
            conn.execute("CREATE ROLE visitor LOGIN PASSWORD 'v-pw'")
        url, expect = pg_server.url("visitor", "v-pw", dbname), "不是本服务器的审阅人"
    line = _one_line_error(cli("sync", "--server", url, db=tmp_path / "a.db"))
    assert expect in line


def test_sync_without_address_says_so(tmp_path):
    line = _one_line_error(cli("sync", db=tmp_path / "a.db"))
    assert "请用 --server 给出服务器地址" in line


def test_server_commands_bad_input_one_line(pg_server, pg_url):
    dbname = pg_url.rsplit("/", 1)[1]
    for args, expect in ((("init", pg_server.url(SUPERUSER, "wrong", dbname)), "账户或密码不对"),
                         (("init", f"postgresql://x:y@127.0.0.1:{_free_port()}/fazhi"), "无法连接服务器"),
                         (("add-reviewer", "张敏", "--server", pg_url), "服务器尚未初始化"),
                         (("add-reviewer", "张敏"), "请用 --server 给出服务器地址")):
        assert expect in _one_line_error(admin(*args))
