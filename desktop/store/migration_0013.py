"""Migration 0013's data step, frozen: gids for the ledger read-backs and reported lines a library already holds.

A copy of what ledger_team.py did when 0013 was written, so that later changes to that live code never change how
an old library is migrated. Do not import the live parts here, and do not edit this to follow them."""
from __future__ import annotations

import hashlib


def _derived_gid(*parts) -> str:
    """A global id derived from content (merge.derived_gid as of 0013)."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:32]


def fill_gids(db) -> None:
    """Gids for the read-backs a library already holds (its own: named by library id and row id), and for each
    task's reported line (the read-back, the task and the workbook row)."""
    library_id = db.execute("SELECT value FROM library_info WHERE key = 'library_id'").fetchone()[0]
    for (rid,) in db.execute("SELECT id FROM ledger_returns").fetchall():
        db.execute("UPDATE ledger_returns SET gid = ? WHERE id = ?", [_derived_gid("ledger_return", library_id, rid),
                                                                      rid])
    for pid, rgid, wgid, row_no in db.execute(
            "SELECT p.id, r.gid, w.gid, p.row_no FROM ledger_progress p JOIN ledger_returns r ON r.id = p.return_id"
            " JOIN work_items w ON w.id = p.work_item_id WHERE w.gid IS NOT NULL").fetchall():
        db.execute("UPDATE ledger_progress SET gid = ? WHERE id = ?",
                   [_derived_gid("ledger_progress", rgid, wgid, row_no), pid])
