"""Only confirmed or certain follow-up verdicts become findings (the checks' summary, the letter); the tasks still
待确认 are listed as such. The CLI's --pending list and follow-up-decide --accept over a real library."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from desktop.followup import service
from desktop.store.db import open_library
from tests.libraries import sample_library

LATER = ROOT / "tests" / "followup_pairs" / "hz-sfj-2024.txt"


@pytest.fixture
def lib(db_path):
    repo = sample_library(db_path)  # the bundled 2023 sample (imported: a --db library starts empty), and its 2024 successor
    repo.reports.import_file(LATER)
    yield repo
    repo.close()


def run(*args, db):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args), "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def _pending_task(lib):
    fu = service.compare_stored(lib, 1, 2)
    return fu, next(r for r in fu.pending() if r.work_item_id is not None)


def test_the_summary_counts_only_settled_verdicts_and_lists_the_rest_as_pending(lib):
    fu, task = _pending_task(lib)
    settled_missing = sum(r.settled and r.verdict == "未提及" for r in fu.rows)
    finding = service.missing_finding(lib, 2)
    assert finding.data["missing"] == settled_missing
    assert finding.data["pending"] == len(fu.pending()) > 0
    assert f"另有 {len(fu.pending())} 项待确认" in finding.explanation
    assert not any(r.plan.text[:10] in finding.explanation.split("另有")[0] for r in fu.pending())
    # the reviewer decides a pending task 未提及: now it is a finding
    service.decide(lib, 2, task.work_item_id, decision="未提及", machine_verdict=task.plan.verdict)
    again = service.missing_finding(lib, 2)
    assert again.data["missing"] == settled_missing + 1
    assert again.data["pending"] == len(fu.pending()) - 1
    assert again.explanation.startswith(f"{settled_missing + 1} 项上年安排未提及")


def test_the_letter_states_only_settled_verdicts_and_leaves_pending_ones_out(lib):
    from desktop.letters.draft import draft_letter

    fu = service.compare_stored(lib, 1, 2)
    items = {i.key: i for i in draft_letter(lib, 2).items}
    fact, pending = items["finding:followup.missing"], items["finding:followup.pending"]
    assert fact.include and not pending.include  # a 待确认 task never prints as a fact unless the reviewer says so
    assert "待确认" in pending.text and f"{len(fu.pending())} 项" in pending.text
    for r in fu.rows:
        head = r.plan.text[:8]
        if r.settled and r.verdict in ("未提及", "部分体现"):
            assert head in fact.text
        if not r.settled:
            assert head not in fact.text and head in pending.text


def test_cli_pending_then_accept_and_decide(lib, db_path):
    lib.close()
    out = run("follow-up", "2", "--pending", "--json", db=db_path)
    assert out.returncode == 0, out.stderr
    pending = json.loads(out.stdout)["pending"]
    assert pending and all(not p["certain"] and p["status"] == "待确认" and p["reason"] for p in pending)
    assert all(p["nearest"] for p in pending)
    first, second = pending[0], pending[1]
    out = run("follow-up-decide", "2", first["work_item_id"], "--accept", "--who", "张审阅", db=db_path)
    assert out.returncode == 0, out.stderr
    assert first["verdict"] in out.stdout
    out = run("follow-up-decide", "2", second["work_item_id"], "--verdict", "未提及", "--note", "报告未写", db=db_path)
    assert out.returncode == 0, out.stderr
    out = run("follow-up", "2", "--pending", db=db_path)
    assert out.returncode == 0, out.stderr
    assert f"待确认 {len(pending) - 2} 项（已确认 2 / " in out.stdout
    assert first["text"][:20] not in out.stdout
    table = run("follow-up", "2", db=db_path).stdout
    assert "确定性" in table and "待确认" in table and "已确认" in table
    bad = run("follow-up-decide", "2", first["work_item_id"], "--accept", "--verdict", "已体现", db=db_path)
    assert bad.returncode != 0 and "只能给一个" in bad.stderr and "Traceback" not in bad.stderr
    repo = open_library(db_path, seed_sample=False, backups=False)
    try:
        rows = [(h.entity_id, h.field, h.new, h.who) for h in repo.annotations.history(2) if h.entity == "followup"]
        assert (first["work_item_id"], "decision", first["verdict"], "张审阅") in rows
        assert (second["work_item_id"], "note", "报告未写", rows[0][3]) in rows or any(
            r[:3] == (second["work_item_id"], "note", "报告未写") for r in rows)
    finally:
        repo.close()


def test_the_queue_puts_tasks_a_decision_can_be_recorded_on_first():
    """A 工作要点's numbered headings are matched but not stored tasks: they wait after the others and do not count
    in 已确认 N / M."""
    from test_followup_certainty import LATER

    from desktop.followup.matcher import Matcher
    from desktop.report.extract import read_text

    matcher = Matcher(read_text(LATER, "later.txt"))
    heading = matcher.match("推行轻微违法行为不予行政处罚清单，适用案件不少于60件。")  # 待确认
    stored = matcher.match("建设县级青少年法治教育实践基地。")  # 待确认
    sure = matcher.match("编印全县安全生产典型执法案例汇编。")  # 确定
    assert not heading.certainty.certain and not stored.certainty.certain and sure.certainty.certain
    rows = (service.FollowUpRow(heading), service.FollowUpRow(stored, 7), service.FollowUpRow(sure, 8))
    fu = service.FollowUp("上年", "本年", matcher.later.clean_text, rows, earlier_id=1, later_id=2)
    assert [r.work_item_id for r in fu.queue()] == [7, None, 8]
    assert fu.progress() == (0, 1)
    decided = service.FollowUp("上年", "本年", "", (rows[0], service.FollowUpRow(stored, 7, decision="部分体现"),
                                                   rows[2]), 1, 2)
    assert decided.progress() == (1, 1) and [r.status for r in decided.queue()] == ["待确认", "已确认", "确定"]
    files = service.FollowUp("上年", "本年", "", rows)  # two files, nothing stored: every task to confirm counts
    assert files.progress() == (0, 2)
