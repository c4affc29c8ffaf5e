"""Plans without a plans chapter, and owner notes on the line of a list item.

Every text is an invented report (units, names and wording made up) in layouts writers of real reports use:
a report whose last chapter (problems, first responsible, or its only chapter of achievements) ends with a
forward-looking lead-in ('下一步，我局将重点做好以下工作：', '2025年，我们将…：') and the plan lines after it,
one a line or run together in one paragraph; and list lines that carry their owners after the ；or 。
('1．修订…；（牵头单位：…，配合单位：…）')."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_text

TITLE = "桐川市司法局2024年度法治政府建设情况报告\n"
OPENING = "2024年，市司法局坚持依法行政，认真落实法治政府建设各项任务，依法履职水平不断提升。现将有关情况报告如下。\n"
ACHIEVEMENTS = ("一、主要举措和成效\n"
                "（一）健全依法决策机制。制定局党组重大行政决策程序规定，全年对7项重大决策事项开展合法性审查。\n"
                "（二）规范行政执法行为。全面落实行政执法三项制度，开展执法案卷评查3次，评查案卷52卷。\n")
FIRST = ("二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
         "局主要负责同志带头学法用法，主持召开党组会研究法治建设工作5次，对年度法治工作亲自部署、亲自督办。\n")
PROBLEMS = "三、存在的不足\n一是部分干部运用法治思维解决问题的能力还不够强；二是基层执法队伍专业化水平有待提高。\n"
HEAD = TITLE + OPENING + ACHIEVEMENTS + FIRST + PROBLEMS

# Invented plan items; the layouts below print them one a line or run together.
ITEMS = (
    "修订行政处罚裁量基准，统一全系统处罚尺度",
    "开展行政执法案卷评查，年内评查案卷不少于60卷",
    "组织执法人员业务轮训，全年培训不少于40学时",
    "建立行政复议案件繁简分流工作机制",
)
CN = "一二三四五六七八九十"
LEAD_INS = ("下一步，我局将重点做好以下工作：", "2025年，我们将着力抓好以下几项工作：", "今后，我局将从以下方面持续发力：")


def numbered(items, marker, sep="；", last="。", joint="\n") -> str:
    return joint.join(f"{marker(i)}{t}{last if i == len(items) else sep}" for i, t in enumerate(items, 1))


def kinds(reading, kind):
    return [w for w in reading.work_items if w.kind == kind]


def texts(reading, kind="plan_task"):
    return [w.text for w in kinds(reading, kind)]


def expected(items, sep="；"):
    return [t + ("。" if sep == "。" or i == len(items) else "") for i, t in enumerate(items, 1)]


def assert_offsets(reading):
    for item in reading.work_items:
        assert reading.clean_text[item.start:item.end] == item.text


def assert_problems_end_before(reading, lead_in):
    """The problems are the chapter's own text: the plans after the lead-in are no problems."""
    problems = kinds(reading, "problem")
    assert [p.section for p in problems] == ["三"]
    assert problems[0].text.endswith("有待提高。")
    assert lead_in not in problems[0].text


# --- 1. plans closing the last chapter -------------------------------------------------------------------------

@pytest.mark.parametrize("lead_in", LEAD_INS, ids=["xiayibu", "year", "jinhou"])
@pytest.mark.parametrize("marker", [lambda i: f"{i}．", lambda i: f"（{CN[i - 1]}）", lambda i: f"{CN[i - 1]}是"],
                         ids=["arabic", "paren", "yishi"])
@pytest.mark.parametrize("sep", ["；", "。"], ids=["semicolon", "full_stop"])
def test_closing_list_one_item_a_line_gives_one_task_per_line(lead_in, marker, sep):
    r = read_text(HEAD + lead_in + "\n" + numbered(ITEMS, marker, sep) + "\n")
    assert [(c.number, c.role) for c in r.outline] == [("一", "achievements"), ("二", "first_responsible"),
                                                       ("三", "problems")]
    assert texts(r) == expected(ITEMS, sep)
    assert kinds(r, "plan_theme") == []
    assert_problems_end_before(r, lead_in)
    assert [w.kind for w in r.work_items].count("achievement") == 2
    assert r.metadata.plan_year == 2025
    assert_offsets(r)


def test_closing_list_lines_keep_their_place_in_the_outline():
    r = read_text(HEAD + LEAD_INS[0] + "\n" + numbered(ITEMS, lambda i: f"{i}．") + "\n")
    assert [t.section for t in kinds(r, "plan_task")] == ["三.1", "三.2", "三.3", "三.4"]
    assert {t.title for t in kinds(r, "plan_task")} == {"下一步"}


@pytest.mark.parametrize("lead_in", LEAD_INS, ids=["xiayibu", "year", "jinhou"])
@pytest.mark.parametrize("marker", [lambda i: f"{i}．", lambda i: f"{CN[i - 1]}是"], ids=["arabic", "yishi"])
def test_closing_list_run_together_in_one_paragraph(lead_in, marker):
    r = read_text(HEAD + lead_in + numbered(ITEMS, marker, joint="") + "\n")
    assert texts(r) == expected(ITEMS)
    assert_problems_end_before(r, lead_in)
    assert_offsets(r)


