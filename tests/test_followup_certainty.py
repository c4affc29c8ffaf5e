"""Which verdicts are certain (确定) and why, and the nearest passages under each task, on invented pairs and the
labelled ones: a certain verdict never comes without its reason."""
from __future__ import annotations

import pytest

import followup_eval as fe
from desktop.followup.certainty import certainty
from desktop.followup.matcher import (
    DONE,
    MISSING,
    PARTLY,
    Evidence,
    Matcher,
    PartMatch,
    PlanMatch,
    follow_up,
    split_parts,
)
from desktop.report.extract import read_text

# An invented later report: outcomes with figures, a step short of done, a near-miss, its problems and own plans.
LATER = """柳溪县司法局2024年法治政府建设年度报告

2024年，县司法局坚持依法行政，各项工作取得新进展。

一、2024年法治政府建设主要举措和成效

（一）规范行政执法。印发《柳溪县轻微违法行为不予行政处罚清单》，全年对48起首次轻微违法行为依法不予处罚。全县行政诉讼一审收案88件，行政机关负责人出庭应诉率达97.5%，较上年提高3个百分点。

（二）推进法治宣传。县级青少年法治教育实践基地已完成选址论证，建设方案报县政府审定。全年开展“送法进乡村”活动36场，覆盖全部行政村。

（三）基层法治建设。推进“法治乡村”建设，城南镇石桥村获评省级民主法治示范村，新增市级民主法治示范村（社区）6个。

（四）优化法律服务。全县12个乡镇公共法律服务工作站实现全覆盖，全年提供法律咨询1.1万人次。全县村（社区）法律顾问配备率达到100%。

二、党政主要负责人履行推进法治建设第一责任人职责情况

县委常委会、县政府常务会议先后3次专题研究法治政府建设工作。

三、存在的不足和原因

行政执法监督员队伍尚未组建，监督力量不足。

四、2025年工作安排

（一）组建行政执法监督员队伍。（二）建成县级法治文化公园。
"""


@pytest.fixture(scope="module")
def matcher():
    return Matcher(read_text(LATER, "later.txt"))


def _sure(matcher, task):
    plan = matcher.match(task)
    return plan, certainty(plan)


def test_a_task_named_again_in_the_later_problems_or_plans_is_certainly_unreported(matcher):
    plan, sure = _sure(matcher, "组建县级行政执法监督员队伍，聘请特邀监督员10名。")
    assert plan.verdict == MISSING and sure.certain
    assert "再次提到" in sure.reason and "不足和原因" in sure.reason


def test_a_task_with_nothing_near_it_is_certainly_unreported(matcher):
    plan, sure = _sure(matcher, "编印全县安全生产典型执法案例汇编。")
    assert plan.verdict == MISSING and sure.certain and "没有相近的表述" in sure.reason


def test_a_task_of_generic_words_only_is_never_certain(matcher):
    plan, sure = _sure(matcher, "进一步推进法治政府建设工作。")
    assert plan.verdict == MISSING and not plan.parts
    assert not sure.certain and sure.reason


def test_a_figure_compared_and_short_is_certain(matcher):
    plan, sure = _sure(matcher, "行政机关负责人出庭应诉率达到100%。")
    assert plan.verdict == PARTLY and sure.certain
    assert "安排 100%，本年 97.5%" in sure.reason


def test_a_figure_compared_and_reached_at_the_same_level_is_certain(matcher):
    plan, sure = _sure(matcher, "实现村（社区）法律顾问配备率达到100%。")
    assert plan.verdict == DONE and sure.certain
    assert "数字目标已达到" in sure.reason


def test_done_words_for_a_step_short_of_done_wait_for_the_reviewer(matcher):
    plan, sure = _sure(matcher, "建设县级青少年法治教育实践基地。")
    assert plan.verdict == DONE and not sure.certain  # the matcher's verdict is kept, but not trusted
    assert "选址" in sure.reason


