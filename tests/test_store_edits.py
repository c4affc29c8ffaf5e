"""Reviewer edits in a real library: every change has history and an inverse; search, states, lookups."""
from __future__ import annotations

import pytest

from desktop.store.db import LibraryError


def _changes(repo, entity, entity_id):
    return [(h.action, h.field, h.old, h.new) for h in reversed(repo.annotations.history(1))
            if h.entity == entity and h.entity_id == entity_id]


def test_every_kind_of_change_leaves_history(repo):
    item = repo.items.work_items(1, kind="plan_task")[0]
    ind = repo.items.indicators(1)[0]
    repo.items.update_work_item(item.id, {"owner": "王五", "progress": "已召开专题会"}, who="甲")
    repo.items.delete_work_item(item.id, who="甲")
    repo.items.restore_work_item(item.id, who="甲")
    repo.items.update_indicator(ind.id, {"unit": "项"}, who="乙")
    new_ind = repo.items.add_indicator(1, {"value": 3, "unit": "次", "name": "培训", "text": "3次"}, who="乙")
    repo.items.delete_indicator(new_ind.id, who="乙")
    repo.items.restore_indicator(new_ind.id, who="乙")
    ann = repo.annotations.add_annotation(1, target_kind="indicator", target_id=ind.id, body="核对口径", reviewer="丙")
    repo.annotations.update_annotation(ann.id, {"status": "已审", "tags": ["数据存疑", "新标签"]}, who="丙")
    repo.annotations.delete_annotation(ann.id, who="丙")
    repo.annotations.restore_annotation(ann.id, who="丙")
    repo.annotations.add_tag("口径不一")
    repo.scores.set_rubric_score(1, "completeness", 4, "较完整", who="丁")
    repo.scores.set_rubric_score(1, "completeness", 5, "较完整", who="丁")

    assert _changes(repo, "work_item", item.id) == [
        ("update", "owner", None, "王五"), ("update", "progress", None, "已召开专题会"),
        ("delete", "deleted", "0", "1"), ("restore", "deleted", "1", "0")]
    assert _changes(repo, "indicator", ind.id) == [("update", "unit", ind.unit, "项")]
    assert [c[0] for c in _changes(repo, "indicator", new_ind.id)] == ["insert", "delete", "restore"]
    assert _changes(repo, "annotation", ann.id) == [
        ("insert", "body", None, "核对口径"), ("update", "status", "待审", "已审"),
        ("update", "tags", "[]", '["数据存疑", "新标签"]'), ("delete", "deleted", "0", "1"),
        ("restore", "deleted", "1", "0")]
    assert [(h.action, h.old, h.new) for h in repo.annotations.history(1) if h.entity == "rubric_score"] == [
        ("update", "4.0", "5.0"), ("insert", None, "较完整"), ("insert", None, "4.0")]
    tag_rows = {h.new for h in repo.annotations.history() if h.entity == "tag"}
    assert {"新标签", "口径不一"} <= tag_rows
    who = {h.who for h in repo.annotations.history(1) if h.entity in ("work_item", "indicator", "annotation")}
    assert who == {"甲", "乙", "丙"}
    assert repo.annotations.history(limit=3) == repo.annotations.history()[:3]


def test_a_field_set_back_to_the_parsers_value_is_no_longer_an_edit(repo):
    item = repo.items.work_items(1, kind="plan_task")[0]
    changed = repo.items.update_work_item(item.id, {"category": "改过的类别", "lead_unit": "市府办"})
    assert set(changed.edited_fields) == {"category", "lead_unit"}
    undone = repo.items.update_work_item(item.id, {"category": item.category})
    assert undone.edited_fields == ("lead_unit",) and undone.category == item.category
    with pytest.raises(ValueError):
        repo.items.update_work_item(item.id, {"uid": "x"})
    with pytest.raises(LookupError):
        repo.items.update_work_item(99999, {"owner": "x"})


def test_split_and_merge_are_each_others_undo(repo):
    item = repo.items.work_items(1, kind="plan_task")[0]
    before = len(repo.items.work_items(1))
    head, tail = repo.items.split_work_item(item.id, 6)
    assert head.id == item.id and head.text + tail.text == item.text
    assert tail.origin == "reviewer" and tail.theme == item.theme and tail.category == item.category
    assert repo.reports.get_report(1).clean_text[tail.start:tail.end] == tail.text
    assert len(repo.items.work_items(1)) == before + 1
    order = [w.id for w in repo.items.work_items(1)]
    assert order.index(tail.id) == order.index(head.id) + 1  # the tail sits right after its head

    merged = repo.items.merge_work_items(head.id, tail.id)  # undo of the split
    assert merged.text == item.text and (merged.start, merged.end) == (item.start, item.end)
    assert merged.edited_fields == ()  # back to exactly what the parser said
    assert len(repo.items.work_items(1)) == before

    a, b = repo.items.work_items(1, kind="plan_task")[1:3]
    repo.items.update_work_item(b.id, {"owner": "赵六"})
    joined = repo.items.merge_work_items(a.id, b.id)
    assert joined.text == a.text + b.text and repo.items.get_work_item(b.id).deleted
    first, second = repo.items.split_work_item(a.id, len(a.text))  # undo of the merge brings b itself back
    assert second.id == b.id and second.owner == "赵六" and not second.deleted
    assert first.text == a.text and first.edited_fields == ()
    actions = [h.action for h in repo.annotations.history(1) if h.entity == "work_item"]
    assert "split" in actions and "merge" in actions
    with pytest.raises(ValueError):
        repo.items.split_work_item(a.id, 0)
    with pytest.raises(ValueError):
        repo.items.merge_work_items(a.id, a.id)


