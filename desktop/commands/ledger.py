"""`export ledger [REPORT...|--all] -o FILE.xlsx` and `import-ledger FILE.xlsx [--dry-run]`: the 台账."""
from __future__ import annotations

import sys

from desktop.commands import CommandError, library


def register(sub, export) -> None:
    from desktop.commands import add_db_option

    p = export.add_parser("ledger", help="把下一年度工作安排导出为 Excel 跟踪台账")
    p.add_argument("reports", nargs="*", metavar="REPORT", help="报告编号、文件名或标题片段（默认全部）")
    p.add_argument("--all", action="store_true", help="导出审阅库中的全部报告")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="输出的 Excel 文件")
    add_db_option(p)
    p.set_defaults(handler=run_export)

    p = sub.add_parser("import-ledger", help="读回各单位填好的台账，按编号更新跟踪字段",
                       description="读回台账。退出码：0 全部导入；1 有行未导入（原因逐行列出）；2 文件无法读取。")
    p.add_argument("file", metavar="FILE.xlsx", help="填好的台账")
    p.add_argument("--dry-run", action="store_true", help="只列出差异，不写入审阅库")
    add_db_option(p)
    p.set_defaults(handler=run_import)


def run_export(args) -> int:
    from desktop.ledger.errors import LedgerError
    from desktop.ledger.service import export_from_library

    if args.all and args.reports:
        raise CommandError("--all 与指定报告不能同时使用")
    if not args.output.lower().endswith(".xlsx"):
        raise CommandError(f"{args.output}: 台账文件名须以 .xlsx 结尾")
    with library(args) as repo:
        try:
            summary = export_from_library(repo, args.output, args.reports)
        except LedgerError as exc:
            raise CommandError(str(exc)) from None  # about the file when it names one, else about the reports
    print(f"已导出 {summary.reports} 份报告的 {summary.tasks} 项工作任务、{summary.indicators} 个指标、"
          f"{summary.annotations} 条审阅意见到 {summary.path}")
    return 0


def format_diff(diff) -> str:
    from desktop.ledger.diff import describe

    lines = []
    for d in diff.rows():
        where = f"第{d.row}行" if d.row else "整个文件"
        seq = f" 序号{d.seq}" if d.seq else ""
        task = f" {d.task}" if d.task else ""
        if d.problem:
            lines.append(f"  ✗ {where}{seq}{task}：{d.problem}")
        else:
            lines.append(f"  ✓ {where}{seq}{task}：{d.field} {describe(d.old)} → {describe(d.new)}")
    return "\n".join(lines)


def run_import(args) -> int:
    from desktop.ledger.errors import LedgerError
    from desktop.ledger.service import apply_import, preview_import

    with library(args) as repo:
        try:
            diff = preview_import(repo, args.file)
        except LedgerError as exc:
            raise CommandError(str(exc) if exc.path else f"{args.file}: {exc.message}") from None
        body = format_diff(diff)
        if body:
            print(body)
        if args.dry_run:
            print(f"试运行（未写入）：{diff.summary()}")
        else:
            changed = apply_import(repo, diff)
            print(f"已导入：{diff.summary()}；更新了 {changed} 项工作任务")
    if diff.problems:
        print(f"{args.file}: {len(diff.problems)} 行未导入，原因见上", file=sys.stderr)
        return 1
    return 0
