"""`export letter REPORT... -o FILE.docx|DIR [--office NAME] [--template T.docx]`: the 审阅意见书 to each unit."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.commands.common import CommandError, add_db_option, library


def register(sub, export) -> None:
    p = export.add_parser("letter", help="为报告生成审阅意见书（Word），每份报告一份",
                          description="按审阅检查结果、需整改/需核实的批注和评分起草审阅意见书，按公文格式写成 .docx。")
    p.add_argument("reports", nargs="*", metavar="报告", help="报告编号、文件名或标题片段")
    p.add_argument("--all", action="store_true", help="为审阅库中的每份报告各写一份（-o 为文件夹）")
    p.add_argument("-o", "--output", required=True, metavar="文件.docx|文件夹",
                   help="一份报告可写到 .docx 文件；多份报告写到文件夹（每份一个文件）")
    p.add_argument("--office", metavar="名称", help="署名的审阅单位名称（保存为本审阅库的设置，以后不必再给）")
    p.add_argument("--template", metavar="模板.docx", help="本单位的 Word 模板（占位符见使用说明）")
    p.add_argument("--doc-no", metavar="文号", default="", help="发文字号，例如 杭法审〔2026〕12号")
    p.add_argument("--date", metavar="日期", help="成文日期（默认今天）")
    p.add_argument("--closing", metavar="文字", help="结尾段落（默认请单位修改完善并反馈的一段话）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    add_db_option(p)
    p.set_defaults(handler=run_export_letter)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"日期“{text}”无效，应为 YYYY-MM-DD，例如 2026-12-02") from None


def run_export_letter(args) -> int:
    from desktop.letters.render import LetterError
    from desktop.letters.service import drafts_for, set_office, write_letters
    from desktop.review.rubric import RubricError

    today = _date(args.date)
    with library(args) as repo:
        if args.office is not None:
            if not args.office.strip():
                raise CommandError("--office 不能为空")
            set_office(repo, args.office)
        if args.all == bool(args.reports):
            raise CommandError("请指定报告（编号、文件名或标题片段），或用 --all 导出全部报告，二者选一")
        reports, seen = (repo.removal.reports_for_export() if args.all else []), set()  # --all: not the sample
        if not reports and args.all:
            raise CommandError("审阅库中还没有报告（内置示例报告只在点名时导出）")
        for ref in args.reports:
            report = repo.reports.find_report(ref)
            if report.id not in seen:
                seen.add(report.id)
                reports.append(report)
        try:
            drafts = drafts_for(repo, reports, today=today)
        except RubricError as exc:
            raise CommandError(str(exc)) from None
        for d in drafts:
            d.doc_no = args.doc_no
            if args.closing is not None:
                d.closing = args.closing
        try:
            if not args.force:
                _refuse_overwrite(drafts, args.output)
            summary = write_letters(drafts, args.output, template=args.template)
        except LetterError as exc:
            raise CommandError(str(exc)) from None
        for d in drafts:
            for warning in d.warnings:
                print(f"提示：{warning}")
        if not drafts[0].office:
            print("提示：尚未设置署名的审阅单位，可用 --office 单位名称 设置（保存在审阅库中）")
    for path in summary.paths:
        print(f"已写出 {path}")
    print(f"共 {summary.reports} 份审阅意见书，{summary.opinions} 条意见")
    return 0


def _refuse_overwrite(drafts, output) -> None:
    """Like `export summary`: a letter already there needs --force."""
    from desktop.letters.service import output_paths

    taken = [str(p) for p in output_paths(drafts, output) if Path(p).exists()]
    if taken:
        raise CommandError(f"{taken[0]}: 文件已存在（加 --force 覆盖）"
                           + (f"，另有 {len(taken) - 1} 个同名文件" if len(taken) > 1 else ""))

