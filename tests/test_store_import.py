"""Importing into a real library file: repeats recognised, new readings carry edits and annotations over."""
from __future__ import annotations

import pytest

from desktop.report.model import ReportError

TITLE = "杭州市司法局2023年法治政府建设年度报告"
GONE = "全国首个车位使用权公证备案平台上线运行。"  # removed in the second version
KEPT = "杭州国际仲裁院建设稳步推进"  # still there, but further down
ADDED = "全市上下共同努力,"  # inserted near the top of the second version


@pytest.fixture
def raw(sample_path) -> str:
    return sample_path.read_text(encoding="utf-8")


@pytest.fixture
def second_version(raw) -> bytes:
    text = raw.replace(GONE, "").replace("在市委、市政府的正确领导下,", "在市委、市政府的正确领导下," + ADDED)
    assert text != raw
    return text.encode("utf-8")


def _span(repo, report_id, quote):
    text = repo.reports.get_report(report_id).clean_text
    start = text.index(quote)
    return start, start + len(quote)


def test_a_stored_report_reads_back_as_the_parser_read_it(repo, sample_path):
    from desktop.report.extract import read_file

    parsed, stored = read_file(sample_path).to_json_dict(), repo.reports.reading(1).to_json_dict()
    parsed.pop("source"), stored.pop("source")
    assert stored == parsed


def test_the_same_bytes_twice_are_recognised(repo, sample_path):
    result = repo.reports.import_file(sample_path)
    assert result.status == "unchanged" and result.report.id == 1
    assert repo.reports.report_count() == 1 and repo.reports.get_report(1).reading_no == 1
    assert "未重复导入" in result.messages[0]


def test_the_same_text_in_another_encoding_is_recognised(repo, raw):
    result = repo.reports.import_bytes(raw.encode("gb18030"), "杭州-gbk.txt")
    assert result.status == "unchanged" and result.report.id == 1 and result.report.reading_no == 1
    assert "编码" in result.messages[0] and repo.reports.report_count() == 1


def test_a_different_report_is_a_new_report(repo):
    data = ("某县司法局2023年法治政府建设年度报告\n一、主要举措和成效\n全年办理行政复议案件12件。\n"
            "二、2024年工作安排\n(一)加强队伍建设。\n").encode("gbk")
    result = repo.reports.import_bytes(data, "other.txt")
    assert result.status == "new" and result.report.id == 2
    assert result.report.title == "某县司法局2023年法治政府建设年度报告"
    assert repo.reports.report_count() == 2
    assert repo.annotations.history(2)[0].action == "import"


def test_a_file_the_reader_refuses_stores_nothing(repo, tmp_path):
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(ReportError):
        repo.reports.import_file(bad)
    with pytest.raises(ReportError):
        repo.reports.import_file(tmp_path / "missing.txt")
    assert repo.reports.report_count() == 1


def test_changed_version_reanchors_annotations_and_reports_the_rest(repo, second_version):
    s_kept = _span(repo, 1, KEPT)
    s_gone = _span(repo, 1, GONE)
    kept = repo.annotations.add_annotation(1, target_kind="span", start=s_kept[0], end=s_kept[1], body="进度如何？",
                               tags=["数据存疑"], status="需核实", reviewer="张三")
    gone = repo.annotations.add_annotation(1, target_kind="span", start=s_gone[0], end=s_gone[1], body="亮点")
    section = repo.annotations.add_annotation(1, target_kind="section", section_path="一.(四)", body="本节材料扎实")
    whole = repo.annotations.add_annotation(1, target_kind="report", body="总体较好", score=85)

    result = repo.reports.import_bytes(second_version, "sample-v2.txt")

    assert result.status == "new_reading"
    assert result.report.id == 1 and result.report.reading_no == 2 and repo.reports.report_count() == 1
    text = result.report.clean_text
    assert ADDED in text and GONE not in text
    assert result.orphaned == (gone.id,)
    assert any(f"#{gone.id}" in m and "找不到原文" in m for m in result.messages)
    assert result.carried_over >= 4

    after = {a.id: a for a in repo.annotations.annotations(1)}
    assert set(after) == {kept.id, gone.id, section.id, whole.id}  # nothing dropped
    moved = after[kept.id]
    assert moved.anchor == "moved" and text[moved.start:moved.end] == KEPT
    assert moved.start == kept.start + len(ADDED) - len(GONE)  # text added above it, a sentence removed
    assert (moved.body, moved.tags, moved.status, moved.reviewer) == ("进度如何？", ("数据存疑",), "需核实", "张三")
    orphan = after[gone.id]
    assert orphan.anchor == "orphaned" and orphan.quote == GONE and orphan.start is None and orphan.body == "亮点"
    sec = after[section.id]
    assert sec.section_path == "一.(四)" and text[sec.start:].startswith("(四)")
    assert after[whole.id].score == 85
    anchors = [(h.entity_id, h.old, h.new) for h in repo.annotations.history(1) if h.field == "anchor"]
    assert (gone.id, "ok", "orphaned") in anchors and (kept.id, "ok", "moved") in anchors


