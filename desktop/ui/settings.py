"""QSettings persistence: window geometry, splitters, column widths, last report, recent libraries, reviewer."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORG, APP = "fazhi-review", "desk"
MAX_RECENT = 8


def app_settings() -> QSettings:
    return QSettings(ORG, APP)


class MemorySettings:
    """The part of QSettings the desk uses, kept in memory: a screenshot neither reads nor changes the user's
    saved layout, and leaves no file behind."""

    def __init__(self):
        self._values: dict = {}

    def value(self, key: str, default=None):
        return self._values.get(key, default)

    def setValue(self, key: str, value) -> None:  # noqa: N802 (QSettings' name)
        self._values[key] = value

    def sync(self) -> None:
        pass


class DeskSettings:
    """Typed access to the desk's QSettings (a test passes an INI-file QSettings)."""

    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings or app_settings()

    # --- raw state blobs (geometry, splitters, headers)
    def state(self, key: str) -> QByteArray | None:
        value = self.q.value(f"state/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state(self, key: str, value: QByteArray) -> None:
        self.q.setValue(f"state/{key}", value)

    # --- simple values
    @property
    def reviewer(self) -> str:
        return str(self.q.value("reviewer", "") or "")

    @reviewer.setter
    def reviewer(self, name: str) -> None:
        self.q.setValue("reviewer", name)

    def last_report(self, library: str) -> int | None:
        value = self.q.value(f"last_report/{_key(library)}")
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def set_last_report(self, library: str, report_id: int) -> None:
        self.q.setValue(f"last_report/{_key(library)}", int(report_id))

    def recent_libraries(self) -> list[str]:
        value = self.q.value("recent_libraries", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent_library(self, path: str) -> None:
        items = [path] + [p for p in self.recent_libraries() if p != path]
        self.q.setValue("recent_libraries", items[:MAX_RECENT])

    def sync(self) -> None:
        self.q.sync()


def _key(path: str) -> str:
    import hashlib

    return hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:16]
