"""`undo`: take back this reviewer's last edit in this library (the desk's edits and the CLI's alike), in history."""
from __future__ import annotations

from desktop.commands.common import add_db_option, library


def register(sub, export) -> None:
    p = sub.add_parser(
        "undo", help="撤销这位审阅人在此审阅库中的最近一次修改（记入修改历史）",
        description="撤销这位审阅人在此审阅库中最近一次仍有效的修改（桌面窗口中的修改也算）；再次运行则继续撤销更早的一次。"
                    "若之后有其他人改过同一条记录，则不撤销并说明原因。撤销本身也记入修改历史。")
    p.add_argument("--reviewer", metavar="姓名",
                   help="审阅人（默认为本机设定的审阅人姓名，未设定时为“未署名”）")
    add_db_option(p)
    p.set_defaults(handler=run_undo)


def run_undo(args) -> int:
    from desktop.store import edits

    from desktop.kernel.labels import local_time

    with library(args) as lib:
        who = (args.reviewer or "").strip() or lib.default_who
        edit = edits.last_edit(lib, who)
        when = local_time(edits.recorded_at(lib, edit))
        undo = edits.revert(lib, edit, who)
    print(f"已撤销“{undo.label}”（{who} 于 {when} 所做的修改）")
    return 0
