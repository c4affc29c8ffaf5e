"""The lexicon's tables themselves (desktop/report/lexicon.py): no duplicates, no word in two roles unless declared,
synonyms that keep offsets, no empty group, patterns that compile; and each table drives the code that reads it,
so a word added to a table is tested by the cases below without a new test function."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from desktop.followup import concepts, targets
from desktop.followup.text import normalise, synonymised
from desktop.report import headings, lexicon as lx
from desktop.report.extract import read_text
from desktop.report.numbers import cn_to_number, parse_quantity
from desktop.report.outline import title_meaning
from desktop.review.text import bigrams as check_bigrams, figures

WORD_TABLES = {
    "MEASURE_WORDS": lx.MEASURE_WORDS, "PERIOD_WORDS": lx.PERIOD_WORDS, "CHECK_MEASURES": lx.CHECK_MEASURES,
    "TARGET_MEASURES": lx.TARGET_MEASURES, "COMPOUND_MEASURES": lx.COMPOUND_MEASURES,
    "BODY_SUFFIXES": lx.BODY_SUFFIXES, "GOVERNMENT_SUFFIXES": lx.GOVERNMENT_SUFFIXES, "BODY_LINE_SUFFIXES": lx.BODY_LINE_SUFFIXES,
    "PLACE_SUFFIXES": lx.PLACE_SUFFIXES, "TOWN_SUFFIXES": lx.TOWN_SUFFIXES,
    "ISSUER_PLACE_SUFFIXES": lx.ISSUER_PLACE_SUFFIXES, "CHAPTER_NAMES": lx.CHAPTER_NAMES,
    "PLAN_FRAME_HEADINGS": lx.PLAN_FRAME_HEADINGS, "GENERIC": lx.GENERIC, "CHECK_STOP_WORDS": lx.CHECK_STOP_WORDS,
    **{f"SYNONYMS[{g[0]}]": g for g in lx.SYNONYMS},
    **{f"CONCEPTS[{g[0]}]": g for g in lx.CONCEPTS},
    **{f"CHAPTER_ROLES[{role}]": words for role, words in lx.CHAPTER_ROLES},
    **{name: tuple(getattr(lx, name)) for name in (  # tables of characters
        "CN_DIGITS", "CN_ORDINALS", "CN_ZEROS", "YEAR_DIGITS", "NUMERAL_CHARS", "COUNT_CHARS", "COUNT_FIRST",
        "PERCENT_CHARS", "CIRCLED", "LEVEL_CHARS", "BARE_LEVEL_CHARS", "CHECK_STOP_CHARS")},
}
PATTERNS = {name: getattr(lx, name) for name in (
    "ARABIC_DOT_END", "ARABIC_ITEM", "CN_ITEM", "PAREN_ITEM", "LEAD_ITEM", "PART_HEAD", "PART_HEAD_SHORT",
    "NUMBERED_OPENING", "YEAR_NUMBER", "MONTH_DAY_NUMBER")}
_LOOKAROUND = re.compile(r"\(\?<?[=!][^)]*\)")


def literal(member: str) -> str:
    """A concept member without its look-ahead or look-behind: the words it matches."""
    return _LOOKAROUND.sub("", member)


def synonym_words() -> set[str]:
    return {w for g in lx.SYNONYMS for w in g}


def concept_words() -> set[str]:
    return {literal(w) for g in lx.CONCEPTS for w in g}


# ---- the tables themselves ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(WORD_TABLES))
def test_every_group_is_non_empty_and_holds_no_duplicate(name):
    words = WORD_TABLES[name]
    assert words, f"{name} is empty"
    assert all(isinstance(w, str) and w.strip() == w and w for w in words), f"{name}: an empty or padded word"
    dupes = [w for w, n in Counter(words).items() if n > 1]
    assert not dupes, f"{name} holds {dupes} more than once"


def test_a_synonym_group_has_a_word_to_map_and_no_word_in_two_groups():
    assert all(len(g) >= 2 for g in lx.SYNONYMS)
    seen = Counter(w for g in lx.SYNONYMS for w in g)
    assert [w for w, n in seen.items() if n > 1] == []
    seen = Counter(literal(w) for g in lx.CONCEPTS for w in g)
    assert [w for w, n in seen.items() if n > 1] == [], "a concept word in two groups joins two matters"


def test_synonyms_keep_offsets():
    """synonymised() swaps in place; followup/text.normalise and targets.targets index the clean text with the
    offsets of the swapped text, so every member has the length of the word it is mapped onto."""
    for group in lx.SYNONYMS:
        assert {len(w) for w in group} == {len(group[0])}, group
    text = "，".join(w for g in lx.SYNONYMS for w in g) + "。制定办法并修订细则，线上投诉"
    assert len(synonymised(text)) == len(text)
    assert len(normalise(text)) == len(text)


def test_synonym_mapping_is_one_step():
    """A group's target is never a word another group swaps away, so the order of the swaps cannot matter."""
    targets_ = {g[0] for g in lx.SYNONYMS}
    sources = {w for g in lx.SYNONYMS for w in g[1:]}
    assert not targets_ & sources
    text = "".join(w for g in lx.SYNONYMS for w in g)
    assert synonymised(synonymised(text)) == synonymised(text)


