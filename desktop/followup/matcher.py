"""Last year's plan tasks against this year's report: a verdict, a score and evidence spans for each task.

A task is split into its parts (the clauses of a compound task; a list of named things when each is long
enough to be a task of its own). Each part is compared with every sentence of the later report's outcome
chapters (举措成效, 第一责任人 and the opening summary — never its problems or its own plans): the share of the
part's characters, weighted by how rare their bigrams are in the later report, that the sentence shares.
Document names in 《》 and quoted names must themselves be found, or the part counts only half. Clauses that
state an aim (进一步…, 确保…) do not count when the task has concrete parts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.followup.text import (
    BLANK,
    GOAL_OPENERS,
    UMBRELLA,
    Units,
    bigrams,
    build_units,
    key_objects,
    normalise,
    place_words,
)
from desktop.report.normalise import fold
from desktop.report.model import Reading

DONE, PARTLY, MISSING = "已体现", "部分体现", "未提及"
VERDICTS = (DONE, PARTLY, MISSING)
OUTCOME_ROLES = ("achievements", "first_responsible")

COVERED = 0.62  # a part whose best sentence shares this much of its weight is reported on
LOOSE = 0.5  # … this much: loosely reported on
DONE_SHARE = 0.75  # share of a task's concrete weight covered for 已体现 …
MOSTLY_SHARE = 0.6  # … or this much, when every other part is reported on at least loosely
MIN_PART_CHARS = 4  # a piece split off at 并 with fewer meaningful characters stays with its neighbour
SCOPE_WORDS = ("乡镇", "镇街", "街道", "村居", "社区", "基层", "企业", "学校")  # the level a task is about…
SCOPE_MISSED = 0.6  # … and the factor on a sentence that does not name it (县政府的合法性审查 ≠ 乡镇合法性审查)
HEADING_DISCOUNT = 0.9  # a body sentence beats a heading that says about as much
# 每人每年不少于60学时 after the act: the target it sets, reported with the figure reached (人均62学时)
_TARGET = re.compile(r"(?:不少于|不低于|不超过|达到|保持在?|控制在|以上|以内)[^，,]*\d|\d[^，,]*(?:以上|以内|左右)")
KEY_FOUND = 0.75  # share of a key object's characters found for the object to count as named
_CLAUSE = re.compile(r"[^,，;；:：。！？!?]+")
_AND = re.compile(r"(?<=[\u4e00-\u9fff”》]{4})并(?=[\u4e00-\u9fff“《]{4})")  # 制定清单并开展评估: two acts


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class PartMatch:
    text: str
    weight: float
    goal: bool
    coverage: float
    evidence: Evidence | None


@dataclass(frozen=True)
class PlanMatch:
    text: str
    theme: str
    verdict: str
    score: float
    evidence: tuple[Evidence, ...]
    parts: tuple[PartMatch, ...]
    start: int = 0  # offsets of the task in the EARLIER report's clean text
    end: int = 0

    def to_dict(self) -> dict:
        return {"text": self.text, "theme": self.theme, "verdict": self.verdict, "score": round(self.score, 3),
                "evidence": [e.to_dict() for e in self.evidence]}


def outcome_ranges(later: Reading) -> list[tuple[int, int]]:
    """The spans of the later report that tell what was done: the opening summary and the outcome chapters."""
    chapters = list(later.outline)
    if not chapters:
        return [(0, len(later.clean_text))]
    ranges = [(0, chapters[0].start)]
    ranges += [(c.title_end, c.end) for c in chapters if c.role in OUTCOME_ROLES]
    if not any(c.role in OUTCOME_ROLES for c in chapters):  # no recognised outcome chapter: all but plans/problems
        ranges += [(c.title_end, c.end) for c in chapters if c.role not in ("plans", "problems")]
    return ranges


def plan_tasks(earlier: Reading) -> list[tuple[str, str, int, int]]:
    """(text, theme, start, end) of each plan task of the earlier report or 工作要点.

    The reader's plan tasks; a 工作要点 often numbers its tasks as headings (1．编制…清单。（牵头单位：…）), so
    in a chapter where the reader found none (every chapter of a work plan is a plan), each deepest heading is
    a task, its heading the task text."""
    found = [w for w in earlier.work_items if w.kind == "plan_task"]
    tasks = [(w.text, w.title, w.start, w.end) for w in found]
    text_chapters = [c for c in earlier.outline if c.role == "plans" or earlier.doc_kind == "work_plan"]
    for chapter in text_chapters:
        if any(chapter.start <= w.start < chapter.end for w in found):
            continue
        for sec in chapter.walk():
            if sec.children or (sec is chapter and chapter.children):
                continue
            parent = chapter.title if sec is not chapter else ""
            tasks.append((sec.title, parent, sec.title_start, sec.title_end))
    if not tasks:
        tasks = [(w.text, w.title, w.start, w.end) for w in earlier.work_items if w.kind == "plan_theme"]
    return sorted(tasks, key=lambda t: t[2])


class Matcher:
    """Matches tasks against one later report; build once, call `match` per task."""

    def __init__(self, later: Reading, *, issuers: tuple[str | None, ...] = ()):
        self.later = later
        self.places = place_words(later.metadata.issuer, *issuers)
        self.units: Units = build_units(later.clean_text, outcome_ranges(later), self.places)
        self.headings = {p for s in later.sections() for p in (s.start, s.title_start)}

    def match(self, text: str, theme: str = "", start: int = 0, end: int = 0) -> PlanMatch:
        parts = [self._match_part(p, goal) for p, goal in split_parts(text)]
        parts = [p for p in parts if p.weight > 0]
        concrete = [p for p in parts if not p.goal] or parts
        total = sum(p.weight for p in concrete)
        if total <= 0:
            return PlanMatch(text, theme, MISSING, 0.0, (), tuple(parts), start, end)
        covered = sum(p.weight for p in concrete if p.coverage >= COVERED) / total
        loose = any(p.coverage >= LOOSE for p in concrete)
        score = sum(p.weight * p.coverage for p in concrete) / total
        mostly = covered >= MOSTLY_SHARE and all(p.coverage >= LOOSE for p in concrete)
        if covered >= DONE_SHARE or mostly:
            verdict = DONE
        elif covered > 0 or loose:
            verdict = PARTLY
        else:
            verdict = MISSING
        evidence: dict[tuple[int, int], Evidence] = {}
        if verdict != MISSING:
            for p in concrete:
                if p.evidence is not None and p.coverage >= LOOSE:
                    evidence.setdefault((p.evidence.start, p.evidence.end), p.evidence)
        return PlanMatch(text, theme, verdict, score, tuple(sorted(evidence.values(), key=lambda e: e.start)),
                         tuple(parts), start, end)

    def _match_part(self, part: str, goal: bool) -> PartMatch:
        norm = normalise(part, self.places)
        weights = self._char_weights(norm)
        total = sum(weights)
        if total <= 0:
            return PartMatch(part, 0.0, goal, 0.0, None)
        keys = [(a, b) for a, b in key_objects(part) if any(weights[a:b])]
        scopes = [w for w in SCOPE_WORDS if w in part]
        best, best_unit = 0.0, None
        for u in self.units.candidates(bigrams(norm)):
            covered = _covered(norm, self.units.grams[u])
            got = sum(w for w, c in zip(weights, covered) if c) / total
            if got <= best and not keys:
                continue
            if keys:
                found = [(a, b) for a, b in keys if _share(weights, covered, a, b) >= KEY_FOUND]
                for a, b in found:  # the document or name is the same one: all of it counts
                    covered[a:b] = [True] * (b - a)
                got = sum(w for w, c in zip(weights, covered) if c) / total
                if not found:
                    got *= 0.5
            if scopes and not any(w in self.units.texts[u] for w in scopes):
                got *= SCOPE_MISSED
            if self.units.spans[u][0] in self.headings:
                got *= HEADING_DISCOUNT
            if got > best:
                best, best_unit = got, u
        evidence = None
        if best_unit is not None:
            s, e = self.units.spans[best_unit]
            evidence = Evidence(s, e, self.later.clean_text[s:e])
        return PartMatch(part, total, goal, best, evidence)

    def _char_weights(self, norm: str) -> list[float]:
        """Each character weighs the IDF of the commoner of its two bigrams (a bigram that straddles two words
        is rare for no reason; the word it belongs to is not)."""
        weight = self.units.weight
        out = []
        for i, ch in enumerate(norm):
            if ch == BLANK:
                out.append(0.0)
                continue
            around = [norm[j:j + 2] for j in (i - 1, i) if 0 <= j and j + 2 <= len(norm)
                      and BLANK not in norm[j:j + 2]]
            out.append(min(weight(g) for g in around) if around else 0.0)
        return out


def _covered(norm: str, grams: frozenset[str]) -> list[bool]:
    hit = [False] * len(norm)
    for i in range(len(norm) - 1):
        if norm[i:i + 2] in grams:
            hit[i] = hit[i + 1] = True
    return hit


def _share(weights: list[float], covered: list[bool], a: int, b: int) -> float:
    """Share of the characters of a name (each counting alike: a name is the same name as a whole) found."""
    chars = [c for w, c in zip(weights[a:b], covered[a:b]) if w > 0]
    return sum(chars) / len(chars) if chars else 0.0


def split_parts(text: str) -> list[tuple[str, bool]]:
    """The parts of a compound task, each with whether it only states an aim (or names the field)."""
    parts: list[tuple[str, bool]] = []
    folded = fold(text)
    clauses = [c.strip() for m in _CLAUSE.finditer(folded) for c in _split_and(text[m.start():m.end()])]
    clauses = [c for c in clauses if len(c) >= 2]
    merged: list[str] = []
    for clause in clauses:  # ，并向社会公布: a complement of the act before it, not an act of its own
        if merged and clause.startswith("并"):
            merged[-1] += "，" + clause
        else:
            merged.append(clause)
    clauses = merged
    for i, clause in enumerate(clauses):
        items = _list_items(clause)
        goal = (clause.startswith(GOAL_OPENERS) or _slogans(items, clause)
                or (i == 0 and len(clauses) > 1 and bool(UMBRELLA.match(clause)))
                or (i > 0 and bool(_TARGET.search(clause))))
        parts.extend((item, goal) for item in items)
    return parts


def _split_and(clause: str) -> list[str]:
    pieces = _AND.split(clause)
    if len(pieces) > 1 and all(len(normalise(p).replace(BLANK, "")) >= MIN_PART_CHARS for p in pieces):
        return pieces
    return [clause]


def _slogans(items: list[str], clause: str) -> bool:
    """强化制度供给、组织优化、数字赋能: a list of short catchwords is a slogan, not a task."""
    words = [w for w in clause.split("、") if w.strip()]
    if len(items) > 1 or len(words) < 3:
        return False
    return all(len(normalise(w).replace(BLANK, "")) <= 4 for w in words)


def _list_items(clause: str) -> list[str]:
    """A clause listing long named things (A、B、C) splits into one part each; short lists stay whole."""
    if "、" not in clause:
        return [clause]
    depth, pieces, cur = 0, [], []
    for ch in clause:
        depth += ch in "“《(（\""
        depth -= ch in "”》)）"
        if ch == "、" and depth <= 0:
            pieces.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    pieces.append("".join(cur))
    if len(pieces) > 1 and all(len(p.strip()) >= 5 for p in pieces):
        return [p.strip() for p in pieces]
    return [clause]


MAX_TASKS = 2000  # a plans chapter longer than this is not a plans chapter; the rest are left out


def follow_up(earlier: Reading, later: Reading) -> list[PlanMatch]:
    """Every plan task of `earlier` matched against the outcome chapters of `later`."""
    matcher = Matcher(later, issuers=(earlier.metadata.issuer,))
    return [matcher.match(text, theme, s, e) for text, theme, s, e in plan_tasks(earlier)[:MAX_TASKS]]