def test_lead_in_at_the_end_of_the_problems_paragraph():
    r = read_text(HEAD.rstrip("\n") + LEAD_INS[0] + numbered(ITEMS, lambda i: f"{i}．", joint="") + "\n")
    assert texts(r) == expected(ITEMS)
    assert_problems_end_before(r, LEAD_INS[0])
    assert_offsets(r)


def test_closing_after_the_first_responsible_chapter():
    head = TITLE + OPENING + ACHIEVEMENTS + PROBLEMS.replace("三、", "二、") + FIRST.replace("二、", "三、")
    r = read_text(head + LEAD_INS[1] + "\n" + numbered(ITEMS, lambda i: f"{i}．") + "\n")
    assert [c.role for c in r.outline] == ["achievements", "problems", "first_responsible"]
    assert texts(r) == expected(ITEMS)
    assert [w.kind for w in r.work_items] == ["achievement", "achievement", "problem", *["plan_task"] * 4]
    assert_offsets(r)


def test_closing_in_a_report_of_achievements_only():
    head = TITLE + OPENING + ACHIEVEMENTS
    r = read_text(head + LEAD_INS[1] + "\n" + numbered(ITEMS, lambda i: f"{i}．") + "\n")
    achievements = kinds(r, "achievement")
    assert [a.section for a in achievements] == ["一.(一)", "一.(二)"]
    assert achievements[-1].text.endswith("评查案卷52卷。")
    assert texts(r) == expected(ITEMS)
    assert_offsets(r)


def test_closing_paragraph_then_a_last_sentence():
    closing = "我局将以更加务实的作风抓好落实，推动法治政府建设再上新台阶。"
    r = read_text(HEAD + LEAD_INS[0] + "\n" + numbered(ITEMS[:2], lambda i: f"{i}．") + "\n" + closing + "\n")
    assert texts(r) == [*expected(ITEMS[:2]), closing]


def test_numbered_lines_without_a_lead_in_stay_achievements():
    """Numbered lines of an achievements chapter are no plans when no forward-looking lead-in comes before them."""
    head = TITLE + OPENING + "一、主要举措和成效\n全年重点做好了以下工作：\n"
    r = read_text(head + numbered(ITEMS, lambda i: f"{i}．") + "\n")
    assert kinds(r, "plan_task") == []
    assert [a.section for a in kinds(r, "achievement")] == ["一.1", "一.2", "一.3", "一.4"]


def test_a_lead_in_naming_the_report_year_looks_back():
    """'2024年，我局重点抓好…' in the report on 2024 tells what was done: no plans."""
    head = TITLE + OPENING + "一、主要举措和成效\n2024年，我局重点抓好以下工作：\n"
    r = read_text(head + numbered(ITEMS, lambda i: f"{i}．") + "\n")
    assert kinds(r, "plan_task") == []
    assert len(kinds(r, "achievement")) == 4


def test_a_closing_sentence_without_a_list_is_one_task():
    closing = "下一步，我局将继续深化行政执法规范化建设，推动法治政府建设再上新台阶。"
    r = read_text(HEAD + closing + "\n")
    assert texts(r) == [closing]
    assert_problems_end_before(r, closing)


def test_closing_lead_in_before_theme_headings():
    r = read_text(HEAD + LEAD_INS[0] + "\n（一）加强制度建设\n修订行政处罚裁量基准。推行重大决策事项清单管理。\n"
                  "（二）强化执法监督\n开展行政执法案卷评查。\n")
    assert [(t.section, t.title) for t in kinds(r, "plan_theme")] == [("三.(一)", "加强制度建设"), ("三.(二)", "强化执法监督")]
    assert texts(r) == ["修订行政处罚裁量基准。", "推行重大决策事项清单管理。", "开展行政执法案卷评查。"]
    assert_problems_end_before(r, LEAD_INS[0])


COMBINED = (TITLE + OPENING + ACHIEVEMENTS + FIRST + "三、存在的不足和下一步工作打算\n（一）存在的不足\n"
            "一是部分干部运用法治思维解决问题的能力还不够强；二是基层执法队伍专业化水平有待提高。\n（二）下一步工作打算\n")


@pytest.mark.parametrize("lead_in", ["", LEAD_INS[0] + "\n"], ids=["heading_only", "heading_and_lead_in"])
def test_plans_section_of_a_problems_chapter(lead_in):
    """'三、存在的不足和下一步工作打算' is a problems chapter; its section '（二）下一步工作打算' holds the plans."""
    r = read_text(COMBINED + lead_in + numbered(ITEMS, lambda i: f"{i}．") + "\n")
    assert [c.role for c in r.outline][-1] == "problems"
    assert [(p.section, p.title) for p in kinds(r, "problem")] == [("三.(一)", "存在的不足")]
    assert texts(r) == expected(ITEMS)
    assert {t.title for t in kinds(r, "plan_task")} == {"下一步工作打算"}
    assert [t.section for t in kinds(r, "plan_task")] == ["三.(二).1", "三.(二).2", "三.(二).3", "三.(二).4"]
    assert_offsets(r)


