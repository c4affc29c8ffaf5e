"""The desk's shared state: the open repository, the undo stack, the reviewer, and a change signal."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

if TYPE_CHECKING:
    from desktop.store.library import Library


class Desk(QObject):
    """What every widget and undo command needs. `changed(entity, report_id)` tells views to refresh."""

    changed = Signal(str, int)  # rows added/removed: work_item | indicator | annotation | rubric | report ; report id or -1
    records_changed = Signal(str, list)  # rows edited in place: entity, ids
    library_opened = Signal()
    error = Signal(str)  # a user-facing failure to show in a dialog
    notice = Signal(str)  # something the user should know, shown in the status bar

    def __init__(self, repo: Library | None, settings, parent: QObject | None = None):
        super().__init__(parent)
        self.repo = repo
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.reviewer_provider = None  # callable asking for a name once (set by the main window)

    @property
    def library_path(self) -> str:
        return str(self.repo.path)

    def who(self) -> str | None:
        name = self.settings.reviewer
        if not name and self.reviewer_provider is not None:
            name = self.reviewer_provider() or ""
        return name or None

    def set_repo(self, repo: Library | None) -> None:
        old, self.repo = self.repo, repo
        self.undo_stack.clear()
        if old is not None and old is not repo:
            old.close()
        self.library_opened.emit()

    def clear_undo(self, reason: str) -> str | None:
        """A write outside the undo stack (a re-import…): undoing an older edit could restore a value from
        before it, so the stack is emptied and the user told why (the note is also returned)."""
        if not self.undo_stack.count():
            return None
        self.undo_stack.clear()
        note = f"{reason}，之前的修改已不能撤销"
        self.notice.emit(note)
        return note

    def notify(self, entity: str, report_id: int | None) -> None:
        self.changed.emit(entity, -1 if report_id is None else int(report_id))

    def execute(self, command) -> bool:
        """Apply an undo command now and push it; on failure show the reason and push nothing."""
        try:
            command.apply()
        except (ValueError, LookupError) as exc:
            self.error.emit(str(exc).strip("'\""))
            return False
        except Exception as exc:  # noqa: BLE001 - LibraryError and friends: tell the user, keep the window
            from desktop.store.errors import LibraryError

            if not isinstance(exc, LibraryError):
                raise
            self.error.emit(str(exc))
            return False
        command.skip_next_redo = True
        self.undo_stack.push(command)
        return True

    def notify_records(self, entity: str, ids) -> None:
        self.records_changed.emit(entity, [int(i) for i in ids])
