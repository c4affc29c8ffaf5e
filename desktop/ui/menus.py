"""The main window's actions, menus and toolbar (Chinese labels, standard shortcuts)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QToolBar

from desktop.ui import letter_actions


def _action(window, text, slot, shortcut=None, icon=None, tip=None) -> QAction:
    action = QAction(text, window)
    if shortcut:
        shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda checked=False: slot())
    return action


def _open_followup(w) -> None:
    from desktop.ui.followup_view import open_followup  # loaded when first asked for

    open_followup(w)


def _open_guide(w) -> None:
    from desktop.ui.guide import show_guide  # loaded when first asked for

    show_guide(w)


def build_actions(w) -> dict[str, QAction]:
    from desktop.ui.server_sync import ServerSync
    from desktop.ui.team_dialogs import TeamActions

    sp = QStyle.StandardPixmap
    w.team = TeamActions(w)
    w.server = ServerSync(w)
    a = {
        "import": _action(w, "导入报告…", w.files.choose_and_import, QKeySequence.StandardKey.Open,
                          sp.SP_DialogOpenButton, "导入一个或多个报告文件（也可以把文件拖到窗口上）"),
        "export": _action(w, "导出台账…", lambda: w.files.export_ledger(), "Ctrl+E", sp.SP_DialogSaveButton,
                          "把工作安排导出为 Excel 台账"),
        "import_ledger": _action(w, "导入台账…", w.ledger.choose_files, None, None,
                                 "读回各部门填写的台账（可多选），空白不清除已有内容，冲突逐项选择"),
        "import_ledger_folder": _action(w, "导入文件夹中的台账…", w.ledger.choose_folder, None, None,
                                        "读回一个文件夹里的全部台账，作为一次操作（可撤销）"),
        "export_by_unit": _action(w, "按牵头单位导出台账…", lambda: w.ledger.export_by_unit(), None, None,
                                  "每个牵头单位一份：台账-<单位>.xlsx，只含该单位的任务"),
        "assign": _action(w, "分配任务…", lambda: w.ledger.assign(), None, None,
                          "为选中的工作安排设置牵头单位、配合单位、责任人、完成时限"),
        "ledger_status": _action(w, "台账填报情况", w.ledger.show_status, None, None,
                                 "各牵头单位的任务数、本轮是否交回、完成状态和逾期情况"),
        "timeline": _action(w, "任务进展记录", w.ledger.show_timeline, None, None,
                            "选中任务在各轮次读回的完成状态和进展"),
        "letter": _action(w, "导出审阅意见书…", lambda: letter_actions.export_current_letter(w), None, None,
                          "为当前报告起草审阅意见书，预览、取舍、修改后导出为 Word"),
        "letters": _action(w, "批量导出审阅意见书…", lambda: letter_actions.export_selected_letters(w), None, None,
                           "为选定的多份报告各导出一份审阅意见书"),
        "office": _action(w, "设置署名单位…", lambda: letter_actions.set_office_name(w)),
        "export_bundle": _action(w, "导出审阅包…", lambda: w.team.export_bundle(), None, None,
                                 "把本库的批注、评分、修改和分工导出为审阅包，交给同事合并"),
        "import_bundle": _action(w, "导入审阅包…", lambda: w.team.import_bundle(), None, None,
                                 "合并同事的审阅包：先预览将要新增和修改的内容"),
        "server_sync": _action(w, "与服务器同步…", lambda: w.server.sync(), None, None,
                               "与团队服务器交换批注、评分、修改、审阅状态和分工（本库仍是工作副本，断网也能继续审阅）"),
        "conflicts": _action(w, "审阅冲突…", w.team.show_conflicts, None, None, "合并时被同事更晚的修改覆盖的值"),
        "assign_reviewers": _action(w, "分工…", lambda: w.team.assign_current(), None, None,
                                    "指定审阅当前报告的人（随审阅包交换）"),
        "remove_report": _action(w, "删除报告…", lambda: w.files.remove_reports(), None, None,
                                 "从审阅库删除当前报告（连同批注、评分和台账读回记录；删除前自动备份，可撤销）"),
        "open_library": _action(w, "打开审阅库…", w.choose_library, None, sp.SP_DirOpenIcon),
        "new_library": _action(w, "新建审阅库…", w.new_library),
        # the platform's Quit key is empty on Windows and on some Linux themes: Ctrl+Q everywhere
        "quit": _action(w, "退出", w.close, "Ctrl+Q"),
        "annotate": _action(w, "添加批注", w.edits.add_annotation, "Ctrl+M", sp.SP_FileDialogDetailedView,
                            "为选中的文字、表格行或章节添加批注"),
        "split": _action(w, "拆分工作事项", w.edits.split_work_item, None, None, "在光标处把一条工作事项拆成两条"),
        "merge": _action(w, "合并工作事项", w.edits.merge_work_items, None, None, "把选中的两条工作事项合并为一条"),
        "add_indicator": _action(w, "新增指标…", w.edits.add_indicator, None, None, "把选中的文字作为一个新指标"),
        "add_work_item": _action(w, "新增工作事项", w.edits.add_work_item, None, None, "把选中的文字作为一个新的工作事项"),
        "delete_row": _action(w, "删除所选行", w.edits.delete_rows, None, None, "删除表格中选中的指标或工作事项"),
        "search": _action(w, "搜索…", w.focus_search, QKeySequence.StandardKey.Find, sp.SP_FileDialogContentsView),
        "reviewer": _action(w, "设置审阅人…", w.change_reviewer),
        "followup": _action(w, "上年安排对照…", lambda: _open_followup(w), "Ctrl+Shift+Y", None,
                            "上年报告的主要安排在本年报告中是否体现，以及指标年度对比"),
        "guide": _action(w, "使用说明", lambda: _open_guide(w), "F1", None,
                         "每个功能和命令的完整说明"),
        "about": _action(w, "关于", w.show_about, None, None, "版本、审阅库位置"),
    }
    undo = w.desk.undo_stack.createUndoAction(w, "撤销")
    undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
    undo.setIcon(w.style().standardIcon(sp.SP_ArrowBack))
    redo = w.desk.undo_stack.createRedoAction(w, "重做")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.setIcon(w.style().standardIcon(sp.SP_ArrowForward))
    a["undo"], a["redo"] = undo, redo
    for action in a.values():
        w.addAction(action)  # shortcuts work whatever has focus
    return a


def build_menus(w, a: dict[str, QAction]) -> None:
    bar = w.menuBar()
    file_menu = bar.addMenu("文件(&F)")
    for key in ("import", "export", "import_ledger", "letter", "letters", None, "export_bundle", "import_bundle",
                "server_sync", "conflicts", None, "remove_report"):
        if key is None:
            file_menu.addSeparator()
        else:
            file_menu.addAction(a[key])
    file_menu.addSeparator()
    file_menu.addAction(a["open_library"])
    file_menu.addAction(a["new_library"])
    w.recent_menu = file_menu.addMenu("最近的审阅库")
    w.recent_menu.aboutToShow.connect(w.fill_recent_menu)
    file_menu.addSeparator()
    file_menu.addAction(a["quit"])

    edit = bar.addMenu("编辑(&E)")
    edit.addAction(a["undo"])
    edit.addAction(a["redo"])
    edit.addSeparator()
    for key in ("annotate", "split", "merge", "add_indicator", "add_work_item", "delete_row"):
        edit.addAction(a[key])
    edit.addSeparator()
    edit.addAction(a["search"])
    edit.addAction(a["reviewer"])
    edit.addAction(a["assign_reviewers"])
    edit.addAction(a["office"])

    ledger = bar.addMenu("台账(&L)")
    for key in ("export", "export_by_unit", None, "import_ledger", "import_ledger_folder", None, "assign",
                "timeline", "ledger_status"):
        ledger.addSeparator() if key is None else ledger.addAction(a[key])

    view = bar.addMenu("视图(&V)")
    view.addAction(a["followup"])
    w.view_menu = view
    help_menu = bar.addMenu("帮助(&H)")
    help_menu.addAction(a["guide"])
    help_menu.addSeparator()
    help_menu.addAction(a["about"])

    tools = QToolBar("工具栏", w)
    tools.setObjectName("main_toolbar")
    tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    tools.setMovable(False)
    for key in ("import", "export", None, "annotate", "undo", "redo", None, "search"):
        if key is None:
            tools.addSeparator()
        else:
            tools.addAction(a[key])
    w.addToolBar(tools)
