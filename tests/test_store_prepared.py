"""A batch's reader process sends the derived ids of a new report's rows, not their texts; when such an id is taken
already (one in 2^64, forced here) the store works the texts out itself and picks free ids."""
from __future__ import annotations

from desktop.report.extract import read_bytes
from desktop.season.pipeline import _prepare
from desktop.store.db import open_library
from tests.libraries import SAMPLE


def test_prepared_ids_are_used_and_a_taken_one_falls_back(tmp_path):
    data = SAMPLE.read_bytes()
    first = read_bytes(data, SAMPLE.name)
    second = read_bytes(data.replace("杭州市".encode(), "宁波市".encode()), "宁波.txt")
    with open_library(tmp_path / "lib.db", seed_sample=False, backups=False) as repo:
        prepared = _prepare(first)
        assert prepared["indicators"][1] is None  # the row texts stay in the reader process
        a = repo.reports.import_reading(first, sha256="a", prepared=prepared).report.id
        gids_a = {r["gid"] for r in repo.db.rows("SELECT gid FROM indicators WHERE report_id = ?", (a,))}
        assert gids_a == set(prepared["indicators"][2])  # the reader's ids, as sent
        clash = _prepare(second)
        taken = prepared["indicators"][2]
        n = len(second.indicators)
        clash["indicators"] = (clash["indicators"][0], None, (taken * (n // len(taken) + 1))[:n])  # all taken
        b = repo.reports.import_reading(second, sha256="b", prepared=clash).report.id
        rows = repo.db.rows("SELECT gid, uid FROM indicators WHERE report_id = ?", (b,))
        assert len(rows) == n and not {r["gid"] for r in rows} & gids_a
        assert len({r["uid"] for r in repo.db.rows("SELECT uid FROM indicators")}) == len(gids_a) + n
