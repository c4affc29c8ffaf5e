"""Library part for working as a team: review state out (for bundles), state in (the merge), assignments,
conflicts and the canonical dump. Local row ids never leave: reports travel by report_key, rows by gid.

The rules are in desktop/store/merge.py and team.md; this module holds their SQL.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from desktop.store.convert import dumps, loads
from desktop.store.identity import IDENTITY_FIELDS
from desktop.store.merge import CREATED, derived_gid, merge_row, newest_stamp, stamp_entry, stamp_time
from desktop.store.migrations import reading_texts
from desktop.store.repo_base import Part, now_iso, quoted, new_uid
from desktop.store.repo_season import pack_text
from desktop.store.team_records import (  # noqa: F401 (Spec, SPEC: re-exported for the other team modules)
    FOLLOWUP, NOT_SHARED, RECTIFICATION, REPORT_SPEC, SPEC, SPECS, TARGET_TABLE, Spec, check_rows, edit_marks,
    local_view, out_row, wanted,
)

_REPORT_COLUMNS = ("file_name", "sha256", "doc_kind", "title", "issuer", "report_year", "plan_year", "published",
                   "metadata", "warnings", "identity", "imported_at", "reading_no",
                   "level", "region", "report_type", "review_status", "edited_fields", "extracted_identity")
_SECTION_COLUMNS = ("path", "parent_path", "number", "label", "title", "level", "role", "start", "end",
                    "title_start", "title_end", "position")


@dataclass
class MergeSummary:
    """What a merge did (or, dry run, would do)."""
    new_reports: list[str] = field(default_factory=list)  # titles
    inserted: dict[str, int] = field(default_factory=dict)  # table -> rows added
    changed: dict[str, int] = field(default_factory=dict)  # table -> rows with a field changed
    conflicts: list[dict] = field(default_factory=list)  # new conflicts: title, entity, field, loser, author
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    removed: list[str] = field(default_factory=list)  # titles of reports a colleague removed (tombstones)

    @property
    def unchanged(self) -> bool:
        return not (self.new_reports or self.removed or any(self.inserted.values()) or any(self.changed.values())
                    or self.conflicts)


class TeamStore(Part):
    """Export and merge of review state; assignments (分工); conflicts to confirm."""

    # ---------------------------------------------------------------- state out
    def team_state(self, report_ids=None, *, reviewer: str | None = None, since: str | None = None) -> dict:
        """The review state of some reports (all when None) as plain data, ids replaced by keys and gids.

        `reviewer` keeps only that reviewer's annotations, scores, assignments and conflicts; `since`
        (YYYY-MM-DD, UTC) only those written since then. Reports, readings, sections and items travel whole."""
        reports = self.db.rows(f"SELECT id, report_key, stamps, {quoted(_REPORT_COLUMNS)} FROM reports ORDER BY id")
        if report_ids is not None:
            chosen = set(report_ids)
            reports = [r for r in reports if r["id"] in chosen]
        by_id = {r["id"]: {"key": r["report_key"], **{c: r[c] for c in _REPORT_COLUMNS},
                           "stamps": loads(r["stamps"], {}),
                           "readings": [], "sections": [], **{s.table: [] for s in SPECS}} for r in reports}
        texts = reading_texts(self.db.database, set(by_id))
        for r in self.db.rows("SELECT report_id, reading_no, file_name, sha256, imported_at FROM readings"
                            " ORDER BY report_id, reading_no"):
            if r["report_id"] in by_id:
                by_id[r["report_id"]]["readings"].append(
                    {**{k: r[k] for k in ("reading_no", "file_name", "sha256", "imported_at")},
                     "clean_text": texts[(r["report_id"], r["reading_no"])]})
        for r in self.db.rows("SELECT * FROM sections ORDER BY report_id, position"):
            if r["report_id"] in by_id:
                by_id[r["report_id"]]["sections"].append({c: r[c] for c in _SECTION_COLUMNS})
        gid_of = {t: dict(self.db.conn.execute(f"SELECT id, gid FROM {t}").fetchall())
                  for t in ("work_items", "indicators")}
        for spec in SPECS:
            cur = self.db.conn.execute(f"SELECT * FROM {spec.table} ORDER BY id")
            names = [d[0] for d in cur.description]
            for values in cur:  # rows straight from the cursor: the items are most of a library
                row = dict(zip(names, values))
                entry = by_id.get(row["report_id"])
                if entry is None or not wanted(spec.table, row, reviewer, since):
                    continue
                entry[spec.table].append(out_row(spec.table, row, gid_of))
        from desktop.store import followup_team, letters_team

        for part in (followup_team, letters_team):
            for report_id, rows in part.rows_out(self.lib, set(by_id), reviewer=reviewer, since=since).items():
                by_id[report_id][part.KEY] = rows
        from desktop.store.repo_remove import tombstones_out

        return {"library_id": self.lib.library_id(), "tags": self.lib.annotations.tags(), "reports": list(by_id.values()),
                "settings": letters_team.settings_out(self.lib, reviewer=reviewer, since=since),
                "removed": tombstones_out(self.lib)}  # removed reports travel as tombstones (repo_remove)

    def canonical_dump(self) -> dict:
        """The library's shared content without local ids, local times or derived columns: equal dumps mean
        two libraries hold the same reports, items, annotations, scores, assignments and conflicts."""
        state = self.team_state()
        out = {"tags": sorted(state["tags"]), "reports": {},
               "settings": {k: v["value"] for k, v in state["settings"].items()}}
        for rep in state["reports"]:
            entry = {"readings": sorted(r["clean_text"] for r in rep["readings"]),  # which file: a local fact
                     "sections": rep["sections"],
                     **{k: rep[k] for k in ("doc_kind", "metadata", *IDENTITY_FIELDS)}}
            for spec in (*SPECS, FOLLOWUP, RECTIFICATION):
                rows = []
                for row in rep.get(spec.table, ()):
                    row = {k: v for k, v in row.items() if k not in NOT_SHARED}
                    rows.append(row)
                entry[spec.table] = sorted(rows, key=lambda r: r["gid"])
            out["reports"][rep["key"]] = entry
        return out

    # ---------------------------------------------------------------- state in
    def merge_state(self, state: dict, *, dry_run: bool = False, who=None, score_range=(0.0, 100.0)) -> MergeSummary:
        """Merge another library's state (see team.md §3) in ONE transaction; a dry run rolls it back. Every record
        is validated first (team_schema.py: `score_range` bounds scores; None when the caller has validated
        it); one bad record refuses it all."""
        from desktop.store import followup_team, letters_team

        if score_range is not None:  # None: the caller has checked it already (import_bundle)
            self.check_state(state, score_range)
        summary = MergeSummary(dry_run=dry_run)
        with self.db.tentative("team_merge", keep=not dry_run):
            self.lib.annotations.ensure_tags(state.get("tags") or (), who)
            newest, cache = "", {}
            from desktop.store.repo_remove import apply_tombstones

            apply_tombstones(self.lib, state, summary, who)  # a colleague's removals first: nothing merged into them
            for rep in state["reports"]:
                newest = max(newest, self._merge_report(rep, summary, who, cache))
            newest = max(newest, followup_team.merge(self.lib, state, summary, who),
                         letters_team.merge(self.lib, state, summary, who),
                         letters_team.merge_settings(self.lib, state.get("settings") or {}, summary, who))
            if newest > (self._clock_value() or "") and not dry_run:
                self.db.execute("INSERT OR REPLACE INTO library_info (key, value) VALUES ('clock', ?)", (newest,))
                self.db.observe_clock(newest)
        return summary

    def check_state(self, state, score_range=(0.0, 100.0)) -> None:
        """Refuse (ValueError) state whose shape, column names or value types are not what export writes:
        nothing from a bundle reaches SQL unchecked, and a missing required value never fails half-way."""
        from desktop.store import followup_team, letters_team
        from desktop.store.team_schema import validate_state

        validate_state(state, score_range=score_range)
        info = {t: self.db.rows(f"PRAGMA table_info({t})") for t in ("reports", "sections", *SPEC)}
        if not isinstance(state, dict) or not isinstance(state.get("reports"), list):
            raise ValueError("审阅记录的结构不对")
        if not all(isinstance(t, str) for t in state.get("tags") or ()):
            raise ValueError("审阅记录中的标签无效")
        for rep in state["reports"]:
            if not isinstance(rep, dict) or not isinstance(rep.get("key"), str) or not 0 < len(rep["key"]) <= 128:
                raise ValueError("审阅记录中的报告缺少标识")
            check_rows([{c: rep.get(c) for c in _REPORT_COLUMNS}], info["reports"], "reports", required=False)
            if not all(isinstance(rep.get(c), str) for c in ("file_name", "sha256", "doc_kind", "imported_at")):
                raise ValueError("审阅记录中的报告缺少文件名、指纹或类型")
            check_rows([{"stamps": rep.get("stamps") or {}}], [{"name": "stamps", "notnull": 0, "dflt_value": "{}"}],
                        "reports")
            readings = rep.get("readings")
            if not isinstance(readings, list) or not readings or not all(
                    isinstance(r, dict) and isinstance(r.get("reading_no"), int) and isinstance(r.get("sha256"), str)
                    and isinstance(r.get("clean_text"), str) and isinstance(r.get("file_name"), str)
                    and isinstance(r.get("imported_at"), str) for r in readings):
                raise ValueError("审阅记录中的报告版本无效")
            check_rows(rep.get("sections"), info["sections"], "sections")
            for spec in SPECS:
                check_rows(rep.get(spec.table, []), info[spec.table], spec.table)
            followup_team.check(rep)
            letters_team.check(rep)
        letters_team.check_settings(state.get("settings") or {})
        from desktop.store.repo_remove import check_tombstones

        check_tombstones(state)

    def _clock_value(self) -> str | None:
        row = self.db.row("SELECT value FROM library_info WHERE key = 'clock'")
        return row["value"] if row else None

    def _merge_report(self, rep: dict, summary: MergeSummary, who, cache: dict) -> str:
        local = self.db.row("SELECT * FROM reports WHERE report_key = ?", (rep["key"],))
        title = rep.get("title") or rep.get("file_name")
        if local is None:
            report_id = self._insert_report_from(rep, who)
            summary.new_reports.append(title)
        else:
            report_id = local["id"]
            theirs = {r["sha256"] for r in rep["readings"]}
            ours = {r["sha256"] for r in self.db.rows("SELECT sha256 FROM readings WHERE report_id = ?", (report_id,))}
            if theirs - ours:
                summary.notes.append(f"《{title}》：对方有本库没有的报告版本，请在本库导入新版本后再合并一次")
            self._merge_identity(local, rep, title, summary, who)
        newest = newest_stamp(rep.get("stamps") or {})
        ids = {"work_items": {}, "indicators": {}, "uids": cache}  # gid -> local id; table -> uids in use
        for spec in SPECS:
            newest = max(newest, self._merge_rows(spec, report_id, rep.get(spec.table) or [], ids, title,
                                                  summary, who))
        return newest

    def _merge_identity(self, local: dict, rep: dict, title: str, summary: MergeSummary, who) -> None:
        """A report's identity as reviewers corrected it (标题, 单位, 层级…): per field last-writer-wins, then the
        edit marks against the parser's values and the unit follow."""
        mine = loads(local["stamps"], {})
        result = merge_row(local, mine, rep, rep.get("stamps") or {}, IDENTITY_FIELDS)
        for c in result.conflicts:
            self.record_conflict(local["id"], REPORT_SPEC, local["report_key"], c, title, summary)
        if not result.changes and result.stamps == mine:
            return
        after = {**local, **result.changes}
        parsed = loads(local["extracted_identity"], {})
        edited = [f for f in IDENTITY_FIELDS if f in result.stamps and after[f] != parsed.get(f)]
        sets = {**result.changes, "stamps": dumps(result.stamps), "edited_fields": dumps(edited),
                "unit_id": self.lib.units.resolve_unit(after["issuer"], after["region"], after["level"], after["title"])}
        for name, value in result.changes.items():
            self.db.log("report", local["id"], "bundle", name, local[name], value, local["id"],
                      stamp_entry(result.stamps, name)[2] or who)
        self.db.execute(f"UPDATE reports SET {', '.join(f'{quoted([k])} = ?' for k in sets)} WHERE id = ?",
                   (*sets.values(), local["id"]))
        if result.changes:
            summary.changed["reports"] = summary.changed.get("reports", 0) + 1

    def _insert_report_from(self, rep: dict, who) -> int:
        readings = sorted(rep["readings"], key=lambda r: r["reading_no"])
        values = {c: rep.get(c) for c in _REPORT_COLUMNS if rep.get(c) is not None}
        values.update(report_key=rep["key"], clean_text=readings[-1]["clean_text"],
                      stamps=dumps(rep.get("stamps") or {}),
                      reading_no=readings[-1]["reading_no"],
                      unit_id=self.lib.units.resolve_unit(rep.get("issuer"), rep.get("region"), rep.get("level"),
                                                 rep.get("title")))
        report_id = self.db.execute(f"INSERT INTO reports ({quoted(values)}) VALUES ({', '.join('?' * len(values))})",
                               tuple(values.values())).lastrowid
        latest = readings[-1]["reading_no"]
        self.db.conn.executemany(  # as the season stores texts: the current one in the report, older ones packed
            "INSERT INTO readings (report_id, reading_no, file_name, sha256, clean_text, text_z, imported_at)"
            " VALUES (?, ?, ?, ?, '', ?, ?)",
            [(report_id, r["reading_no"], r["file_name"], r["sha256"],
              None if r["reading_no"] == latest else pack_text(r["clean_text"]), r["imported_at"]) for r in readings])
        self.db.conn.executemany(
            f"INSERT INTO sections (report_id, {quoted(_SECTION_COLUMNS)}) VALUES ({', '.join('?' * 13)})",
            [(report_id, *(s.get(c) for c in _SECTION_COLUMNS)) for s in rep["sections"]])
        self.db.log("report", report_id, "bundle", "file_name", None, rep.get("file_name"), report_id, who)
        return report_id

    def _merge_rows(self, spec: Spec, report_id: int, incoming: list[dict], ids: dict, title: str,
                    summary: MergeSummary, who) -> str:
        table = spec.table
        local = {r["gid"]: r for r in self.db.rows(f"SELECT * FROM {table} WHERE report_id = ?", (report_id,))}
        if table in ids:
            ids[table].update({g: r["id"] for g, r in local.items()})
        newest, pending_refs, inserts = "", [], []
        back = {r["id"]: g for g, r in local.items()} if table == "work_items" else {}
        for row in incoming:
            stamps = row.get("stamps") or {}
            newest = max(newest, newest_stamp(stamps))
            mine = local.get(row["gid"])
            if mine is None:
                inserts.append(row)
                continue
            ours = local_view(mine, back)
            result = merge_row(ours, loads(mine["stamps"], {}), row, stamps, spec.fields, spec.max_fields)
            for c in result.conflicts:
                self.record_conflict(report_id, spec, row["gid"], c, title, summary)
            if not result.changes and result.stamps == loads(mine["stamps"], {}):
                continue
            changes = dict(result.changes)
            if "merged_into" in changes:
                pending_refs.append((mine["id"], changes.pop("merged_into")))
            self._write_merged(spec, mine, changes, result.stamps, report_id, who)
            if result.changes:
                summary.changed[table] = summary.changed.get(table, 0) + 1
        if inserts:
            new_ids = self._insert_all(spec, report_id, inserts, ids)
            if table in ids:
                ids[table].update(new_ids)
            summary.inserted[table] = summary.inserted.get(table, 0) + len(inserts)
            for row in inserts:
                if row.get("merged_into"):
                    pending_refs.append((new_ids[row["gid"]], row["merged_into"]))
                if table not in ids or row.get("origin") != "extracted":  # the reader's rows come with the report
                    self.db.log(spec.entity, new_ids[row["gid"]], "bundle", None, None, None, report_id,
                              stamp_entry(row.get("stamps") or {}, CREATED)[2] or who)
        for row_id, gid in pending_refs:
            self.db.execute(f"UPDATE {table} SET merged_into = ? WHERE id = ?", (ids[table].get(gid) if gid else None,
                                                                           row_id))
        return newest

    def _insert_all(self, spec: Spec, report_id: int, rows: list[dict], ids: dict) -> dict[str, int]:
        """Insert records a library lacks (rows of one shape in one executemany); gid -> new row id."""
        table = spec.table
        taken = ids["uids"].get(table)
        if taken is None and table in ("work_items", "indicators"):
            taken = ids["uids"][table] = {r[0] for r in self.db.conn.execute(f"SELECT uid FROM {table}")}
        batches: dict[tuple, list] = {}
        for row in rows:
            values = {k: v for k, v in row.items() if k not in ("target_gid", "merged_into")}
            values["stamps"] = dumps(row.get("stamps") or {})
            values["report_id"] = report_id
            for key in ("tags", "edited_fields", "extracted"):
                if key in values and not isinstance(values[key], str):
                    values[key] = dumps(values[key])
            if table == "annotations":
                target = TARGET_TABLE.get(row.get("target_kind"))
                values["target_id"] = ids[target].get(row.get("target_gid")) if target else None
            if "uid" in values:
                if not values["uid"] or values["uid"] in taken:
                    values["uid"] = new_uid()
                taken.add(values["uid"])
            batches.setdefault(tuple(values), []).append(tuple(values.values()))
        for columns, params in batches.items():
            self.db.conn.executemany(f"INSERT INTO {table} ({quoted(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                     params)
        new_gids = {row["gid"] for row in rows}
        return {g: i for g, i in self.db.conn.execute(f"SELECT gid, id FROM {table} WHERE report_id = ?",
                                                      (report_id,)) if g in new_gids}

    def _write_merged(self, spec: Spec, mine: dict, changes: dict, stamps: dict, report_id: int, who) -> None:
        sets = dict(changes)
        for key in ("tags",):
            if key in sets and not isinstance(sets[key], str):
                sets[key] = dumps(sets[key])
        sets["stamps"] = dumps(stamps)
        if "edited_fields" in mine:
            sets.update(edit_marks(spec, mine, sets, stamps))
        for name, value in changes.items():
            self.db.log(spec.entity, mine["id"], "bundle", name, mine.get(name), value, report_id,
                      stamp_entry(stamps, name)[2] or who)
        self.db.execute(f"UPDATE {spec.table} SET {', '.join(f'{quoted([k])} = ?' for k in sets)} WHERE id = ?",
                   (*sets.values(), mine["id"]))

    def record_conflict(self, report_id: int, spec: Spec, gid: str, c, title: str, summary: MergeSummary) -> None:
        conflict_gid = derived_gid(gid, c.field, c.stamp)
        if self.db.row("SELECT 1 AS x FROM conflicts WHERE gid = ?", (conflict_gid,)) is not None:
            return
        self.db.execute("INSERT INTO conflicts (gid, report_id, entity, entity_gid, field, value, stamp, author,"
                   " winner_author, stamps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
                   (conflict_gid, report_id, spec.entity, gid, c.field, dumps(c.value), c.stamp, c.author,
                    c.winner_author))
        summary.conflicts.append({"report": title, "entity": spec.entity, "field": c.field, "value": c.value,
                                  "author": c.author, "winner_author": c.winner_author})

    # ---------------------------------------------------------------- conflicts and assignments
    def conflicts(self, report_id=None, *, include_confirmed=False) -> list[dict]:
        """Recorded conflicts (newest first): the field, the value that lost, its author, the current value."""
        where, params = [], []
        if report_id is not None:
            where.append("c.report_id = ?")
            params.append(report_id)
        if not include_confirmed:
            where.append("c.confirmed_at IS NULL")
        rows = self.db.rows("SELECT c.*, r.title AS report_title, r.file_name FROM conflicts c JOIN reports r"
                          " ON r.id = c.report_id" + (" WHERE " + " AND ".join(where) if where else "")
                          + " ORDER BY c.stamp DESC", params)
        for row in rows:
            row["value"] = loads(row["value"], None)
            if row["entity"] == "report":
                current = self.db.row("SELECT * FROM reports WHERE report_key = ?", (row["entity_gid"],))
            else:
                table = {s.entity: s.table for s in (*SPECS, FOLLOWUP, RECTIFICATION)}[row["entity"]]
                current = self.db.row(f"SELECT * FROM {table} WHERE gid = ?", (row["entity_gid"],))
            row["current"] = current.get(row["field"]) if current else None
            if current is not None and stamp_entry(loads(current["stamps"], {}), row["field"])[2]:
                row["winner_author"] = stamp_entry(loads(current["stamps"], {}), row["field"])[2]
            row["row_id"] = current.get("id", current.get("annotation_id")) if current else None
            row["time"] = stamp_time(row["stamp"])
        return rows

    def confirm_conflict(self, conflict_id: int, who=None) -> None:
        """The desk's 确认: the reviewer has seen the losing value (merged last-writer-wins like other fields)."""
        row = self.db.row("SELECT * FROM conflicts WHERE id = ?", (conflict_id,))
        if row is None:
            raise LookupError(f"找不到编号为 {conflict_id} 的冲突")
        with self.db.tx():
            self.db.update_row("conflicts", "conflict", row, {"confirmed_by": who or self.db.default_who,
                                                            "confirmed_at": now_iso()}, who)

    def assign(self, report_id: int, reviewer: str, *, assigned: bool = True, note=None, who=None) -> None:
        """分工: give a report to a reviewer (or take it back: a tombstone, so it travels in bundles too)."""
        reviewer = str(reviewer or "").strip()
        if not reviewer:
            raise ValueError("审阅人不能为空")
        report = self.lib.reports.report_row(report_id)
        with self.db.tx():
            row = self.db.row("SELECT * FROM assignments WHERE report_id = ? AND reviewer = ?", (report_id, reviewer))
            if row is None:
                if not assigned:
                    return
                cur = self.db.execute("INSERT INTO assignments (report_id, reviewer, note, deleted, created_at, gid,"
                                 " stamps) VALUES (?, ?, ?, 0, ?, ?, ?)",
                                 (report_id, reviewer, note, now_iso(), derived_gid(report["report_key"], reviewer),
                                  self.db.stamps_after({}, [CREATED, "deleted", "note"], who)))
                self.db.log("assignment", cur.lastrowid, "insert", "reviewer", None, reviewer, report_id, who)
                return
            changes = {"deleted": 0 if assigned else 1}
            if note is not None:
                changes["note"] = note
            self.db.update_row("assignments", "assignment", row, changes, who)

    def assignments(self, report_id=None) -> dict[int, list[str]]:
        """Report id -> reviewers it is assigned to."""
        out: dict[int, list[str]] = {}
        sql = "SELECT report_id, reviewer FROM assignments WHERE deleted = 0"
        params: tuple = ()
        if report_id is not None:
            sql += " AND report_id = ?"
            params = (report_id,)
        for r in self.db.rows(sql + " ORDER BY report_id, reviewer", params):
            out.setdefault(r["report_id"], []).append(r["reviewer"])
        return out
