"""LibraryError and the translation of sqlite3 failures into one clear Chinese sentence naming the file."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.store.copies import last_good_backup


class LibraryError(Exception):
    """The review library cannot be opened or written; the message is a Chinese sentence naming the file."""

    def __init__(self, message: str, *, path: str | Path | None = None, reason: str = "error"):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.reason = reason  # locked | readonly | not_sqlite | not_library | newer | damaged | io | error

    def __str__(self) -> str:
        return self.message


_refused: dict[str, LibraryError] = {}  # library path -> why its writes are refused (health.WriteGate)


def refuse_writes(path, why: LibraryError) -> None:
    """Record that the library at `path` refuses writes (it was found damaged before the first one)."""
    _refused[str(Path(path))] = why


def refusal(path) -> LibraryError | None:
    """The damage found in the library at `path` before a write (its writes are refused), if any."""
    return _refused.get(str(Path(path)))


def library_error(exc: BaseException, path: str | Path, *, timeout: float | None = None) -> LibraryError:
    """Turn a sqlite3/OS error met while using the library at `path` into a LibraryError."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        waited = f"（已等待 {timeout:g} 秒）" if timeout else ""
        return LibraryError(f"{path}: 审阅库正被其他程序或窗口占用{waited}，请稍后重试或关闭其他窗口", path=path,
                            reason="locked")
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return LibraryError(f"{path}: 审阅库文件是只读的，无法保存修改", path=path, reason="readonly")
    if "not authorized" in text:
        refused = _refused.get(str(Path(path)))  # a write refused: the library turned out damaged (health.WriteGate)
        if refused is not None:
            return refused
    if "malformed" in text:
        return damaged(Path(path), str(exc))
    if "not a database" in text or "encrypted" in text:
        return LibraryError(f"{path}: 不是审阅库文件（不是有效的 SQLite 数据库），未做任何改动", path=path,
                            reason="not_sqlite")
    if "disk is full" in text or "no space" in text or (
            "disk i/o error" in text and _disk_nearly_full(path)):
        return LibraryError(f"{path}: 磁盘已满，无法保存到审阅库", path=path, reason="io")
    if "unable to open" in text:
        return LibraryError(f"{path}: 无法打开审阅库文件（路径不存在或没有权限）", path=path, reason="io")
    from desktop.kernel.plain import plain

    if isinstance(exc, sqlite3.Error) or isinstance(exc, OSError):
        return LibraryError(f"{path}: 审阅库读写失败（{plain(exc)}）", path=path, reason="io")
    return LibraryError(f"{path}: 审阅库出错（{plain(exc)}）", path=path)


def _disk_nearly_full(path: str | Path, margin: int = 1024 * 1024) -> bool:
    """SQLite reports a failed write as "disk I/O error"; ENOSPC shows as almost no free space left."""
    import shutil

    try:
        return shutil.disk_usage(Path(path).parent).free < margin
    except OSError:
        return False


def damaged(path: Path, problem: str) -> LibraryError:
    """SQLite's finding ('Page 3: btreeInitPage() returns error code 11') goes to the log, not to the user."""
    import logging

    from desktop.kernel.paths import program_name

    logging.getLogger("desktop.store").warning("%s: damaged: %s", path, " ".join(problem.split()))
    good = last_good_backup(path)
    where = f"最近一份完好的备份：{good}" if good else "没有找到完好的自动备份"
    return LibraryError(f"{path}: 审阅库文件已损坏，为避免损坏扩大已拒绝写入；{where}；"
                        f"可运行 {program_name()} repair --db {path} 从备份恢复或抢救数据到新文件（原文件不会改动）",
                        path=path, reason="damaged")
