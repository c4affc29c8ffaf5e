"""Team server commands: `server init URL`, `server add-reviewer NAME --server URL`, `sync --server URL`."""
from __future__ import annotations

from desktop.commands.common import CommandError, add_db_option, library

ADDRESS_HELP = ("服务器地址：libpq 的 URL 或服务文件中的服务名；密码从 PostgreSQL 的密码文件、服务文件或环境变量读取，"
                "不写入审阅库")


def register(sub, export) -> None:
    p = sub.add_parser("server", help="团队服务器（PostgreSQL）：server init 建立，server add-reviewer 添加审阅人账户")
    p.add_argument("action", choices=["init", "add-reviewer"],
                   help="init：在数据库中建立审阅记录表和角色（可重复运行，只做缺少的部分）；add-reviewer：为审阅人建登录账户")
    p.add_argument("target", metavar="地址或姓名",
                   help="init 时为服务器地址（用超级用户或有建角色权限的账户）；add-reviewer 时为审阅人姓名（与其署名一致）")
    p.add_argument("--server", metavar="地址", help="add-reviewer 时连接的服务器地址（管理员账户）")
    p.add_argument("--role", metavar="账户名", help="登录账户名（默认与姓名相同）")
    p.add_argument("--admin", action="store_true", help="同时授予管理员权限（可上传任何人的记录，用于首次导入整个团队的审阅库）")
    p.set_defaults(handler=run_server)

    p = sub.add_parser("sync", help="与团队服务器同步：上传本库的修改，下载同事的修改并合并（与审阅包同一规则）")
    p.add_argument("--server", metavar="地址", help=ADDRESS_HELP + "；省略时用上次同步的地址")
    p.add_argument("--full", action="store_true", help="重新下载服务器上的全部记录再合并（已有的不会重复）")
    p.add_argument("--who", metavar="姓名", help="记录在修改历史中的操作人")
    add_db_option(p)
    p.set_defaults(handler=run_sync)


def run_server(args) -> int:
    from desktop.server import schema
    from desktop.server.admin import add_reviewer, init_server
    from desktop.server.connection import NeedPassword, ServerError

    address = args.target if args.action == "init" else args.server
    if not address:
        raise CommandError("请用 --server 给出服务器地址（管理员账户）")
    try:
        if args.action == "init":
            applied = init_server(address)
            print(f"服务器已初始化（{'新建 ' + '、'.join(applied) if applied else '已是最新，无需改动'}）；"
                  f"管理员角色 {schema.ADMIN}，审阅人组 {schema.REVIEWERS}")
            return 0
        role, password = add_reviewer(address, args.target, role=args.role, admin=args.admin)
    except NeedPassword:
        raise CommandError("服务器要求密码：请写入 ~/.pgpass（或设置 PGPASSWORD）后再运行") from None
    except ServerError as exc:
        raise CommandError(str(exc)) from None
    said = f"，初始密码：{password}（请转告本人，并写入其 ~/.pgpass）" if password else "（账户已存在，密码未改）"
    print(f"已为审阅人“{args.target}”建立账户 {role}{said}")
    return 0


def run_sync(args) -> int:
    from desktop.server.connection import NeedPassword, ServerError
    from desktop.server.sync import sync
    from desktop.store.sync_marks import remember_address, server_address

    with library(args) as repo:
        address = args.server or server_address(repo)
        if not address:
            raise CommandError("请用 --server 给出服务器地址（第一次同步时）")
        try:
            result = sync(repo, address, who=args.who, full=args.full)
        except NeedPassword:
            raise CommandError("服务器要求密码：请写入 ~/.pgpass（或设置 PGPASSWORD）后再同步") from None
        except ServerError as exc:
            raise CommandError(str(exc)) from None
        from desktop.server.connection import without_password

        remember_address(repo, without_password(address))
    print(f"已同步（审阅人 {result.reviewer}）：{result.line()}")
    if result.new_reports:
        print(f"新增报告 {result.new_reports} 份")
    if result.left:
        print(f"另有 {result.left} 条同事的修改不由本账户上传（由其本人同步）")
    for note in result.notes:
        print(f"提示：{note}")
    return 0
