"""Units of a ledger: 牵头单位 texts split into units, tasks grouped by unit, units as safe file names."""
from __future__ import annotations

import re

UNASSIGNED = "未分配"
_SEPARATORS = re.compile(r"[、，,；;/／\s]+")
_FILE_BAD = re.compile(r'[\x00-\x1f<>:"/\\|?*\x7f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}
FILE_NAME_LIMIT = 60  # characters of the unit part; whole names stay far below 255 bytes


def split_units(text: str | None) -> list[str]:
    """'市司法局、市发改委' -> both; '各区、县（市）政府' stays one unit (a short 各… piece joins the next)."""
    if not text:
        return []
    parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
    out: list[str] = []
    for part in parts:
        if out and out[-1].startswith("各") and len(out[-1]) <= 3 and not out[-1].endswith(("局", "委", "办")):
            out[-1] = f"{out[-1]}、{part}"
        else:
            out.append(part)
    seen, unique = set(), []
    for unit in out:
        if unit not in seen:
            seen.add(unit)
            unique.append(unit)
    return unique


def lead_units(item) -> list[str]:
    """The units a task goes to: its 牵头单位 (each of them), or 未分配."""
    return split_units(item.lead_unit) or [UNASSIGNED]


def safe_file_name(unit: str, taken=None) -> str:
    """台账-<单位>.xlsx with characters no file system accepts replaced, unique (case-insensitive) in `taken`."""
    clean = _FILE_BAD.sub("_", unit).strip().strip(".").strip()
    clean = clean[:FILE_NAME_LIMIT].rstrip(". ") or UNASSIGNED
    if clean.upper() in _WINDOWS_RESERVED:
        clean = f"_{clean}"
    name, n = f"台账-{clean}.xlsx", 2
    if taken is not None:
        while name.casefold() in taken:
            name = f"台账-{clean}({n}).xlsx"
            n += 1
        taken.add(name.casefold())
    return name


def match_filler(filler: str | None, leads, known=()) -> str | None:
    """The 牵头单位 a returned copy's 填报单位 stands for: the same name; an alias of a known unit (UnitRecord-like:
    name, aliases) whose names include a lead; else the longest lead (or known unit name) the text contains —
    杭州市司法局法治调研处 is 杭州市司法局's department, so it answers for 杭州市司法局 or 市司法局."""
    text = "".join((filler or "").split())
    if not text:
        return None
    leads = [u for u in leads if u and u != UNASSIGNED]
    if text in leads:
        return text
    names_of: dict[str, set[str]] = {}  # every name of a known unit -> all its names
    for unit in known:
        names = {unit.name, *getattr(unit, "aliases", ())} - {""}
        for name in names:
            names_of.setdefault(name, set()).update(names)
    for lead in leads:  # the filler is another name of the lead's unit
        if text in names_of.get(lead, ()):
            return lead
    best = None
    for lead in leads:
        for name in {lead, *names_of.get(lead, ())}:
            if len(name) >= 3 and name in text and (best is None or len(name) > best[1]):
                best = (lead, len(name))
    return best[0] if best else None
