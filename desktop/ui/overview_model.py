"""The 报告库 table's model: report ids and a light index up front, full rows fetched a page at a time as shown."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.kernel.labels import OVERVIEW_TABLE_COLUMNS as COLUMNS

ID_ROLE = Qt.ItemDataRole.UserRole + 20
SORT_ROLE = Qt.ItemDataRole.UserRole + 21
ROW_ROLE = Qt.ItemDataRole.UserRole + 22
INDEX_ROLE = Qt.ItemDataRole.UserRole + 23  # the light IndexEntry (filters use it; no full row is built)
COLUMN_KEYS = [k for k, _ in COLUMNS]
_NUMERIC = {"year", "problems", "plans", "indicators", "n_pass", "n_warn", "n_fail", "score", "annotations"}
_INDEXED = {"unit", "level", "year", "report_type", "published", "status", "annotations", "title"}
_COLOURS = {"n_pass": "#e2f0d9", "n_warn": "#fff2cc", "n_fail": "#f8cbad"}
PAGE = 64  # full rows fetched at once around the one asked for (a screenful and some)


def sort_key(key: str, value):
    """The order of a column's display value: numbers as numbers (blank first), text as text."""
    if key in _NUMERIC:
        return -1.0 if value == "" else float(value)
    return str(value)


