"""Each check on small reports written for the purpose, read by the real reader (read_text)."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_text
from desktop.review.checks import run_checks
from desktop.review.rubric import BUNDLED, load_rubric

REPORT = """某县司法局2023年法治政府建设年度报告
发布日期：2024-04-15

2023年，某县司法局深入推进法治政府建设。现将有关情况报告如下。

一、2023年推进法治政府建设的主要举措和成效

（一）行政复议质效提升。全年行政复议收案200件，纠错40件，纠错率20%；调解结案50件，调解率25%。群众满意率98%，同比提升2%。

（二）执法监督。开展执法监督工作，加强案卷评查。

二、存在的不足和原因

（一）执法人员数量不足。由于编制紧张，基层执法人员短缺，全县执法人员仅120人。

（二）数字化水平不高。主要是资金投入有限，平台建设滞后。

三、党政主要负责人履行推进法治建设第一责任人职责情况

县政府主要负责人主持召开常务会议5次研究法治政府建设，年度述法1次，组织领导干部学法培训3场。

四、2024年推进法治政府建设的主要安排

（一）充实基层执法力量。2024年6月底前新增执法人员20名，由县司法局牵头。

（二）推进数字化建设。加快建设执法监督平台，提升案卷合格率。
"""


def check(text: str, rubric=None) -> dict:
    reading = read_text(text, "test.txt")
    found = run_checks(reading, rubric)
    for f in found:
        for e in f.evidence:
            assert reading.clean_text[e.start:e.end] == e.quote
    return {f.check: f for f in found}


@pytest.fixture(scope="module")
def found():
    return check(REPORT)


def test_late_publication_fails_with_days_late(found):
    f = found["timeliness"]
    assert f.result == "fail"
    assert f.data["deadline"] == "2024-04-01" and "逾期 14 天" in f.explanation
    assert all(e.quote == "2024-04-15" for e in f.evidence)  # when the date stays in the clean text


def test_publication_date_unknown_or_on_the_deadline():
    no_date = check(REPORT.replace("发布日期：2024-04-15\n", ""))
    assert no_date["timeliness"].result == "unknown"
    on_time = check(REPORT.replace("2024-04-15", "2024-04-01"))
    assert on_time["timeliness"].result == "pass"


def test_section_without_figures_listed(found):
    f = found["data"]
    assert f.result == "warn"
    assert {r["path"]: r["figures"] for r in f.data["sections"]}["一.(二)"] == 0
    assert f.data["without_figures"] == ["一.(二)"]


def test_problems_with_causes_and_answered(found):
    assert found["problems.count"].result == "warn" and found["problems.count"].data["count"] == 2
    causes = found["problems.causes"]
    assert causes.result == "pass" and causes.data["with_causes"] == ["二.(一)", "二.(二)"]
    answered = found["problems.answered"]
    assert answered.result == "pass"
    assert {p["problem"]: p["theme"] for p in answered.data["pairs"]} == {"二.(一)": "四.(一)", "二.(二)": "四.(二)"}


def test_a_separate_cause_analysis_counts_for_all_problems():
    text = REPORT.replace("由于编制紧张，", "").replace("主要是资金投入有限，", "")
    assert check(text)["problems.causes"].result == "fail"
    text = text.replace("三、党政", "（三）产生问题的原因。一是编制紧张，二是资金投入有限。\n\n三、党政")
    assert check(text)["problems.causes"].result == "pass"


def test_measurable_and_vague_tasks(found):
    f = found["plans.measurable"]
    tasks = {t["text"][:7]: t for t in f.data["tasks"]}
    assert tasks["2024年6月"]["rating"] == "measurable"
    assert set(tasks["2024年6月"]["has"]) == {"量化目标", "完成时限", "责任单位"}
    assert tasks["加快建设执法监"]["rating"] == "vague"
    assert f.result == "warn"
    rates = found["plans.rates"]
    assert rates.result == "warn" and [r["names"] for r in rates.data["rates"]] == [["案卷合格率"]]


def test_rate_with_a_target_is_not_flagged():
    f = check(REPORT.replace("提升案卷合格率。", "案卷合格率达到95%以上。"))
    assert f["plans.rates"].result == "pass"


def test_rates_recomputed_from_counts(found):
    f = found["indicators.recompute"]
    assert f.result == "pass"
    assert {c["name"] for c in f.data["checked"]} == {"纠错率", "调解率"}


def test_rate_that_does_not_match_its_counts_is_flagged():
    f = check(REPORT.replace("纠错率20%", "纠错率30%"))["indicators.recompute"]
    assert f.result == "warn"
    bad = [c for c in f.data["checked"] if not c["ok"]]
    assert bad == [{"rate": "30%", "name": "纠错率", "section": "一.(一)", "ok": False, "numerator": "40件",
                    "denominator": "200件", "computed": 20.0}]


def test_rate_change_in_percent_is_ambiguous(found):
    f = found["indicators.change_unit"]
    assert f.result == "warn" and f.data["ambiguous"] == ["同比提升2%"]
    fixed = check(REPORT.replace("同比提升2%", "同比提升2个百分点"))["indicators.change_unit"]
    assert fixed.result == "pass"


def test_concrete_first_responsible_chapter(found):
    f = found["first_responsible"]
    assert f.result == "pass"
    assert set(f.data["concrete"]) == {"meetings", "account", "training"} and f.data["figures"] == 3
    generic = check(REPORT.replace("县政府主要负责人主持召开常务会议5次研究法治政府建设，年度述法1次，组织领导干部学法培训3场。",
                                   "认真履行第一责任人职责，高度重视法治政府建设。"))["first_responsible"]
    assert generic.result == "fail"


def test_first_responsible_told_in_one_item_of_the_results_is_found_there():
    # many reports have no 第一责任人 chapter: it is one 一是… item of the results
    duty = "三、党政主要负责人履行推进法治建设第一责任人职责情况\n\n县政府主要负责人主持召开常务会议5次研究法治政府建设，年度述法1次，组织领导干部学法培训3场。\n\n"
    assert duty in REPORT
    folded = REPORT.replace(duty, "").replace(
        "（二）执法监督。开展执法监督工作，加强案卷评查。",
        "（二）强化组织领导。一是健全工作机制，调整法治政府建设领导小组。二是切实履行推进法治建设第一责任人职责，"
        "县长主持召开常务会议4次专题研究法治政府建设，年终述法1次。三是开展执法监督，加强案卷评查。")
    found = check(folded)
    f = found["first_responsible"]
    assert f.result == "warn" and "没有单独的章节" in f.explanation and "一.(二)" in f.explanation
    assert f.data["own_section"] is False and set(f.data["concrete"]) == {"meetings", "account"}
    quote = f.evidence[0].quote
    assert quote.startswith("二是切实履行") and "三是" not in quote  # the item, not the whole paragraph
    assert "first_responsible" in found["required_parts"].data["missing"]  # still no part of its own
    assert check(REPORT.replace(duty, ""))["first_responsible"].result == "unknown"  # told nowhere: not found


def test_closing_plans_without_a_plans_chapter_are_checked():
    # 下一步，我局将…： then a list at the end, no plans chapter: the reader finds the tasks, and the checks use them
    plans = REPORT[REPORT.index("四、2024年推进法治政府建设的主要安排"):]
    text = REPORT.replace(plans, "下一步，我局将重点做好以下工作：\n1．2024年6月底前新增基层执法人员20名，充实基层执法力量；\n"
                                 "2．加快推进数字化建设，提升执法监督平台应用水平。\n")
    reading = read_text(text, "t.txt")
    assert len([w for w in reading.work_items if w.kind == "plan_task"]) == 2
    found = check(text)
    assert "plans" in found["required_parts"].data["missing"]  # still no part of its own
    measurable = found["plans.measurable"]
    assert measurable.result == "warn" and measurable.data["measurable"] == 1 and measurable.data["vague"] == 1
    answered = found["problems.answered"]
    assert answered.result != "unknown" and len(answered.data["pairs"]) == 2
    assert any(p["theme"] for p in answered.data["pairs"])  # 执法人员 and 数字化 find their tasks


def test_missing_parts_listed():
    text = REPORT[:REPORT.index("二、存在的不足和原因")]
    found = check(text)
    f = found["required_parts"]
    assert f.result == "fail"
    assert f.data["missing"] == ["problems", "first_responsible", "plans"]
    assert "存在的不足和原因" in f.explanation
    assert found["problems.causes"].result == "unknown"
    assert found["plans.measurable"].result == "unknown"


def test_problems_as_one_chapter_counted_by_ordinals():
    text = REPORT.replace(
        "（一）执法人员数量不足。由于编制紧张，基层执法人员短缺，全县执法人员仅120人。\n\n（二）数字化水平不高。主要是资金投入有限，平台建设滞后。",
        "一是执法人员数量不足。二是数字化水平不高。三是宣传不够深入。")
    f = check(text)["problems.count"]
    assert f.data["count"] == 3 and f.result == "pass"


def test_adapted_thresholds_change_the_result(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text(BUNDLED.read_text(encoding="utf-8").replace("min_count = 3", "min_count = 2"), encoding="utf-8")
    assert check(REPORT, load_rubric(path))["problems.count"].result == "pass"


def test_empty_reading_gives_unknowns_not_errors():
    found = check("只有一句话的文本。")
    assert found["required_parts"].result in ("fail", "unknown")
    assert found["data"].result == "unknown"
    assert found["first_responsible"].result == "unknown"
