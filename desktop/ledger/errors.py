"""Errors of the ledger: a file-level failure with a Chinese message, and a cancelled run."""
from __future__ import annotations

from desktop.store.files import OutputError


class LedgerError(OutputError):
    """The ledger file cannot be written or read; the message is one Chinese sentence for the user."""


class LedgerCancelled(LedgerError):
    """The user cancelled an export or import; nothing was written."""

    def __init__(self, path=None):
        super().__init__("已取消", path=path)
