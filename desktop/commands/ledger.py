"""`export ledger [--by-unit]`, `import-ledger FILE... [--round R] [--prefer FILE]`, `ledger-status`: the 台账."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.commands.common import CommandError, add_db_option, library
from desktop.ledger.units import UNASSIGNED, safe_file_name

if TYPE_CHECKING:
    from desktop.store.library import Library


def register(sub, export) -> None:
    p = export.add_parser("ledger", help="把下一年度工作安排导出为 Excel 跟踪台账")
    p.add_argument("reports", nargs="*", metavar="报告", help="报告编号、文件名或标题片段（默认全部）")
    p.add_argument("--all", action="store_true", help="导出审阅库中的全部报告")
    p.add_argument("-o", "--output", required=True, metavar="文件.xlsx|文件夹",
                   help="输出的 Excel 文件（--by-unit 时为文件夹）")
    p.add_argument("--by-unit", action="store_true",
                   help="按牵头单位各导出一份：文件夹/台账-<单位>.xlsx，只含该单位的任务，填报单位已填好")
    p.add_argument("--round", metavar="轮次", help="“汇总”表统计哪一轮次的交回情况（默认：今天所在季度）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    add_db_option(p)
    p.set_defaults(handler=run_export)

    p = sub.add_parser(
        "import-ledger", help="读回各单位填好的台账（可一次读多个文件或文件夹），按编号更新跟踪字段",
        description="读回台账。空白单元格表示“未填报”，不会清除已有内容。两个文件（本次或同一轮次此前读回的）"
                    "对同一任务同一字段填了不同内容即为冲突：列出双方，不写入，用 --prefer 选择。"
                    "退出码：0 全部导入；1 有行未导入或有冲突待选择；2 文件无法读取。")
    p.add_argument("files", nargs="+", metavar="文件", help="填好的台账 .xlsx，或存放台账的文件夹")
    p.add_argument("--round", metavar="轮次", help="轮次，例如 2024年第二季度（默认：今天所在季度）")
    p.add_argument("--dry-run", action="store_true", help="只列出差异和冲突，不写入审阅库")
    p.add_argument("--reviewer", metavar="姓名", help="读回人（记入修改历史）")
    p.add_argument("--prefer", action="append", default=[], metavar="文件",
                   help="发生冲突时采用此文件填写的内容（可重复）")
    p.add_argument("--reread", action="store_true",
                   help="重新读取本轮次已读回过、内容未变的文件（默认跳过这些文件）")
    add_db_option(p)
    p.set_defaults(handler=run_import)

    p = sub.add_parser("ledger-status", help="各牵头单位的台账填报情况：任务数、本轮是否交回、完成状态、逾期")
    p.add_argument("reports", nargs="*", metavar="报告", help="报告编号、文件名或标题片段（默认全部）")
    p.add_argument("--round", metavar="轮次", help="轮次（默认：今天所在季度）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    add_db_option(p)
    p.set_defaults(handler=run_status)


def run_export(args) -> int:
    from desktop.ledger.errors import LedgerError
    from desktop.ledger.service import export_from_library, export_units_from_library

    if args.all and args.reports:
        raise CommandError("--all 与指定报告不能同时使用")
    if args.by_unit and args.output.lower().endswith(".xlsx"):
        raise CommandError(f"{args.output}: --by-unit 导出到文件夹，请给出文件夹而不是 .xlsx 文件")
    if not args.by_unit and not args.output.lower().endswith(".xlsx"):
        raise CommandError(f"{args.output}: 台账文件名须以 .xlsx 结尾")
    _refuse_overwrite(args)
    with library(args) as repo:
        try:
            if args.by_unit:
                result = export_units_from_library(repo, args.output, args.reports)
            else:
                result = export_from_library(repo, args.output, args.reports, round_name=args.round)
        except LedgerError as exc:
            raise CommandError(str(exc)) from None  # about the file when it names one, else about the reports
    if args.by_unit:
        for s in result:
            print(f"  {s.path}：{s.tasks} 项工作任务")
        print(f"已按牵头单位导出 {len(result)} 份台账到 {args.output}")
        unassigned = [s for s in result if Path(s.path).name == safe_file_name(UNASSIGNED)]
        if unassigned:
            print(f"提示：{unassigned[0].tasks} 项工作任务尚未指定牵头单位，在 {Path(unassigned[0].path).name} 中；"
                  "可用 lead 任务编号… --unit 单位 指定（任务编号见 show 的输出），或在审阅台“分配任务…”")
    else:
        print(f"已导出 {result.reports} 份报告的 {result.tasks} 项工作任务、{result.indicators} 个指标、"
              f"{result.annotations} 条审阅意见到 {result.path}")
    return 0


def _refuse_overwrite(args) -> None:
    """Like `export summary`: an existing workbook (or, --by-unit, any 台账-*.xlsx in the folder) needs --force."""
    if args.force:
        return
    out = Path(args.output)
    if args.by_unit:
        taken = sorted(out.glob("台账-*.xlsx")) if out.is_dir() else []
        if taken:
            raise CommandError(f"{out}: 文件夹中已有 {len(taken)} 份台账（如 {taken[0].name}），加 --force 覆盖")
    elif out.exists():
        raise CommandError(f"{out}: 文件已存在（加 --force 覆盖）")


def format_changes(changes, problems) -> str:
    from desktop.ledger.diff import describe, diff_rows

    lines = []
    for d in diff_rows(changes, problems):
        where = f"第{d.row}行" if d.row else "整个文件"
        seq = f" 序号{d.seq}" if d.seq else ""
        task = f" {d.task}" if d.task else ""
        if d.problem:
            lines.append(f"  ✗ {where}{seq}{task}：{d.problem}")
        else:
            lines.append(f"  ✓ {where}{seq}{task}：{d.field} {describe(d.old)} → {describe(d.new)}")
    return "\n".join(lines)


def _format_conflicts(plan) -> str:
    from desktop.ledger.diff import describe

    lines = []
    for c in plan.conflicts:
        lines.append(f"  ⚠ {c.task}：{c.label}（审阅库中：{describe(c.old)}）")
        lines += [f"      {claim.source}：{claim.value}" for claim in c.claims]
    return "\n".join(lines)


def run_import(args) -> int:
    from desktop.ledger.errors import LedgerError
    from desktop.ledger import rectification
    from desktop.ledger.digests import skip_line
    from desktop.ledger.service import apply_round, preview_round

    with library(args) as repo:
        try:
            plan = preview_round(repo, args.files, args.round, prefer=args.prefer, reread=args.reread)
        except LedgerError as exc:
            raise CommandError(str(exc)) from None
        for skipped in plan.skipped:
            print(skip_line(skipped))
        if plan.skipped and not plan.diffs:
            print(f"没有新的内容：{len(plan.skipped)} 个文件都与本轮次此前读回的相同，未做任何改动")
            return 0
        unreadable = [d for d in plan.diffs if d.unreadable]
        if unreadable and len(unreadable) == len(plan.diffs):
            raise CommandError("；".join(f"{d.path}: {d.file_problems[0]}" for d in unreadable))
        _check_prefer(args.prefer, plan, repo)
        for d in plan.diffs:
            print(f"{d.path}" + (f"（填报单位：{d.unit}）" if d.unit else ""))
            body = format_changes(plan.changes.get(d.path, []), d.problems)
            body = "\n".join(x for x in (body, rectification.format_changes(d)) if x)
            print(body or "  （没有新的内容）")
        if plan.conflicts:
            print("冲突（两个文件填写不同，未写入；用 --prefer 文件名 选择采用哪一份）：")
            print(_format_conflicts(plan))
        if args.dry_run:
            print(f"试运行（未写入）：{plan.summary()}")
        else:
            apply_round(repo, plan, who=args.reviewer)
            print(f"已导入：{plan.summary()}")
    if plan.exit_status:
        problems = len(plan.problems)
        what = "，".join(x for x in (f"{problems} 处未导入" if problems else "",
                                      f"{len(plan.conflicts)} 处冲突待选择" if plan.conflicts else "") if x)
        print(f"{what}，详见上文", file=sys.stderr)
    return plan.exit_status


def _check_prefer(prefer, plan, repo: Library) -> None:
    from pathlib import Path

    known = {Path(d.path).name for d in plan.diffs} | {Path(d.path).resolve() for d in plan.diffs}
    known |= {r.file_name for r in repo.ledger.ledger_returns(plan.round)}
    for p in prefer:
        if Path(p).name not in known and Path(p).resolve() not in known:
            raise CommandError(f"--prefer {p}: 不是本次读回的文件，也不是本轮次此前读回的文件")


def run_status(args) -> int:
    import json

    from desktop.ledger.errors import LedgerError
    from desktop.ledger.status import status_from_library

    with library(args) as repo:
        try:
            status = status_from_library(repo, args.reports, args.round)
        except LedgerError as exc:
            raise CommandError(str(exc)) from None
    if args.json:
        print(json.dumps(status.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"轮次：{status.round}")
    for line in status.table_lines():
        print(line)
    return 0
