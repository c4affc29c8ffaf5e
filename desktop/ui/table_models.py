"""Editable table models of work items (工作事项) and indicators (指标): ids in view order, records fetched
from the repository, sorting and filtering done over the ids (fast at 100,000 rows), edits via undo commands."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.kernel.labels import (
    ANNOTATION_STATUSES, INDICATOR_KIND_LABELS, ITEM_KIND_LABELS, QUALIFIER_LABELS, TRACKING_FIELD_LABELS, WORK_STATUSES,
)

ID_ROLE = Qt.ItemDataRole.UserRole + 10
RECORD_ROLE = Qt.ItemDataRole.UserRole + 11
EDITOR_ROLE = Qt.ItemDataRole.UserRole + 12  # "text" | "choice" | "date" | "number" | "longtext"
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 13  # [(value, label), ...]

_MISSING = object()


@dataclass(frozen=True)
class Column:
    key: str  # record attribute
    header: str
    editor: str | None = None  # None: read-only
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, shown label)
    width: int = 100
    sort_by_position: bool = False

    def display(self, value) -> str:
        if value is None:
            return ""
        if self.choices:
            return dict(self.choices).get(value, str(value))
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


def _sort_key(value):
    if value is None or value == "":
        return (2, 0, "")
    if isinstance(value, (int, float)):
        return (0, float(value), "")
    return (1, 0, str(value))


class RecordTableModel(QAbstractTableModel):
    """Base: holds `_ids` (visible rows in order) and `_records` (id -> record); subclasses name the columns."""

    entity = ""
    columns: tuple[Column, ...] = ()
    status_field = "status"

    def __init__(self, desk, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.report_id: int | None = None
        self._records: dict[int, object] = {}
        self._order: list[int] = []  # source order (repository position)
        self._ids: list[int] = []  # visible rows
        self._haystack: dict[int, str] = {}
        self._key_cache: dict[int, dict] = {}
        self._filters = {"section": None, "kind": None, "status": None, "text": ""}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        desk.records_changed.connect(self._on_records_changed)
        desk.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ subclass hooks
    def fetch_all(self, report_id):
        raise NotImplementedError

    def fetch_one(self, record_id):
        raise NotImplementedError

    def push_edit(self, record_id: int, field: str, old, new) -> None:
        from desktop.ui.commands import EditFieldCommand

        self.desk.execute(EditFieldCommand(self.desk, self.entity, record_id, field, old, new,
                                           self.columns[self.column_of(field)].header))

    # ------------------------------------------------------------------ loading, filtering, sorting
    def load(self, report_id: int | None) -> None:
        self.report_id = report_id
        self.set_records(self.fetch_all(report_id))

    def all_records(self) -> list:
        """Every record the model holds (visible or filtered out), in id order of loading."""
        return list(self._records.values())

    def set_records(self, records) -> None:
        """Replace all rows (the benchmark feeds 100,000 records this way)."""
        self._records = {r.id: r for r in records}
        self._order = [r.id for r in records]
        self._haystack.clear()
        self._key_cache.clear()
        self._rebuild()

    def reload(self) -> None:
        if self.report_id is not None or self._records:
            self.load(self.report_id)

    def set_filters(self, **filters) -> None:
        """section (path; its subsections too), kind, status, text (substring of any column)."""
        unknown = set(filters) - set(self._filters)
        if unknown:
            raise TypeError(f"unknown filters {unknown}")
        self._filters.update(filters)
        self._rebuild()

    @property
    def filters(self) -> dict:
        return dict(self._filters)

    def _matching(self) -> list[int]:
        f = self._filters
        recs = self._records
        ids = self._order
        section = f["section"]
        if section:
            prefix = section + "."
            ids = [i for i in ids if recs[i].section_path == section or recs[i].section_path.startswith(prefix)]
        if f["kind"]:
            kind = f["kind"]
            ids = [i for i in ids if recs[i].kind == kind]
        if f["status"]:
            status, name = f["status"], self.status_field
            ids = [i for i in ids if (getattr(recs[i], name) or "") == status]
        text = (f["text"] or "").strip().lower()
        if text:
            hay = self._haystack
            for i in ids:
                if i not in hay:
                    hay[i] = self._search_text(recs[i])
            ids = [i for i in ids if text in hay[i]]
        return ids

    def _search_text(self, rec) -> str:
        return "\x1f".join(c.display(getattr(rec, c.key, None)) for c in self.columns).lower()

    def _sorted(self, ids: list[int]) -> list[int]:
        if self._sort is None:
            return ids
        column, order = self._sort
        return sorted(ids, key=self._sort_keys(column).__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    def _sort_keys(self, column: int) -> dict:
        """id -> sort key of one column, computed once per column (edits update single entries)."""
        keys = self._key_cache.get(column)
        if keys is None:
            col = self.columns[column]
            if col.sort_by_position:
                keys = {i: n for n, i in enumerate(self._order)}
            else:
                key_of = self._key_function(col)
                keys = {i: key_of(r) for i, r in self._records.items()}
            self._key_cache[column] = keys
        return keys

    @staticmethod
    def _key_function(col: Column):
        labels = dict(col.choices)
        if labels:
            return lambda rec: _sort_key(labels.get(getattr(rec, col.key), getattr(rec, col.key)))
        return lambda rec: _sort_key(getattr(rec, col.key))

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._ids = self._sorted(self._matching())
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            self._sort = None
        else:
            self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_ids = [self._ids[p.row()] if p.row() < len(self._ids) else None for p in old_persistent]
        self._ids = self._sorted(self._matching() if self._sort is None else self._ids)
        where = {i: n for n, i in enumerate(self._ids)} if old_persistent else {}
        new = [self.index(where[i], p.column()) if i in where else QModelIndex()
               for p, i in zip(old_persistent, old_ids)]
        self.changePersistentIndexList(old_persistent, new)
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ record access
    def record_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def record(self, record_id: int):
        return self._records.get(record_id)

    def row_of(self, record_id: int) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def ids(self) -> list[int]:
        return list(self._ids)

    def total_count(self) -> int:
        return len(self._order)

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def _on_records_changed(self, entity: str, ids: list) -> None:
        if entity != self.entity:
            return
        for rid in ids:
            if rid not in self._records:
                continue
            rec = self.fetch_one(rid)
            self._records[rid] = rec
            self._haystack.pop(rid, None)
            for c, keys in self._key_cache.items():
                if not self.columns[c].sort_by_position:
                    keys[rid] = self._key_function(self.columns[c])(rec)
            row = self.row_of(rid)
            if rec.deleted:
                self._order.remove(rid)
                self._records.pop(rid)
                if row >= 0:
                    self.beginRemoveRows(QModelIndex(), row, row)
                    self._ids.pop(row)
                    self.endRemoveRows()
            elif row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def _on_changed(self, entity: str, report_id: int) -> None:
        if entity in (self.entity, "report") and (report_id < 0 or self.report_id in (None, report_id)):
            self.reload()

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        return str(section + 1) if 0 <= section < len(self._ids) else None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].editor:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        rid = self._ids[index.row()]
        col = self.columns[index.column()]
        rec = self._records[rid]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.display(getattr(rec, col.key, None))
        if role == Qt.ItemDataRole.EditRole:
            value = getattr(rec, col.key, None)
            return "" if value is None else value
        if role == Qt.ItemDataRole.ToolTipRole:
            text = col.display(getattr(rec, col.key, None))
            return text if len(text) > 12 else None
        if role == ID_ROLE:
            return rid
        if role == RECORD_ROLE:
            return rec
        if role == EDITOR_ROLE:
            return col.editor
        if role == CHOICES_ROLE:
            return list(col.choices) if col.choices else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col.editor == "number":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < len(self._ids):
            return False
        col = self.columns[index.column()]
        if not col.editor:
            return False
        rid = self._ids[index.row()]
        old = getattr(self._records[rid], col.key, None)
        new = self._coerce(col, value)
        if new is _MISSING or new == old or (new in (None, "") and old in (None, "")):
            return False
        self.push_edit(rid, col.key, old, new)
        return True

    @staticmethod
    def _coerce(col: Column, value):
        if col.editor == "number":
            if value in (None, ""):
                return _MISSING if col.key == "value" else None
            try:
                return float(value)
            except (TypeError, ValueError):
                return _MISSING
        if value is None:
            return None
        text = str(value).strip()
        return text or None


class WorkItemTableModel(RecordTableModel):
    entity = "work_item"
    status_field = "status"
    columns = (
        Column("section_path", "章节", width=70, sort_by_position=True),
        Column("kind", "类型", choices=tuple(ITEM_KIND_LABELS.items()), width=72),
        Column("theme", "主题", "text", width=160),
        Column("text", "内容", "longtext", width=320),
        *(Column(key, label,
                 "choice" if key == "status" else "date" if key == "deadline" else
                 "longtext" if key in ("progress", "evidence", "review_opinion") else "text",
                 tuple((s, s) for s in WORK_STATUSES) if key == "status" else (),
                 width=90 if key in ("status", "deadline", "owner", "category") else 130)
          for key, label in TRACKING_FIELD_LABELS.items()),
    )

    def fetch_all(self, report_id):
        return self.desk.repo.items.work_items(report_id)

    def fetch_one(self, record_id):
        return self.desk.repo.items.get_work_item(record_id)


class IndicatorTableModel(RecordTableModel):
    entity = "indicator"
    status_field = "check_status"
    columns = (
        Column("section_path", "章节", width=70, sort_by_position=True),
        Column("name", "指标名称", "text", width=200),
        Column("value", "数值", "number", width=80),
        Column("unit", "单位", "text", width=60),
        Column("qualifier", "限定", "choice", tuple(QUALIFIER_LABELS.items()), width=80),
        Column("kind", "类别", "choice", tuple(INDICATOR_KIND_LABELS.items()), width=60),
        Column("change_value", "变化", "number", width=70),
        Column("change_unit", "变化单位", "text", width=70),
        Column("text", "原文", width=90),
        Column("check_status", "核查", "choice", tuple((s, s) for s in ANNOTATION_STATUSES), width=70),
        Column("context", "所在语句", width=360),
    )

    def fetch_all(self, report_id):
        return self.desk.repo.items.indicators(report_id)

    def fetch_one(self, record_id):
        return self.desk.repo.items.get_indicator(record_id)
