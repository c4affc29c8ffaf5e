"""Follow-up decisions travel in review bundles: three libraries decide on last year's plans against this year's
report, exchange bundles in any order and end with the same decisions; clashes are conflicts, deletes tombstones;
old (version 1) bundles still import, libraries from before migration 0009 are upgraded and merge."""
from __future__ import annotations

import hashlib
import io
import itertools
import json
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import ROOT
from desktop.followup import service
from desktop.store import followup_repo
from desktop.store.bundle import BundleError, _checksum, export_bundle, import_bundle
from desktop.store.db import open_library
from desktop.store.merge import followup_gid
from desktop.store.team_text import summary_lines
from tests.libraries import sample_library  # noqa: E402

LATER = ROOT / "tests" / "followup_pairs" / "hz-sfj-2024.txt"
NAMES = ("甲", "乙", "丙")


@pytest.fixture
def team(tmp_path):
    """Three libraries with the seed (2023); 甲 and 乙 also hold its 2024 successor, 丙 gets it by bundle."""
    repos = [sample_library(tmp_path / name / "library.db") for name in ("a", "b", "c")]
    for repo in repos[:2]:
        repo.reports.import_file(LATER, who="甲")
    yield repos
    for repo in repos:
        repo.close()


def _task(repo, n: int):
    return repo.items.work_items(repo.reports.find_report("杭州市司法局2023").id, kind="plan_task")[n]


def _later(repo) -> int:
    return repo.reports.find_report("杭州市司法局2024").id


def _decided(repo) -> dict[str, tuple]:
    """Task text -> (decision, note, reviewer) of every live decision against the 2024 report."""
    texts = {w.id: w.text for w in repo.items.work_items(None, kind="plan_task", include_deleted=True)}
    return {texts[k]: (d.decision, d.note, d.reviewer) for k, d in followup_repo.decisions(repo, _later(repo)).items()}


def _exchange(repos, tmp_path, order, tag):
    paths = []
    for i, repo in enumerate(repos):
        paths.append(tmp_path / f"{tag}-{i}.fzr")
        export_bundle(repo, paths[-1], author=NAMES[i])
    for j in order:
        for i in order[::-1]:
            if i != j:
                import_bundle(repos[j], paths[i])


def _work(repos):
    a, b, _ = repos
    la, lb = _later(a), _later(b)
    service.decide(a, la, _task(a, 0).id, decision="部分体现", note="甲：见第三部分", machine_verdict="未提及", who="甲")
    service.decide(b, lb, _task(b, 0).id, decision="已体现", machine_verdict="未提及", who="乙")  # later: wins
    service.decide(b, lb, _task(b, 1).id, decision="未提及", who="乙")
    followup_repo.delete_decision(b, lb, _task(b, 1).id, who="乙")  # a tombstone
    service.decide(a, la, _task(a, 2).id, note="甲：待核实", who="甲")


@pytest.mark.parametrize("order", list(itertools.permutations(range(3)))[::2])
def test_decisions_converge_in_any_order(team, tmp_path, order):
    _work(team)
    _exchange(team, tmp_path, order, "r1")
    _exchange(team, tmp_path, order[::-1], "r2")
    dumps = [repo.team.canonical_dump() for repo in team]
    assert dumps[0] == dumps[1] == dumps[2]
    texts = [_task(team[0], n).text for n in range(3)]
    for repo in team:
        assert repo.reports.report_count() == 2
        # field by field: 乙's later verdict wins, 甲's note (nobody else wrote one) stays
        assert _decided(repo) == {texts[0]: ("已体现", "甲：见第三部分", "乙"), texts[2]: (None, "甲：待核实", "甲")}
        conflicts = [(c["entity"], c["field"], c["value"], c["author"]) for c in repo.team.conflicts(_later(repo))]
        assert conflicts == [("followup", "decision", "部分体现", "甲")]
        rows = dumps[0]["reports"][repo.team.team_state([_later(repo)])["reports"][0]["key"]]["followup_decisions"]
        assert sorted(r["deleted"] for r in rows) == [0, 0, 1]  # the taken-back decision travels as a tombstone
        assert "task_report" in rows[0] and "work_item_id" not in rows[0] and "later_id" not in rows[0]
    c = team[2]
    history = [(h.field, h.new, h.who) for h in c.annotations.history(_later(c)) if h.entity == "followup"]
    assert ("decision", "已体现", "乙") in history and ("note", "甲：待核实", "甲") in history


def test_idempotent_and_a_later_edit_wins(team, tmp_path):
    _work(team)
    a, b, c = team
    path = tmp_path / "a.fzr"
    export_bundle(a, path)
    import_bundle(c, path)
    before, history = c.team.canonical_dump(), len(c.annotations.history())
    _, summary = import_bundle(c, path)
    assert summary.unchanged and c.team.canonical_dump() == before and len(c.annotations.history()) == history
    # 丙 saw 甲's decision and overrides it: an ordinary overwrite, no conflict
    service.decide(c, _later(c), _task(c, 0).id, decision="未提及", who="丙")
    export_bundle(c, tmp_path / "c.fzr")
    _, summary = import_bundle(a, tmp_path / "c.fzr")
    assert summary.changed["followup_decisions"] == 1 and not summary.conflicts
    assert "更新 上年安排审阅结论 1 条" in summary_lines(summary)
    assert _decided(a)[_task(a, 0).text] == ("未提及", "甲：见第三部分", "丙")
    # a restore after the delete is a later write: it wins over the tombstone everywhere
    service.decide(b, _later(b), _task(b, 1).id, decision="部分体现", who="乙")
    export_bundle(b, tmp_path / "b.fzr")
    import_bundle(a, tmp_path / "b.fzr")
    assert _decided(a)[_task(a, 1).text] == ("部分体现", None, "乙")


