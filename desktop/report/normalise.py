"""Character-level normalising: the one-for-one matching fold, line clean-up (spaces, invisibles, PDF radicals)
and mirror-site pinyin glosses."""
from __future__ import annotations

import re
import unicodedata

from desktop.report.hanzi import simplified

# One-to-one character folding used for matching only: offsets in the folded text equal offsets in the
# clean text, so a match found in fold(text) slices the displayed text at the same place.
_FOLD_PAIRS = {
    "(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "!": "！", "?": "？",
    "％": "%", "﹪": "%", "．": ".", "＋": "+", "～": "~", "﹐": "，", "﹔": "；", "﹕": "：",
    "［": "〔", "］": "〕", "【": "〔", "】": "〕",
}
_FOLD_PAIRS.update({chr(0xFF10 + i): str(i) for i in range(10)})
_FOLD_ITEMS = tuple(_FOLD_PAIRS.items())
_FOLD_TABLE = str.maketrans(_FOLD_PAIRS)
_FOLD_ANY = re.compile("[" + re.escape("".join(_FOLD_PAIRS)) + "]")


def fold(text: str) -> str:
    """Full-/half-width variants folded for matching; same length as `text`.

    Chained str.replace is several times faster than str.translate on CJK text. Traditional characters
    are folded to simplified too (one for one), so 法治政府建設 matches what 法治政府建设 matches."""
    if _FOLD_ANY.search(text) is not None:  # one scan first: most lines hold none of the 25 characters
        if len(text) < 256:  # a line: one translate beats 25 membership tests
            text = text.translate(_FOLD_TABLE)
        else:
            for src, dst in _FOLD_ITEMS:
                if src in text:
                    text = text.replace(src, dst)
    return simplified(text)


# CJK radicals that PDF text extraction often yields instead of the ideographs they look like (⼯ U+2F2F for 工).
_RADICALS = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in list(range(0x2F00, 0x2FD6)) + list(range(0x2E80, 0x2EF4))
             if unicodedata.normalize("NFKC", chr(c)) != chr(c)}
# The CJK Radicals Supplement has no compatibility mapping: the forms that stand for whole characters.
_RADICALS.update(zip("⺠⻔⻛⻅⻓⻚⻢⻋⻄⻝⻰⻤⻩⻬⻉⻆⻘⻨⻜⻦⻥⻳⺟⻑⻙⻭⻣⻡⻧⺩⺮⻁",
                     "民门风见长页马车西食龙鬼黄齐贝角青麦飞鸟鱼龟母长韦齿骨首卤王竹虎"))
_RADICAL_RE = re.compile("[" + "".join(_RADICALS) + "]")
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Pinyin glosses inserted by mirror sites after characters: 應(yīng)急 -> 應急.
# A PDF line may end between the character and its gloss, or inside the gloss: '應\n(yīng)急'.
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\n?[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ\n]{1,8})[)）]")
_TONED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")


def normalise_line(line: str) -> str:
    """One line with invisibles and controls removed, odd spaces made plain, PDF radicals made characters."""
    return _normalise(line).strip()


def normalise_lines(text: str) -> list[str]:
    """normalise_line() of each line of `text`, with one pass of each substitution over the whole text: each
    replaces single characters and none touches a line break, so the lines come out as line by line."""
    return [line.strip() for line in _normalise(text).split("\n")]


def _normalise(text: str) -> str:
    text = _INVISIBLE.sub("", text)
    if _RADICAL_RE.search(text):
        text = _RADICAL_RE.sub(lambda m: _RADICALS[m.group(0)], text)
    text = _SPACES.sub(" ", text)
    return _CONTROL.sub("", text)


def remove_glosses(text: str, repairs: list[str]) -> str:
    """Pinyin glosses a mirror site put after characters removed, when there are clearly several."""
    hits = _GLOSS.findall(text)
    if len(hits) >= 3 and sum(1 for h in hits if _TONED.search(h)) >= 2:
        repairs.append(f"删除了镜像站插入的拼音注音 {len(hits)} 处")
        return _GLOSS.sub("", text)
    return text
