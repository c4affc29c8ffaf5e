"""What a new user trips over in the desk (issue 16, section 3), offscreen with real widgets and a real library."""
from __future__ import annotations

import time

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QInputDialog

from desktop.ui.app import make_app, make_window
from desktop.ui.settings import DeskSettings
from desktop.ui.tree_model import PATH_ROLE


# the desk over a seeded library file, as test_ui_desk opens it
from test_ui_desk import lib_path, repo, settings, window  # noqa: E402,F401


def _wait_for(predicate, timeout=30.0):
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        QApplication.processEvents()
        time.sleep(0.01)


def test_window_title_names_the_app_once(window):
    app_name = QApplication.applicationDisplayName()
    assert app_name == "法治政府建设年度报告审阅台"
    title = window.windowTitle()  # the platform appends the display name: the window must not add it too
    assert app_name not in title and window.report.title in title and "lib.db" in title


def test_whole_report_annotation_is_listed_without_empty_quotes(window):
    assert window.edits.add_annotation({"body": "整体较好", "tags": (), "score": None, "status": "待审"},
                                       target={"target_kind": "report"})
    window.select_in_tree(window.report_id, None)
    texts = [window.annotation_panel.list.item(i).text() for i in range(window.annotation_panel.list.count())]
    mine = next(t for t in texts if t.startswith("整体较好"))
    assert "〔整份报告〕" in mine and "“”" not in mine and "〔报告〕" not in mine


def test_search_hit_moves_tree_tables_and_ctrl_m_to_its_section(window):
    window.select_in_tree(window.report_id, "一.(一)")
    text = window.report.clean_text
    term = "合法性审查"
    hits = [h for h in window.search_panel.run(term) if h.kind == "text"]
    target = max(hits, key=lambda h: h.start)  # a hit far from the section selected now
    expected = max((s for s in window.desk.repo.reports.sections(window.report_id) if s.start <= target.start < s.end),
                   key=lambda s: s.level)
    assert expected.path != "一.(一)"
    row = window.search_panel.hits.index(target)
    window.search_panel.results.setCurrentRow(row)
    assert window.tree.currentIndex().data(PATH_ROLE) == expected.path
    assert window.section_path == expected.path
    shown = {window.work_model.record(window.work_model.record_id(r)).section_path
             for r in range(window.work_model.rowCount())}
    assert shown <= {p for p in (s.path for s in window.desk.repo.reports.sections(window.report_id))
                     if p == expected.path or p.startswith(expected.path + ".")}
    assert window.text_view._focus == (target.start, target.end) and term in text[target.start:target.end]
    window.text_view.setFocus()
    target_of_ctrl_m = window.edits.annotation_target()
    assert target_of_ctrl_m == {"target_kind": "section", "section_path": expected.path, "quote": expected.title}


def test_reimporting_a_new_version_clears_undo_with_a_note(window, tmp_path, sample_path):
    item = window.desk.repo.items.work_items(window.report_id, kind="plan_task")[0]
    window.work_table.select_record(item.id)
    col = [c.key for c in window.work_model.columns].index("progress")
    index = window.work_model.index(window.work_model.row_of(item.id), col)
    assert window.work_model.setData(index, "已完成初稿")
    assert window.desk.undo_stack.canUndo()
    changed = tmp_path / sample_path.name
    changed.write_text(sample_path.read_text(encoding="utf-8") + "\n附：补充说明一段。\n", encoding="utf-8")
    done = []
    window.files.import_reports([str(changed)], on_finished=done.append)
    _wait_for(lambda: done)
    assert done[0][0][0].status == "new_reading"
    assert not window.desk.undo_stack.canUndo()
    assert "之前的修改已不能撤销" in window.statusBar().currentMessage()
    assert window.desk.repo.items.get_work_item(item.id).progress == "已完成初稿"


