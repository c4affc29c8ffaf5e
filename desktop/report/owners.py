"""Owner and deadline labels of a plan task (责任单位, 配合单位, 完成时限…) and the lines and notes that give them."""
from __future__ import annotations

import re

OWNER_LABELS = {"责任单位": "lead", "牵头单位": "lead", "责任部门": "lead", "牵头部门": "lead", "主责单位": "lead",
                "责任处室": "lead", "牵头处室": "lead", "责任科室": "lead", "牵头科室": "lead",
                "牵头": "lead", "配合处室": "partner", "配合科室": "partner", "配合单位": "partner", "协办单位": "partner", "参与单位": "partner", "配合部门": "partner",
                "协同单位": "partner", "协同部门": "partner", "协同": "partner", "配合": "partner",
                "完成时限": "deadline", "完成时间": "deadline", "时间节点": "deadline", "时限要求": "deadline"}
OWNER_ALT = "|".join(sorted(OWNER_LABELS, key=len, reverse=True))
# A line that gives owners: '（责任单位：市司法局）', '牵头单位：…', '〔配合单位〕…'.
OWNER_LINE = re.compile(r"^[（(〔]?(" + OWNER_ALT + r")(?:[：:]|〕)")
# An owner note in brackets right after an item's ；or 。 on the item's line: '1．修订…；（牵头单位：…，配合单位：…）'.
OWNER_NOTE = re.compile(r"(?<=[；;。])\s*[（(]\s*(?:" + OWNER_ALT + r")[：:](?:[^（）()\n]|[（(][^（）()\n]{0,20}[）)])*[）)]")
# Where the owners start inside a line.
OWNERS_FROM = re.compile(r"[（(〔]?\s*(?:" + OWNER_ALT + r")(?:[：:]|〕)")
# A value runs to the next label ('牵头单位：市司法局，协同单位：各区政府') or to ；/）.
_OWNER_PART = re.compile(r"(" + OWNER_ALT + r")(?:[：:]|〕)\s*((?:（[^（）\n]{0,20}）|[^；;（）〔\n])+?)\s*"
                         r"(?=[，,；;]?\s*〔?(?:" + OWNER_ALT + r")(?:[：:]|〕)|[；;）〔]|$)")


def owners(text: str) -> dict[str, str]:
    """The owners and deadline a text names: {'lead': …, 'partner': …, 'deadline': …}, the first of each."""
    found: dict[str, str] = {}
    for label, value in _OWNER_PART.findall(text):
        key = OWNER_LABELS[label]
        found.setdefault(key, value.strip().rstrip("。"))
    return found
