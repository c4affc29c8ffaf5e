"""Subcommands of `python main.py`, one module per area; each has `register(subparsers, export)`.

`export` is the shared `export WHAT` sub-parser group: an area adds `export ledger`, `export letter`… to it.
What the subcommands share (CommandError, --db, opening the library) is in desktop/commands/common.py, so no
subcommand imports this package's __init__ (which imports them all).
"""
from __future__ import annotations


def command_modules():
    """The command modules, imported when the parser is built (so `import desktop.commands` stays light)."""
    from desktop.commands import (
        followup, lead, ledger, letters, remove, repair, report, review, season, store, team,
    )

    return [report, store, remove, ledger, lead, review, season, repair, team, followup, letters]
