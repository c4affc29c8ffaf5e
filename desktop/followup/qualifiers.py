"""Same noun, another qualifier: a 人民调解 专项经费 is not the 法治宣传 one a task promised, a 法律顾问专家库 not its
行政执法专家库. A certain verdict needs its evidence to name the task's nouns of this kind (QUALIFIED_HEADS) with the
task's own qualifier, wherever the evidence names the noun with a qualifier of its own."""
from __future__ import annotations

import re

from desktop.followup.concepts import concept_spans
from desktop.followup.text import BLANK, bigrams, synonymised
from desktop.report.normalise import fold
from desktop.report.lexicon import COUNT_CHARS, LEVEL_WORDS, QUALIFIED_HEADS, QUALIFIER_FILLERS, QUALIFIER_STOPS

QUALIFIER_SPAN = 6  # characters before a head noun read as its qualifier
QUALIFIER_FOUND = 0.5  # share of the task's qualifier words a clause naming the noun must hold to be about it
_HEADS = re.compile("|".join(sorted(map(re.escape, QUALIFIED_HEADS), key=len, reverse=True)))
_CLAUSE = re.compile(r"[，,；;。！？!?：:]")
_NOT_WORD = re.compile(r"[^\u4e00-\u9fff]")
_NOT_PHRASE = re.compile(r"[^\u4e00-\u9fff“”]")  # a qualified noun as shown keeps its quotes
_COUNT = re.compile(rf"[{COUNT_CHARS}]+[个支家名项所批类套部件条]")
_QUOTES = re.compile(r"[“”‘’\"'「」]")
_STOPS = re.compile("|".join(sorted(map(re.escape, QUALIFIER_STOPS), key=len, reverse=True)))


def qualifier(text: str, start: int) -> str:
    """The words qualifying the head noun that starts at `start`: the characters just before it, back to a break,
    a figure, a count (一支, 两个) or the act that makes it (安排, 设立); its filler words (专项, 人均) weigh
    nothing (_grams)."""
    window = text[max(0, start - QUALIFIER_SPAN - 4):start]
    if window.endswith(("”", "’", '"', "」")):  # a name in quotes right before the noun qualifies it: “以案定补”经费
        window = _QUOTES.sub("", window)
    window = _NOT_WORD.split(window[-QUALIFIER_SPAN:])[-1]
    cuts = [m.end() for m in _STOPS.finditer(window)] + [m.end() for m in _COUNT.finditer(window)]
    return window[max(cuts, default=0):]


def _titled(text: str, at: int) -> bool:
    """The character at `at` is inside a title in 《》."""
    return text.rfind("《", 0, at) > text.rfind("》", 0, at)


def _grams(text: str) -> set[str]:
    """The bigrams of a qualifier or clause (synonymised), levels and places' 全县 aside: unlike the matcher's
    words, generic ones count here (法治宣传 is not 人民调解, 规范化 is not 智慧), and a phrase of a concept
    (concepts.py) is one word of its group."""
    keys = set()
    for group, start, end in concept_spans(text):  # 普法 is 法治宣传: a phrase of a concept counts as its group
        text = text[:start] + BLANK * (end - start) + text[end:]
        keys.add(f"\x01{group}")
    for word in (*LEVEL_WORDS, *QUALIFIER_FILLERS):
        text = text.replace(word, BLANK * len(word))
    return bigrams(_NOT_WORD.sub(BLANK, text)) | keys


def _abbreviates(short: str, full: str) -> bool:
    """`short` is made of characters of `full` in their order (矛调 for 矛盾纠纷调处化解): an abbreviation."""
    chars = short.replace(BLANK, "")
    rest = iter(full)
    return len(chars) >= 2 and all(ch in rest for ch in chars)


def _heads(text: str) -> list[tuple[str, int, str]]:
    """(head noun, where it starts, its qualifier) for each head noun of a text."""
    return [(m.group(0), m.start(), qualifier(text, m.start())) for m in _HEADS.finditer(text)]


def _before_in_clause(text: str, at: int) -> str:
    """The words of the clause holding `at` that come before it."""
    starts = [m.end() for m in _CLAUSE.finditer(text, 0, at)]
    return text[starts[-1] if starts else 0:at]


def _clause_around(text: str, at: int) -> str:
    starts = [m.end() for m in _CLAUSE.finditer(text, 0, at)]
    end = _CLAUSE.search(text, at)
    return text[starts[-1] if starts else 0:end.start() if end else len(text)]


