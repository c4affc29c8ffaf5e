"""How many columns text takes where East Asian wide and full-width characters count two: a terminal, an Excel column."""
from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns `text` takes: East Asian wide (W) and full-width (F) characters count two, the rest one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
