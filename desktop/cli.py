"""Command line: `python main.py` opens the review desk; subcommands run the same services headless."""
from __future__ import annotations

import argparse
import sys

from desktop import __version__
from desktop.kernel.paths import data_folder, program_name
from desktop.commands import command_modules
from desktop.commands.common import DB_HELP, CommandError


# argparse's own words (usage, headings, errors), which it passes through gettext; the CLI speaks Chinese.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "错误：%(message)s（%(prog)s -h 查看用法）\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须给出其中一个参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多一个值",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "ignored explicit argument %r": "忽略了多余的值 %r",
}


def speak_chinese() -> None:
    """Route argparse's gettext lookups through ARGPARSE_ZH (argparse looks `_` up when it formats a message)."""
    english = getattr(argparse, "_english", None) or argparse._
    argparse._english = english
    argparse._ = lambda message: ARGPARSE_ZH.get(message, english(message))


class ChineseParser(argparse.ArgumentParser):
    """argparse with its error as one Chinese line (no usage block above it) and help laid out for Chinese;
    subcommand parsers are made by this class too."""

    def __init__(self, *args, **kwargs):
        from desktop.helpformat import ChineseHelpFormatter

        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        self.exit(2, f"错误：{message}（{self.prog} -h 查看用法）\n")


class VersionAction(argparse.Action):
    """`--version`: the version, the library in use (--db when given before it) and where the program runs from."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from desktop.kernel.paths import APP_TITLE, install_location

        db = getattr(namespace, "db", None)
        if db is None:
            db = data_folder() / "library.db"
        print(f"{APP_TITLE} 版本 {__version__}\n审阅库：{db}\n程序位置：{install_location()}")
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    speak_chinese()
    parser = ChineseParser(
        prog=program_name(),
        description="法治政府建设年度报告审阅台。不带子命令时打开桌面窗口。",
        epilog="各子命令的用法：子命令 -h，例如 extract -h。完整说明见使用说明（桌面窗口：帮助 → 使用说明，F1）。",
    )
    parser.add_argument("--version", action=VersionAction, help="显示版本号、审阅库位置并退出")
    parser.add_argument("--db", metavar="路径", help=DB_HELP)
    parser.add_argument("--screenshot", metavar="文件.png", help="渲染主窗口截图后退出（给出已有的文件夹时，把各窗口和对话框的截图都存入其中）")
    sub = parser.add_subparsers(dest="command", metavar="子命令")
    export = sub.add_parser("export", help="导出（台账、汇总表、审阅意见书、审阅包）")
    export_what = export.add_subparsers(dest="export_what", metavar="类型", required=True)
    for module in command_modules():
        module.register(sub, export_what)
    return parser


# Options whose value is free text: "--comment -2+3" is the comment "-2+3", not an unknown option.
TEXT_OPTIONS = {"--comment", "--tag", "--reviewer", "--who"}


def _glue_text_values(argv: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in TEXT_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-") and argv[i + 1] != "--":
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def _route_logs() -> None:
    """Third-party warnings (pypdf, openpyxl…) go to cli.log in the user data folder, not the terminal."""
    from desktop.kernel.logs import log_to_file, route_third_party

    route_third_party(log_to_file(data_folder() / "cli.log"))


def _wants_bundle_help(argv: list[str]) -> bool:
    """`import bundle -h`: the bundle's help, not the report import's."""
    words, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a in ("--db", "--screenshot"):
            skip = True  # its value is not a word of the command
        elif not a.startswith("-"):
            words.append(a)
    return words[:2] == ["import", "bundle"] and any(a in ("-h", "--help") for a in argv)


def main(argv: list[str] | None = None) -> int:
    argv = _glue_text_values(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if _wants_bundle_help([a for a in argv if not a.startswith("--db=")]):
        from desktop.commands.team import import_bundle_parser

        import_bundle_parser().print_help()
        return 0
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop.ui.launch import launch  # Qt is imported only when the window is wanted

        return launch(db=args.db, screenshot=args.screenshot)
    _route_logs()
    try:
        return int(args.handler(args) or 0)
    except CommandError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `main.py list | head`: the reader went away; not an error of ours
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - one Chinese line for the user, the traceback in cli.log
        return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    import logging

    from desktop.kernel.plain import describe

    logging.getLogger("desktop.kernel.plain").error("unexpected error", exc_info=exc)
    log = data_folder() / "cli.log"
    print(f"错误：{describe(exc)}；详细信息已记入 {log}", file=sys.stderr)
    return 2 if isinstance(exc, OSError) else 1
