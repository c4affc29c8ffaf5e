"""How the letter words a check's finding for the unit (not the checker's wording), and what it suggests."""
from __future__ import annotations

import re

from desktop.review.structure import PART_NAMES

# Characters XML 1.0 does not allow (controls, lone surrogates, U+FFFE/U+FFFF): Word refuses the file.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
QUOTE_LIMIT = 120  # characters of a quote printed in a letter; the rest is elided


def clean(text) -> str:
    """Text a .docx can hold: XML-illegal characters removed, edges stripped (None -> "")."""
    if text is None:
        return ""
    return _ILLEGAL_XML.sub("", str(text)).strip()


def short_quote(text, limit: int = QUOTE_LIMIT) -> str:
    """A quote for a letter: one line, at most `limit` characters, the cut marked with ……."""
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 2].rstrip() + "……"


def _list(items, n: int = 3, sep: str = "、") -> str:
    items = [i for i in items if i]
    head = sep.join(items[:n])
    return head + ("等" if len(items) > n else "")


def _titled(paths, sections: dict[str, str]) -> list[str]:
    return [f"“{sections[p]}”" if p in sections else p for p in paths]


def problem_text(finding, sections: dict[str, str]) -> str | None:
    """The 存在的主要问题 sentence for a 未通过/提醒 finding, addressed to the unit; None when not applicable."""
    if finding.result not in ("fail", "warn"):
        return None
    words = _PROBLEMS.get(finding.check)
    if words is None:
        return None
    return words if isinstance(words, str) else words(finding.result == "fail", finding.data or {}, sections)


def _missing_parts(fail: bool, d: dict, sections) -> str:
    if fail:
        names = "、".join(f"“{PART_NAMES.get(p, p)}”" for p in d.get("missing", []))
        return f"报告缺少{names}等法定内容，要素不完整。"
    parts = [p for p, v in d.get("parts", {}).items() if v.get("level") == "section" and p in PART_NAMES]
    names = "、".join(f"“{PART_NAMES[p]}”" for p in parts) or "部分必备内容"
    return f"{names}没有单独成章，报告结构不够清晰。"


def _late(fail: bool, d: dict, sections) -> str:
    published = d.get("published") or ""
    deadline = d.get("deadline") or ""
    return f"报告公开时间（{_cn_date(published)}）晚于规定的{_cn_date(deadline)}前向社会公开的时限。"


def _no_data(fail: bool, d: dict, sections) -> str:
    empty = [s.get("title") for s in d.get("sections", []) if not s.get("figures")]
    if fail or not empty:
        return "主要举措和成效部分以罗列工作为主，缺少数据和典型案例支撑。"
    return f"{_list(['“' + t + '”' for t in empty])}部分只列工作名称，缺少数据和典型案例支撑。"


def _few_problems(fail: bool, d: dict, sections) -> str:
    return f"查摆问题仅{d.get('count', '少数')}个，问题查摆不够全面、深入。"


def _no_causes(fail: bool, d: dict, sections) -> str:
    missing = _titled(d.get("without_causes", []), sections)
    if fail or not missing:
        return "对存在的不足只描述现象，未深入分析产生问题的原因。"
    return f"{_list(missing)}等问题未写明原因，原因分析不够到位。"


def _unanswered(fail: bool, d: dict, sections) -> str:
    missing = _titled(d.get("unanswered", []), sections)
    return f"{_list(missing) or '部分问题'}在下一年度工作安排中没有对应的改进措施，问题与整改举措衔接不够。"


def _rates_without_targets(fail: bool, d: dict, sections) -> str:
    names = [n for r in d.get("rates", []) for n in r.get("names", [])]
    return f"工作安排提出提升{_list(names, 4)}，但未明确目标值。"


def _recomputed(fail: bool, d: dict, sections) -> str:
    bad = [c for c in d.get("checked", []) if not c.get("ok")]
    listed = _list([f"{c.get('name') or ''}{c.get('rate')}" for c in bad])
    return f"部分数据前后不一致（如{listed}与同段数量计算结果不符），请核实。"


