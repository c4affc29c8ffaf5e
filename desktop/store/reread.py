"""Plan a new reading of a stored report (no SQL): carry reviewer edits over, re-anchor annotations by quote."""
from __future__ import annotations

from dataclasses import dataclass, field

from desktop.report.model import Reading
from desktop.store import convert
from desktop.store.anchoring import find_quote, loose, match
from desktop.store.convert import dumps, loads

_SYSTEM = ("deleted",)  # an edited_fields entry that is a decision, not a value


@dataclass
class RereadPlan:
    indicator_updates: list[tuple[int, dict]] = field(default_factory=list)
    indicator_inserts: list[tuple[int, dict]] = field(default_factory=list)
    work_item_updates: list[tuple[int, dict]] = field(default_factory=list)
    work_item_inserts: list[tuple[int, dict]] = field(default_factory=list)
    annotation_updates: list[tuple[int, dict]] = field(default_factory=list)
    anchor_changes: list[tuple[int, str, str]] = field(default_factory=list)  # (annotation id, old, new)
    row_changes: list[tuple[str, int, str, object, object]] = field(default_factory=list)  # for history
    carried_over: int = 0
    orphaned: list[int] = field(default_factory=list)  # annotation ids that could not be re-anchored
    messages: list[str] = field(default_factory=list)
    final: dict[tuple[str, int], dict] = field(default_factory=dict)  # (table, id) -> start/end/section/anchor


def _short(text: str | None, n: int = 30) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"


def plan_reread(reading: Reading, old_indicators: list[dict], old_work_items: list[dict],
                old_annotations: list[dict]) -> RereadPlan:
    plan = RereadPlan()
    annotated = {(a["target_kind"], a["target_id"]) for a in old_annotations if not a["deleted"]}
    cache: dict[int, dict] = {}  # id(row) -> parser values; the rows live as long as the plan

    def ext(r):  # the parser's values of an old row (columns overlaid with its sparse `extracted`)
        if id(r) not in cache:
            fields = convert.INDICATOR_EXTRACTED if "value" in r else convert.WORK_ITEM_EXTRACTED
            cache[id(r)] = convert.parser_values(r, fields)
        return cache[id(r)]

    _plan_rows(plan, reading, "indicators", "指标", old_indicators,
               [convert.indicator_values(i) for i in reading.indicators],
               keys=[(lambda r: (ext(r).get("text"), ext(r).get("name"), ext(r).get("context")),
                      lambda v: (v["text"], v["name"], v["context"])),
                     (lambda r: (ext(r).get("text"), ext(r).get("name")), lambda v: (v["text"], v["name"])),
                     (lambda r: (ext(r).get("name"), ext(r).get("value"), ext(r).get("unit")),
                      lambda v: (v["name"], v["value"], v["unit"]))],
               fuzzy=None, annotated={i for k, i in annotated if k == "indicator"})
    _plan_rows(plan, reading, "work_items", "工作事项", old_work_items,
               [convert.work_item_values(w) for w in reading.work_items],
               keys=[(lambda r: (ext(r).get("kind"), ext(r).get("text")), lambda v: (v["kind"], v["text"])),
                     (lambda r: (ext(r).get("kind"), loose(ext(r).get("text"))),
                      lambda v: (v["kind"], loose(v["text"])))],
               fuzzy=(lambda r: loose(ext(r).get("text")), lambda v: loose(v["text"]), 0.75),
               same_group=(lambda r: ext(r).get("kind"), lambda v: v["kind"]),
               annotated={i for k, i in annotated if k == "work_item"})
    _plan_annotations(plan, reading, old_annotations)
    return plan


def _position(new_values: list[dict], start: int) -> int:
    pos = 0
    for j, vals in enumerate(new_values):
        if vals["start"] <= start:
            pos = j
    return pos


def _section_path(reading: Reading, offset: int, default: str | None) -> str | None:
    section = reading.section_at(offset)
    return section.path if section else default


