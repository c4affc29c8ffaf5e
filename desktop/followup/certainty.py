"""Which follow-up verdicts are certain (确定) and why; the rest wait for the reviewer (待确认).

The matcher reads words, so most of its verdicts are a proposal. A verdict is certain only where the evidence
makes it so, and then it always carries its reason:
  * 未提及 — the later report names the task again in its shortcomings or its own plans (so the unit itself
    says it is still to do) and nowhere in its outcomes; or nothing in its outcomes is near the task (its closest
    sentence shares less than about a third of it) and the names the task gives in quotes or 《》 are nowhere in
    the later report either (“吹哨” told in other words);
  * 部分体现 — a promised figure was compared and falls short, the figure being the same count (not this year's
    新增 against a promised total, no other figure of the sentence reaching the target); or the sentence that
    reports the task tells of a smaller step (试点, 征求意见稿) in the clause that names the task's own object
    (one part reported and another named again in the later plans is told, but 待确认: 2 of 6 right on fresh batches);
  * 已体现 — every concrete part is found, each in a sentence that reports it as done (no word of a step short of
    it: 选址, 报审, 推进中…, unless the word is an item of a list of a document's steps: 对起草、审核…作出规定), a
    document the task names is named there, a promised whole (全覆盖, 每个, 所有) is said there of the same thing,
    the later shortcomings do not name the task, and every figure the task promises is reported and reached at the
    same level (省级 promised, 省级 said in the clause of the figure compared) — by the matcher's figure, by every
    figure of its measure word in the evidence, or for a promised 100% by words of the whole said of the same
    thing (均聘请, 无一, 人手一), and every aim of the task (提高…, 降低…) is at least loosely told of (an aim
    untold was 6 of 8 right on fresh batches).
  * and never, whatever the verdict, where the evidence names a noun of the task (经费, 专家库, 清单, 平台…) only
    with another qualifier or level (人民调解专项经费 for 法治宣传专项经费, 市级 for 省级; qualifiers.py), or where a
    clause read as the act's effect still makes a thing (，明确…清单) that its evidence does not report.
The thresholds were chosen on the labelled batches 1–8 of tests/followup_pairs only (README: the held-out
figures), and kinds of reason are kept by how they did on each fresh batch at its first scoring
(tests/bench/certainty_cv.py); do not tune them on a batch that is to be scored.
"""
from __future__ import annotations

import re

from desktop.followup.qualifiers import figure_clash, made_thing, qualifier_clash
from desktop.followup.model import COVERED, DONE, LOOSE, MISSING, PARTLY, Certainty, PlanMatch, concrete_parts
from desktop.followup.targets import figures_at, reached, reported_at, short_note, targets
from desktop.followup.text import ACTS, BLANK, EFFECT_OPENERS, bigrams, key_objects, normalise, synonymised
from desktop.kernel.labels import ROLE_LABELS
from desktop.report.normalise import fold

NOTHING_NEAR = 0.35  # a 未提及 whose nearest sentence in the outcomes shares less than this (about a third) is certain
DONE_NAMED = 0.15  # every concrete part of a certain 已体现 is named (heads of its words checked) at least this much
NAME_FOUND = 0.6  # share of a named document's (or quoted name's) bigrams its evidence sentence must hold …
TITLE_FOUND = 0.5  # … or a title in 《》 or quotes there must hold
STEP_ABOUT = 0.4  # share of a part's words the clauses with a step word (试点) must hold to be about it
# Words telling that a thing is on its way, not done; a task that itself says them is exempt.
STAGE_WORDS = ("选址", "报审", "审定", "送审", "起草", "拟定", "筹备", "筹建", "启动", "着手", "前期", "谋划", "调研",
               "扎实推进", "稳步推进", "有序推进", "加快推进", "积极推进", "正在", "推进中", "持续实施", "继续实施",
               "逐步", "部分", "试点", "初步", "计划", "拟于", "争取", "尚未", "尚需", "仍需", "未完成", "未能")