def test_a_selected_figure_is_read_like_the_reader_reads_it(window, monkeypatch):
    text = window.report.clean_text
    start = text.index("超170万家")
    window.text_view.setTextCursor(window.text_view.cursor_for(start, start + len("超170万家")))
    monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(lambda *a, **k: (a[3], True)))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("市场主体", True)))
    assert window.edits.add_indicator()
    added = [i for i in window.desk.repo.items.indicators(window.report_id) if i.origin == "reviewer"]
    assert [(i.value, i.unit, i.qualifier, i.kind, i.name) for i in added] == [
        (1_700_000.0, "家", "over", "count", "市场主体")]
    window.desk.undo_stack.undo()
    assert not [i for i in window.desk.repo.items.indicators(window.report_id) if i.origin == "reviewer"]


def test_a_task_the_reader_missed_can_be_added_and_undone(window):
    text = window.report.clean_text
    plans = next(s for s in window.desk.repo.reports.sections(window.report_id) if s.role == "plans" and s.level == 2)
    start = plans.title_start if plans.title_start is not None else plans.start
    window.text_view.setTextCursor(window.text_view.cursor_for(start, start + 12))
    before = window.work_model.total_count()
    assert window.edits.add_work_item()
    added = [w for w in window.desk.repo.items.work_items(window.report_id) if w.origin == "reviewer"]
    assert len(added) == 1 and added[0].kind == "plan_task" and added[0].text == text[start:start + 12]
    assert added[0].section_path == plans.path and window.work_model.total_count() == before + 1
    window.desk.undo_stack.undo()
    assert window.work_model.total_count() == before
    window.desk.undo_stack.redo()
    assert window.work_model.total_count() == before + 1


def test_desk_scores_go_through_the_review_service(window, monkeypatch):
    import desktop.review.service as service

    calls = []
    real = service.set_score
    monkeypatch.setattr(service, "set_score", lambda *a, **k: calls.append(a[2:4]) or real(*a, **k))
    index = next(i for i in range(window.side_tabs.count()) if window.side_tabs.tabText(i) == "审阅检查")
    window.side_tabs.setCurrentIndex(index)
    box = window.review_panel.boxes["overall"]
    box.setCurrentIndex(box.findText("良"))
    assert calls == [("overall", 3.0)]
    assert window.desk.repo.scores.rubric_scores(window.report_id)[0].reviewer == "李审阅"


def test_the_window_shows_before_the_library_opens(qtbot, lib_path, tmp_path, monkeypatch):
    """launch(): the window first (no sqlite-utils on that path), the library right after — on first start the
    default library, with the sample marked 示例."""
    monkeypatch.setenv("FAZHI_DATA_DIR", str(tmp_path / "data"))
    make_app()
    desk_settings = DeskSettings(QSettings(str(tmp_path / "shell.ini"), QSettings.Format.IniFormat))
    w = make_window(None, settings=desk_settings)
    qtbot.addWidget(w)
    w.show()
    assert w.windowTitle() == "正在打开审阅库……" and w.tree_model.rowCount() == 0
    assert w.open_library(None)
    try:
        assert w.tree_model.rowCount() == 1 and w.report_id == 1 and "library.db" in w.windowTitle()
        assert w.work_model.total_count() == 25
        assert w.tree_model.report_nodes()[0].title.startswith("【示例】")
    finally:
        w.desk.repo.close()


def test_the_first_window_needs_no_sqlite_utils(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from desktop.ui.app import make_app, make_window\n"
            "from desktop.ui.settings import DeskSettings, MemorySettings\n"
            "app = make_app(); w = make_window(None, settings=DeskSettings(MemorySettings())); w.show()\n"
            "app.processEvents()\n"
            "print(sorted(m for m in ('sqlite_utils', 'click', 'pluggy', 'dateutil', 'sqlite3', 'desktop.store.db',\n"
            "                         'desktop.store.records', 'desktop.review.rubric') if m in sys.modules))"
            % str(root))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
