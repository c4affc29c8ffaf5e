"""Owner lines that follow no task of their own (a run of 责任单位/配合单位/完成时限 lines) give their owners to the tasks
of the section that lack them; the rewrite that made this linear (issue 26) keeps what they give."""
from __future__ import annotations

from desktop.report.extract import read_text

HEAD = ("某县司法局2023年法治政府建设年度报告\n\n2023年，某县司法局坚持依法行政，现将有关情况报告如下：\n\n"
        "一、主要举措和成效\n\n全年办理行政复议案件56件。\n\n二、存在的不足和原因\n\n基层力量有待加强。\n\n"
        "三、2024年工作安排\n\n")


def _tasks(body: str):
    reading = read_text(HEAD + body)
    return [w for w in reading.work_items if w.kind == "plan_task"]


def test_a_run_of_owner_lines_fills_what_each_task_lacks():
    body = ("（一）深化行政执法改革。\n\n推进执法制度改革，完善配套措施。\n\n（责任单位：县司法局）\n\n"
            "（配合单位：各乡镇政府）\n\n开展执法案卷评查，提升执法质量。\n\n（责任单位：县市场监管局）\n\n"
            "（完成时限：2024年12月底）\n\n（配合单位：县公安局）\n\n")
    first, second = _tasks(body)
    assert (first.lead_unit, first.partner_units, first.deadline) == ("县司法局", "各乡镇政府", "2024年12月底")
    assert (second.lead_unit, second.partner_units, second.deadline) == ("县市场监管局", "县公安局", "2024年12月底")


def test_owner_lines_stay_inside_their_section():
    body = ("（一）深化行政执法改革。\n\n推进执法制度改革，完善配套措施。\n\n（责任单位：县司法局）\n\n"
            "（二）加强法治宣传。\n\n开展法治宣传进万家活动。\n\n（责任单位：县普法办）\n\n（完成时限：2024年6月底）\n\n")
    first, second = _tasks(body)
    assert (first.lead_unit, first.deadline) == ("县司法局", None)
    assert (second.lead_unit, second.deadline) == ("县普法办", "2024年6月底")


def test_many_tasks_each_with_its_run_of_owner_lines():
    body = "（一）深化行政执法改革。\n\n" + "".join(
        f"推进第{k}项执法制度改革，完善配套措施。\n\n（责任单位：县司法局第{k}科）\n\n（配合单位：第{k}乡镇）\n\n"
        f"（完成时限：2024年{k % 12 + 1}月底前第{k}批）\n\n" for k in range(1, 301))
    tasks = _tasks(body)
    assert len(tasks) == 300
    for k, task in enumerate(tasks, 1):
        assert (task.lead_unit, task.partner_units, task.deadline) == (
            f"县司法局第{k}科", f"第{k}乡镇", f"2024年{k % 12 + 1}月底前第{k}批")
