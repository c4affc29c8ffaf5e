"""Last year's plan tasks against this year's report: a verdict, a score and evidence spans for each task.

A task is split into its parts (the clauses of a compound task; a list of named things when each is long
enough to be a task of its own). Each part is compared with every sentence of the later report's outcome
chapters (举措成效, 第一责任人 and the opening summary — never its problems or its own plans): the share of the
part's characters, weighted by how rare their bigrams are in the later report, that the sentence shares.
Document names in 《》 and quoted names must themselves be found, or the part counts only half; phrases of one
matter in other words (concepts.py) count as found. Clauses that state an aim (进一步…, 确保…) do not count when
the task has concrete parts, unless the later report gives the figure they promise (targets.py): a figure short of
its target makes the task 部分体现 at most, and so does a sentence telling of a smaller step (试点, 征求意见稿).
Whether a task is mentioned at all is decided with the heads of its words checked (监督员 is not 监督检查).
"""
from __future__ import annotations

import re
from dataclasses import replace

from desktop.followup.certainty import certainty
from desktop.followup.concepts import concept_spans
from desktop.followup.model import (
    COVERED,
    DONE,
    LOOSE,
    MISSING,
    PARTLY,
    Evidence,
    Near,
    PartMatch,
    PlanMatch,
    concrete_parts,
)
from desktop.followup.targets import reached, reported, reported_whole, short_note, targets
from desktop.followup.text import (
    BLANK,
    GOAL_OPENERS,
    UMBRELLA,
    Units,
    build_units,
    covered_chars,
    echoed_names,
    key_objects,
    name_share,
    normalise,
    place_words,
    sentence_candidates,
)
from desktop.kernel.labels import ROLE_LABELS
from desktop.report.normalise import fold
from desktop.report.model import Reading

OUTCOME_ROLES = ("achievements", "first_responsible")

DONE_SHARE = 0.75  # share of a task's concrete weight covered for 已体现 …
MOSTLY_SHARE = 0.6  # … or this much, when every other part is reported on at least loosely
MIN_PART_CHARS = 4  # a piece split off at 并 with fewer meaningful characters stays with its neighbour
SCOPE_WORDS = ("乡镇", "镇街", "街道", "村居", "社区", "基层", "企业", "学校")  # the level a task is about…
SCOPE_MISSED = 0.6  # … and the factor on a sentence that does not name it (县政府的合法性审查 ≠ 乡镇合法性审查)
HEADING_DISCOUNT = 0.9  # a body sentence beats a heading that says about as much
# 每人每年不少于60学时 after the act: the target it sets, reported with the figure reached (人均62学时)
_TARGET = re.compile(r"(?:不少于|不低于|不超过|达到|保持在?|控制在|以上|以内)[^，,]*\d|\d[^，,]*(?:以上|以内|左右)")
KEY_FOUND = 0.75  # share of a key object's characters found for the object to count as named
KEY_MISSED = 0.5  # factor on a sentence that does not name the document or quoted name the part names
_CLAUSE = re.compile(r"[^,，;；:：。！？!?]+")
_AND = re.compile(r"(?<=[\u4e00-\u9fff”》]{4})并(?=[\u4e00-\u9fff“《]{4})")  # 制定清单并开展评估: two acts


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


NEAREST = 3  # passages shown under a task


