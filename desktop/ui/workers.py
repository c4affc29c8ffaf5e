"""Background jobs on QThreadPool with a progress dialog and cancel, so the window never freezes."""
from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """Raised inside a job when the user pressed 取消."""


class Progress:
    """Handed to a job: call it with (done, total, message); it raises Cancelled once cancel was pressed."""

    def __init__(self, signals: "_Signals"):
        self._signals = signals
        self._cancel = threading.Event()

    def __call__(self, done: int = 0, total: int = 0, message: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self._signals.progress.emit(int(done), int(total), str(message or ""))

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object, str)  # exception, traceback text
    cancelled = Signal()


class Job(QRunnable):
    """Runs `fn(progress)` in a pool thread; results come back as Qt signals in the GUI thread."""

    def __init__(self, fn):
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()
        self.progress = Progress(self.signals)

    def run(self) -> None:  # pool thread
        try:
            result = self.fn(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread, never lost
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            if self.progress.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.done.emit(result)


_running: set[Job] = set()


def run_job(parent: QWidget | None, title: str, fn, *, on_done=None, on_error=None, on_cancel=None,
            label: str = "", pool: QThreadPool | None = None, delay_ms: int = 300) -> Job:
    """Start `fn(progress)` in the thread pool with a modal progress dialog offering 取消."""
    job = Job(fn)
    dialog = QProgressDialog(label or title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(delay_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    dialog.canceled.connect(job.progress.cancel)

    def on_progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if message:
            dialog.setLabelText(message)

    def finish() -> None:
        _running.discard(job)
        dialog.canceled.disconnect(job.progress.cancel)
        dialog.close()
        dialog.deleteLater()

    def done(result) -> None:
        finish()
        if on_done:
            on_done(result)

    def failed(exc, text) -> None:
        finish()
        if on_error:
            on_error(exc, text)
        else:
            raise exc

    def cancelled() -> None:
        finish()
        if on_cancel:
            on_cancel()

    job.signals.progress.connect(on_progress)
    job.signals.done.connect(done)
    job.signals.failed.connect(failed)
    job.signals.cancelled.connect(cancelled)
    _running.add(job)
    (pool or QThreadPool.globalInstance()).start(job)
    return job
