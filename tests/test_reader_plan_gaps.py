"""Two gaps in reading plans: an owner line as the report's last line, and （一）…；（二）… run together in one paragraph.

Every text is an invented report (units, names and wording made up) in layouts writers of real reports use:
a plans chapter or closing plans whose last task has its owner line under it ('（责任单位：市司法局）') as the
report's last line, or just before the sign-off, or before real end matter (an attachment line, a contact line, a
抄送 line); and plan items numbered （一）（二）（三） run together in one paragraph, after a lead-in or on their
own, beside look-alikes that are no list (markers out of sequence, inside quotes or a document name, cited by 第)."""
from __future__ import annotations

import pytest

from desktop.report.clean import clean
from desktop.report.extract import read_text

TITLE = "岚溪县司法局2024年度法治政府建设情况报告\n"
OPENING = "2024年，县司法局坚持依法行政，扎实推进法治政府建设各项任务，依法履职能力持续提升。现将有关情况报告如下。\n"
ACHIEVEMENTS = ("一、主要举措和成效\n"
                "（一）完善依法决策机制。制定局重大行政决策事项目录，全年对6项重大决策事项开展合法性审查。\n"
                "（二）规范行政执法行为。全面落实行政执法三项制度，开展执法案卷评查4次，评查案卷38卷。\n")
FIRST = ("二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
         "局主要负责同志带头尊法学法，主持召开党组会研究法治建设工作4次，对年度法治工作亲自部署、亲自过问。\n")
PROBLEMS = "三、存在的不足\n一是少数干部依法行政意识还需增强；二是乡镇执法力量相对薄弱。\n"
HEAD = TITLE + OPENING + ACHIEVEMENTS + FIRST + PROBLEMS
PLANS = "四、2025年工作安排\n"
LEAD_IN = "下一步，我局将重点做好以下工作："
SIGN_OFF = "岚溪县司法局\n2025年1月22日\n"

# Invented plan items.
ITEMS = ("修订行政执法裁量基准", "建立行政复议案件繁简分流机制", "开展乡镇执法人员业务轮训")


def tasks(reading):
    return [w for w in reading.work_items if w.kind == "plan_task"]


def themes(reading):
    return [w for w in reading.work_items if w.kind == "plan_theme"]


def owners(reading):
    return [(t.text, t.lead_unit, t.partner_units, t.deadline) for t in tasks(reading)]


def assert_offsets(reading):
    for item in reading.work_items:
        assert reading.clean_text[item.start:item.end] == item.text


def end_matter(text):
    c = clean(text)
    return c.text[c.end_matter:] if c.end_matter >= 0 else ""


LIST = f"1．{ITEMS[0]}；\n2．{ITEMS[1]}；\n3．{ITEMS[2]}。\n"
WHERE = {"plans_chapter": HEAD + PLANS + LIST, "closing_plans": HEAD + LEAD_IN + "\n" + LIST}


# --- 1. an owner line as the report's last line ----------------------------------------------------------------

@pytest.mark.parametrize("where", WHERE, ids=list(WHERE))
@pytest.mark.parametrize("line, lead, partner, deadline", [
    ("（责任单位：县司法局）", "县司法局", None, None),
    ("（牵头单位：县司法局）", "县司法局", None, None),
    ("（配合单位：各乡镇）", None, "各乡镇", None),
    ("（完成时限：2025年6月底前）", None, None, "2025年6月底前"),
    ("（牵头单位：县司法局，配合单位：各乡镇人民政府）", "县司法局", "各乡镇人民政府", None),
    ("责任单位：县司法局", "县司法局", None, None),
], ids=["zeren", "qiantou", "peihe", "shixian", "long_line", "no_brackets"])
@pytest.mark.parametrize("after", ["", SIGN_OFF], ids=["last_line", "before_sign_off"])
def test_owner_line_under_the_last_task_gives_its_owners(where, line, lead, partner, deadline, after):
    text = WHERE[where] + line + "\n" + after
    r = read_text(text)
    assert owners(r)[-1] == (ITEMS[2] + "。", lead, partner, deadline)
    assert [t.text for t in tasks(r)] == [ITEMS[0], ITEMS[1], ITEMS[2] + "。"]
    assert end_matter(text) == after.rstrip("\n")
    if after:
        assert r.metadata.written == "2025-01-22"
    assert_offsets(r)


