"""Unhandled exceptions: logged to a file in the user data folder and shown in a plain Chinese dialog."""
from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.kernel.logs import route_third_party

APP_NAME = "fazhi-review"
log = logging.getLogger("desktop.ui")
_showing = False


def data_dir() -> Path:
    """The user data folder (created on demand)."""
    from desktop.kernel.paths import data_folder

    path = data_folder()
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_path() -> Path:
    return data_dir() / "desk.log"


def setup_logging(path: Path | None = None) -> Path:
    """Send the desk's log (warnings and errors) to a file; returns the file's path."""
    path = path or log_path()
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path for h in log.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        route_third_party(handler)
    return path


def show_error(parent: QWidget | None, message: str, title: str = "出错了", details: str | None = None) -> None:
    """A plain modal error dialog."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def handle_exception(exc_type, exc, tb) -> None:
    """sys.excepthook: log the traceback, then tell the user instead of crashing silently."""
    global _showing
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("unhandled exception\n%s", text)
    app = QApplication.instance()
    if app is None or _showing:
        sys.__excepthook__(exc_type, exc, tb)
        return
    _showing = True
    try:
        from desktop.kernel.plain import describe

        show_error(app.activeWindow(), f"发生了意外错误（{describe(exc)}）。\n\n详细信息已记录到日志文件：{log_path()}\n"
                                       "您的修改都已保存在审阅库中。", details=text)
    finally:
        _showing = False


def install_excepthook() -> Path:
    path = setup_logging()
    sys.excepthook = handle_exception
    return path