_LEVELS = ("国家级", "全国", "省级", "市级", "县级", "区级", "乡镇级")
_CLAUSE_SPLIT = re.compile(r"[，,；;。！？!?]")
# A task promising the whole of something (实地督察全覆盖, 每个社区1处) …
_WHOLE_PROMISED = re.compile(r"全覆盖|全部|所有|每个|每一")
# … and a later clause saying the whole was reached (人均, 平均 are not 均).
_WHOLE_SAID = re.compile(r"全覆盖|覆盖全|全部|所有|每个|每一|逐一|无一|一律|全员|人手一|100%|百分之百|(?<![人平年])均(?!衡)")
# Words before a later figure telling it counts only this year's new ones (新增9项), not the total promised.
_INCREMENT = re.compile(r"新增|新建|新创建|新培育|新设|新聘|新认定|本年新|今年新|当年新|全年新")
_TOTAL = re.compile(r"累计|总数|总量|共计|合计|总计|达到|增至|增加到|提高到|扩大到|实现")
_NEW_TASK = re.compile(_INCREMENT.pattern + r"|创建|建成|建立|培育|举办|开展|组织|完成")  # a task's count of new ones
WEAK_STEPS = ("调研", "部分")  # 带队赴县调研, 部分乡镇: an activity or a share, not a stage the task stopped at
_GROUND = re.compile(r"在[^，,；;。]{0,24}基础上")  # 在上年试点基础上: what the step led to follows, not the step
# A task part whose only words are these says where, not what (实现乡镇全覆盖).
SCOPE_GRAMS = frozenset({"乡镇", "镇街", "街道", "村居", "社区", "基层", "企业", "学校", "部门", "单位", "县区", "区县"})
_PROBLEMS = f"“{ROLE_LABELS['problems']}”"
# Words naming a document a task makes (办法, 细则…), and titles, whose own words are checked by _name_doubt.
DOCUMENT_WORDS = ("办法", "规定", "细则", "规则", "指引", "指南", "条例", "规程", "实施意见", "实施方案", "工作方案")
_TITLES = re.compile(r"《[^》]*》|“[^”]*”")
_THING_MEASURES = ("个", "家", "所", "名", "项", "件", "处", "部", "篇", "户")  # followed by the thing they count


def certainty(plan: PlanMatch) -> Certainty:
    """Whether the matcher's verdict on one task can stand without the reviewer, and why."""
    if plan.verdict == MISSING:
        return _missing(plan)
    if plan.verdict == PARTLY:
        return _partly(plan)
    if plan.verdict == DONE:
        return _done(plan)
    return Certainty(False, "")


def _missing(plan: PlanMatch) -> Certainty:
    if not plan.parts:  # nothing but generic words (推进法治政府建设): nothing to look for, nothing to be sure of
        return Certainty(False, "安排没有可比对的具体内容，请对照本年报告确认")
    if plan.again:
        where = "、".join(a.replace("本年报告的", "").replace("中再次提到", "") for a in plan.again)
        return Certainty(True, f"举措成效中没有报告，且本年报告在{where}中再次提到这项安排")
    nearest = max((p.coverage for p in plan.parts), default=0.0)
    if nearest < NOTHING_NEAR and plan.echoes:  # a low overlap, but the task's own name is used: told in other words?
        return Certainty(False, f"举措成效中最相近的一句只有 {nearest:.0%} 相符，但本年报告用到了“{_clip(plan.echoes[0])}”"
                                "中的字样，可能换了说法，请对照下方的相近段落确认")
    if nearest < NOTHING_NEAR:
        names = [fold(plan.text)[a:b] for a, b in key_objects(plan.text)]
        absent = f"，也没有提到“{_clip(names[0])}”" if names else ""
        return Certainty(True, f"本年报告的举措成效中没有相近的表述（最相近的一句只有 {nearest:.0%} 相符）{absent}")
    return Certainty(False, f"举措成效中有相近的表述（最相近的一句 {nearest:.0%} 相符），请对照下方的相近段落确认")


def _partly(plan: PlanMatch) -> Certainty:
    """Certain when a promised figure is compared with the same count and falls short, or a smaller step (试点) is
    told of the task's own object; only the notes that hold are given as the reason."""
    sure: list[str] = []
    doubts: list[str] = []
    for p in plan.parts:
        for note in p.notes:
            if "：安排" in note:  # a figure short of its target: the notes of the part's figures, rechecked
                note, doubt = _figure_doubt(p)
            else:
                doubt = _step_doubt(p, note)
            (doubts if doubt else sure).append(doubt or note)
    sure = list(dict.fromkeys(sure))
    if sure:
        figures = [n for n in sure if "：安排" in n]
        return Certainty(True, ("数字目标未达到：" + "；".join(figures)) if figures else "；".join(sure))
    if doubts:
        return Certainty(False, "；".join(dict.fromkeys(doubts)))
    split = _found_and_left(plan)
    if split:  # held on every tuning batch, 2 of 6 right on the fresh ones: the part named again may be a next step
        return Certainty(False, split + "，请确认")
    return Certainty(False, plan.why or "只有部分内容有依据，请确认")


