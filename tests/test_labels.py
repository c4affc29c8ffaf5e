"""One table of Chinese labels: what a user reads (CLI, history, workbook) shows no codes and no raw ISO times."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import openpyxl

from desktop.cli import main
from desktop.kernel import labels
from desktop.report.model import ITEM_KINDS, ROLES
from desktop.store.records import TARGET_KINDS, TRACKING_FIELDS

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_code_has_a_label():
    assert set(labels.ROLE_LABELS) == set(ROLES)
    assert set(labels.ITEM_KIND_LABELS) == set(ITEM_KINDS)
    assert set(labels.TARGET_LABELS) == set(TARGET_KINDS)
    assert TRACKING_FIELDS is labels.TRACKING_FIELD_LABELS  # the ledger's headers are the history's field names
    assert labels.field_label("status", "work_item") == "完成状态"
    assert labels.field_label("status", "annotation") == "审阅状态"
    assert labels.field_label("review_opinion") == "审核意见" and labels.field_label("progress") == "进展情况"
    assert labels.section_label("preamble") == "导语" and labels.section_label(None) == "整份报告"


def test_every_indicator_kind_the_reader_gives_has_a_label():
    from desktop.report.indicators import find_indicators

    text = ("全年办理案件1.2万件，同比增长3个百分点，结案率98.5%，投入资金8500万元，是上年的2倍，"
            "全省排名第一，测评得分92.5分，平均办理时限5个工作日。")
    kinds = {i.kind for i in find_indicators(text, lambda _offset: "preamble")}
    assert len(kinds) >= 5 and kinds <= set(labels.INDICATOR_KIND_LABELS), kinds


def test_local_time():
    moment = datetime(2026, 12, 2, 1, 56, 41, tzinfo=timezone.utc)
    assert labels.local_time(moment.isoformat()) == moment.astimezone().strftime("%Y-%m-%d %H:%M")
    assert labels.local_time("2024-03-06 11:00") == "2024-03-06 11:00"  # no offset: already local
    assert labels.local_time("2024-03-06") == "2024-03-06"
    assert labels.local_time("") == "" and labels.local_time(None) == ""
    assert labels.local_time("不是时间") == "不是时间"


def test_history_shows_chinese_field_names_and_local_times(capsys, repo, db_path):
    item = repo.items.work_items(1, kind="plan_task")[0]
    repo.items.update_work_item(item.id, {"status": "推进中", "progress": "已起草", "review_opinion": "同意"}, who="张三")
    ann = repo.annotations.add_annotation(1, target_kind="section", section_path="一", body="好", reviewer="李四")
    repo.annotations.update_annotation(ann.id, {"status": "已审"}, who="李四")
    repo.close()
    code, out, _ = _run(capsys, "--db", str(db_path), "history", "--report", "1")
    assert code == 0
    assert "完成状态：∅ → 推进中" in out and "进展情况：∅ → 已起草" in out and "审核意见：∅ → 同意" in out
    assert "审阅状态：待审 → 已审" in out and "工作事项#" in out and "批注#" in out
    assert not re.search(r"\b(status|progress|review_opinion|work_item|annotation|update|insert)\b", out)
    assert not ISO_TIME.search(out) and "+00:00" not in out
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d  ", out)


def test_annotations_and_sheet_name_the_preamble_and_times_like_the_desk(capsys, repo, db_path, tmp_path):
    start = repo.reports.reading(1).clean_text.index("2023年")
    repo.annotations.add_annotation(1, target_kind="span", start=start, end=start + 5, body="导语里的一处")
    repo.annotations.add_annotation(1, target_kind="report", body="整体")
    repo.close()
    code, out, _ = _run(capsys, "--db", str(db_path), "annotations", "1")
    assert code == 0 and "preamble" not in out
    assert "导语 " in out and "整份报告" in out
    target = tmp_path / "台账.xlsx"
    assert _run(capsys, "--db", str(db_path), "export", "ledger", "1", "-o", str(target))[0] == 0
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(target)["审阅意见"].iter_rows(min_row=2)]
    assert {r[0] for r in rows} >= {"导语", "整份报告"}
    times = [r[7] for r in rows]
    assert all(isinstance(t, str) and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in times), times
