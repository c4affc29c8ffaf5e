"""Start the desk: platform check (before Qt is imported), Chinese Qt strings, error logging, the library, the window."""
from __future__ import annotations

import os
import sys

from desktop.ui.app import make_app, make_window, save_screenshot, skip_optional_heavy_imports
from desktop.ui.platform_check import check_platform


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
