"""The figures a plan task promises (出庭应诉率达到100%, 新创建司法所5家) and whether the later report's figure reaches them.

A figure in a plan is a target: at least that much, unless the words before it cap it (控制在, 不超过, 以内…).
The later report's figure for the same thing is one with the same measure word (%, 件, 家…) next to the same
words: the two to four characters before the target (出庭应诉率) or just after its measure word (…5家法律服务点).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.followup.text import synonymised
from desktop.report.lexicon import LEVEL_CHARS, TARGET_MEASURES
from desktop.report.normalise import fold

_MEASURES = TARGET_MEASURES
_MEASURE = "(?:" + "|".join(sorted(map(re.escape, _MEASURES), key=len, reverse=True)) + ")"
_FIGURE = re.compile(r"(\d+(?:\.\d+)?)(" + _MEASURE + ")")
_OPS = ("达到", "保持在", "保持", "稳定在", "不低于", "不少于", "至少", "超过", "提高到", "提高至", "提升到", "提升至",
        "控制在", "不超过", "不高于", "低于", "下降到", "降至", "降到", "实现", "确保", "力争", "均", "达")
_OPS_LONGEST_FIRST = tuple(sorted(_OPS, key=len, reverse=True))
_CAPS = ("控制在", "不超过", "不高于", "低于", "下降到", "降至", "降到")
_FLOORS = ("不低于", "不少于")  # end in 低于/少于 but set a floor
_AFTER_CAPS = ("以内", "以下")
_SCOPE = re.compile(rf"(?:[{LEVEL_CHARS}]|街道|社区|乡镇|(?:[省市县区]直)?部门|单位)(?:[（(、和及，,。；;]|$)|(?:[省市县区]直)?部门")
_LEAD = re.compile(r"^(?:推动|推进|实现|确保|力争|新建|新增|建成|创建|培育|举办|开展|组织|完成|全年|年内)+")
_PER = re.compile(r"(?:每年|每季度|每月|全年|年内|年均|人均|每人|每次|均|人数|数量|总数|数)+$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
NEAR_BEFORE = 10  # characters before a later figure in which the target's words must stand…
NEAR_AFTER = 6  # … or after it


@dataclass(frozen=True)
class Target:
    value: float
    measure: str
    before: str  # the words just before the figure (出庭应诉率), or ""
    after: str  # the words just after its measure word (法律服务点), or ""
    cap: bool  # True: the figure is a ceiling (控制在5%以内)
    label: str = ""  # what is counted, for people: 行政机关负责人出庭应诉率


_CLAUSE_BREAK = re.compile(r"[，,；;：:。、]")


def targets(task: str) -> list[Target]:
    """The figures a plan task sets."""
    text, original = synonymised(task), fold(task)  # the same length
    out = []
    for m in _FIGURE.finditer(text):
        head = text[max(0, m.start() - 12):m.start()]
        cap = (any(head.endswith(op) for op in _CAPS) and not head.endswith(_FLOORS)
               or text[m.end():m.end() + 2] in _AFTER_CAPS)
        head = _PER.sub("", _without_op(head))  # 会前学法每年不少于4次: the thing counted is 会前学法
        before = "".join(_CJK.findall(head[-6:]))[-4:]
        if _SCOPE.match(text, m.end()):
            continue  # 对6个县（区）开展督察: how far the task reaches, not what it promises
        tail = text[m.end():m.end() + 6]
        for word in (*_AFTER_CAPS, "以上", "左右"):
            tail = tail.removeprefix(word)
        after = "".join(_CJK.findall(tail[:4]))
        if len(before) < 2 and len(after) < 2:
            continue
        clause = _without_op(_CLAUSE_BREAK.split(original[max(0, m.start() - 24):m.start()])[-1])
        label = _LEAD.sub("", "".join(_CJK.findall(_PER.sub("", clause))))[-16:] or after
        out.append(Target(float(m.group(1)), m.group(2), before if len(before) >= 2 else "",
                          after if len(after) >= 2 else "", cap, label))
    return out


def _without_op(head: str) -> str:
    """The words before a figure without the verb that sets it (出庭应诉率达到 -> 出庭应诉率)."""
    op = next((op for op in _OPS_LONGEST_FIRST if head.endswith(op)), "")
    return head[:len(head) - len(op)]


def reported(target: Target, sentence: str) -> float | None:
    """The later figure for `target` in a sentence, or None when the sentence gives none."""
    at = reported_at(target, sentence)
    return at[0] if at else None


def reported_at(target: Target, sentence: str) -> tuple[float, int] | None:
    """The later figure for `target` in a sentence and where it starts, or None when the sentence gives none."""
    sentence = synonymised(sentence)
    for m in _FIGURE.finditer(sentence):
        if m.group(2) != target.measure:
            continue
        near_before = "".join(_CJK.findall(sentence[max(0, m.start() - NEAR_BEFORE):m.start()]))
        near_after = "".join(_CJK.findall(sentence[m.end():m.end() + NEAR_AFTER]))
        if target.before and target.before in near_before or target.after and target.after in near_after:
            return float(m.group(1)), m.start()  # the same words next to it, quotes and brackets aside (“枫桥式”)
    return None


def figures_in(sentence: str, measure: str) -> list[float]:
    """Every figure with the given measure word in a sentence (6次, 27.6%), whatever it counts."""
    return [value for value, _start in figures_at(sentence, measure)]


def figures_at(sentence: str, measure: str) -> list[tuple[float, int]]:
    """Every figure with the given measure word in a sentence, with where it starts."""
    return [(float(m.group(1)), m.start()) for m in _FIGURE.finditer(synonymised(sentence)) if m.group(2) == measure]


WHOLE = ("全部", "均已", "全覆盖", "无一", "一律")  # how a report says 100% without the figure


def reported_whole(target: Target, sentence: str) -> bool:
    """A 100% target reported in words (抽查结果全部向社会公开): the sentence must already be about the task."""
    return target.value == 100 and target.measure == "%" and not target.cap and any(w in sentence for w in WHOLE)


def reached(target: Target, value: float) -> bool:
    return value <= target.value if target.cap else value >= target.value


def short_note(target: Target, value: float) -> str:
    """出庭应诉率：安排 100%，本年 98.6%"""
    what = target.label or target.before or target.after or "数字目标"
    return f"{what}：安排 {_figure(target.value)}{target.measure}，本年 {_figure(value)}{target.measure}"


def _figure(value: float) -> str:
    return f"{value:g}"
