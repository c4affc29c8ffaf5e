"""Writing a file the user named (ledgers, letters, backups): one rule for every command and the desk.

The folder must already exist (a mistyped path is refused, never silently created), the file appears whole
or not at all (written beside the target, then renamed over it), and it gets the user's normal file mode
(0666 less the umask, as any program's new file), not the 0600 of a private temporary file.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

MISSING_FOLDER = "保存位置的文件夹不存在"


class OutputError(OSError):
    """The target cannot be written; `reason` is one Chinese phrase for the user."""

    def __init__(self, path, reason: str):
        super().__init__(reason)
        self.path, self.reason = Path(path), reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def check_folder(path) -> Path:
    """The target as a Path; OutputError when its folder does not exist (or is not a folder)."""
    target = Path(path)
    if not target.parent.is_dir():
        raise OutputError(target, MISSING_FOLDER)
    return target


def part_path(target: Path) -> Path:
    """A fresh name beside `target` for writing it before the rename (same folder, so the rename is atomic)."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")


def write_atomic(path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all, with the user's normal file mode. OSError on failure."""
    target = check_folder(path)
    tmp = part_path(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def failure_reason(exc: OSError, opened_in: str = "Excel/WPS") -> str:
    """Why writing failed, as one Chinese phrase (the file may be open in `opened_in`)."""
    if isinstance(exc, OutputError):
        return exc.reason
    if isinstance(exc, PermissionError):
        return f"没有写入权限，或文件正在 {opened_in} 中打开"
    return f"无法写入文件（{exc.strerror or exc}）"
