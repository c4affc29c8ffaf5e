"""A chapter number printed twice (二、 as 一、, 三、 as 二、…) is kept as the chapter it should have been, with a
warning, so the chapters after it and their plans are not dropped."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_bytes

CN = "一二三四"


@pytest.mark.parametrize("wrong", [1, 2, 3])  # 二 printed as 一, 三 as 二, 四 as 三
def test_a_misprinted_chapter_number_keeps_every_chapter(sample_path, wrong):
    text = sample_path.read_text(encoding="utf-8")
    right = read_bytes(text.encode("utf-8"), "right.txt")
    bad = text.replace(f"\n{CN[wrong]}、", f"\n{CN[wrong - 1]}、")  # in both copies of the body
    reading = read_bytes(bad.encode("utf-8"), "misprinted.txt")
    assert [s.role for s in reading.outline] == [s.role for s in right.outline]
    assert len([i for i in reading.work_items if i.kind == "plan_task"]) == \
        len([i for i in right.work_items if i.kind == "plan_task"]) > 0
    assert any(f"章节编号“{CN[wrong - 1]}、”重复出现" in w for w in reading.warnings)


def test_a_list_restarting_inside_a_chapter_is_not_a_chapter(sample_path):
    text = sample_path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n二、")
    listed = head + "\n一、第一项工作。\n二、第二项工作。\n三、第三项工作。" + sep + rest
    reading = read_bytes(listed.encode("utf-8"), "list.txt")
    right = read_bytes(text.encode("utf-8"), "right.txt")
    assert len(reading.outline) == len(right.outline)
