"""Rectification reports (整改情况, 整改状态) and the office name travel in review bundles: three libraries exchange
in any order and end with the same reports and the same 署名单位; clashes are conflicts (the office name's losing
value stays in the history); tampered records are refused; version 2 bundles still import; libraries from before
migration 0011 are upgraded and merge with new ones."""
from __future__ import annotations

import itertools

import pytest

from desktop.store.bundle import BundleError, export_bundle, import_bundle
from desktop.store.db import open_library
from desktop.store.merge import rectification_gid
from desktop.store.team_text import summary_lines
from test_team_followup import _exchange, _rewrite
from tests.libraries import sample_library  # noqa: E402

BODIES = ("甲：数据口径不一致", "甲：未写明整改时限")


@pytest.fixture
def team(tmp_path):
    """Three libraries with the sample; 甲 marks two passages 需整改 and everyone has them."""
    repos = [sample_library(tmp_path / name / "library.db") for name in ("a", "b", "c")]
    a = repos[0]
    for n, body in enumerate(BODIES):
        a.annotations.add_annotation(1, target_kind="span", start=30 + 40 * n, end=40 + 40 * n, body=body, status="需整改",
                         reviewer="甲")
    export_bundle(a, tmp_path / "start.fzr")
    for repo in repos[1:]:
        import_bundle(repo, tmp_path / "start.fzr")
    yield repos
    for repo in repos:
        repo.close()


def _note(repo, n: int):
    return next(a for a in repo.annotations.annotations(1, include_deleted=True) if a.body == BODIES[n])


def _gid(repo, n: int) -> str:
    return next(r["gid"] for r in repo.team.team_state([1])["reports"][0]["annotations"] if r["body"] == BODIES[n])


def _report(repo, n: int, who: str, **changes) -> None:
    repo.letters.apply_rectification_updates([(_note(repo, n).id, changes)], who=who)


def _reported(repo) -> dict[str, tuple]:
    """Annotation body -> (progress, state, updated_by) of what its unit reported."""
    records = repo.letters.rectifications(1)
    return {BODIES[n]: (r.progress, r.state, r.updated_by) for n in range(2)
            if (r := records.get(_note(repo, n).id)) is not None}


def _work(repos):
    a, b, c = repos
    a.letters.set_library_setting("office_name", "某市司法局", who="甲")
    _report(a, 0, "甲", progress="甲：已修订统计口径", state="已整改")
    _report(b, 0, "乙", state="整改中")  # later and concurrent: wins, 甲's 已整改 is a conflict
    _report(b, 1, "乙", progress="乙：下月完成", state="未整改")
    c.letters.set_library_setting("office_name", "某市全面依法治市委员会办公室", who="丙")  # later: wins


@pytest.mark.parametrize("order", list(itertools.permutations(range(3)))[::2])
def test_rectifications_and_office_name_converge_in_any_order(team, tmp_path, order):
    _work(team)
    _exchange(team, tmp_path, order, "r1")
    _exchange(team, tmp_path, order[::-1], "r2")
    dumps = [repo.team.canonical_dump() for repo in team]
    assert dumps[0] == dumps[1] == dumps[2]
    for repo in team:
        assert _reported(repo) == {BODIES[0]: ("甲：已修订统计口径", "整改中", "乙"),
                                   BODIES[1]: ("乙：下月完成", "未整改", "乙")}
        assert repo.letters.library_setting("office_name") == "某市全面依法治市委员会办公室"
        conflicts = [(c["entity"], c["field"], c["value"], c["author"], c["current"]) for c in repo.team.conflicts(1)]
        assert conflicts == [("rectification", "state", "已整改", "甲", "整改中")]
        rows = repo.team.team_state([1])["reports"][0]["rectifications"]
        assert {r["annotation_gid"] for r in rows} == {_gid(repo, n) for n in range(2)}
        assert all("annotation_id" not in r and r["gid"] == rectification_gid(r["annotation_gid"]) for r in rows)
    # the office name that lost is in the history: as the value replaced (甲) or as the one not taken (丙)
    a, _, c = team
    assert ("office_name", "某市司法局", "某市全面依法治市委员会办公室") in [
        (h.field, h.old, h.new) for h in a.annotations.history() if h.entity == "setting" and h.action == "bundle"]
    assert ("office_name", "某市司法局", "甲") in [
        (h.field, h.old, h.who) for h in c.annotations.history() if h.entity == "setting" and h.action == "bundle_lost"]
    history = [(h.field, h.new, h.who) for h in c.annotations.history(1) if h.action == "bundle"]
    assert ("rectification_progress", "乙：下月完成", "乙") in history