def nearby_ranges(later: Reading) -> list[tuple[int, int]]:
    """All of the later report but its own plans chapters (what it will do says nothing of what it did)."""
    plans = sorted((c.start, c.end) for c in later.outline if c.role == "plans")
    ranges, at = [], 0
    for a, b in plans:
        if a > at:
            ranges.append((at, a))
        at = max(at, b)
    return ranges + ([(at, len(later.clean_text))] if at < len(later.clean_text) else [])


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
        # the later report's shortcomings and own plans, each apart: a task said again there is worth telling
        self.elsewhere = [(c.role, build_units(later.clean_text, [(c.title_end, c.end)], self.places))
                          for c in later.outline if c.role in ("problems", "plans")]
        self.headings = {p for s in later.sections() for p in (s.start, s.title_start)}
        # where to look for the passages nearest a task: all of the later report but its own plans
        self.nearby = build_units(later.clean_text, nearby_ranges(later), self.places)

    def match(self, text: str, theme: str = "", start: int = 0, end: int = 0) -> PlanMatch:
        parts = [self._match_part(p, goal) for p, goal in split_parts(text)]
        parts = [p for p in parts if p.weight > 0]
        concrete = concrete_parts(parts)
        total = sum(p.weight for p in concrete)
        if total <= 0:
            plan = PlanMatch(text, theme, MISSING, 0.0, (), tuple(parts), start, end)
            return replace(plan, certainty=certainty(plan))
        # an effect or field the task names (，降低执法过错率) plainly reported is a mention, if not the act itself
        said = [p for p in parts if p.goal and p.named >= COVERED and not p.text.startswith(GOAL_OPENERS)]
        verdict = _verdict(parts, concrete, said)
        score = sum(p.weight * p.coverage for p in concrete) / total
        evidence = _evidence_of(parts, concrete, said) if verdict != MISSING else ()
        # named again even when 已体现: a task the later shortcomings name is not certainly done (certainty.py)
        again, again_parts = self._said_again(concrete)
        echoes = echoed_names(text, self.nearby, self.places) if verdict == MISSING else ()
        plan = PlanMatch(text, theme, verdict, score, evidence, tuple(parts), start, end, again,
                         self._nearest(concrete), echoes, again_parts)
        return replace(plan, certainty=certainty(plan))

    def _nearest(self, concrete) -> tuple[Near, ...]:
        """Up to NEAREST passages of the later report (its plans aside) covering most of the task's concrete
        parts, each scored by the share of the parts' weight it covers."""
        units, shares = self.nearby, {}
        weights_of = [(p, normalise(p.text, self.places)) for p in concrete]
        total = sum(p.weight for p in concrete)
        for p, norm in weights_of:
            weights = self._char_weights(norm)
            if sum(weights) <= 0:
                continue
            concepts = concept_spans(fold(p.text))
            cands = sentence_candidates(units, norm, concepts)
            for u, got, _covered, _factor in self._sentence_scores(p.text, norm, weights, concepts, cands, units):
                shares[u] = shares.get(u, 0.0) + got * p.weight / total
        best = sorted((u for u in shares if shares[u] > 0), key=lambda u: (-shares[u], u))[:NEAREST]
        text = self.later.clean_text
        return tuple(Near(*units.spans[u], text[slice(*units.spans[u])], min(1.0, shares[u])) for u in best)

    def _match_part(self, part: str, goal: bool) -> PartMatch:
        norm = normalise(part, self.places)
        weights = self._char_weights(norm)
        total = sum(weights)
        if total <= 0:
            return PartMatch(part, 0.0, goal, 0.0, None)
        concepts = concept_spans(fold(part))
        candidates = sentence_candidates(self.units, norm, concepts)
        best, best_unit, named = self._best_sentence(part, norm, weights, concepts, candidates)
        notes: tuple[str, ...] = ()
        step = _unfinished(part, self.units.texts[best_unit]) if best_unit is not None and best >= COVERED else ""
        if step:  # 试点, 征求意见稿: a smaller step than the task
            best = min(best, UNFINISHED)
            notes = (f"本年报告写的是“{step}”",)
        reach, figure, short = self._figure(part, candidates, best_unit if best >= COVERED else None)
        notes += short
        if reach is not None:  # the later figure for a promised one: reported, at least loosely
            floor = COVERED if reach else LOOSE
            if best < floor:
                best, best_unit = floor, figure
            named = max(named, floor)
        return PartMatch(part, total, goal, best, self._evidence(best_unit), reach, named, self._evidence(figure),
                         notes)

    def _said_again(self, parts) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Where the later report names the task again outside its outcomes ('本年报告的“不足和原因”中再次提到'), and
        the parts it names there."""
        again: set[str] = set()
        named: list[str] = []
        for p in parts:
            norm = normalise(p.text, self.places)
            concepts, weights = concept_spans(fold(p.text)), self._char_weights(norm)
            hit = False
            for role, units in self.elsewhere:
                if not (hit and role in again) and self._best_sentence(
                        p.text, norm, weights, concepts, sentence_candidates(units, norm, concepts), units)[2] >= COVERED:
                    again.add(role)
                    hit = True
            named += [p.text] if hit else []
        roles = dict.fromkeys(role for role, _ in self.elsewhere if role in again)
        return tuple(f"本年报告的“{ROLE_LABELS[role]}”中再次提到" for role in roles), tuple(named)

    def _best_sentence(self, part, norm, weights, concepts, candidates, units=None) -> tuple[float, int | None, float]:
        """The sentence covering most of the part's weight: (coverage, sentence, coverage with heads checked)."""
        units = units or self.units
        total = sum(weights)
        runs = head_runs(norm)
        best = named = 0.0
        best_unit = None
        for u, got, covered, factor in self._sentence_scores(part, norm, weights, concepts, candidates, units):
            if got > best:
                best, best_unit = got, u
            if got > named:  # the same with the heads of its words checked: is it the same matter at all?
                heads = _head_factors(norm, runs, covered, units.norm[slice(*units.spans[u])])
                named = max(named, factor * sum(w * c * h for w, c, h in zip(weights, covered, heads)) / total)
        return best, best_unit, named

    def _sentence_scores(self, part, norm, weights, concepts, candidates, units):
        """(sentence, share of the part's weight it covers, the covered characters, the factor applied) for each
        candidate sentence: the matcher's similarity of a part and a sentence."""
        total = sum(weights)
        keys = [(a, b) for a, b in key_objects(part) if any(weights[a:b])]
        scopes = [w for w in SCOPE_WORDS if w in part]
        for u in candidates:
            covered = covered_chars(norm, units.grams[u])
            for g, a, b in concepts:  # the same matter in other words (首违不罚 ~ 不予行政处罚)
                if f"\x01{g}" in units.concepts[u]:
                    covered[a:b] = [True] * (b - a)
            found = [(a, b) for a, b in keys if name_share(weights, covered, a, b) >= KEY_FOUND]
            for a, b in found:  # the document or name is the same one: all of it counts
                covered[a:b] = [True] * (b - a)
            factor = KEY_MISSED if keys and not found else 1.0
            if scopes and not any(w in units.texts[u] for w in scopes):
                factor *= SCOPE_MISSED
            if units.spans[u][0] in self.headings:
                factor *= HEADING_DISCOUNT
            yield u, factor * sum(w for w, c in zip(weights, covered) if c) / total, covered, factor

    def _figure(self, part: str, candidates: list[int], about: int | None) -> tuple[bool | None, int | None,
                                                                                   tuple[str, ...]]:
        """Whether the later report's figures reach every figure the part promises (None: none reported), the
        first sentence giving one, and a note for each figure short of its target. `about` is the sentence that
        reports the part, if one does: a 100% said there in words (全部…公开) reaches its target."""
        reach, first, short = None, None, []
        promised = targets(part)
        for target in promised:
            for u in candidates:
                value = reported(target, self.units.texts[u])
                if value is not None:
                    reach = reached(target, value) and reach is not False
                    first = u if first is None else first
                    if not reached(target, value):
                        short.append(short_note(target, value))
                    break
        if reach is None and about is not None and any(reported_whole(t, self.units.texts[about]) for t in promised):
            reach, first = True, about
        return reach, first, tuple(short)

    def _evidence(self, unit: int | None) -> Evidence | None:
        if unit is None:
            return None
        s, e = self.units.spans[unit]
        return Evidence(s, e, self.later.clean_text[s:e])

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


