"""A library's review state (Library.team_state, the bundle's records) as server records, and back (no SQL).

A server record is (kind, gid, report_key, body):
* `report` — a report's content: columns, readings with their texts, sections, identity as the reader read it, the
  reader's indicators and work items nobody edited (`rows`), and no stamps (content claims no reviewer; pushed once,
  when the server lacks the report);
* `identity` — a report's corrected identity and review status, with their stamps;
* one kind per mergeable table (indicators, work_items, annotations, rubric_scores, assignments, conflicts,
  followup_decisions, rectifications) — a row exactly as a bundle carries it;
* `tag`, `setting` (the shared office name, as `{name: value, stamps: {name: stamp}}`), `removed` (a tombstone),
  `ledger_return` (a ledger read-back with what it reported per task, ledger_team.py).
Pulled records become bundle states again (`states()`), merged by Library.merge_state like a bundle.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from desktop.store.identity import IDENTITY_FIELDS
from desktop.store.merge import authors
from desktop.store.team_parts import BY_TABLE, CONTENT_TABLES, REPORT_LISTS

FOLLOWUP = BY_TABLE["followup_decisions"].spec  # merged after every report (desktop/server/sync.py)
ROW_TABLES = REPORT_LISTS  # a record kind per list under a report (team_parts.py)
REPORT_FIELDS = BY_TABLE["reports"].spec.fields  # what the `identity` record carries
# CONTENT_TABLES: the reader's rows nobody edited travel inside the report's content
_NOT_CONTENT = ("stamps", "readings", "sections", *ROW_TABLES)


@dataclass(frozen=True)
class Record:
    kind: str
    gid: str
    report_key: str | None
    body: dict


def _claims(stamps: dict, me: str | None, admin: bool) -> bool | None:
    """None: no stamps (content anyone may add); True: this pusher may push it (it has the pusher's writes, or the
    pusher administers the server); False: it holds only other reviewers' writes (theirs to push)."""
    if not stamps:
        return None
    return admin or me in authors(stamps)


def content_record(rep: dict) -> Record:
    """A report's content: everything but its stamped identity and the records reviewers wrote."""
    parsed = rep.get("extracted_identity")
    parsed = parsed if isinstance(parsed, dict) else _loads(parsed)
    body = {k: v for k, v in rep.items() if k not in _NOT_CONTENT}
    stamped = rep.get("stamps") or {}
    for f in REPORT_FIELDS:  # a corrected value travels in `identity`, with its stamp; content keeps the reader's
        if f in stamped:
            body[f] = parsed.get(f) if f in IDENTITY_FIELDS else None
    body.update(readings=rep["readings"], sections=rep["sections"], stamps={},
                rows={t: [r for r in rep.get(t) or () if not r.get("stamps")] for t in CONTENT_TABLES})
    return Record("report", rep["key"], rep["key"], body)


def report_records(rep: dict, *, with_content: bool, me: str | None, admin: bool) -> tuple[list[Record], int]:
    """The records of one report entry of team_state(): those this pusher may push, and how many it left to others."""
    key = rep["key"]
    out = [content_record(rep)] if with_content else []
    stamps = rep.get("stamps") or {}
    claim = _claims(stamps, me, admin)
    if claim:
        out.append(Record("identity", key, key, {"key": key, **{f: rep.get(f) for f in REPORT_FIELDS},
                                                 "stamps": stamps}))
    left = int(claim is False)
    for table in ROW_TABLES:
        separate = table == "conflicts" or (with_content and table not in CONTENT_TABLES)
        for row in rep.get(table) or ():
            claim = _claims(row.get("stamps") or {}, me, admin)
            if claim is False:
                left += 1
            elif claim or separate:
                out.append(Record(table, row["gid"], key, row))
    return out, left


def other_records(state: dict, *, me: str | None, admin: bool) -> tuple[list[Record], int]:
    """Tags, shared settings and removals of a state: those this pusher may push, and how many it left."""
    out = [Record("tag", name, None, {"name": name}) for name in state.get("tags") or ()]
    left = 0
    for name, entry in (state.get("settings") or {}).items():
        stamps = {name: entry["stamp"]}
        if _claims(stamps, me, admin):
            out.append(Record("setting", name, None, {"name": name, name: entry["value"], "stamps": stamps}))
        else:
            left += 1
    for ret in state.get("ledger_returns") or ():  # a read-back, with what it reported on these reports' tasks
        if _claims(ret.get("stamps") or {}, me, admin) is False:
            left += 1
        else:  # the reader's own, or one read before read-backs were stamped (content: anyone may add it)
            out.append(Record("ledger_return", ret["gid"], None, ret))
    for tomb in state.get("removed") or ():
        stamps = {"_created": [tomb["stamp"], "", tomb.get("who") or None]}
        if _claims(stamps, me, admin):
            out.append(Record("removed", tomb["key"], tomb["key"], {**tomb, "stamps": stamps}))
        else:
            left += 1
    return out, left