def test_a_forward_sentence_inside_the_results_is_not_their_close():
    """'今后，我局将…' closing one section of results, with the next section after it: the results go on."""
    r = read_text(TITLE + OPENING + "一、主要举措和成效\n（一）健全依法决策机制。制定局党组重大行政决策程序规定。\n"
                  "今后，我局将继续严格执行重大行政决策程序。\n（二）规范行政执法行为。全面落实行政执法三项制度。\n")
    assert [a.section for a in kinds(r, "achievement")] == ["一.(一)", "一.(二)"]
    assert kinds(r, "plan_task") == [] and kinds(r, "plan_theme") == []


# --- 2. owner notes on the line of a list item ----------------------------------------------------------------

OWNED = (("修订行政处罚裁量基准", "；（牵头单位：市司法局，配合单位：各区政府）", "市司法局", "各区政府", None),
         ("制定行政复议案件审理规则", "。（责任单位：市场监管局）", "市场监管局", None, None),
         ("开展行政执法案卷评查", "；（牵头单位：市司法局；完成时限：2025年6月底前）", "市司法局", None, "2025年6月底前"),
         ("组织执法人员业务轮训", "。", None, None, None))


def owned_lines(marker, joint="\n"):
    return joint.join(f"{marker(i)}{t}{note}" for i, (t, note, *_) in enumerate(OWNED, 1))


def owned_expected():
    return [(t + ("。" if note.startswith("。") else ""), lead, partner, deadline)
            for t, note, lead, partner, deadline in OWNED]


def owners(reading):
    return [(t.text, t.lead_unit, t.partner_units, t.deadline) for t in kinds(reading, "plan_task")]


ARABIC, PAREN, YISHI = (lambda i: f"{i}．"), (lambda i: f"（{CN[i - 1]}）"), (lambda i: f"{CN[i - 1]}是")


@pytest.mark.parametrize("marker, joint", [(ARABIC, "\n"), (PAREN, "\n"), (YISHI, "\n"), (ARABIC, ""), (YISHI, "")],
                         ids=["arabic_lines", "paren_lines", "yishi_lines", "arabic_run_together", "yishi_run_together"])
def test_owner_note_after_the_item_gives_its_owners_in_a_plans_chapter(marker, joint):
    r = read_text(HEAD + "四、2025年工作安排\n重点做好以下工作：" + joint + owned_lines(marker, joint) + "\n")
    assert owners(r) == owned_expected()
    assert_offsets(r)


@pytest.mark.parametrize("joint", ["\n", ""], ids=["one_a_line", "run_together"])
def test_owner_note_after_the_item_gives_its_owners_in_closing_plans(joint):
    r = read_text(HEAD + LEAD_INS[0] + joint + owned_lines(lambda i: f"{i}．", joint) + "\n")
    assert owners(r) == owned_expected()
    assert_problems_end_before(r, LEAD_INS[0])
    assert_offsets(r)


def test_owner_note_reads_like_an_owner_line_of_its_own():
    """The same list with each note on a line of its own gives the same tasks and owners. (A closing sentence
    follows there, a task of its own; tests/test_reader_plan_gaps.py reads an owner line as the last line.)"""
    on_line = read_text(HEAD + "四、2025年工作安排\n" + owned_lines(lambda i: f"{i}．") + "\n")
    own_line = read_text(HEAD + "四、2025年工作安排\n" + "\n".join(
        f"{i}．{t}{note[0]}" + (f"\n{note[1:]}" if note[1:] else "") for i, (t, note, *_) in enumerate(OWNED, 1))
        + "\n我局将以更加务实的作风抓好落实。\n")
    assert owners(on_line) == owners(own_line)[:-1]


def test_owner_note_on_a_one_line_theme():
    """A numbered plan item that is one line among themes with paragraphs is a task; its note gives the owners."""
    r = read_text(HEAD + "四、2025年工作安排\n（一）加强制度建设\n修订机关合法性审查工作规则。\n"
                  "（二）修订行政处罚裁量基准；（牵头单位：市司法局，配合单位：各区政府）\n")
    assert owners(r) == [("修订机关合法性审查工作规则。", None, None, None),
                         ("修订行政处罚裁量基准", "市司法局", "各区政府", None)]
    assert_offsets(r)


def test_owner_note_inside_a_sentence_stays_with_it():
    """A note in the middle of a sentence (not after its ；or 。) does not cut the task."""
    sentence = "修订行政处罚裁量基准（牵头单位：市司法局），年底前完成。"
    r = read_text(HEAD + "四、2025年工作安排\n" + sentence + "\n")
    assert owners(r) == [(sentence, "市司法局", None, "年底前")]
