"""The outline reads a paragraph's numbered marker with one pattern made from headings.LEVELS (outline.heading_mark);
it must read every paragraph as trying the levels one by one in order does: the first level whose pattern matches,
with that pattern's number, end and marker. Checked on the sample, the corpus, the follow-up pairs, generated
reports and crafted lines, so a change to the levels' patterns that the combination cannot carry shows here."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from desktop.report.extract import read_text
from desktop.report.headings import LEVELS
from desktop.report.normalise import fold
from desktop.report.outline import heading_mark

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"

CRAFTED = ["一、主要举措和成效", "一.主要举措", "一.5万件", "二 、存在的不足", "第三部分 工作安排", "第十二章 附则",
           "（十二）加强组织领导", "十二）加强组织领导", "（一百）超出", "1.完善制度", "1、完善制度", "1 . 完善制度",
           "12．2025年底前完成", "1.5万件", "123.完善", "（3）推进执法", "（12）推进", "⑳推进", "①加强", "一是加强领导",
           "二〇二三年", "(一)加强", "十一、其他需要报告的情况", "一二三四、", "一、", "（一）", "1.", "", "全年办理案件123件。"]


def _by_levels(para: str):
    for level, rx, kind in LEVELS:
        m = rx.match(para)
        if m:
            return level, kind, m.group("n"), m.end(), m.group(0)
    return None


def _paragraphs() -> list[str]:
    texts = [(ROOT / "resources" / "sample-hangzhou-sfj-2023.txt").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SHARED.glob("*.txt"))] if SHARED.is_dir() else []
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "followup_pairs").glob("*.txt"))]
    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    try:
        from realistic import generate_texts
    finally:
        sys.path.remove(str(ROOT / "tests" / "bench"))
    texts += [t for _, t in generate_texts(60, seed=3)]
    out = []
    for text in texts:
        out += [line.lstrip() for line in fold(read_text(text).clean_text).split("\n")]
    return out


def test_the_levels_can_be_tried_as_one_pattern():
    for _, rx, _ in LEVELS:
        assert rx.flags == re.UNICODE  # one combined pattern carries no per-level flags
        assert "(?P=" not in rx.pattern and rx.pattern.count("(?P<n>") == 1  # groups renamed per level


@pytest.mark.parametrize("source", ["crafted", "reports"])
def test_heading_mark_reads_as_the_levels_in_order(source):
    paragraphs = CRAFTED if source == "crafted" else _paragraphs()
    marked = 0
    for para in paragraphs:
        mark = heading_mark(para)
        assert (tuple(mark) if mark else None) == _by_levels(para), para
        marked += mark is not None
    assert marked >= (15 if source == "crafted" else 500)