class _Updates:
    """Row updates that also note, for the history, when a row is hidden, shown again or loses its place."""

    def __init__(self, target: list, plan: RereadPlan, entity: str, rows: list[dict]):
        self.target, self.plan, self.entity = target, plan, entity
        self.rows = {r["id"]: r for r in rows}

    def append(self, item) -> None:
        row_id, changes = item
        old = self.rows[row_id]
        for name in ("deleted", "anchor"):
            before = old.get(name) or "ok" if name == "anchor" else old.get(name)
            if name in changes and changes[name] != before:
                self.plan.row_changes.append((self.entity, row_id, name, old.get(name), changes[name]))
        self.target.append(item)


def _plan_rows(plan: RereadPlan, reading: Reading, table: str, what: str, old_rows: list[dict],
               new_values: list[dict], *, keys, fuzzy, annotated: set[int], same_group=None) -> None:
    updates = _Updates(plan.indicator_updates if table == "indicators" else plan.work_item_updates, plan,
                       "indicator" if table == "indicators" else "work_item", old_rows)
    inserts = plan.indicator_inserts if table == "indicators" else plan.work_item_inserts
    extracted_old = [r for r in old_rows if r["origin"] == "extracted"]
    pairs = match(extracted_old, new_values, keys, fuzzy=fuzzy, same_group=same_group)
    used = set(pairs.values())
    for j, vals in enumerate(new_values):
        if j in pairs:
            _carry_matched(plan, updates, table, reading.clean_text, extracted_old[pairs[j]], vals, j)
        else:
            inserts.append((j, vals))
    leftovers = [r for i, r in enumerate(extracted_old) if i not in used]
    reviewer_rows = [r for r in old_rows if r["origin"] != "extracted"]
    for old in leftovers + reviewer_rows:
        _place_unmatched(plan, updates, reading, (table, what), old, new_values, annotated)


def _carry_matched(plan: RereadPlan, updates: _Updates, table: str, text: str, old: dict, vals: dict,
                   j: int) -> None:
    """An old row the new reading still has (parser's row `j`): the new values, except the fields the reviewer set."""
    edited = loads(old["edited_fields"], [])
    kept = {f: vals[f] for f in edited if f in vals}  # only the parser's values the reviewer overrides
    changes = {"extracted": dumps(kept), "position": j, "anchor": "ok", "merged_into": old.get("merged_into")}
    changes.update({f: v for f, v in vals.items() if f not in edited})
    if "text" in edited:  # the reviewer's wording: find it again near where the parser's version now stands
        span = find_quote(text, old["text"], near=vals["start"])
        changes["start"], changes["end"] = span or (vals["start"], vals["end"])
    changes["deleted"] = 1 if "deleted" in edited else 0
    if table == "indicators":
        changes.pop("merged_into")
    if set(edited) - set(_SYSTEM):
        plan.carried_over += 1
    updates.append((old["id"], changes))
    plan.final[(table, old["id"])] = {"start": changes["start"], "end": changes["end"], "anchor": "ok",
                                      "section_path": changes.get("section_path", old["section_path"])}


def _place_unmatched(plan: RereadPlan, updates: _Updates, reading: Reading, names: tuple[str, str], old: dict,
                     new_values: list[dict], annotated: set[int]) -> None:
    """An old row the new reading does not give (the reviewer's own, or the parser's that vanished): found again by
    its text, hidden when nobody touched it, else kept and marked as moved or orphaned."""
    table, what = names
    edited = loads(old["edited_fields"], [])
    keep = old["origin"] != "extracted" or bool(set(edited) - set(_SYSTEM)) or old["id"] in annotated
    if not keep or (old["deleted"] and old["origin"] == "extracted"):
        # Parser output that vanished from the new version and nobody touched: hidden, never removed.
        updates.append((old["id"], {"deleted": 1, "anchor": "orphaned"}))
        plan.final[(table, old["id"])] = {"start": None, "end": None, "anchor": "orphaned",
                                          "section_path": old["section_path"]}
        return
    span = find_quote(reading.clean_text, old["text"], near=old["start"])
    if span:
        moved = span != (old["start"], old["end"])
        changes = {"start": span[0], "end": span[1], "anchor": "moved" if moved else "ok",
                   "position": _position(new_values, span[0]),
                   "section_path": _section_path(reading, span[0], old["section_path"])}
    else:
        changes = {"start": 0, "end": 0, "anchor": "orphaned"}
        if not old["deleted"]:
            plan.messages.append(f"{what} #{old['id']}“{_short(old['text'])}”在新版本中找不到原文，审阅内容已保留")
    if not old["deleted"]:
        plan.carried_over += 1
    updates.append((old["id"], changes))
    plan.final[(table, old["id"])] = {
        "start": changes["start"] if span else None, "end": changes["end"] if span else None,
        "anchor": changes["anchor"], "section_path": changes.get("section_path", old["section_path"])}


