"""Subcommands of `python main.py`, one module per area; each has `register(subparsers)`."""
from __future__ import annotations

import argparse
import importlib


class CommandError(Exception):
    """A command failed for a reason the user can act on; printed as one line, exit status 2."""


_NAMES = ("report", "store", "ledger", "review")


def command_modules():
    """The command modules that exist (an area not built yet is skipped), imported when the parser is built."""
    mods = []
    for name in _NAMES:
        try:
            mods.append(importlib.import_module(f"desktop.commands.{name}"))
        except ModuleNotFoundError as exc:  # an area not built yet
            if exc.name != f"desktop.commands.{name}":
                raise
    return mods


def add_db_option(parser) -> None:
    """Every command that touches a library takes --db PATH."""
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="审阅库文件（默认在用户数据目录）")
