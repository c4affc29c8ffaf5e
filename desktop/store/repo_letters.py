"""Library part for opinion letters and rectification: library settings and the 整改清单 rows (SQL only here)."""
from __future__ import annotations

from dataclasses import dataclass

from desktop.store.convert import dumps, loads
from desktop.store.merge import CREATED, rectification_gid, stamp_entry, with_stamps
from desktop.store.repo_base import Part, now_iso

# 整改状态 a unit can report; 已销号 is the annotation's own status (the office closes the item).
RECTIFICATION_STATES = ("未整改", "整改中", "已整改")
CLOSED = "已销号"
OPEN = "需整改"
RECTIFICATION_STATUSES = (OPEN, CLOSED)  # annotation statuses that make an annotation a rectification item
_PROTECTED_SETTINGS = frozenset({"library_id"})
# Settings an office's reviewers share: they travel in bundles, last writer wins by the stamp kept beside them
# (library_info "stamp.<key>"; see team.md).
SHARED_SETTINGS = ("office_name",)


@dataclass(frozen=True)
class RectificationRecord:
    annotation_id: int
    progress: str | None  # 整改情况, as the unit wrote it
    state: str | None  # 未整改 / 整改中 / 已整改 (None: nothing reported yet)
    updated_at: str | None = None
    updated_by: str | None = None


class LetterStore(Part):
    """Library settings (office name…) and what units report on the items they must rectify."""

    # ---------------------------------------------------------------- settings
    def library_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.row("SELECT value FROM library_info WHERE key = ?", (f"setting.{key}",))
        return default if row is None or row["value"] in (None, "") else row["value"]

    def set_library_setting(self, key: str, value: str | None, who=None) -> str | None:
        """Store one setting of this library (e.g. office_name), with a history row. Undo: set the old value."""
        if key in _PROTECTED_SETTINGS or not key:
            raise ValueError(f"不能修改设置“{key}”")
        value = (value or "").strip() or None
        old = self.library_setting(key)
        if old == value:
            return value
        with self.db.tx():
            self.put_info(f"setting.{key}", value)
            if key in SHARED_SETTINGS:
                base = stamp_entry({key: loads(self.info(f"stamp.{key}"), None)}, key)[0]
                self.put_info(f"stamp.{key}", dumps([self.db.stamp(), base, who or self.db.default_who]))
            self.db.log("setting", None, "update", key, old, value, None, who)
        return value

    def info(self, key: str) -> str | None:
        row = self.db.row("SELECT value FROM library_info WHERE key = ?", (key,))
        return None if row is None else row["value"]

    def put_info(self, key: str, value) -> None:
        self.db.execute("INSERT INTO library_info (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET"
                   " value = excluded.value", (key, value))

    # ---------------------------------------------------------------- rectification
    def rectifications(self, report_id=None) -> dict[int, RectificationRecord]:
        """annotation id -> what its unit reported (only annotations that have a report)."""
        sql = "SELECT r.* FROM rectifications r"
        params: tuple = ()
        if report_id is not None:
            sql += " JOIN annotations a ON a.id = r.annotation_id WHERE a.report_id = ?"
            params = (report_id,)
        return {r["annotation_id"]: RectificationRecord(r["annotation_id"], r["progress"], r["state"],
                                                        r["updated_at"], r["updated_by"])
                for r in self.db.rows(sql, params)}

    def apply_rectification_updates(self, updates, who=None) -> list[tuple[int, dict]]:
        """Store many (annotation id, {progress?, state?, status?}) in one transaction.

        `status` is the annotation's status (需整改 or 已销号: closing or reopening an item). Returns, per item,
        the values it had before — applying them again is the undo."""
        reverts = []
        with self.db.tx():
            for ann_id, changes in updates:
                row = self.db.row("SELECT * FROM annotations WHERE id = ?", (ann_id,))
                if row is None:
                    raise LookupError(f"找不到编号为 {ann_id} 的批注")
                old = self.db.row("SELECT progress, state FROM rectifications WHERE annotation_id = ?", (ann_id,))
                before = {k: (old or {}).get(k) for k in ("progress", "state") if k in changes}
                status = changes.get("status")
                if status is not None and status != row["status"]:
                    if status not in RECTIFICATION_STATUSES:
                        raise ValueError(f"整改状态无效：{status}")
                    before["status"] = row["status"]
                    self.db.update_row("annotations", "annotation", row, {"status": status}, who)
                    self.db.execute("UPDATE annotations SET updated_at = ? WHERE id = ?", (now_iso(), ann_id))
                fields = {k: changes[k] for k in ("progress", "state") if k in changes}
                if fields:
                    self._write_rectification(row, fields, who)
                reverts.append((ann_id, before))
        return reverts

    def _write_rectification(self, annotation: dict, fields: dict, who) -> None:
        if fields.get("state") not in (None, *RECTIFICATION_STATES):
            raise ValueError(f"整改状态无效：{fields['state']}")
        old = self.db.row("SELECT * FROM rectifications WHERE annotation_id = ?", (annotation["id"],))
        before = {"progress": None, "state": None} if old is None else {"progress": old["progress"],
                                                                       "state": old["state"]}
        after = {**before, **fields}
        if after == before:
            return
        for name, label in (("progress", "rectification_progress"), ("state", "rectification_state")):
            if after[name] != before[name]:
                self.db.log("annotation", annotation["id"], "update", label, before[name], after[name],
                          annotation["report_id"], who)
        written = [f for f in ("progress", "state") if after[f] != before[f]] + ([CREATED] if old is None else [])
        stamps = with_stamps(loads((old or {}).get("stamps"), {}), written, self.db.stamp(), who or self.db.default_who)
        self.db.execute("INSERT INTO rectifications (annotation_id, progress, state, updated_at, updated_by, gid, stamps)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(annotation_id) DO UPDATE SET"
                   " progress = excluded.progress, state = excluded.state, updated_at = excluded.updated_at,"
                   " updated_by = excluded.updated_by, stamps = excluded.stamps",
                   (annotation["id"], after["progress"], after["state"], now_iso(), who or self.db.default_who,
                    rectification_gid(annotation["gid"]), dumps(stamps)))


# ---------------------------------------------------------------- rectification items (pure, no SQL)
WORDS_UNCHANGED = "原文未改"
WORDS_CHANGED = "原文已改"


def is_rectification_item(annotation) -> bool:
    """An annotation the unit must rectify (需整改), or one the office has closed (已销号)."""
    return annotation.status in RECTIFICATION_STATUSES


def quoted_words_state(annotation, report) -> str | None:
    """After the unit's next version was imported: were the quoted words changed? None before any new version.

    The re-anchoring of the new reading marks an annotation whose words are gone as orphaned."""
    if annotation.target_kind == "report" or report.reading_no <= 1:
        return None
    if (annotation.created_at or "") > (report.imported_at or ""):
        return None  # the item was written on the current version
    return WORDS_CHANGED if annotation.anchor == "orphaned" else WORDS_UNCHANGED


def rectification_state(annotation, record: RectificationRecord | None) -> str | None:
    """What the 整改状态 column shows: 已销号 for a closed item, else what the unit reported."""
    if annotation.status == CLOSED:
        return CLOSED
    return record.state if record is not None else None
