"""The number normaliser and the indicator finder on every form the reading promises, and on non-indicators."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_text
from desktop.report.numbers import cn_to_number, parse_number, parse_quantity


@pytest.mark.parametrize("surface, value, unit, qualifier", [
    ("2.3万余件", 23000, "件", "over"),
    ("近8500万元", 85_000_000, "元", "under"),
    ("1.2亿元", 120_000_000, "元", "exact"),
    ("三十余件", 30, "件", "over"),
    ("两千名", 2000, "名", "exact"),
    ("百分之九十", 90, "%", "exact"),
    ("百分之九十点五", 90.5, "%", "exact"),
    ("18.57万人次", 185_700, "人次", "exact"),
    ("500余件", 500, "件", "over"),
    ("超170万家", 1_700_000, "家", "over"),
    ("逾300人", 300, "人", "over"),
    ("98%以上", 98, "%", "over"),
    ("10多个", 10, "个", "over"),
    ("不足10%", 10, "%", "under"),
    ("约1500人", 1500, "人", "approx"),
    ("3.2%左右", 3.2, "%", "approx"),
    ("0.42个百分点", 0.42, "百分点", "exact"),
    ("1,234件", 1234, "件", "exact"),
    ("3个工作日", 3, "工作日", "exact"),
])
def test_parse_quantity(surface, value, unit, qualifier):
    q = parse_quantity(surface)
    assert q is not None
    assert q.value == pytest.approx(value)
    assert (q.unit, q.qualifier) == (unit, qualifier)


@pytest.mark.parametrize("text, value", [
    ("两千", 2000), ("三十", 30), ("一百二十", 120), ("十五", 15), ("三千二百零五", 3205), ("二〇二三", 2023),
    ("一万二千", 12000), ("2.3万", 23000), ("1.2亿", 120_000_000), ("96", 96),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("bad", ["二三十", "十十", "", "abc", "万万"])
def test_malformed_chinese_numbers_are_refused(bad):
    assert cn_to_number(bad) is None


def _figures(sentence: str):
    return [(i.text, i.value, i.unit, i.qualifier, i.kind) for i in read_text(sentence).indicators]


@pytest.mark.parametrize("sentence, expected", [
    ("共审查各类事项2.3万余件。", [("2.3万余件", 23000, "件", "over", "count")]),
    ("为当事人节约诉讼费用近8500万元。", [("近8500万元", 85_000_000, "元", "under", "money")]),
    ("挽回经济损失1.2亿元。", [("1.2亿元", 120_000_000, "元", "exact", "money")]),
    ("开展普法活动三十余场。", [("三十余场", 30, "场", "over", "count")]),
    ("检查企业两千家。", [("两千家", 2000, "家", "exact", "count")]),
    ("群众满意率达到百分之九十。", [("百分之九十", 90, "%", "exact", "rate")]),
    ("出动执法人员3.5万人次。", [("3.5万人次", 35000, "人次", "exact", "count")]),
    ("总分位列全国百个城市第二。", [("第二", 2, "名", "exact", "rank")]),
    ("综合排名位居全省第三。", [("第三", 3, "名", "exact", "rank")]),
    ("案件量增长到原来的2倍。", [("2倍", 2, "倍", "exact", "ratio")]),
    ("纠错率不足10%。", [("不足10%", 10, "%", "under", "rate")]),
    ("败诉率为3.2%左右。", [("3.2%左右", 3.2, "%", "approx", "rate")]),
])
def test_indicator_forms(sentence, expected):
    assert _figures(sentence) == [tuple(e) for e in expected]


@pytest.mark.parametrize("sentence", [
    "2023年,在市委、市政府的正确领导下开展工作。",  # years
    "《绍兴市电梯安全管理规定》于2024年1月1日正式施行。",  # dates
    "召开市委全面依法治市委员会第五次会议。",  # ordinal of a meeting
    "组织开展全市第二届评选活动,获评第二批案例。",  # ordinals
    "开展“1+8”行政裁量权基准建设,设立“5S”助企工作站。",  # names in quotes
    "深入学习贯彻党的二十大精神和十九届二中、三中全会精神。",  # congresses and plenums
    "开展习近平法治思想“八进”活动和“万名调解员进万家”行动。",  # slogans
    "杭司〔2024〕14号文件印发。",  # document numbers
    "落实省委十届十次全会部署。",  # plenum ordinal with a measure word
    "对照《法治政府建设实施纲要(2021—2025年)》。",  # a year span in a title
    "对10家单位近5年来的情况进行监督。",  # 近5年 is a time window (10家 is a figure)
    "以每两月1次频次开展学习。",  # a cadence
    "落实行政执法三项制度和“两个确立”。",  # small Chinese numbers naming things
    "要始终把人民群众生命安全放在第一位。",  # not a ranking
])
def test_non_indicators(sentence):
    figures = _figures(sentence)
    if "10家单位" in sentence:
        assert figures == [("10家", 10, "家", "exact", "count")]
    else:
        assert figures == []


@pytest.mark.parametrize("sentence, value, unit, basis", [
    ("纠错率5.29%,同比下降0.42个百分点。", -0.42, "百分点", "yoy"),
    ("收案7518件,同比增长17.1%。", 17.1, "%", "yoy"),
    ("办结率达到95.6%,较上年提高2.1个百分点。", 2.1, "百分点", "yoy"),
    ("办件量12万件,环比下降3%。", -3, "%", "mom"),
])
def test_changes_attach_to_their_indicator(sentence, value, unit, basis):
    (ind,) = read_text(sentence).indicators
    assert ind.change is not None
    assert (ind.change.value, ind.change.unit, ind.change.basis) == (pytest.approx(value), unit, basis)


def test_metric_names():
    names = {i.text: i.name for i in read_text(
        "全年行政复议收案7518件,调撤率42.41%。3家律所签约亚运法律服务供应商。覆盖100余个国家和地区。").indicators}
    assert "行政复议收案" in names["7518件"]
    assert names["42.41%"] == "调撤率"
    assert names["3家"] == "律所"
    assert names["100余个"].startswith("国家")
