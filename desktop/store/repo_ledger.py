"""Library part for ledger rounds: files returned, each task's reported progress, provenance on history."""
from __future__ import annotations

from dataclasses import dataclass, field

from desktop.store.convert import dumps, loads
from desktop.store.repo_base import Part, now_iso


@dataclass(frozen=True)
class ReturnInput:
    """One workbook read back: its changes to apply and what it reported for each task."""

    file_name: str
    unit: str | None  # 填报单位 written in the file
    updates: tuple[tuple[int, dict], ...] = ()  # (work item id, {field: new value})
    reports: tuple[tuple[int, int | None, dict], ...] = ()  # (work item id, row, {field: reported value})


@dataclass(frozen=True)
class LedgerReturnRecord:
    id: int
    round: str
    file_name: str
    filler_unit: str | None
    read_at: str
    who: str | None


@dataclass(frozen=True)
class ProgressRecord:
    """One entry of a task's timeline: what one file of one round reported for it."""

    return_id: int
    work_item_id: int
    round: str
    file_name: str
    filler_unit: str | None
    read_at: str
    status: str | None
    progress: str | None
    reported: dict = field(default_factory=dict)


def source_label(round_name: str, file_name: str, unit: str | None) -> str:
    """The provenance text a history row carries."""
    return f"{round_name} · {file_name}" + (f" · 填报单位：{unit}" if unit else "")


class LedgerStore(Part):
    """Ledger read-backs by round: returns, progress per task, remembered choices (`lib.ledger`)."""

    def _last_history_id(self) -> int:
        row = self.db.row("SELECT max(id) AS m FROM history")
        return (row or {}).get("m") or 0

    def _apply_with_source(self, updates, who, source: str) -> None:
        before = self._last_history_id()
        for item_id, changes in updates:
            self.lib.items.check_work_changes(changes)
            self.db.update_row("work_items", "work_item", self.lib.items.work_row(item_id), changes, who)
        self.db.execute("UPDATE history SET source = ? WHERE id > ?", (source, before))

    def apply_ledger_returns(self, round_name: str, returns, who=None) -> list[int]:
        """Store a read-back of several files in ONE transaction; returns the new ledger_returns ids."""
        ids = []
        with self.db.tx():
            for ret in returns:
                cur = self.db.execute("INSERT INTO ledger_returns (round, file_name, filler_unit, read_at, who)"
                                 " VALUES (?, ?, ?, ?, ?)",
                                 (round_name, ret.file_name, ret.unit, now_iso(), who or self.db.default_who))
                rid = cur.lastrowid
                ids.append(rid)
                for item_id, row_no, reported in ret.reports:
                    self.db.execute("INSERT INTO ledger_progress (return_id, work_item_id, row_no, status, progress,"
                               " reported) VALUES (?, ?, ?, ?, ?, ?)",
                               (rid, item_id, row_no, reported.get("status"), reported.get("progress"),
                                dumps(reported)))
                self._apply_with_source(ret.updates, who, source_label(round_name, ret.file_name, ret.unit))
        return ids

    def withdraw_ledger_returns(self, return_ids, reverts, who=None) -> None:
        """Undo a read-back: the values it replaced written back, its returns hidden (never deleted)."""
        with self.db.tx():
            self._mark_returns(return_ids, 1)
            self._apply_with_source(reverts, who, "撤销台账读回")

    def restore_ledger_returns(self, round_name: str, return_ids, returns, who=None) -> None:
        """Redo a withdrawn read-back: its returns shown again, each file's changes with its provenance."""
        with self.db.tx():
            self._mark_returns(return_ids, 0)
            for ret in returns:
                self._apply_with_source(ret.updates, who, source_label(round_name, ret.file_name, ret.unit))

    def _mark_returns(self, return_ids, deleted: int) -> None:
        ids = list(return_ids)
        if ids:
            self.db.execute(f"UPDATE ledger_returns SET deleted = ? WHERE id IN ({','.join('?' * len(ids))})",
                       (deleted, *ids))

    def ledger_returns(self, round_name: str | None = None) -> list[LedgerReturnRecord]:
        sql, params = "SELECT * FROM ledger_returns WHERE deleted = 0", []
        if round_name is not None:
            sql += " AND round = ?"
            params.append(round_name)
        return [LedgerReturnRecord(r["id"], r["round"], r["file_name"], r["filler_unit"], r["read_at"], r["who"])
                for r in self.db.rows(sql + " ORDER BY id", params)]

    def _progress(self, where: str, params) -> list[ProgressRecord]:
        rows = self.db.rows(
            "SELECT p.*, r.round, r.file_name, r.filler_unit, r.read_at FROM ledger_progress p"
            " JOIN ledger_returns r ON r.id = p.return_id"
            f" WHERE r.deleted = 0 AND {where} ORDER BY p.id", params)
        return [ProgressRecord(r["return_id"], r["work_item_id"], r["round"], r["file_name"], r["filler_unit"],
                               r["read_at"], r["status"], r["progress"], loads(r["reported"], {})) for r in rows]

    def round_reports(self, round_name: str) -> list[ProgressRecord]:
        """Everything the files of one round reported, oldest first."""
        return self._progress("r.round = ?", (round_name,))

    def task_timeline(self, work_item_id: int) -> list[ProgressRecord]:
        """A task's progress, round by round and file by file, oldest first."""
        return self._progress("p.work_item_id = ?", (work_item_id,))

    # ---------------------------------------------------------------- remembered choices
    def ledger_choices(self, round_name: str | None = None) -> list[dict]:
        """The reviewer's choices of a value (round, work_item_id, field, value, file_name, chosen_at, who)."""
        sql, params = "SELECT * FROM ledger_choices", ()
        if round_name is not None:
            sql, params = sql + " WHERE round = ?", (round_name,)
        return self.db.rows(sql + " ORDER BY round, work_item_id, field", params)

    def remember_ledger_choices(self, round_name: str, choices, who=None) -> None:
        """Keep (work_item_id, field, value, file_name) chosen for a round: it wins over every file of that round,
        read before or after, until chosen again (a newer round starts afresh)."""
        with self.db.tx():
            for item_id, field, value, file_name in choices:
                self.db.execute("INSERT OR REPLACE INTO ledger_choices (round, work_item_id, field, value, file_name,"
                           " chosen_at, who) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (round_name, item_id, field, value, file_name, now_iso(), who or self.db.default_who))

    def known_units(self) -> list[str]:
        """The 牵头单位 and 配合单位 texts the library already holds, most used first."""
        rows = self.db.rows(
            "SELECT v, count(*) AS n FROM (SELECT lead_unit AS v FROM work_items WHERE deleted = 0"
            " UNION ALL SELECT partner_units FROM work_items WHERE deleted = 0)"
            " WHERE v IS NOT NULL AND v <> '' GROUP BY v ORDER BY n DESC, v")
        return [r["v"] for r in rows]