def test_a_figure_at_another_level_waits_for_the_reviewer(matcher):
    plan, sure = _sure(matcher, "创建省级民主法治示范村（社区）3个以上。")
    assert plan.verdict == DONE and not sure.certain  # 3个 reached by the 市级 count, not the 省级 one
    assert "省级" in sure.reason and "市级" in sure.reason


def test_a_promised_figure_the_later_report_does_not_give_waits_for_the_reviewer(matcher):
    plan, sure = _sure(matcher, "推行轻微违法行为不予行政处罚清单，适用案件不少于60件。")
    assert plan.verdict == DONE and not sure.certain
    assert "没有对应的数字" in sure.reason and "60件" in sure.reason


def test_a_figure_of_the_evidence_that_reaches_the_target_is_compared(matcher):
    plan, sure = _sure(matcher, "县委常委会每年至少听取2次法治政府建设工作汇报。")  # 先后3次专题研究
    assert plan.verdict == DONE and sure.certain and "数字目标已达到" in sure.reason
    plan, sure = _sure(matcher, "县委常委会每年听取法治政府建设工作汇报不少于4次。")  # 3 of 4: the reviewer decides
    assert plan.verdict == DONE and not sure.certain
    assert "3次" in sure.reason and "4次" in sure.reason


def test_nearest_passages_rank_by_similarity_and_skip_the_later_plans(matcher):
    later = matcher.later.clean_text
    plans_at = later.index("四、2025年工作安排")
    plan = matcher.match("建成县级法治文化公园，打造法治宣传阵地。")
    assert plan.verdict == MISSING
    assert 0 < len(plan.nearest) <= 3
    assert [n.score for n in plan.nearest] == sorted((n.score for n in plan.nearest), reverse=True)
    for n in plan.nearest:
        assert later[n.start:n.end] == n.text and n.end <= plans_at  # never the later report's own plans
    near = matcher.match("开展“送法进村”活动不少于30场。")  # told in other words: the passage is among the nearest
    assert any("送法进乡村" in n.text for n in near.nearest)


def test_every_task_gets_nearest_passages_whatever_its_verdict():
    pair = fe.load_pairs(batch=4)[0]
    earlier, later = fe.read_pair(pair)
    plans = follow_up(earlier, later)
    assert {p.verdict for p in plans} >= {DONE, MISSING}
    assert all(p.nearest for p in plans if p.parts)
    assert all(len(p.nearest) <= 3 for p in plans)


def test_a_certain_verdict_never_comes_without_its_reason():
    """On every labelled pair, and in the JSON the CLI writes."""
    seen = 0
    for pair in fe.load_pairs():
        earlier, later = fe.read_pair(pair)
        for plan in follow_up(earlier, later):
            d = plan.to_dict()
            assert isinstance(d["certain"], bool)
            if d["certain"]:
                seen += 1
                assert d["reason"].strip(), plan.text
    assert seen > 50


def test_the_tuning_batches_meet_the_aim():
    """The rule as chosen on batches 1–8, less the kinds of reason that failed on fresh batches at first scoring
    (tests/bench/certainty_cv.py): certain verdicts at least 0.97 precise pooled over them and at least 0.95 on
    each — the margin a fresh batch needs to stay above 0.90 — with a share of at least 0.42 over them."""
    pooled = fe.Scores()
    for batch in (1, 3, 4, 5, 6, 7, 8):
        s = fe.score(fe.app_matcher, fe.load_pairs(batch=batch))
        assert s.certain_no_reason == 0
        assert s.certain_precision >= 0.95, (batch, s.certain_line())
        pooled.total += s.total
        pooled.certain += s.certain
        pooled.certain_right += s.certain_right
    assert pooled.certain_precision >= 0.97, pooled.certain_line()
    assert pooled.coverage >= 0.42, pooled.certain_line()


