"""`remove REPORT… [--yes]`: take reports out of the library with their annotations, scores and ledger rounds."""
from __future__ import annotations

import sys

from desktop.commands.common import CommandError, add_db_option, library


def register(sub, export) -> None:
    p = sub.add_parser("remove", help="从审阅库删除报告（连同其批注、评分和台账读回记录；删除前自动备份）",
                       description="删除报告及其批注、评分、台账读回记录和跟进决定。删除前先写一份备份；"
                                   "删除记入修改历史，并随审阅包告知同事的审阅库。")
    p.add_argument("reports", metavar="报告", nargs="+", help="报告编号、文件名或标题中的文字")
    p.add_argument("--yes", action="store_true", help="不再询问，直接删除")
    p.add_argument("--who", metavar="姓名", help="记录在修改历史中的操作人")
    add_db_option(p)
    p.set_defaults(handler=run_remove)


def run_remove(args) -> int:
    from desktop.store.db import backup_before
    from desktop.store.repo_remove import removal_text

    with library(args) as repo:
        reports = []
        for ref in args.reports:
            report = repo.reports.find_report(ref)
            if report.id not in {r.id for r in reports}:
                reports.append(report)
        ids = [r.id for r in reports]
        print(removal_text([r.title or r.file_name for r in reports], repo.removal.removal_summary(ids)))
        if not args.yes:
            if not sys.stdin.isatty():
                raise CommandError("未删除：请确认后加 --yes 再运行")
            if input("确认删除？[y/N] ").strip().lower() not in ("y", "yes", "是"):
                print("未删除")
                return 1
        backup = backup_before(repo, "remove")
        repo.removal.remove_reports(ids, who=args.who)
    for r in reports:
        print(f"已删除 #{r.id} {r.title or r.file_name}")
    print(f"删除前的备份：{backup}")
    return 0
