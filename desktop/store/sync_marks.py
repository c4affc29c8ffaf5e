"""The library's side of syncing with a team server: where each server's sync stopped (migration 0013), which
reports changed since, the remembered server address. No server code here: desktop/server calls these."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

ADDRESS_KEY = "setting.server_address"  # a local setting (never travels): the address of the team server


@dataclass(frozen=True)
class SyncMark:
    """Where the last sync with one server stopped."""
    server_id: str
    address: str | None = None
    reviewer: str | None = None
    pulled_seq: int = 0  # the newest server record merged here
    pushed_history: int = 0  # this library's writes up to this history row are on the server
    pushed_conflict: int = 0  # and the conflicts it recorded up to this id
    last_sync: str | None = None  # UTC ISO time of the last complete sync


def _conn(repo):
    return repo.db.conn


def mark(repo, server_id: str) -> SyncMark:
    cur = _conn(repo).execute("SELECT server_id, address, reviewer, pulled_seq, pushed_history, pushed_conflict, last_sync"
                              " FROM server_sync WHERE server_id = ?", (server_id,))
    row = cur.fetchone()
    return SyncMark(*row) if row else SyncMark(server_id)


def save_mark(repo, server_id: str, **values) -> None:
    """Update the mark of `server_id` (inside the caller's transaction when there is one)."""
    conn = _conn(repo)
    conn.execute("INSERT OR IGNORE INTO server_sync (server_id) VALUES (?)", (server_id,))
    if values:
        conn.execute(f"UPDATE server_sync SET {', '.join(f'{k} = ?' for k in values)} WHERE server_id = ?",
                     (*values.values(), server_id))


def finish(repo, server_id: str, **values) -> None:
    """Save the mark with the time of this (complete) sync, committed."""
    with repo.db.tentative("server_sync_mark"):
        save_mark(repo, server_id, last_sync=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), **values)


def last_sync(repo) -> SyncMark | None:
    """The most recent complete sync with any server (the desk shows its time), or None."""
    row = _conn(repo).execute("SELECT server_id, address, reviewer, pulled_seq, pushed_history, pushed_conflict, last_sync"
                              " FROM server_sync WHERE last_sync IS NOT NULL ORDER BY last_sync DESC LIMIT 1").fetchone()
    return SyncMark(*row) if row else None


def heads(repo) -> tuple[int, int]:
    """The newest history row and conflict: what a push started now covers."""
    conn = _conn(repo)
    return (conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0],
            conn.execute("SELECT coalesce(max(id), 0) FROM conflicts").fetchone()[0])


def changed_reports(repo, after_history: int, after_conflict: int) -> set[int]:
    """Ids of reports this library wrote to since history row `after_history` (its own writes: not what a merge
    brought), or where it recorded a conflict since `after_conflict`."""
    conn = _conn(repo)
    ids = {r[0] for r in conn.execute("SELECT DISTINCT report_id FROM history WHERE id > ? AND report_id IS NOT NULL"
                                      " AND action NOT IN ('bundle', 'bundle_lost')", (after_history,))}
    return ids | {r[0] for r in conn.execute("SELECT DISTINCT report_id FROM conflicts WHERE id > ?", (after_conflict,))}


def report_ids_by_key(repo, keys) -> dict[str, int]:
    """Local report id of each of `keys` this library holds."""
    keys = list(keys)
    out: dict[str, int] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        out.update({k: rid for rid, k in _conn(repo).execute(
            f"SELECT id, report_key FROM reports WHERE report_key IN ({', '.join('?' * len(chunk))})", chunk)})
    return out


def server_address(repo) -> str | None:
    row = _conn(repo).execute("SELECT value FROM library_info WHERE key = ?", (ADDRESS_KEY,)).fetchone()
    return row[0] if row else None


def remember_address(repo, address: str) -> None:
    """Remember the server's address (never a password: libpq's pgpass, service file or the desk's prompt)."""
    with repo.db.tentative("server_address"):
        _conn(repo).execute("INSERT INTO library_info (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET"
                            " value = excluded.value", (ADDRESS_KEY, address))
