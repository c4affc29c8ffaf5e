"""Government wording that says the same thing in words of different lengths (首违不罚 / 不予行政处罚清单).

The synonyms in `lexicon.SYNONYMS` are groups of two-character verbs, swapped in place; the groups here are
phrases, so they are matched as concepts instead: a task's phrase counts as found in a sentence that holds any
phrase of the same group. Each group is one matter, worded as reports word it; a group never joins two
matters that a reviewer would tell apart (行政执法监督员 and 监督检查 are not one).
"""
from __future__ import annotations

import re

from desktop.report.lexicon import CONCEPTS  # the groups are a table of the lexicon, checked by tests/test_lexicon.py

# Members are regular expressions (a few carry a look-ahead); the longest is tried first.
_PATTERNS = tuple(re.compile("|".join(sorted(g, key=len, reverse=True))) for g in CONCEPTS)


def concept_spans(folded: str) -> list[tuple[int, int, int]]:
    """(group, start, end) of every concept phrase in width-folded text."""
    return [(g, m.start(), m.end()) for g, pattern in enumerate(_PATTERNS) for m in pattern.finditer(folded)]


def concept_keys(folded: str) -> frozenset[str]:
    """The groups named in a text, as keys that cannot clash with character bigrams."""
    return frozenset(f"\x01{g}" for g, pattern in enumerate(_PATTERNS) if pattern.search(folded))
