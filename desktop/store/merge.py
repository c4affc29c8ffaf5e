"""State-based merge rules for review records (no SQL): stamps, derived ids and per-field last-writer-wins.

See desktop/store/team.md. A stamp is "<UTC time to the µs>Z|<library id>|<random hex>"; comparing stamps as
strings is a total order. A row's `stamps` maps field -> [stamp, base, author] where `base` is the stamp of
the value the write replaced. merge_row() is commutative, associative and idempotent per field.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

CREATED = "_created"  # the stamp of a row's creation
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def canonical(value) -> str:
    """One text per value, so two libraries compare values (and break exact ties) the same way."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def derived_gid(*parts) -> str:
    """A global id derived from content: the same parts give the same id in every library."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:32]


def item_gid(key: str, table: str, position: int, extracted: str, taken) -> str:
    """An extracted indicator's or work item's gid: the report, its place and the reader's values, so two
    libraries reading the same text agree; `taken(gid)` says a gid is used (exact duplicates count on)."""
    n = 0
    while True:
        gid = derived_gid(key, table, position, extracted, n)
        if not taken(gid):
            return gid
        n += 1


def followup_gid(later_key: str, task_gid: str) -> str:
    """A follow-up decision's gid: one record per (later report, earlier plan task) in every library."""
    return derived_gid("followup", later_key, task_gid)


def rectification_gid(annotation_gid: str) -> str:
    """What a unit reported on an annotation marked 需整改: one record per annotation in every library."""
    return derived_gid("rectification", annotation_gid)


def utc_stamp_time(local_iso: str | None) -> str:
    """A stored local ISO time as a stamp's UTC time ("" when it cannot be read)."""
    try:
        moment = datetime.fromisoformat(local_iso or "")
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(timezone.utc).strftime(_TIME_FORMAT)


def new_gid() -> str:
    return uuid.uuid4().hex


def report_key(first_text: str) -> str:
    """A report's identity across libraries: its first reading's clean text, NFKC, white space removed."""
    norm = "".join(unicodedata.normalize("NFKC", first_text or "").split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def stamp_time(stamp: str) -> str:
    return (stamp or "").split("|", 1)[0]


class Clock:
    """A hybrid clock: stamps follow UTC time but never go back behind the newest stamp seen."""

    def __init__(self, library_id: str, last: str = ""):
        self.library_id = library_id
        self.last = stamp_time(last)

    def observe(self, stamp: str) -> None:
        t = stamp_time(stamp)
        if t > self.last:
            self.last = t

    def next(self) -> str:
        now = datetime.now(timezone.utc)
        if self.last:
            try:
                floor = datetime.strptime(self.last, _TIME_FORMAT).replace(tzinfo=timezone.utc)
            except ValueError:
                floor = None
            if floor is not None and now <= floor:
                try:
                    now = floor + timedelta(microseconds=1)
                except OverflowError:  # a stamp at the end of time (bundles now refuse them): keep writing
                    pass
        self.last = now.strftime(_TIME_FORMAT)
        return f"{self.last}|{self.library_id}|{uuid.uuid4().hex[:8]}"


def stamp_entry(stamps: dict, name: str) -> tuple[str, str, str | None]:
    entry = stamps.get(name) or ("", "", None)
    return (str(entry[0] or ""), str(entry[1] or ""), entry[2] if len(entry) > 2 else None)


def with_stamps(stamps: dict, fields, stamp: str, author: str | None) -> dict:
    """`stamps` after one write of `fields` at `stamp`: each field's base is the stamp it replaces."""
    out = dict(stamps)
    for name in fields:
        out[name] = [stamp, stamp_entry(stamps, name)[0], author]
    return out


@dataclass(frozen=True)
class Conflict:
    """A concurrent write that lost: the field, the losing value and its stamp and author."""
    field: str
    value: object
    stamp: str
    author: str | None
    winner_author: str | None = None


@dataclass
class RowMerge:
    changes: dict = field(default_factory=dict)  # field -> value to write locally
    stamps: dict = field(default_factory=dict)  # the merged stamps
    conflicts: list[Conflict] = field(default_factory=list)


def merge_row(local: dict, local_stamps: dict, incoming: dict, incoming_stamps: dict, fields,
              max_fields=()) -> RowMerge:
    """Merge one incoming record into the local one: per field the greater stamp wins; see team.md §3."""
    out = RowMerge(stamps=dict(local_stamps))
    if local_stamps == incoming_stamps and all(local.get(n) == incoming.get(n) for n in fields) and all(
            incoming.get(n) is None or local.get(n) == incoming.get(n) for n in max_fields):
        return out  # the same record (the common case when a bundle comes back): nothing to do
    for name in fields:
        lv, iv = local.get(name), incoming.get(name)
        ls, ist = stamp_entry(local_stamps, name), stamp_entry(incoming_stamps, name)
        same = lv == iv or canonical(lv) == canonical(iv)
        if ist[0] > ls[0]:
            win, (lose_v, lose) = ist, (lv, ls)
            out.stamps[name] = list(ist)
            if not same:
                out.changes[name] = iv
        elif ist[0] < ls[0]:
            win, (lose_v, lose) = ls, (iv, ist)
        else:
            if not same and canonical(iv) > canonical(lv):  # two readers disagree: settle it the same everywhere
                out.changes[name] = iv
            continue
        if not same and lose[0] and lose[0] > win[1]:
            out.conflicts.append(Conflict(name, lose_v, lose[0], lose[2], win[2]))
    for name in set(incoming_stamps) - set(fields):  # e.g. _created of a row two libraries made alike
        if stamp_entry(incoming_stamps, name)[0] > stamp_entry(local_stamps, name)[0]:
            out.stamps[name] = list(incoming_stamps[name])
    for name in max_fields:
        lv, iv = local.get(name), incoming.get(name)
        if iv is not None and (lv is None or str(iv) > str(lv)):
            out.changes[name] = iv
    return out


def newest_stamp(stamps: dict) -> str:
    return max((stamp_entry(stamps, k)[0] for k in stamps), default="")


def authors(stamps: dict) -> set[str]:
    return {who for who in (stamp_entry(stamps, k)[2] for k in stamps) if who}
