"""Digests of the workbooks read back in each round (migration 0014): a file already read, unchanged, is skipped."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class ReadBefore:
    """A workbook with these exact bytes was read back earlier in the round (its return still stands)."""

    file_name: str
    read_at: str
    return_id: int


def read_before(conn: sqlite3.Connection, round_name: str) -> dict[str, ReadBefore]:
    """{sha256: the earlier return} for the round's files whose read-back stands (not withdrawn by an undo)."""
    rows = conn.execute(
        "SELECT d.sha256, r.file_name, r.read_at, r.id FROM ledger_digests d JOIN ledger_returns r ON r.id = d.return_id"
        " WHERE d.round = ? AND r.deleted = 0 AND r.round = d.round ORDER BY r.id", (round_name,)).fetchall()
    return {sha: ReadBefore(name, at, rid) for sha, name, at, rid in rows}


def remember(conn: sqlite3.Connection, round_name: str, digests: list[tuple[int, str]]) -> None:
    """Record (return id, sha256) for files of the round; call inside the transaction that stored the returns."""
    conn.executemany("INSERT OR REPLACE INTO ledger_digests (return_id, round, sha256) VALUES (?, ?, ?)",
                     [(rid, round_name, sha) for rid, sha in digests])
