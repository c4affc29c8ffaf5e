"""SQLite's and Python's English error messages as one Chinese phrase for the user; the original goes to the log."""
from __future__ import annotations

import errno
import logging

log = logging.getLogger("desktop.kernel.plain")  # routed to cli.log / desk.log with our other loggers (kernel/logs.py)
log.addHandler(logging.NullHandler())  # unrouted (a library caller, a test): never Python's stderr fallback

_ERRNO = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有操作权限",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "所在磁盘是只读的",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EEXIST: "文件已存在",
    errno.EBUSY: "文件正被占用",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EIO: "磁盘或网络读写出错",
    errno.EMFILE: "同时打开的文件过多",
    errno.EDQUOT: "磁盘配额已用完",
    errno.ETXTBSY: "文件正被占用",
}
# SQLite's messages (lower case, matched as parts), in order: the first match wins.
_SQLITE = (
    (("locked", "busy"), "审阅库正被其他程序或窗口占用"),
    (("malformed", "btree", "corrupt", "wrong # of entries", "on tree page", "rowid", "never used"), "文件已损坏"),
    (("not a database", "encrypted"), "不是有效的 SQLite 数据库"),
    (("readonly", "read-only"), "文件是只读的"),
    (("disk is full", "database or disk is full"), "磁盘已满"),
    (("disk i/o error",), "磁盘读写出错"),
    (("unable to open",), "无法打开数据库文件（路径不存在或没有权限）"),
    (("no such table", "no such column", "has no column"), "数据结构与本程序的版本不符"),
    (("constraint failed", "unique constraint"), "数据与已有记录冲突"),
    (("interrupted",), "操作被中断"),
    (("out of memory",), "内存不足"),
)
_BY_NAME = {
    "BadZipFile": "不是有效的压缩文件，或文件已损坏",
    "BadGzipFile": "不是有效的 gzip 压缩文件",
    "EOFError": "文件不完整（可能在复制或下载时被截断）",
    "error": "压缩数据已损坏",  # zlib.error
    "UnicodeDecodeError": "文字编码无法识别",
    "UnicodeEncodeError": "含有无法保存的字符",
    "MemoryError": "内存不足",
    "RecursionError": "内容嵌套过深",
    "TimeoutError": "等待超时",
    "ParseError": "文件格式有误，无法解析",
    "XMLSyntaxError": "文件格式有误，无法解析",
    "JSONDecodeError": "文件格式有误，无法解析",
}


def plain(exc: BaseException, *, context: str = "") -> str:
    """A short Chinese phrase for what went wrong (no English, no internals); the original is logged."""
    log.warning("%s%s: %s", f"{context}: " if context else "", type(exc).__name__, exc)
    return describe(exc)


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno in _ERRNO:
        return _ERRNO[exc.errno]
    if isinstance(exc, PermissionError):
        return "没有访问权限"
    if isinstance(exc, FileNotFoundError):
        return "文件或文件夹不存在"
    if type(exc).__module__ in ("sqlite3", "_sqlite3") or "sqlite" in type(exc).__module__:
        text = str(exc).lower()
        for needles, phrase in _SQLITE:
            if any(n in text for n in needles):
                return phrase
        return "数据库操作失败"
    if type(exc).__name__ in _BY_NAME:
        return _BY_NAME[type(exc).__name__]
    if isinstance(exc, OSError):
        return "文件读写失败"
    return "程序内部错误"
