"""Screenshots for review and docs: `python -m desktop.ui.shots OUTDIR [--db PATH]` writes the main window,
the annotation dialog, the search results, the review-check panel, the 审阅意见书 preview, Qt's file dialog, 关于 and
使用说明 (a temporary library by default). The desk runs it too: `main.py --screenshot FOLDER` with an existing folder."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.ui.shots")
    parser.add_argument("outdir")
    parser.add_argument("--db", help="library to show (default: a new temporary one with the sample)")
    args = parser.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fazhi-shots-") as scratch:  # removed afterwards
        return _shoot(out, args.db or str(Path(scratch) / "library.db"), seed=not args.db)


def _shoot(out: Path, db: str, seed: bool = False) -> int:
    from desktop.ui.app import make_app, make_window, skip_optional_heavy_imports

    skip_optional_heavy_imports()
    make_app()
    from PySide6.QtWidgets import QApplication

    from desktop.store.db import open_library
    from desktop.ui.annotations import AnnotationDialog

    repo = open_library(db, seed_sample=seed or None)
    window = make_window(repo, ephemeral_settings=True)
    window.resize(1480, 900)
    window.show()

    def settle():
        for _ in range(5):
            QApplication.processEvents()

    def save(widget, name):
        settle()
        path = out / name
        widget.grab().save(str(path))
        print(path)

    rid = window.report_id
    text = window.report.clean_text
    window.select_in_tree(rid, "一.(四)")
    if "满意率达98.76%" in text and not repo.annotations.annotations(rid):
        start = text.index("满意率达98.76%")
        window.edits.add_annotation({"body": "满意率的调查口径和样本量未说明，请补充。", "tags": ("数据存疑",),
                                     "score": 3.0, "status": "需核实"},
                                    target={"target_kind": "span", "start": start, "end": start + 10})
        window.select_in_tree(rid, "二.(一)")
        window.edits.add_annotation({"body": "问题只写现象，未分析原因。", "tags": ("表述空泛",), "score": None,
                                     "status": "已审"})
        window.select_in_tree(rid, "一.(四)")
    save(window, "main.png")

    span = window.text_view.cursor_for(text.index("法律顾问服务网格化"), text.index("法律顾问服务网格化") + 18)
    window.text_view.setTextCursor(span)
    dialog = AnnotationDialog(window, quote=window.text_view.textCursor().selectedText(), target="文字",
                              tags=repo.annotations.tags())
    dialog.body.setPlainText("覆盖“超170万家市场主体”的统计口径需说明：是否含个体工商户？")
    dialog.tag_list.item(1).setCheckState(dialog.tag_list.item(1).checkState().Checked)
    dialog.show()
    save(dialog, "annotation-dialog.png")
    dialog.close()

    window.focus_search()
    window.search_panel.run("复议")
    window.search_panel.results.setCurrentRow(2)
    save(window, "search.png")

    index = next(i for i in range(window.side_tabs.count()) if window.side_tabs.tabText(i) == "审阅检查")
    window.side_tabs.setCurrentIndex(index)
    panel = window.review_panel
    panel.tree.setCurrentItem(panel.tree.topLevelItem(5))
    save(window, "review.png")

    from desktop.letters.draft import draft_letter
    from desktop.ui.letter_dialog import LetterPreviewDialog

    letter = LetterPreviewDialog(draft_letter(repo, rid), window)
    letter.show()
    save(letter, "letter-preview.png")
    letter.close()
    _shoot_help_and_qt_dialogs(window, save)
    window.desk.undo_stack.clear()
    window.close()
    repo.close()
    return 0


def _shoot_help_and_qt_dialogs(window, save) -> None:
    """Qt's own file dialog (non-native, as on a desktop without a platform dialog), 关于 and 使用说明."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from desktop.ui.dialogs import about_text
    from desktop.ui.guide import show_guide
    from desktop.ui.icons import app_icon

    files = QFileDialog(window, "导入报告", str(Path.home()), "报告文件 (*.txt *.html *.docx *.pdf *.zip)")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    files.resize(820, 520)
    files.show()
    save(files, "file-dialog.png")
    files.close()
    about = QMessageBox(window)  # as 帮助 → 关于 shows it, without waiting for a click
    about.setWindowTitle("关于法治政府建设年度报告审阅台")
    about.setIconPixmap(app_icon().pixmap(64, 64))
    about.setText("<b>法治政府建设年度报告审阅台</b>")
    about.setInformativeText(about_text(window.desk.library_path))
    about.show()
    save(about, "about.png")
    about.close()
    guide = show_guide(window)
    save(guide, "guide.png")
    guide.close()


if __name__ == "__main__":
    sys.exit(main())
