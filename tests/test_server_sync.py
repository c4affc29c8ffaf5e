"""Three libraries sync through a real PostgreSQL server (tests/pgserver.py): in different orders and twice they end
with the same content (canonical dumps), nothing duplicated, the same conflicts; the bundles' merge, not a second one."""
from __future__ import annotations

import pytest

from desktop.review.service import score_summary
from tests.pgserver import team_database
from tests.test_team_merge import NAMES, _work
from tests.test_team_merge import team as team  # noqa: F401 (the three libraries of the bundle tests)

pytest.importorskip("psycopg")


@pytest.fixture
def server(pg_server, pg_url):
    """An initialised team database with a login role for 甲, 乙 and 丙: name -> URL."""
    return team_database(pg_server, pg_url, NAMES)


def _signed(repos):
    for name, repo in zip(NAMES, repos):
        repo.default_who = name  # what the desk's 审阅人 sets: every write of this library is this reviewer's


def _round(repos, server, order):
    from desktop.server.sync import sync

    return [sync(repos[i], server[NAMES[i]]) for i in order]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_three_libraries_converge_in_any_order(team, server, order):
    _signed(team)
    _work(team)
    first = _round(team, server, order)
    assert all(r.uploaded > 0 for r in first) and first[0].downloaded == 0 and first[-1].downloaded > 0
    assert first[-1].left == 0  # each library pushes only its own reviewer's writes, and here all of them
    _round(team, server, order)  # the ones who synced before the others pushed now get their work too
    dumps = [repo.team.canonical_dump() for repo in team]
    assert dumps[0] == dumps[1] == dumps[2]
    again = _round(team, server, order[::-1])  # nothing left: idempotent, nothing doubles
    assert [repo.team.canonical_dump() for repo in team] == dumps
    assert all(r.conflicts == 0 and r.new_reports == 0 for r in again)
    for repo in team:
        assert repo.reports.report_count() == 3
        sample = repo.reports.find_report("杭州市司法局").id
        assert sorted(a.body for a in repo.annotations.annotations(sample)) == ["丙：结构清楚", "乙：表述空泛", "甲：数据需核实"]
        task = repo.items.work_items(sample, kind="plan_task")[0]
        assert (task.progress, task.owner) == ("刚启动", "张三")  # 乙 wrote last
        conflicts = repo.team.conflicts(sample)
        assert [(c["field"], c["value"], c["author"]) for c in conflicts] == [("progress", "已完成一半", "甲")]
        summary = {s.criterion_id: s for s in score_summary(repo, sample)}
        assert summary["completeness"].scores == (("丙", 4.0), ("乙", 2.0), ("甲", 4.5))
        assert repo.team.assignments(sample) == {sample: ["乙"]}
        assert [i.name for i in repo.items.indicators(sample) if i.origin == "reviewer"] == ["丙补充"]
        assert len({w.text for w in repo.items.work_items(sample, include_deleted=True)}) == \
            len(repo.items.work_items(sample, include_deleted=True))  # the split and merge once, not twice


def test_review_status_and_assignments_travel(team, server):
    """待审/审阅中/已审 and 分工 are the same on every desk after a sync (the team's overview agrees)."""
    _signed(team)
    a, b, c = team
    a.season.set_review_status(1, "已审", who="甲")
    b.team.assign(1, "丙", who="乙")
    _round(team, server, (0, 1, 2))
    _round(team, server, (0, 1))
    for repo in team:
        assert repo.reports.get_report(1).review_status == "已审"
        assert repo.team.assignments(1) == {1: ["丙"]}
    c.season.set_review_status(1, "审阅中", who="丙")  # a later change wins everywhere
    _round(team, server, (2, 0, 1))
    assert [repo.reports.get_report(1).review_status for repo in team] == ["审阅中"] * 3
    assert team[0].team.canonical_dump() == team[1].team.canonical_dump() == team[2].team.canonical_dump()


def test_ledger_rounds_travel(team, server):
    """A ledger read-back (round, file, unit, what each task reported) and its withdrawal reach every desk."""
    from desktop.store.repo_ledger import ReturnInput

    _signed(team)
    a, b, c = team
    task = a.items.work_items(1, kind="plan_task")[0]
    ret = ReturnInput("台账-市司法局.xlsx", "市司法局", updates=((task.id, {"progress": "已完成"}),),
                      reports=((task.id, 5, {"status": "已完成", "progress": "已完成"}),))
    [rid] = a.ledger.apply_ledger_returns("第一季度", [ret], who="甲")
    _round(team, server, (0, 1, 2))
    for repo in (b, c):
        [got] = repo.ledger.ledger_returns("第一季度")
        assert (got.file_name, got.filler_unit, got.who) == ("台账-市司法局.xlsx", "市司法局", "甲")
        line = repo.ledger.task_timeline(repo.items.work_items(1, kind="plan_task")[0].id)
        assert [(p.round, p.status, p.progress) for p in line] == [("第一季度", "已完成", "已完成")]
    b.ledger.withdraw_ledger_returns([b.ledger.ledger_returns("第一季度")[0].id], [], who="乙")  # 乙 withdraws it
    _round(team, server, (1, 0, 2))
    assert [len(repo.ledger.ledger_returns("第一季度")) for repo in team] == [0, 0, 0]
    assert a.team.canonical_dump() == b.team.canonical_dump() == c.team.canonical_dump()
