"""Ledger rounds in review bundles and on the team server: each read-back (round, file, 填报单位, when, who) and what
it reported for each task travel by gid, so every desk's 台账填报情况 and task timelines agree. A read-back is a fact:
merged insert-if-absent; its withdrawal (`deleted`) is a field, last writer wins. A reported line names its task by
the work item's gid and report key, never a local id; it waits (the summary says so) while its task is missing."""
from __future__ import annotations

from desktop.store.convert import dumps, loads
from desktop.store.merge import derived_gid, merge_row, newest_stamp
from desktop.store.team_parts import BY_TABLE
from desktop.store.team_records import check_rows, check_unique, note_once, wanted

KEY = "ledger_returns"  # a state's (records.json's) list of read-backs
SPEC = BY_TABLE[KEY].spec
_RETURN_COLUMNS = ("gid", "round", "file_name", "filler_unit", "read_at", "who", "deleted", "stamps")
_PROGRESS_COLUMNS = ("gid", "report_key", "work_item_gid", "row_no", "status", "progress", "reported")
_RETURN_INFO = [{"name": c, "notnull": int(c in ("gid", "round", "file_name", "read_at")), "dflt_value": None}
                for c in _RETURN_COLUMNS]
_LONG = 200_000


def progress_gid(return_gid: str, work_item_gid: str, row_no) -> str:
    """One reported line: the read-back, the task and the workbook row (the same in every library)."""
    return derived_gid("ledger_progress", return_gid, work_item_gid, row_no)


def rows_out(repo, report_ids, *, reviewer=None, since=None) -> list[dict]:
    """The read-backs with what they reported on tasks of `report_ids` (all when None), as a bundle carries them."""
    by_return: dict[int, list[dict]] = {}
    for row in repo.db.conn.execute(
            "SELECT p.return_id, p.gid, p.row_no, p.status, p.progress, p.reported, w.gid AS work_item_gid,"
            " r.report_key, w.report_id FROM ledger_progress p JOIN work_items w ON w.id = p.work_item_id"
            " JOIN reports r ON r.id = w.report_id WHERE p.gid IS NOT NULL ORDER BY p.id"):
        return_id, gid, row_no, status, progress, reported, wgid, key, report_id = row
        if report_ids is None or report_id in report_ids:
            by_return.setdefault(return_id, []).append(
                {"gid": gid, "report_key": key, "work_item_gid": wgid, "row_no": row_no, "status": status,
                 "progress": progress, "reported": reported})
    out = []
    for r in repo.db.rows("SELECT * FROM ledger_returns WHERE gid IS NOT NULL ORDER BY id"):
        if r["id"] in by_return and wanted(KEY, {"stamps": r["stamps"], "reviewer": r["who"]}, reviewer, since):
            out.append({**{c: r[c] for c in _RETURN_COLUMNS}, "stamps": loads(r["stamps"], {}),
                        "progress": by_return[r["id"]]})
    return out


def _text(value, limit: int, optional: bool = True) -> bool:
    return (value is None and optional) or (type(value) is str and len(value) <= limit and "\x00" not in value)


def check(state: dict) -> None:
    """ValueError unless the state's read-backs are what export writes (older bundles have none)."""
    rows = state.get(KEY) or []
    if type(rows) is not list or not all(type(r) is dict for r in rows):
        raise ValueError("审阅记录中的台账读回不是列表")
    check_rows([{k: v for k, v in r.items() if k != "progress"} for r in rows], _RETURN_INFO, KEY)
    for r in rows:
        if not (_text(r["gid"], 128, False) and _text(r["round"], 200, False) and _text(r["file_name"], 1_000, False)
                and _text(r.get("filler_unit"), 2_000) and _text(r["read_at"], 40, False)
                and _text(r.get("who"), 200) and r.get("deleted", 0) in (0, 1)):
            raise ValueError("审阅记录中的台账读回无效")
        _check_progress(r)
    check_unique(rows, KEY)


def _check_progress(ret: dict) -> None:
    """ValueError unless each reported line of a read-back has the shape export writes and its own gid."""
    progress = ret.get("progress")
    if type(progress) is not list:
        raise ValueError("审阅记录中的台账读回缺少各任务的填报")
    for p in progress:
        if (type(p) is not dict or not p.keys() <= set(_PROGRESS_COLUMNS)
                or not all(_text(p.get(k), 128, False) for k in ("gid", "report_key", "work_item_gid"))
                or not (p.get("row_no") is None or type(p["row_no"]) is int)
                or not all(_text(p.get(k), _LONG) for k in ("status", "progress", "reported"))
                or p["gid"] != progress_gid(ret["gid"], p["work_item_gid"], p.get("row_no"))):
            raise ValueError("审阅记录中的台账填报无效")


def merge(repo, state: dict, summary, who) -> str:
    """Merge the state's read-backs (after its reports: the tasks may come with them); the newest stamp seen."""
    newest = ""
    conn = repo.db.conn
    for ret in state.get(KEY) or ():
        stamps = ret.get("stamps") or {}
        newest = max(newest, newest_stamp(stamps))
        mine = repo.db.row("SELECT * FROM ledger_returns WHERE gid = ?", (ret["gid"],))
        if mine is None:
            rid = conn.execute("INSERT INTO ledger_returns (round, file_name, filler_unit, read_at, who, deleted, gid,"
                               " stamps) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               (ret["round"], ret["file_name"], ret.get("filler_unit"), ret["read_at"], ret.get("who"),
                                int(ret.get("deleted") or 0), ret["gid"], dumps(stamps))).lastrowid
            summary.inserted[KEY] = summary.inserted.get(KEY, 0) + 1
        else:
            rid = mine["id"]
            ours = loads(mine["stamps"], {})
            result = merge_row(mine, ours, ret, stamps, SPEC.fields)
            if result.changes or result.stamps != ours:
                conn.execute("UPDATE ledger_returns SET deleted = ?, stamps = ? WHERE id = ?",
                             (result.changes.get("deleted", mine["deleted"]), dumps(result.stamps), rid))
                if result.changes:
                    summary.changed[KEY] = summary.changed.get(KEY, 0) + 1
        _merge_progress(repo, rid, ret, summary)
    return newest


def _merge_progress(repo, return_id: int, ret: dict, summary) -> None:
    conn = repo.db.conn
    have = {g for (g,) in conn.execute("SELECT gid FROM ledger_progress WHERE return_id = ?", (return_id,))}
    for p in ret["progress"]:
        if p["gid"] in have:
            continue
        task = conn.execute("SELECT w.id FROM work_items w JOIN reports r ON r.id = w.report_id"
                            " WHERE w.gid = ? AND r.report_key = ?", (p["work_item_gid"], p["report_key"])).fetchone()
        if task is None:
            note_once(summary, f"台账读回“{ret['file_name']}”（{ret['round']}）有本库没有的任务，暂未合并；"
                               "导入对应报告后再合并一次")
            continue
        conn.execute("INSERT INTO ledger_progress (return_id, work_item_id, row_no, status, progress, reported, gid)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", (return_id, task[0], p.get("row_no"), p.get("status"),
                                                       p.get("progress"), p.get("reported") or "{}", p["gid"]))
        summary.inserted["ledger_progress"] = summary.inserted.get("ledger_progress", 0) + 1


def canonical(rows: list[dict]) -> list[dict]:
    """The read-backs as shared content (canonical_dump): no stamps, progress sorted."""
    return sorted(({**{k: v for k, v in r.items() if k not in ("stamps", "progress")},
                    "progress": sorted(r["progress"], key=lambda p: p["gid"])} for r in rows), key=lambda r: r["gid"])
