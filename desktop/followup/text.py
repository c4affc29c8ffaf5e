"""Normalised text for cross-year matching: government synonyms, generic words blanked, character bigrams.

Every transformation keeps the length of the text, so an offset into the normalised text is an offset into
the report's clean text.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from desktop.followup.concepts import concept_keys, concept_spans
from desktop.report.lexicon import GENERIC, ISSUER_PLACE_SUFFIXES, SYNONYMS, alternation, run_bigrams
from desktop.report.normalise import fold

BLANK = "\x00"
MAX_CANDIDATES = 400  # sentences compared in full with one part of a task

# SYNONYMS (each group mapped onto its first member, same length) and GENERIC (blanked) live in the lexicon.
# A clause that opens with one of these states the aim of the task, not the task.
GOAL_OPENERS = ("进一步", "不断", "切实", "促进", "确保", "力争", "以", "为", "努力", "从而", "全力", "围绕", "聚焦",
                "立足", "紧扣", "对标", "对照", "按照", "依据", "根据")
# A first clause such as 完善…体系 / 全面推行…制度 names the field; the clauses after it are the task.
UMBRELLA = re.compile(r"^(?:全面|持续|不断|进一步)?(?:完善|健全|深化|推行|推进|加强|强化|优化|构建|推动)"
                      r".{0,24}(?:体系|制度|机制|改革|建设|格局|体制|攻坚)[”\"]?$")
# The body that issued a document, written before its name: 省委依法治省办《…》.
_ISSUER_BEFORE_TITLE = re.compile(r"[\u4e00-\u9fff]{2,12}(?:办公室|办|委员会|委|厅|局|部|院|政府)(?=《)")
_PUNCT = re.compile(r"[\s\d.%％,，、;；:：。！？!?()（）\[\]【】“”\"'‘’《》〈〉<>—\-–·…/+]")
_KEY_OBJECT = re.compile(r"《([^《》\n]{2,40})》|“([^“”\n]{2,20})”|\"([^\"\n]{2,20})\"")
_SYN_ITEMS = tuple((w, group[0]) for group in SYNONYMS for w in group[1:] if w != group[0])
_ISSUER_PLACE = re.compile(rf"([\u4e00-\u9fff]{{2,4}}?)({alternation(ISSUER_PLACE_SUFFIXES)})")
_GENERIC_SORTED = tuple(sorted(set(GENERIC), key=lambda w: (-len(w), w)))  # longest first, then a fixed order


def place_words(*issuers: str | None) -> tuple[str, ...]:
    """The place names in the issuers ("杭州市司法局" -> 杭州市, 杭州): they appear in every sentence of a report."""
    words: set[str] = set()
    for issuer in issuers:
        if not issuer:
            continue
        for m in _ISSUER_PLACE.finditer(issuer):
            words.update({m.group(0), m.group(1)})
    return tuple(sorted(words, key=lambda w: (-len(w), w)))  # longest first; ties in a fixed order, not set order


def synonymised(text: str) -> str:
    """Width-folded text with each synonym mapped onto its group's first word (same length)."""
    out = fold(text)
    for src, dst in _SYN_ITEMS:
        if src in out:
            out = out.replace(src, dst)
    return out


def normalise(text: str, places: tuple[str, ...] = ()) -> str:
    """Fold widths, map synonyms onto one word, blank generic words, places, digits and punctuation."""
    out = _ISSUER_BEFORE_TITLE.sub(lambda m: BLANK * len(m.group(0)), fold(text))
    out = synonymised(out)
    for word in (*places, *_GENERIC_SORTED):
        if word in out:
            out = out.replace(word, BLANK * len(word))
    return _PUNCT.sub(BLANK, out)


def bigrams(norm: str, start: int = 0, end: int | None = None) -> set[str]:
    """The set of character bigrams of norm[start:end] that hold no blank."""
    end = len(norm) if end is None else end
    return set(run_bigrams(norm[start:end].split(BLANK)))


def key_objects(text: str) -> list[tuple[int, int]]:
    """Spans (inside the marks) of document names in 《》 and quoted slogans or mechanism names."""
    spans = []
    for m in _KEY_OBJECT.finditer(fold(text)):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        spans.append((m.start(group), m.end(group)))
    return spans


