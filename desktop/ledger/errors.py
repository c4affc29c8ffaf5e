"""Errors of the ledger: a file-level failure with a Chinese message, and a cancelled run."""
from __future__ import annotations


class LedgerError(Exception):
    """The ledger file cannot be written or read; the message is one Chinese sentence for the user."""

    def __init__(self, message: str, *, path=None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class LedgerCancelled(LedgerError):
    """The user cancelled an export or import; nothing was written."""

    def __init__(self, path=None):
        super().__init__("已取消", path=path)
