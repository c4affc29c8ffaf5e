"""The report text: the selected section highlighted and scrolled to, annotated spans and figures coloured."""
from __future__ import annotations

import bisect

from PySide6.QtCore import Qt, Signal
from PySide6 import QtGui  # the text classes by attribute: made on first use, not while the desk starts
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QMenu, QTextEdit

SECTION_BG = QColor("#fff6d5")
FOCUS_BG = QColor("#ffd966")
ANNOTATION_BG = QColor("#ffd8b0")
FIGURE_FG = QColor("#1f5fbf")
FINDING_BG = QColor("#f4c7c3")


class OffsetMap:
    """Python string offsets <-> QTextDocument positions (they differ after characters outside the BMP)."""

    def __init__(self, text: str):
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_qt(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)

    def to_py(self, position: int) -> int:
        lo, hi = 0, position
        while lo < hi:  # largest offset whose qt position <= position
            mid = (lo + hi + 1) // 2
            if self.to_qt(mid) <= position:
                lo = mid
            else:
                hi = mid - 1
        return lo


class ReportTextView(QTextEdit):
    """Read-only text of one report. Offsets in and out are Python offsets into the report's clean_text."""

    figureClicked = Signal(int)  # indicator id
    annotationClicked = Signal(int)  # annotation id
    selectionSpanChanged = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setAcceptRichText(False)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) + 1.5)
        self.setFont(font)
        self.document().setDocumentMargin(14)
        self._map = OffsetMap("")
        self._text = ""
        self._section: tuple[int, int] | None = None
        self._focus: tuple[int, int] | None = None
        self._annotations: list[tuple[int, int, int]] = []  # (start, end, id)
        self._figures: list[tuple[int, int, int]] = []
        self._findings: list[tuple[int, int]] = []
        self.context_actions: list = []  # actions put at the top of the context menu (添加批注)
        self.selectionChanged.connect(self._emit_selection)

    # ------------------------------------------------------------------ content
    def set_report(self, text: str) -> None:
        self._text = text
        self._map = OffsetMap(text)
        self._section = self._focus = None
        self._annotations, self._figures, self._findings = [], [], []
        self.setPlainText(text)
        fmt = QtGui.QTextBlockFormat()
        fmt.setBottomMargin(7)
        fmt.setLineHeight(135, QtGui.QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor = QtGui.QTextCursor(self.document())
        cursor.select(QtGui.QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(fmt)
        self.document().setModified(False)
        self._refresh()

    def text(self) -> str:
        return self._text

    def set_annotations(self, spans) -> None:
        """spans: (start, end, annotation id)."""
        self._annotations = sorted((s, e, i) for s, e, i in spans if s is not None and e is not None and e > s)
        self._refresh()

    def set_figures(self, spans) -> None:
        """spans: (start, end, indicator id)."""
        self._figures = sorted((s, e, i) for s, e, i in spans if e > s)
        self._refresh()

    def set_findings(self, spans) -> None:
        self._findings = [(s, e) for s, e in spans if e > s]
        self._refresh()

    # ------------------------------------------------------------------ navigation
    def show_section(self, start: int, end: int) -> None:
        """Highlight a section and scroll its heading to the top."""
        self._section, self._focus = (start, end), None
        self._refresh()
        cursor = self.cursor_for(start, start)
        self.blockSignals(True)
        self.setTextCursor(cursor)
        self.blockSignals(False)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).top() - 8)

    def show_span(self, start: int, end: int, select: bool = False) -> None:
        """Scroll to a span (a figure, a task, an annotation) and mark it."""
        self._focus = (start, end)
        self._refresh()
        cursor = self.cursor_for(start, end if select else start)
        self.blockSignals(True)
        self.setTextCursor(cursor)
        self.blockSignals(False)
        self.center_on(cursor)

    def center_on(self, cursor: QtGui.QTextCursor) -> None:
        bar = self.verticalScrollBar()
        rect = self.cursorRect(cursor)
        bar.setValue(bar.value() + rect.center().y() - self.viewport().height() // 2)

    def clear_focus(self) -> None:
        self._focus = None
        self._refresh()

    def selection_span(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._map.to_py(cursor.selectionStart())
        end = self._map.to_py(cursor.selectionEnd())
        return (start, end) if end > start else None

    def cursor_offset(self) -> int:
        return self._map.to_py(self.textCursor().position())

    def offset_at(self, pos) -> int:
        return self._map.to_py(self.cursorForPosition(pos).position())

    def cursor_for(self, start: int, end: int) -> QtGui.QTextCursor:
        doc_end = max(self.document().characterCount() - 1, 0)
        cursor = QtGui.QTextCursor(self.document())
        cursor.setPosition(min(self._map.to_qt(start), doc_end))
        cursor.setPosition(min(self._map.to_qt(end), doc_end), QtGui.QTextCursor.MoveMode.KeepAnchor)
        return cursor

    # ------------------------------------------------------------------ painting
    def _selection(self, start: int, end: int, fmt: QtGui.QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        sel.cursor = self.cursor_for(start, end)
        sel.format = fmt
        return sel

    def _refresh(self) -> None:
        sels = []
        if self._section:
            fmt = QtGui.QTextCharFormat()
            fmt.setBackground(SECTION_BG)
            sels.append(self._selection(*self._section, fmt))
        fig = QtGui.QTextCharFormat()
        fig.setForeground(FIGURE_FG)
        fig.setFontUnderline(True)
        fig.setUnderlineStyle(QtGui.QTextCharFormat.UnderlineStyle.DotLine)
        sels += [self._selection(s, e, fig) for s, e, _ in self._figures]
        ann = QtGui.QTextCharFormat()
        ann.setBackground(ANNOTATION_BG)
        sels += [self._selection(s, e, ann) for s, e, _ in self._annotations]
        finding = QtGui.QTextCharFormat()
        finding.setBackground(FINDING_BG)
        sels += [self._selection(s, e, finding) for s, e in self._findings]
        if self._focus:
            fmt = QtGui.QTextCharFormat()
            fmt.setBackground(FOCUS_BG)
            fmt.setFontWeight(QFont.Weight.Bold)
            sels.append(self._selection(*self._focus, fmt))
        self.setExtraSelections(sels)

    # ------------------------------------------------------------------ events
    def _hit(self, spans, offset: int) -> int | None:
        for s, e, ident in spans:
            if s <= offset < e:
                return ident
        return None

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self.offset_at(event.position().toPoint())
        figure = self._hit(self._figures, offset)
        if figure is not None:
            self.figureClicked.emit(figure)
            return
        ann = self._hit(self._annotations, offset)
        if ann is not None:
            self.annotationClicked.emit(ann)

    def contextMenuEvent(self, event) -> None:
        menu: QMenu = self.createStandardContextMenu(event.pos())
        if self.context_actions:
            first = menu.actions()[0] if menu.actions() else None
            for action in self.context_actions:
                menu.insertAction(first, action)
            menu.insertSeparator(first)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _emit_selection(self) -> None:
        span = self.selection_span()
        if span:
            self.selectionSpanChanged.emit(*span)