@pytest.mark.parametrize("group", lx.SYNONYMS, ids=lambda g: g[0])
def test_every_synonym_maps_onto_its_group_first_word(group):
    for word in group:
        assert synonymised(f"已{word}方案") == f"已{group[0]}方案"


def test_no_word_in_two_roles_unless_declared():
    roles = {"SYNONYMS": synonym_words(), "GENERIC": set(lx.GENERIC), "CONCEPTS": concept_words()}
    shared = set()
    for a in roles:
        for b in roles:
            if a < b:
                shared |= roles[a] & roles[b]
    assert shared == set(lx.BOTH_ROLES), (
        f"in two roles but not declared in BOTH_ROLES: {sorted(shared - lx.BOTH_ROLES)}; "
        f"declared but in one role only: {sorted(lx.BOTH_ROLES - shared)}")


def test_chapter_roles_do_not_share_a_word_and_name_known_roles():
    words = [w for _role, ws in lx.CHAPTER_ROLES for w in ws]
    assert [w for w, n in Counter(words).items() if n > 1] == []
    assert {role for role, _ in lx.CHAPTER_ROLES} == {"first_responsible", "problems", "other", "plans", "achievements"}


def test_measure_words_are_no_period_words_and_the_lists_draw_on_them():
    assert not set(lx.MEASURE_WORDS) & set(lx.PERIOD_WORDS)
    known = set(lx.MEASURE_WORDS) | set(lx.PERIOD_WORDS) | set(lx.COMPOUND_MEASURES)
    for name in ("CHECK_MEASURES", "TARGET_MEASURES"):
        assert set(WORD_TABLES[name]) <= known, f"{name}: {set(WORD_TABLES[name]) - known} is in no table"
    used = set(lx.CHECK_MEASURES) | set(lx.TARGET_MEASURES)
    assert set(lx.COMPOUND_MEASURES) <= used, "a compound measure no list uses"
    assert set(lx.UNIT_ALIASES) | set(lx.UNIT_ALIASES.values()) <= set(lx.MEASURE_WORDS)


def test_numeral_tables_agree():
    assert len(lx.YEAR_DIGITS) == len(lx.YEAR_DIGIT_VALUES) == len(set(lx.YEAR_DIGITS))
    assert set(lx.NUMERAL_VALUES) | set(lx.NUMERAL_UNITS) | set(lx.NUMERAL_BIG) == set(lx.NUMERAL_CHARS)
    assert set(lx.COUNT_CHARS) <= set(lx.NUMERAL_CHARS) and set(lx.COUNT_FIRST) <= set(lx.COUNT_CHARS)
    assert set(lx.PERCENT_CHARS) - {"点"} <= set(lx.NUMERAL_CHARS)
    assert lx.CN_ORDINALS == "一二三四五六七八九十" and len(lx.CIRCLED) == 20
    for i, ch in enumerate(lx.CN_ORDINALS, start=1):
        assert cn_to_number(ch) == i
    year = "".join(lx.YEAR_DIGITS[lx.YEAR_DIGIT_VALUES.index(d)] for d in "2024")
    assert cn_to_number(year) == 2024


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_patterns_compile(name):
    re.compile(PATTERNS[name])


def test_concept_members_and_chapter_words_compile():
    for group in lx.CONCEPTS:
        for member in group:
            re.compile(member)
    for _role, words in lx.CHAPTER_ROLES:
        for w in words:
            re.compile(w)


