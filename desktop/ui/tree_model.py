"""The library tree: years → units → reports → chapters → sections, each section showing its review state."""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.kernel.labels import ROLE_LABELS, SECTION_STATE_LABELS, local_time
from desktop.ui.icons import state_icon

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "year" | "unit" | "report" | "section"
REPORT_ROLE = Qt.ItemDataRole.UserRole + 2  # report id
PATH_ROLE = Qt.ItemDataRole.UserRole + 3  # section path ("" for a report)
STATE_ROLE = Qt.ItemDataRole.UserRole + 4


class Node:
    __slots__ = ("parent", "children", "kind", "report_id", "path", "title", "record", "fetched", "row")

    def __init__(self, parent, kind, report_id, path="", title="", record=None):
        self.parent, self.kind, self.report_id, self.path, self.title = parent, kind, report_id, path, title
        self.record = record
        self.children: list[Node] = []
        self.fetched = kind != "report"
        self.row = 0


class LibraryTreeModel(QAbstractItemModel):
    """Reports load their sections lazily (fetchMore); `refresh_states` repaints the state dots."""

    HEADERS = ("报告 / 章节", "状态")

    def __init__(self, repo, parent=None):
        super().__init__(parent)
        self.repo = repo
        self.root = Node(None, "root", None)
        self._states: dict[int, dict[str, str]] = {}
        self._reports: dict[int, Node] = {}
        self.reload()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        self.beginResetModel()
        self.root.children = []
        self._states.clear()
        self._reports = {}
        self._group(self.repo.reports.list_reports() if self.repo is not None else ())
        self.endResetModel()

    def _group(self, reports) -> None:
        """One unit's reports across years group together: year (newest first) → unit → reports."""
        names = {u.id: u.name for u in self.repo.units.units(include_merged=True)} if hasattr(self.repo, "units") else {}
        sample = self.repo.removal.sample_report_id() if hasattr(self.repo, "removal") else None
        years: dict[int | None, dict[str, list]] = {}
        for rep in reports:
            unit = names.get(getattr(rep, "unit_id", None)) or rep.issuer or "单位不详"
            years.setdefault(rep.report_year, {}).setdefault(unit, []).append(rep)
        for year in sorted(years, key=lambda y: -(y or 0)):
            ynode = Node(self.root, "year", None, "", f"{year}年度" if year else "年度不详")
            ynode.row = len(self.root.children)
            self.root.children.append(ynode)
            for unit in sorted(years[year]):
                unode = Node(ynode, "unit", None, "", unit)
                unode.row = len(ynode.children)
                ynode.children.append(unode)
                for rep in years[year][unit]:
                    title = rep.title or rep.file_name
                    node = Node(unode, "report", rep.id, "", f"【示例】{title}" if rep.id == sample else title, rep)
                    node.row = len(unode.children)
                    unode.children.append(node)
                    self._reports[rep.id] = node

    def report_nodes(self) -> list[Node]:
        """Report nodes in tree order."""
        return [r for y in self.root.children for u in y.children for r in u.children]

    def set_repo(self, repo) -> None:
        self.repo = repo
        self.reload()

    def _build_sections(self, report_node: Node) -> list[Node]:
        by_path: dict[str, Node] = {}
        top: list[Node] = []
        for sec in self.repo.reports.sections(report_node.report_id):
            parent_node = by_path.get(sec.parent_path) if sec.parent_path else None
            node = Node(parent_node or report_node, "section", report_node.report_id, sec.path,
                        f"{sec.label}{sec.title}" if sec.label else sec.title, sec)
            (parent_node.children if parent_node else top).append(node)
            by_path[sec.path] = node
        for siblings in [top] + [n.children for n in by_path.values()]:
            for i, n in enumerate(siblings):
                n.row = i
        self._states[report_node.report_id] = self.repo.annotations.section_states(report_node.report_id)
        return top

    def canFetchMore(self, parent: QModelIndex) -> bool:
        node = self._node(parent)
        return node.kind == "report" and not node.fetched

    def fetchMore(self, parent: QModelIndex) -> None:
        node = self._node(parent)
        if node.kind != "report" or node.fetched:
            return
        children = self._build_sections(node)
        node.fetched = True
        if children:
            self.beginInsertRows(parent, 0, len(children) - 1)
            node.children = children
            self.endInsertRows()

    def refresh_states(self, report_id: int) -> None:
        rnode = self.report_node(report_id)
        if rnode is None or not rnode.fetched:
            return
        self._states[report_id] = self.repo.annotations.section_states(report_id)
        self._emit_changed_below(rnode)

    def _emit_changed_below(self, node: Node) -> None:
        if node.children:
            first = self.createIndex(0, 0, node.children[0])
            last = self.createIndex(len(node.children) - 1, 1, node.children[-1])
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.DisplayRole])
            for child in node.children:
                self._emit_changed_below(child)

    # ------------------------------------------------------------------ lookups
    def report_node(self, report_id: int) -> Node | None:
        return self._reports.get(report_id)

    def index_for(self, report_id: int, path: str | None = None) -> QModelIndex:
        """Index of a report (path None/"") or of one of its sections, fetching the sections if needed."""
        rnode = self.report_node(report_id)
        if rnode is None:
            return QModelIndex()
        rindex = self.createIndex(rnode.row, 0, rnode)
        if not path:
            return rindex
        if not rnode.fetched:
            self.fetchMore(rindex)
        stack = list(rnode.children)
        while stack:
            node = stack.pop()
            if node.path == path:
                return self.createIndex(node.row, 0, node)
            stack.extend(node.children)
        return QModelIndex()

    def section_count(self, report_id: int) -> tuple[int, int]:
        """(chapters, sections below chapters) of a report."""
        rnode = self.report_node(report_id)
        if rnode is None:
            return 0, 0
        if not rnode.fetched:
            self.fetchMore(self.createIndex(rnode.row, 0, rnode))
        below = 0
        stack = [c for ch in rnode.children for c in ch.children]
        while stack:
            n = stack.pop()
            below += 1
            stack.extend(n.children)
        return len(rnode.children), below

    def state_of(self, report_id: int, path: str) -> str:
        return self._states.get(report_id, {}).get(path, "unreviewed")

    # ------------------------------------------------------------------ Qt model API
    def _node(self, index: QModelIndex) -> Node:
        if index.isValid():
            return index.internalPointer()
        return self.root

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        node = self._node(parent)
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: D401
        if not index.isValid():
            return QModelIndex()
        node = index.internalPointer()
        up = node.parent
        if up is None or up is self.root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(self.HEADERS)

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        if node.kind == "report" and not node.fetched:
            return True
        return bool(node.children)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        col = index.column()
        if role == KIND_ROLE:
            return node.kind
        if role == REPORT_ROLE:
            return node.report_id
        if role == PATH_ROLE:
            return node.path
        if node.kind in ("year", "unit"):
            if role == Qt.ItemDataRole.DisplayRole:
                n = sum(len(u.children) for u in node.children) if node.kind == "year" else len(node.children)
                return node.title if col == 0 else f"{n} 份"
            return None
        if node.kind == "report":
            rep = node.record
            if role == Qt.ItemDataRole.DisplayRole:
                return node.title if col == 0 else (f"{rep.report_year}年" if rep.report_year else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{node.title}\n文件：{rep.file_name}\n导入：{local_time(rep.imported_at)}"
            return None
        state = self.state_of(node.report_id, node.path)
        if role == STATE_ROLE:
            return state
        if role == Qt.ItemDataRole.DisplayRole:
            return node.title if col == 0 else ("" if state == "unreviewed" else SECTION_STATE_LABELS.get(state, ""))
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return state_icon(state)
        if role == Qt.ItemDataRole.ToolTipRole:
            role_name = ROLE_LABELS.get(node.record.role, "")
            return f"{node.title}\n{role_name}　{SECTION_STATE_LABELS.get(state, '')}"
        return None