def test_orphaned_annotation_comes_back_when_its_text_returns(repo, second_version, sample_path):
    s_gone = _span(repo, 1, GONE)
    gone = repo.annotations.add_annotation(1, target_kind="span", start=s_gone[0], end=s_gone[1], body="亮点")
    repo.reports.import_bytes(second_version, "sample-v2.txt")
    assert repo.annotations.get_annotation(gone.id).anchor == "orphaned"
    # Re-importing the first version's exact bytes is recognised as a known reading, not re-read.
    assert repo.reports.import_file(sample_path).status == "unchanged"
    third = sample_path.read_text(encoding="utf-8").replace("坚持依法推动", "始终坚持依法推动").encode("utf-8")
    result = repo.reports.import_bytes(third, "sample-v3.txt")
    assert result.status == "new_reading" and result.orphaned == ()
    back = repo.annotations.get_annotation(gone.id)
    assert back.anchor == "moved" and result.report.clean_text[back.start:back.end] == GONE


def test_reviewer_edits_survive_re_extraction(repo, second_version):
    tasks = repo.items.work_items(1, kind="plan_task")
    edited, to_delete, to_split = tasks[0], tasks[1], tasks[4]
    repo.items.update_work_item(edited.id, {"lead_unit": "市司法局", "deadline": "2024年12月", "status": "推进中",
                                      "text": edited.text + "（审阅人补充：每季度通报）"}, who="李四")
    repo.items.delete_work_item(to_delete.id)
    head, tail = repo.items.split_work_item(to_split.id, 10)
    ind = repo.items.indicators(1)[0]
    repo.items.update_indicator(ind.id, {"value": ind.value + 1, "check_status": "需核实"})
    gone_ind = repo.items.indicators(1)[1]
    repo.items.delete_indicator(gone_ind.id)
    added = repo.items.add_indicator(1, {"text": "22个", "value": 22, "unit": "个", "name": "重点产业合规指引"})
    item_note = repo.annotations.add_annotation(1, target_kind="work_item", target_id=edited.id, body="需明确时限")

    result = repo.reports.import_bytes(second_version, "sample-v2.txt")
    assert result.status == "new_reading"

    e = repo.items.get_work_item(edited.id)
    assert (e.lead_unit, e.deadline, e.status) == ("市司法局", "2024年12月", "推进中")
    assert e.text.endswith("（审阅人补充：每季度通报）") and "text" in e.edited_fields and not e.deleted
    assert e.uid == edited.uid and e.category == edited.category
    assert repo.items.get_work_item(to_delete.id).deleted
    assert to_delete.id not in {w.id for w in repo.items.work_items(1)}
    h, t = repo.items.get_work_item(head.id), repo.items.get_work_item(tail.id)
    assert (h.text, t.text) == (head.text, tail.text) and t.origin == "reviewer" and not t.deleted
    text = result.report.clean_text
    assert text[t.start:t.end] == t.text
    i = repo.items.get_indicator(ind.id)
    assert i.value == ind.value + 1 and i.check_status == "需核实" and "value" in i.edited_fields
    assert repo.items.get_indicator(gone_ind.id).deleted
    a = repo.items.get_indicator(added.id)
    assert a.origin == "reviewer" and not a.deleted and text[a.start:a.end] == "22个"
    note = repo.annotations.get_annotation(item_note.id)
    assert note.target_id == edited.id and note.anchor in ("ok", "moved")

    reading = repo.reports.reading(1)  # what the checks and the ledger see: edits applied, deleted rows left out
    texts = [w.text for w in reading.work_items]
    assert e.text in texts and to_delete.text not in texts and tail.text in texts
    assert len(reading.indicators) == 43 and reading.clean_text == text


def test_a_parser_only_item_that_vanishes_is_hidden_not_lost(repo, raw):
    item = next(w for w in repo.items.work_items(1, kind="plan_task") if w.text.startswith("深化“无证明化”改革"))
    result = repo.reports.import_bytes(raw.replace(item.text, "").encode("utf-8"), "v2.txt")
    assert result.status == "new_reading"
    stale = repo.items.get_work_item(item.id)
    assert stale.deleted and stale.anchor == "orphaned"  # out of the lists, still findable by id and uid
    assert repo.items.find_work_item(item.uid).id == item.id
    assert item.id not in {w.id for w in repo.items.work_items(1)}
    logged = {(h.field, h.old, h.new) for h in repo.annotations.history(1) if h.entity == "work_item" and h.entity_id == item.id}
    assert logged == {("deleted", "0", "1"), ("anchor", "ok", "orphaned")}


def test_same_file_name_but_unrelated_text_is_another_report(repo):
    """Two sites' "index.html": with no title to go by, only a text that resembles the stored one is a version."""
    first = repo.reports.import_bytes("甲市司法局2023年法治政府建设年度报告\n一、主要举措和成效\n全年办理行政复议案件1件，"
                              "组织执法人员培训3次。\n".encode(), "index.html")
    second = repo.reports.import_bytes("乙县人民政府关于2023年度法治政府建设情况的报告\n一、工作开展情况\n"
                               "推进乡镇合法性审查全覆盖，审查文件52份。\n".encode(), "index.html")
    assert first.status == "new" and second.status == "new" and first.report.id != second.report.id
    third = repo.reports.import_bytes("甲市司法局2023年法治政府建设年度报告\n一、主要举措和成效\n全年办理行政复议案件1件，"
                              "组织执法人员培训4次。\n".encode(), "index.html")
    assert third.status == "new_reading" and third.report.id == first.report.id