def test_idempotent_and_a_later_edit_wins(team, tmp_path):
    _work(team)
    a, b, c = team
    export_bundle(a, tmp_path / "a.fzr")
    import_bundle(c, tmp_path / "a.fzr")
    before, history = c.team.canonical_dump(), len(c.annotations.history())
    _, summary = import_bundle(c, tmp_path / "a.fzr")
    assert summary.unchanged and c.team.canonical_dump() == before and len(c.annotations.history()) == history
    # 丙 has seen 甲's report and overrides it: an ordinary overwrite, no conflict
    _report(c, 0, "丙", state="整改中", progress="丙：已核实")
    c.letters.set_library_setting("office_name", "某市司法局办公室", who="丙")
    export_bundle(c, tmp_path / "c.fzr")
    _, summary = import_bundle(a, tmp_path / "c.fzr")
    assert summary.changed == {"rectifications": 1, "settings": 1} and not summary.conflicts
    assert "更新 整改反馈 1 条，设置（署名单位） 1 条" in summary_lines(summary)
    assert _reported(a)[BODIES[0]] == ("丙：已核实", "整改中", "丙")
    assert a.letters.library_setting("office_name") == "某市司法局办公室"
    # a report on an annotation the receiver lacks (a bundle filtered by reviewer) waits and says so
    note = b.annotations.add_annotation(1, target_kind="report", body="乙：整体需整改", status="需整改", reviewer="乙")
    # (丁, not 甲: a reviewer's writes must come from the library holding that reviewer's signing key)
    b.letters.apply_rectification_updates([(note.id, {"state": "整改中"})], who="丁")
    export_bundle(b, tmp_path / "only-jia.fzr", reviewer="丁")
    _, summary = import_bundle(a, tmp_path / "only-jia.fzr")
    assert any("整改反馈" in n for n in summary.notes)
    export_bundle(b, tmp_path / "b.fzr")
    import_bundle(a, tmp_path / "b.fzr")
    assert a.letters.rectifications(1)[next(x.id for x in a.annotations.annotations(1) if x.body == "乙：整体需整改")].state == "整改中"


def test_version_2_bundles_still_import_and_tampered_records_are_refused(team, tmp_path):
    _work(team)
    a, _, c = team
    export_bundle(a, tmp_path / "a.fzr")

    def strip(records):
        records.pop("settings")
        for rep in records["reports"]:
            rep.pop("rectifications", None)

    _rewrite(tmp_path / "a.fzr", tmp_path / "v2.fzr", strip, version=2)
    with pytest.raises(BundleError, match="没有签名"):
        import_bundle(c, tmp_path / "v2.fzr")
    manifest, _ = import_bundle(c, tmp_path / "v2.fzr", allow_unsigned=True)
    assert manifest["version"] == 2 and _reported(c) == {}
    assert c.letters.library_setting("office_name") == "某市全面依法治市委员会办公室"  # 丙's own, untouched

    def bad_state(records):
        records["reports"][0]["rectifications"][0]["state"] = "差不多了"

    def other_gid(records):
        row = records["reports"][0]["rectifications"][0]
        row["gid"] = rectification_gid("0" * 32)

    def local_id(records):
        records["reports"][0]["rectifications"][0]["annotation_id"] = 1

    def twice(records):
        rows = records["reports"][0]["rectifications"]
        rows.append(dict(rows[0]))

    def unknown_setting(records):
        records["settings"]["library_id"] = records["settings"]["office_name"]

    def number_name(records):
        records["settings"]["office_name"]["value"] = 3

    def bad_stamp(records):
        records["settings"]["office_name"]["stamp"] = "2030"

    before, history = c.team.canonical_dump(), len(c.annotations.history())
    for n, change in enumerate((bad_state, other_gid, local_id, twice, unknown_setting, number_name, bad_stamp)):
        _rewrite(tmp_path / "a.fzr", tmp_path / f"bad{n}.fzr", change)
        with pytest.raises(BundleError, match="rectifications|设置"):
            import_bundle(c, tmp_path / f"bad{n}.fzr")
    assert c.team.canonical_dump() == before and len(c.annotations.history()) == history


def _library_before_0011(path, source):
    """A library as the version before 0011 left it: `source`'s reports and annotations, one rectification
    report and an office name set a while ago."""
    from sqlite_utils import Database

    from desktop.store import migrations

    db = Database(path)
    migrations.apply(db, stop_before="0011_rectification_team")
    for table in ("reports", "readings", "sections", "work_items", "indicators", "annotations"):
        for row in source.db.rows(f"SELECT * FROM {table} ORDER BY id"):
            db[table].insert(row)
    db.execute("INSERT INTO rectifications (annotation_id, progress, state, updated_at, updated_by)"
               " VALUES (?, '旧反馈', '整改中', '2025-05-06T09:00:00+08:00', '老王')", [_note(source, 0).id])
    db.execute("INSERT INTO library_info (key, value) VALUES ('setting.office_name', '旧署名')")
    db.execute("INSERT INTO history (at, who, entity, action, field, old, new) VALUES"
               " ('2025-05-01T08:00:00+08:00', '老王', 'setting', 'update', 'office_name', NULL, '旧署名')")
    db.conn.commit()
    db.close()


def test_migration_0011_upgrades_existing_reports_and_office_name(team, tmp_path):
    new = team[0]
    _library_before_0011(tmp_path / "old.db", new)
    _report(new, 0, "小李", progress="新反馈")
    with sample_library(tmp_path / "old.db") as old:
        state = old.team.team_state([1])
        row = state["reports"][0]["rectifications"][0]
        assert row["gid"] == rectification_gid(_gid(new, 0))
        assert row["stamps"]["state"][0].startswith("2025-05-06T01:00:00.000000Z|")
        assert row["stamps"]["state"][2] == "老王"
        assert state["settings"]["office_name"]["stamp"][0].startswith("2025-05-01T00:00:00.000000Z|")
        export_bundle(old, tmp_path / "old.fzr")
        export_bundle(new, tmp_path / "new.fzr")
        import_bundle(new, tmp_path / "old.fzr")
        import_bundle(old, tmp_path / "new.fzr")
        assert old.team.canonical_dump() == new.team.canonical_dump()
        # one record: the newer progress, the old state; the old office name, set by no one else, travels
        assert _reported(new)[BODIES[0]] == ("新反馈", "整改中", "小李")
        assert new.letters.library_setting("office_name") == "旧署名"
