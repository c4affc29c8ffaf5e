"""Every desk edit as an `Edit` in a real library: do → undo gives back the rows as they were, redo the rows after;
the history names each step in Chinese; `main.py undo` takes back this reviewer's last edit, across processes."""
from __future__ import annotations

import sqlite3

import pytest

from desktop.commands.store import format_history
from desktop.store import edits
from tests.libraries import cli, sample_library
from tests.season_texts import variant

# Columns a write renews whatever it writes (merge stamps, the time of a write); rows are compared without them.
VOLATILE_COLUMNS = {"stamps", "stamp", "updated_at", "removed_at"}
# The tag vocabulary: a tag typed on an annotation stays offered after the annotation's undo (as before Edit).
SKIPPED_TABLES = {"history", "sqlite_sequence", "tags"}


def canonical_dump(path) -> dict:
    """What the library holds as a reviewer sees it: every table's live rows (a soft-deleted row is gone), without
    the write stamps; a setting or a score that is empty counts as absent (that is how both are cleared)."""
    conn = sqlite3.connect(str(path))
    try:
        out = {}
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in sorted(set(tables) - SKIPPED_TABLES):
            cur = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cur.description]
            rows = []
            for values in cur.fetchall():
                row = dict(zip(names, values))
                if row.get("deleted") or _empty(table, row):
                    continue
                rows.append(tuple(sorted((k, v) for k, v in row.items() if k not in VOLATILE_COLUMNS)))
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def _empty(table: str, row: dict) -> bool:
    if table == "library_info":
        return row["value"] is None or row["key"] == "clock" or row["key"].startswith("stamp.")
    if table == "rubric_scores":
        return row["score"] is None and row["comment"] is None
    return False


def _round_trip(repo, do) -> edits.Edit:
    """do → undo → redo → undo, checking the dump at each step; returns the edit."""
    path = repo.path
    before = canonical_dump(path)
    edit = do()
    after = canonical_dump(path)
    assert after != before, f"{edit.label} changed nothing"
    undo = edits.revert(repo, edit, "甲")
    assert canonical_dump(path) == before, f"undo of {edit.label} left rows changed"
    redo = edits.revert(repo, undo, "甲", action="redo")
    assert canonical_dump(path) == after, f"redo of {edit.label} differs from the first time"
    edits.revert(repo, redo, "甲")
    assert canonical_dump(path) == before
    lines = [format_history(h) for h in repo.annotations.history() if h.entity == "edit"][:4]
    assert lines[0].endswith(f"撤销“{edit.label}”") and lines[1].endswith(f"重做“{edit.label}”")
    assert lines[2].endswith(f"撤销“{edit.label}”") and lines[3].endswith(edit.label)
    return edit


def test_annotation_edits_round_trip(repo):
    add = _round_trip(repo, lambda: edits.add_annotation(
        repo, 1, {"target_kind": "report", "body": "整体结构完整", "tags": ["结构"]}, "甲"))
    assert add.label == "添加批注"
    ann = repo.annotations.add_annotation(1, target_kind="report", body="数据需核实", tags=["数据"], reviewer="甲")
    _round_trip(repo, lambda: edits.edit_annotation(repo, ann.id, {"body": "数据已核实", "tags": ["核实"],
                                                                   "status": "已审", "score": 3}, "甲"))
    _round_trip(repo, lambda: edits.delete_annotation(repo, ann.id, "甲"))


@pytest.mark.parametrize("entity", ["work_item", "indicator"])
def test_row_edits_round_trip(repo, entity):
    rows = repo.items.work_items(1) if entity == "work_item" else repo.items.indicators(1)
    record = rows[0]
    field = "owner" if entity == "work_item" else "unit"
    _round_trip(repo, lambda: edits.edit_field(repo, entity, record.id, {field: "改过的值"}, "甲"))
    _round_trip(repo, lambda: edits.delete_row(repo, entity, record.id, "甲"))
    fields = {"text": "新增的一项内容"} if entity == "work_item" else {"text": "办理案件 12 件", "value": 12, "unit": "件"}
    add = _round_trip(repo, lambda: edits.add_row(repo, entity, 1, fields, "甲"))
    assert add.label == ("新增工作事项" if entity == "work_item" else "新增指标")


