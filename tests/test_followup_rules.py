"""The follow-up matcher's rules one at a time: wording of other lengths, promised figures, heads of words, fields."""
from __future__ import annotations

import pytest

from desktop.followup.concepts import concept_keys, concept_spans
from desktop.followup.matcher import DONE, MISSING, PARTLY, Matcher, head_runs
from desktop.followup.targets import reached, reported, targets
from desktop.followup.text import normalise
from desktop.report.extract import read_text

LATER = """云溪县司法局2024年法治政府建设年度报告

2024年，县司法局坚持依法行政，各项工作取得新进展。

一、2024年法治政府建设主要举措和成效

（一）规范行政执法。印发《云溪县轻微违法行为不予行政处罚清单》，全年对52起首次轻微违法行为依法不予处罚。县司法局组织开展行政执法监督检查4次，发现并督促整改问题37个。全县行政诉讼一审收案96件，行政机关负责人出庭应诉率达97.5%，较上年提高4个百分点。行政诉讼败诉率3.2%。

（二）化解行政争议。全年办理行政复议案件143件，纠错率12.6%。县行政争议调解中心全年调解成功率46.1%。

（三）优化法律服务。全县9个乡镇公共法律服务工作站实现全覆盖，全年提供法律咨询1.2万人次。新建个人品牌调解工作室7家。

（四）深化基层执法改革。向9个乡镇（街道）下放行政执法事项74项，事项目录向社会公布。《云溪县行政执法监督办法（征求意见稿）》已完成起草。在2个乡镇试点“街乡吹哨”执法协作机制。行政处罚决定全部在县政府门户网站向社会公开。全县公职律师增至8名。

（五）带头尊法学法。县政府常务会议全年会前学法6次。

二、党政主要负责人履行推进法治建设第一责任人职责情况

县委常委会、县政府常务会议先后3次专题研究法治政府建设工作。

三、存在的不足和原因

行政执法监督员队伍尚未建立，法律顾问作用发挥不够。

四、2025年工作安排

（一）建立行政执法监督员制度。（二）实现政府法律顾问对各乡镇全覆盖。
"""


@pytest.fixture(scope="module")
def matcher():
    return Matcher(read_text(LATER, "later.txt"))


def test_the_same_matter_in_words_of_another_length_is_found(matcher):
    hit = matcher.match("推行包容审慎监管“首违不罚”清单。")
    assert hit.verdict == DONE
    assert "不予行政处罚清单" in hit.evidence[0].text
    assert matcher.match("县委常委会每年听取法治政府建设工作汇报不少于2次。").verdict == DONE  # 3次专题研究


def test_a_shared_word_without_the_head_of_the_task_is_not_a_mention(matcher):
    # 监督检查 is not a 监督员 team; case numbers are not a 工作规范; 法律服务 is not 法律顾问
    team = matcher.match("建立行政执法监督员制度，从人大代表、政协委员中聘请特邀行政执法监督员。")
    assert team.verdict == MISSING
    # not an outcome, but worth telling the reviewer: the later report names it as undone and plans it again
    assert team.why == "本年报告的“不足和原因”中再次提到；本年报告的“下一年度安排”中再次提到"
    assert matcher.match("制定行政复议案件办理工作规范。").verdict == MISSING
    assert matcher.match("实现政府法律顾问对全县9个乡镇全覆盖。").verdict == MISSING
    assert matcher.match("建成乡镇公共法律服务工作站全覆盖。").verdict == DONE  # what the sentence does say


def test_a_promised_figure_decides_against_the_later_figure(matcher):
    short = matcher.match("推动行政机关负责人出庭应诉率达到100%。")
    assert short.verdict == PARTLY
    assert "出庭应诉率达97.5%" in short.evidence[0].text
    assert matcher.match("行政诉讼败诉率控制在5%以内。").verdict == DONE
    assert matcher.match("健全行政争议调解中心运行机制，调解成功率达到40%以上。").verdict == DONE
    assert matcher.match("新建个人品牌调解工作室5家。").verdict == DONE
    assert matcher.match("新建个人品牌调解工作室10家。").verdict == PARTLY


def test_a_smaller_step_than_the_task_is_partly_reported(matcher):
    assert matcher.match("出台《云溪县行政执法监督办法》。").verdict == PARTLY  # only a 征求意见稿
    pilot = matcher.match("在全县推行“街乡吹哨”执法协作机制。")
    assert pilot.verdict == PARTLY and pilot.why == "本年报告写的是“试点”"  # a pilot in 2 towns
    assert matcher.match("在2个乡镇试点“街乡吹哨”执法协作机制。").verdict == DONE  # the task was the pilot


def test_figures_in_words_and_counted_per_year(matcher):
    whole = matcher.match("严格执法公示，行政处罚决定向社会公开率达到100%。")
    assert whole.parts[-1].reached is True  # 全部…公开 reaches 100%
    assert any("全部在县政府门户网站" in e.text for e in whole.evidence)
    assert matcher.match("加强公职律师队伍建设，公职律师人数达到10名。").verdict == PARTLY  # 8名
    assert matcher.match("县政府常务会议会前学法每年不少于4次。").verdict == DONE  # 6次
    assert matcher.match("县政府常务会议会前学法每年不少于8次。").verdict == PARTLY


def test_targets_are_read_with_their_words_and_direction():
    (t,) = targets("推动行政机关负责人出庭应诉率达到100%")
    assert (t.value, t.measure, t.cap) == (100.0, "%", False) and t.before.endswith("应诉率")
    (cap,) = targets("行政诉讼败诉率控制在5%以内")
    assert cap.cap and reached(cap, 3.2) and not reached(cap, 6.1)
    (floor,) = targets("考核权重不低于5%")
    assert not floor.cap and reached(floor, 6.0)
    (count,) = targets("新建5个村级法律服务点")
    assert count.after.startswith("村级")
    assert reported(count, "全年新建7个村级法律服务点") == 7.0
    assert reported(count, "全年办理案件7个") is None  # the same measure word about something else
    assert targets("推进法治政府建设") == []


def test_concepts_and_heads():
    assert concept_keys("印发不予行政处罚清单") == concept_keys("推行首违不罚")
    assert not concept_keys("广泛听取群众意见")  # 听取 only counts before a 汇报
    assert concept_spans("每年听取2次工作汇报")
    heads = [normalise("法律顾问对")[h] for _s, _e, h in head_runs(normalise("法律顾问对"))]
    assert heads == ["问"]  # a trailing function character is not the head