@dataclass(frozen=True)
class Units:
    """Sentence units of the later report's outcome chapters, with their bigram sets and bigram IDF."""

    norm: str  # normalised clean text of the later report (same length)
    spans: tuple[tuple[int, int], ...]
    grams: tuple[frozenset[str], ...]
    texts: tuple[str, ...]  # the folded text of each unit
    idf: dict[str, float]
    max_idf: float
    postings: dict[str, tuple[int, ...]]  # bigram (or concept key) -> the units holding it
    concepts: tuple[frozenset[str], ...] = ()  # the concept keys of each unit (see concepts.py)

    def candidates(self, grams, limit: int = MAX_CANDIDATES) -> list[int]:
        """The units sharing at least one bigram with `grams` (no other unit can cover anything); in a very long
        report only the `limit` units sharing the most, so one task costs a bounded amount of work."""
        shared: dict[int, int] = {}
        for gram in grams:
            for u in self.postings.get(gram, ()):
                shared[u] = shared.get(u, 0) + 1
        if len(shared) > limit:
            return sorted(sorted(shared, key=lambda u: (-shared[u], u))[:limit])  # ties by position: the same in every run
        return sorted(shared)

    def weight(self, gram: str) -> float:
        return self.idf.get(gram, self.max_idf)


_UNIT = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


def build_units(clean_text: str, ranges: list[tuple[int, int]], places: tuple[str, ...]) -> Units:
    """Split the given ranges of the clean text into sentence units; document frequency over those units."""
    norm = normalise(clean_text, places)
    spans, grams = [], []
    for a, b in ranges:
        for m in _UNIT.finditer(clean_text, a, b):
            s, e = m.start(), m.end()
            while s < e and clean_text[s].isspace():
                s += 1
            while e > s and clean_text[e - 1].isspace():
                e -= 1
            if e - s < 6:
                continue
            g = bigrams(norm, s, e)
            if g:
                spans.append((s, e))
                grams.append(frozenset(g))
    postings: dict[str, list[int]] = {}
    for u, g in enumerate(grams):
        for gram in g:
            postings.setdefault(gram, []).append(u)
    n = len(grams)
    idf = {gram: math.log((n + 1) / (len(us) + 0.5)) for gram, us in postings.items()}
    folded = fold(clean_text)
    texts = tuple(folded[s:e] for s, e in spans)
    concepts = tuple(concept_keys(t) for t in texts)
    for u, keys in enumerate(concepts):
        for key in keys:
            postings.setdefault(key, []).append(u)
    return Units(norm, tuple(spans), tuple(grams), texts, idf, math.log((n + 1) / 0.5),
                 {gram: tuple(us) for gram, us in postings.items()}, concepts)


COMMON_DF = 3  # a word found in more sentences of the later report than this is its everyday word, not a name's
ECHO_WORDS = 2  # a name is used when this many of its words are (吹哨, 部门), or half of them (八五)
# Verbs of making (as synonymised: 印发 -> 出台, 设立 -> 建立): what is done to a thing, never the thing itself.
ACTS = ("出台", "建立", "推行", "聘请", "举办", "公布")


def echoed_names(task: str, units: Units, places: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names a task gives in quotes or 《》 (“街道吹哨、部门报到”) whose own words the later report uses: two of
    the name's bigrams, or half of them, each in a few of its sentences (吹哨, 部门; not 街道, said everywhere in a
    街道's report), or a phrase of the same matter as one inside the name (送法 ~ 普法, concepts.py). A task whose
    name is echoed is not certainly unreported, however little its best sentence shares."""
    folded, norm = fold(task), normalise(task, places)
    found = []
    for a, b in key_objects(task):
        grams = bigrams(norm, a, b) - set(ACTS)
        used = sum(0 < len(units.postings.get(g, ())) <= COMMON_DF for g in grams)
        rare = used >= min(ECHO_WORDS, len(grams) / 2) and used > 0
        same = any(f"\x01{g}" in units.postings for g, s, e in concept_spans(folded) if a <= s and e <= b)
        if rare or same:
            found.append(folded[a:b])
    return tuple(dict.fromkeys(found))


def sentence_candidates(units: Units, norm: str, concepts) -> list[int]:
    """The sentences sharing a bigram or a concept with a normalised part."""
    return units.candidates(bigrams(norm) | {f"\x01{g}" for g, _a, _b in concepts})


def covered_chars(norm: str, grams: frozenset[str]) -> list[bool]:
    """Which characters of a normalised part fall in a bigram of `grams` (a sentence's bigrams)."""
    hit = [False] * len(norm)
    for i in range(len(norm) - 1):
        if norm[i:i + 2] in grams:
            hit[i] = hit[i + 1] = True
    return hit


def name_share(weights: list[float], covered: list[bool], a: int, b: int) -> float:
    """Share of the characters of a name (each counting alike: a name is the same name as a whole) found."""
    chars = [c for w, c in zip(weights[a:b], covered[a:b]) if w > 0]
    return sum(chars) / len(chars) if chars else 0.0