def test_split_and_merge_round_trip(repo):
    item = max(repo.items.work_items(1, kind="plan_task"), key=lambda w: len(w.text))
    split = _round_trip(repo, lambda: edits.split_work_item(repo, item.id, 5, "甲"))
    assert split.after["second"] is not None and split.before["second"] == split.after["second"]
    first, second = repo.items.work_items(1)[:2]
    _round_trip(repo, lambda: edits.merge_work_items(repo, first.id, second.id, "甲"))


def test_assign_score_identity_setting_round_trip(repo):
    ids = [w.id for w in repo.items.work_items(1, kind="plan_task")[:3]]
    _round_trip(repo, lambda: edits.assign_work_items(repo, ids, {"lead_unit": "市司法局", "owner": "张三"}, "甲"))
    _round_trip(repo, lambda: edits.set_score(repo, 1, "overall", 4.0, "较好", "甲", "评分：总体评价"))
    repo.scores.set_rubric_score(1, "overall", 3.0, None, who="甲")
    _round_trip(repo, lambda: edits.set_score(repo, 1, "overall", 5.0, "很好", "甲", "评分：总体评价"))
    _round_trip(repo, lambda: edits.edit_identity(repo, 1, {"issuer": "杭州市人民政府", "report_year": 2022}, "甲"))
    _round_trip(repo, lambda: edits.set_setting(repo, "office_name", "某市依法治市办", "甲", "设置署名单位"))


def test_followup_decision_round_trip(repo):
    task = repo.items.work_items(1, kind="plan_task")[0]
    _round_trip(repo, lambda: edits.decide(repo, 1, task.id, {"decision": "已体现"}, "未提及", "甲"))
    edits.decide(repo, 1, task.id, {"decision": "部分体现"}, "未提及", "甲")
    _round_trip(repo, lambda: edits.decide(repo, 1, task.id, {"note": "见第三部分"}, None, "甲", "批注上年安排结论"))


def test_units_and_removal_round_trip(repo):
    repo.reports.import_bytes(variant("宁波", 2023).encode("utf-8"), "ningbo.txt")
    units = repo.units.units()
    assert len(units) >= 2
    a, b = units[0], units[1]
    _round_trip(repo, lambda: edits.rename_unit(repo, a.id, "新名称单位", "甲"))
    _round_trip(repo, lambda: edits.merge_units(repo, b.id, a.id, "甲"))
    removed = _round_trip(repo, lambda: edits.remove_reports(repo, [2], "甲", "删除报告《宁波》"))
    assert removed.after["tombstones"]


def test_last_edit_skips_what_was_undone_and_other_reviewers(repo):
    ann = repo.annotations.add_annotation(1, target_kind="report", body="一", reviewer="甲")
    first = edits.edit_annotation(repo, ann.id, {"body": "二"}, "甲")
    second = edits.edit_annotation(repo, ann.id, {"body": "三"}, "甲")
    edits.add_annotation(repo, 1, {"target_kind": "report", "body": "乙的批注"}, "乙")
    assert edits.last_edit(repo, "甲").history_id == second.history_id
    edits.undo_last(repo, "甲")
    assert repo.annotations.get_annotation(ann.id).body == "二"
    assert edits.last_edit(repo, "甲").history_id == first.history_id
    edits.undo_last(repo, "甲")
    assert repo.annotations.get_annotation(ann.id).body == "一"
    with pytest.raises(edits.UndoRefused, match="没有可撤销的修改"):
        edits.undo_last(repo, "甲")


def test_undo_refused_when_someone_else_changed_the_record_since(repo):
    ann = repo.annotations.add_annotation(1, target_kind="report", body="一", reviewer="甲")
    edits.edit_annotation(repo, ann.id, {"body": "二"}, "甲")
    repo.annotations.update_annotation(ann.id, {"status": "已审"}, who="乙")
    with pytest.raises(edits.UndoRefused, match="乙 修改了同一条记录（批注#"):
        edits.undo_last(repo, "甲")
    assert repo.annotations.get_annotation(ann.id).body == "二"


