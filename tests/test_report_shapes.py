"""Shapes of real reports written as our own texts: a chapter heading run into its first section on one line,
a notice that issues a plan (印发《…工作要点》《…清单》的通知), counted items in 批/批次/轮/件/场/期 after 共/达/近/累计."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_text

HEAD = "青禾县人民政府2024年法治政府建设情况报告\n2024年，县政府坚持依法行政，扎实推进法治政府建设各项工作，现将有关情况报告如下。\n"


def _outline(text: str):
    return [(s.path, s.title) for s in read_text(text).sections()]


EXPECTED = [("一", "主要举措和成效"), ("一.(一)", "完善依法决策机制"), ("一.(二)", "规范行政执法行为"),
            ("二", "存在的不足和原因"), ("二.(一)", "基层法治力量薄弱"), ("二.(二)", "执法监督手段单一")]


@pytest.mark.parametrize("first, second", [
    ("一、主要举措和成效（一）完善依法决策机制", "二、存在的不足和原因（一）基层法治力量薄弱"),
    ("一、主要举措和成效 （一）完善依法决策机制", "二、存在的不足和原因　（一）基层法治力量薄弱"),
    ("一、主要举措和成效：（一）完善依法决策机制", "二、存在的不足和原因:(一)基层法治力量薄弱"),
    ("一．主要举措和成效（一）完善依法决策机制", "二．存在的不足和原因（一）基层法治力量薄弱"),
    ("第一部分 主要举措和成效（一）完善依法决策机制", "第二部分 存在的不足和原因（一）基层法治力量薄弱"),
], ids=["glued", "space", "colon", "dot", "part"])
def test_chapter_heading_with_its_first_section_on_one_line_is_a_chapter_and_a_section(first, second):
    text = HEAD + "\n".join([
        first, "全年审查县政府规范性文件37件，提出修改意见126条。",
        "（二）规范行政执法行为", "组织执法人员培训6期，行政执法案卷评查合格率达到98.5%。",
        second, "部分乡镇法治审核人员不足。",
        "（二）执法监督手段单一", "数字化监督平台应用不够深入。"])
    assert _outline(text) == EXPECTED


def test_long_chapter_title_with_a_comma_run_into_its_first_section():
    text = HEAD + "\n".join([
        "一、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况（一）带头学法用法",
        "县政府常务会议学法12次。", "（二）带头依法决策", "重大行政决策全部经过合法性审查。",
        "二、存在的不足和原因", "（一）基层法治力量薄弱", "部分乡镇法治审核人员不足。"])
    assert _outline(text)[:3] == [("一", "党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况"),
                                  ("一.(一)", "带头学法用法"), ("一.(二)", "带头依法决策")]


def test_a_sentence_with_a_cited_section_is_not_split():
    text = HEAD + "\n".join([
        "一、主要举措和成效", "（一）完善依法决策机制。按照实施意见第（一）项要求，全年审查规范性文件37件。",
        "二、存在的不足和原因", "（一）基层法治力量薄弱。部分乡镇法治审核人员不足。"])
    assert [p for p, _ in _outline(text)] == ["一", "一.(一)", "二", "二.(一)"]


COUNTED = ("一、主要举措和成效\n（一）化解矛盾纠纷。共接待来访群众46批次，共接待上访企业代表12批，共开展专项督查3轮，"
           "累计开展执法培训五期，共举办法治讲座40场，受理投诉近百件，收到意见建议近千条，共开展普法宣传两轮，"
           "累计办理案件1200余件。实施三项制度，开展新一轮改革，共推进一件事改革，组织第2期培训。\n")


def test_counted_items_in_batches_rounds_pieces_sessions_and_issues_are_indicators():
    found = {(i.text, i.value, i.unit, i.qualifier) for i in read_text(HEAD + COUNTED).indicators}
    for expected in [("46批次", 46, "批次", "exact"), ("12批", 12, "批", "exact"), ("3轮", 3, "轮", "exact"),
                     ("五期", 5, "期", "exact"), ("40场", 40, "场", "exact"), ("近百件", 100, "件", "under"),
                     ("近千条", 1000, "条", "under"), ("两轮", 2, "轮", "exact"), ("1200余件", 1200, "件", "over")]:
        assert expected in found
    texts = {t for t, *_ in found}
    assert not texts & {"三项", "一轮", "一件", "2期"}  # names and ordinals stay out


NOTICE_HEAD = """白杨市人民政府办公室关于印发《白杨市2025年法治政府建设工作要点》《白杨市2025年法治政府建设责任清单》的通知
白政办发〔2025〕6号
各区县人民政府，市政府各部门：
《白杨市2025年法治政府建设工作要点》《白杨市2025年法治政府建设责任清单》已经市政府同意，现印发给你们，请结合实际认真贯彻落实。
白杨市人民政府办公室
2025年2月20日
"""
PLAN = """一、健全依法行政制度体系
1．制定年度政府规章制定计划，做好规章备案审查工作。（牵头单位：市司法局；配合单位：市政府办公室）
2．开展涉企行政规范性文件专项清理，年底前完成清理。（牵头单位：市司法局）
二、推进严格规范公正文明执法
3．开展行政执法案卷评查，评查案卷不少于300件。（牵头单位：市司法局；配合单位：市级各执法部门）
4．推行包容审慎监管，动态调整轻微违法不予处罚清单。（牵头单位：市市场监管局）
"""
LIST = """白杨市2025年法治政府建设责任清单
序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限
1 | 修订市政府重大行政决策程序规定 | 市司法局 | 市政府办公室 | 2025年6月底前
2 | 建成市级行政执法协调监督平台 | 市司法局 | 市大数据局 | 2025年10月底前
"""


@pytest.mark.parametrize("plan_title", [True, False], ids=["plan titled in the body", "named only by the notice"])
def test_notice_issuing_a_plan_and_its_list_reads_as_the_plan(plan_title):
    text = NOTICE_HEAD + ("白杨市2025年法治政府建设工作要点\n" if plan_title else "") + PLAN + LIST
    reading = read_text(text)
    assert reading.doc_kind == "work_plan"
    assert reading.metadata.title == "白杨市2025年法治政府建设工作要点"
    assert reading.metadata.doc_no == "白政办发〔2025〕6号"
    assert reading.metadata.plan_year == 2025
    assert [c.title for c in reading.outline] == ["健全依法行政制度体系", "推进严格规范公正文明执法"]
    tasks = [w for w in reading.work_items if w.kind == "plan_task"]
    assert [(w.text[:8], w.lead_unit) for w in tasks] == [
        ("制定年度政府规章", "市司法局"), ("开展涉企行政规范", "市司法局"), ("开展行政执法案卷", "市司法局"),
        ("推行包容审慎监管", "市市场监管局"), ("修订市政府重大行", "市司法局"), ("建成市级行政执法", "市司法局")]
    assert tasks[-1].partner_units == "市大数据局" and tasks[-1].deadline == "2025年10月底前"
    assert not reading.warnings


def test_notice_issuing_only_a_list_is_named_by_the_list():
    text = NOTICE_HEAD.replace("《白杨市2025年法治政府建设工作要点》", "") + LIST
    reading = read_text(text)
    assert reading.doc_kind == "work_plan"
    assert reading.metadata.title == "白杨市2025年法治政府建设责任清单"
    assert [(w.text, w.lead_unit) for w in reading.work_items if w.kind == "plan_task"] == [
        ("修订市政府重大行政决策程序规定", "市司法局"), ("建成市级行政执法协调监督平台", "市司法局")]
