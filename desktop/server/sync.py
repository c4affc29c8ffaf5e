"""`sync --server`: push what this library wrote that the server lacks, pull what colleagues pushed, merge it with
the bundles' merge (Library.merge_state). Offline first: the library is the working copy; a pull is merged and
its high-water mark saved in one SQLite transaction, so a lost connection or a killed process leaves the library
as it was and the next sync completes. The server holds every record version append-only; merging them again is
harmless (the merge is idempotent and order-free)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from desktop.server.connection import ServerError, connect, server_info, without_password
from desktop.server.records import FOLLOWUP, Record, other_records, report_records, states
from desktop.server.schema import LOCK
from desktop.store import sync_marks

CHUNK = 100  # reports merged between two progress reports


@dataclass
class SyncResult:
    """What one sync did."""
    uploaded: int = 0
    downloaded: int = 0
    conflicts: int = 0
    left: int = 0  # records holding only other reviewers' writes: theirs to push
    refused: int = 0  # records the server would not take from this reviewer (see notes)
    new_reports: int = 0
    reviewer: str | None = None
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"{self.uploaded} 条上传，{self.downloaded} 条下载，{self.conflicts} 个冲突"


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def sync(repo, address: str, *, password: str | None = None, who: str | None = None, full: bool = False,
         progress=None, score_range=None) -> SyncResult:
    """One sync of `repo` with the server at `address`; ServerError (one Chinese line) when it cannot complete —
    the library then holds everything it held before, and whatever a completed pull merged."""
    import psycopg
    from psycopg.types.json import set_json_dumps

    from desktop.review.rubric import rubric_score_range

    score_range = score_range or rubric_score_range()
    step = progress or (lambda text, done, total: None)
    step("正在连接服务器…", 0, 0)
    conn = connect(address, password)
    set_json_dumps(_dumps, context=conn)
    try:
        info = server_info(conn)
        mark = sync_marks.mark(repo, info.server_id)
        result = SyncResult(reviewer=info.reviewer or info.role)
        history, conflict = sync_marks.heads(repo)
        _push(conn, repo, info, mark, result, step)
        sync_marks.finish(repo, info.server_id, pushed_history=history, pushed_conflict=conflict)
        _pull(conn, repo, info, 0 if full else mark.pulled_seq, result, step, who, score_range)
        after = sync_marks.heads(repo)
        if after[1] > conflict:  # the clashes this pull found go up now: colleagues need no extra round for them
            left = result.left  # what colleagues must push themselves is told by the first push alone
            _push(conn, repo, info, replace(mark, pushed_history=after[0], pushed_conflict=conflict), result, step)
            result.left = left
        sync_marks.finish(repo, info.server_id, address=without_password(address), reviewer=result.reviewer,
                          pushed_conflict=after[1])
    except psycopg.OperationalError:
        raise ServerError("与服务器的连接中断，本库未受影响；请稍后再同步一次") from None
    except psycopg.errors.InsufficientPrivilege as exc:
        raise ServerError(_primary(exc) or "服务器拒绝了这个账户的写入") from None
    except psycopg.Error as exc:
        raise ServerError(f"服务器出错：{_primary(exc)}") from None
    finally:
        conn.close()
    return result


def _primary(exc) -> str:
    diag = getattr(exc, "diag", None)
    text = (diag.message_primary if diag is not None else None) or str(exc)
    return text.splitlines()[0] if text else ""


# ------------------------------------------------------------------------------------------------- push
def push_records(repo, conn, info, mark) -> tuple[list[Record], int]:
    """The records to push: every report written since the last push (all reports at the first), those the
    server lacks with their content; the tags, shared settings and removals. (records, left to others)."""
    exportable = [r.id for r in repo.removal.reports_for_export()]
    if mark.last_sync is not None:  # pushed before: only what changed since
        changed = sync_marks.changed_reports(repo, mark.pushed_history, mark.pushed_conflict)
        exportable = [i for i in exportable if i in changed]
    state = repo.team.team_state(exportable)
    keys = [rep["key"] for rep in state["reports"]]
    on_server = {r[0] for r in conn.execute(
        "SELECT DISTINCT gid FROM fazhi.records WHERE kind = 'report' AND gid = ANY(%s)", (keys,))} if keys else set()
    me = info.reviewer
    records, left = other_records(state, me=me, admin=info.admin)
    for rep in state["reports"]:
        recs, n = report_records(rep, with_content=rep["key"] not in on_server, me=me, admin=info.admin)
        records += recs
        left += n
    return records, left


def _push(conn, repo, info, mark, result: SyncResult, step) -> None:
    from psycopg.types.json import Jsonb

    step("正在整理本库的修改…", 0, 0)
    records, result.left = push_records(repo, conn, info, mark)
    if not records:
        return
    step(f"正在上传 {len(records)} 条记录…", 0, len(records))
    reviewer = info.reviewer or info.role
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))  # pushes commit one after the other: seq in order
        conn.execute("CREATE TEMP TABLE push (n int, kind text, gid text, report_key text, body jsonb)"
                     " ON COMMIT DROP")
        with conn.cursor().copy("COPY push (n, kind, gid, report_key, body) FROM STDIN") as copy:
            for n, r in enumerate(records):
                copy.write_row((n, r.kind, r.gid, r.report_key, Jsonb(r.body)))
        conn.execute("ALTER TABLE push ADD COLUMN problem text")
        if not info.admin:  # a reviewer's records may hold colleagues' writes the server lacks: theirs to push
            conn.execute("UPDATE push SET problem = fazhi.claim_problem(kind, gid, body, %s, false)"
                         " WHERE body -> 'stamps' <> '{}'::jsonb", (reviewer,))
        refused = conn.execute("SELECT count(*), min(problem) FROM push WHERE problem IS NOT NULL").fetchone()
        cur = conn.execute(
            "INSERT INTO fazhi.records (kind, gid, report_key, reviewer, library_id, body)"
            " SELECT kind, gid, report_key, %s, %s, body FROM push WHERE problem IS NULL ORDER BY n"
            " ON CONFLICT (kind, gid, digest) DO NOTHING", (reviewer, repo.library_id()))
        result.uploaded += max(cur.rowcount, 0)
    if refused[0]:
        result.refused = refused[0]
        result.notes.append(f"{refused[0]} 条记录服务器未接受（{refused[1]}）")
    step("上传完成", len(records), len(records))


# ------------------------------------------------------------------------------------------------- pull
def _fetch(conn, after: int, library_id: str) -> tuple[list[Record], int]:
    """Colleagues' records after seq `after`, in order, and the newest seq on the server (one snapshot)."""
    import psycopg

    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    try:
        with conn.transaction():
            top = conn.execute("SELECT coalesce(max(seq), 0) FROM fazhi.records").fetchone()[0]
            rows = conn.execute("SELECT kind, gid, report_key, body FROM fazhi.records WHERE seq > %s AND seq <= %s"
                                " AND library_id IS DISTINCT FROM %s ORDER BY seq", (after, top, library_id)).fetchall()
    finally:
        conn.isolation_level = None
    return [Record(*r) for r in rows], max(top, after)


