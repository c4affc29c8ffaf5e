"""Text helpers for the checks: traditional-character folding, sentences with offsets, phrase search, similarity."""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache

from desktop.report.lexicon import CHECK_MEASURES, CHECK_STOP_CHARS, CHECK_STOP_WORDS, alternation, run_bigrams
from desktop.report.normalise import fold  # the reader's fold: widths and traditional characters, one for one

_SENTENCE_END = re.compile(r"[。；！？!?\n]+")


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text[start:end], each ending after its 。/；, blanks skipped."""
    end = len(text) if end is None else end
    spans, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        _add(text, spans, pos, m.end())
        pos = m.end()
    _add(text, spans, pos, end)
    return spans


def _add(text, spans, a, b):
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a and text[a:b].strip("。；！？!?"):
        spans.append((a, b))


@lru_cache(maxsize=4)
def _folded(text: str) -> str:
    return fold(text)


@lru_cache(maxsize=64)
def _alternation(phrases: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(fold(str(p))) for p in sorted(set(phrases), key=len, reverse=True)))


def find_all(text: str, phrases, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Occurrences (start, end, phrase) of any phrase in text[start:end], longest first, not overlapping."""
    end = len(text) if end is None else end
    if not phrases:
        return []
    folded = _folded(text)
    pattern = _alternation(tuple(phrases))
    return [(m.start(), m.end(), text[m.start():m.end()]) for m in pattern.finditer(folded, start, end)]


_QUOTED = re.compile(r"“[^”\n]{0,60}”|《[^》\n]{0,80}》|\"[^\"\n]{0,60}\"")


def quoted_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans inside “…”, 《…》 or "…": names and slogans whose digits are not figures."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text, max(0, start - 80), end) if m.start() >= start]


def inside(spans, a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)


_FIGURE = re.compile(rf"(?<![第\d.])(\d+(?:\.\d+)?)\s*(?:万|亿)?\s*(%|％|个百分点|余?(?:{alternation(CHECK_MEASURES)}))")


def figures(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of numbers with a counting unit or % in text[start:end], outside names and slogans;
    years (2024年), ordinals (第五次) and dates are not figures."""
    end = len(text) if end is None else end
    names = quoted_spans(text, start, end)
    out = []
    for m in _FIGURE.finditer(text, start, end):
        if not inside(names, m.start(), m.end()):
            out.append((m.start(), m.end()))
    return out


_STOP_CHARS = CHECK_STOP_CHARS
# Stock phrasing that every problem and plan shares (lexicon.CHECK_STOP_WORDS); removed before comparing texts.
_STOP_WORDS = sorted(CHECK_STOP_WORDS, key=len, reverse=True)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_STOP_RE = re.compile("|".join(map(re.escape, _STOP_WORDS)) + "|[" + _STOP_CHARS + "]")


def bigrams(text: str) -> Counter:
    """Character bigrams of the CJK runs of `text`, after cutting out function characters and stock phrasing."""
    return Counter(run_bigrams(_CJK_RUN.findall(_STOP_RE.sub(" ", fold(text)))))  # the lexicon's one bigram cut


def tfidf_vectors(texts: list) -> list[dict[str, float]]:
    """TF-IDF weighted bigram vectors, unit length, over the given small collection. A text may be given as its
    bigrams already (a Counter), so a text in two collections is cut into bigrams once."""
    bags = [t if isinstance(t, Counter) else bigrams(t) for t in texts]
    df = Counter(g for bag in bags for g in bag)
    n = len(bags)
    vectors = []
    for bag in bags:
        vec = {g: (1 + math.log(c)) * math.log(1 + n / df[g]) for g, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({g: v / norm for g, v in vec.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())


class SpanIndex:
    """Items with .start/.end sorted by start: those inside [a, b) in O(log n + k), so per-section and
    per-task lookups stay linear over a whole report instead of scanning every item each time."""

    def __init__(self, items):
        self.items = sorted(items, key=lambda i: (i.start, i.end))
        self.starts = [i.start for i in self.items]

    def within(self, a: int, b: int) -> list:
        out = []
        for item in self.items[bisect_left(self.starts, a):bisect_left(self.starts, b)]:
            if item.end <= b:
                out.append(item)
        return out

    def near(self, at: int, before: int, after: int) -> list:
        """Up to `before` items starting before `at` and `after` items from `at` on, in text order."""
        i = bisect_left(self.starts, at)
        return self.items[max(0, i - before):i + after]