def test_a_decision_without_its_earlier_report_waits(tmp_path):
    """Only the 2024 report is exported: a library without the 2023 report keeps the decision out and says so."""
    with sample_library(tmp_path / "a.db") as a, open_library(tmp_path / "d.db", seed_sample=False) as d:
        a.reports.import_file(LATER)
        service.decide(a, _later(a), _task(a, 0).id, decision="已体现", who="甲")
        export_bundle(a, tmp_path / "later.fzr", [_later(a)])
        _, summary = import_bundle(d, tmp_path / "later.fzr")
        assert d.reports.report_count() == 1 and any("上年报告" in n for n in summary.notes)
        export_bundle(a, tmp_path / "all.fzr")
        import_bundle(d, tmp_path / "all.fzr")
        assert d.team.canonical_dump() == a.team.canonical_dump()


def _rewrite(path, out, change, version=None):
    """A copy of a bundle with records.json changed (and the manifest's sums made to match again)."""
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    records = json.loads(members["records.json"])
    change(records)
    members["records.json"] = json.dumps(records, ensure_ascii=False).encode("utf-8")
    members.pop("manifest.sig", None)
    if version is not None:  # an older version's bundle: unsigned
        manifest["version"] = version
        members.pop("seals.json", None)
        manifest.pop("signer", None)
    manifest["members"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()}
    manifest["checksum"] = _checksum(manifest["members"])
    key = Ed25519PrivateKey.generate()  # re-signed with a key of its own, as anyone rewriting a bundle would
    if version is None:
        manifest["signer"] = {"public_key": key.public_key().public_bytes_raw().hex()}
    raw = json.dumps(manifest).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", raw)
        if version is None:
            zf.writestr("manifest.sig", key.sign(raw).hex())
        for n, d in members.items():
            zf.writestr(n, d)
    out.write_bytes(buf.getvalue())


def _strip(records):
    for rep in records["reports"]:
        rep.pop("followup_decisions", None)


def test_version_1_bundles_still_import_and_bad_decisions_are_refused(team, tmp_path):
    _work(team)
    a, _, c = team
    export_bundle(a, tmp_path / "a.fzr")
    _rewrite(tmp_path / "a.fzr", tmp_path / "v1.fzr", _strip, version=1)
    with pytest.raises(BundleError, match="--allow-unsigned"):
        import_bundle(c, tmp_path / "v1.fzr")
    manifest, summary = import_bundle(c, tmp_path / "v1.fzr", allow_unsigned=True)
    assert "没有签名" in summary.notes[0]
    assert manifest["version"] == 1 and summary.new_reports and followup_repo.decisions(c, _later(c)) == {}

    def bad_verdict(records):
        for rep in records["reports"]:
            for row in rep.get("followup_decisions", ()):
                row["decision"] = "完成了"

    def other_gid(records):
        for rep in records["reports"]:
            for row in rep.get("followup_decisions", ()):
                row["gid"] = followup_gid("0" * 64, row["task_gid"])

    before = c.team.canonical_dump()
    for n, change in enumerate((bad_verdict, other_gid)):
        _rewrite(tmp_path / "a.fzr", tmp_path / f"bad{n}.fzr", change)
        with pytest.raises(BundleError, match="followup_decisions"):
            import_bundle(c, tmp_path / f"bad{n}.fzr")
    assert c.team.canonical_dump() == before


def _library_before_0009(path, source):
    """A library as the version before 0009 left it: `source`'s reports and items, one follow-up decision."""
    from sqlite_utils import Database

    from desktop.store import migrations

    db = Database(path)
    migrations.apply(db, stop_before="0010_followup_team")
    for table in ("reports", "readings", "sections", "work_items", "indicators"):
        for row in source.db.rows(f"SELECT * FROM {table} ORDER BY id"):
            db[table].insert(row)
    task = _task(source, 0).id
    db.execute("INSERT INTO followup_decisions (later_id, work_item_id, machine_verdict, decision, note, reviewer,"
               " updated_at) VALUES (?, ?, '未提及', '部分体现', '旧批注', '老王', '2025-04-02T10:00:00+08:00')",
               [_later(source), task])
    db.conn.commit()
    db.close()


def test_migration_0009_upgrades_existing_decisions(tmp_path):
    with sample_library(tmp_path / "new.db") as new:
        new.reports.import_file(LATER)
        _library_before_0009(tmp_path / "old.db", new)
        service.decide(new, _later(new), _task(new, 0).id, note="新批注", who="小李")
        with sample_library(tmp_path / "old.db") as old:
            row = old.team.team_state([_later(old)])["reports"][0]["followup_decisions"][0]
            later_key = new.team.team_state([_later(new)])["reports"][0]["key"]
            assert row["gid"] == followup_gid(later_key, row["task_gid"])
            assert row["stamps"]["decision"][0].startswith("2025-04-02T02:00:00.000000Z|") and \
                row["stamps"]["decision"][2] == "老王"
            export_bundle(old, tmp_path / "old.fzr")
            export_bundle(new, tmp_path / "new.fzr")
            import_bundle(new, tmp_path / "old.fzr")
            import_bundle(old, tmp_path / "new.fzr")
            assert old.team.canonical_dump() == new.team.canonical_dump()
            # the upgraded decision and the new note are one record: the old verdict, the newer note
            assert _decided(new) == {_task(new, 0).text: ("部分体现", "新批注", "小李")}