def _found_and_left(plan: PlanMatch) -> str:
    """Why a task is certainly 部分体现 with one part done and another not: a part plainly reported (more than a
    scope, any document it names named), and another the outcomes do not report that the later report names again
    in its shortcomings or its own plans — the unit itself says that part is still to do. "" when there are none."""
    concrete = concrete_parts(plan.parts)
    found = [p for p in concrete if p.coverage >= COVERED and p.named >= COVERED and not p.notes
             and p.text not in plan.again_parts and _content_grams(p.text) - SCOPE_GRAMS and not _name_doubt([p])
             and not _qualifier_doubt([p], plan.text)]
    effects = [p for p in plan.parts[1:] if p.text.startswith(EFFECT_OPENERS) and p not in _made_in_effect(plan.parts)]
    left = [p for p in concrete if p.coverage < LOOSE and p.text in plan.again_parts and p not in effects]
    if not (found and left):
        return ""
    where = "、".join(a.replace("本年报告的", "").replace("中再次提到", "") for a in plan.again)
    return (f"“{_clip(found[0].text)}”有明确依据；“{_clip(left[0].text)}”举措成效中没有报告，"
            f"本年报告在{where}中再次提到")


def _figure_doubt(part) -> tuple[str, str]:
    """(note, doubt) for a part whose promised figure the later report gives short of it. The note to give when the
    figure counts the same thing as the target: the same kind of count (a 新增 figure is no answer to a promised
    total, a 累计 one none to a promised number of new ones, unless the sentence gives the right kind beside it) and
    no other figure of that kind and level in the sentence reaching the target (新增9项，累计达到17项)."""
    if part.figure is None:
        return "", "数字目标的依据不明确，请确认"
    sentence = synonymised(part.figure.text)
    notes = []
    for target in targets(part.text):
        at = reported_at(target, sentence)
        if at is None or reached(target, at[0]):
            continue
        clash = _figure_clash(part.text, target, _clause_at(sentence, at[1]))
        if clash:
            return "", clash + "，可能不是同一笔（同一项），请确认"
        wanted, promised = f"{target.value:g}{target.measure}", _count_kind(part.text, target)
        figures = [(v, i) for v, i in figures_at(sentence, target.measure) if not _other_level(part.text, sentence, i)]
        same = [(v, i) for v, i in figures if _kind_fits(promised, _figure_kind(sentence, i))]
        if (at[0], at[1]) not in same:
            same = [(v, i) for v, i in same if _figure_kind(sentence, i) == promised]
            if not same:
                return "", f"本年报告的 {at[0]:g}{target.measure} 与安排的 {wanted} 可能不是同一口径（新增数与总数），请确认"
        over = [v for v, i in same if reached(target, v) and not _of_a_subset(sentence, i)]
        if over:
            return "", f"依据中还有 {over[0]:g}{target.measure}，达到安排的 {wanted}，是否说的同一件事，请确认"
        notes.append(short_note(target, same[0][0] if (at[0], at[1]) not in same else at[0]))
    if not notes:  # the short figure is not in the sentence shown: nothing to state as a fact
        return "", "数字目标的依据不明确，请确认"
    return "；".join(notes), ""


def _of_a_subset(sentence: str, start: int) -> bool:
    """The figure at `start` is said of a subset (其中7个市整改率超过90%): its clause opens with 其中."""
    return _clause_at(sentence, start).lstrip().startswith("其中")


def _count_kind(task: str, target) -> str:
    """Whether a task's figure counts new ones (新建3个, 举办4期) or a total (达到10名, 实现15项), or ""."""
    for m in re.finditer(r"\d+(?:\.\d+)?" + re.escape(target.measure), synonymised(task)):
        if float(m.group(0)[:-len(target.measure)]) == target.value:
            return _figure_kind(synonymised(task), m.start(), _NEW_TASK)
    return ""


def _figure_kind(sentence: str, start: int, new=_INCREMENT) -> str:
    """"new" or "total" by the last word of either kind in the clause before a figure, else ""."""
    clause = _CLAUSE_SPLIT.split(sentence[:start])[-1]
    last = {kind: max((m.end() for m in pattern.finditer(clause)), default=-1)
            for kind, pattern in (("new", new), ("total", _TOTAL))}
    return max(last, key=lambda kind: last[kind]) if max(last.values()) >= 0 else ""


def _kind_fits(promised: str, reported: str) -> bool:
    return not promised or not reported or promised == reported


