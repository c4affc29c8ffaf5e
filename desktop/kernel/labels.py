"""The one table of Chinese labels for the codes the program stores, and the local-time formatter.

Every place a user reads a code — the CLI, the desk, workbook cells, letters, history — takes its words
from here, so a section role, a work-item kind or a stored field is called the same everywhere.
"""
from __future__ import annotations

from datetime import datetime

# Chapter roles (model.ROLES); the text before the first chapter has the path "preamble".
ROLE_LABELS = {
    "achievements": "举措和成效",
    "problems": "不足和原因",
    "first_responsible": "第一责任人履职",
    "plans": "下一年度安排",
    "other": "其他",
}
PREAMBLE = "preamble"
PREAMBLE_LABEL = "导语"
WHOLE_REPORT_LABEL = "整份报告"

# Work item kinds (model.ITEM_KINDS).
ITEM_KIND_LABELS = {"achievement": "举措成效", "problem": "存在不足", "plan_theme": "工作主题", "plan_task": "工作任务"}
# Document kinds (model.DOC_KINDS).
DOC_KIND_LABELS = {"annual_report": "年度报告", "work_plan": "工作计划/要点", "other": "其他文件"}
# Indicator kinds and qualifiers (model.QUALIFIERS).
INDICATOR_KIND_LABELS = {"count": "数量", "rate": "比率", "money": "金额", "rank": "排名", "ratio": "倍数",
                         "change": "增减", "duration": "时长", "score": "得分", "amount": "数额"}
QUALIFIER_LABELS = {"exact": "确数", "over": "以上/超过", "under": "以下/不足", "approx": "约数"}
BASIS_LABELS = {"yoy": "同比", "mom": "环比", "vs_year": "比基准年", None: ""}

# Values stored in Chinese, so each is its own label: a work item's 完成状态 (the ledger's dropdown too) and
# an annotation's (or an indicator check's) review state.
WORK_STATUSES = ("未启动", "推进中", "已完成", "滞后", "常态化推进")
ANNOTATION_STATUSES = ("待审", "已审", "需核实", "需整改", "已销号")
# A report in the season: its level, its kind (stored as these words) and where its review stands.
REPORT_LEVELS = ("省", "市", "县区", "部门", "其他")
REPORT_TYPES = ("年度报告", "工作要点", "其他")
REPORT_REVIEW_STATUSES = ("待审", "审阅中", "已审")
# The library overview's columns (desk table, `summary`, the comparison workbook), in display order.
OVERVIEW_COLUMNS = (
    ("unit", "单位"), ("level", "层级"), ("year", "年度"), ("report_type", "类型"), ("published", "发布日期"),
    ("on_time", "按时"), ("parts_found", "必备内容"), ("problems", "问题数"), ("plans", "安排数"),
    ("indicators", "指标数"), ("n_pass", "通过"), ("n_warn", "提醒"), ("n_fail", "未通过"), ("score", "评分"),
    ("status", "审阅状态"), ("reviewer", "审阅人"), ("annotations", "批注"), ("assigned", "分工"),
    ("disagree", "评分分歧"),
)
# The overview as a table (desk, `summary`): the report's title beside its unit, so reports of one unit — or
# several （单位不详） — can be told apart. (The comparison workbook has its own 报告标题 column at the end.) The score
# there is the team's (each criterion's mean over its reviewers), and says so beside the reviewer's own elsewhere.
OVERVIEW_TABLE_COLUMNS = (OVERVIEW_COLUMNS[0], ("title", "标题"),
                          *((key, "团队评分" if key == "score" else label) for key, label in OVERVIEW_COLUMNS[1:]))

# Outcome of importing a file (ImportResult.status).
IMPORT_STATUS_LABELS = {"new": "新导入", "unchanged": "未变化", "new_reading": "新版本"}
# A file of a batch import (season.batch): the import's outcome, or why there was none.
BATCH_STATUS_LABELS = {**IMPORT_STATUS_LABELS, "failed": "失败", "cancelled": "已取消"}
# Where an annotation or a kept edit stands after a new reading (records' `anchor`).
ANCHOR_LABELS = {"ok": "", "moved": "位置已更新", "orphaned": "找不到原文"}
# What an annotation is attached to (records.TARGET_KINDS).
TARGET_LABELS = {"report": WHOLE_REPORT_LABEL, "section": "章节", "work_item": "工作事项", "indicator": "指标",
                 "span": "文字"}
