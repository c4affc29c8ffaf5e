"""Property tests over the real-page layouts: glued titles, run-on bodies, sign-offs, plan shapes, traditional
characters — any mix reads or raises ReportError, and every offset slices the clean text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.report.extract import read_text
from desktop.report.model import ReportError

PIECES = [
    "范文网—每日更新www.demo-site.com", "某县人民政府门户网站", "某县人民政府", "关于2024年度法治政府建设情况的报告",
    "某县2023年法治政府建设工作情况暨2024年工作要点", "标题: 某区2023年度法治政府建设情况报告", "发布时间: 2024-03-21",
    "发布机构: 某区人民政府", "文号: 某府〔2024〕9号", "------------", "D:\\资料\\报告.docx", "当前位置：首页 > 政务公开",
    "现将市政府2023年度法治政府建设情况报告如下：", "一、2022年总体情况", "二、存在问题 ", "三、下一步工作",
    "（一）加强组织领导", "（二）推进严格规范公正文明执法", "1.深化执法改革。", "2.", "一是成立领导小组，", "二是建立台账；",
    "三是", "下一步，我局将持续推进依法行政。", "2024年，我们将", "（牵头单位：县司法局，协同单位：各乡镇）", "协同：",
    "目标：", "措施：", "法治政府建設", "廣東省某市司法局", "發布時間：2024-03-18", "執(zhí)法", "2023-2025年",
    "某县人民政府\n2025年2月12日", "中共某市委 某市人民政府", "。", "，", "：", "\n", " ", "【打印本页】【关闭窗口】",
    "存在的问题和不足", "主要举措和成效", "工作要点", "2024年3月1日",
]
layout_like = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=50).map("".join)




def _reads_or_raises(offsets_hold, text: str) -> None:
    try:
        reading = read_text(text)
    except ReportError as exc:
        assert exc.message
        return
    offsets_hold(reading)
    for item in reading.work_items:
        assert reading.clean_text[item.start:item.end] == item.text
    reading.to_json_dict()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layout_like)
def test_layout_pieces_read_or_raise_with_offsets_holding(offsets_hold, text):
    _reads_or_raises(offsets_hold, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=5, max_size=40).map("".join))
def test_run_on_layouts_read_or_raise(offsets_hold, text):
    _reads_or_raises(offsets_hold, text)
