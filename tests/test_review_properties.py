"""Property: on any text the reader accepts, the checks finish, stay JSON-safe and quote their evidence exactly."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.report.extract import read_text
from desktop.report.model import ReportError
from desktop.review.checks import CHECK_IDS, run_checks
from desktop.review.findings import RESULTS

FRAGMENTS = [
    "一、主要举措和成效\n", "二、存在的不足和原因\n", "三、党政主要负责人履行推进法治建设第一责任人职责情况\n",
    "四、2024年推进法治政府建设的主要安排\n", "五、其他需要报告的情况\n", "（一）加强执法监督。", "（二）", "一是", "二是",
    "收案200件，纠错率20%，同比提升2%。", "满意率达98.76%，同比下降0.42个百分点。", "由于编制紧张，",
    "有待进一步加强。", "提升报备率、及时率和规范率。", "2024年6月底前完成，由市司法局牵头。", "召开常务会议5次，",
    "述法", "培训3场", "发布日期：2024-04-02\n", "2023年法治政府建设年度报告\n", "“1+8”", "《方案》", "\n\n",
    "率", "，", "。", "=SUM(A1)", "(", "）", "第五次", "及时率", "原因",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40))
def test_checks_never_fail_on_arbitrary_reports(parts):
    try:
        reading = read_text("".join(parts), "p.txt")
    except ReportError:
        return
    findings = run_checks(reading)
    assert [f.check for f in findings] == list(CHECK_IDS)
    for f in findings:
        assert f.result in RESULTS and f.explanation
        for e in f.evidence:
            assert 0 <= e.start <= e.end <= len(reading.clean_text)
            assert reading.clean_text[e.start:e.end] == e.quote
    json.dumps([f.to_dict() for f in findings], ensure_ascii=False)


CHAPTERS = FRAGMENTS[:5]
BODY = FRAGMENTS[5:]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(CHAPTERS), st.lists(st.sampled_from(BODY), max_size=12)),
                min_size=1, max_size=6))
def test_checks_on_report_shaped_texts(chapters):
    text = "某市2023年法治政府建设年度报告\n" + "".join(head + "".join(body) + "\n" for head, body in chapters)
    reading = read_text(text, "p.txt")
    for f in run_checks(reading):
        assert f.result in RESULTS
        for e in f.evidence:
            assert reading.clean_text[e.start:e.end] == e.quote
        if f.check == "plans.measurable" and f.result != "unknown":
            assert f.data["measurable"] + f.data["vague"] == len(f.data["tasks"]) > 0
