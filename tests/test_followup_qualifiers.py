"""Same noun, another qualifier (a 人民调解 专项经费 for the 法治宣传 one promised): never a certain verdict; the same
noun with the task's own qualifier (or a concept's other wording, or an abbreviation) still is. Invented pairs."""
from __future__ import annotations

import pytest

from desktop.followup.certainty import certainty
from desktop.followup.matcher import DONE, PARTLY, Matcher
from desktop.followup.qualifiers import figure_clash, qualifier_clash
from desktop.report.extract import read_text

LATER = """松岭县人民政府2024年法治政府建设年度报告

2024年，县政府坚持依法行政，各项工作取得新进展。

一、2024年法治政府建设主要举措和成效

（一）经费保障。县财政安排人民调解专项经费30万元，对调解成功的案件给予以案定补。县财政安排普法专项经费60万元，用于法治文化阵地建设。

（二）执法保障。建立法律顾问专家库，入库专家20名，为重大决策提供法律意见。编制县级权责清单并向社会公布。

（三）基层阵地。全县建成规范化司法所5个，配齐专职人员。县矛调中心投入运行，全年接待群众来访1260人次。县法治文化公园获评市级法治宣传教育基地。

（四）复议应诉。行政诉讼纠错率为12%，较上年下降2个百分点。

二、存在的不足和原因

基层法治力量仍然薄弱。

三、2025年工作安排

继续推进法治政府建设。
"""


@pytest.fixture(scope="module")
def matcher():
    return Matcher(read_text(LATER, "later.txt"))


def _sure(matcher, task):
    plan = matcher.match(task)
    return plan, certainty(plan)


def test_a_figure_of_the_same_noun_with_another_qualifier_is_not_certainly_short(matcher):
    """50万元 of 法治宣传 经费 promised, 30万元 of 人民调解 经费 reported: not the same money."""
    plan, sure = _sure(matcher, "县级财政安排法治宣传专项经费80万元。")
    assert not (plan.verdict == PARTLY and sure.certain and "人民调解" not in sure.reason), sure.reason
    assert not sure.certain or plan.verdict == DONE
    assert qualifier_clash("县级财政安排法治宣传专项经费80万元", "县财政安排人民调解专项经费30万元")


def test_the_same_noun_with_the_tasks_qualifier_in_other_words_still_counts():
    """普法 is 法治宣传 (a concept of the lexicon); 县矛调中心 abbreviates 矛盾纠纷调处化解中心; 生态环境执法人员培训
    is said of the people the task's 执法人员法律知识培训 names."""
    assert qualifier_clash("县级财政安排法治宣传专项经费50万元", "县财政安排普法专项经费60万元") == ""
    assert qualifier_clash("建成县级社会矛盾纠纷调处化解中心", "县矛调中心投入运行") == ""
    assert qualifier_clash("组织执法人员法律知识培训", "开展生态环境执法人员培训") == ""
    assert qualifier_clash("落实法治宣传经费", "落实法治宣传经费20万元") == ""


def test_a_thing_made_with_another_qualifier_is_not_certainly_done(matcher):
    """建立执法专家库 against a 法律顾问专家库; 编制县级履职清单 against a 县级权责清单: the matcher finds most of the
    words (已体现), the qualifier differs."""
    for task in ("建立执法专家库。", "编制县级履职清单并向社会公布。"):
        plan, sure = _sure(matcher, task)
        assert plan.verdict == DONE and not sure.certain and "依据中说的是" in sure.reason, (task, sure.reason)


def test_a_figure_counted_of_another_kind_of_the_same_noun_is_not_reached():
    """智慧司法所 promised, 规范化司法所 reported; 行政复议纠错率 promised, 行政诉讼纠错率 reported."""
    assert figure_clash("建设智慧司法所", "慧司法所", "全县建成规范化司法所5个")
    assert figure_clash("行政复议纠错率", "纠错率", "行政诉讼纠错率为12%")
    assert figure_clash("行政复议纠错率", "纠错率", "全县行政复议纠错率为12%") == ""
    assert figure_clash("行政机关负责人出庭应诉率", "应诉率", "负责人出庭应诉率98.6%") == ""


def test_a_figure_of_another_kind_reported_never_makes_a_certain_verdict(matcher):
    """法治司法所 promised (法治 weighs nothing in the matcher's words), 规范化司法所 5个 reported."""
    plan, sure = _sure(matcher, "建成法治司法所3个。")
    assert plan.verdict == DONE and not sure.certain, sure.reason  # the 5个 counts another kind: no figure for it
    plan, sure = _sure(matcher, "建成规范化司法所3个。")  # the control: the same qualifier
    assert plan.verdict == DONE and sure.certain, sure.reason


