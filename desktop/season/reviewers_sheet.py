"""The comparison workbook's 评分分歧 sheet: per report and criterion, each reviewer's score, the mean, the spread."""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from desktop.excel.rows import SheetRows, sheet_title
from desktop.excel.styles import setup_print
from desktop.review.rubric import Rubric
from desktop.review.service import score_summaries

SHEET_REVIEWERS = "评分分歧"
_DISAGREE_FILL = "FFC7CE"


def reviewers_sheet(wb, repo, rows, rubric: Rubric, scope: str):
    """Add the sheet for the overview `rows` scored by two or more reviewers (none: no sheet, None returned);
    returns the sheet's rows (excel.rows.SheetRows) for the workbook to splice in.

    One line per (report, criterion) with scores: 单位, 年度, 评分项, 各审阅人评分, 均分, 分差, 分工, 分歧 (red
    when the spread exceeds the rubric's threshold)."""
    summaries = score_summaries(repo, rubric, [r.report_id for r in rows])
    team = [r for r in rows if any(len(c.scores) > 1 for c in summaries.get(r.report_id, []))]
    if not team:
        return None
    ws = wb.create_sheet(SHEET_REVIEWERS)
    headers = ["单位", "年度", "评分项", "各审阅人评分", "均分", "分差", "分工", "分歧"]
    sheet_title(ws, f"多人评分对照（{scope}，{len(team)} 份报告由两人以上评分）", len(headers))
    widths = [26, 7, 16, 30, 7, 7, 14, 14]
    out = SheetRows(ws, widths)
    out.header(headers)
    for row in team:
        for c in summaries[row.report_id]:
            if not c.scores:
                continue
            crit = rubric.criterion(c.criterion_id)
            shown = "，".join(f"{name} {crit.scale.display(score)}" for name, score in c.scores)
            flag = f"分差超过 {c.threshold:g}" if c.disagree else ""
            fill = _DISAGREE_FILL if c.disagree else None
            values = (row.unit or "单位不详", row.year or "", c.name, shown, c.mean, c.spread, row.assigned, flag)
            out.add([(value, col in (1, 4), fill if col in (6, 8) else None) for col, value in enumerate(values, 1)])
    ws.freeze_panes = "A3"
    setup_print(ws, title_rows="1:2", area=f"A1:{get_column_letter(len(headers))}{max(2, out.writer.last_row)}")
    return out