def _verdict(parts, concrete, said) -> str:
    """已体现 when most of the task's concrete weight is reported on (or all of it loosely, most of it plainly) and no
    promised figure is reported short; 部分体现 when any of it is, or an effect it names; else 未提及."""
    total = sum(p.weight for p in concrete)
    covered = sum(p.weight for p in concrete if p.coverage >= COVERED) / total
    mostly = covered >= MOSTLY_SHARE and all(p.coverage >= LOOSE for p in concrete)
    short = any(p.reached is False for p in parts)  # a promised figure reported short of its target
    if (covered >= DONE_SHARE or mostly) and not short:
        return DONE
    loose = bool(said) or any(p.named >= LOOSE for p in concrete)
    return PARTLY if covered > 0 or loose or short else MISSING


def _evidence_of(parts, concrete, said) -> tuple[Evidence, ...]:
    """The sentences shown for a task: each reported part's best sentence and the sentence giving its figure, once
    each, in the report's order."""
    evidence: dict[tuple[int, int], Evidence] = {}
    for p in parts:
        shown = p.coverage >= LOOSE and p in concrete or p in said
        for e in (p.evidence if shown else None, p.figure):
            if e is not None:
                evidence.setdefault((e.start, e.end), e)
    return tuple(sorted(evidence.values(), key=lambda e: e.start))


# Words with which a report says a thing is under way but not done; a task that itself says them is exempt.
# (Not 草案: a bill is one until it is passed; not 启动: 决策启动 is a step of every decision.)
UNFINISHED_WORDS = ("试点", "征求意见稿", "送审稿", "初稿", "立项", "正在", "尚未", "筹建", "初步", "部分", "调研")
UNFINISHED = 0.55  # coverage a part keeps when its sentence tells of a smaller step


def _unfinished(part: str, sentence: str) -> str:
    """The word with which the sentence tells of a smaller step than the part, or ""."""
    return next((w for w in UNFINISHED_WORDS if w in sentence and w not in part), "")


FUNCTION_CHARS = "对中的等上里内后前时为于在从向把将由及或各每之"  # never the head of the words they end
HEADLESS = 0.5  # what a run of the task counts for when its head is nowhere in the sentence


