"""Writing an exported file (ledger, letter…) atomically, with one Chinese sentence when it cannot be written."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputError(Exception):
    """An exported file cannot be written (or its input template read); the message is one Chinese sentence."""

    def __init__(self, message: str, *, path=None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def write_atomically(path, data: bytes, *, open_in: str = "Excel/WPS") -> Path:
    """Write `data` to `path` through a temporary file in the same folder: a failure leaves no file behind
    and never a half-written one. Raises OutputError with the reason (folder missing, file open in `open_in`…)."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".part-", suffix=target.suffix, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        if not target.parent.is_dir():
            reason = "保存位置的文件夹不存在"
        elif isinstance(exc, PermissionError):
            reason = f"没有写入权限，或文件正在 {open_in} 中打开"
        else:
            reason = f"无法写入文件（{exc.strerror or exc}）"
        raise OutputError(reason, path=path) from exc
    return target