def _other_level(task: str, sentence: str, start: int) -> bool:
    """The words just before a figure name another level than the task's (区级示范校12所 for a 市级 task)."""
    before = re.split(r"[，,；;、]", sentence[:start])[-1]
    wanted = [lv for lv in _LEVELS if lv in task]
    named = [lv for lv in _LEVELS if lv in before]
    return bool(wanted and named and not set(wanted) & set(named))


def _step_doubt(part, note: str) -> str:
    """"" when the smaller step (试点, 送审稿) is told of the task itself: the part that meets it says more than a
    scope (实现乡镇全覆盖 says only where), and the clause with the step word, with the clauses either side, holds
    much of that part's words, the step word not being the ground of what was then done (在…试点基础上，实现全覆盖);
    else what to check (a 送审稿 of another document beside the word 乡镇)."""
    word = note.split("“")[-1].rstrip("”")
    doubt = f"依据中的“{word}”说的可能不是这项安排，请确认"
    grams = _content_grams(part.text)
    if word in WEAK_STEPS or part.evidence is None or not {g for g in grams if g not in SCOPE_GRAMS}:
        return doubt
    clauses = _CLAUSE_SPLIT.split(fold(part.evidence.text))
    for i, clause in enumerate(clauses):
        if word not in _GROUND.sub("", clause):
            continue
        near = bigrams(normalise("，".join(clauses[max(0, i - 1):i + 2])))
        if len(grams & near) >= STEP_ABOUT * len(grams):
            return ""
    return doubt


def _content_grams(text: str) -> set[str]:
    """The bigrams of a task part without its generic words and its verbs of making (出台, 建立, 推行…)."""
    norm = normalise(text)
    for act in ACTS:
        norm = norm.replace(act, BLANK * len(act))
    return bigrams(norm)


def _done(plan: PlanMatch) -> Certainty:
    if plan.notes:
        return Certainty(False, "；".join(plan.notes))
    concrete = concrete_parts(plan.parts)
    loose = [p for p in concrete if p.coverage < COVERED or p.named < DONE_NAMED]
    if loose:
        return Certainty(False, f"“{_clip(loose[0].text)}”的依据不够明确，请确认")
    swallowed = [p for p in _made_in_effect(plan.parts) if p.coverage < COVERED]
    if swallowed:
        return Certainty(False, f"“{_clip(swallowed[0].text)}”要形成具体成果（文件、清单或平台等），依据中没有写明，请确认")
    staged = _stage_word(plan)
    if staged:
        return Certainty(False, f"依据中写的是“{staged}”，可能尚未完成，请确认")
    if any(_PROBLEMS in a for a in plan.again):
        return Certainty(False, f"本年报告在{_PROBLEMS}中也提到这项安排，可能尚未全部完成，请确认")
    doubt = (_name_doubt(concrete) or _document_doubt(concrete) or _qualifier_doubt(concrete, plan.text)
             or _whole_doubt(plan, concrete) or _figures_doubt(plan))
    if doubt:
        return Certainty(False, doubt)
    untold = [p for p in plan.parts if p.goal and p.coverage < LOOSE]
    if untold:  # the aim not even loosely told of: the weakest certain 已体现 on fresh batches (6 of 8 right)
        return Certainty(False, f"依据中没有说到“{_clip(untold[0].text)}”，请确认")
    figures = sum(bool(targets(p.text)) for p in plan.parts)
    found = f"{len(concrete)} 项内容均有明确依据" if len(concrete) > 1 else "依据明确"
    return Certainty(True, found + (f"，{figures} 项数字目标已达到" if figures else "") + "，未见“选址”“推进中”等未完成的表述")


def _made_in_effect(parts) -> list:
    """Aims that still make a thing: a clause read as the act's effect (，明确…清单；，规范…) that names a document,
    a title or a noun of a kind a task makes (清单, 平台, 专家库: qualifiers.QUALIFIED_HEADS)."""
    return [p for p in parts if p.goal and p.reached is None and p.text.lstrip("，,；; ").startswith(EFFECT_OPENERS)
            and (made_thing(p.text) or any(w in p.text for w in DOCUMENT_WORDS) or "《" in p.text)]