# A second invented later report, with the near-misses of a fresh batch: a step of another document, a count of new
# ones beside the total, a whole promised and a part reported, a slogan told in other words, the shortcomings naming
# what the outcomes report.
LATER_TOO = """梧溪区司法局2024年法治政府建设年度报告

2024年，区司法局坚持依法行政，各项工作取得新进展。

一、2024年法治政府建设主要举措和成效

（一）强化法治督察。结合年度考核，组成3个督察组，对14个区属部门开展实地督察，发现问题58个，督促整改52个。\
对12个区属部门制发的文件开展合法性审查，提出修改意见31条。全区8个街道公共法律服务工作站实现全覆盖，全年提供法律咨询1.6万人次。

（二）加强执法协作。通过“吹哨”机制召集城管、市场监管、消防等部门联合执法42次，解决跨部门执法难题63个。

（三）健全制度体系。编制公布区政府年度重大行政决策事项目录，将5项事项纳入目录管理，严格履行公众参与、专家论证、\
风险评估、合法性审查和集体讨论决定程序。《梧溪区行政执法监督办法》已形成送审稿，先后两轮征求各镇街和社会公众意见。

（四）优化政务服务。新增政务服务高频事项“跨区通办”9项，累计达到17项。全年新增公职律师2名，全局公职律师总数达到8名。

（五）繁荣法治文化。投入资金38万元，在9个社区建成法治文化长廊。培育小区“法律明白人”168名，实现每个网格至少1名。\
举办“宪法宣传周”集中宣传活动，发放宣传资料1.2万份。在上年城区试点基础上，为全区中小学聘请法律顾问，实现中小学法律顾问全覆盖。

二、存在的不足和原因

一是法治督察覆盖面不够，区属部门实地督察尚未全覆盖。二是法治文化阵地建设不平衡，仍有5个社区未建成法治文化长廊。\
三是行政复议咨询受理点尚未在街道设立。

三、2025年工作安排

（一）与区法院共建区级法治教育基地。（二）在街道设立行政复议咨询受理点。
"""


@pytest.fixture(scope="module")
def matcher_too():
    return Matcher(read_text(LATER_TOO, "later.txt"))


def test_a_quoted_name_the_later_report_uses_is_not_certainly_unreported(matcher_too):
    """Told in other words (“吹哨”机制 for “街道吹哨、部门报到”): the overlap is low, but the name's own words are there."""
    plan, sure = _sure(matcher_too, "建立“街道吹哨、部门报到”执法协作机制。")
    assert plan.verdict == MISSING and not sure.certain and "街道吹哨、部门报到" in sure.reason
    assert plan.echoes == ("街道吹哨、部门报到",)
    plan, sure = _sure(matcher_too, "编印《梧溪区典型执法案例汇编》。")  # its name nowhere: certain, and says so
    assert plan.verdict == MISSING and sure.certain and "也没有提到“梧溪区典型执法案例汇编”" in sure.reason


def test_a_task_the_later_shortcomings_name_is_not_certainly_done(matcher_too):
    for task in ("组织开展区属部门实地督察全覆盖。", "建设社区法治文化长廊。"):  # 尚未全覆盖, 仍有5个社区未建成
        plan, sure = _sure(matcher_too, task)
        assert plan.verdict == DONE and not sure.certain, task
        assert "不足和原因" in sure.reason
        assert plan.why == ""  # the matcher's own remarks on an 已体现 task are unchanged


def test_a_promised_whole_must_be_said_of_the_same_thing(matcher_too):
    plan, sure = _sure(matcher_too, "对区属部门制发文件开展合法性审查全覆盖。")  # 对12个区属部门: how many, not all
    assert plan.verdict == DONE and not sure.certain and "全覆盖" in sure.reason
    plan, sure = _sure(matcher_too, "培育“法律明白人”，实现每个小区1名。")  # 每个网格 is not 每个小区
    assert plan.verdict == DONE and not sure.certain and "每个" in sure.reason
    for task in ("实现街道公共法律服务工作站全覆盖。", "培育“法律明白人”，实现每个网格1名。"):  # said of the same thing
        plan, sure = _sure(matcher_too, task)
        assert plan.verdict == DONE and sure.certain, task


def test_a_named_document_must_be_named_in_the_evidence(matcher_too):
    """《…实施办法》 against a sentence on the 决策事项目录: the generic 实施办法 aside, the words match, the document
    is not there."""
    plan, sure = _sure(matcher_too, "制定出台《梧溪区重大行政决策程序实施办法》。")
    assert plan.verdict == DONE and not sure.certain
    assert "没有写明“梧溪区重大行政决策程序实施办法”" in sure.reason