def _bases(conn, repo, keys) -> dict[str, dict]:
    """Report entries for reports a pull carries rows of but not their content: this library's own, else the
    server's newest content record."""
    local = sync_marks.report_ids_by_key(repo, keys)
    out = {rep["key"]: rep for rep in repo.team.team_state(list(local.values()))["reports"]} if local else {}
    rest = [k for k in keys if k not in out]
    if rest:
        out.update({gid: body for gid, body in conn.execute(
            "SELECT DISTINCT ON (gid) gid, body FROM fazhi.records WHERE kind = 'report' AND gid = ANY(%s)"
            " ORDER BY gid, seq DESC", (rest,))})
    return out


def _chunks(state: dict) -> list[dict]:
    """A state in chunks of CHUNK reports (progress between them); follow-up decisions and ledger read-backs, which
    may name a task of any report, in a last chunk after every report."""
    reports = state["reports"]
    later = [rep for rep in reports if rep.get(FOLLOWUP.table)]
    parts = []
    for i in range(0, max(len(reports), 1), CHUNK):
        part = [{**rep, FOLLOWUP.table: []} for rep in reports[i:i + CHUNK]]
        parts.append({**state, "reports": part} if i == 0 else
                     {"library_id": state["library_id"], "tags": [], "settings": {}, "removed": [], "reports": part})
    if later:
        only = [{**rep, **{t: [] for t in rep if isinstance(rep[t], list) and t not in ("readings", "sections")},
                 FOLLOWUP.table: rep[FOLLOWUP.table]} for rep in later]
        parts.append({"library_id": state["library_id"], "tags": [], "settings": {}, "removed": [], "reports": only})
    for part in parts:  # ledger read-backs, which name tasks of any report, with the last chunk
        part["ledger_returns"] = state.get("ledger_returns") or [] if part is parts[-1] else []
    return parts


def _pull(conn, repo, info, after: int, result: SyncResult, step, who, score_range) -> None:
    step("正在下载同事的修改…", 0, 0)
    records, top = _fetch(conn, after, repo.library_id())
    result.downloaded = len(records)
    if records:
        todo = states(records, lambda keys: _bases(conn, repo, keys))
        parts = [p for s in todo for p in _chunks(s)]
        total = sum(len(p["reports"]) for p in parts)
        done = 0
        step(f"正在合并 {len(records)} 条记录…", 0, total)
        with repo.bulk(), repo.db.tentative("server_sync"):  # the merge and the mark together, or neither
            for part in parts:
                summary = repo.team.merge_state(part, who=who, score_range=score_range)
                result.conflicts += len(summary.conflicts)
                result.new_reports += len(summary.new_reports)
                result.notes += [n for n in summary.notes if n not in result.notes]
                done += len(part["reports"])
                step(f"已合并 {done}/{total} 份报告", done, total)
            sync_marks.save_mark(repo, info.server_id, pulled_seq=top)
    elif top != after:
        with repo.db.tentative("server_sync"):
            sync_marks.save_mark(repo, info.server_id, pulled_seq=top)


def when_text(iso: str | None) -> str:
    """A sync's UTC ISO time as the reviewer reads it: local time, "2026年12月8日 09:30" (never raw ISO)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat((iso or "").replace("Z", "+00:00")).astimezone()
    except ValueError:
        return "未知"
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
