"""Rubric scores in a real library file: validated, survive a restart, undoable, exported in 审阅评分."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from desktop.report.extract import read_file
from desktop.review.checks import run_checks
from desktop.ledger.review_sheet import SHEET
from desktop.review.rubric import RubricError, load_rubric
from desktop.review.service import check_stored, score_summary, scores_of, set_score, total_of
from desktop.review.stored import reading_from_records
from desktop.store import db
from tests.libraries import sample_library

ROOT = Path(__file__).resolve().parents[1]
SCORES = {"completeness": 5, "timeliness": 5, "evidence": 3.5, "candour": 1.5, "plans": 1, "overall": "中"}
# 15 + 10 + 20×0.7 + 20×0.3 + 15×0.2 + 5×0.5
EXPECTED_TOTAL = 50.5


def _library_with_scores(path):
    repo = sample_library(path)
    report = repo.reports.find_report("杭州市司法局")
    for cid, value in SCORES.items():
        set_score(repo, report.id, cid, value, comment=f"{cid} 的评语", who="审阅人甲")
    return repo, report


def test_scores_survive_a_restart(db_path):
    repo, report = _library_with_scores(db_path)
    before = {cid: (r.score, r.comment) for cid, r in scores_of(repo, report.id).items()}
    repo.close()

    repo = sample_library(db_path)
    try:
        stored = scores_of(repo, report.id)
        assert {cid: (r.score, r.comment) for cid, r in stored.items()} == before
        assert stored["overall"].score == 2 and stored["overall"].reviewer == "审阅人甲"
        rubric = load_rubric()
        assert total_of(rubric, stored) == EXPECTED_TOTAL
    finally:
        repo.close()


def test_scores_are_validated_and_undoable(db_path):
    repo, report = _library_with_scores(db_path)
    try:
        with pytest.raises(RubricError):
            set_score(repo, report.id, "evidence", 8)
        with pytest.raises(RubricError):
            set_score(repo, report.id, "no_such_criterion", 3)
        old = scores_of(repo, report.id)["evidence"]
        set_score(repo, report.id, "evidence", 4.5, comment="改判", who="审阅人甲")  # scores are per reviewer
        assert scores_of(repo, report.id)["evidence"].score == 4.5
        set_score(repo, report.id, "evidence", old.score, comment=old.comment, who="审阅人甲")  # undo
        assert (scores_of(repo, report.id)["evidence"].score, scores_of(repo, report.id)["evidence"].comment) == \
            (3.5, "evidence 的评语")
        changes = [h for h in repo.annotations.history(report.id) if h.entity == "rubric_score" and h.field == "evidence"]
        # the history (newest first) records the change and its undo
        assert [(float(h.old), float(h.new)) for h in changes[:2]] == [(4.5, 3.5), (3.5, 4.5)]
    finally:
        repo.close()


def test_checks_on_the_stored_report_match_the_file(db_path, sample_path):
    repo = sample_library(db_path)
    try:
        report = repo.reports.find_report("杭州市司法局")
        stored = [(f.check, f.result, f.data) for f in check_stored(repo, report.id)]
        rebuilt = reading_from_records(report, repo.reports.sections(report.id), repo.items.indicators(report.id),
                                       repo.items.work_items(report.id))
        from_records = [(f.check, f.result, f.data) for f in run_checks(rebuilt)]
    finally:
        repo.close()
    from_file = [(f.check, f.result, f.data) for f in run_checks(read_file(sample_path))]
    assert stored == from_file
    assert from_records == from_file


def test_scores_appear_in_the_exported_sheet(db_path, tmp_path):
    """The ledger exporter with stored records: the 审阅评分 sheet shows the scores."""
    repo, report = _library_with_scores(db_path)
    repo.close()
    repo = sample_library(db_path)
    try:
        bundle = SimpleNamespace(report=report, sections=tuple(repo.reports.sections(report.id)),
                                 indicators=tuple(repo.items.indicators(report.id)),
                                 work_items=tuple(repo.items.work_items(report.id)),
                                 rubric_scores=tuple(repo.scores.rubric_scores(report.id)))
    finally:
        repo.close()
    from desktop.ledger.export import LedgerBundle, export_ledger

    path = tmp_path / "ledger.xlsx"
    export_ledger([LedgerBundle(**vars(bundle))], path, "lib")
    _assert_scores_in_sheet(openpyxl.load_workbook(path)[SHEET])


def _assert_scores_in_sheet(ws):
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "审阅评分：杭州市司法局2023年法治政府建设年度报告"
    rubric = load_rubric()
    by_name = {r[0]: r for r in rows if r and r[0] in {c.name for c in rubric.criteria}}
    assert by_name["内容完整"][5] == "5" and by_name["内容完整"][7] == "completeness 的评语"
    assert by_name["内容完整"][8] == "审阅人甲"
    assert by_name["成效有数据、有案例"][5] == "3.5"
    assert by_name["总体评价"][5] == "中"
    assert by_name["第一责任人履职具体"][5] in (None, "")
    total = next(r for r in rows if r[0] == "合计")
    assert total[6] == pytest.approx(EXPECTED_TOTAL)


def test_scores_in_the_ledger_export(db_path, tmp_path):
    from desktop.ledger import service
    repo, _ = _library_with_scores(db_path)
    try:
        path = tmp_path / "台账.xlsx"
        service.export_from_library(repo, path)
    finally:
        repo.close()
    wb = openpyxl.load_workbook(path)
    assert SHEET in wb.sheetnames
    _assert_scores_in_sheet(wb[SHEET])


def test_check_command_on_a_library_report(db_path):
    repo, report = _library_with_scores(db_path)
    repo.close()
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(report.id), "--json", "--db",
                           str(db_path)], capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["report_id"] == report.id and out["weighted_total"] == EXPECTED_TOTAL
    scored = {c["id"]: c["display"] for c in out["rubric"]["criteria"]}
    assert scored["overall"] == "中" and scored["evidence"] == "3.5" and scored["responsibility"] == ""
    text = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", "杭州市司法局", "--db", str(db_path)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert text.returncode == 0, text.stderr
    assert f"加权总分：{EXPECTED_TOTAL:g} / 100" in text.stdout


def test_ratings_are_shown_with_their_words_in_reviewers_and_the_desk(db_path):
    """优 is 优 (not 4) in `reviewers` and in the checks panel's 多人评分; a mean between two levels names both."""
    from desktop.ui.team_dialogs import team_scores_text

    repo, report = _library_with_scores(db_path)  # 审阅人甲 rated 总体评价 中
    set_score(repo, report.id, "overall", "优", who="审阅人乙")
    set_score(repo, report.id, "completeness", 4, who="审阅人乙")
    panel = team_scores_text(repo, report.id, load_rubric())
    repo.close()
    assert "总体评价：均分 良，分差 2（审阅人乙 优，审阅人甲 中）" in panel
    assert "审阅人乙 4，审阅人甲 5" in panel  # a points criterion stays a number
    done = subprocess.run([sys.executable, "main.py", "reviewers", str(report.id), "--db", str(db_path)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if "总体评价" in x)
    assert "均分 良" in line and "（审阅人乙 优，审阅人甲 中）" in line
    set_score_between = sample_library(db_path)
    set_score(set_score_between, report.id, "overall", "良", who="审阅人甲")  # 优 and 良: a mean of 3.5
    rows = {r.criterion_id: r for r in score_summary(set_score_between, report.id, load_rubric())}
    set_score_between.close()
    assert rows["overall"].shown(rows["overall"].mean) == "3.5（良～优）"
