"""Numbers as Chinese reports write them: 2.3万余件, 近8500万元, 三十余件, 两千, 百分之九十 -> value, unit, qualifier."""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.report.lexicon import (COUNT_FIRST, MEASURE_WORDS, NUMERAL_BIG, NUMERAL_CHARS, NUMERAL_UNITS,
                                    NUMERAL_VALUES, PERCENT_CHARS, PERIOD_WORDS, UNIT_ALIASES)

CN_DIGITS = NUMERAL_VALUES
CN_UNITS = NUMERAL_UNITS
CN_BIG = NUMERAL_BIG
CN_NUM_CHARS = NUMERAL_CHARS

# Units (lexicon.MEASURE_WORDS): measure words are normalised, 万人次 is 人次 with the value scaled.
UNITS = MEASURE_WORDS
# Matched so that the number is consumed, then dropped: periods and dates are never indicators.
PERIOD_UNITS = PERIOD_WORDS
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000, "十万": 100_000,
               "千": 1000, "万亿": 10 ** 12}

QUALIFIER_PREFIX = {"将近": "under", "接近": "under", "近": "under", "不足": "under", "不到": "under",
                    "超过": "over", "超": "over", "逾": "over", "多达": "over", "约": "approx", "大约": "approx"}
QUALIFIER_SUFFIX = {"以上": "over", "多": "over", "余": "over", "左右": "approx", "以下": "under",
                    "以内": "under"}


def cn_to_number(s: str) -> float | None:
    """三十 -> 30, 两千 -> 2000, 一百二十 -> 120, 二〇二三 -> 2023 (digit by digit); None if malformed."""
    if not s or any(ch not in CN_NUM_CHARS for ch in s):
        return None
    if all(ch in CN_DIGITS for ch in s):  # digit by digit: 二〇二三
        if len(s) == 1:
            return float(CN_DIGITS[s])
        return float("".join(str(CN_DIGITS[ch]) for ch in s))
    total = 0
    for big_char in ("亿", "万"):
        if big_char in s:
            head, _, s = s.partition(big_char)
            head_value = _cn_small(head) if head else 1
            if head_value is None:
                return None
            total += head_value * CN_BIG[big_char]
    if s:
        small = _cn_small(s)
        if small is None:
            return None
        total += small
    return float(total)


def _cn_small(s: str) -> int | None:
    """Below ten thousand: 三千二百零五, 十五, 二十."""
    total, digit, last_unit = 0, None, 10_000
    for ch in s:
        if ch in CN_DIGITS:
            if digit is not None and CN_DIGITS[ch] != 0:
                return None  # 二三 is not a number here
            digit = CN_DIGITS[ch] if CN_DIGITS[ch] else None
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        total += digit
    return total


_ARABIC = re.compile(r"(\d+(?:\.\d+)?)(千万|百万|十万|万亿|万|亿|千)?")


def parse_number(s: str) -> float | None:
    """An Arabic or Chinese number, with an optional 万/亿 multiplier: '2.3万' -> 23000."""
    s = s.strip().replace(",", "").replace("，", "")
    m = _ARABIC.fullmatch(s)
    if m:
        return float(m.group(1)) * MULTIPLIERS.get(m.group(2) or "", 1)
    return cn_to_number(s)


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    qualifier: str  # exact | over | under | approx


_UNIT_ALT = "|".join(map(re.escape, sorted(set(UNITS) | set(PERIOD_UNITS), key=len, reverse=True)))
_QTY = re.compile(
    rf"^(?P<pre>{'|'.join(sorted(QUALIFIER_PREFIX, key=len, reverse=True))})?"
    rf"(?P<num>\d+(?:\.\d+)?|[{COUNT_FIRST}][{CN_NUM_CHARS}]*?|(?<=近)[百千])"  # 近百件: about a hundred
    r"(?P<mult>千万|百万|十万|万亿|万|亿)?(?P<mid>余|多)?"
    rf"(?P<unit>{_UNIT_ALT})?(?P<post>以上|左右|以下|以内|余|多)?$")
_PERCENT = re.compile(rf"^(?P<pre>近|超过|超|约|逾)?百分之(?P<num>[{PERCENT_CHARS}]+|\d+(?:\.\d+)?)(?P<post>以上|左右)?$")


def parse_quantity(surface: str) -> Quantity | None:
    """'2.3万余件' -> Quantity(23000, '件', 'over'); '近8500万元' -> (85000000, '元', 'under');
    '百分之九十' -> (90, '%', 'exact'); '三十余件' -> (30, '件', 'over'). None when it is not a quantity."""
    s = surface.strip().replace("％", "%").replace(",", "").replace("，", "")
    m = _PERCENT.match(s)
    if m:
        num = m.group("num")
        if "点" in num:
            whole, _, frac = num.partition("点")
            w = cn_to_number(whole) if whole else 0.0
            f = "".join(str(CN_DIGITS.get(ch, "")) for ch in frac)
            value = float(f"{int(w or 0)}.{f}") if w is not None and f else None
        else:
            value = parse_number(num)
        if value is None:
            return None
        return Quantity(value, "%", _qualifier(m.group("pre"), None, m.group("post")))
    m = _QTY.match(s)
    if not m:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    value *= MULTIPLIERS.get(m.group("mult") or "", 1)
    unit = m.group("unit") or ""
    unit = UNIT_ALIASES.get(unit, unit)
    return Quantity(value, unit, _qualifier(m.group("pre"), m.group("mid"), m.group("post")))


def _qualifier(pre: str | None, mid: str | None, post: str | None) -> str:
    if pre and QUALIFIER_PREFIX.get(pre):
        return QUALIFIER_PREFIX[pre]
    if mid:
        return "over"
    if post:
        return QUALIFIER_SUFFIX[post]
    return "exact"


def unit_kind(unit: str) -> str:
    """count | rate | money | ratio | change | duration, from the normalised unit."""
    if unit == "%":
        return "rate"
    if unit == "元":
        return "money"
    if unit == "倍":
        return "ratio"
    if unit == "百分点":
        return "change"
    if unit in {"天", "小时", "工作日", "个工作日"}:
        return "duration"
    return "count"
