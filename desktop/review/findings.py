"""What a check reports: a Finding with its result, Chinese explanation and evidence spans in clean_text.

    Finding.check        check id, e.g. "required_parts", "problems.causes" (see checks.CHECK_IDS)
    Finding.title        short Chinese name of the check, for the 审阅检查 panel
    Finding.result       "pass" | "warn" | "fail" | "unknown"  (RESULT_LABELS gives 通过/提醒/未通过/无法判断)
    Finding.explanation  one or a few Chinese sentences for the reviewer
    Finding.criteria     ids of the rubric criteria this finding informs
    Finding.evidence     Evidence(start, end, quote, note) spans: clean_text[start:end] == quote
    Finding.data         machine-readable details (counts, per-section / per-task lists) — JSON-safe
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

RESULTS = ("pass", "warn", "fail", "unknown")
RESULT_LABELS = {"pass": "通过", "warn": "提醒", "fail": "未通过", "unknown": "无法判断"}
# Short Chinese name of each check id, for the panel.
TITLES = {
    "required_parts": "必备内容", "timeliness": "公开时间", "data": "成效数据",
    "problems.count": "问题数量", "problems.boilerplate": "问题套话", "problems.causes": "问题原因",
    "problems.answered": "问题与安排对应", "plans.measurable": "安排可衡量", "plans.rates": "比率无目标值",
    "indicators.recompute": "比率复算", "indicators.change_unit": "百分点表述",
    "first_responsible": "第一责任人履职",
}


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    quote: str
    note: str = ""  # why this span is cited, e.g. "无数据" or "套话：有待进一步"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    check: str
    title: str
    result: str
    explanation: str
    criteria: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.result not in RESULTS:
            raise ValueError(f"bad result {self.result!r}")

    @property
    def label(self) -> str:
        return RESULT_LABELS[self.result]

    def to_dict(self) -> dict:
        return {
            "check": self.check, "title": self.title, "result": self.result, "label": self.label,
            "explanation": self.explanation, "criteria": list(self.criteria),
            "evidence": [e.to_dict() for e in self.evidence], "data": self.data,
        }


def evidence(text: str, start: int, end: int, note: str = "") -> Evidence:
    """An Evidence span quoting text[start:end]."""
    return Evidence(start, end, text[start:end], note)


def summary(findings) -> str:
    """One line: counts by result, e.g. "通过 3，提醒 2，未通过 1，无法判断 1"."""
    counts = {r: 0 for r in RESULTS}
    for f in findings:
        counts[f.result] += 1
    return "，".join(f"{RESULT_LABELS[r]} {counts[r]}" for r in RESULTS)
