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
