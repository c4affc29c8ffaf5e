"""Library subcommands: import, list, show, annotate, annotations, history, backup (all take --db PATH)."""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
from typing import TYPE_CHECKING

from desktop.commands.common import CommandError, add_db_option, library
from desktop.kernel import labels
from desktop.kernel.labels import ANNOTATION_STATUSES  # not via desktop.store: its package imports sqlite-utils

if TYPE_CHECKING:
    from desktop.store.library import Library

STATE_MARKS = {"unreviewed": "  ", "annotated": "✎ ", "reviewed": "✔ "}


def register(sub, export) -> None:
    p = sub.add_parser("import", help="把报告文件、文件夹（含子文件夹）或 zip 压缩包导入审阅库（同一内容不会重复导入）")
    p.add_argument("files", metavar="文件|文件夹|压缩包", nargs="+")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--who", metavar="姓名", help="记录在修改历史中的操作人")
    p.add_argument("--dry-run", action="store_true", help="import bundle 文件.fzr：只预览将合并的内容，不写入")
    p.add_argument("--allow-unsigned", action="store_true",
                   help="import bundle 文件.fzr：也导入没有签名的审阅包（旧版本导出；请先确认来源可靠）")
    p.set_defaults(handler=run_import)

    p = sub.add_parser("list", help="列出审阅库中的报告")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=run_list)

    p = sub.add_parser("show", help="显示一份报告：章节树（审阅状态）、工作事项和数量")
    p.add_argument("report", metavar="报告", help="报告编号、文件名或标题中的文字")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=run_show)

    p = sub.add_parser("annotate", help="给报告的章节、文字范围或工作事项添加批注")
    p.add_argument("report", metavar="报告", help="报告编号、文件名或标题中的文字")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--section", metavar="路径", help="章节路径，如 一.(二) 或 一.（二）")
    target.add_argument("--span", metavar="起:止", help="全文中的字符范围")
    target.add_argument("--item", metavar="编号", help="工作事项编号（show 列出的 # 号）")
    target.add_argument("--indicator", metavar="编号", type=int, help="指标编号")
    target.add_argument("--whole", action="store_true", help="批注整份报告")
    p.add_argument("--comment", required=True, metavar="文字", help="批注内容")
    p.add_argument("--tag", action="append", default=[], metavar="标签", help="标签，可重复")
    p.add_argument("--score", metavar="分数", help="评分，按评分表的 0–5 分量表（步长 0.5）")
    p.add_argument("--status", default="待审", choices=ANNOTATION_STATUSES, help="审阅状态（默认 待审）")
    p.add_argument("--reviewer", metavar="姓名", help="审阅人")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=run_annotate)

    p = sub.add_parser("annotations", help="列出批注（可限定一份报告）")
    p.add_argument("report", metavar="报告", nargs="?", help="报告编号、文件名或标题中的文字")
    p.add_argument("--deleted", action="store_true", help="包括已删除的批注")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=run_annotations)

    p = sub.add_parser("history", help="修改历史（最新在前）")
    p.add_argument("--report", metavar="报告", help="只看一份报告")
    p.add_argument("--limit", type=int, metavar="数量", help="最多显示的条数")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=run_history)

    p = sub.add_parser("backup", help="把审阅库备份到一个文件（SQLite 在线备份）")
    p.add_argument("dest", metavar="目标文件")
    p.add_argument("--force", action="store_true", help="覆盖已存在的目标文件")
    p.set_defaults(handler=run_backup)

    for name in ("import", "list", "show", "annotate", "annotations", "history", "backup"):
        add_db_option(sub.choices[name])


def _dump(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1, default=str))  # one write, not one per token
    sys.stdout.write("\n")


def _report_dict(report, counts=None) -> dict:
    d = dataclasses.asdict(report)
    d["text_length"] = len(d.pop("clean_text"))
    if counts is not None:
        d["counts"] = counts
    return d


def run_import(args) -> int:
    """Files, folders and .zip archives: the season's batch import (one result line per file)."""
    from desktop.commands.season import run_batch_import

    if args.files[0] == "bundle" and (len(args.files) > 1 or not os.path.exists("bundle")):  # `import bundle FILE`
        from desktop.commands.team import run_import_bundle

        return run_import_bundle(args)
    return run_batch_import(args)