def _name_doubt(concrete) -> str:
    """A document (《…办法》) or quoted name the task gives that its evidence sentence does not name: no title in
    《》 or quotes there sharing half its words (《…裁量权实施指引》 for 《…裁量基准适用细则》), nor most of them
    written out."""
    for p in concrete:
        sentence = fold(p.evidence.text) if p.evidence else ""
        titles = [sentence[a:b] for a, b in key_objects(sentence)]
        for a, b in key_objects(p.text):
            name = fold(p.text)[a:b]
            grams = {name[i:i + 2] for i in range(len(name) - 1)}
            if not grams or any(_share(grams, t) >= TITLE_FOUND for t in titles) or _share(grams, sentence) >= NAME_FOUND:
                continue
            return f"依据中没有写明“{_clip(name)}”，请确认说的是同一件事"
    return ""


def _document_doubt(concrete) -> str:
    """A document the task makes, named without 《》 (制定…目录管理办法), that its evidence sentence names no
    document of any kind for (公布…事项目录4项: the list, not the rules for it). A renamed one (规定 → 实施细则, 规程 →
    《…工作规范》) is still a document."""
    for p in concrete:
        made = [w for w in DOCUMENT_WORDS if w in _TITLES.sub("", p.text)]
        sentence = fold(p.evidence.text) if p.evidence else ""
        if made and "《" not in sentence and not any(w in sentence for w in DOCUMENT_WORDS):
            return f"安排的是制定“{made[0]}”，依据中没有写明出台了哪份文件，请确认"
    return ""


def _figure_clash(task: str, target, clause: str) -> str:
    """The clause giving a figure for `target` names what the task counts with another qualifier (qualifiers.py)."""
    return qualifier_clash(task, clause) or figure_clash(target.label or task, target.before, clause)


def _qualifier_doubt(concrete, task: str = "") -> str:
    """A noun of the task named in its evidence only with another qualifier (人民调解经费 for 法治宣传经费); a part's
    bare noun (选聘监督员30名) takes its qualifier from the rest of the task (组建…行政执法监督员队伍)."""
    for p in concrete:
        for e in (p.evidence, p.figure):
            clash = qualifier_clash(p.text, e.text, task) if e else ""
            if clash:
                return clash + "，请确认说的是同一件事"
    return ""


def _share(grams: set[str], text: str) -> float:
    return sum(g in text for g in grams) / len(grams)


def _whole_doubt(plan: PlanMatch, concrete) -> str:
    """A promised whole (全覆盖, 每个社区) that no clause of the evidence says of the same thing (对14个部门督察; 每个网格
    for 每个社区): the clause saying it shares a word with the task, or names the same thing right after it (每个村)."""
    clauses = [c for e in plan.evidence for c in _CLAUSE_SPLIT.split(fold(e.text)) if _WHOLE_SAID.search(c)]
    for p in concrete:
        promised = _WHOLE_PROMISED.search(p.text)
        if not promised:
            continue
        words = bigrams(normalise(_WHOLE_PROMISED.sub("", p.text)))
        after = p.text[promised.end():promised.end() + 1]
        said = any(words & bigrams(normalise(_WHOLE_SAID.sub("", c)))
                   or after and any(c[m.end():m.end() + 1] == after for m in _WHOLE_SAID.finditer(c)) for c in clauses)
        if not said:
            return f"安排的是“{promised.group(0)}”，依据中没有写明已全部覆盖，请确认"
    return ""


def _figures_doubt(plan: PlanMatch) -> str:
    """A promised figure not reported and reached at the level promised (see _evidence_short, _level_mismatch)."""
    for p in plan.parts:
        promised = targets(p.text)
        if not promised:
            continue
        if p.reached is True and p.figure is not None:
            sentences = [p.figure.text]
        elif not (short := _evidence_short(plan, promised)):  # every figure of its measure in the evidence reaches it
            sentences = [e.text for e in plan.evidence]
        else:
            return short
        level = next(filter(None, (_level_mismatch(p.text, s) for s in sentences)), None)
        if level:
            return f"安排的是{level[0]}，本年报告的数字说的是{level[1]}，请确认"
    return ""


def _evidence_short(plan: PlanMatch, promised) -> str:
    """"" when each promised figure has figures of its measure word (次, %, 家…) in the evidence and every one
    reaches it (会前学法不少于4次 against 全年组织会前学法6次), or a promised 100% has none and the evidence says the whole
    of what it counts (负责人均出庭应诉 for 出庭应诉率100%); else what the reviewer should check (27.6% for 30%)."""
    for target in promised:
        values = [v for e in plan.evidence for v, i in figures_at(e.text, target.measure)
                  if not _counts_another(target, synonymised(e.text), i)
                  and not qualifier_clash(target.label, _clause_at(synonymised(e.text), i))]
        wanted = f"{target.value:g}{target.measure}"
        if not values and not _whole_reported(plan, target):
            return f"安排的数字目标（{target.label or wanted}：{wanted}）本年报告中没有对应的数字，请确认"
        low = [v for v in values if not reached(target, v)]
        if low:
            return f"依据中的数字（{low[0]:g}{target.measure}）未达到安排的 {wanted}，是否说的同一件事，请确认"
        clash = _other_kind(plan, target)
        if clash:
            return clash + "，请确认依据中的数字说的是同一件事"
    return ""