def _loads(text) -> dict:
    import json

    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class _Report:
    content: dict | None = None
    identity: list[dict] = field(default_factory=list)
    rows: dict[str, dict[str, list[dict]]] = field(default_factory=dict)  # table -> gid -> versions


def _collect(records) -> tuple[dict[str, _Report], list[str], dict[str, list[dict]], list[dict]]:
    """Pulled records sorted by what they are: per report, the tags, each setting's versions, the removals."""
    reports: dict[str, _Report] = {}
    tags, settings, removed = [], {}, []
    for rec in records:
        kind, body = rec.kind, rec.body
        if kind == "tag":
            tags.append(body["name"])
        elif kind == "setting":
            settings.setdefault(body["name"], []).append({"value": body.get(body["name"]),
                                                          "stamp": body["stamps"][body["name"]]})
        elif kind == "removed":
            removed.append({k: v for k, v in body.items() if k != "stamps"})
        elif kind == "ledger_return":
            settings.setdefault("\x00ledger:" + rec.gid, []).append(body)  # versions, like a setting's
        elif kind == "report":
            entry = reports.setdefault(rec.report_key, _Report())
            entry.content = body
            for table, rows in (body.get("rows") or {}).items():  # the first version of each of its rows
                by_gid = entry.rows.setdefault(table, {})
                for row in rows:
                    by_gid.setdefault(row["gid"], []).insert(0, row)
        elif kind == "identity":
            reports.setdefault(rec.report_key, _Report()).identity.append(body)
        else:
            reports.setdefault(rec.report_key, _Report()).rows.setdefault(kind, {}).setdefault(rec.gid, []).append(body)
    return reports, tags, settings, removed


def _report_round(entry: _Report, base: dict, k: int) -> dict | None:
    """The report entry of round k: the k-th version of each of its records (None when it has none)."""
    rows = {table: [v[k] for v in by_gid.values() if k < len(v)] for table, by_gid in entry.rows.items()}
    if k > 0 and k >= len(entry.identity) and not any(rows.values()):
        return None
    rep = {**{c: v for c, v in base.items() if c not in ROW_TABLES and c != "rows"}, "stamps": {}}
    if k < len(entry.identity):
        ident = entry.identity[k]
        rep.update({f: ident.get(f) for f in REPORT_FIELDS}, stamps=ident["stamps"])
    for table in ROW_TABLES:
        rep[table] = rows.get(table, [])
    return rep


def states(records, base_of) -> list[dict]:
    """Pulled records (in server order) as bundle states to merge one after the other: the k-th state holds the
    k-th version of every record pulled more than once (a state names each record once). `base_of(keys)` gives
    the report entries (key, columns, readings, sections) of reports the pull carries rows for but not their
    content; a report with neither is left out (its content is not on the server)."""
    reports, tags, settings, removed = _collect(records)
    missing = [k for k, e in reports.items() if e.content is None]
    bases = base_of(missing) if missing else {}
    depth = max([len(v) for v in settings.values()] + [len(e.identity) for e in reports.values()]
                + [len(v) for e in reports.values() for t in e.rows.values() for v in t.values()] + [1])
    out = []
    for k in range(depth):
        state = {"library_id": "server", "tags": sorted(set(tags)) if k == 0 else [], "reports": [],
                 "settings": {n: v[k] for n, v in settings.items() if k < len(v) and not n.startswith("\x00")},
                 "removed": removed if k == 0 else [],
                 "ledger_returns": [v[k] for n, v in settings.items() if k < len(v) and n.startswith("\x00")]}
        for key, entry in reports.items():
            base = entry.content or bases.get(key)
            rep = _report_round(entry, base, k) if base is not None else None
            if rep is not None:
                state["reports"].append(rep)
        out.append(state)
    return out