# Review state of a section in the tree and in `show`.
SECTION_STATE_LABELS = {"unreviewed": "未审阅", "annotated": "已批注", "reviewed": "已审阅"}

# History: what changed (records.HistoryRecord.entity / action / field).
ENTITY_LABELS = {"report": "报告", "section": "章节", "work_item": "工作事项", "indicator": "指标",
                 "annotation": "批注", "rubric_score": "评分", "tag": "标签", "unit": "单位", "assignment": "分工",
                 "conflict": "冲突", "followup": "上年安排对照", "setting": "设置",
                 "rectification": "整改反馈"}
ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除", "split": "拆分", "merge": "合并",
                 "import": "导入", "reimport": "重新导入", "unmerge": "取消合并", "alias": "添加别名",
                 "bundle": "合并审阅包", "bundle_lost": "合并审阅包（未采用的同时修改）",
                 "remove": "删除报告", "restore": "恢复报告"}
# Tracking fields of a work item, in ledger column order (the ledger's headers and the desk's columns).
TRACKING_FIELD_LABELS = {
    "category": "任务类别",
    "target": "量化目标",
    "lead_unit": "牵头单位",
    "partner_units": "配合单位",
    "owner": "责任人",
    "deadline": "完成时限",
    "progress": "进展情况",
    "status": "完成状态",
    "evidence": "佐证材料",
    "review_opinion": "审核意见",
    "remarks": "备注",
}
FIELD_LABELS = {
    **TRACKING_FIELD_LABELS,
    "text": "内容", "kind": "类型", "section_path": "章节", "theme": "所属主题", "deleted": "删除",
    "anchor": "定位", "start": "起点", "end": "终点", "position": "顺序", "merged_into": "并入",
    "origin": "来源", "edited_fields": "修改过的字段",
    "value": "数值", "unit": "单位", "qualifier": "限定", "name": "指标名称", "context": "原句",
    "check_status": "核查状态", "change_value": "变化值", "change_unit": "变化单位", "change_basis": "比较基准",
    "change_text": "变化",
    "body": "批注内容", "tags": "标签", "score": "评分", "reviewer": "审阅人", "quote": "引文",
    "comment": "评语", "note": "分工说明", "confirmed_by": "确认人", "confirmed_at": "确认时间",
    "file_name": "文件名", "sha256": "文件指纹", "title": "标题", "issuer": "发布单位", "report_year": "报告年度",
    "plan_year": "计划年度", "published": "发布日期", "doc_kind": "文件类型",
    "level": "层级", "region": "地区", "report_type": "类型", "review_status": "审阅状态", "alias": "别名",
    "office_name": "署名单位", "rectification_progress": "整改情况", "rectification_state": "整改状态",
}
# The same stored name means different things on different rows: an annotation's status is its review state.
_ENTITY_FIELD_LABELS = {("annotation", "status"): "审阅状态", ("tag", "name"): "标签名",
                        ("report", "issuer"): "单位", ("unit", "name"): "单位名称", ("unit", "merged_into"): "并入",
                        ("followup", "decision"): "审阅结论", ("followup", "note"): "结论批注",
                        ("followup", "machine_verdict"): "自动结论",
                        ("rectification", "progress"): "整改情况", ("rectification", "state"): "整改状态",
                        ("indicator", "text"): "原文", ("indicator", "kind"): "指标类型"}


def role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", role or "")


def section_label(path: str | None) -> str:
    """A section path as a user reads it: "preamble" is 导语, no path is the whole report."""
    if not path:
        return WHOLE_REPORT_LABEL
    return PREAMBLE_LABEL if path == PREAMBLE else path


def field_label(field: str | None, entity: str | None = None) -> str:
    """The Chinese name of a stored field (as history records it); unknown names come back unchanged."""
    if not field:
        return ""
    return _ENTITY_FIELD_LABELS.get((entity, field)) or FIELD_LABELS.get(field, field)


def local_time(iso: str | None, *, seconds: bool = False) -> str:
    """A stored ISO time as the user's local wall-clock time: '2026-12-02T01:56:41+00:00' → '2026-12-02 09:56'.

    A bare date stays a date; a time without an offset is taken as local; text that is no time comes back as is.
    """
    if not iso:
        return ""
    text = str(iso).strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:  # YYYY-MM-DD
        return moment.strftime("%Y-%m-%d")
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
