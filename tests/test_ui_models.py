"""The desk's Qt models pass qtmodeltester; sorting and filtering work over the ids."""
from __future__ import annotations

import pytest

from PySide6.QtCore import QSettings, Qt

from desktop.store.db import open_library
from desktop.ui.context import Desk
from desktop.ui.settings import DeskSettings
from desktop.ui.table_models import IndicatorTableModel, WorkItemTableModel
from desktop.ui.tree_model import LibraryTreeModel
from tests.libraries import sample_library


@pytest.fixture
def desk(qapp, tmp_path):
    repo = sample_library(tmp_path / "lib.db")
    settings = DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    settings.reviewer = "测试"
    d = Desk(repo, settings)
    yield d
    d.undo_stack.clear()
    repo.close()


def test_tree_model(qtmodeltester, desk, tmp_path):
    model = LibraryTreeModel(desk.repo)
    qtmodeltester.check(model, force_py=True)
    report = model.index_for(desk.repo.reports.list_reports()[0].id)  # under its year and unit
    assert model.index(0, 0).data() == "2023年度" and report.parent().parent() == model.index(0, 0)
    model.fetchMore(report)
    qtmodeltester.check(model, force_py=True)
    with sample_library(tmp_path / "lib.db") as repo:
        assert model.section_count(repo.reports.list_reports()[0].id) == (4, 14)


@pytest.mark.parametrize("cls", [WorkItemTableModel, IndicatorTableModel])
def test_table_models(qtmodeltester, desk, cls):
    model = cls(desk)
    model.load(desk.repo.reports.list_reports()[0].id)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    model.set_filters(text="法治")
    qtmodeltester.check(model, force_py=True)


def test_indicator_sort_and_filters(desk):
    model = IndicatorTableModel(desk)
    model.load(desk.repo.reports.list_reports()[0].id)
    col = model.column_of("value")
    model.sort(col, Qt.SortOrder.DescendingOrder)
    values = [model.record(i).value for i in model.ids()]
    assert values == sorted(values, reverse=True)
    model.sort(col, Qt.SortOrder.AscendingOrder)
    assert [model.record(i).value for i in model.ids()] == sorted(values)
    model.set_filters(kind="rate")
    assert model.rowCount() > 0 and all(model.record(i).kind == "rate" for i in model.ids())
    model.set_filters(kind=None, section="一.(八)")
    assert {model.record(i).section_path for i in model.ids()} == {"一.(八)"}
    model.set_filters(section=None, text="复议")
    assert model.rowCount() > 0 and all("复议" in model.record(i).context or "复议" in model.record(i).name
                                        for i in model.ids())
    model.set_filters(text="")
    assert model.rowCount() == 43


def test_sort_keeps_the_selected_row(desk, qtbot):
    from PySide6.QtWidgets import QTableView

    model = WorkItemTableModel(desk)
    model.load(desk.repo.reports.list_reports()[0].id)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    chosen = model.record_id(5)
    view.setCurrentIndex(model.index(5, 1))
    model.sort(model.column_of("text"), Qt.SortOrder.AscendingOrder)
    assert model.record_id(view.currentIndex().row()) == chosen


def test_work_status_filter_and_choice_display(desk):
    model = WorkItemTableModel(desk)
    model.load(desk.repo.reports.list_reports()[0].id)
    col = model.column_of("status")
    assert model.setData(model.index(0, col), "滞后")
    model.set_filters(status="滞后")
    assert model.rowCount() == 1
    assert model.index(0, model.column_of("kind")).data() in ("举措成效", "存在不足", "工作主题", "工作任务")
