"""What a reviewer reads about bundles and merges (Chinese labels, local times), shared by the CLI and the desk."""
from __future__ import annotations

from desktop.kernel import labels

# Records a merge counts, by table, in the words of the one label table.
TABLE_NAMES = {"reports": "报告信息", "indicators": "指标", "work_items": "工作事项", "annotations": "批注", "rubric_scores": "评分",
               "assignments": "分工", "conflicts": "冲突记录", "followup_decisions": "上年安排审阅结论",
               "rectifications": "整改反馈", "settings": "设置（署名单位）"}


def local_time(stamp_or_iso: str | None) -> str:
    """A stamp's ("<UTC time>Z|library|…") or an ISO time's moment in local time, "2026-12-02 12:04"."""
    return labels.local_time((stamp_or_iso or "").split("|", 1)[0])


def entity_label(entity: str) -> str:
    return labels.ENTITY_LABELS.get(entity, entity)


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
    what = entity_label(c["entity"])
    field = labels.field_label(c["field"], c["entity"])
    title = c.get("report") or c.get("report_title") or c.get("file_name") or ""
    return (f"《{title}》{what}的“{field}”：{c.get('author') or '未署名'} 的“{show_value(c.get('value'))}”"
            f"被 {c.get('winner_author') or '未署名'} 的修改覆盖")


def summary_lines(summary) -> list[str]:
    """A merge's (or dry run's) outcome as lines a reviewer reads."""
    lines = []
    if summary.new_reports:
        lines.append(f"新增报告 {len(summary.new_reports)} 份：" + "、".join(summary.new_reports[:5])
                     + ("等" if len(summary.new_reports) > 5 else ""))
    removed = getattr(summary, "removed", [])
    if removed:
        lines.append(f"同事已删除的报告 {len(removed)} 份，本库中也已删除：" + "、".join(removed[:5])
                     + ("等" if len(removed) > 5 else ""))
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
