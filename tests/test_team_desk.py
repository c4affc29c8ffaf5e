"""The desk as a team member: 导出审阅包, 导入审阅包 with its preview, conflicts to confirm, refusals shown as a
message, and the reviewers' scores with 分歧 in the checks panel (real widgets, offscreen)."""
from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QLabel

from desktop.review.service import set_score
from desktop.store.bundle import export_bundle
from desktop.store.db import open_library
from desktop.ui.team_dialogs import BundlePreviewDialog, ConflictsDialog, team_scores_text
from tests.test_ui_desk import lib_path, repo, settings, window  # noqa: E402,F401 - the desk's fixtures
from tests.test_ui_files import wait_for
from tests.libraries import sample_library


@pytest.fixture(autouse=True)
def _reviewer(window):
    """The desk's window (test_ui_desk's fixtures), its reviewer 甲."""
    window.desk.settings.reviewer = "甲"


@pytest.fixture
def colleague_bundle(tmp_path) -> Path:
    """乙's library: an annotation on the same passage, a tracking field edit, scores far from 甲's."""
    with sample_library(tmp_path / "yi" / "library.db") as repo:
        repo.annotations.add_annotation(1, target_kind="span", start=100, end=130, body="乙：此处数据需核实", reviewer="乙")
        repo.items.update_work_item(repo.items.work_items(1, kind="plan_task")[0].id, {"progress": "乙填的进展"}, who="乙")
        set_score(repo, 1, "completeness", 1, who="乙")
        path = tmp_path / "乙.fzr"
        export_bundle(repo, path, author="乙")
    return path


