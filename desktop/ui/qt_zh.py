"""Qt's own strings in Chinese: qtbase_zh_CN.qm, plus resources/qt-supplement_zh_CN.qm for strings newer Qt added."""
from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QTranslator

SUPPLEMENT = "qt-supplement_zh_CN.qm"  # compiled from resources/qt-supplement_zh_CN.ts (pyside6-lrelease)


def load_qtbase(translator: QTranslator) -> bool:
    """qtbase_zh_CN.qm from the bundle, else from PySide6's translations folder."""
    from desktop.kernel.paths import qt_translations_dirs

    folders = [str(d) for d in qt_translations_dirs()]
    folders.append(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    for folder in folders:
        if translator.load("qtbase_zh_CN", folder):
            return True
    logging.getLogger("desktop.ui").warning("qtbase_zh_CN.qm not found in %s", folders)
    return False


def load_supplement(translator: QTranslator) -> bool:
    from desktop.kernel.paths import resource

    path = resource(SUPPLEMENT)
    return path is not None and translator.load(str(path))


def install_qt_chinese(app) -> list[QTranslator]:
    """Install both once per application (kept on the app so they stay alive); the supplement, installed
    last, is asked first and passes what it lacks on to qtbase_zh_CN.

    (Not a Python subclass overriding translate(): PySide6 drops a reference to None on every such call.)"""
    installed = getattr(app, "_desk_translators", None)
    if installed is None:
        installed = []
        for load in (load_qtbase, load_supplement):
            translator = QTranslator(app)
            if load(translator):
                app.installTranslator(translator)
                installed.append(translator)
        app._desk_translators = installed
    return installed