# check id -> the sentence, or a function (failed?, the finding's data, section titles) -> the sentence
_PROBLEMS = {
    "required_parts": _missing_parts,
    "timeliness": _late,
    "data": _no_data,
    "problems.count": _few_problems,
    "problems.boilerplate": "存在的不足多用“有待进一步加强”“有待提升”等概括性表述，问题不够具体，针对性不强。",
    "problems.causes": _no_causes,
    "problems.answered": _unanswered,
    "plans.measurable": "下一年度主要安排多用“推进”“加强”“深化”等表述，部分任务缺少量化目标、完成时限或责任单位，不便跟踪落实。",
    "plans.rates": _rates_without_targets,
    "indicators.recompute": _recomputed,
    "indicators.change_unit": "部分比率的增减以“%”表述，应使用“个百分点”，请核实修改。",
    "first_responsible": "党政主要负责人履行推进法治建设第一责任人职责情况写得较为笼统，缺少召开会议、专题述法、学法培训等具体履职情况和数据。",
}


_SUGGESTIONS = {
    "required_parts": "对照《法治政府建设与责任落实督察工作规定》第二十五条、第二十六条，补齐报告法定内容，按四个部分分章撰写。",
    "timeliness": "严格落实年度报告于每年4月1日前通过报刊、网站等向社会公开的要求。",
    "data": "用具体数据、典型案例反映工作成效，避免只列工作名称；数据应准确、可核对。",
    "problems.count": "坚持问题导向，全面、深入查摆法治政府建设中存在的不足。",
    "problems.boilerplate": "问题表述要具体，避免套话，写清问题表现在哪些领域、哪些环节。",
    "problems.causes": "逐项分析问题产生的原因，从思想认识、体制机制、能力保障等方面剖析深层次原因。",
    "problems.answered": "针对查摆出的每个问题在下一年度主要安排中提出对应的整改措施，做到问题与举措一一对应。",
    "plans.measurable": "下一年度主要安排应明确量化目标、完成时限和责任单位，便于跟踪督办。",
    "plans.rates": "对工作安排中提出的各项比率明确目标值。",
    "indicators.recompute": "对报告中的数据逐项核对，确保比率与相关数量一致。",
    "indicators.change_unit": "比率的增减统一使用“个百分点”表述。",
    "first_responsible": "充实党政主要负责人履行第一责任人职责情况，写明召开会议、专题述法、学法培训等具体履职情况和次数、人数等数据。",
}
RECTIFY_SUGGESTION = "对本意见所列需整改事项逐项整改，在整改清单中填写整改情况，按时报送。"
VERIFY_SUGGESTION = "对本意见所列需核实事项逐项核实，有误的予以更正。"


def suggestion_text(finding) -> str | None:
    """The 修改完善建议 that answers a 未通过/提醒 finding."""
    if finding.result not in ("fail", "warn"):
        return None
    return _SUGGESTIONS.get(finding.check)


_STRENGTHS = {
    "required_parts": "内容要素齐全",
    "timeliness": "按时向社会公开",
    "data": "主要举措和成效有数据支撑",
    "problems.causes": "问题原因分析较为到位",
    "problems.answered": "下一年度安排与存在的问题对应较好",
    "plans.measurable": "下一年度安排目标明确、便于落实",
    "first_responsible": "第一责任人履职情况较为具体",
}


def overall_text(findings, unit_kind: str = "报告") -> str:
    """A sentence of 总体评价 from the checks that passed (the reviewer edits it)."""
    good = [_STRENGTHS[f.check] for f in findings if f.result == "pass" and f.check in _STRENGTHS]
    weak = sum(1 for f in findings if f.result in ("fail", "warn"))
    if good:
        head = f"{unit_kind}{'，'.join(good)}"
    else:
        head = f"{unit_kind}基本反映了推进法治政府建设的情况"
    tail = "，但在以下方面还需修改完善。" if weak else "，总体较好。"
    return head + tail


def verdict(normalised: float) -> str:
    """A short verdict for a criterion's score (0–1 on its scale)."""
    if normalised >= 0.85:
        return "较好"
    if normalised >= 0.7:
        return "良好，仍有提升空间"
    if normalised >= 0.5:
        return "基本符合要求，需进一步完善"
    return "差距较大，需重点改进"


def _cn_date(iso: str) -> str:
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", iso or "")
    return f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日" if m else (iso or "规定时间")
