"""The follow-up matcher on hand-written next-year pairs: verdicts, evidence offsets, near-misses, restated plans."""
from __future__ import annotations

import pytest

import followup_eval as fe
from desktop.followup.matcher import DONE, MISSING, PARTLY, Matcher, follow_up, split_parts
from desktop.report.extract import read_text


@pytest.fixture(scope="module")
def dev_results():
    out = {}
    for pair in fe.load_pairs(held_out=False):
        earlier, later = fe.read_pair(pair)
        out[pair["name"]] = (pair, later, follow_up(earlier, later))
    return out


def test_dev_pairs_reach_the_targets():
    first = fe.score(fe.app_matcher, [p for p in fe.load_pairs(held_out=False) if not p.get("batch")])
    assert first.total >= 80
    assert first.accuracy >= 0.85, first.line()
    assert first.precision >= 0.85 and first.recall >= 0.85, first.line()
    assert first.evidence_ok >= 0.85 * first.evidence_total, first.line()


def test_the_harder_tuning_pairs_stay_where_they_were_measured():
    # batch 3 paraphrases harder; these floors are what the matcher measured (0.73, 未提及 P 0.76 R 0.97), kept
    # so that a change cannot lose ground there unnoticed
    third = fe.score(fe.app_matcher, [p for p in fe.load_pairs(held_out=False) if p.get("batch") == 3])
    assert third.total >= 100
    assert third.accuracy >= 0.70, third.line()
    assert third.precision >= 0.70 and third.recall >= 0.90, third.line()


def test_the_matcher_beats_the_bigram_baseline():
    dev = fe.load_pairs(held_out=False)
    assert fe.score(fe.app_matcher, dev).accuracy > fe.score(fe.bigram_baseline, dev).accuracy + 0.2


def test_every_plan_task_gets_a_verdict_with_evidence_in_the_later_text(dev_results):
    for pair, later, results in dev_results.values():
        assert len(results) == len(pair["plans"])  # every task of the earlier report, none invented
        for r in results:
            assert r.verdict in (DONE, PARTLY, MISSING)
            assert 0.0 <= r.score <= 1.0
            assert (r.verdict == MISSING) == (not r.evidence)
            for e in r.evidence:
                assert later.clean_text[e.start:e.end] == e.text


def _result(dev_results, name_part, phrase):
    name = next(n for n in dev_results if name_part in n)
    return next(r for r in dev_results[name][2] if phrase in r.text)


def test_a_paraphrased_standard_is_found_and_case_numbers_are_not_evidence(dev_results):
    r = _result(dev_results, "杭州", "出台杭州市行政复议工作地方标准")
    assert r.verdict == DONE
    assert any("《行政复议工作规范》市级地方标准" in e.text for e in r.evidence)
    assert not any("新收行政复议案件8125件" in e.text for e in r.evidence)


def test_evidence_never_comes_from_problems_or_the_later_plans(dev_results):
    for name, (pair, later, results) in dev_results.items():
        outside = [c for c in later.outline if c.role in ("problems", "plans")]
        for r in results:
            for e in r.evidence:
                assert not any(c.start <= e.start < c.end for c in outside), (name, r.text, e.text)


def test_a_plan_restated_in_the_later_plans_chapter_is_not_an_outcome(dev_results):
    # 2025 plans of the later report repeat “无证明化” and “三级联审”; nothing in its outcomes reports them
    assert _result(dev_results, "杭州", "深化“无证明化”改革").verdict == MISSING
    assert _result(dev_results, "青溪", "三级联审").verdict == MISSING


def test_a_compound_task_done_in_part_is_partly_reported(dev_results):
    r = _result(dev_results, "青溪", "举办全县领导干部法治专题讲座")
    assert r.verdict == PARTLY
    assert any("法治专题讲座3场" in e.text for e in r.evidence)


def test_parts_of_a_compound_task():
    parts = split_parts("出台杭州市行政复议工作地方标准,建立杭州市巡回复议工作站、行政争议调解员制度,优化行政复议信访引流机制。")
    assert [p for p, _ in parts] == ["出台杭州市行政复议工作地方标准", "建立杭州市巡回复议工作站", "行政争议调解员制度",
                                     "优化行政复议信访引流机制"]
    goals = dict(split_parts("发布试点成果,全市推开多元基准体系建设工作,进一步推动严格规范公正文明执法。"))
    assert goals["进一步推动严格规范公正文明执法"] is True
    assert goals["发布试点成果"] is False
    short = split_parts("推进重大行政决策科学化、民主化、法治化")
    assert len(short) == 1  # a list of short words stays one part
    assert split_parts("编制区级行政许可事项清单，并向社会公布") == [("编制区级行政许可事项清单，并向社会公布", False)]
    target = dict(split_parts("开展行政执法人员全员培训，每人每年不少于60学时"))
    assert target == {"开展行政执法人员全员培训": False, "每人每年不少于60学时": True}  # the target, not an act


LATER = """某市司法局2024年法治政府建设年度报告

2024年，我局扎实推进法治政府建设。

一、主要举措和成效

（一）规范执法。全年办理行政处罚案件320件，同比下降5%。印发《某市轻微违法行为不予处罚清单》，对45起轻微违法行为不予处罚。

二、存在的不足和原因

（一）基层力量薄弱。乡镇执法人员不足。

三、2025年工作安排

（一）推行“首违不罚”清单。建立乡镇执法人员培训制度。
"""


def test_a_later_report_without_outcomes_for_a_plan_says_missing():
    later = read_text(LATER, "later.txt")
    matcher = Matcher(later)
    assert matcher.match("建立乡镇执法人员培训制度。").verdict == MISSING
    hit = matcher.match("制定轻微违法行为不予处罚清单，推行包容审慎监管。")
    assert hit.verdict in (DONE, PARTLY)
    assert "不予处罚清单" in hit.evidence[0].text
