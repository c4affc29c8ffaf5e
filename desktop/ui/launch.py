"""Start the desk: platform check (before Qt is imported), Chinese Qt strings, error logging, the library, the window."""
from __future__ import annotations

import os
import sys

from desktop.ui.platform_check import check_platform


def skip_optional_heavy_imports() -> None:
    """sqlite-utils imports pandas and numpy when they are installed (≈0.3 s) though the desk never uses them;
    mark them absent in this process so start-up stays fast (both libraries treat ImportError as "not there")."""
    for name in ("pandas", "numpy"):
        sys.modules.setdefault(name, None)


def launch(db: str | None = None, screenshot: str | None = None) -> int:
    """`python main.py [--db PATH] [--screenshot FILE.png]`; returns the exit status."""
    skip_optional_heavy_imports()
    result = check_platform()
    if not result.ok:
        if screenshot:  # a screenshot needs no display: render offscreen
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        else:
            print(result.message, file=sys.stderr)
            return 2
    app = make_app()
    from desktop.ui.errors import install_excepthook

    install_excepthook()
    if screenshot and os.path.isdir(screenshot):  # a folder: every window and dialog (desktop.ui.shots)
        from desktop.ui.shots import main as shots

        return shots([screenshot] + (["--db", db] if db else []))
    if screenshot:
        return _screenshot(db, screenshot)
    # The window shows first; the library (sqlite-utils and its imports, migrations, a first import of the
    # sample) opens right after, so start-up costs little more than an empty window.
    from PySide6.QtCore import QTimer

    window = make_window(None)
    window.show()

    def open_first() -> None:
        if not window.open_library(db, title="无法打开审阅库"):  # the message was shown
            app.exit(2)
        elif os.environ.get("FAZHI_QUIT_WHEN_READY"):  # tests/bench/bench_bundle.py: start → window with library
            app.exit(0)

    QTimer.singleShot(0, open_first)
    try:
        return app.exec()
    finally:
        if window.desk.repo is not None:
            window.desk.repo.close()


def _screenshot(db: str | None, path: str) -> int:
    from desktop.store.db import open_library
    from desktop.store.errors import LibraryError

    try:
        repo = open_library(db)
    except LibraryError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    try:
        return save_screenshot(make_window(repo, ephemeral_settings=True), path)
    finally:
        repo.close()


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