def test_a_short_figure_must_count_what_the_task_counts(matcher_too):
    plan, sure = _sure(matcher_too, "实现政务服务高频事项“跨区通办”15项。")  # 新增9项 short, 累计17项 reaches it
    assert plan.verdict == PARTLY and not sure.certain and "17项" in sure.reason
    plan, sure = _sure(matcher_too, "公职律师人数达到10名。")  # 新增2名 is no answer; 总数8名 is, and short
    assert plan.verdict == PARTLY and sure.certain
    assert "安排 10名，本年 8名" in sure.reason and "本年 2名" not in sure.reason


def test_a_smaller_step_must_be_told_of_the_task_itself(matcher_too):
    plan, sure = _sure(matcher_too, "设立行政复议咨询受理点，实现镇街全覆盖。")  # a 送审稿 of another document, beside 镇街
    assert plan.verdict == PARTLY and not sure.certain and "“送审稿”说的可能不是这项安排" in sure.reason
    plan, sure = _sure(matcher_too, "为全区中小学聘请法律顾问。")  # 在上年试点基础上…实现全覆盖: the pilot led to it
    assert plan.verdict == PARTLY and not sure.certain and "试点" in sure.reason
    plan, sure = _sure(matcher_too, "制定《梧溪区行政执法监督办法》。")  # the task's own document at 送审稿
    assert plan.verdict == PARTLY and sure.certain and "送审稿" in sure.reason


def test_one_part_reported_and_another_named_again_waits_for_the_reviewer(matcher_too):
    """A kind of certainty that held on every tuning batch and failed on both fresh batches it fired on (2 of 6 right):
    the part named again may be the unit's next step, not a part left undone. The split is still told, to decide fast."""
    plan, sure = _sure(matcher_too, "举办“宪法宣传周”集中宣传活动，共建区级法治教育基地。")
    assert plan.verdict == PARTLY and not sure.certain
    assert "“举办“宪法宣传周”集中宣传活动”有明确依据" in sure.reason and "下一年度安排" in sure.reason
    assert sure.reason.endswith("请确认")
    assert plan.again_parts == ("共建区级法治教育基地",)


def test_an_aim_the_later_report_does_not_tell_of_keeps_done_waiting(matcher_too):
    """已体现 with the act found and its aim (降低…, 提高…满意度) not even loosely told of: the weakest kind of certain
    已体现 on the fresh batches at first scoring, so the reviewer decides; an aim told of stays certain."""
    for task in ("召集城管、市场监管等部门开展联合执法，切实降低群众投诉举报数量。",
                 "举办“宪法宣传周”集中宣传活动，提高群众对法治建设的满意度。"):
        plan, sure = _sure(matcher_too, task)
        assert plan.verdict == DONE and not sure.certain, task
        assert "没有说到" in sure.reason, sure.reason
    plan, sure = _sure(matcher_too, "举办“宪法宣传周”集中宣传活动。")
    assert plan.verdict == DONE and sure.certain


def test_a_short_figure_not_found_in_the_sentence_shown_is_never_stated():
    """The matcher's note says 本年 2名, but the sentence it shows gives no such figure: nothing to state as a fact,
    and a certain verdict would have had an empty reason."""
    shown = Evidence(0, 20, "全年组织公职律师培训3次。")
    part = PartMatch("公职律师人数达到10名", 10.0, False, 0.62, shown, reached=False, named=0.62, figure=shown,
                     notes=("公职律师：安排 10名，本年 2名",))
    plan = PlanMatch("公职律师人数达到10名。", "", PARTLY, 0.62, (shown,), (part,))
    sure = certainty(plan)
    assert not sure.certain and sure.reason == "数字目标的依据不明确，请确认"