def _plan_annotations(plan: RereadPlan, reading: Reading, old_annotations: list[dict]) -> None:
    sections = list(reading.sections())
    by_path = {s.path: s for s in sections}
    carried = moved = 0
    for a in old_annotations:
        old_anchor = a.get("anchor") or "ok"
        new = {"start": a["start"], "end": a["end"], "section_path": a["section_path"], "anchor": "ok"}
        new.update(_anchor_again(plan, reading, a, sections, by_path))
        changes = {k: v for k, v in new.items() if a.get(k) != v}
        if changes:
            plan.annotation_updates.append((a["id"], changes))
        if new["anchor"] != old_anchor:
            plan.anchor_changes.append((a["id"], old_anchor, new["anchor"]))
        if a["deleted"]:
            continue
        carried += 1
        if new["anchor"] == "orphaned":
            plan.orphaned.append(a["id"])
            plan.messages.append(f"批注 #{a['id']} 找不到原文“{_short(a['quote'])}”，已保留并标记为无法定位")
        elif new["anchor"] == "moved":
            moved += 1
    plan.carried_over += carried
    if carried:
        plan.messages.insert(0, _carried_summary(carried, moved, len(plan.orphaned)))


_ORPHANED = {"start": None, "end": None, "anchor": "orphaned"}


def _anchor_again(plan: RereadPlan, reading: Reading, a: dict, sections: list, by_path: dict) -> dict:
    """Where an annotation stands in the new reading (its changed keys: start, end, section_path, anchor)."""
    kind = a["target_kind"]
    if kind == "span":
        span = find_quote(reading.clean_text, a["quote"], near=a["start"])
        if not span:
            return dict(_ORPHANED)
        return {"start": span[0], "end": span[1], "section_path": _section_path(reading, span[0], None),
                "anchor": "ok" if span == (a["start"], a["end"]) else "moved"}
    if kind == "section":
        return _section_anchor(a, sections, by_path)
    if kind in ("work_item", "indicator"):
        final = plan.final.get(("work_items" if kind == "work_item" else "indicators", a["target_id"]))
        if final is None or final["anchor"] == "orphaned":
            return dict(_ORPHANED)
        return {"start": final["start"], "end": final["end"], "section_path": final["section_path"],
                "anchor": "ok" if (final["start"], final["end"]) == (a["start"], a["end"]) else "moved"}
    return {}  # a note on the whole report stays where it is


def _section_anchor(a: dict, sections: list, by_path: dict) -> dict:
    """A note on a section: the same path with the same title, else the first section of that title, else the same
    number retitled; orphaned when none is left."""
    same = by_path.get(a["section_path"])
    titled = [s for s in sections if s.title == a["quote"]]
    if same is not None and same.title == a["quote"]:
        target, anchor = same, "ok"
    elif titled:
        target, anchor = titled[0], "moved"
    elif same is not None:
        target, anchor = same, "moved"  # same number, retitled
    else:
        return dict(_ORPHANED)
    return {"section_path": target.path, "start": target.start, "end": target.end, "anchor": anchor}


def _carried_summary(carried: int, moved: int, orphaned: int) -> str:
    summary = f"{carried} 条批注已带到新版本"
    if moved:
        summary += f"，其中 {moved} 条位置有变化"
    if orphaned:
        summary += f"，{orphaned} 条找不到原文（已保留）"
    return summary