def head_runs(norm: str) -> list[tuple[int, int, int]]:
    """(start, end, head) of each run of two or more meaningful characters of a normalised task: its head is
    the position of its last character before any trailing function character (法律顾问对 -> 问)."""
    out = []
    for m in re.finditer(f"[^{BLANK}]{{2,}}", norm):
        head = m.end() - 1
        while head - m.start() > 1 and norm[head] in FUNCTION_CHARS:
            head -= 1
        out.append((m.start(), m.end(), head))
    return out


def _head_factors(norm: str, runs: list[tuple[int, int, int]], covered: list[bool], sentence: str) -> list[float]:
    """Chinese words end in their head: 监督员 is not named by 监督检查, 法律顾问 not by 法律服务, a 工作规范 not by
    the cases handled. A run of the task whose head character the sentence lacks counts half, and the whole
    task half again when that run is its last (the thing the task makes or does)."""
    factors = [1.0] * len(norm)
    for i, (start, end, head) in enumerate(runs):
        if covered[head] or re.search(f"{re.escape(norm[head - 1])}.{{0,3}}{re.escape(norm[head])}", sentence):
            continue  # the head itself, or its last two characters a little apart (调解室 ~ 调解工作室)
        for j in range(start, end):
            factors[j] = HEADLESS
        if i == len(runs) - 1:
            factors = [f * HEADLESS for f in factors]
    return factors


def split_parts(text: str) -> list[tuple[str, bool]]:
    """The parts of a compound task, each with whether it only states an aim (or names the field)."""
    parts: list[tuple[str, bool]] = []
    folded = fold(text)
    clauses = [c.strip() for m in _CLAUSE.finditer(folded) for c in _split_and(text[m.start():m.end()])]
    clauses = [c for c in clauses if len(c) >= 2]
    merged: list[str] = []
    for clause in clauses:  # ，并向社会公布: a complement of the act before it; ，并建立…制度 is an act of its own
        if merged and clause.startswith("并") and len(normalise(clause).replace(BLANK, "")) < MIN_PART_CHARS + 2:
            merged[-1] += "，" + clause
        else:
            merged.append(clause)
    clauses = merged
    for i, clause in enumerate(clauses):
        items = _list_items(clause)
        goal = (clause.startswith(GOAL_OPENERS) or _slogans(items, clause)
                or (i == 0 and len(clauses) > 1 and bool(UMBRELLA.match(clause)))
                or (i > 0 and (bool(_TARGET.search(clause)) or clause.startswith(EFFECT_OPENERS))))
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


# After the act, a clause opening with these tells its effect or spells out its content (，减少重复检查；
# ，明确…程序), not a second act.
EFFECT_OPENERS = ("推动", "引导", "减少", "降低", "压缩", "防范", "提升", "提高", "形成", "发挥", "方便", "助力", "保障", "维护",
                  "让", "使", "明确", "严格", "规范", "统一", "做到", "做好", "更好", "及时")
_PREPOSITION = ("从", "在", "对", "向", "由", "按", "经", "通过", "依托", "结合")  # 从人大代表、政协委员中聘请…
_SHARED_TAIL = re.compile(r"(?:专项整治|专项行动|专项治理|专项检查|活动|行动|培训|宣传|整治|治理)$")
_LEVELS = re.compile(r"[省市县区乡镇村]、[省市县区乡镇村]")  # 省、市两级: one list of levels, not two tasks


def _list_items(clause: str) -> list[str]:
    """A clause listing long named things (A、B、C) splits into one part each; short lists stay whole, and so
    does a list inside a prepositional phrase or a list of levels of government."""
    if "、" not in clause or clause.lstrip().startswith(_PREPOSITION) or _LEVELS.search(clause):
        return [clause]
    depth, quoted, pieces, cur = 0, False, [], []
    for ch in clause:
        depth += ch in "“《(（"
        depth -= ch in "”》)）"
        quoted ^= ch == '"'  # a straight quote opens and closes
        if ch == "、" and depth <= 0 and not quoted:
            pieces.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    pieces.append("".join(cur))
    if _SHARED_TAIL.search(pieces[-1]) and not _SHARED_TAIL.search(pieces[0]):
        return [clause]  # 开展乱搭乱建、违法占用耕地专项整治: one 专项整治 of two matters
    if len(pieces) > 1 and all(len(p.strip()) >= 5 for p in pieces):
        return [p.strip() for p in pieces]
    return [clause]


MAX_TASKS = 2000  # a plans chapter longer than this is not a plans chapter; the rest are left out


def follow_up(earlier: Reading, later: Reading) -> list[PlanMatch]:
    """Every plan task of `earlier` matched against the outcome chapters of `later`."""
    matcher = Matcher(later, issuers=(earlier.metadata.issuer,))
    return [matcher.match(text, theme, s, e) for text, theme, s, e in plan_tasks(earlier)[:MAX_TASKS]]
