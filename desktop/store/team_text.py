"""What a reviewer reads about bundles and merges (Chinese labels, local times), shared by the CLI and the desk."""
from __future__ import annotations

from datetime import datetime

from desktop.store.records import TRACKING_FIELDS

ENTITY_NAMES = {"indicator": "指标", "work_item": "工作事项", "annotation": "批注", "rubric_score": "评分",
                "assignment": "分工", "conflict": "冲突"}
TABLE_NAMES = {"indicators": "指标", "work_items": "工作事项", "annotations": "批注", "rubric_scores": "评分",
               "assignments": "分工", "conflicts": "冲突记录"}
FIELD_NAMES = {
    **TRACKING_FIELDS,
    "text": "文字", "theme": "主题", "kind": "类型", "section_path": "所在章节", "start": "起始位置",
    "end": "结束位置", "deleted": "删除", "merged_into": "合并到", "anchor": "定位", "position": "顺序",
    "value": "数值", "unit": "单位", "qualifier": "限定", "name": "名称", "context": "上下文",
    "change_value": "增减值", "change_unit": "增减单位", "change_basis": "比较基准", "change_text": "增减表述",
    "check_status": "核对状态", "body": "批注内容", "tags": "标签", "score": "分数", "comment": "评语",
    "reviewer": "审阅人", "quote": "引文", "note": "备注", "confirmed_by": "确认人", "confirmed_at": "确认时间",
}


def local_time(stamp_or_iso: str | None) -> str:
    """A stamp's or ISO time's moment in the computer's local time, "2026-12-02 12:04"."""
    text = (stamp_or_iso or "").split("|", 1)[0]
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text[:16].replace("T", " ")
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def show_value(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "（空）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 40 else text[:38] + "……"


def conflict_line(c: dict) -> str:
    """One conflict: report, what, field, the value that lost and its author."""
    what = ENTITY_NAMES.get(c["entity"], c["entity"])
    field = FIELD_NAMES.get(c["field"], c["field"])
    title = c.get("report") or c.get("report_title") or c.get("file_name") or ""
    return (f"《{title}》{what}的“{field}”：{c.get('author') or '未署名'} 的“{show_value(c.get('value'))}”"
            f"被 {c.get('winner_author') or '未署名'} 的修改覆盖")


def summary_lines(summary) -> list[str]:
    """A merge's (or dry run's) outcome as lines a reviewer reads."""
    lines = []
    if summary.new_reports:
        lines.append(f"新增报告 {len(summary.new_reports)} 份：" + "、".join(summary.new_reports[:5])
                     + ("等" if len(summary.new_reports) > 5 else ""))
    added = [f"{TABLE_NAMES.get(t, t)} {n} 条" for t, n in summary.inserted.items() if n]
    if added:
        lines.append("新增 " + "，".join(added))
    changed = [f"{TABLE_NAMES.get(t, t)} {n} 条" for t, n in summary.changed.items() if n]
    if changed:
        lines.append("更新 " + "，".join(changed))
    if summary.conflicts:
        lines.append(f"冲突 {len(summary.conflicts)} 处（按时间以后改者为准，另一方的值已保留，请确认）：")
        lines.extend("  " + conflict_line(c) for c in summary.conflicts)
    lines.extend(summary.notes)
    if summary.unchanged:
        lines.append("没有需要合并的新内容（审阅包已合并过，或内容相同）")
    return lines
