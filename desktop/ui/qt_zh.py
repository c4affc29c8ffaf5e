"""Qt's own strings in Chinese: qtbase_zh_CN.qm, plus the few strings newer Qt added that the .qm lacks."""
from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QTranslator

# (context, source text, disambiguation) → Chinese, for strings of Qt 6.x that qtbase_zh_CN.qm does not
# have yet (found by opening every Qt dialog the desk uses with a recording translator; see tests/test_qt_chinese.py).
SUPPLEMENT = {
    ("QFileDialog", "&Look in:", None): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:", None): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder", "All other platforms"): "文件夹",
    ("QAbstractFileIconProvider", "Folder", None): "文件夹",
    ("QAbstractFileIconProvider", "Drive", None): "驱动器",
    ("QAbstractFileIconProvider", "File", None): "文件",
    ("QAbstractFileIconProvider", "%1 File", "%1 is a file name suffix, for example txt"): "%1 文件",
}


class SupplementTranslator(QTranslator):
    """Answers only for SUPPLEMENT; None lets Qt ask the next translator (qtbase_zh_CN)."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D102 (Qt's virtual)
        return SUPPLEMENT.get((context, source, disambiguation or None))

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False


def load_qtbase(translator: QTranslator) -> bool:
    """qtbase_zh_CN.qm from the bundle, else from PySide6's translations folder."""
    from desktop.paths import qt_translations_dirs

    folders = [str(d) for d in qt_translations_dirs()]
    folders.append(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    for folder in folders:
        if translator.load("qtbase_zh_CN", folder):
            return True
    logging.getLogger("desktop.ui").warning("qtbase_zh_CN.qm not found in %s", folders)
    return False


def install_qt_chinese(app) -> list[QTranslator]:
    """Install both translators once per application (kept on the app so they stay alive)."""
    installed = getattr(app, "_desk_translators", None)
    if installed is None:
        base = QTranslator(app)
        if load_qtbase(base):
            app.installTranslator(base)
        supplement = SupplementTranslator(app)
        app.installTranslator(supplement)  # installed last, asked first
        installed = app._desk_translators = [base, supplement]
    return installed
