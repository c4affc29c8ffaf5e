"""Plans chapters laid out as lists: a lead-in line that announces the list, and one task sentence per line.

Every text is an invented report (units, names and wording made up) in the layouts writers of realistic
reports used: a lead-in such as '2024年，我委将重点做好以下工作：' is no task, and numbered lines that are whole
task sentences ('1．制定…；', '（一）推进…。', '一是…；') are tasks, not theme headings; a short title line with a
paragraph under it stays a theme."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_text

HEAD = """松溪市发展和改革委员会2023年度法治政府建设情况报告
2023年，市发展改革委坚持依法行政，认真落实法治政府建设各项任务，依法履职水平不断提升。现将有关情况报告如下。
一、主要举措和成效
（一）健全依法决策机制。制定委党组重大行政决策程序规定，全年对8项重大决策事项开展合法性审查。
（二）规范行政执法行为。全面落实行政执法三项制度，开展执法案卷评查2次，评查案卷46卷。
（三）深化普法宣传教育。组织干部职工集中学法6次，开展价格法宣传活动12场。
二、党政主要负责人履行推进法治建设第一责任人职责情况
委主要负责同志带头学法用法，主持召开党组会研究法治建设工作3次，对年度法治工作亲自部署、亲自督办。
三、存在的不足
一是部分干部运用法治思维解决问题的能力还不够强；二是执法队伍专业化水平有待提高。
"""

# Thirteen invented plan items; the layouts below print them one per line or run together.
ITEMS = (
    "制定《松溪市发展改革系统行政裁量权基准实施办法》，规范自由裁量权行使",
    "推进政务诚信建设，开展政府失信问题专项治理",
    "修订委机关合法性审查工作规则，推行重大决策事项清单管理",
    "开展行政执法案卷评查，年内评查案卷不少于50卷",
    "组织执法人员业务轮训，全年培训不少于40学时",
    "建成价格监测数据共享平台，实现与市场监管部门数据互通",
    "深化“放管服”改革，压减审批事项办理时限",
    "完善公平竞争审查机制，开展存量政策文件清理",
    "落实行政机关负责人出庭应诉制度",
    "建立法律顾问参与重大项目审查工作机制",
    "开展招标投标领域突出问题专项整治",
    "编制委机关权责清单并向社会公布",
    "举办“法治发改”主题宣传月活动",
)
CN = "一二三四五六七八九十"
LEAD_IN = "2024年，我委将重点做好以下工作："


def report(plans: str) -> str:
    return HEAD + plans


def numbered(items, marker, last="。", sep="；") -> str:
    return "\n".join(f"{marker(i)}{t}{last if i == len(items) else sep}" for i, t in enumerate(items, 1))


def cn(i: int) -> str:
    return CN[i - 1] if i <= 10 else "十" + CN[i - 11]


def tasks(reading):
    return [w for w in reading.work_items if w.kind == "plan_task"]


def themes(reading):
    return [w for w in reading.work_items if w.kind == "plan_theme"]


def assert_offsets(reading):
    for item in reading.work_items:
        assert reading.clean_text[item.start:item.end] == item.text


def assert_whole_report(reading):
    assert [(c.number, c.role) for c in reading.outline] == [
        ("一", "achievements"), ("二", "first_responsible"), ("三", "problems"), ("四", "plans")]
    assert [w.kind for w in reading.work_items].count("achievement") == 3
    assert_offsets(reading)


@pytest.mark.parametrize("lead_in", [
    LEAD_IN,
    "2025年，区政府将围绕法治政府建设示范创建目标，重点抓好以下工作：",
    "下一步，我委将从以下几个方面推进法治建设：",
    "2024年法治政府建设工作安排如下：",
], ids=["yixia_gongzuo", "long_lead_in", "jige_fangmian", "ruxia"])
def test_lead_in_before_theme_headings_is_no_task(lead_in):
    r = read_text(report(f"四、2024年工作计划\n{lead_in}\n（一）加强制度建设。修订委机关合法性审查工作规则。推行重大决策事项清单管理。\n"
                         "（二）强化执法监督。开展行政执法案卷评查。\n"))
    assert_whole_report(r)
    assert [t.title for t in themes(r)] == ["加强制度建设", "强化执法监督"]
    assert [t.text for t in tasks(r)] == ["修订委机关合法性审查工作规则。", "推行重大决策事项清单管理。", "开展行政执法案卷评查。"]


def test_lead_in_inside_a_theme_is_no_task():
    r = read_text(report("四、下一步工作打算\n（一）加强制度建设\n围绕规范决策，重点做好以下工作：\n1．修订委机关合法性审查工作规则；\n"
                         "2．推行重大决策事项清单管理。\n（二）强化执法监督\n开展行政执法案卷评查。\n"))
    assert_whole_report(r)
    assert [t.title for t in themes(r)] == ["加强制度建设", "强化执法监督"]
    assert [t.text for t in tasks(r)] == ["修订委机关合法性审查工作规则", "推行重大决策事项清单管理。", "开展行政执法案卷评查。"]


def test_numbered_list_one_item_per_line_gives_one_task_per_item():
    r = read_text(report(f"四、下一步工作计划\n{LEAD_IN}\n" + numbered(ITEMS, lambda i: f"{i}．") + "\n"))
    assert_whole_report(r)
    assert themes(r) == []
    found = tasks(r)
    assert [t.text for t in found] == [*ITEMS[:-1], ITEMS[-1] + "。"]
    assert {t.title for t in found} == {"下一步工作计划"}
    assert [t.section for t in found] == [f"四.{i}" for i in range(1, 14)]  # the outline keeps each numbered line
    assert r.metadata.plan_year == 2024


@pytest.mark.parametrize("marker", [lambda i: f"（{cn(i)}）", lambda i: f"{cn(i)}是", lambda i: f"{i}、"],
                         ids=["paren", "yishi", "arabic_dun"])
@pytest.mark.parametrize("sep", ["；", "。"], ids=["semicolon", "full_stop"])
def test_other_one_per_line_lists_give_one_task_per_item(marker, sep):
    items = ITEMS[:5]
    r = read_text(report(f"四、2024年工作安排\n{LEAD_IN}\n" + numbered(items, marker, sep=sep) + "\n"))
    assert_whole_report(r)
    assert themes(r) == []
    expected = [t + ("。" if sep == "。" or i == len(items) else "") for i, t in enumerate(items, 1)]
    assert [t.text for t in tasks(r)] == expected


def test_one_per_line_list_reads_like_the_same_list_run_together():
    lines = read_text(report(f"四、下一步工作计划\n{LEAD_IN}\n" + numbered(ITEMS, lambda i: f"{i}．") + "\n"))
    run_on = read_text(report(f"四、下一步工作计划\n{LEAD_IN}" + numbered(ITEMS, lambda i: f"{i}．").replace("\n", "") + "\n"))
    assert len(run_on.outline[-1].children) == 0
    assert [t.text for t in tasks(lines)] == [t.text for t in tasks(run_on)]


def test_list_with_a_long_item_and_a_closing_line():
    long_item = ("制定《松溪市发展改革系统行政裁量权基准实施办法》，统一全系统行政处罚裁量尺度，明确从轻、减轻和不予处罚的情形，"
                 "规范自由裁量权行使，防止执法随意")
    closing = "我委将以更加务实的作风抓好落实，推动法治政府建设再上新台阶。"
    r = read_text(report(f"四、下一步工作计划\n{LEAD_IN}\n" + numbered((long_item, *ITEMS[1:3]), lambda i: f"{i}．")
                         + f"\n{closing}\n"))
    assert_whole_report(r)
    assert themes(r) == []
    assert [t.text for t in tasks(r)] == [long_item, *ITEMS[1:2], ITEMS[2] + "。", closing]


def test_list_items_keep_their_owners():
    r = read_text(report("四、2024年工作安排\n1．修订委机关合法性审查工作规则；\n（牵头单位：委法规处）\n"
                         "2．开展行政执法案卷评查。（责任单位：委执法监督处）\n3．推行重大决策事项清单管理。\n"))
    assert themes(r) == []
    assert [(t.text, t.lead_unit) for t in tasks(r)] == [("修订委机关合法性审查工作规则", "委法规处"),
                                                         ("开展行政执法案卷评查。", "委执法监督处"),
                                                         ("推行重大决策事项清单管理。", None)]


@pytest.mark.parametrize("title_end", ["", "。"], ids=["bare", "full_stop"])
def test_short_title_lines_with_paragraphs_stay_themes(title_end):
    r = read_text(report(f"四、2024年工作计划\n{LEAD_IN}\n（一）加强制度建设{title_end}\n修订委机关合法性审查工作规则。"
                         f"推行重大决策事项清单管理。\n（二）强化执法监督{title_end}\n开展行政执法案卷评查。\n"))
    assert_whole_report(r)
    assert [(t.section, t.title) for t in themes(r)] == [("四.(一)", "加强制度建设"), ("四.(二)", "强化执法监督")]
    assert [(t.section, t.text) for t in tasks(r)] == [
        ("四.(一)", "修订委机关合法性审查工作规则。"), ("四.(一)", "推行重大决策事项清单管理。"), ("四.(二)", "开展行政执法案卷评查。")]


def test_a_list_needs_every_section_to_be_one_sentence():
    """One heading with a paragraph among sentence lines: the sections stay themes, as before."""
    r = read_text(report("四、2024年工作计划\n（一）修订委机关合法性审查工作规则，推行重大决策事项清单管理。\n"
                         "（二）强化执法监督\n开展行政执法案卷评查。组织执法人员业务轮训。\n"))
    assert [t.section for t in themes(r)] == ["四.(一)", "四.(二)"]
    assert [t.text for t in tasks(r)] == ["修订委机关合法性审查工作规则，推行重大决策事项清单管理。", "开展行政执法案卷评查。",
                                          "组织执法人员业务轮训。"]


@pytest.mark.parametrize("joined", [False, True], ids=["one_per_line", "run_together"])
def test_items_that_begin_with_a_year_are_list_items(joined):
    # '1．2024年底前…' is item 1, not the number 1.2024: the first line was read as text of the chapter
    items = ["2024年6月底前修订委机关合法性审查工作规则", *ITEMS[1:4], "2024年底前建成价格监测数据共享平台"]
    body = numbered(items, lambda i: f"{i}．")
    r = read_text(report(f"四、下一步工作计划\n{LEAD_IN}" + ("\n" + body if not joined else body.replace("\n", "")) + "\n"))
    assert_whole_report(r)
    assert [t.text for t in tasks(r)] == [*items[:-1], items[-1] + "。"]
    if not joined:
        assert [t.section for t in tasks(r)] == [f"四.{i}" for i in range(1, 6)]


def _plan_tasks(plans: str):
    reading = read_text(HEAD + "四、2024年工作安排\n" + plans)
    return [w for w in reading.work_items if w.kind == "plan_task"]


def test_a_list_of_two_after_a_heading_sentence_is_two_tasks():
    """'（一）题。一是A；二是B。' — with no 三是 the two items were read as one task holding '；二是'."""
    tasks = _plan_tasks("（一）深化依法决策。一是修订委机关合法性审查工作规则；二是推行重大决策事项清单管理。\n"
                        "（二）加强执法监督。开展行政执法案卷评查，年内评查案卷不少于50卷。\n")
    texts = [t.text for t in tasks]
    assert texts[0].startswith("修订委机关合法性审查工作规则") and "二是" not in texts[0]
    assert texts[1].startswith("推行重大决策事项清单管理")
    assert len(tasks) == 3


@pytest.mark.parametrize("lead,partner", [("责任处室", None), ("牵头处室", "配合处室"), ("牵头科室", "配合科室")])
def test_a_bureau_names_its_divisions_as_owners(lead, partner):
    """A bureau's plans name 处室/科室, not 单位: the bracket was read as a task of its own with no owner."""
    note = f"（{lead}：法规处" + (f"，{partner}：办公室）" if partner else "）")
    tasks = _plan_tasks(f"（一）加强队伍建设。全年组织执法人员业务轮训不少于40学时。{note}\n"
                        "（二）推进智慧监管。建成价格监测数据共享平台并正式上线。\n")
    assert [t.text for t in tasks] == ["全年组织执法人员业务轮训不少于40学时。", "建成价格监测数据共享平台并正式上线。"]
    assert tasks[0].lead_unit == "法规处"
    assert tasks[0].partner_units == ("办公室" if partner else None)


def test_thirteen_items_run_together_in_one_sentence_give_thirteen_tasks():
    """'…；十是…；十一是…；十二是…' in one paragraph: the two-character ordinals open items as 一是 does (issue 23:
    a plan task holding three items made one follow-up verdict for three plans)."""
    run_on = "".join(f"{cn(i)}是{t}{'。' if i == len(ITEMS) else '；'}" for i, t in enumerate(ITEMS, 1))
    r = read_text(report(f"四、2024年工作安排\n{LEAD_IN}{run_on}\n"))
    assert_whole_report(r)
    assert [t.text for t in tasks(r)] == [*ITEMS[:-1], ITEMS[-1] + "。"]