def test_ledger_read_back_is_all_or_nothing(repo):
    items = repo.items.work_items(1, kind="plan_task")[:2]
    updates = [(items[0].id, {"progress": "完成一半", "status": "推进中"}), (99999, {"progress": "x"})]
    with pytest.raises(LookupError):
        repo.items.apply_work_item_updates(updates, who="台账")
    assert repo.items.get_work_item(items[0].id).progress is None  # the first update was rolled back too
    done = repo.items.apply_work_item_updates([(items[0].id, {"progress": "完成一半"}),
                                         (items[1].id, {"status": "已完成", "evidence": "文件"})], who="台账")
    assert [d.progress for d in done] == ["完成一半", None] and done[1].status == "已完成"


def test_annotation_targets_are_checked(repo):
    text = repo.reports.get_report(1).clean_text
    with pytest.raises(ValueError):
        repo.annotations.add_annotation(1, target_kind="span", start=5, end=len(text) + 1, body="x")
    with pytest.raises(ValueError):
        repo.annotations.add_annotation(1, target_kind="section", section_path="九", body="x")
    with pytest.raises(ValueError):
        repo.annotations.add_annotation(1, target_kind="work_item", target_id=99999, body="x")
    with pytest.raises(ValueError):
        repo.annotations.add_annotation(1, target_kind="span", start=0, end=5, body="  ")
    with pytest.raises(ValueError):
        repo.annotations.add_annotation(1, target_kind="span", start=0, end=5, body="x", status="通过")
    with pytest.raises(LookupError):
        repo.annotations.add_annotation(42, target_kind="report", body="x")
    assert repo.annotations.annotations() == []


def test_span_annotation_quote_section_and_respan(repo):
    text = repo.reports.get_report(1).clean_text
    start = text.index("杭州国际仲裁院")
    ann = repo.annotations.add_annotation(1, target_kind="span", start=start, end=start + 7, body="进展？", tags=("亮点", "亮点"))
    assert ann.quote == "杭州国际仲裁院" and ann.section_path == "一.(四)" and ann.tags == ("亮点",)
    wider = repo.annotations.update_annotation(ann.id, {"end": start + 11})
    assert wider.quote == text[start:start + 11] and wider.anchor == "ok"
    assert repo.annotations.annotations(1, section_path="一.(四)") == [wider]


def test_section_states(repo):
    assert set(repo.annotations.section_states(1).values()) == {"unreviewed"}
    repo.annotations.add_annotation(1, target_kind="section", section_path="一.(一)", body="看过", status="已审")
    note = repo.annotations.add_annotation(1, target_kind="section", section_path="二", body="待核")
    item = repo.items.work_items(1, kind="plan_task")[0]
    repo.annotations.add_annotation(1, target_kind="work_item", target_id=item.id, body="已销号", status="已销号")
    states = repo.annotations.section_states(1)
    assert states["一.(一)"] == "reviewed" and states["二"] == "annotated"
    assert states[item.section_path] == "reviewed" and states["一.(二)"] == "unreviewed"
    repo.annotations.delete_annotation(note.id)
    assert repo.annotations.section_states(1)["二"] == "unreviewed"


def test_search_finds_one_and_two_character_terms(repo):
    text = repo.reports.get_report(1).clean_text
    hits = repo.annotations.search("仲裁")
    assert hits and all(h.kind == "text" and text[h.start:h.end] == "仲裁" for h in hits)
    assert len(repo.annotations.search("院")) == text.count("院")
    assert len(repo.annotations.search("的", limit=5)) == 5
    ann = repo.annotations.add_annotation(1, target_kind="span", start=10, end=14, body="口径与上年不一致")
    found = [h for h in repo.annotations.search("口径") if h.kind == "annotation"]
    assert [(h.annotation_id, h.start, h.end) for h in found] == [(ann.id, 10, 14)]
    assert repo.annotations.search("   ") == [] and repo.annotations.search("不存在的词语组合") == []


def test_find_report_by_id_file_name_or_title(repo):
    assert repo.reports.find_report("1").id == 1
    assert repo.reports.find_report("sample-hangzhou-sfj-2023.txt").id == 1
    assert repo.reports.find_report("司法局").id == 1
    with pytest.raises(LookupError, match="找不到报告"):
        repo.reports.find_report("上海")
    repo.reports.import_bytes("杭州市民政局2023年法治政府建设年度报告\n一、主要举措和成效\n办结事项5件。\n".encode(), "mz.txt")
    with pytest.raises(LookupError, match="多份报告"):
        repo.reports.find_report("杭州")


def test_every_write_is_one_transaction(repo, monkeypatch):
    """A failure half-way through a write leaves nothing of it behind."""
    item = repo.items.work_items(1, kind="plan_task")[0]
    calls = {"n": 0}
    real_log = repo.db.log

    def failing_log(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise LibraryError("模拟磁盘故障")
        return real_log(*args, **kwargs)

    monkeypatch.setattr(repo.db, "log", failing_log)
    with pytest.raises(LibraryError):
        repo.items.update_work_item(item.id, {"owner": "甲", "progress": "乙"})
    monkeypatch.undo()
    after = repo.items.get_work_item(item.id)
    assert (after.owner, after.progress) == (None, None)
    assert not [h for h in repo.annotations.history(1) if h.entity == "work_item"]
