"""Traditional characters read as simplified for matching only: one character for one, so offsets stay put.

OpenCC (a well-kept converter) supplies the character table, built once per process on first use (about
0.05 s); a text without traditional characters then costs one regex scan and is returned as it is."""
from __future__ import annotations

import re

_TABLE: dict[int, int] | None = None
_ANY: re.Pattern | None = None


def _load() -> None:
    """Every CJK character OpenCC's t2s maps to one other character (its phrase rules are never applied)."""
    global _TABLE, _ANY
    table: dict[int, int] = {}
    try:
        import opencc
    except ImportError:  # the dependency is declared; without it traditional text is matched as printed
        pass
    else:
        chars = [chr(c) for c in range(0x4E00, 0xA000)]  # the unified ideographs a converted page uses
        out = opencc.OpenCC("t2s.json").convert("\n".join(chars)).split("\n")
        if len(out) == len(chars):
            table = {ord(a): ord(b) for a, b in zip(chars, out) if len(b) == 1 and a != b}
    _TABLE = table
    _ANY = re.compile("[" + "".join(map(chr, table)) + "]") if table else None


def has_traditional(text: str) -> bool:
    if _TABLE is None:
        _load()
    return _ANY is not None and _ANY.search(text) is not None


def simplified(text: str) -> str:
    """`text` with traditional characters folded to simplified; same length, the identity on simplified text."""
    if _TABLE is None:
        _load()
    if _ANY is None or _ANY.search(text) is None:
        return text
    assert _TABLE is not None  # _load() set both
    return text.translate(_TABLE)
