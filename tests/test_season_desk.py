"""The 报告库 overview in the desk: model checks, filters, identity edits and unit merges with undo, opening a report."""
from __future__ import annotations

import pytest

from PySide6.QtCore import QSettings, Qt

from desktop.review.service import refresh_findings
from desktop.store.db import open_library
from desktop.ui.app import make_app, make_window
from desktop.ui.season_overview import ID_ROLE, OverviewModel
from desktop.ui.settings import DeskSettings
from tests.season_texts import variant
from tests.test_ui_desk import settings, window  # noqa: E402,F401 - the desk's fixtures, over this module's repo
from tests.libraries import sample_library


@pytest.fixture
def repo(tmp_path):
    r = sample_library(tmp_path / "lib.db")  # the sample (杭州 2023)
    for city, year, issuer in (("宁波", 2023, None), ("宁波", 2022, "宁波市依法治市办"), ("温州", 2023, None)):
        r.reports.import_bytes(variant(city, year, issuer).encode("utf-8"), f"{city}{year}.txt")
    refresh_findings(r)
    yield r
    r.close()


def _column(model, header):
    return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)


def test_overview_model_passes_qtmodeltester(qtmodeltester, qapp, repo):
    model = OverviewModel(repo)
    model.reload()
    assert model.rowCount() == 4
    qtmodeltester.check(model, force_py=True)


def test_filters_sorting_and_opening_a_report(window, qtbot):
    panel = window.overview_panel
    window.actions_["overview"].trigger()
    assert panel.isVisible() and panel.model.rowCount() == 4
    proxy = panel.proxy
    panel.year_box.setCurrentText("2022年度")
    assert proxy.rowCount() == 1
    panel.year_box.setCurrentText("全部年度")
    panel.search.setText("宁波")
    assert proxy.rowCount() == 2 and panel.count_label.text() == "2 / 4 份"
    panel.search.clear()
    panel.status_box.setCurrentText("已审")
    assert proxy.rowCount() == 0
    panel.status_box.setCurrentText("全部状态")
    unit_col = _column(proxy, "单位")
    panel.table.sortByColumn(unit_col, Qt.SortOrder.AscendingOrder)
    units = [proxy.index(r, unit_col).data() for r in range(proxy.rowCount())]
    assert units == sorted(units)
    fail_col = _column(proxy, "未通过")
    assert all(proxy.index(r, fail_col).data() != "" for r in range(proxy.rowCount()))  # stored check results
    target = next(r for r in range(proxy.rowCount()) if proxy.index(r, unit_col).data() == "温州市司法局")
    panel.table.doubleClicked.emit(proxy.index(target, 0))
    assert window.report.issuer == "温州市司法局"


def test_identity_edit_and_unit_merge_are_undoable(window, repo):
    panel = window.overview_panel
    window.actions_["overview"].trigger()
    rid = next(r.report_id for r in panel.model.rows() if r.issuer == "温州市司法局")
    panel.table.setCurrentIndex(panel.proxy.mapFromSource(panel.model.index(panel.model._ids.index(rid), 0)))

    def fill(dialog):
        dialog.fields["level"].setCurrentText("市")
        dialog.fields["published"].setText("2024年4月9日")

    assert panel.edit_identity(dialog_hook=fill)
    row = panel.model.row_of(rid)
    assert (row.level, row.published, row.on_time) == ("市", "2024-04-09", False)
    assert window.desk.undo_stack.undoText() == "修改报告信息"
    window.desk.undo_stack.undo()
    row = panel.model.row_of(rid)
    assert (row.level, row.published, row.on_time) == ("部门", "2024-03-04", True)
    assert repo.reports.get_report(rid).edited_fields == ()
    # the 2022 report of 宁波市依法治市办 is the same unit as 宁波市司法局: merge, then undo
    old = next(r for r in panel.model.rows() if r.issuer == "宁波市依法治市办")
    panel.table.setCurrentIndex(panel.proxy.mapFromSource(panel.model.index(panel.model._ids.index(old.report_id), 0)))
    assert panel.merge_unit("宁波市司法局")
    grouped = [r for r in panel.model.rows() if r.unit == "宁波市司法局"]
    assert sorted(r.year for r in grouped) == [2022, 2023]
    years = [window.tree_model.index(i, 0) for i in range(window.tree_model.rowCount())]
    units_2022 = [window.tree_model.index(j, 0, years[1]).data() for j in range(window.tree_model.rowCount(years[1]))]
    assert units_2022 == ["宁波市司法局"]
    window.desk.undo_stack.undo()
    assert panel.model.row_of(old.report_id).unit == "宁波市依法治市办"


