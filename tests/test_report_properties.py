"""Property tests: any text either reads or raises ReportError, and every offset slices the clean text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.report.extract import read_bytes, read_text
from desktop.report.model import ReportError

# Pieces real reports are made of, so generated texts reach the heading, figure and plan paths.
FRAGMENTS = [
    "一、", "二、", "三、", "四、", "（一）", "(二)", "一)", "1.", "2、", "（1）", "①", "一是", "二是", "第一部分",
    "主要举措和成效", "存在的不足和原因", "第一责任人职责", "2024年推进法治政府建设的主要安排", "其他需要报告的情况",
    "共审查各类事项2.3万余件", "近8500万元", "百分之九十", "三十余件", "同比下降0.42个百分点", "位列全国第二",
    "“1+8”", "《纲要(2021—2025年)》", "第五次会议", "每两月1次", "纠错率5.29%", "责任单位：市司法局",
    "（牵头单位：市委依法治市办）", "。", "，", ",", "\n", "\n\n", "\xa0", "\u3000", "\r\n", "(yīng)", "應",
    "加入收藏】 【打印】", "发布日期: 2024-03-04 14:54:56", "• 文件编号:", "杭司〔2024〕14号", "索引号", "|",
    "杭州市司法局2023年法治政府建设年度报告", "2023年,", "强化执法监督。", "2024年6月底前", "\x00", "\x1b", "\ufeff",
]
report_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_unicode_text_reads_or_raises_report_error(offsets_hold, text):
    try:
        reading = read_text(text)
    except ReportError:
        return
    offsets_hold(reading)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_like)
def test_report_like_text_offsets_hold(offsets_hold, text):
    try:
        reading = read_text(text)
    except ReportError:
        return
    offsets_hold(reading)
    reading.to_json_dict()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "a.html", "a", "a.htm"]))
def test_any_bytes_read_or_raise_report_error(offsets_hold, data, name):
    try:
        reading = read_bytes(data, name)
    except ReportError as exc:
        assert exc.message
        return
    offsets_hold(reading)
