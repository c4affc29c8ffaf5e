"""What every subcommand shares: the one-line CommandError, --db, and opening the library for one command."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager

DB_HELP = ("审阅库文件（默认在用户数据目录，首次打开时含内置示例报告；"
           "用 --db 新建的审阅库是空的）")
# Commands that only read the library: they make no daily copy (and no "-backups" folder beside a copied file).
READ_ONLY = {"list", "show", "annotations", "history", "backup", "export", "check", "summary", "ledger-status"}


class CommandError(Exception):
    """A command failed for a reason the user can act on; printed as one line, exit status 2."""


def add_db_option(parser) -> None:
    """Every command that touches a library takes --db PATH."""
    parser.add_argument("--db", metavar="路径", default=argparse.SUPPRESS, help=DB_HELP)


@contextmanager
def library(args):
    """Open the library named by --db (or the default one); store errors become one-line messages."""
    from desktop.report.model import ReportError
    from desktop.store.db import LibraryError, open_library

    try:
        command = getattr(args, "command", None)
        repo = open_library(getattr(args, "db", None), backups=command not in READ_ONLY,
                            read_damaged=command in READ_ONLY and command != "backup",
                            quick_open=command in READ_ONLY and command != "backup")
    except LibraryError as exc:
        raise CommandError(str(exc)) from None
    for notice in repo.notices:
        print(f"提示：{notice}", file=sys.stderr)
    try:
        yield repo
    except (LibraryError, ReportError) as exc:
        raise CommandError(str(exc)) from None
    except (LookupError, ValueError) as exc:
        raise CommandError(exc.args[0] if exc.args else str(exc)) from None
    finally:
        repo.close()