def test_overview_screenshot_and_export(window, tmp_path):
    panel = window.overview_panel
    window.actions_["overview"].trigger()
    shot = tmp_path / "overview.png"
    assert panel.grab().save(str(shot)) and shot.stat().st_size > 1000
    assert panel.table.model().index(0, 0).data(ID_ROLE) is not None
    panel.year_box.setCurrentText("2023年度")
    info = panel.export_summary(str(tmp_path / "汇总.xlsx"))  # the desk's 导出汇总 exports what is filtered
    assert info["reports"] == 3 and (tmp_path / "汇总.xlsx").stat().st_size > 5000


def test_reports_without_stored_checks_are_checked_when_the_overview_opens(qtbot, tmp_path):
    lib = sample_library(tmp_path / "many.db")
    cities = ("宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "苏州", "无锡")
    for n, city in enumerate(cities):
        lib.reports.import_bytes(variant(city, figures=n).encode("utf-8"), f"{city}.txt")  # no checks stored yet
    make_app()
    settings = DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    w = make_window(lib, settings=settings)
    qtbot.addWidget(w)
    try:
        w.actions_["overview"].trigger()
        panel = w.overview_panel
        assert panel.model.rowCount() == 13
        qtbot.waitUntil(lambda: all(r.n_pass is not None for r in panel.model.rows()), timeout=60000)
        assert not panel._checking
    finally:
        w.desk.undo_stack.clear()
        lib.close()


def test_overview_shows_the_title_and_everyone_who_scored(qapp, repo):
    """Reports of one unit are told apart by 标题; 审阅人 names every reviewer who annotated or scored."""
    from desktop.review.service import set_score

    rid = repo.reports.find_report("宁波2023.txt").id
    set_score(repo, rid, "completeness", 4, who="甲")
    set_score(repo, rid, "overall", "良", who="乙")
    repo.annotations.add_annotation(rid, target_kind="section", section_path="一", body="丙的批注", reviewer="丙")
    model = OverviewModel(repo)
    model.reload()
    title, reviewer = _column(model, "标题"), _column(model, "审阅人")
    assert _column(model, "单位") + 1 == title
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ID_ROLE) == rid)
    assert model.index(row, title).data() == repo.reports.get_report(rid).title
    assert sorted(model.index(row, reviewer).data().split("、")) == sorted(["甲", "乙", "丙"])


def test_remove_the_selected_reports_from_the_overview(window):
    """报告库 → 删除报告…: the selected rows go (one undoable command); 撤销 brings them back."""
    from PySide6.QtCore import QItemSelectionModel

    panel = window.overview_panel
    panel.refresh()
    proxy = panel.table.model()
    rows = [r for r in range(proxy.rowCount()) if "宁波" in (proxy.index(r, 0).data() or "")]
    assert len(rows) == 2
    selection = panel.table.selectionModel()
    for r in rows:
        selection.select(proxy.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    asked = []
    assert window.files.remove_reports(panel.selected_ids(), confirm=lambda text: asked.append(text) or True)
    assert "等" not in asked[0] and asked[0].count("《") == 2
    panel.refresh()  # (a hidden overview refreshes when shown)
    assert window.desk.repo.reports.report_count() == 2 and panel.model.rowCount() == 2
    window.actions_["undo"].trigger()
    assert window.desk.repo.reports.report_count() == 4
    panel.refresh()
    assert panel.model.rowCount() == 4
