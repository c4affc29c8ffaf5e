"""Checks on the bundled seed (杭州市司法局2023年度报告): the findings a careful reader finds."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_file
from desktop.review.checks import CHECK_IDS, run_checks
from desktop.review.findings import RESULTS
from desktop.review.rubric import load_rubric


@pytest.fixture(scope="module")
def reading(sample_path):
    return read_file(sample_path)


@pytest.fixture(scope="module")
def findings(reading):
    return {f.check: f for f in run_checks(reading)}


def test_every_check_reports_with_valid_evidence(reading, findings):
    assert list(findings) == list(CHECK_IDS)
    rubric = load_rubric()
    for f in findings.values():
        assert f.result in RESULTS and f.explanation
        for e in f.evidence:
            assert reading.clean_text[e.start:e.end] == e.quote and e.quote
        # every finding informs some criterion of the bundled rubric
        assert f.criteria and all(rubric.criterion(c) for c in f.criteria)


def test_four_core_parts_present_and_mapped(findings):
    f = findings["required_parts"]
    assert f.result == "pass"
    parts = f.data["parts"]
    assert {p: (v["level"], v["paths"]) for p, v in parts.items()} == {
        "achievements": ("chapter", ["一"]),
        "problems": ("chapter", ["二"]),
        "first_responsible": ("chapter", ["三"]),
        "plans": ("chapter", ["四"]),
    }
    assert f.data["missing"] == []
    quotes = [e.quote for e in f.evidence]
    assert "存在的不足和原因" in quotes and "2024年推进法治政府建设的主要安排" in quotes


def test_published_on_time(findings):
    f = findings["timeliness"]
    assert f.result == "pass"
    assert f.data == {"published": "2024-03-04", "report_year": 2023, "deadline": "2024-04-01"}
    assert "2024-03-04" in f.explanation


def test_figures_per_achievement_section(findings):
    f = findings["data"]
    counts = {row["path"]: row["figures"] for row in f.data["sections"]}
    # counted by hand from the text (see ../shared/gold/hangzhou-sfj-2023.json)
    assert counts == {"一.(一)": 0, "一.(二)": 5, "一.(三)": 5, "一.(四)": 6, "一.(五)": 4,
                      "一.(六)": 5, "一.(七)": 5, "一.(八)": 8}
    assert f.result == "warn"
    assert f.data["without_figures"] == ["一.(一)"]
    assert [e.quote for e in f.evidence] == ["全力争创全国法治政府建设示范市"]


def test_three_problems_without_causes(findings):
    assert findings["problems.count"].data["count"] == 3
    assert findings["problems.count"].result == "pass"
    causes = findings["problems.causes"]
    assert causes.result == "fail"
    assert causes.data["without_causes"] == ["二.(一)", "二.(二)", "二.(三)"]
    assert causes.data["general"] is False  # "原因" in the chapter heading is not an analysis
    boiler = findings["problems.boilerplate"]
    assert boiler.result == "warn"
    assert len(boiler.data["problems"]) == 3
    assert "有待进一步" in boiler.data["problems"][2]["phrases"]


def test_problem_three_answered_by_plan_theme_three(findings):
    f = findings["problems.answered"]
    pairs = {p["problem"]: p for p in f.data["pairs"]}
    assert pairs["二.(三)"]["theme"] == "四.(三)"
    assert "群众" in pairs["二.(三)"]["task"]
    # 基层基础建设 is answered by 夯实基层法治政府建设基础
    assert pairs["二.(一)"]["theme"] == "四.(三)"
    # 依法行政水平 (多头检查、执法监督) has no plan that names it
    assert f.data["unanswered"] == ["二.(二)"]
    assert f.result == "warn"


def test_plan_tasks_rated_none_measurable(findings):
    f = findings["plans.measurable"]
    tasks = f.data["tasks"]
    assert len(tasks) == 11
    assert all(t["rating"] == "vague" and t["has"] == [] for t in tasks)
    assert f.result == "fail"
    assert f.data["measurable"] == 0
    # concrete outputs are noted, though without a date or an owner they are not measurable
    assert [t["deliverable"] for t in tasks if t["deliverable"]] == ["出台杭州市行政复议工作地方标准",
                                                                   "发布“1+8”多元基准体系建设试点成果"]
    verbs = {v for t in tasks for v in t["vague_verbs"]}
    assert {"推进", "加强", "深化"} <= verbs


def test_rates_named_without_values(findings):
    f = findings["plans.rates"]
    assert f.result == "warn"
    quotes = [r["quote"] for r in f.data["rates"]]
    assert any(q.endswith("报备率、及时率和规范率") for q in quotes)
    assert "知晓率、支持率和满意度" in quotes
    names = [n for r in f.data["rates"] for n in r["names"]]
    assert "及时率" in names and "规范率" in names


def test_indicator_checks(findings):
    # 纠错率/调撤率/败诉率 cannot be recomputed from the counts given (no numerators stated)
    assert findings["indicators.recompute"].result == "unknown"
    change = findings["indicators.change_unit"]
    assert change.result == "pass"
    assert change.data["rate_changes"] == 2


def test_first_responsible_chapter_generic(findings):
    f = findings["first_responsible"]
    assert f.result == "warn"  # meetings and training named, but no figures
    assert f.data["paths"] == ["三"]
    assert set(f.data["concrete"]) == {"meetings", "training"}
    assert f.data["figures"] == 0
