"""The one stored-rows → Reading converter (report.rebuild): the library's reading matches the reader's."""
from __future__ import annotations

from desktop.report.extract import read_file
from desktop.review.stored import reading_from_records as review_converter
from desktop.report.rebuild import reading_from_records


def test_stored_reading_is_the_readers_reading(repo, sample_path):
    fresh, stored = read_file(sample_path), repo.reports.reading(1)
    assert stored.outline == fresh.outline  # title offsets come back as stored, not searched again
    assert stored.indicators == fresh.indicators
    assert stored.work_items == fresh.work_items
    assert stored.metadata == fresh.metadata and stored.warnings == fresh.warnings
    assert review_converter is reading_from_records  # the review sheet uses the same converter


def test_split_items_are_numbered_in_order_and_warnings_are_kept(repo, tmp_path):
    path = tmp_path / "无标题.txt"
    path.write_text("某县司法局2023年法治政府建设年度报告\n今年我们办理行政复议案件12件，完成立法项目3件。\n", encoding="utf-8")
    report_id = repo.reports.import_file(path).report.id
    stored = repo.reports.reading(report_id)
    assert stored.warnings and stored.warnings == read_file(path).warnings

    item = repo.items.work_items(1, kind="plan_task")[0]
    first, second = repo.items.split_work_item(item.id, 10)
    assert first.position == second.position  # the store keeps the split pair at one position...
    items = repo.reports.reading(1).work_items
    assert [w.seq for w in items] == list(range(len(items)))  # ...the reading still numbers each item once
    texts = [w.text for w in items]
    assert texts.index(second.text) == texts.index(first.text) + 1