def test_import_bundle_previews_then_merges_and_offers_conflicts(window, colleague_bundle, qtbot):
    repo = window.desk.repo
    item = repo.items.work_items(1, kind="plan_task")[0]
    repo.annotations.add_annotation(1, target_kind="span", start=100, end=130, body="甲：表述空泛", reviewer="甲")
    repo.items.update_work_item(item.id, {"progress": "甲填的进展"}, who="甲")
    set_score(repo, 1, "completeness", 5, who="甲")
    window.desk.undo_stack.push(_Noop())  # something to undo: a merge outside the stack must clear it
    assert window.desk.undo_stack.count() == 1
    previews, done = [], []
    window.team.import_bundle(str(colleague_bundle), confirm=lambda s: previews.append(s) or True,
                              on_finished=done.append)
    wait_for(lambda: done)
    preview = previews[0]
    assert preview.dry_run and preview.inserted == {"annotations": 1, "rubric_scores": 1}
    assert [c["field"] for c in preview.conflicts] == ["progress"]
    assert sorted(a.body for a in repo.annotations.annotations(1)) == ["乙：此处数据需核实", "甲：表述空泛"]
    assert window.desk.undo_stack.count() == 0
    merged = repo.items.get_work_item(item.id).progress
    loser = "甲填的进展" if merged == "乙填的进展" else "乙填的进展"
    dialog = ConflictsDialog(window.desk, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert "进展情况" in cells and loser in cells and not any("progress" in c or "T0" in c for c in cells)
    dialog.table.selectRow(0)
    dialog.confirm_selected()
    assert dialog.table.rowCount() == 0 and repo.team.conflicts() == []
    text = team_scores_text(repo, 1, window.review_panel.rubric if window.review_panel else _rubric())
    assert "内容完整：均分 3，分差 4（乙 1，甲 5）" in text and "分歧" in text

    again = []
    window.team.import_bundle(str(colleague_bundle), confirm=lambda s: again.append(s) or True,
                              on_finished=done.append)
    wait_for(lambda: again)
    assert again[0].unchanged


class _Noop(QUndoCommand):
    def redo(self):
        pass

    def undo(self):
        pass


def _rubric():
    from desktop.review.rubric import load_rubric

    return load_rubric()


def test_preview_dialog_lists_what_will_change(window, colleague_bundle, qtbot):
    from desktop.store.bundle import import_bundle

    window.desk.repo.items.update_work_item(window.desk.repo.items.work_items(1, kind="plan_task")[0].id,
                                      {"progress": "甲填的进展"}, who="甲")
    manifest, summary = import_bundle(window.desk.repo, colleague_bundle, dry_run=True)
    dialog = BundlePreviewDialog(str(colleague_bundle), manifest, summary, window)
    qtbot.addWidget(dialog)
    labels = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "乙 于" in labels and "新增 批注 1 条，评分 1 条" in labels
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "进展情况"


def test_export_bundle_from_the_desk_and_refusal_as_a_message(window, tmp_path, monkeypatch):
    path = tmp_path / "甲.fzr"
    done = []
    window.desk.repo.annotations.add_annotation(1, target_kind="report", body="甲的总体意见", reviewer="甲")
    window.team.export_bundle(str(path), report_ids=[window.report_id], on_finished=done.append)
    wait_for(lambda: done)
    assert path.exists() and done[0]["reports"] == 1 and done[0]["author"] == "甲"
    errors = []
    monkeypatch.setattr("desktop.ui.team_dialogs.show_error", lambda parent, message, title="": errors.append(message))
    bad = tmp_path / "坏.fzr"
    bad.write_bytes(path.read_bytes()[:300])
    window.team.import_bundle(str(bad), confirm=lambda s: pytest.fail("a bad bundle must not reach the preview"))
    wait_for(lambda: errors)
    assert "坏.fzr" in errors[0] and "不是有效的审阅包" in errors[0]


def test_file_menu_offers_the_team_actions(window):
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert {"导出审阅包…", "导入审阅包…", "审阅冲突…"} <= set(texts)


def test_assign_the_current_report_from_the_desk(window):
    assert window.team.assign_current("乙、丙") == ["乙", "丙"]
    assert window.desk.repo.team.assignments(window.report_id) == {window.report_id: ["丙", "乙"]}
    assert window.team.assign_current("丙") == ["丙"]
    assert window.desk.repo.team.assignments(window.report_id) == {window.report_id: ["丙"]}
    assert team_scores_text(window.desk.repo, window.report_id, _rubric()) == "分工：丙"
    texts = [a.text() for a in window.menuBar().actions()[1].menu().actions()]
    assert "分工…" in texts


def test_overview_workbook_and_window_show_the_team(window, qtbot, tmp_path):
    """The 报告库 overview: the team's score (mean on the scale), 分工 and 评分分歧; the comparison workbook's
    评分分歧 sheet; 分工… from the overview window."""
    import openpyxl
    from desktop.season.overview import overview, row_values
    from desktop.season.workbook import export_summary
    from desktop.ui.season_overview import OverviewPanel

    repo = window.desk.repo
    set_score(repo, 1, "completeness", 5, who="甲")
    set_score(repo, 1, "completeness", 1, who="乙")
    set_score(repo, 1, "evidence", 3, who="甲")
    panel = OverviewPanel(window.desk)
    qtbot.addWidget(panel)
    panel.show()
    panel.table.selectRow(0)
    assert panel.assign("甲、乙") == ["甲", "乙"]
    (row,) = overview(repo)
    values = row_values(row)
    assert (values["assigned"], values["disagree"]) == ("乙、甲", "内容完整")  # names sorted by code point
    assert row.scores == {"completeness": 3.0, "evidence": 3.0}  # the mean of 5 and 1, one reviewer as is
    headers = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.model.columnCount())]
    assert "分工" in headers and "评分分歧" in headers
    path = tmp_path / "汇总.xlsx"
    export_summary(repo, path)
    ws = openpyxl.load_workbook(path)["评分分歧"]
    lines = [[c.value for c in r] for r in ws.iter_rows(min_row=3) if r[0].value]
    assert lines[0][2:8] == ["内容完整", "乙 1，甲 5", 3, 4, "乙、甲", "分差超过 1.5"]
    assert lines[1][2:6] == ["成效有数据、有案例", "甲 3", 3, 0]
