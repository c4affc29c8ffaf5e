"""Library part for units (发布单位): names, aliases, merges, and the unit a report's identity belongs to."""
from __future__ import annotations

from desktop.store.identity import unit_name
from desktop.store.records import UnitRecord
from desktop.store.repo_base import Part, now_iso


class UnitStore(Part):
    """Units and their aliases; merge and unmerge (`lib.units`)."""

    def drop_empty_unit(self, unit_id: int | None) -> None:
        """A unit left without reports by a corrected misread goes, unless someone relies on it: an alias the
        reviewer added, a unit merged into it, or ledger tasks it leads."""
        if unit_id is None:
            return
        unit = self.db.row("SELECT name FROM units WHERE id = ?", (unit_id,))
        if unit is None or self.db.row("SELECT 1 FROM reports WHERE unit_id = ? LIMIT 1", (unit_id,)):
            return
        if (self.db.row("SELECT 1 FROM unit_aliases WHERE unit_id = ? LIMIT 1", (unit_id,))
                or self.db.row("SELECT 1 FROM units WHERE merged_into = ? LIMIT 1", (unit_id,))
                or self.db.row("SELECT 1 FROM work_items WHERE lead_unit = ? LIMIT 1", (unit["name"],))):
            return
        self.db.execute("DELETE FROM units WHERE id = ?", (unit_id,))

    def resolve_unit(self, issuer, region, level, title=None) -> int | None:
        """The unit a report belongs to: by alias (in its region, then anywhere), by full name, else a new unit."""
        name = unit_name(issuer, region, title)
        if not name:
            return None
        for alias, where in ((issuer or name, region or ""), (name, region or ""), (name, "")):
            row = self.db.row("SELECT unit_id FROM unit_aliases WHERE alias = ? AND region = ?", (alias, where))
            if row:
                return self._final_unit(row["unit_id"])
        row = self.db.row("SELECT id FROM units WHERE name = ?", (name,))
        if row:
            return self._final_unit(row["id"])
        return self.db.execute("INSERT INTO units (name, level, region, created_at) VALUES (?, ?, ?, ?)",
                          (name, level, region, now_iso())).lastrowid

    def _final_unit(self, unit_id: int) -> int:
        seen = set()
        while unit_id not in seen:
            seen.add(unit_id)
            row = self.db.row("SELECT merged_into FROM units WHERE id = ?", (unit_id,))
            if not row or row["merged_into"] is None:
                return unit_id
            unit_id = row["merged_into"]
        return unit_id

    def units(self, *, include_merged=False) -> list[UnitRecord]:
        aliases: dict[int, list[str]] = {}
        for r in self.db.rows("SELECT unit_id, alias FROM unit_aliases ORDER BY id"):
            aliases.setdefault(r["unit_id"], []).append(r["alias"])
        counts = {r["unit_id"]: r["n"] for r in
                  self.db.rows("SELECT unit_id, count(*) AS n FROM reports GROUP BY unit_id")}
        where = "" if include_merged else "WHERE merged_into IS NULL"
        return [UnitRecord(r["id"], r["name"], r["level"], r["region"], r["merged_into"],
                           tuple(aliases.get(r["id"], ())), counts.get(r["id"], 0))
                for r in self.db.rows(f"SELECT * FROM units {where} ORDER BY name")]

    def get_unit(self, unit_id: int) -> UnitRecord:
        for u in self.units(include_merged=True):
            if u.id == unit_id:
                return u
        raise LookupError(f"找不到编号为 {unit_id} 的单位")

    def find_unit(self, ref: str) -> UnitRecord:
        ref = str(ref).strip()
        units = self.units(include_merged=True)
        hits = [u for u in units if str(u.id) == ref] or [u for u in units if u.name == ref or ref in u.aliases]
        hits = hits or [u for u in units if ref in u.name and u.merged_into is None]
        if len(hits) != 1:
            raise LookupError(f"找不到单位：{ref}" if not hits else f"“{ref}”对应多个单位，请用编号指定")
        return hits[0]

    def merge_units(self, source_id: int, target_id: int, who=None) -> list[int]:
        """Source becomes an alias of target; its reports move. Returns the moved report ids (for undo)."""
        if source_id == target_id:
            raise ValueError("不能把单位合并到它自身")
        with self.db.tx():
            source, target = self.get_unit(source_id), self.get_unit(self._final_unit(target_id))
            moved = [r["id"] for r in self.db.rows("SELECT id FROM reports WHERE unit_id = ?", (source_id,))]
            self.db.execute("UPDATE units SET merged_into = ? WHERE id = ?", (target.id, source_id))
            self.db.execute("UPDATE reports SET unit_id = ? WHERE unit_id = ?", (target.id, source_id))
            self.db.execute("INSERT OR IGNORE INTO unit_aliases (unit_id, alias, region) VALUES (?, ?, '')",
                       (target.id, source.name))
            self.db.log("unit", source_id, "merge", "merged_into", None, target.name, None, who)
        return moved

    def unmerge_units(self, source_id: int, report_ids: list[int], who=None) -> None:
        """Undo of merge_units: the source stands alone again with the reports it had."""
        with self.db.tx():
            source = self.get_unit(source_id)
            self.db.execute("UPDATE units SET merged_into = NULL WHERE id = ?", (source_id,))
            self.db.execute("DELETE FROM unit_aliases WHERE alias = ? AND region = '' AND unit_id = ?",
                       (source.name, source.merged_into))
            self.db.conn.executemany("UPDATE reports SET unit_id = ? WHERE id = ?",
                                     [(source_id, rid) for rid in report_ids])
            self.db.log("unit", source_id, "unmerge", "merged_into", source.merged_into, None, None, who)

    def rename_unit(self, unit_id: int, name: str, who=None) -> UnitRecord:
        """A new name; the old one stays an alias so the next year's report with the old name finds the unit."""
        name = (name or "").strip()
        if not name:
            raise ValueError("单位名称不能为空")
        with self.db.tx():
            unit = self.get_unit(unit_id)
            other = self.db.row("SELECT id FROM units WHERE name = ? AND id != ?", (name, unit_id))
            if other:
                raise ValueError(f"已有名为“{name}”的单位，请用合并")
            self.db.execute("UPDATE units SET name = ? WHERE id = ?", (name, unit_id))
            self.db.execute("DELETE FROM unit_aliases WHERE alias = ? AND region = '' AND unit_id = ?", (name, unit_id))
            self.db.execute("INSERT OR IGNORE INTO unit_aliases (unit_id, alias, region) VALUES (?, ?, '')",
                       (unit_id, unit.name))
            self.db.log("unit", unit_id, "update", "name", unit.name, name, None, who)
        return self.get_unit(unit_id)

    def add_unit_alias(self, unit_id: int, alias: str, region: str | None = None, who=None) -> None:
        """`alias` (in reports of `region`, or anywhere) names this unit; reports already here are regrouped."""
        with self.db.tx():
            self.db.execute("INSERT OR REPLACE INTO unit_aliases (unit_id, alias, region) VALUES (?, ?, ?)",
                       (unit_id, alias, region or ""))
            self.db.log("unit", unit_id, "alias", "alias", None, f"{region or ''}{alias}", None, who)
            for r in self.db.rows("SELECT id, issuer, region, level, title, unit_id FROM reports"
                                " WHERE issuer = ? AND (? = '' OR region = ?)", (alias, region or "", region or "")):
                unit = self.resolve_unit(r["issuer"], r["region"], r["level"], r["title"])
                if unit != r["unit_id"]:
                    self.db.execute("UPDATE reports SET unit_id = ? WHERE id = ?", (unit, r["id"]))