def test_owner_lines_under_every_item_read_like_owner_notes_on_the_item_lines():
    """Each item's owner line on a line of its own, the last one the report's last line: the same owners as
    the notes printed after each item's ；or 。 on its line."""
    notes = ("（牵头单位：县司法局）", "（责任单位：县行政复议局）", "（牵头单位：县司法局，配合单位：各乡镇）")
    on_line = read_text(HEAD + PLANS + "\n".join(f"{i}．{t}；{n}" for i, (t, n) in enumerate(zip(ITEMS, notes), 1))
                        + "\n")
    own_line = read_text(HEAD + PLANS + "\n".join(f"{i}．{t}；\n{n}" for i, (t, n) in enumerate(zip(ITEMS, notes), 1))
                         + "\n")
    assert [o[1:] for o in owners(own_line)] == [("县司法局", None, None), ("县行政复议局", None, None),
                                                 ("县司法局", "各乡镇", None)]
    assert owners(on_line) == owners(own_line)


@pytest.mark.parametrize("tail", [
    "附件：2025年法治政府建设重点任务分工",
    "（联系人：林晓，电话：6612345）",
    "（联系人：林晓，联系电话：0591-86612345）",
    "联系人：林晓 联系电话：0591-86612345",
    "抄送：县委办公室，县人大常委会办公室，县政协办公室。",
    "（此件公开发布）",
], ids=["attachment", "contact_short", "contact_long", "contact_bare", "chaosong", "gongkai"])
@pytest.mark.parametrize("owner_line", ["", "（责任单位：县司法局）\n"], ids=["after_task", "after_owner_line"])
def test_real_end_matter_after_the_plans_still_goes(tail, owner_line):
    """An attachment, contact or 抄送 line at the end is end matter, not a task, whether an owner line stands
    before it or not; the owner line stays with the plans."""
    text = HEAD + PLANS + LIST + owner_line + tail + "\n"
    r = read_text(text)
    assert [t.text for t in tasks(r)] == [ITEMS[0], ITEMS[1], ITEMS[2] + "。"]
    assert tasks(r)[-1].lead_unit == ("县司法局" if owner_line else None)
    assert end_matter(text) == tail


@pytest.mark.parametrize("tail", ["抄送：县委办公室，县人大常委会办公室。", "（联系人：林晓，联系电话：0591-86612345）"],
                         ids=["chaosong", "contact_long"])
def test_end_matter_after_the_sign_off_goes_with_it(tail):
    text = HEAD + PLANS + LIST + "（责任单位：县司法局）\n" + SIGN_OFF + tail + "\n"
    r = read_text(text)
    assert end_matter(text) == SIGN_OFF + tail
    assert tasks(r)[-1].lead_unit == "县司法局"
    assert r.metadata.written == "2025-01-22"


def test_a_short_bracketed_line_that_names_no_owner_is_still_end_matter():
    text = HEAD + PLANS + LIST + "（此件主动公开）\n"
    assert end_matter(text) == "（此件主动公开）"
    assert tasks(read_text(text))[-1].lead_unit is None


# --- 2. （一）…；（二）…；（三）… run together in one paragraph of plans --------------------------------------------

CN = "一二三四五六七八九十"


def run_together(items=ITEMS, sep="；", last="。") -> str:
    return "".join(f"（{CN[i]}）{t}{last if i == len(items) - 1 else sep}" for i, t in enumerate(items))


def expected(items=ITEMS, sep="；"):
    return [t + ("。" if sep == "。" or i == len(items) - 1 else "") for i, t in enumerate(items)]


LONG_ITEMS = ("修订行政执法裁量基准，统一全县执法尺度，明确从轻、减轻和不予处罚的具体情形",
              "建立行政复议案件繁简分流机制，简案快审、繁案精审，提高复议办案质效",
              "开展乡镇执法人员业务轮训，全年培训不少于40学时，实现乡镇执法人员全覆盖")


