"""`repair [--db PATH] [--backup FILE | --recover] [-o NEW.db]`: a damaged library restored or recovered into a new file."""
from __future__ import annotations

from pathlib import Path

from desktop.commands.common import CommandError, add_db_option


def register(sub, export) -> None:
    p = sub.add_parser("repair", help="修复损坏的审阅库：从完好的备份恢复，或抢救可读的数据（都写到新文件，原文件不动）")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--backup", metavar="文件", help="从指定的备份文件恢复（默认：最近一份完好的自动备份）")
    how.add_argument("--recover", action="store_true", help="不用备份，逐表抢救损坏文件中仍可读取的数据")
    p.add_argument("-o", "--output", metavar="新文件.db", help="写到哪个新文件（默认在原文件旁，文件名带日期）")
    add_db_option(p)
    p.set_defaults(handler=run_repair)


def run_repair(args) -> int:
    from desktop.store import health, repair
    from desktop.store.db import default_library_path
    from desktop.store.errors import LibraryError

    path = Path(getattr(args, "db", None) or default_library_path()).expanduser()
    if not path.is_file():
        raise CommandError(f"{path}: 审阅库文件不存在")
    backup = Path(args.backup) if args.backup else (None if args.recover else health.last_good_backup(path))
    method = "backup" if backup is not None else "recover"
    dest = Path(args.output) if args.output else repair.default_dest(path, method)
    try:
        if method == "backup":
            result = repair.restore_backup(path, backup, dest)
        else:
            result = repair.recover(path, dest)
    except LibraryError as exc:
        raise CommandError(str(exc)) from None
    if method == "backup":
        print(f"已从备份 {result.backup} 恢复到新文件 {result.dest}（备份之后的修改不在其中；"
              f"如需抢救这些修改，可再运行 repair --recover）")
    else:
        total = sum(result.rows.values())
        lost = f"；以下表有无法读取的部分：{'、'.join(result.damaged_tables)}" if result.damaged_tables else ""
        print(f"已从 {path} 抢救 {total} 行数据到新文件 {result.dest}（检查结果：{result.check}）{lost}")
    print(f"原文件 {path} 未做任何改动；确认无误后，可用 --db {result.dest} 打开，或用它替换原文件")
    return 0
