"""Layouts seen in a survey of real annual reports, each as a complete invented report (units, places, figures
and wording made up): the outline roles, the 第一责任人 part, the problems and the plan tasks a reviewer relies on."""
from __future__ import annotations

from desktop.report.extract import read_text


def chapters(reading):
    return [(c.title, c.role) for c in reading.outline]


def tasks(reading):
    return [w.text for w in reading.work_items if w.kind == "plan_task"]


def problems(reading):
    return [w.title for w in reading.work_items if w.kind == "problem"]


def assert_offsets(reading):
    text = reading.clean_text
    for sec in reading.sections():
        assert 0 <= sec.title_start <= sec.title_end <= sec.end <= len(text)
        assert text[sec.title_start:sec.title_end].strip() == sec.title
    for item in reading.work_items:
        assert text[item.start:item.end] == item.text


# A 街道办事处 report: numbered sections under a 基本情况 chapter, signed by the 办事处 at the end.
SUBDISTRICT_SIGNED = """北园街道办事处2024年法治政府建设年度报告
2024年，北园街道办事处坚持以习近平法治思想为指导，将法治建设融入基层治理，现将全年工作情况报告如下：
一、2024年法治政府建设基本情况
（一）强化政治引领，压实法治建设责任
1.健全领导机制。成立法治建设领导小组，全年召开党工委专题会议4次。
2.落实第一责任人职责。党政主要负责人带头开展法治专题宣讲3场次。
（二）深化法治学习，提升干部法治素养
1.强化干部学法。组织集中学法8次。
二、存在的不足
一是法治专业人员不足；二是执法规范化水平有待提升。
三、2025年工作计划
（一）加强法治队伍建设。配备专职法治工作人员2名。
（二）推进执法规范化。开展执法案卷自查。
北园街道办事处
2025年1月10日
"""


def test_a_subdistrict_office_signs_off_and_is_the_issuer():
    r = read_text(SUBDISTRICT_SIGNED)
    md = r.metadata
    assert md.issuer == "北园街道办事处"
    assert md.published == "2025-01-10"
    assert [role for _, role in chapters(r)] == ["achievements", "problems", "plans"]
    assert tasks(r) == ["配备专职法治工作人员2名。", "开展执法案卷自查。"]
    assert "北园街道办事处" not in r.work_items[-1].text
    assert_offsets(r)