def run_list(args) -> int:
    with library(args) as repo:
        reports, counts = repo.reports.list_reports(), repo.reports.counts()
        if args.json:
            _dump([_report_dict(r, counts.get(r.id, {})) for r in reports])
            return 0
        if not reports:
            print("审阅库中还没有报告")
        sample = repo.removal.sample_report_id()
        for r in reports:
            c = counts.get(r.id, {})
            mark = "【示例】" if r.id == sample else ""
            print(f"#{r.id:<4} {mark}{r.title or r.file_name}  [{r.issuer or '发布单位不详'}]"
                  f"  第{r.reading_no}版  指标 {c.get('indicators', 0)}  事项 {c.get('work_items', 0)}"
                  f"  批注 {c.get('annotations', 0)}")
    return 0


def run_show(args) -> int:
    with library(args) as repo:
        report = repo.reports.find_report(args.report)
        sections, states = repo.reports.sections(report.id), repo.annotations.section_states(report.id)
        items, counts = repo.items.work_items(report.id), repo.reports.counts(report.id).get(report.id, {})
        if args.json:
            d = _report_dict(report, counts)
            d["sections"] = [{**dataclasses.asdict(s), "state": states.get(s.path)} for s in sections]
            d["work_items"] = [dataclasses.asdict(w) for w in items]
            d["indicators"] = [dataclasses.asdict(i) for i in repo.items.indicators(report.id)]
            d["annotations"] = [dataclasses.asdict(a) for a in repo.annotations.annotations(report.id)]
            _dump(d)
            return 0
        print(f"#{report.id} {report.title or report.file_name}  [{report.issuer or '发布单位不详'}]  "
              f"第{report.reading_no}版  {report.file_name}")
        print(f"章节 {counts.get('sections', 0)}  指标 {counts.get('indicators', 0)}  "
              f"事项 {counts.get('work_items', 0)}（{labels.ITEM_KIND_LABELS['plan_task']} {counts.get('plan_task', 0)}）  "
              f"批注 {counts.get('annotations', 0)}")
        print("章节（✎ 有批注，✔ 已审）：")
        for s in sections:
            role = f"  〔{labels.role_label(s.role)}〕" if s.level == 1 else ""
            print(f"  {STATE_MARKS.get(states.get(s.path), '  ')}{'  ' * (s.level - 1)}{s.path}  {s.title}{role}")
        if items:
            print("工作事项（* 审阅人修改过或新增的）：")
        for w in items:
            extra = "；".join(f"{k}：{v}" for k, v in (("牵头", w.lead_unit), ("时限", w.deadline),
                                                        ("状态", w.status)) if v)
            mark = "*" if w.edited_fields or w.origin == "reviewer" else " "
            text = w.text if len(w.text) <= 50 else w.text[:50] + "…"
            print(f"  {mark}#{w.id:<5} [{labels.ITEM_KIND_LABELS.get(w.kind, w.kind)}] {w.section_path}  {text}"
                  + (f"  （{extra}）" if extra else ""))
        indicators = repo.items.indicators(report.id)
        if indicators:  # the numbers `annotate --indicator` takes
            print("指标（编号用于 annotate --indicator）：")
        for i in indicators:
            print(f"  #{i.id:<5} {labels.section_label(i.section_path)}  {i.text}")
    return 0


def run_annotate(args) -> int:
    from desktop.review.rubric import RubricError
    from desktop.review.service import parse_annotation_score

    try:
        score = parse_annotation_score(args.score)
    except RubricError as exc:
        raise CommandError(f"--score {args.score}: {exc}") from None
    from desktop.store import edits

    with library(args) as repo:
        report = repo.reports.find_report(args.report)
        fields = {"tags": args.tag, "score": score, "status": args.status, "reviewer": args.reviewer,
                  "body": args.comment, **_annotation_target(repo, args)}
        edit = edits.add_annotation(repo, report.id, fields, args.reviewer)  # undoable: `undo`
        ann = repo.annotations.get_annotation(edit.record_id)
        if args.json:
            _dump(dataclasses.asdict(ann))
        else:
            print(f"已添加批注 #{ann.id}（{ann.status}）" + (f"：“{ann.quote}”" if ann.quote else ""))
    return 0


