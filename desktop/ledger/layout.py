"""The ledger's fixed layout: sheet names, columns and header texts shared by export and read-back."""
from __future__ import annotations

from dataclasses import dataclass

from desktop.kernel import labels
from desktop.store.records import TRACKING_FIELDS, WORK_STATUSES

FORMAT = "fazhi-ledger/1"

SHEET_TRACKING = "工作要点跟踪台账"
SHEET_INDICATORS = "指标汇总"
SHEET_ANNOTATIONS = "审阅意见"
SHEET_OUTLINE = "报告结构"
SHEET_META = "台账信息"  # very hidden: format, library id, export time, reports
SHEET_SUMMARY = "汇总"  # per 牵头单位: tasks, returned, statuses, overdue, with a bar chart
FILLER_LABEL = "填报单位（盖章）："

# Rows of the tracking sheet.
TITLE_ROW = 1
FILLER_ROW = 2  # 填报单位 / 填报日期
HEADER_ROW = 3
FIRST_DATA_ROW = 4

STATUSES = WORK_STATUSES
GENERIC_TITLE = "法治政府建设主要安排落实情况跟踪表"
THEME_MARK = "主题:"  # hidden-ID value of a theme (group) row


@dataclass(frozen=True)
class Column:
    key: str  # a tracking field of WorkItemRecord, or seq / text / report / uid
    header: str
    min_width: float
    max_width: float
    centered: bool = False


_WIDTHS = {
    "seq": (5, 6, True),
    "category": (9, 14, False),
    "text": (40, 48, False),
    "target": (10, 16, False),
    "lead_unit": (10, 14, True),
    "partner_units": (10, 16, True),
    "owner": (8, 10, True),
    "deadline": (12, 15, True),
    "progress": (24, 30, False),
    "status": (10, 11, True),
    "evidence": (12, 16, False),
    "review_opinion": (12, 16, False),
    "remarks": (8, 12, False),
    "report": (14, 24, False),
    "uid": (10, 10, False),
}


def _column(key: str, header: str) -> Column:
    lo, hi, centered = _WIDTHS[key]
    return Column(key, header, lo, hi, centered)


def tracking_columns(with_report: bool) -> list[Column]:
    """序号 | 任务类别 | 工作任务 | 量化目标 | … | 备注 [| 来源报告] | 编号 (hidden)."""
    fields = list(TRACKING_FIELDS.items())
    cols = [_column("seq", "序号"), _column(*fields[0]), _column("text", "工作任务")]
    cols += [_column(k, h) for k, h in fields[1:]]
    if with_report:
        cols.append(_column("report", "来源报告"))
    cols.append(_column("uid", "编号"))
    return cols


ROLE_NAMES = labels.ROLE_LABELS
QUALIFIER_NAMES = {"exact": "", "over": "以上", "under": "不足", "approx": "约"}  # the short form beside a value
BASIS_NAMES = labels.BASIS_LABELS
ANCHOR_NAMES = labels.ANCHOR_LABELS

INDICATOR_HEADERS = ("章节", "指标名称", "数值", "单位", "限定", "变化", "原文", "核查状态")
ANNOTATION_HEADERS = ("章节", "引文", "意见", "标签", "评分", "状态", "审阅人", "时间", "定位")
OUTLINE_HEADERS = ("层级", "标题", "类型", "指标数", "工作事项数", "审阅意见数")
REPORT_HEADER = "来源报告"
