"""The desk sees writes made elsewhere (the CLI, another window): SQLite's data_version polled by a QTimer."""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger("desktop.ui")

POLL_MS = 1500  # PRAGMA data_version is one cheap read; a change shows within 1.5 s
# history entities -> the desk's change signal (what each view refreshes on)
_ENTITIES = {"work_item": "work_item", "indicator": "indicator", "annotation": "annotation",
             "rubric_score": "rubric", "report": "report", "unit": "report", "followup": "followup"}
_WHAT = {"work_item": "工作事项", "indicator": "指标", "annotation": "批注", "rubric": "评分", "report": "报告",
         "followup": "上年安排对照"}


class LibraryWatcher(QObject):
    """Polls the open library; when another connection has committed, tells the views what changed (through
    Desk.changed, as the desk's own edits do), empties the undo stack and notes it in the status bar."""

    def __init__(self, desk, parent=None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self.desk = desk
        self._version: int | None = None
        self._seen = 0
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        desk.library_opened.connect(self.reset)
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        repo = self.desk.repo
        if repo is None:
            self._version = None
            return
        try:
            self._version, self._seen = repo.reports.data_version(), repo.reports.last_history_id()
        except Exception:  # noqa: BLE001 - a library that cannot be read now is checked again on the next tick
            self._version = None

    def check(self) -> bool:
        """True when something changed elsewhere (and the views were told)."""
        repo = self.desk.repo
        if repo is None:
            return False
        try:
            version = repo.reports.data_version()
            if self._version is None or version == self._version:
                self._version = version
                return False
            self._version = version
            changes = repo.reports.changes_since(self._seen)
            self._seen = repo.reports.last_history_id()
        except Exception as exc:  # noqa: BLE001 - locked for a moment: look again later
            log.info("library check failed: %s", exc)
            return False
        kinds = list(dict.fromkeys(_ENTITIES[e] for e, _ in changes if e in _ENTITIES))
        if not changes:
            return False
        for kind in kinds:
            reports = {rid for e, rid in changes if _ENTITIES.get(e) == kind}
            for rid in (reports if len(reports) <= 20 and None not in reports else {None}):
                self.desk.notify(kind, rid)
        what = "、".join(_WHAT[k] for k in kinds) or "设置"
        note = self.desk.clear_undo(f"审阅库在别处被修改（{what}），已刷新")
        if note is None:
            self.desk.notice.emit(f"审阅库在别处被修改（{what}），已刷新")
        return True
