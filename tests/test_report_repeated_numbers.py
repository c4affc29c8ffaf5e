"""A section number printed twice in a chapter (a common typo) is kept as its own section with a warning, the
numbering goes on after it, and such a report imports into the library."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_text


@pytest.mark.parametrize("old, new, repeated", [
    ("(二)统筹", "(一)统筹", "一.(一)#2"),  # (一)(一)(三)…: the third goes on as (三)
    ("(三)推进重大", "(二)推进重大", "一.(二)#2"),  # (一)(二)(二)(四)…
])
def test_repeated_number_is_a_section_of_its_own(sample_path, old, new, repeated):
    seed = sample_path.read_text(encoding="utf-8")
    expected = [s.title for s in read_text(seed).outline[0].children]
    reading = read_text(seed.replace(old, new))
    chapter = reading.outline[0]
    assert [s.title for s in chapter.children] == expected  # nothing after the repeat is lost
    paths = [s.path for s in reading.sections()]
    assert repeated in paths and len(paths) == len(set(paths))
    assert any("重复出现" in w for w in reading.warnings)


def test_report_with_a_repeated_number_imports(repo, sample_path):
    text = sample_path.read_text(encoding="utf-8").replace("(二)统筹", "(一)统筹").replace("杭州市司法局", "某市司法局")
    result = repo.reports.import_bytes(text.encode("utf-8"), "repeat.txt")
    assert result.status == "new"
    stored = repo.reports.reading(result.report.id)
    assert "一.(一)#2" in [s.path for s in stored.sections()]
