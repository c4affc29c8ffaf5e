"""The desk's building blocks: the QApplication (Chinese locale and Qt strings), the main window, a screenshot."""
from __future__ import annotations

import sys


def skip_optional_heavy_imports() -> None:
    """sqlite-utils imports pandas and numpy when they are installed (≈0.3 s) though the desk never uses them;
    mark them absent in this process so start-up stays fast (both libraries treat ImportError as "not there")."""
    for name in ("pandas", "numpy"):
        sys.modules.setdefault(name, None)


def make_app():
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from desktop.ui.icons import app_icon
    from desktop.ui.settings import APP, ORG

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    elif not isinstance(app, QApplication):
        raise RuntimeError("a QGuiApplication already exists in this process; the desk needs a QApplication")
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationDisplayName("法治政府建设年度报告审阅台")
    app.setWindowIcon(app_icon())
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    from desktop.ui.qt_zh import install_qt_chinese

    install_qt_chinese(app)
    return app


def has_chinese_font() -> bool:
    from PySide6.QtGui import QFontDatabase

    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def make_window(repo, *, ephemeral_settings: bool = False, settings=None):
    from desktop.ui.context import Desk
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import DeskSettings, MemorySettings

    if settings is None:
        if ephemeral_settings:  # screenshots do not depend on (or change) the user's saved layout
            settings = DeskSettings(MemorySettings())
            settings.reviewer = "审阅人"
        else:
            settings = DeskSettings()
    if repo is not None:  # None: the window opens the library once it shows (launch)
        settings.add_recent_library(str(repo.path))
    desk = Desk(repo, settings)
    window = MainWindow(desk)
    if not has_chinese_font():
        window.statusBar().showMessage("未找到中文字体，文字可能显示为方框；Debian/Ubuntu 请安装 fonts-noto-cjk", 0)
    return window


def save_screenshot(window, path: str, size=(1480, 900)) -> int:
    from PySide6.QtWidgets import QApplication

    window.resize(*size)
    window.show()
    report = window.current_report_id()
    if report is not None:  # show a section selected, as a reviewer would see it
        sections = [s for s in window.desk.repo.reports.sections(report) if s.level == 2]
        if sections:
            window.select_in_tree(report, sections[min(3, len(sections) - 1)].path)
    for _ in range(5):
        QApplication.processEvents()
    ok = window.grab().save(path)
    window.close()
    if not ok:
        print(f"错误：{path}: 无法保存截图", file=sys.stderr)
        return 2
    print(path)
    return 0
