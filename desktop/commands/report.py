"""`extract FILE [--json]`: read one report and print its reading (JSON, or a tree with counts)."""
from __future__ import annotations

import json
import sys

from desktop.commands.common import CommandError
from desktop.kernel.labels import DOC_KIND_LABELS, PREAMBLE, PREAMBLE_LABEL, ROLE_LABELS



def register(sub, export) -> None:
    p = sub.add_parser("extract", help="读取一份报告并输出章节、元数据、指标和工作事项")
    p.add_argument("file", metavar="文件")
    p.add_argument("--json", action="store_true", help="输出 JSON（供其他程序读取）")
    p.set_defaults(handler=run_extract)


def run_extract(args) -> int:
    from desktop.report.extract import read_file
    from desktop.report.model import ReportError

    try:
        reading = read_file(args.file)
    except ReportError as exc:
        raise CommandError(str(exc) if exc.source else f"{args.file}: {exc.message}") from None
    if args.json:
        json.dump(reading.to_json_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_tree(reading))
    return 0


def _subtree_totals(counts: dict[str, int]) -> dict[str, int]:
    """path -> the sum of counts[k] for k == path or k under path (k starts with path + "."): each count is
    added to its path's every dotted prefix once, so printing is linear in the sections (not sections²)."""
    totals: dict[str, int] = {}
    for key, value in counts.items():
        end = key.find(".")
        while end != -1:
            totals[key[:end]] = totals.get(key[:end], 0) + value
            end = key.find(".", end + 1)
        totals[key] = totals.get(key, 0) + value
    return totals


def format_tree(reading) -> str:
    md = reading.metadata
    lines = [f"{md.title or '（无标题）'}  [{DOC_KIND_LABELS.get(reading.doc_kind, reading.doc_kind)}]"]
    facts = [("发布单位", md.issuer), ("文号", md.doc_no), ("索引号", md.index_no), ("发布日期", md.published_at or md.published),
             ("报告年度", md.report_year), ("计划年度", md.plan_year)]
    if any(v for _, v in facts):
        lines.append("  " + "；".join(f"{k}：{v}" for k, v in facts if v))
    counts_ind: dict[str, int] = {}
    for ind in reading.indicators:
        counts_ind[ind.section] = counts_ind.get(ind.section, 0) + 1
    counts_task: dict[str, int] = {}
    for item in reading.work_items:
        if item.kind == "plan_task":
            counts_task[item.section] = counts_task.get(item.section, 0) + 1

    totals_ind, totals_task = _subtree_totals(counts_ind), _subtree_totals(counts_task)

    def total(sec, counts):  # what the section and every section under it (path + ".") hold
        return (totals_ind if counts is counts_ind else totals_task).get(sec.path, 0)

    if counts_ind.get(PREAMBLE):
        lines.append(f"（{PREAMBLE_LABEL}）  指标 {counts_ind[PREAMBLE]}")
    for chapter in reading.outline:
        for sec in chapter.walk():
            indent = "  " * (sec.level - 1)
            extra = [f"指标 {total(sec, counts_ind)}"]
            if total(sec, counts_task):
                extra.append(f"任务 {total(sec, counts_task)}")
            role = f"〔{ROLE_LABELS.get(sec.role, sec.role)}〕" if sec.level == 1 else ""
            lines.append(f"{indent}{sec.label}{sec.title} {role} {'，'.join(extra)}")
    lines.append(f"合计：章节 {sum(1 for _ in reading.sections())}，指标 {len(reading.indicators)}，"
                 f"工作事项 {len(reading.work_items)}（任务 {sum(counts_task.values())}）")
    for w in reading.warnings:
        lines.append(f"提示：{w}")
    return "\n".join(lines) + "\n"
