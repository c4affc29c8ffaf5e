"""Which follow-up verdicts are certain (确定) and why; the rest wait for the reviewer (待确认).

The matcher reads words, so most of its verdicts are a proposal. A verdict is certain only where the evidence
makes it so, and then it always carries its reason:
  * 未提及 — the later report names the task again in its shortcomings or its own plans (so the unit itself
    says it is still to do) and nowhere in its outcomes; or nothing in its outcomes is near the task at all;
  * 部分体现 — a promised figure was compared and falls short, or the sentence that reports the task tells of a
    smaller step (试点, 征求意见稿);
  * 已体现 — every concrete part is found, each in a sentence that reports it as done (no word of a step short of
    it: 选址, 报审, 推进中…), and every figure the task promises is reported and reached at the same level
    (省级 promised, 省级 reported) — by the matcher's figure, or by every figure of its measure word in the evidence.
The thresholds were chosen on the labelled batches 1–4 of tests/followup_pairs only (README: the held-out
figures); do not tune them on a batch that is to be scored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.followup.matcher import COVERED, DONE, MISSING, PARTLY, PlanMatch, concrete_parts
from desktop.followup.targets import figures_in, reached, targets

NOTHING_NEAR = 0.25  # a 未提及 whose nearest sentence in the outcomes shares less than this is certain
DONE_NAMED = 0.5  # every concrete part of a certain 已体现 is named (heads of its words checked) at least half
# Words telling that a thing is on its way, not done; a task that itself says them is exempt.
STAGE_WORDS = ("选址", "报审", "审定", "送审", "起草", "拟定", "筹备", "筹建", "启动", "着手", "前期", "谋划", "调研",
               "扎实推进", "稳步推进", "有序推进", "加快推进", "积极推进", "正在", "推进中", "持续实施", "继续实施",
               "逐步", "部分", "试点", "初步", "计划", "拟于", "争取")
_LEVELS = ("国家级", "全国", "省级", "市级", "县级", "区级", "乡镇级")
_CLAUSE_SPLIT = re.compile(r"[，,；;。！？!?]")


@dataclass(frozen=True)
class Certainty:
    certain: bool
    reason: str  # why the verdict is certain, or what the reviewer should look at; never empty when certain


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
    if nearest < NOTHING_NEAR:
        return Certainty(True, f"本年报告的举措成效中没有相近的表述（最相近的一句只有 {nearest:.0%} 相符）")
    return Certainty(False, f"举措成效中有相近的表述（最相近的一句 {nearest:.0%} 相符），请对照下方的相近段落确认")


def _partly(plan: PlanMatch) -> Certainty:
    short = [n for p in plan.parts if p.reached is False for n in p.notes if "：安排" in n]
    if short:
        return Certainty(True, "数字目标未达到：" + "；".join(dict.fromkeys(short)))
    if plan.notes:
        return Certainty(True, "；".join(plan.notes))
    return Certainty(False, plan.why or "只有部分内容有依据，请确认")


def _done(plan: PlanMatch) -> Certainty:
    if plan.notes:
        return Certainty(False, "；".join(plan.notes))
    concrete = concrete_parts(plan.parts)
    loose = [p for p in concrete if p.coverage < COVERED or p.named < DONE_NAMED]
    if loose:
        return Certainty(False, f"“{_clip(loose[0].text)}”的依据不够明确，请确认")
    staged = _stage_word(plan)
    if staged:
        return Certainty(False, f"依据中写的是“{staged}”，可能尚未完成，请确认")
    for p in plan.parts:
        promised = targets(p.text)
        if not promised:
            continue
        if p.reached is True and p.figure is not None:
            sentences = [p.figure.text]
        elif not (short := _evidence_short(plan, promised)):  # every figure of its measure in the evidence reaches it
            sentences = [e.text for e in plan.evidence]
        else:
            return Certainty(False, short)
        level = next(filter(None, (_level_mismatch(p.text, s) for s in sentences)), None)
        if level:
            return Certainty(False, f"安排的是{level[0]}，本年报告的数字说的是{level[1]}，请确认")
    figures = sum(bool(targets(p.text)) for p in plan.parts)
    found = f"{len(concrete)} 项内容均有明确依据" if len(concrete) > 1 else "依据明确"
    return Certainty(True, found + (f"，{figures} 项数字目标已达到" if figures else "") + "，未见“选址”“推进中”等未完成的表述")


def _evidence_short(plan: PlanMatch, promised) -> str:
    """"" when each promised figure has figures of its measure word (次, %, 家…) in the evidence and every one
    reaches it (会前学法不少于4次 against 全年组织会前学法6次); else what the reviewer should check (27.6% for 30%)."""
    for target in promised:
        values = [v for e in plan.evidence for v in figures_in(e.text, target.measure)]
        wanted = f"{target.value:g}{target.measure}"
        if not values:
            return f"安排的数字目标（{target.label or wanted}：{wanted}）本年报告中没有对应的数字，请确认"
        low = [v for v in values if not reached(target, v)]
        if low:
            return f"依据中的数字（{low[0]:g}{target.measure}）未达到安排的 {wanted}，是否说的同一件事，请确认"
    return ""


def _stage_word(plan: PlanMatch) -> str:
    """A word of the evidence telling of a step short of done, that the task itself does not say."""
    for e in plan.evidence:
        for w in STAGE_WORDS:
            if w in e.text and w not in plan.text:
                return w
    return ""


def _level_mismatch(part: str, sentence: str) -> tuple[str, str] | None:
    """(promised level, reported level) when the task's figure is for one level (省级) and the clause of the later
    sentence that gives a figure names only another (市级)."""
    wanted = [lv for lv in _LEVELS if lv in part]
    if not wanted:
        return None
    for clause in _CLAUSE_SPLIT.split(sentence):
        if not re.search(r"\d", clause):
            continue
        named = [lv for lv in _LEVELS if lv in clause]
        if named and not any(lv in named for lv in wanted):
            return wanted[0], named[0]
    return None


def _clip(text: str, n: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"
