"""Ledger rounds travel in review bundles too (ledger_team.py): a read-back and what it reported per task reach a
colleague's library once, however often the bundle is imported; a withdrawal travels like an edit."""
from __future__ import annotations

from desktop.store.bundle import export_bundle, import_bundle
from desktop.store.repo_ledger import ReturnInput
from tests.libraries import sample_library


def test_read_back_and_withdrawal_travel_by_bundle(tmp_path):
    a, b = sample_library(tmp_path / "a.db"), sample_library(tmp_path / "b.db")
    try:
        task = a.items.work_items(1, kind="plan_task")[0]
        ret = ReturnInput("台账-市司法局.xlsx", "市司法局", ((task.id, {"progress": "已完成"}),),
                          ((task.id, 4, {"status": "已完成", "progress": "已完成"}),))
        [rid] = a.ledger.apply_ledger_returns("第二季度", [ret], who="甲")
        export_bundle(a, tmp_path / "a1.fzr")
        for _ in range(2):
            _, summary = import_bundle(b, tmp_path / "a1.fzr")
        assert summary.unchanged  # the second import adds nothing
        [got] = b.ledger.ledger_returns("第二季度")
        assert (got.file_name, got.filler_unit, got.who) == ("台账-市司法局.xlsx", "市司法局", "甲")
        timeline = b.ledger.task_timeline(b.items.work_items(1, kind="plan_task")[0].id)
        assert [(p.round, p.status) for p in timeline] == [("第二季度", "已完成")]
        assert a.team.canonical_dump() == b.team.canonical_dump()
        a.ledger.withdraw_ledger_returns([rid], [], who="甲")
        export_bundle(a, tmp_path / "a2.fzr")
        import_bundle(b, tmp_path / "a2.fzr")
        assert b.ledger.ledger_returns("第二季度") == [] and a.team.canonical_dump() == b.team.canonical_dump()
    finally:
        a.close(), b.close()
