"""Rectification reports and the office name in review bundles: out by gid, in by the same merge as every record.

What a unit reported on an annotation marked 需整改 (整改情况, 整改状态) is filed under the annotation's report in a
bundle's `records.json` (`rectifications`) and names the annotation by its gid, never by a local row id; it is
merged after every report of the bundle, so its annotation may come in the same bundle. The office name (署名单位)
travels as `settings` beside the tags, last writer wins by its stamp. See team.md §3.
"""
from __future__ import annotations

from desktop.store.convert import dumps, loads
from desktop.store.merge import CREATED, merge_row, rectification_gid, stamp_entry
from desktop.store.repo_letters import RECTIFICATION_STATES, SHARED_SETTINGS
from desktop.store.team_records import RECTIFICATION as SPEC
from desktop.store.team_records import (check_rows, check_unique, filed, last_author, merge_records, note_once,
                                         wanted)

KEY = SPEC.table  # the key of a report's rectification reports in records.json
_COLUMNS = ("gid", "annotation_gid", "progress", "state", "updated_at", "updated_by", "stamps")
_INFO = [{"name": c, "notnull": int(c in ("gid", "annotation_gid")), "dflt_value": None} for c in _COLUMNS]
_LABELS = {"progress": "rectification_progress", "state": "rectification_state"}  # history fields, as local writes


def rows_out(repo, report_ids, *, reviewer=None, since=None) -> dict[int, list[dict]]:
    """Report id -> its rectification reports as a bundle carries them."""
    rows = repo.db.rows("SELECT r.*, a.gid AS annotation_gid, a.report_id FROM rectifications r"
                      " JOIN annotations a ON a.id = r.annotation_id ORDER BY r.annotation_id")
    return filed(rows, "report_id", _COLUMNS, report_ids, KEY, reviewer, since)


def check(rep: dict) -> None:
    """ValueError when a report's rectification reports are not what export writes (older bundles have none)."""
    rows = rep.get(KEY, [])
    check_rows(rows, _INFO, KEY)
    for row in rows:
        if row.get("state") not in (None, *RECTIFICATION_STATES):
            raise ValueError(f"审阅记录中 {KEY} 的整改状态无效")
        if row["gid"] != rectification_gid(row["annotation_gid"]):
            raise ValueError(f"审阅记录中 {KEY} 的标识与批注不符")
    check_unique(rows, KEY)


def check_settings(settings) -> None:
    """ValueError unless `settings` is {name: {"value": text or None, "stamp": [stamp, base, author]}}."""
    if not isinstance(settings, dict):
        raise ValueError("审阅记录中的设置无效")
    for name, entry in settings.items():
        if (name not in SHARED_SETTINGS or type(entry) is not dict or set(entry) != {"value", "stamp"}
                or not (entry["value"] is None or type(entry["value"]) is str)):
            raise ValueError("审阅记录中的设置无效")
        check_rows([{"value": entry["value"], "stamps": {name: entry["stamp"]}}],
                   [{"name": "value", "notnull": 0, "dflt_value": None},
                    {"name": "stamps", "notnull": 0, "dflt_value": "{}"}], "设置")


def settings_out(repo, *, reviewer=None, since=None) -> dict:
    """The shared settings that have a stamp (a library that never set its office name sends none); the export
    filters apply to them like to every record (by who set them last, since when)."""
    out = {}
    for name in SHARED_SETTINGS:
        stamp = loads(repo.letters.info(f"stamp.{name}"), None)
        if stamp and wanted("settings", {"stamps": dumps({name: stamp})}, reviewer, since):
            out[name] = {"value": repo.letters.info(f"setting.{name}") or None, "stamp": stamp}
    return out


def merge_settings(repo, settings: dict, summary, who) -> str:
    """Last writer wins per setting; the value that lost stays in the history. The newest stamp seen."""
    newest = ""
    for name, entry in sorted(settings.items()):
        theirs = {name: entry["stamp"]}
        mine_stamp = loads(repo.letters.info(f"stamp.{name}"), None)
        ours = {name: mine_stamp} if mine_stamp else {}
        old = repo.letters.info(f"setting.{name}") or None
        newest = max(newest, stamp_entry(theirs, name)[0])
        result = merge_row({name: old}, ours, {name: entry["value"]}, theirs, (name,))
        if result.stamps != ours:
            repo.letters.put_info(f"stamp.{name}", dumps(result.stamps[name]))
        if name in result.changes:
            repo.letters.put_info(f"setting.{name}", result.changes[name])
            repo.db.log("setting", None, "bundle", name, old, result.changes[name], None,
                      stamp_entry(result.stamps, name)[2] or who)
            summary.changed["settings"] = summary.changed.get("settings", 0) + 1
        for c in result.conflicts:  # a concurrent value that lost: kept in the history, once
            if c.value != old and repo.db.row("SELECT 1 AS x FROM history WHERE entity = 'setting' AND action ="
                                            " 'bundle_lost' AND field = ? AND old IS ?", (name, c.value)) is None:
                repo.db.log("setting", None, "bundle_lost", name, c.value, result.changes.get(name, old), None,
                          c.author)
    return newest


def merge(repo, state: dict, summary, who) -> str:
    """Merge every report's incoming rectification reports (after the reports themselves); the newest stamp."""
    def local_of(report_id):
        return {r["gid"]: r for r in repo.db.rows("SELECT r.* FROM rectifications r JOIN annotations a"
                                                 " ON a.id = r.annotation_id WHERE a.report_id = ?", (report_id,))}

    def update(mine, result, report_id):
        sets = {**result.changes, "stamps": dumps(result.stamps), "updated_by": last_author(result.stamps)}
        for name, value in result.changes.items():
            if name in _LABELS:
                repo.db.log("annotation", mine["annotation_id"], "bundle", _LABELS[name], mine[name], value,
                          report_id, stamp_entry(result.stamps, name)[2] or who)
        repo.db.execute(f"UPDATE rectifications SET {', '.join(f'{k} = ?' for k in sets)} WHERE annotation_id = ?",
                   (*sets.values(), mine["annotation_id"]))

    return merge_records(repo, SPEC, state, summary, local_of,
                         lambda row, report_id, title: _insert(repo, report_id, row, title, summary, who), update)


def _insert(repo, report_id: int, row: dict, title: str, summary, who) -> None:
    annotation = repo.db.row("SELECT id FROM annotations WHERE gid = ? AND report_id = ?",
                           (row["annotation_gid"], report_id))
    if annotation is None:  # its annotation was left out of this bundle (--reviewer): it comes with a fuller one
        note_once(summary, f"《{title}》：有整改反馈，但本库没有对应的批注，暂未合并；导入含该批注的审阅包后再合并一次")
        return
    stamps = row.get("stamps") or {}
    repo.db.execute("INSERT INTO rectifications (annotation_id, progress, state, updated_at, updated_by, gid, stamps)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)",
               (annotation["id"], row.get("progress"), row.get("state"), row.get("updated_at") or "",
                last_author(stamps) or row.get("updated_by"), row["gid"], dumps(stamps)))
    author = stamp_entry(stamps, CREATED)[2] or who
    for name, label in _LABELS.items():
        if row.get(name) is not None:
            repo.db.log("annotation", annotation["id"], "bundle", label, None, row[name], report_id, author)
    summary.inserted[KEY] = summary.inserted.get(KEY, 0) + 1
