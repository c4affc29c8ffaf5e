"""`server init` and `server add-reviewer` over an address: the schema's work with every failure as one Chinese line."""
from __future__ import annotations

from contextlib import contextmanager

from desktop.server import schema
from desktop.server.connection import ServerError, connect


@contextmanager
def _admin(address: str):
    import psycopg

    conn = connect(address)
    try:
        yield conn
    except psycopg.errors.InsufficientPrivilege:
        raise ServerError("该账户无权建立角色或表（请用数据库超级用户或有 CREATEROLE 权限的账户）") from None
    except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName):
        raise ServerError("服务器尚未初始化（请先运行 server init）") from None
    except psycopg.OperationalError:
        raise ServerError("与服务器的连接中断，未做任何改动") from None
    except psycopg.Error as exc:
        text = (getattr(exc.diag, "message_primary", None) or str(exc)).splitlines()
        raise ServerError(f"服务器出错：{text[0] if text else type(exc).__name__}") from None
    except ValueError as exc:
        raise ServerError(str(exc)) from None
    finally:
        conn.close()


def init_server(address: str) -> list[str]:
    """Create the schema and roles (only what is missing); the migrations applied."""
    with _admin(address) as conn:
        return schema.init(conn)


def add_reviewer(address: str, name: str, *, role: str | None = None, admin: bool = False) -> tuple[str, str | None]:
    """A login role for reviewer `name`: (role, its new password or None when the role existed)."""
    with _admin(address) as conn:
        return schema.add_reviewer(conn, name, role=role, admin=admin)
