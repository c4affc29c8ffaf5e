"""审阅检查: automatic findings with their evidence in the text, and the reviewer's rubric scores with the total."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QHeaderView, QLabel, QSplitter, QTableWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from desktop.ui.commands import EditCommand

RESULT_COLORS = {"pass": "#2e9d49", "warn": "#c77700", "fail": "#c62828", "unknown": "#777777"}


class ReviewPanel(QWidget):
    def __init__(self, desk, text_view, parent=None):
        super().__init__(parent)
        from desktop.review.rubric import load_rubric

        self.desk, self.text_view = desk, text_view
        self.rubric = load_rubric()
        self.report_id: int | None = None
        self.findings: list = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["检查", "结果"])
        self.tree.setWordWrap(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.currentItemChanged.connect(self._on_item)
        self.detail = QLabel("点选一项检查，查看说明并在正文中标出依据。")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("QLabel { background: #f7f7f7; padding: 4px; }")
        self.scores = QTableWidget(len(self.rubric.criteria), 3)
        self.scores.setHorizontalHeaderLabels(["评分项", "权重", "评分"])
        self.scores.verticalHeader().hide()
        self.scores.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.scores.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.scores.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.total = QLabel()
        self.team = QLabel()  # several reviewers' scores: mean, spread, who, 分歧
        self.team.setWordWrap(True)
        self.boxes: dict[str, QComboBox] = {}
        for row, crit in enumerate(self.rubric.criteria):
            name = self._cell(crit.name)
            name.setToolTip(crit.description)
            self.scores.setItem(row, 0, name)
            self.scores.setItem(row, 1, self._cell(f"{crit.weight:g}"))
            box = QComboBox()
            box.addItem("未评分", None)
            for label, value in crit.scale.choices():
                box.addItem(label, value)
            box.currentIndexChanged.connect(lambda _i, c=crit, b=box: self._score_changed(c, b))
            self.scores.setCellWidget(row, 2, box)
            self.boxes[crit.id] = box
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(QLabel(f"评分表：{self.rubric.name}"))
        lower_layout.addWidget(self.scores, 1)
        lower_layout.addWidget(self.total)
        lower_layout.addWidget(self.team)
        split = QSplitter(Qt.Orientation.Vertical)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.summary)
        upper_layout.addWidget(self.tree, 1)
        upper_layout.addWidget(self.detail)
        split.addWidget(upper)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    @staticmethod
    def _cell(text: str):
        from PySide6.QtWidgets import QTableWidgetItem

        item = QTableWidgetItem(text)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        return item

    def set_report(self, report_id: int) -> None:
        from desktop.review.findings import summary
        from desktop.review.service import findings_for

        self.report_id = report_id
        from desktop.followup.service import with_followup  # issue 11: "N 项上年安排未提及"

        self.findings = with_followup(self.desk.repo, report_id, findings_for(self.desk.repo, report_id, self.rubric))
        self.summary.setText(f"自动检查：{summary(self.findings)}")
        self.tree.clear()
        for f in self.findings:
            item = QTreeWidgetItem([f"{f.title}：{f.explanation}", f.label])
            item.setData(0, Qt.ItemDataRole.UserRole, f)
            item.setToolTip(0, f.explanation)
            item.setForeground(1, QBrush(QColor(RESULT_COLORS.get(f.result, "#000"))))
            for ev in f.evidence:
                quote = ev.quote if len(ev.quote) <= 40 else ev.quote[:38] + "……"
                child = QTreeWidgetItem([f"“{quote}”" + (f"（{ev.note}）" if ev.note else ""), ""])
                child.setData(0, Qt.ItemDataRole.UserRole, ev)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
        self.refresh_scores()

    def refresh_scores(self) -> None:
        if self.report_id is None:
            return
        from desktop.review.service import scores_of, total_of

        records = scores_of(self.desk.repo, self.report_id, reviewer=self._me())
        for cid, box in self.boxes.items():
            rec = records.get(cid)
            box.blockSignals(True)
            pos = box.findData(rec.score) if rec and rec.score is not None else 0
            box.setCurrentIndex(max(pos, 0))
            box.blockSignals(False)
        self.total.setText(score_line(self.desk.repo, self.report_id, self.rubric, self._me(), records))
        from desktop.ui.team_dialogs import team_scores_text

        self.team.setText(team_scores_text(self.desk.repo, self.report_id, self.rubric))

    def _me(self) -> str:
        """The desk's reviewer, whose own scores the boxes show and set (each reviewer scores under their name)."""
        return self.desk.who() or self.desk.repo.default_who or ""

    def _score_changed(self, crit, box: QComboBox) -> None:
        if self.report_id is None:
            return
        from desktop.review.service import scores_of

        old = scores_of(self.desk.repo, self.report_id, reviewer=self._me()).get(crit.id)
        value = box.currentData()
        if value is not None:
            value = crit.scale.parse(value)
        old_pair = (old.score, old.comment) if old else (None, None)
        new_pair = (value, old.comment if old else None)
        if old_pair == new_pair:
            return
        command = EditCommand(self.desk, f"评分：{crit.name}", _score_edit, self.report_id, crit.id, value,
                              old.comment if old else None, rubric=self.rubric, label=f"评分：{crit.name}")
        if not self.desk.execute(command):
            self.refresh_scores()

    def _on_item(self, current, previous) -> None:
        if current is None:
            return
        data = current.data(0, Qt.ItemDataRole.UserRole)
        finding = data if hasattr(data, "evidence") else current.parent().data(0, Qt.ItemDataRole.UserRole)
        self.detail.setText(f"{finding.title}（{finding.label}）：{finding.explanation}")
        if hasattr(data, "evidence"):
            spans = [(e.start, e.end) for e in data.evidence]
            self.text_view.set_findings(spans)
            if spans:
                self.text_view.show_span(*spans[0])
        else:
            parent = current.parent().data(0, Qt.ItemDataRole.UserRole) if current.parent() else None
            if parent is not None:
                self.text_view.set_findings([(e.start, e.end) for e in parent.evidence])
            self.text_view.show_span(data.start, data.end)


def score_line(repo, report_id: int, rubric, me: str, mine: dict) -> str:
    """One labelled score per view: 我的评分 (the boxes above) and, where others scored too, 团队评分 — the
    figure the overview, `summary` and the letters use — side by side, so 0.0 and 32.0 never look like one score."""
    from desktop.review.service import scores_of, total_of

    n = len(rubric.criteria)
    done = sum(1 for r in mine.values() if r.score is not None)
    who = f"（{me}）" if me else ""
    mine_text = (f"我的评分{who}：{total_of(rubric, mine):.1f} / 100（已评 {done}/{n} 项）" if done
                 else f"我的评分{who}：未评分（0/{n} 项）")
    team = scores_of(repo, report_id, rubric=rubric)
    names = sorted({name for r in team.values() if r.score is not None for name in (r.reviewer or "").split("、") if name})
    if not names or names == [me]:
        return mine_text
    return f"{mine_text}　　团队评分：{total_of(rubric, team):.1f} / 100（{'、'.join(names)}）"


def _score_edit(repo, report_id: int, criterion_id: str, value, comment, *, who=None, rubric=None, label=None):
    """The desk's 评分 as an undoable edit: the review service writes it (checked against the criterion's scale),
    the store records the Edit. Review and store are loaded with the first score, not with the window."""
    from desktop.review import service
    from desktop.store import edits

    return edits.set_score(repo, report_id, criterion_id, value, comment, who, label or "评分",
                           write=lambda: service.set_score(repo, report_id, criterion_id, value, comment, who, rubric))