def test_the_same_noun_and_qualifier_told_otherwise_is_still_certain():
    """The control: 法治宣传 经费 promised, 普法 经费 60万元 reported (no other 经费 in the report): reaches 50万元."""
    later = LATER.replace("县财政安排人民调解专项经费30万元，对调解成功的案件给予以案定补。", "")
    plan, sure = _sure(Matcher(read_text(later, "later.txt")), "县级财政安排法治宣传专项经费50万元。")
    assert plan.verdict == DONE and sure.certain, (plan.verdict, sure.reason)


def test_an_effect_clause_that_makes_a_thing_is_still_a_part_to_report(matcher):
    """，明确…清单 / ，规范…目录 read as the act's effect still make a thing: unreported, the verdict is not certain;
    an effect that makes nothing (，提升决策质量) stays an aim."""
    for task in ("建立法律顾问专家库，明确专家咨询事项清单。", "建立法律顾问专家库，规范重大决策法律审核目录。"):
        plan, sure = _sure(matcher, task)
        assert plan.verdict == DONE and not sure.certain and "具体成果" in sure.reason, (task, sure.reason)
    plan, sure = _sure(matcher, "建立法律顾问专家库，提升决策质量。")
    assert plan.verdict == DONE and sure.certain, sure.reason


def test_the_same_thing_at_another_level_is_not_certainly_done(matcher):
    """建设省级…基地 against a park named a 市级 one: the level qualifies the noun too."""
    assert "市级" in qualifier_clash("创建省级法治政府建设示范单位", "获评市级法治政府建设示范单位")
    assert qualifier_clash("创建省级法治政府建设示范单位", "获评省级法治政府建设示范单位") == ""
    plan, sure = _sure(matcher, "建设省级法治宣传教育基地。")
    assert not sure.certain or plan.verdict != DONE, sure.reason
    assert plan.verdict == DONE and "市级" in sure.reason, (plan.verdict, sure.reason)


LATER_TWO = """竹溪区人民政府2021年法治政府建设年度报告

一、2021年法治政府建设主要举措和成效

（一）矛盾化解。区财政安排人民调解“以案定补”经费60万元，对调解成功的案件给予补贴。

（二）监督约束。区政务服务中心聘请政务服务特邀行风监督员40名，对窗口作风开展明察暗访。

（三）行政复议。推行行政复议案件繁简分流，简易案件由1名复议人员办理，案件平均办理期限为38天。

二、存在的不足和原因

行政执法监督员队伍尚未组建；普法经费仍未纳入年度预算。

三、2022年工作安排

（一）组建区级行政执法监督员队伍。（二）提高行政复议调解和解结案比例。
"""


@pytest.fixture(scope="module")
def matcher_two():
    return Matcher(read_text(LATER_TWO, "later.txt"))


def test_a_quoted_qualifier_right_before_the_noun_is_a_qualifier(matcher_two):
    """人民调解“以案定补”经费 60万元 is not the 普法专项经费 50万元 promised (the quotes hid the qualifier)."""
    assert qualifier_clash("区财政安排普法专项经费50万元", "区财政安排人民调解“以案定补”经费60万元")
    plan, sure = _sure(matcher_two, "区财政安排普法专项经费50万元。")
    assert not sure.certain, (plan.verdict, sure.reason)


def test_a_bare_noun_of_a_part_takes_its_qualifier_from_the_rest_of_the_task(matcher_two):
    """选聘监督员30名 beside 组建…行政执法监督员队伍: 40 政务服务行风监督员 are not the part done."""
    plan, sure = _sure(matcher_two, "组建区级行政执法监督员队伍，选聘监督员30名。")
    assert not sure.certain, (plan.verdict, sure.reason)


def test_an_unreported_effect_clause_does_not_make_a_task_certainly_partly(matcher_two):
    """，提高…结案比例 after the act is an aim: named again in the later plans, it is no part left undone."""
    plan, sure = _sure(matcher_two, "完善行政复议案件繁简分流机制，行政复议案件办理期限平均压缩至45天以内，提高调解和解结案比例。")
    assert not (plan.verdict == PARTLY and sure.certain), (plan.verdict, sure.reason)
