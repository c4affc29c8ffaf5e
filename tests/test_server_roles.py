"""The team server refuses what a reviewer's role may not do (a real PostgreSQL, tests/pgserver.py): write a record
stamped as another reviewer, change or delete a record, or push under another name; it takes what it may."""
from __future__ import annotations

import pytest

from tests.pgserver import team_database

psycopg = pytest.importorskip("psycopg")
from psycopg.types.json import Jsonb  # noqa: E402

STAMP = "2026-03-01T08:00:00.000000Z|lib-a|0a1b2c3d"


@pytest.fixture
def server(pg_server, pg_url):
    return team_database(pg_server, pg_url)


def _annotation(author: str, body: str = "数据需核实", stamp: str = STAMP) -> dict:
    return {"gid": "g1", "body": body, "reviewer": author, "deleted": 0,
            "stamps": {"_created": [stamp, "", author], "body": [stamp, "", author]}}


def _insert(url: str, reviewer: str, body: dict, kind: str = "annotations"):
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO fazhi.records (kind, gid, report_key, reviewer, body) VALUES (%s, %s, 'k', %s, %s)",
                     (kind, body["gid"], reviewer, Jsonb(body)))


def _count(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM fazhi.records").fetchone()[0]


def test_a_reviewer_writes_as_herself_and_reads_everyone(server):
    _insert(server["张敏"], "张敏", _annotation("张敏"))
    with psycopg.connect(server["李强"], autocommit=True) as conn:
        rows = conn.execute("SELECT reviewer, body->>'body' FROM fazhi.records").fetchall()
    assert rows == [("张敏", "数据需核实")]


def test_forged_reviewer_refused(server):
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="只能由其本人上传"):
        _insert(server["李强"], "李强", _annotation("张敏"))  # 李强's own row, but 张敏's write inside
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="与当前账户对应的审阅人不符"):
        _insert(server["李强"], "张敏", _annotation("张敏"))  # a row pushed under 张敏's name
    assert _count(server["admin"]) == 0


def test_relaying_a_colleague_write_only_as_it_was(server):
    _insert(server["张敏"], "张敏", _annotation("张敏"))
    relayed = {**_annotation("张敏"), "status": "已审",
               "stamps": {**_annotation("张敏")["stamps"], "status": ["2026-03-02T08:00:00.000000Z|lib-b|1f", "", "李强"]}}
    _insert(server["李强"], "李强", relayed)  # 张敏's write unchanged, 李强's own on top: taken
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="伪造或被改动"):
        _insert(server["李强"], "李强", {**relayed, "body": "改过的批注"})  # 张敏's stamp on another text
    assert _count(server["admin"]) == 2


def test_updates_and_deletes_refused(server):
    _insert(server["张敏"], "张敏", _annotation("张敏"))
    for sql in ("UPDATE fazhi.records SET body = '{}'::jsonb", "DELETE FROM fazhi.records",
                "TRUNCATE fazhi.records", "INSERT INTO fazhi.stamp_log VALUES ('a','b','c','d','e','f')",
                "DELETE FROM fazhi.stamp_log"):
        with psycopg.connect(server["张敏"], autocommit=True) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
    with psycopg.connect(server["admin"], autocommit=True) as conn:  # even the owner cannot rewrite the past
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="只增不改"):
            conn.execute("UPDATE fazhi.records SET reviewer = '李强'")
    assert _count(server["admin"]) == 1


def test_init_is_idempotent_and_versioned(server):
    from desktop.server import schema

    with psycopg.connect(server["admin"], autocommit=True) as conn:
        assert schema.init(conn) == []
        assert [r[0] for r in conn.execute("SELECT name FROM fazhi.migrations")] == ["0001_records"]
        owner = conn.execute("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'fazhi'").fetchone()[0]
        assert owner == schema.ADMIN