def test_cli_undo_across_processes(tmp_path):
    db = tmp_path / "lib.db"
    with sample_library(db) as repo:
        ann = repo.annotations.add_annotation(1, target_kind="report", body="原来的意见", reviewer="甲")
        edits.edit_annotation(repo, ann.id, {"body": "改过的意见"}, "甲")
    done = cli("undo", "--reviewer", "甲", db=db)
    assert done.returncode == 0, done.stderr
    assert "已撤销“修改批注”" in done.stdout
    with sample_library(db) as repo:
        assert repo.annotations.get_annotation(ann.id).body == "原来的意见"
    again = cli("undo", "--reviewer", "甲", db=db)
    assert again.returncode == 2 and again.stderr.strip().count("\n") == 0
    assert "甲 在这个审阅库中没有可撤销的修改" in again.stderr
    history = cli("history", db=db)
    assert "甲  撤销“修改批注”" in history.stdout and "甲  修改批注" in history.stdout


def test_cli_undo_refuses_over_someone_elses_later_edit(tmp_path):
    db = tmp_path / "lib.db"
    with sample_library(db) as repo:
        ann = repo.annotations.add_annotation(1, target_kind="report", body="一", reviewer="甲")
        edits.edit_annotation(repo, ann.id, {"body": "二"}, "甲")
        repo.annotations.update_annotation(ann.id, {"body": "乙改的"}, who="乙")
    done = cli("undo", "--reviewer", "甲", db=db)
    assert done.returncode == 2
    assert "之后 乙 修改了同一条记录" in done.stderr and "Traceback" not in done.stderr
    with sample_library(db) as repo:
        assert repo.annotations.get_annotation(ann.id).body == "乙改的"


def test_command_line_edits_are_undone_by_undo_newest_first(tmp_path):
    """annotate, score, lead and set on the command line are edits too: `undo` takes them back newest first, each
    leaving the library as it was before it, and says which one it took back."""
    db = tmp_path / "lib.db"
    with sample_library(db) as lib:
        task = lib.items.work_items(1, kind="plan_task")[0]
    states = [canonical_dump(db)]
    steps = [("annotate", "1", "--whole", "--comment", "结构完整", "--reviewer", "甲"),
             ("score", "1", "overall", "良", "--reviewer", "甲"),
             ("lead", str(task.id), "--unit", "市司法局", "--who", "甲"),
             ("set", "1", "--year", "2022", "--who", "甲")]
    for step in steps:
        done = cli(*step, db=db)
        assert done.returncode == 0, done.stderr
        states.append(canonical_dump(db))
    labels = ["修改报告信息", "分配 1 项任务", "评分：总体评价", "添加批注"]
    for label, state in zip(labels, reversed(states[:-1])):
        done = cli("undo", "--reviewer", "甲", db=db)
        assert done.returncode == 0, done.stderr
        assert f"已撤销“{label}”" in done.stdout
        assert canonical_dump(db) == state
    assert cli("undo", "--reviewer", "甲", db=db).returncode == 2


def test_an_edit_that_changes_nothing_is_not_recorded(repo):
    ann = repo.annotations.add_annotation(1, target_kind="report", body="一", reviewer="甲")
    real = edits.edit_annotation(repo, ann.id, {"body": "二"}, "甲")
    same = edits.edit_annotation(repo, ann.id, {"body": "二"}, "甲")
    assert same.history_id is None and edits.last_edit(repo, "甲").history_id == real.history_id


def test_remove_on_the_command_line_is_undone_by_undo(tmp_path):
    db = tmp_path / "lib.db"
    with sample_library(db) as lib:
        lib.reports.import_bytes(variant("宁波", 2023).encode("utf-8"), "ningbo.txt")
    before = canonical_dump(db)
    done = cli("remove", "2", "--yes", "--who", "甲", db=db)
    assert done.returncode == 0 and "删除前的备份：" in done.stdout
    assert canonical_dump(db) != before
    undone = cli("undo", "--reviewer", "甲", db=db)
    assert undone.returncode == 0 and "已撤销“删除报告《" in undone.stdout
    assert canonical_dump(db) == before


def test_the_office_named_on_export_letter_is_undone_by_undo(tmp_path):
    db = tmp_path / "lib.db"
    done = cli("export", "letter", "1", "-o", tmp_path / "意见书.docx", "--office", "某市依法治市办", db=db)
    assert done.returncode == 0, done.stderr
    with sample_library(db) as lib:
        assert lib.letters.library_setting("office_name") == "某市依法治市办"
    undone = cli("undo", db=db)  # no --reviewer: the configured reviewer (未署名 here), who wrote the office
    assert undone.returncode == 0 and "已撤销“设置署名单位”" in undone.stdout, undone.stderr
    with sample_library(db) as lib:
        assert lib.letters.library_setting("office_name") is None
