"""The desk's undo: one command over the store's `Edit` (every write returns its inverse); its base class."""
from __future__ import annotations

import logging

from PySide6.QtGui import QUndoCommand
from desktop.kernel.plain import describe

log = logging.getLogger("desktop.ui")


class DeskCommand(QUndoCommand):
    """`apply` runs once through Desk.execute (errors reach the user before anything is pushed);
    redo after an undo calls `apply` again, undo calls `revert`."""

    def __init__(self, desk, text: str):
        super().__init__(text)
        self.desk = desk
        self.skip_next_redo = False  # set by Desk.execute, which applied the edit before pushing it

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def _guard(self, fn) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - a locked or vanished row must not crash the window
            log.exception("undo/redo failed: %s", self.text())
            self.setObsolete(True)
            self.desk.error.emit(f"无法{'撤销' if fn == self.revert else '重做'}“{self.text()}”：{describe(exc)}")

    def redo(self) -> None:
        if self.skip_next_redo:
            self.skip_next_redo = False  # QUndoStack.push calls redo; Desk.execute has already applied it
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)


class EditCommand(DeskCommand):
    """Every desk edit: the store's write `edits.<write>(repo, *args, who=…, **kw)` (or a service's `write`, called
    the same way) makes it and returns its `Edit`
    (desktop/store/edits.py); undo writes the edit's inverse, redo the inverse of that. The store records each step
    in the history, so `main.py undo` sees the desk's edits too. (The store loads with the first edit, not with
    the first window.)"""

    def __init__(self, desk, text: str, write, /, *args, **kw):
        super().__init__(desk, text)
        self.write = lambda repo, who: (write if callable(write) else getattr(_edits(), write))(
            repo, *args, who=who, **kw)
        self.edit = None  # the edit standing (after apply)
        self.undone = None  # the undo of it (after revert), which a redo takes back

    def apply(self) -> None:
        repo, who = self.desk.repo, self.desk.who()
        if self.undone is None:
            self.edit = self.write(repo, who)
        else:
            self.edit, self.undone = _edits().revert(repo, self.undone, who, action="redo"), None
        refresh(self.desk, self.edit)

    def revert(self) -> None:
        self.undone = _edits().revert(self.desk.repo, self.edit, self.desk.who())
        refresh(self.desk, self.undone)


def _edits():
    from desktop.store import edits

    return edits


def refresh(desk, edit) -> None:
    """Tell the views what an edit (or its undo) changed."""
    kind, rid = edit.kind, edit.report_id
    if kind in ("work_item.fields", "indicator.fields"):
        desk.notify_records(kind.split(".")[0], [edit.record_id])
    elif kind == "work_items.fields":
        desk.notify_records("work_item", [i for i, _ in edit.after["items"]])
    elif kind == "report.removed":
        desk.notify("report", None if edit.after["removed"] else edit.after["report_ids"][0])
    elif kind.startswith("unit."):
        desk.notify("report", None)
    elif kind != "setting":
        entity = {"rubric_score": "rubric", "report.identity": "report", "followup.decision": "followup"}.get(
            kind, kind.split(".")[0])
        desk.notify(entity, rid)