def _other_kind(plan: PlanMatch, target) -> str:
    """A figure of the evidence with the target's measure whose clause names what the target counts with another
    qualifier (规范化司法所5个 for 智慧司法所3个): the figure that reaches the target may be of another kind."""
    for e in plan.evidence:
        sentence = synonymised(e.text)
        for _v, i in figures_at(e.text, target.measure):
            clash = figure_clash(target.label, target.before, _clause_at(sentence, i))
            if clash:
                return clash
    return ""


def _counts_another(target, sentence: str, start: int) -> bool:
    """The figure at `start` names what it counts right after its measure word (6个功能区), and that is not what the
    target counts (实践基地2个): no word in common with the target's label. Only a measure word of things (个, 家, 所…)
    is followed by what it counts; after 次 or 场 comes what was done (先后4次专题研究)."""
    if target.measure not in _THING_MEASURES:
        return False
    tail = re.match(r"\d+(?:\.\d+)?" + re.escape(target.measure) + r"([\u4e00-\u9fff]{2,4})", sentence[start:])
    if not tail:
        return False
    words = bigrams(normalise(target.label + target.before + target.after))
    return bool(words) and not words & bigrams(normalise(tail.group(1)))


def _whole_reported(plan: PlanMatch, target) -> bool:
    """A promised 100% told in words: a clause of the evidence says the whole (均, 全部, 无一, 人手一) and shares a
    word with what the target counts (its label without the rate: 出庭应诉率 -> 出庭应诉)."""
    if target.value != 100 or target.measure != "%" or target.cap:
        return False
    words = bigrams(normalise((target.label or target.before).replace("率", BLANK)))
    clauses = (c for e in plan.evidence for c in _CLAUSE_SPLIT.split(fold(e.text)))
    return bool(words) and any(_WHOLE_SAID.search(c) and words & bigrams(normalise(c)) for c in clauses)


def _stage_word(plan: PlanMatch) -> str:
    """A word of the evidence telling of a step short of done, that the task itself does not say; not one listed
    among the steps a document sets out (对起草、审核、公布…作出规定; 决策启动、公众参与…)."""
    for e in plan.evidence:
        text = fold(e.text)
        for w in STAGE_WORDS:
            if w in plan.text:
                continue
            if any(not _listed(text, m.start(), m.end()) for m in re.finditer(re.escape(w), text)):
                return w
    return ""


def _listed(text: str, start: int, end: int) -> bool:
    """The word at text[start:end] is an item of a list (A、B、C): a 、 just before or just after it."""
    return text[start - 1:start] == "、" or text[end:end + 1] == "、"


def _level_mismatch(part: str, sentence: str) -> tuple[str, str] | None:
    """(promised level, reported level) when the task's figure is for one level (省级) and the later sentence gives
    it for another (市级): the clause holding the figure compared with the target names another level (and not the
    promised one), or, where that clause names none, a clause giving a figure names only another. 6所获评省级…，
    32所获评市级…: the clause of the figure compared names 省级, and that settles it."""
    wanted = [lv for lv in _LEVELS if lv in part]
    if not wanted:
        return None
    for t in targets(part):
        at = reported_at(t, sentence)
        named = [lv for lv in _LEVELS if at and lv in _clause_at(sentence, at[1])]
        if named:
            return None if set(named) & set(wanted) else (wanted[0], named[0])
    for clause in _CLAUSE_SPLIT.split(sentence):
        named = [lv for lv in _LEVELS if lv in clause]
        if re.search(r"\d", clause) and named and not set(named) & set(wanted):
            return wanted[0], named[0]
    return None


def _clause_at(sentence: str, at: int) -> str:
    """The clause of a sentence that holds the character at `at`."""
    starts = [m.end() for m in _CLAUSE_SPLIT.finditer(sentence, 0, at)]
    end = _CLAUSE_SPLIT.search(sentence, at)
    return sentence[starts[-1] if starts else 0:end.start() if end else len(sentence)]


def _clip(text: str, n: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"
