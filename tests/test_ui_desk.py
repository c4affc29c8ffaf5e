"""The review desk offscreen over a real library file: tree, editing with undo, annotations, linked selection."""
from __future__ import annotations

import pytest

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox

from desktop.store.db import open_library
from desktop.ui.app import make_app, make_window
from desktop.ui.settings import DeskSettings
from desktop.ui.tree_model import PATH_ROLE
from tests.libraries import sample_library


@pytest.fixture
def lib_path(tmp_path):
    return tmp_path / "lib.db"


@pytest.fixture
def repo(lib_path):
    r = sample_library(lib_path)
    yield r
    r.close()


@pytest.fixture
def settings(tmp_path):
    s = DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    s.reviewer = "李审阅"
    return s


@pytest.fixture
def window(qtbot, repo, settings):
    make_app()
    w = make_window(repo, settings=settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.desk.undo_stack.clear()


def reread(lib_path):
    """A second connection to the same file: what is really stored."""
    return open_library(lib_path, seed_sample=False, backups=False)


def test_window_opens_on_the_sample_with_4_chapters_and_14_sections(window):
    model = window.tree_model
    assert model.rowCount() == 1  # the tree groups reports by year, then by unit
    year = model.index(0, 0)
    assert year.data() == "2023年度" and model.index(0, 1).data() == "1 份"
    unit = model.index(0, 0, year)
    assert unit.data() == "杭州市司法局"
    report = model.index(0, 0, unit)
    assert "杭州市司法局2023年法治政府建设年度报告" in report.data()
    chapters = [model.index(r, 0, report) for r in range(model.rowCount(report))]
    assert [c.data(PATH_ROLE) for c in chapters] == ["一", "二", "三", "四"]
    assert sum(model.rowCount(c) for c in chapters) == 14
    assert [model.rowCount(c) for c in chapters] == [8, 3, 0, 3]
    assert model.index(1, 1, chapters[0]).data() == ""  # not reviewed: grey dot, no text
    assert "未审阅" in model.index(1, 0, chapters[0]).data(Qt.ItemDataRole.ToolTipRole)
    assert window.work_model.rowCount() == 25 and window.indicator_model.rowCount() == 43
    assert window.text_view.toPlainText() == window.report.clean_text
    assert "杭州市司法局" in window.windowTitle()
    assert "章 4" in window.counts_label.text() and "节 14" in window.counts_label.text()


def test_editing_a_cell_writes_sqlite_and_undo_restores_table_and_file(window, lib_path):
    model = window.work_model
    model.set_filters(kind="plan_task")
    row, col = 0, model.column_of("status")
    item_id = model.record_id(row)
    assert model.index(row, col).data() == ""
    assert model.setData(model.index(row, col), "推进中")
    assert model.index(row, col).data() == "推进中"
    with reread(lib_path) as other:
        assert other.items.get_work_item(item_id).status == "推进中"
    assert window.actions_["undo"].text() == "撤销 修改完成状态"
    window.actions_["undo"].trigger()
    assert model.index(row, col).data() == ""
    with reread(lib_path) as other:
        assert other.items.get_work_item(item_id).status is None
    window.actions_["redo"].trigger()
    with reread(lib_path) as other:
        assert other.items.get_work_item(item_id).status == "推进中"


def test_status_cell_uses_a_list_editor(window, qtbot, lib_path):
    table = window.work_table
    model = window.work_model
    index = model.index(0, model.column_of("status"))
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    editor = table.view.findChild(QComboBox)
    assert editor is not None
    assert [editor.itemText(i) for i in range(editor.count())][1:] == ["未启动", "推进中", "已完成", "滞后", "常态化推进"]
    editor.setCurrentIndex(editor.findText("已完成"))
    table.view.commitData(editor)
    table.view.closeEditor(editor, table.view.itemDelegate().EndEditHint.NoHint)
    with reread(lib_path) as other:
        assert other.items.get_work_item(model.record_id(0)).status == "已完成"


def test_number_cell_of_an_indicator(window, lib_path):
    model = window.indicator_model
    col = model.column_of("value")
    ind_id = model.record_id(3)
    old = model.record(ind_id).value
    assert model.setData(model.index(3, col), "12.5")
    with reread(lib_path) as other:
        assert other.items.get_indicator(ind_id).value == 12.5
    assert not model.setData(model.index(3, col), "不是数字")
    window.desk.undo_stack.undo()
    assert model.record(ind_id).value == old


def select_text(window, start, end):
    window.text_view.setTextCursor(window.text_view.cursor_for(start, end))


def test_span_annotation_stores_the_quote_and_undo_removes_it(window, lib_path):
    text = window.report.clean_text
    start = text.index("法律顾问服务网格化")
    end = start + len("法律顾问服务网格化")
    select_text(window, start, end)
    window.text_view.setFocus()
    assert window.edits.add_annotation({"body": "覆盖面数据需核实口径", "tags": ("数据存疑", "新标签"),
                                        "score": 3.0, "status": "需核实"})
    with reread(lib_path) as other:
        (ann,) = other.annotations.annotations(window.report_id)
    assert (ann.target_kind, ann.quote, ann.start, ann.end) == ("span", "法律顾问服务网格化", start, end)
    assert ann.tags == ("数据存疑", "新标签") and ann.reviewer == "李审阅" and ann.section_path == "一.(四)"
    assert "新标签" in window.desk.repo.annotations.tags()
    assert window.annotation_panel.list.count() == 1
    assert (start, end, ann.id) in window.text_view._annotations
    assert window.tree_model.state_of(window.report_id, "一.(四)") == "annotated"
    assert window.actions_["undo"].text() == "撤销 添加批注"
    window.actions_["undo"].trigger()
    with reread(lib_path) as other:
        assert other.annotations.annotations(window.report_id) == []
    assert window.annotation_panel.list.count() == 0 and window.text_view._annotations == []
    assert window.tree_model.state_of(window.report_id, "一.(四)") == "unreviewed"
    window.actions_["redo"].trigger()
    with reread(lib_path) as other:
        assert [a.id for a in other.annotations.annotations(window.report_id)] == [ann.id]


def test_annotation_dialog_from_the_action_and_reviewer_asked_once(window, qtbot, monkeypatch, lib_path):
    window.desk.settings.reviewer = ""
    asked = []
    monkeypatch.setattr("desktop.ui.main_window.ask_reviewer", lambda parent, current="": asked.append(1) or "王五")
    window.select_in_tree(window.report_id, "二.(二)")

    def fill():
        dialog = QApplication.activeModalWidget()
        dialog.body.setPlainText("问题表述空泛，缺少具体数据")
        dialog.new_tag.setText("表述空泛，补充材料")
        dialog.status.setCurrentText("已审")
        dialog._accept()

    for _ in range(2):
        QTimer.singleShot(50, fill)
        window.actions_["annotate"].trigger()
    assert asked == [1]
    assert window.desk.settings.reviewer == "王五"
    with reread(lib_path) as other:
        anns = other.annotations.annotations(window.report_id)
    assert len(anns) == 2
    assert anns[0].target_kind == "section" and anns[0].section_path == "二.(二)"
    assert set(anns[0].tags) == {"表述空泛", "补充材料"} and anns[0].reviewer == "王五"
    assert window.tree_model.state_of(window.report_id, "二.(二)") == "reviewed"


def test_edit_and_delete_annotation_are_undoable(window, lib_path):
    window.select_in_tree(window.report_id, "一.(一)")
    window.edits.add_annotation({"body": "原意见", "tags": (), "score": None, "status": "待审"})
    ann = window.annotation_panel.records()[0]
    assert window.edits.edit_annotation(ann, {"body": "新意见", "tags": ("亮点",), "score": 4.0, "status": "已审"})
    assert window.annotation_panel.records()[0].body == "新意见"
    assert window.edits.delete_annotation(window.annotation_panel.records()[0])
    assert window.annotation_panel.records() == []
    stack = window.desk.undo_stack
    stack.undo()
    assert window.annotation_panel.records()[0].body == "新意见"
    stack.undo()
    with reread(lib_path) as other:
        restored = other.annotations.get_annotation(ann.id)
    assert (restored.body, restored.tags, restored.status) == ("原意见", (), "待审")


def test_table_row_scrolls_text_and_selects_tree_node(window):
    window.select_in_tree(window.report_id, None)
    model = window.indicator_model
    row = next(r for r in range(model.rowCount()) if model.record(model.record_id(r)).section_path == "一.(八)")
    rec = model.record(model.record_id(row))
    bar = window.text_view.verticalScrollBar()
    bar.setValue(0)
    window.table_tabs.setCurrentWidget(window.indicator_table)
    window.indicator_table.select_record(rec.id)
    assert window.text_view._focus == (rec.start, rec.end)
    assert window.text_view.textCursor().position() == rec.start
    assert bar.value() > 0
    assert window.tree.currentIndex().data(PATH_ROLE) == "一.(八)"
    assert window.indicator_model.rowCount() == 43  # selecting from the table does not filter it


def test_tree_node_filters_tables_and_scrolls_text(window):
    window.select_in_tree(window.report_id, "四.(一)")
    sec = window.section_record("四.(一)")
    assert window.text_view._section == (sec.start, sec.end)
    paths = {window.work_model.record(i).section_path for i in window.work_model.ids()}
    assert paths == {"四.(一)"} and window.work_model.rowCount() >= 2
    window.select_in_tree(window.report_id, "一")
    paths = {window.indicator_model.record(i).section_path for i in window.indicator_model.ids()}
    assert paths and all(p.startswith("一.") or p == "一" for p in paths)
    window.indicator_table.set_section(None)
    assert window.indicator_model.rowCount() == 43


def test_clicking_a_figure_in_the_text_selects_its_row(window, qtbot):
    model = window.indicator_model
    rec = next(model.record(i) for i in model.ids() if model.record(i).text == "98.76%")
    view = window.text_view
    view.show_span(rec.start, rec.end)
    window.table_tabs.setCurrentWidget(window.work_table)
    rect = view.cursorRect(view.cursor_for(rec.start + 1, rec.start + 1))
    rect.translate(view.fontMetrics().averageCharWidth() // 2, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.table_tabs.currentWidget() is window.indicator_table
    current = window.indicator_table.view.currentIndex()
    assert model.record_id(current.row()) == rec.id
    assert window.tree.currentIndex().data(PATH_ROLE) == rec.section_path


def test_split_merge_and_indicator_add_delete_undo(window, lib_path):
    model = window.work_model
    model.set_filters(kind="plan_task")
    window.work_table.select_record(model.record_id(0))
    first = model.record(model.record_id(0))
    before = model.total_count()
    assert window.edits.split_work_item(at=10)
    assert model.total_count() == before + 1
    assert window.actions_["undo"].text() == "撤销 拆分工作事项"
    window.desk.undo_stack.undo()
    assert model.total_count() == before and model.record(first.id).text == first.text

    ids = model.ids()[:2]
    sel = window.work_table.view.selectionModel()
    window.work_table.select_record(ids[0])
    sel.select(model.index(1, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
    assert window.edits.merge_work_items()
    assert model.total_count() == before - 1
    window.desk.undo_stack.undo()
    with reread(lib_path) as other:
        assert [other.items.get_work_item(i).deleted for i in ids] == [False, False]
        assert other.items.get_work_item(ids[0]).text == first.text

    text = window.report.clean_text
    start = text.index("22个重点产业")
    assert window.edits.add_indicator({"text": "22个", "start": start, "end": start + 3, "value": 22,
                                       "name": "重点产业合规指引", "unit": "个"})
    assert window.indicator_model.total_count() == 44
    window.desk.undo_stack.undo()
    assert window.indicator_model.total_count() == 43
    window.indicator_table.select_record(window.indicator_model.record_id(0))
    window.indicator_table.view.setFocus()
    assert window.edits.delete_rows()
    assert window.indicator_model.total_count() == 42
    window.desk.undo_stack.undo()
    assert window.indicator_model.total_count() == 43


def test_search_one_and_two_characters_and_annotations(window):
    window.edits.add_annotation({"body": "亚运保障的数据要核实", "tags": (), "score": None, "status": "待审"},
                                target={"target_kind": "report"})
    hits = window.search_panel.run("亚")
    assert any(h.kind == "text" for h in hits) and any(h.kind == "annotation" for h in hits)
    hits = window.search_panel.run("复议")
    assert hits and all("复议" in h.snippet for h in hits if h.kind == "text")
    assert window.search_panel.results.count() == len(hits)
    window.search_panel.results.setCurrentRow(0)
    assert window.text_view._focus == (hits[0].start, hits[0].end)
    assert window.search_panel.run("不存在的词语xyz") == []
    assert "没有找到" in window.search_panel.summary.text()


def test_review_panel_scores_are_undoable(window, lib_path):
    index = next(i for i in range(window.side_tabs.count()) if window.side_tabs.tabText(i) == "审阅检查")
    window.side_tabs.setCurrentIndex(index)
    panel = window.review_panel
    assert panel is not None and panel.tree.topLevelItemCount() >= 5
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0).child(0))
    assert window.text_view._findings
    box = panel.boxes["completeness"]
    box.setCurrentIndex(box.findText("4"))
    with reread(lib_path) as other:
        assert [(r.criterion_id, r.score) for r in other.scores.rubric_scores(window.report_id)] == [("completeness", 4.0)]
    assert "我的评分（李审阅）" in panel.total.text() and "1/" in panel.total.text()
    assert "团队评分" not in panel.total.text()  # only one reviewer: one score
    window.desk.undo_stack.undo()
    assert box.currentIndex() == 0
    with reread(lib_path) as other:
        assert other.scores.rubric_scores(window.report_id)[0].score is None


def test_keyboard_shortcuts_undo_redo_and_search(window, qtbot, lib_path):
    model = window.work_model
    col = model.column_of("owner")
    item_id = model.record_id(0)
    model.setData(model.index(0, col), "张三")
    window.activateWindow()
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.record(item_id).owner is None
    qtbot.keyClick(window.tree, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert model.record(item_id).owner == "张三"
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.tree, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    with reread(lib_path) as other:
        assert other.items.get_work_item(item_id).owner == "张三"
    qtbot.keyClick(window.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.side_tabs.currentWidget() is window.search_panel


def test_dropping_files_on_the_window_imports_them(window, monkeypatch, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    calls = []
    monkeypatch.setattr(window.files, "import_reports", lambda paths, on_finished=None: calls.append(paths))
    report = tmp_path / "报告.txt"
    report.write_text("测试", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(report))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert calls == [[str(report)]]


def test_open_another_library_and_refuse_a_foreign_file(window, monkeypatch, tmp_path):
    errors = []
    monkeypatch.setattr("desktop.ui.main_window.show_error", lambda parent, message, title="": errors.append(message))
    foreign = tmp_path / "not-a-library.db"
    foreign.write_bytes(b"this is not sqlite" * 100)
    assert not window.open_library(str(foreign))
    assert errors and "not-a-library.db" in errors[0]
    assert window.tree_model.rowCount() == 1 and window.report_id is not None
    second = tmp_path / "second.db"
    assert window.open_library(str(second))
    assert window.desk.library_path == str(second)
    # a library made at a path starts empty: nothing of the first library's report stays on screen
    assert window.tree_model.rowCount() == 0 and window.work_model.rowCount() == 0 and window.report_id is None
    assert window.text_view.toPlainText() == "" and window.annotation_panel.list.count() == 0
    assert str(second) in window.desk.settings.recent_libraries()
    assert "second.db" in window.windowTitle()


def test_the_checks_panel_labels_my_score_and_the_teams_side_by_side(window):
    """李审阅 has not scored; 甲 and 乙 have: the panel says so instead of a bare 0.0 beside the overview's total."""
    from desktop.review.service import scores_of, set_score, total_of

    repo = window.desk.repo
    set_score(repo, window.report_id, "completeness", 4, who="甲")
    set_score(repo, window.report_id, "overall", "优", who="乙")
    index = next(i for i in range(window.side_tabs.count()) if window.side_tabs.tabText(i) == "审阅检查")
    window.side_tabs.setCurrentIndex(index)
    panel = window.review_panel
    panel.refresh_scores()
    team = total_of(panel.rubric, scores_of(repo, window.report_id, rubric=panel.rubric))
    text = panel.total.text()
    assert "我的评分（李审阅）：未评分" in text
    assert f"团队评分：{team:.1f} / 100（乙、甲）" in text or f"团队评分：{team:.1f} / 100（甲、乙）" in text
    panel.boxes["completeness"].setCurrentIndex(panel.boxes["completeness"].findText("5"))
    assert "我的评分（李审阅）：15.0 / 100（已评 1/" in panel.total.text()
    assert "团队评分" in panel.total.text() and "李审阅" in panel.total.text().split("团队评分")[1]


def test_remove_a_report_in_the_desk_names_what_goes_and_undo_brings_it_back(window, lib_path):
    """删除报告: the confirmation names the annotations, scores and ledger rounds; the library file loses the report;
    撤销 restores it with its annotation; history records both."""
    rid = window.report_id
    window.desk.repo.annotations.add_annotation(rid, target_kind="section", section_path="一", body="待删的批注", reviewer="李审阅")
    asked = []
    assert window.files.remove_reports(confirm=lambda text: asked.append(text) or True)
    assert "批注 1 条" in asked[0] and "评分 0 项" in asked[0] and "台账读回 0 轮" in asked[0]
    assert "杭州市司法局2023年法治政府建设年度报告" in asked[0]
    with reread(lib_path) as other:
        assert other.reports.report_count() == 0
    assert window.tree_model.report_nodes() == [] and window.work_model.rowCount() == 0
    assert window.text_view.toPlainText() == ""
    assert window.actions_["undo"].text().startswith("撤销 删除报告《")
    window.actions_["undo"].trigger()
    with reread(lib_path) as other:
        assert [r.id for r in other.reports.list_reports()] == [rid]
        assert [a.body for a in other.annotations.annotations(rid)] == ["待删的批注"]
        assert [h.action for h in other.annotations.history(rid)][:2] == ["restore", "remove"]
    assert [n.report_id for n in window.tree_model.report_nodes()] == [rid]
    assert window.work_model.rowCount() > 0
    assert any("before-remove" in p.name for p in (lib_path.parent / "lib-backups").iterdir())
    assert not window.files.remove_reports(confirm=lambda text: False)  # 否: nothing happens
    with reread(lib_path) as other:
        assert other.reports.report_count() == 1


def test_the_desk_sees_writes_made_elsewhere_and_says_so(window, lib_path, qtbot, tmp_path):
    """The CLI imports a report, annotates the open one and sets a task's status while the desk is open: the tree,
    the annotation list and the table follow within the poll, with a note in the status bar."""
    from desktop.cli import main
    from tests.season_texts import variant

    rid = window.report_id
    task = next(w for w in window.desk.repo.items.work_items(rid) if w.kind == "plan_task")
    (tmp_path / "宁波.txt").write_text(variant("宁波"), encoding="utf-8")
    assert main(["--db", str(lib_path), "import", str(tmp_path / "宁波.txt")]) == 0
    assert main(["--db", str(lib_path), "annotate", str(rid), "--whole", "--comment", "命令行写的批注"]) == 0
    with reread(lib_path) as other:
        other.items.update_work_item(task.id, {"status": "已完成"}, who="命令行")
    qtbot.waitUntil(lambda: len(window.tree_model.report_nodes()) == 2, timeout=5000)
    assert window.report_id == rid
    assert "命令行写的批注" in [a.body for a in window.annotation_panel.records()]
    model = window.work_model
    row = next(r for r in range(model.rowCount()) if model.record_id(r) == task.id)
    assert model.index(row, model.column_of("status")).data() == "已完成"
    assert "审阅库在别处被修改" in window.statusBar().currentMessage()
    assert not window.watcher.check()  # nothing new since: no second refresh
