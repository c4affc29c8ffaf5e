"""Connecting to the team server: a libpq URL or service name, the password from libpq's own sources (pgpass,
service file, PGPASSWORD) or given once by the desk; every failure as one Chinese line (ServerError)."""
from __future__ import annotations

from dataclasses import dataclass

CONNECT_TIMEOUT = 10  # seconds: an office LAN answers well within this


class ServerError(Exception):
    """The server cannot be used; the message is one Chinese line naming why."""


class NeedPassword(ServerError):
    """The server asks for a password that libpq has no source for (the desk asks the reviewer)."""


@dataclass(frozen=True)
class ServerInfo:
    server_id: str
    reviewer: str | None  # the reviewer the connected role stands for (None: an administrator without a name)
    admin: bool
    role: str


def conninfo(address: str) -> str:
    """libpq's connection string for a URL (postgresql://…), a key=value string, or a service name."""
    address = (address or "").strip()
    if not address:
        raise ServerError("请填写服务器地址（如 postgresql://张敏@192.168.1.10/fazhi，或 pg_service.conf 中的服务名）")
    if "://" in address or "=" in address:
        return address
    return f"service={address}"


def without_password(address: str) -> str:
    """The address as the library may remember it: any password in it removed."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    text = conninfo(address)
    try:
        parts = conninfo_to_dict(text)
    except Exception:  # noqa: BLE001 - an address libpq cannot parse is refused when connecting
        return address
    if "password" not in parts:
        return address
    parts.pop("password")
    return make_conninfo(**{k: v for k, v in parts.items() if v is not None})


def connect(address: str, password: str | None = None):
    """An open psycopg connection (autocommit: each `conn.transaction()` is one real transaction), or ServerError with the reason in Chinese."""
    import psycopg

    extra = {"password": password} if password else {}
    try:
        return psycopg.connect(conninfo(address), autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                               application_name="fazhi-review",
                               **extra)
    except psycopg.ProgrammingError as exc:  # a malformed URL or key=value string
        raise ServerError(f"服务器地址无效：{address}") from None
    except psycopg.OperationalError as exc:
        raise _reason(str(exc), address) from None


def _reason(message: str, address: str) -> ServerError:
    low = message.lower()
    if "no password supplied" in low or "password is required" in low:
        return NeedPassword("服务器要求输入密码")
    if "password authentication failed" in low or "authentication failed" in low:
        return ServerError("服务器拒绝登录：账户或密码不对")
    if "does not exist" in low and "database" in low:
        return ServerError(f"服务器上没有这个数据库：{address}")
    if "role" in low and "does not exist" in low:
        return ServerError("服务器上没有这个账户（请管理员运行 server add-reviewer 添加）")
    if "service" in low and ("not found" in low or "definition" in low):
        return ServerError(f"找不到名为 {address} 的服务（pg_service.conf）")
    if "pg_hba" in low or "no encryption" in low:
        return ServerError("服务器不接受来自本机的连接（请管理员在 pg_hba.conf 中放行本机地址）")
    if "timeout" in low or "timed out" in low:
        return ServerError("连接服务器超时（网络不通或服务器未响应）")
    return ServerError("无法连接服务器（服务器未启动、地址或端口不对，或网络不通）")


def server_info(conn) -> ServerInfo:
    """Who this connection is on an initialised server; ServerError when the server is not initialised, is newer
    than this program, or the role is not one of its reviewers."""
    import psycopg

    from desktop.server.schema import ADMIN, newer_than_program

    try:
        with conn.transaction():
            row = conn.execute("SELECT value FROM fazhi.meta WHERE key = 'server_id'").fetchone()
            if newer_than_program(conn):
                raise ServerError("服务器的数据格式来自更新版本的程序，请先升级本程序")
            role, reviewer, admin = conn.execute(
                "SELECT current_user, fazhi.reviewer_of(current_user), pg_has_role(current_user, %s, 'MEMBER')",
                (ADMIN,)).fetchone()
    except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName, psycopg.errors.UndefinedFunction):
        raise ServerError("服务器尚未初始化（请管理员运行 server init）") from None
    except psycopg.errors.InsufficientPrivilege:
        raise ServerError("该账户不是本服务器的审阅人（请管理员运行 server add-reviewer 添加）") from None
    if row is None:
        raise ServerError("服务器尚未初始化（请管理员运行 server init）")
    if reviewer is None and not admin:
        raise ServerError(f"账户 {role} 不是本服务器的审阅人（请管理员运行 server add-reviewer 添加）")
    return ServerInfo(row[0], reviewer, bool(admin), role)
