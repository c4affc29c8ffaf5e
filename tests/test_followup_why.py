"""Why a task is held below 已体现 — a figure short of its target, a smaller step — in the CLI, the workbook and the desk."""
from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from conftest import ROOT
from desktop.ledger.service import export_from_library

PAIRS = ROOT / "tests" / "followup_pairs"
EARLIER, LATER = PAIRS / "nh-district-2024.txt", PAIRS / "nh-district-2025.txt"
SHORT = "行政机关负责人出庭应诉率：安排 100%，本年 98.6%"


def _cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "follow-up", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_cli_says_which_figure_fell_short():
    plain = _cli(EARLIER, LATER)
    assert plain.returncode == 0, plain.stderr
    line = next(x for x in plain.stdout.splitlines() if "出庭应诉率达到100%" in x)
    assert line.startswith("部分体现") and "安排 100%，本年 98.6%" in line
    assert "请逐项确认" in plain.stdout.splitlines()[-1]  # the verdicts are a first pass, and it says so
    team = next(x for x in plain.stdout.splitlines() if "行政执法监督员制度" in x)
    assert team.startswith("未提及") and team.endswith("本年报告的“下一年度安排”中再次提到")
    plans = json.loads(_cli(EARLIER, LATER, "--json").stdout)["plans"]
    court = next(p for p in plans if "出庭应诉率" in p["text"])
    assert court["why"] == SHORT
    assert any("98.6%" in e["text"] for e in court["evidence"])
    assert all(p["why"] == "" for p in plans if p["verdict"] == "已体现")


@pytest.fixture
def pair(repo):
    earlier, later = repo.reports.import_file(EARLIER).report.id, repo.reports.import_file(LATER).report.id
    return repo, earlier, later


def test_the_cross_year_sheet_puts_the_note_before_the_evidence(pair, tmp_path):
    repo, earlier, later = pair
    out = tmp_path / "台账.xlsx"
    export_from_library(repo, out, [str(earlier), str(later)])
    ws = openpyxl.load_workbook(out)["跨年对照"]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] and "出庭应诉率" in r[1])
    assert row[3] == "部分体现"
    assert row[4] == "确定" and SHORT in row[5]  # a figure compared and short: certain, and why
    assert row[7].startswith(f"【{SHORT}】\n") and "98.6%" in row[7].split("\n", 1)[1]


def test_the_desk_shows_the_note_beside_the_evidence(pair, qtbot):
    from desktop.ui.app import make_app, make_window

    repo, _earlier, later = pair
    make_app()
    window = make_window(repo, ephemeral_settings=True)
    qtbot.addWidget(window)
    from desktop.ui.followup_view import open_followup

    dialog = open_followup(window)
    qtbot.waitExposed(dialog)
    i = next(i for i, r in enumerate(dialog.model.rows) if "出庭应诉率" in r.plan.text)
    dialog.table.selectRow(i)
    assert SHORT in dialog.evidence_label.text()
    assert "请逐项确认" in dialog.summary.text()
    dialog.table.selectRow(next(i for i, r in enumerate(dialog.model.rows) if "监督员" in r.plan.text))
    assert "没有报告这项安排" in dialog.evidence_label.text() and "“下一年度安排”中再次提到" in dialog.evidence_label.text()
    done = next(i for i, r in enumerate(dialog.model.rows) if r.verdict == "已体现" and r.certain)
    dialog.table.selectRow(done)
    row = dialog.model.rows[done]
    assert row.plan.why == "" and row.reason in dialog.evidence_label.text()  # nothing held it back; why it is sure
    assert "再次提到" not in dialog.evidence_label.text() and "请确认" not in dialog.evidence_label.text()