def qualifier_clash(task: str, sentence: str, context: str = "") -> str:
    """"" unless the sentence names a qualified noun of the task (QUALIFIED_HEADS) only with other qualifiers; then
    what the task promised and what the sentence names (法治宣传专项经费 / 人民调解以案定补专项经费). A noun the task
    names bare (选聘监督员) is read with its qualifier in `context`, the whole task (组建行政执法监督员队伍)."""
    synonymous = synonymised(task)
    for m in _HEADS.finditer(synonymous):
        if _titled(synonymous, m.start()):
            continue  # a document named in 《》 is checked by its title (certainty._name_doubt)
        text, at = task, m.start()
        if not _grams(qualifier(synonymous, at)) and context:
            text, at = context, _qualified_in(context, m.group(0))
        clash = _clash_at(text, at, m.group(0), sentence) if at >= 0 else ""
        if clash:
            return clash
    return ""


def _qualified_in(text: str, head: str) -> int:
    """Where `head` first stands in `text` with a qualifier of its own, or -1."""
    synonymous = synonymised(text)
    return next((m.start() for m in re.finditer(re.escape(head), synonymous)
                 if _grams(qualifier(synonymous, m.start()))), -1)


def made_thing(text: str) -> bool:
    """The text names a noun of a kind a task makes (清单, 平台, 专家库), outside any title."""
    synonymous = synonymised(text)
    return any(not _titled(synonymous, m.start()) for m in _HEADS.finditer(synonymous))


def figure_clash(label: str, counted: str, clause: str) -> str:
    """The same for the words a promised figure counts (`counted`, the words just before it: 专项经费, 应诉率; or the
    longest end of them the clause names: 司法所 of 慧司法所) in the later clause giving the figure compared: ""
    unless that clause qualifies them otherwise than the task's label does (规范化司法所 for 智慧司法所)."""
    clause = synonymised(clause)
    head = next((counted[i:] for i in range(len(counted) - 1) if counted[i:] in clause), "")
    at = synonymised(label).rfind(head) if head else -1
    return _clash_at(label, at, head, clause) if at >= 0 else ""


_RANKS = ("国家级", "省级", "市级", "县级", "区级", "乡镇级", "村级")


def _ranks(text: str) -> set[str]:
    return {r for r in _RANKS if r in text}


def _clash_at(task: str, start: int, head: str, sentence: str) -> str:
    """"" unless each clause of the sentence naming `head` (which starts at `start` in the task) holds less than
    half of the task's qualifier words and qualifies it with words of its own."""
    raw_task, raw_sentence, sentence = fold(task), fold(sentence), synonymised(sentence)  # the same lengths
    wanted = _grams(qualifier(synonymised(task), start))
    named = [(m.start(), qualifier(sentence, m.start())) for m in re.finditer(re.escape(head), sentence)
             if not _titled(sentence, m.start())]
    full = _NOT_WORD.split(raw_task[max(0, start - 3 * QUALIFIER_SPAN):start])[-1]
    promised = _ranks(full)
    levels = [_ranks(_before_in_clause(sentence, s)) for s, _q in named]
    if promised and levels and all(lv and not lv & promised for lv in levels):  # 市级示范单位 for a 省级 one
        wanted_level = next(r for r in _RANKS if r in promised)
        said = next(r for r in _RANKS if r in levels[0])
        return f"安排的是{wanted_level}“{_phrase(raw_task, start, head)}”，依据中说的是{said}的"
    if not wanted or not named:
        return ""
    if all(_other(q, wanted, full) and _share(wanted, _grams(_clause_around(sentence, s)))
           < QUALIFIER_FOUND for s, q in named):
        return f"安排的是“{_phrase(raw_task, start, head)}”，依据中说的是“{_phrase(raw_sentence, named[0][0], head)}”"
    return ""


def _other(words: str, wanted: set[str], full: str) -> bool:
    """A qualifier of the later noun that is not the task's: words of its own, less than half of the task's (行政诉讼
    for 行政复议), not mostly words the task says before the noun (生态环境执法人员 for 执法人员法律知识培训), and not an
    abbreviation of the task's (县矛调中心 for 矛盾纠纷调处化解中心)."""
    grams = _grams(words)
    return (bool(grams) and _share(wanted, grams) < QUALIFIER_FOUND and not _abbreviates(words, full)
            and _share(grams, _grams(synonymised(full))) < QUALIFIER_FOUND)


def _share(wanted: set[str], have: set[str]) -> float:
    return len(wanted & have) / len(wanted)


def _phrase(text: str, start: int, head: str) -> str:
    """The qualified noun as written (法治宣传专项经费), for the reviewer."""
    window = _NOT_PHRASE.split(text[max(0, start - QUALIFIER_SPAN - 2):start])[-1]
    stops = list(_STOPS.finditer(window))
    return (window[stops[-1].end():] if stops else window) + head
