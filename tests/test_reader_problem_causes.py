"""A problems chapter that gives the problems in one list and the causes in a second.

Every text is an invented report (units, names and wording made up) in layouts writers of real reports use: the
problems numbered from （一） (or 1.), then a label line ('产生上述问题的原因主要有：', '存在问题的原因：') and the
causes numbered from （一） again; or two sub-headings '（一）存在的问题' / '（二）原因分析' each with its 1. 2. 3.
The problems are the problems (work items, count, answered); the causes are the chapter's cause analysis, a group
of their own in the tree (the label its heading), neither problems nor a repeated number."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_text
from desktop.review.checks import run_checks

from test_reader_closing_plans import ACHIEVEMENTS, FIRST, OPENING, TITLE  # one invented report head for both

PLANS = ("四、2025年工作安排\n"
         "（一）加强基层执法队伍建设。年内组织乡镇执法人员轮训2次，充实基层执法力量。\n"
         "（二）创新普法宣传方式。开展以案释法活动20场，丰富法治宣传形式。\n"
         "（三）提升行政复议质效。复议案件平均审理周期缩短至45天，发挥复议纠错作用。\n")
PROBLEMS = (
    "基层执法力量薄弱。乡镇综合执法队伍人员少，专业执法人员占比不高。",
    "法治宣传形式单一。普法活动以发放资料为主，群众参与度不高。",
    "行政复议纠错作用发挥不充分。复议案件审理周期偏长，纠错案件偏少。",
)
CAUSES = (
    "思想认识不到位。部分干部对法治政府建设的重要性认识不足，重业务轻法治。",
    "保障投入不足。基层执法经费和装备保障不够充分，人员培训机会少。",
)
LABELS = ("产生上述问题的原因主要有：", "存在问题的原因：", "究其原因，主要有以下几点：", "问题产生的原因")
CN = "一二三四五六七八九十"
MARKERS = {"paren": lambda i: f"（{CN[i - 1]}）", "arabic": lambda i: f"{i}．"}


def numbered(items, marker) -> str:
    return "".join(f"{marker(i)}{t}\n" for i, t in enumerate(items, 1))


def report(chapter: str) -> str:
    return TITLE + OPENING + ACHIEVEMENTS + FIRST + chapter + PLANS


def two_lists(label: str, marker, head: str = "三、存在的不足和原因\n") -> str:
    return report(head + numbered(PROBLEMS, marker) + label + "\n" + numbered(CAUSES, marker))


def problems(reading):
    return [w for w in reading.work_items if w.kind == "problem"]


def checks(reading) -> dict:
    found = run_checks(reading)
    for f in found:
        for e in f.evidence:
            assert reading.clean_text[e.start:e.end] == e.quote
    return {f.check: f for f in found}


def chapter(reading, number):
    return next(c for c in reading.outline if c.number == number)


def assert_offsets(reading):
    for item in reading.work_items:
        assert reading.clean_text[item.start:item.end] == item.text
    for sec in reading.sections():
        assert sec.start <= sec.title_start <= sec.title_end <= sec.end


# --- 1. a label line between the problems and the causes -------------------------------------------------------

@pytest.mark.parametrize("label", LABELS, ids=["chanshen", "cunzai", "jiuqi", "bare"])
@pytest.mark.parametrize("marker", MARKERS.values(), ids=MARKERS.keys())
def test_causes_after_a_label_line_are_a_group_of_their_own(label, marker):
    r = read_text(two_lists(label, marker))
    three = chapter(r, "三")
    assert [c.title for c in r.outline] == ["主要举措和成效", "党政主要负责人履行推进法治建设第一责任人职责情况",
                                           "存在的不足和原因", "2025年工作安排"]
    assert [s.title for s in three.children[:3]] == [p.split("。")[0] for p in PROBLEMS]
    causes = three.children[3]
    assert len(three.children) == 4
    assert causes.title == label.rstrip("：") and causes.label == "" and causes.role == "problems"
    assert causes.path == "三.§4"
    assert [s.title for s in causes.children] == [c.split("。")[0] for c in CAUSES]
    assert [s.number for s in causes.children] == ["一", "二"] if marker is MARKERS["paren"] else ["1", "2"]
    assert not any("重复" in w for w in r.warnings)
    assert_offsets(r)


@pytest.mark.parametrize("label", LABELS, ids=["chanshen", "cunzai", "jiuqi", "bare"])
@pytest.mark.parametrize("marker", MARKERS.values(), ids=MARKERS.keys())
def test_the_problems_are_the_first_list_only(label, marker):
    r = read_text(two_lists(label, marker))
    found = problems(r)
    assert [w.text.split("。")[0].lstrip("（一二三）1234．") for w in found] == [p.split("。")[0] for p in PROBLEMS]
    assert label.rstrip("：") not in found[-1].text  # the label line opens the causes, it ends no problem
    assert found[-1].text.endswith("纠错案件偏少。")
    assert not any(c.split("。")[0] in w.text for w in r.work_items for c in CAUSES)
    assert [w.kind for w in r.work_items].count("plan_theme") == 3
    assert_offsets(r)


@pytest.mark.parametrize("label", LABELS, ids=["chanshen", "cunzai", "jiuqi", "bare"])
def test_checks_count_the_problems_and_see_the_cause_analysis(label):
    found = checks(read_text(two_lists(label, MARKERS["paren"])))
    count = found["problems.count"]
    assert count.data["count"] == 3 and count.data["paths"] == ["三.(一)", "三.(二)", "三.(三)"]
    causes = found["problems.causes"]
    assert causes.result == "pass" and causes.data["general"] is True
    assert "专门的原因分析" in causes.explanation
    assert any(e.quote == label.rstrip("：") for e in causes.evidence)
    answered = found["problems.answered"]
    assert [p["problem"] for p in answered.data["pairs"]] == ["三.(一)", "三.(二)", "三.(三)"]
    assert answered.result == "pass"


def test_a_label_line_under_a_problems_section_of_a_combined_chapter():
    """'三、存在的问题及下一步打算' → '（一）存在的问题' with 1. 2. 3., a label, 1. 2., then '（二）下一步打算'."""
    chapter_text = ("三、存在的问题及下一步打算\n（一）存在的问题\n" + numbered(PROBLEMS, MARKERS["arabic"])
                    + "产生上述问题的原因主要有：\n" + numbered(CAUSES, MARKERS["arabic"])
                    + "（二）下一步打算\n1．加强基层执法队伍建设，年内组织执法人员轮训2次。\n"
                      "2．创新普法宣传方式，开展以案释法活动20场。\n")
    r = read_text(TITLE + OPENING + ACHIEVEMENTS + FIRST + chapter_text)
    first = chapter(r, "三").children[0]
    assert [s.path for s in first.children] == ["三.(一).1", "三.(一).2", "三.(一).3", "三.(一).§4"]
    assert [s.path for s in first.children[3].children] == ["三.(一).§4.1", "三.(一).§4.2"]
    assert chapter(r, "三").children[1].title == "下一步打算"
    assert not any("重复" in w for w in r.warnings)
    assert_offsets(r)


def test_a_label_line_after_a_lead_paragraph_opens_the_causes():
    """No numbered problems before the label: the causes are still no problems."""
    text = report("三、存在的不足和原因\n对照法治政府建设要求，我局工作还存在基层执法力量薄弱、法治宣传形式单一等问题。\n"
                  "产生上述问题的原因主要有：\n" + numbered(CAUSES, MARKERS["paren"]))
    r = read_text(text)
    three = chapter(r, "三")
    assert [s.title for s in three.children] == ["产生上述问题的原因主要有"]
    found = problems(r)
    assert len(found) == 1 and found[0].text.endswith("等问题。")
    assert not any(c.split("。")[0] in w.text for w in found for c in CAUSES)
    assert checks(r)["problems.causes"].result == "pass"
    assert_offsets(r)


# --- 2. two sub-headings: （一）存在的问题 / （二）原因分析 ------------------------------------------------------

@pytest.mark.parametrize("heads", [("存在的问题", "原因分析"), ("主要问题", "产生问题的原因"),
                                   ("存在的不足", "存在不足的原因")], ids=["fenxi", "chansheng", "buzu"])
def test_problem_and_cause_sub_headings(heads):
    chapter_text = (f"三、存在的不足和原因\n（一）{heads[0]}\n" + numbered(PROBLEMS, MARKERS["arabic"])
                    + f"（二）{heads[1]}\n" + numbered(CAUSES, MARKERS["arabic"]))
    r = read_text(report(chapter_text))
    three = chapter(r, "三")
    assert [s.title for s in three.children] == list(heads)
    assert [w.section for w in problems(r)] == ["三.(一).1", "三.(一).2", "三.(一).3"]
    found = checks(r)
    assert found["problems.count"].data["count"] == 3
    assert found["problems.causes"].result == "pass" and found["problems.causes"].data["general"] is True
    answered = found["problems.answered"]
    assert [p["problem"] for p in answered.data["pairs"]] == ["三.(一).1", "三.(一).2", "三.(一).3"]
    assert not any("重复" in w for w in r.warnings)
    assert_offsets(r)


def test_causes_as_a_numbered_section_after_the_problems():
    """'（四）存在问题的原因' after （一）…（三）, its causes 1. 2. under it: a cause analysis, not a fourth problem."""
    chapter_text = ("三、存在的不足和原因\n" + numbered(PROBLEMS, MARKERS["paren"]) + "（四）存在问题的原因\n"
                    + numbered(CAUSES, MARKERS["arabic"]))
    r = read_text(report(chapter_text))
    assert [w.section for w in problems(r)] == ["三.(一)", "三.(二)", "三.(三)"]
    found = checks(r)
    assert found["problems.count"].data["count"] == 3
    assert found["problems.causes"].data["general"] is True
    assert [p["problem"] for p in found["problems.answered"].data["pairs"]] == ["三.(一)", "三.(二)", "三.(三)"]


def test_unnumbered_chapters_keep_the_causes_inside_the_problems_chapter():
    """Chapters named without numbers: '存在问题的原因：' and its 一是 lines are the problems chapter's causes, not a
    second problems chapter."""
    text = (TITLE + OPENING + "主要举措和成效\n" + ACHIEVEMENTS.split("\n", 1)[1] + "存在的不足\n"
            + numbered(PROBLEMS[:2], MARKERS["paren"]) + "存在问题的原因：\n"
            + numbered(CAUSES, lambda i: f"{CN[i - 1]}是") + "下一步工作安排\n" + PLANS.split("\n", 1)[1])
    r = read_text(text)
    assert [(c.title, c.role) for c in r.outline] == [("主要举措和成效", "achievements"), ("存在的不足", "problems"),
                                                      ("下一步工作安排", "plans")]
    group = r.outline[1].children[2]
    assert group.title == "存在问题的原因" and [s.label for s in group.children] == ["一是", "二是"]
    assert [w.section for w in problems(r)] == ["§2.(一)", "§2.(二)"]
    assert_offsets(r)


# --- 3. what stays as it was -------------------------------------------------------------------------------------

def test_one_list_of_problems_with_their_causes_is_unchanged():
    items = [p.replace("。", "。主要原因是编制紧张。", 1) for p in PROBLEMS]
    r = read_text(report("三、存在的不足和原因\n" + numbered(items, MARKERS["paren"])))
    assert [s.path for s in chapter(r, "三").children] == ["三.(一)", "三.(二)", "三.(三)"]
    assert [w.section for w in problems(r)] == ["三.(一)", "三.(二)", "三.(三)"]
    causes = checks(r)["problems.causes"]
    assert causes.result == "pass" and causes.data["general"] is False


def test_a_cause_line_outside_a_problems_chapter_opens_no_group():
    """Words about causes in the results are text, and a list numbered again there is still a repeat."""
    achievements = ("一、主要举措和成效\n（一）健全依法决策机制。全年审查重大决策事项7项。\n"
                    "（二）规范行政执法行为。开展执法案卷评查3次。\n"
                    "案卷质量提升的原因：\n（一）评查标准统一。全市使用一套评查标准。\n")
    r = read_text(TITLE + OPENING + achievements + FIRST + "三、存在的不足\n" + numbered(PROBLEMS, MARKERS["paren"])
                  + PLANS)
    one = chapter(r, "一")
    assert [s.path for s in one.children] == ["一.(一)", "一.(二)", "一.(一)#2"]
    assert any("重复" in w for w in r.warnings)


def test_a_problem_sentence_naming_causes_is_no_label():
    """A problem line that speaks of causes but ends a sentence is a problem's text, not the causes' heading."""
    items = list(PROBLEMS) + ["原因分析不够深入，整改措施针对性不强。"]
    r = read_text(report("三、存在的不足和原因\n" + numbered(items, MARKERS["paren"])))
    assert [w.section for w in problems(r)] == ["三.(一)", "三.(二)", "三.(三)", "三.(四)"]