def _annotation_target(repo: Library, args) -> dict:
    """What `annotate` notes: a section, a span, a work item, an indicator, else the whole report."""
    if args.section:
        return {"target_kind": "section", "section_path": args.section}
    if args.span:
        try:
            start, end = (int(x) for x in args.span.split(":"))
        except ValueError:
            raise CommandError(f"--span 应写成 起:止（两个整数），收到：{args.span}") from None
        return {"target_kind": "span", "start": start, "end": end}
    if args.item:
        return {"target_kind": "work_item", "target_id": repo.items.find_work_item(args.item).id}
    if args.indicator is not None:
        return {"target_kind": "indicator", "target_id": args.indicator}
    return {"target_kind": "report"}


def _listing(args, fetch, line, empty: str) -> int:
    """annotations / history: rows of one report (--report) or all, as JSON or one line each."""
    with library(args) as repo:
        report_id = repo.reports.find_report(args.report).id if args.report else None
        rows = fetch(repo, report_id)
    if args.json:
        _dump([dataclasses.asdict(r) for r in rows])
        return 0
    if not rows:
        print(empty)
    for row in rows:
        print(line(row))
    return 0


def run_annotations(args) -> int:
    return _listing(args, lambda repo, rid: repo.annotations.annotations(rid, include_deleted=args.deleted),
                    format_annotation, "没有批注")


def run_history(args) -> int:
    return _listing(args, lambda repo, rid: repo.annotations.history(rid, limit=args.limit), format_history, "没有修改记录")


def format_annotation(a) -> str:
    where = labels.section_label(a.section_path)
    span = f" {a.start}:{a.end}" if a.start is not None else ""
    flags = f"（{labels.ANCHOR_LABELS[a.anchor]}）" if labels.ANCHOR_LABELS.get(a.anchor) else ""
    tags = f" #{' #'.join(a.tags)}" if a.tags else ""
    score = f" 评分 {a.score:g}" if a.score is not None else ""
    return (f"#{a.id:<4} 报告#{a.report_id} {where}{span} [{a.status}]{flags}{score}{tags}  {a.body}"
            + (f"  —— {a.reviewer}" if a.reviewer else ""))


def format_history(h) -> str:
    """One history row as a user reads it: local time, who, what (in Chinese), old → new."""
    if h.entity == "edit":  # an undoable edit's own row (desktop/store/edits.py): 修改批注 / 撤销“修改批注”
        from desktop.store.edits import describe as describe_edit

        return f"{labels.local_time(h.at)}  {h.who or '-'}  {describe_edit(h.action, h.old)}"
    what = labels.ENTITY_LABELS.get(h.entity, h.entity) + (f"#{h.entity_id}" if h.entity_id is not None else "")
    action = labels.ACTION_LABELS.get(h.action, h.action)
    old, new = _short(h.old), _short(h.new)
    criterion = _criteria().get(h.field) if h.entity == "rubric_score" else None
    if criterion is not None:  # a score: the criterion's name, the value as its scale shows it (优, 4.5)
        name = f"评分项“{criterion.name}”"
        old, new = (_on_scale(criterion.scale, v) for v in (h.old, h.new))
    else:
        name = labels.field_label(h.field, h.entity)
    change = f"{name}：{old} → {new}" if h.field else ""
    source = f"  （来源：{h.source}）" if getattr(h, "source", None) else ""
    return f"{labels.local_time(h.at)}  {h.who or '-'}  {what} {action}  {change}{source}".rstrip()


def _on_scale(scale, value) -> str:
    try:
        return scale.display(float(value)) if value is not None else _short(value)
    except ValueError:
        return _short(value)


@functools.lru_cache(maxsize=1)
def _criteria() -> dict:
    from desktop.review.rubric import RubricError, load_rubric

    try:
        return {c.id: c for c in load_rubric().criteria}
    except RubricError:
        return {}


def _short(value, n: int = 40) -> str:
    if value is None:
        return "∅"
    value = str(value).replace("\n", " ")
    return value if len(value) <= n else value[:n] + "…"


def run_backup(args) -> int:
    from desktop.kernel.outfiles import OutputError, check_folder

    try:
        check_folder(args.dest)  # one rule with `export -o`: a folder the user names must exist
    except OutputError as exc:
        raise CommandError(str(exc)) from None
    with library(args) as repo:
        dest = repo.backup(args.dest, overwrite=args.force)
        print(f"已备份到 {dest}")
    return 0