class OverviewModel(QAbstractTableModel):
    """Rows over report ids. Reload reads only the light index (season.overview.overview_index); a row's full
    values (checks, scores, reviewers…) are read from the store a page at a time when a view asks for them,
    and sorting runs on the index (or on one column's values), never by building every row."""

    def __init__(self, repo, parent=None):
        super().__init__(parent)
        self.repo = repo
        self._ids: list[int] = []
        self._index: dict = {}  # report id -> IndexEntry
        self._rows: dict = {}  # report id -> OverviewRow, the pages fetched so far
        self._values: dict = {}
        self.rubric = None
        self.fetched = 0  # full rows built since the last reload (tests and the bench read it)
        self._sorted = None  # (column, order) the ids are in; None: the store's order

    def reload(self, repo=None) -> None:
        from desktop.review.rubric import load_rubric
        from desktop.season.overview import overview_index

        self.beginResetModel()
        self.repo = repo or self.repo
        self.rubric = load_rubric()
        entries = overview_index(self.repo, self.rubric, include_sample=True)  # the desk shows the sample
        self._ids = [e.report_id for e in entries]
        self._index = {e.report_id: e for e in entries}
        self._rows, self._values, self.fetched, self._sorted = {}, {}, 0, None
        self.endResetModel()

    # ------------------------------------------------------------------ rows, a page at a time
    def _fetch(self, ids) -> None:
        from desktop.season.overview import overview

        ids = [i for i in ids if i not in self._rows]
        if not ids:
            return
        many = len(ids) > len(self._ids) // 2  # most of the library: one unrestricted read is cheaper
        for row in overview(self.repo, rubric=self.rubric, report_ids=None if many else ids, include_sample=True):
            self._rows[row.report_id] = row
        self.fetched += len(ids)

    def _row(self, position: int):
        rid = self._ids[position]
        row = self._rows.get(rid)
        if row is None:
            start = max(0, position - PAGE // 4)
            self._fetch(self._ids[start:start + PAGE])
            row = self._rows.get(rid)
        return row

    def prefetch(self, report_ids) -> None:
        """Build the rows a view is about to show in one read (the panel passes the ids in view after a scroll,
        a filter or a sort), so that rows far apart in the store's order do not cost a page each."""
        self._fetch([i for i in report_ids if i in self._index])

    def row_of(self, report_id: int):
        """The full row of a report (fetched if not yet), None when it is not in the library."""
        if report_id not in self._index:
            return None
        if report_id not in self._rows:
            self._fetch([report_id])
        return self._rows.get(report_id)

    def rows(self) -> list:
        """Every full row in table order (builds them all: for exports and tests, not for showing)."""
        self._fetch(self._ids)
        return [self._rows[i] for i in self._ids if i in self._rows]

    def entries(self) -> list:
        """The light index in table order."""
        return [self._index[i] for i in self._ids]

    def _display(self, report_id: int, position: int) -> dict:
        values = self._values.get(report_id)
        if values is None:
            from desktop.season.overview import row_values

            row = self._rows.get(report_id) or self._row(position)
            if row is None:  # removed since the index was read (the panel reloads on the change)
                return dict.fromkeys(COLUMN_KEYS, "")
            values = self._values[report_id] = row_values(row)
        return values

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids) or not 0 <= index.column() < len(COLUMNS):
            return None
        position, key = index.row(), COLUMN_KEYS[index.column()]
        rid = self._ids[position]
        if role == ID_ROLE:
            return rid
        if role == INDEX_ROLE:
            return self._index[rid]
        if role == SORT_ROLE:
            entry = self._index[rid]
            value = entry.values()[key] if key in _INDEXED else self._display(rid, position)[key]
            return sort_key(key, value)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self._display(rid, position)[key])
        if role == ROW_ROLE:
            return self._rows.get(rid) or self._row(position)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(rid, position, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(rid, position)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _background(self, rid: int, position: int, key: str):
        """A count column's colour when it is not zero; 按时 in red when the report was late."""
        if key in _COLOURS and self._display(rid, position)[key] not in ("", 0):
            return QBrush(QColor(_COLOURS[key]))
        row = self._rows.get(rid) or self._row(position)
        if key == "on_time" and row is not None and row.on_time is False:
            return QBrush(QColor("#f8cbad"))
        return None

    def _tooltip(self, rid: int, position: int):
        """The report's title and file, and a note when its check results are out of date."""
        row = self._rows.get(rid) or self._row(position)
        if row is None:
            return None
        stale = "\n（报告已修改，检查结果将在打开报告或点“更新检查”时更新）" if row.checks_stale and row.n_pass is not None else ""
        return f"{row.title or row.file_name}\n文件：{row.file_name}{stale}"

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort the ids by a column: on the light index where it holds the column, else on that column's values
        (all rows fetched once: a click on 得分 or 未通过 costs what the old full load did, opening never does)."""
        if not 0 <= column < len(COLUMNS) or self._sorted == (column, order):
            return  # (the view asks again for the sort it has: the header's signal and sortByColumn both call)
        self._sorted, key = (column, order), COLUMN_KEYS[column]
        if key in _INDEXED:
            keys = {rid: sort_key(key, e.values()[key]) for rid, e in self._index.items()}
        else:
            from desktop.season.overview import row_values

            self._fetch(self._ids)
            keys = {rid: sort_key(key, row_values(self._rows[rid])[key] if rid in self._rows else "")
                    for rid in self._ids}
        self.layoutAboutToBeChanged.emit()
        before, persistent = list(self._ids), self.persistentIndexList()
        self._ids.sort(key=lambda rid: keys[rid], reverse=order == Qt.SortOrder.DescendingOrder)
        new = {rid: n for n, rid in enumerate(self._ids)}
        self.changePersistentIndexList(persistent, [self.index(new[before[p.row()]], p.column()) for p in persistent])
        self.layoutChanged.emit()


class OverviewFilter(QSortFilterProxyModel):
    """Filters by year, level, review status and a text (unit, title, file name, region) on the light index;
    sorting is passed to the source model (which sorts its ids without building every row)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.year: int | None = None
        self.level: str | None = None
        self.status: str | None = None
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None and column >= 0:
            source.sort(column, order)
        super().sort(-1, Qt.SortOrder.AscendingOrder)  # the source order as is (descending would reverse it)

    def set_filters(self, *, year=None, level=None, status=None, text="") -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+: invalidateFilter is deprecated
            self.beginFilterChange()
            self.year, self.level, self.status, self.text = year, level, status, (text or "").strip()
            self.endFilterChange()
        else:
            self.year, self.level, self.status, self.text = year, level, status, (text or "").strip()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        entry = self.sourceModel().index(source_row, 0, source_parent).data(INDEX_ROLE)
        if entry is None:
            return False
        if self.year is not None and entry.year != self.year:
            return False
        if self.level and entry.level != self.level:
            return False
        if self.status and entry.status != self.status:
            return False
        if self.text:
            hay = " ".join(str(x or "") for x in (entry.unit, entry.issuer, entry.title, entry.file_name,
                                                  entry.region))
            return self.text in hay
        return True
