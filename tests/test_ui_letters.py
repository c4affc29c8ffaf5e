"""Desk: the 审阅意见书 preview (include, reorder, reword), export for several reports, office name, 整改 filter."""
from __future__ import annotations

import io

import pytest

from docx import Document
from PySide6.QtCore import QSettings, Qt

from desktop.store.db import open_library
from desktop.ui.app import make_app, make_window
from desktop.ui.letter_actions import export_current_letter, export_selected_letters
from desktop.ui.letter_dialog import CLOSING
from desktop.ui.settings import DeskSettings
from tests.conftest import SAMPLE
from tests.test_ui_files import wait_for
from tests.libraries import sample_library


@pytest.fixture
def window(qtbot, tmp_path):
    make_app()
    repo = sample_library(tmp_path / "lib.db")
    text = repo.reports.get_report(1).clean_text
    at = text.index("行政复议")
    repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 4, body="案件数需核对", status="需整改")
    repo.annotations.add_annotation(1, target_kind="section", section_path="二.(一)", body="请写明原因", status="需核实")
    repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 2, body="写得好", status="已审")
    settings = DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    settings.reviewer = "测试"
    w = make_window(repo, settings=settings)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.desk.undo_stack.clear()


def _paragraphs(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def test_preview_include_reorder_reword_then_export(window, tmp_path):
    seen = {}

    def review(dialog):
        problems = dialog.draft.section_items("problems")
        finding, note = problems[0], next(i for i in problems if i.kind == "annotation")
        dialog.node(finding.key).setCheckState(0, Qt.CheckState.Unchecked)  # leave one finding out
        dialog.tree.setCurrentItem(dialog.node(note.key))
        dialog.editor.setPlainText("改写：案件数与统计公报不一致，请核对。")
        dialog.tree.setCurrentItem(dialog.node(problems[2].key))
        assert dialog.move_current(-1)  # reorder
        dialog.tree.setCurrentItem(dialog.node(CLOSING))
        dialog.editor.setPlainText("特此函告。")
        dialog.office.setText("某市依法治市办")
        seen.update(left_out=finding.text, moved=problems[2].text, preview=dialog.preview.toPlainText())
        return True

    out = export_current_letter(window, str(tmp_path / "意见.docx"), review=review)
    texts = _paragraphs(out)
    joined = "\n".join(texts)
    assert seen["left_out"] not in joined
    assert "改写：案件数与统计公报不一致，请核对。" in joined and "案件数需核对" not in joined
    assert texts[texts.index("（一）报告编写方面") + 1] == "1." + seen["moved"]
    assert "特此函告。" in texts and texts[-2:] == ["某市依法治市办", texts[-1]]
    assert "改写：案件数与统计公报不一致" in seen["preview"] and "二、存在的主要问题" in seen["preview"]
    assert "写得好" not in joined
    assert window.desk.repo.letters.library_setting("office_name") == "某市依法治市办"
    window.desk.undo_stack.undo()  # the office name is an undoable desk edit
    assert window.desk.repo.letters.library_setting("office_name") is None


def test_cancelled_preview_writes_nothing(window, tmp_path):
    assert export_current_letter(window, str(tmp_path / "x.docx"), review=lambda d: False) is None
    assert not (tmp_path / "x.docx").exists()


def test_export_selected_reports_into_a_folder(window, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("杭州市司法局", "宁波市司法局")
    other = tmp_path / "ningbo.txt"
    other.write_text(text, encoding="utf-8")
    rid = window.desk.repo.reports.import_file(other).report.id
    window.reload_library(select_report=1)
    results = []
    export_selected_letters(window, [1, rid], str(tmp_path / "out"), on_finished=results.append)
    wait_for(lambda: results)
    files = sorted((tmp_path / "out").iterdir())
    assert results[0].reports == 2 and len(files) == 2
    assert any("宁波市司法局：" in _paragraphs(f) for f in files)


def test_annotation_panel_filters_by_status_and_shows_rectification(window, qtbot):
    panel = window.annotation_panel
    window.select_in_tree(1, None)
    assert len(panel.records()) == 3
    panel.status_filter.setCurrentText("需整改")
    assert [r.body for r in panel.records()] == ["案件数需核对"]
    assert "整改：未反馈" in panel.list.item(0).text()
    panel.status_filter.setCurrentText("已销号")
    assert panel.records() == []
    hidden = next(a for a in window.desk.repo.annotations.annotations(1) if a.status == "已审")
    panel.select(hidden.id)  # a click in the text on a hidden annotation shows it again
    assert panel.status_filter.currentText() == "全部状态" and panel.current().id == hidden.id


def test_letter_bytes_of_the_dialog_draft_match_the_cli_renderer(window):
    from desktop.letters.draft import draft_letter
    from desktop.letters.render import render_letter
    from desktop.ui.letter_dialog import LetterPreviewDialog

    draft = draft_letter(window.desk.repo, 1)
    dialog = LetterPreviewDialog(draft, window)
    same = Document(io.BytesIO(render_letter(dialog.draft_result())))
    direct = Document(io.BytesIO(render_letter(draft)))
    assert [p.text for p in same.paragraphs] == [p.text for p in direct.paragraphs]
    dialog.close()