# ---- the pieces do what their names say ------------------------------------------------------------------------

@pytest.mark.parametrize("text,name,hit", [
    ("1.加强", "ARABIC_ITEM", True), ("2、完善", "ARABIC_ITEM", True), ("1．2025年底前", "ARABIC_ITEM", True),
    ("1.5倍", "ARABIC_ITEM", False), ("一、主要工作", "CN_ITEM", True), ("（三）", "PAREN_ITEM", True),
    ("(2)", "PAREN_ITEM", True), ("二是", "LEAD_ITEM", True), ("第二部分", "PART_HEAD", True),
    ("第三章", "PART_HEAD_SHORT", True), ("第三节", "PART_HEAD", False), ("二〇二四", "YEAR_NUMBER", True),
    ("二○二四", "YEAR_NUMBER", True), ("十二", "MONTH_DAY_NUMBER", True), ("第一部分 总结", "NUMBERED_OPENING", True),
])
def test_marker_and_date_pieces(text, name, hit):
    assert (re.match(PATTERNS[name], text) is not None) is hit


# ---- each table drives its code: a word added to a table is tested here ----------------------------------------

@pytest.mark.parametrize("unit", lx.MEASURE_WORDS)
def test_every_measure_word_is_read_as_a_unit(unit):
    q = parse_quantity(f"5{unit}")
    assert q is not None and q.unit == lx.UNIT_ALIASES.get(unit, unit) and q.value == 5


@pytest.mark.parametrize("unit", lx.CHECK_MEASURES)
def test_every_check_measure_makes_a_figure(unit):
    text = f"全年办理12{unit}。"
    assert figures(text) == [(4, 6 + len(unit))]


@pytest.mark.parametrize("unit", lx.TARGET_MEASURES)
def test_every_target_measure_is_a_target(unit):
    got = targets.targets(f"行政复议纠错达到12{unit}以上")
    assert [(t.value, t.measure) for t in got] == [(12.0, unit)]


@pytest.mark.parametrize("suffix", lx.BODY_SUFFIXES)
def test_every_body_suffix_ends_the_issuer_of_a_report(suffix):
    body = f"青山县{suffix}"
    reading = read_text(f"{body}2024年法治政府建设年度报告\n\n2024年，{body}坚持以习近平法治思想为指导，推进法治建设。\n\n"
                        "一、主要举措和成效\n\n（一）加强领导。全年召开会议3次。\n\n二、存在的不足和原因\n\n学法不够深入。\n")
    assert reading.metadata.issuer == body


@pytest.mark.parametrize("name", lx.CHAPTER_NAMES)
def test_every_chapter_name_is_found_run_into_its_body(name):
    assert headings.CHAPTER_NAMED.match(f"二、{name}一些地方仍有短板")


@pytest.mark.parametrize("role,word", [(role, w) for role, ws in lx.CHAPTER_ROLES for w in ws
                                       if re.fullmatch(r"[\u4e00-\u9fff]+", w)])
def test_every_chapter_word_names_its_role(role, word):
    assert title_meaning(f"（五）{word}") == role


def test_every_concept_group_is_found_by_each_of_its_words():
    for g, group in enumerate(lx.CONCEPTS):
        for member in group:
            word = literal(member)
            text = f"今年{word}{'汇报' if member.startswith('听取') else ''}工作"
            assert f"\x01{g}" in concepts.concept_keys(text), (group[0], member)


def test_no_generic_word_holds_a_word_the_synonyms_swap_away():
    """normalise() swaps synonyms before it blanks generic words: a generic word holding a swapped word (实施方案,
    read as 推行方案) would never be found."""
    sources = {w for g in lx.SYNONYMS for w in g[1:]}
    assert [w for w in lx.GENERIC if any(s in w for s in sources)] == []


@pytest.mark.parametrize("word", lx.CHECK_STOP_WORDS + tuple(lx.CHECK_STOP_CHARS))
def test_every_check_stop_word_is_cut_out_before_comparing(word):
    assert set(check_bigrams(f"甲乙{word}丙丁")) == {"甲乙", "丙丁"}


@pytest.mark.parametrize("word", lx.GENERIC)
def test_every_generic_word_is_blanked(word):
    assert normalise(f"甲乙{word}丙丁") == f"甲乙{chr(0) * len(word)}丙丁"
