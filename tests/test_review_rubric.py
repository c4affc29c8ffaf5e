"""The rubric file: bundled defaults, an office's adapted TOML/JSON, scales, the weighted total, bad files."""
from __future__ import annotations

import json

import pytest

from desktop.review.rubric import BUNDLED, RubricError, load_rubric, scored_weight, weighted_total

CHECKS_USED = ("required_parts", "timeliness", "data", "problems", "plans", "indicators", "first_responsible")


def test_bundled_rubric():
    rubric = load_rubric()
    assert rubric.source == str(BUNDLED)
    ids = [c.id for c in rubric.criteria]
    assert ids == ["completeness", "timeliness", "evidence", "candour", "responsibility", "plans", "accuracy",
                   "overall"]
    assert rubric.total_weight == 100
    for c in rubric.criteria:
        assert c.name and c.description and c.weight > 0
    # every check family informs at least one criterion
    for check in CHECKS_USED:
        assert any(c.covers(check) or any(k.startswith(check) for k in c.checks) for c in rubric.criteria), check
    assert rubric.criteria_for_check("problems.answered") == ("plans",)
    assert rubric.criteria_for_check("problems.causes") == ("candour",)
    assert rubric.criterion("overall").scale.name == "优/良/中/差"
    assert "有待进一步" in rubric.check_params("problems")["boilerplate"]


def test_scales_accept_numbers_and_levels_and_refuse_the_rest():
    rubric = load_rubric()
    points = rubric.criterion("evidence").scale
    assert points.parse(3.5) == 3.5 and points.parse("4") == 4.0
    for bad in (6, -1, 3.2, "abc", float("nan"), True):
        with pytest.raises(RubricError):
            points.parse(bad)
    grade = rubric.criterion("overall").scale
    assert grade.parse("优") == 4 and grade.display(3) == "良"
    assert [label for label, _ in grade.choices()] == ["优", "良", "中", "差"]
    assert points.choices()[0] == ("5", 5.0) and points.choices()[-1] == ("0", 0.0)


def test_weighted_total():
    rubric = load_rubric()
    assert weighted_total(rubric, {}) == 0
    full = {c.id: (c.scale.max if not c.scale.levels else "优") for c in rubric.criteria}
    assert weighted_total(rubric, full) == 100
    # completeness 15 × 5/5 + evidence 20 × 2.5/5 + overall 5 × 2/4 (中) = 15 + 10 + 2.5
    assert weighted_total(rubric, {"completeness": 5, "evidence": 2.5, "overall": "中"}) == 27.5
    assert scored_weight(rubric, {"completeness": 5, "evidence": 2.5, "overall": None}) == 35
    assert weighted_total(rubric, {"no_such": 5, "timeliness": None}) == 0
    with pytest.raises(RubricError):
        weighted_total(rubric, {"timeliness": 7})


def test_an_office_adapts_the_rubric_in_toml(tmp_path):
    text = BUNDLED.read_text(encoding="utf-8").replace('name = "按时公开"', 'name = "公开及时"')
    text = text.replace("min_count = 3", "min_count = 5")
    text += '''
[[criteria]]
id = "local"
name = "本地特色"
description = "体现本地区特色做法"
weight = 10
scale = "grade"
'''
    path = tmp_path / "我的评分表.toml"
    path.write_text(text, encoding="utf-8")
    rubric = load_rubric(path)
    assert rubric.criterion("timeliness").name == "公开及时"
    assert rubric.total_weight == 110
    assert rubric.check_params("problems")["min_count"] == 5
    assert weighted_total(rubric, {"local": "优"}) == pytest.approx(100 * 10 / 110, abs=0.01)


def test_json_rubric_with_defaults_for_check_parameters(tmp_path):
    path = tmp_path / "rubric.json"
    path.write_text(json.dumps({
        "rubric": {"name": "简表"},
        "scales": {"ten": {"name": "十分制", "min": 0, "max": 10, "step": 1}},
        "criteria": [{"id": "a", "name": "完整", "weight": 3, "scale": "ten", "checks": "required_parts"},
                     {"id": "b", "name": "其他", "weight": 1}],
    }, ensure_ascii=False), encoding="utf-8")
    rubric = load_rubric(path)
    assert rubric.name == "简表"
    assert rubric.criterion("a").checks == ("required_parts",)
    assert rubric.criterion("b").scale.id == "points"  # the default 0–5 scale
    assert weighted_total(rubric, {"a": 10}) == 75
    # parameters not given fall back to the bundled ones
    assert rubric.check_params("plans")["vague_verbs"]


@pytest.mark.parametrize("content, words", [
    ("[[criteria]]\nname = 'x'\n", "缺少 id"),
    ("[[criteria]]\nid = 'a'\nweight = -1\n", "权重不能为负"),
    ("[[criteria]]\nid = 'a'\nscale = 'nope'\n", "不存在的量表"),
    ("[[criteria]]\nid = 'a'\n[[criteria]]\nid = 'a'\n", "重复"),
    ("[rubric]\nname = 'x'\n", "没有任何评分项"),
    ("[[criteria\nid=", "格式错误"),
    ("[scales.s]\nmin = 5\nmax = 1\n[[criteria]]\nid = 'a'\nscale = 's'\n", "最大值应大于最小值"),
])
def test_bad_rubric_files_get_a_clear_message(tmp_path, content, words):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    assert str(err.value).startswith("bad.toml: ") and words in str(err.value)


def test_missing_and_binary_rubric_files(tmp_path):
    with pytest.raises(RubricError, match="无法读取"):
        load_rubric(tmp_path / "none.toml")
    path = tmp_path / "bin.toml"
    path.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(RubricError, match="不是 UTF-8"):
        load_rubric(path)