@pytest.mark.parametrize("items", [ITEMS, LONG_ITEMS], ids=["short", "long"])
@pytest.mark.parametrize("lead_in", ["", "重点做好以下工作："], ids=["own_paragraph", "after_lead_in"])
def test_run_together_items_in_a_plans_chapter(items, lead_in):
    r = read_text(HEAD + PLANS + lead_in + run_together(items) + "\n")
    assert [c.role for c in r.outline][-1] == "plans"
    assert [t.text for t in tasks(r)] == expected(items)
    assert themes(r) == []
    assert {t.title for t in tasks(r)} == {"2025年工作安排"}
    assert_offsets(r)


@pytest.mark.parametrize("items", [ITEMS, LONG_ITEMS], ids=["short", "long"])
@pytest.mark.parametrize("joint", ["", "\n"], ids=["same_paragraph", "next_paragraph"])
def test_run_together_items_in_closing_plans(items, joint):
    r = read_text(HEAD + LEAD_IN + joint + run_together(items) + "\n")
    assert [t.text for t in tasks(r)] == expected(items)
    assert themes(r) == []
    problems = [w for w in r.work_items if w.kind == "problem"]
    assert problems[-1].text.endswith("相对薄弱。")
    assert_offsets(r)


def test_run_together_items_ending_in_full_stops():
    r = read_text(HEAD + PLANS + run_together(sep="。") + "\n")
    assert [t.text for t in tasks(r)] == expected(sep="。")
    assert themes(r) == []


def test_run_together_items_with_owner_notes():
    r = read_text(HEAD + PLANS + f"（一）{ITEMS[0]}；（牵头单位：县司法局）（二）{ITEMS[1]}；（责任单位：县行政复议局）"
                  f"（三）{ITEMS[2]}。\n")
    assert owners(r) == [(ITEMS[0], "县司法局", None, None), (ITEMS[1], "县行政复议局", None, None),
                         (ITEMS[2] + "。", None, None, None)]
    assert_offsets(r)


def test_run_together_items_under_a_theme_heading():
    """Themes with paragraphs of their own: a paragraph under one that runs （一）…；（二）… together is cut there."""
    r = read_text(HEAD + PLANS + "（一）加强制度建设\n围绕规范执法，重点抓好：（一）" + ITEMS[0] + "；（二）" + ITEMS[1]
                  + "。\n（二）强化执法监督\n开展行政执法案卷评查。\n")
    assert [t.title for t in themes(r)] == ["加强制度建设", "强化执法监督"]
    assert [t.text for t in tasks(r)] == [ITEMS[0], ITEMS[1] + "。", "开展行政执法案卷评查。"]


@pytest.mark.parametrize("sentence", [
    f"（一）{ITEMS[0]}；（三）{ITEMS[1]}。",  # out of sequence
    "开展“（一）学法、（二）用法”主题活动，推动执法人员学法用法常态化。",  # inside quotes
    "落实《岚溪县行政执法指引（一）》《岚溪县行政执法指引（二）》，规范执法程序。",  # inside document names
    "依照本办法第（一）项、第（二）项规定，清理涉企行政规范性文件。",  # cited by 第
], ids=["out_of_sequence", "quoted", "document_names", "cited"])
def test_markers_that_are_no_run_of_items_leave_the_sentence_whole(sentence):
    before = read_text(HEAD + PLANS + "重点做好以下工作：\n" + sentence + "\n")
    body = sentence[3:] if sentence.startswith("（一）") else sentence
    assert [t.text for t in tasks(before)] == [body]


def test_run_together_items_outside_the_plans_stay_as_they_were():
    """Achievements and problems numbered （一）（二） in one paragraph are no plan tasks: their items are the
    sections the outline reads, as before."""
    text = (TITLE + OPENING + "一、主要举措和成效\n（一）完善依法决策机制；（二）规范行政执法行为；（三）深化普法宣传教育。\n"
            "二、存在的不足\n（一）少数干部依法行政意识还需增强；（二）乡镇执法力量相对薄弱。\n")
    r = read_text(text)
    assert [(w.kind, w.section) for w in r.work_items] == [("achievement", "一.(一)"), ("problem", "二.(一)")]
    assert tasks(r) == []