# A third invented later report (issue 23, the rule of batches 1–6): figures at two levels in one sentence, a rate of
# 100% told in words, a document whose content lists the steps it governs.
LATER_THREE = """桐溪县司法局2024年法治政府建设年度报告

一、2024年法治政府建设主要举措和成效

（一）健全制度。出台《桐溪县行政规范性文件管理办法》，对文件起草、审核、公布、备案和清理作出规定。\
《桐溪县行政执法证据规则》已完成起草，正在征求意见。

（二）基层法治。全年新增省级民主法治示范村7个，市级民主法治示范村15个。\
全县28家二级以上医院均聘请了常年法律顾问，为医院合同审查和纠纷处理提供法律意见。\
全县36所中学中30所配备了法治副校长。\
县青少年法治教育基地建成开放，设置宪法展厅、模拟法庭等6个功能区。\
全县存量违法建设整改率达到82%，其中3个乡镇整改率超过95%。\
年初经县政府常务会议研究，向社会公布县政府重大行政决策事项目录5项。

二、存在的不足和原因

基层法治力量仍然薄弱。

三、2025年工作安排

继续推进法治乡村建设。
"""


@pytest.fixture(scope="module")
def matcher_three():
    return Matcher(read_text(LATER_THREE, "later.txt"))


def test_a_figure_is_compared_in_the_clause_of_its_own_level(matcher_three):
    """省级…7个 beside 市级…15个: the clause of the figure compared names the level promised."""
    plan, sure = _sure(matcher_three, "创建省级民主法治示范村5个。")
    assert plan.verdict == DONE and sure.certain and "数字目标已达到" in sure.reason


def test_a_promised_rate_of_all_told_in_words_of_the_same_thing_is_reached(matcher_three):
    plan, sure = _sure(matcher_three, "二级以上医院法律顾问配备率达到100%。")  # 28家…均聘请了常年法律顾问
    assert plan.verdict == DONE and sure.certain, sure.reason
    plan, sure = _sure(matcher_three, "中学法治副校长配备率达到100%。")  # 36所中30所: a count, and not all
    assert not sure.certain


def test_a_stage_word_listed_among_a_documents_steps_is_no_stage(matcher_three):
    plan, sure = _sure(matcher_three, "制定《桐溪县行政规范性文件管理办法》。")  # 对文件起草、审核、公布…作出规定
    assert plan.verdict == DONE and sure.certain, sure.reason
    plan, sure = _sure(matcher_three, "制定《桐溪县行政执法证据规则》。")  # 已完成起草: the document is not out yet
    assert not (plan.verdict == DONE and sure.certain)


def test_a_figure_naming_another_thing_after_it_is_not_the_one_promised(matcher_three):
    """6个功能区 counts rooms, not the 教育基地 promised (2个): the promised figure is not reported."""
    plan, sure = _sure(matcher_three, "建成青少年法治教育基地2个。")
    assert not sure.certain and "没有对应的数字" in sure.reason


def test_a_clause_telling_the_effect_is_an_aim_not_a_second_act():
    """，压缩裁量空间 / ，形成执法合力 / ，规范…行为 after the act: what it is for, not a part to report."""
    for task, effect in (("修订行政处罚裁量基准，压缩裁量空间。", "压缩裁量空间"),
                         ("建立联合执法协作机制，形成执法合力。", "形成执法合力"),
                         ("建立鉴定机构名录库，规范房屋安全鉴定行为。", "规范房屋安全鉴定行为")):
        assert (effect, True) in split_parts(task), task


def test_a_figure_of_a_subset_does_not_reach_the_whole(matcher_three):
    """82% for the county, 其中 3 towns above 95%: the target (90%) is short, and that is certain."""
    plan, sure = _sure(matcher_three, "存量违法建设整改率达到90%。")
    assert plan.verdict == PARTLY and sure.certain and "安排 90%，本年 82%" in sure.reason


def test_a_document_the_task_makes_must_be_named_as_one(matcher_three):
    """制定…目录管理办法 against a sentence publishing the 目录 itself: the list is there, the rules for it are not."""
    plan, sure = _sure(matcher_three, "制定县政府重大行政决策事项目录管理办法。")
    assert plan.verdict == DONE and not sure.certain and "“办法”" in sure.reason
