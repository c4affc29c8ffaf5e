"""Traditional characters read as simplified for matching only: one character for one, so offsets stay put.

OpenCC (a well-kept converter) supplies the character table; it is built the first time a text shows
traditional characters, and a text without any costs one regex scan."""
from __future__ import annotations

import re

# Common characters that exist only in traditional script: a text with none of them is read as it is.
_HINT = re.compile("[這個們來說為會與對發關於過從當還無機動業後點進實現經體區縣長開問題設書報並將據記導務職責國時學習執審"
                   "複訴訟黨領幹議達標準數變認識權堅況總結規劃計舉績負辦廳鄉鎮處單級屬織條際參組費協調範圍應該護營銷"
                   "歸檔構網絡質醫療環衛農產礦稅險勞藥監視聽廣東華陽陰慶寧遼龍蘇雲貴陝蘭滬豐韓齊魯閩贛瓊綏補給價購買賣]")
_TABLE: dict[int, int] | None = None


def _table() -> dict[int, int]:
    """Every CJK character OpenCC's t2s maps to one other character (phrases are never applied)."""
    global _TABLE
    if _TABLE is None:
        try:
            import opencc
        except ImportError:  # the dependency is declared; without it traditional text is matched as printed
            _TABLE = {}
            return _TABLE
        chars = [chr(c) for c in range(0x3400, 0xA000)]
        out = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
        _TABLE = {ord(a): ord(b) for a, b in zip(chars, out) if len(b) == 1 and a != b} if len(out) == len(chars) else {}
    return _TABLE


def has_traditional(text: str) -> bool:
    return _HINT.search(text) is not None


def simplified(text: str) -> str:
    """`text` with traditional characters folded to simplified; same length, the identity on simplified text."""
    if _HINT.search(text) is None:
        return text
    return text.translate(_table())
