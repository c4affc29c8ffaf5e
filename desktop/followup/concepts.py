"""Government wording that says the same thing in words of different lengths (首违不罚 / 不予行政处罚清单).

The synonyms in `text.SYNONYMS` are pairs of two-character verbs, swapped in place; the groups here are
phrases, so they are matched as concepts instead: a task's phrase counts as found in a sentence that holds any
phrase of the same group. Each group is one matter, worded as reports word it; a group never joins two
matters that a reviewer would tell apart (行政执法监督员 and 监督检查 are not one).
"""
from __future__ import annotations

import re

CONCEPTS: tuple[tuple[str, ...], ...] = (
    # no penalty for a first, minor offence
    ("首违不罚", "首违免罚", "轻微违法不罚", "轻微免罚", "免罚清单", "不予行政处罚", "不予处罚", "从轻减轻",
     "包容审慎"),
    # the Party committee or government deliberating rule-of-law work
    ("听取(?=[^，。；]{0,16}汇报)", "汇报", "专题研究", "研究部署", "专题会议", "研究法治", "审议法治"),
    # checking a document or decision for legality
    ("合法性审查", "合法性审核", "法制审核", "合法性把关"),
    # services done on line
    ("一网通办", "全程网办", "网上办理", "网上可办", "掌上办", "一网办", "网办率", "全流程网办"),
    # publicity and teaching of the law
    ("普法", "法治宣传", "法治宣讲", "法律宣传", "送法"),
    # officials reporting on their own rule-of-law duties
    ("述法", "述职述法", "年终述法"),
    # discretion standards in penalties
    ("裁量基准", "裁量权基准", "裁量标准", "自由裁量"),
    # random inspections
    ("双随机", "随机抽查", "随机抽取"),
    # enforcement without going on site
    ("非现场执法", "非现场监管", "远程监管", "在线监测", "在线监控", "远程监控", "智能监控", "远程执法", "非现场"),
    # a clean-up of documents, reported by what it repealed or changed
    ("清理", "废止", "宣布失效", "失效"),
    # fewer certificates demanded of citizens
    ("无证明", "减证", "免证", "取消证明", "免于提交证明"),
    # the three enforcement systems
    ("三项制度", "执法公示", "全过程记录", "法制审核制度"),
    # skills contests of enforcement staff
    ("大练兵", "大比武", "练兵比武", "岗位练兵", "技能竞赛"),
    # legislation plans and projects
    ("立法计划", "立法项目", "审议项目", "立法审议", "调研项目"),
    # document kinds: a 规定 promised may be issued as an 办法 or 细则
    ("规定", "办法", "细则", "指引", "规程", "标准(?!化)", "准则", "导则", "指南"),
    # the evaluation of rule-of-law work
    ("考核", "考评", "评估", "测评"),
    # filing documents for review
    ("备案审查", "报备", "备案"),
    # enforcement certificates
    ("执法证", "执法资格", "执法证件"),
    # demonstration sites
    ("示范创建", "示范市", "示范县", "示范区", "示范项目", "示范单位", "示范点"),
    # must-know law for officials
    ("应知应会", "学法清单"),
    # major administrative decisions
    ("重大行政决策", "重大决策"),
    # open government
    ("政务公开", "信息公开"),
    # a campaign on one matter
    ("专项整治", "专项行动", "专项治理", "集中整治"),
    # names reports shorten
    ("法律援助", "法援"),
    ("综合行政执法", "综合执法"),
    ("人力资源和社会保障", "人社"),
    ("市场监督管理", "市场监管"),
    ("行政规范性文件", "规范性文件"),
    # supervision graded by credit
    ("分级分类", "信用等级", "差异化监管"),
    # one visit for several inspections
    ("综合查一次", "进一次门", "联合检查", "跨部门联合执法"),
    # one window for a citizen's matter
    ("一站式", "一窗受理", "一站化", "一站办"),
    # conflicts settled before they reach the courts
    ("诉源治理", "诉前调解", "诉调对接"),
)

# Members are regular expressions (a few carry a look-ahead); the longest is tried first.
_PATTERNS = tuple(re.compile("|".join(sorted(g, key=len, reverse=True))) for g in CONCEPTS)


def concept_spans(folded: str) -> list[tuple[int, int, int]]:
    """(group, start, end) of every concept phrase in width-folded text."""
    return [(g, m.start(), m.end()) for g, pattern in enumerate(_PATTERNS) for m in pattern.finditer(folded)]


def concept_keys(folded: str) -> frozenset[str]:
    """The groups named in a text, as keys that cannot clash with character bigrams."""
    return frozenset(f"\x01{g}" for g, pattern in enumerate(_PATTERNS) if pattern.search(folded))
