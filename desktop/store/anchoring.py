"""Pure helpers for a new reading: find quoted text again and match old rows to newly extracted ones."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Callable, Sequence, TypeVar

_SPACE = re.compile(r"\s")
_LOOSE = re.compile(r"[\s\u3000，。、；：,.;:！？!?“”\"'‘’（）()《》【】\[\]…—\-·]")

T = TypeVar("T")
U = TypeVar("U")


def find_quote(text: str, quote: str | None, near: int | None = None) -> tuple[int, int] | None:
    """Where `quote` stands in `text` (the occurrence nearest `near`); whitespace differences are tolerated."""
    if not quote:
        return None
    hits = _occurrences(text, quote)
    if hits:
        pos = _nearest(hits, near)
        return pos, pos + len(quote)
    # Tolerate re-wrapped lines or changed spacing: compare with all whitespace removed.
    squeezed_quote = _SPACE.sub("", quote)
    if not squeezed_quote:
        return None
    index = [i for i, ch in enumerate(text) if not ch.isspace()]
    squeezed = "".join(text[i] for i in index)
    hits = _occurrences(squeezed, squeezed_quote)
    if not hits:
        return None
    spans = [(index[h], index[h + len(squeezed_quote) - 1] + 1) for h in hits]
    return min(spans, key=lambda s: abs(s[0] - near) if near is not None else 0)


def _occurrences(text: str, needle: str) -> list[int]:
    found, pos = [], text.find(needle)
    while pos != -1:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def _nearest(hits: list[int], near: int | None) -> int:
    if near is None:
        return hits[0]
    return min(hits, key=lambda h: abs(h - near))


def loose(text: str) -> str:
    """Text without whitespace and punctuation, for comparing two readings of the same sentence."""
    return _LOOSE.sub("", text or "")


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def match(old: Sequence[T], new: Sequence[U], keys: Sequence[tuple[Callable[[T], object], Callable[[U], object]]],
          *, fuzzy: tuple[Callable[[T], str], Callable[[U], str], float] | None = None,
          same_group: tuple[Callable[[T], object], Callable[[U], object]] | None = None) -> dict[int, int]:
    """Pair new rows with old rows: exact keys first (in order), then fuzzy text similarity.

    Returns {index in new: index in old}. Each old row is used at most once; ties go to the earliest old row.
    """
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for old_key, new_key in keys:
        buckets: dict[object, list[int]] = {}
        for i, old_row in enumerate(old):
            if i not in used:
                buckets.setdefault(old_key(old_row), []).append(i)
        for j, new_row in enumerate(new):
            if j in pairs:
                continue
            candidates = buckets.get(new_key(new_row))
            while candidates:
                i = candidates.pop(0)
                if i not in used:
                    pairs[j] = i
                    used.add(i)
                    break
    if fuzzy is not None:
        old_text, new_text, threshold = fuzzy
        scored = []
        for j, new_row in enumerate(new):
            if j in pairs:
                continue
            b = new_text(new_row)
            for i, old_row in enumerate(old):
                if i in used or (same_group and same_group[0](old_row) != same_group[1](new_row)):
                    continue
                a = old_text(old_row)
                if not a or not b or min(len(a), len(b)) / max(len(a), len(b)) < threshold:
                    continue  # cannot reach the threshold; skip the expensive comparison
                score = similarity(a, b)
                if score >= threshold:
                    scored.append((-score, j, i))
        for _, j, i in sorted(scored):
            if j not in pairs and i not in used:
                pairs[j] = i
                used.add(i)
    return pairs


def resemblance(a: str, b: str, n: int = 4) -> float:
    """Jaccard similarity of character n-grams: cheap enough for whole reports (linear time)."""
    grams_a = {a[i:i + n] for i in range(max(len(a) - n + 1, 0))}
    grams_b = {b[i:i + n] for i in range(max(len(b) - n + 1, 0))}
    if not grams_a or not grams_b:
        return 1.0 if a == b else 0.0
    return len(grams_a & grams_b) / len(grams_a | grams_b)
