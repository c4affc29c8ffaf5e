"""Required-parts result on each corpus excerpt (../shared/corpus, read at run time), decided by reading each.

The excerpts are ~700-character openings of longer documents, so most parts are cut off.
"""
from __future__ import annotations

import pytest

from desktop.report.extract import read_file
from desktop.review.checks import run_checks

# file -> (result, {part: (level, chapter/section paths)}) as a reader of the excerpt finds them.
EXPECTED = {
    "001.txt": ("fail", {"achievements": ("chapter", ["一"])}),   # 一、主要举措和成效; cut inside 一.(二)
    "006.txt": ("fail", {"achievements": ("chapter", ["一"])}),   # 一、2024年…主要举措和突出成效
    "009.txt": ("fail", {"achievements": ("chapter", ["一"])}),
    "012.txt": ("fail", {"achievements": ("chapter", ["一"])}),
    # starts with 一、区政府主要负责同志履行推进法治建设第一责任人职责情况; nothing else visible
    "016.txt": ("fail", {"first_responsible": ("chapter", ["一"])}),
    "024.txt": ("fail", {"achievements": ("chapter", ["一"])}),
    # the intro promises 下一步工作安排 but the excerpt stops inside chapter 一
    "027.txt": ("fail", {"achievements": ("chapter", ["一"])}),
    # thematic chapter 一、法治政府建设水平持续提升 reports measures
    "029.txt": ("fail", {"achievements": ("chapter", ["一"])}),
    # chapter 一 reports measures; its intro only mentions the minister's 第一责任人 duty (not a part)
    "033.txt": ("fail", {"achievements": ("chapter", ["一"])}),
    # two thematic chapters; 一.(三) 切實履行法治建設第一責任人責任 is the duty, as a section only
    "036.txt": ("fail", {"achievements": ("chapter", ["一", "二"]),
                         "first_responsible": ("section", ["一.(三)"])}),
    # work plans: the annual-report requirement does not apply; their tasks are the plans part
    "038.txt": ("unknown", {"plans": ("chapter", ["一"])}),
    "039.txt": ("unknown", {"plans": ("chapter", ["二"])}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_required_parts(shared_dir, name):
    reading = read_file(shared_dir / "corpus" / name)
    finding = next(f for f in run_checks(reading) if f.check == "required_parts")
    result, parts = EXPECTED[name]
    got = {p: (v["level"], v["paths"]) for p, v in finding.data["parts"].items()}
    assert (finding.result, got) == (result, parts)
    for e in finding.evidence:
        assert reading.clean_text[e.start:e.end] == e.quote


def test_corpus_is_fully_listed(shared_dir):
    assert sorted(p.name for p in (shared_dir / "corpus").glob("*.txt")) == sorted(EXPECTED)


def test_first_responsible_found_as_a_chapter_or_a_section(shared_dir):
    """016 has it as chapter 一 (meetings, no figures); 036 as section 一.(三), in traditional characters."""
    for name, path in (("016.txt", ["一"]), ("036.txt", ["一.(三)"])):
        reading = read_file(shared_dir / "corpus" / name)
        f = next(f for f in run_checks(reading) if f.check == "first_responsible")
        assert f.data["paths"] == path
        assert "meetings" in f.data["concrete"] and f.data["figures"] == 0
        assert f.result == "warn"
