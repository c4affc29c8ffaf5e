"""Status at a glance: per 牵头单位 the tasks, whether its workbook came back this round, statuses, overdue."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from desktop.ledger import layout
from desktop.excel.cells import parse_date
from desktop.ledger.units import UNASSIGNED, lead_units, match_filler, safe_file_name
from desktop.kernel.labels import local_time
from desktop.store.records import TRACKING_FIELDS

NOT_FILLED = "未填写"
STATUS_KEYS = (*layout.STATUSES, NOT_FILLED)
HEADERS = ("牵头单位", "任务数", *STATUS_KEYS, "逾期", "完成率", "本轮交回")  # CLI, desk panel and 汇总 sheet
_YEAR_END = re.compile(r"^(\d{4})年(?:年)?底(?:前)?$")
_MONTH_END = re.compile(r"^(\d{4})年(\d{1,2})月(?:底|末)?(?:前)?$")


def deadline_date(text: str | None) -> dt.date | None:
    """A deadline as a date: 2024-12-31, 2024年12月31日, and also 2024年底前 / 2024年6月底前 (the last day)."""
    if not text:
        return None
    day = parse_date(text)
    if day is not None:
        return day
    text = text.strip()
    m = _YEAR_END.match(text)
    if m:
        return dt.date(int(m.group(1)), 12, 31)
    m = _MONTH_END.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return None


@dataclass
class UnitStatus:
    unit: str
    tasks: int = 0
    statuses: dict = field(default_factory=lambda: dict.fromkeys(STATUS_KEYS, 0))
    overdue: int = 0
    returns: list = field(default_factory=list)  # [(file name, read time)] of this round

    @property
    def completion(self) -> float:
        return round(self.statuses.get("已完成", 0) / self.tasks, 4) if self.tasks else 0.0

    def cells(self) -> list:
        """One row under HEADERS (完成率 as a fraction)."""
        return [self.unit, self.tasks, *(self.statuses[k] for k in STATUS_KEYS), self.overdue, self.completion,
                self.returned_text]

    @property
    def returned_text(self) -> str:
        if not self.returns:
            return "未交回"
        name, at = self.returns[-1]
        return f"已交回（{name}，{local_time(at)[:10]}）"


@dataclass
class LedgerStatus:
    round: str
    units: list[UnitStatus]
    total: UnitStatus = field(default_factory=lambda: UnitStatus("合计"))  # each task once, however many leads
    choices: list = field(default_factory=list)  # [(task, field label, value, file)] chosen in this round

    def to_dict(self) -> dict:
        t = self.total
        return {"round": self.round, "total": {"tasks": t.tasks, "statuses": dict(t.statuses), "overdue": t.overdue,
                                               "completion": t.completion}, "units": [{
            "unit": u.unit, "tasks": u.tasks, "returned": bool(u.returns),
            "returns": [{"file": f, "date": local_time(at)[:10]} for f, at in u.returns],
            "statuses": dict(u.statuses), "overdue": u.overdue, "completion": u.completion,
        } for u in self.units], "choices": [{"task": t, "field": f, "value": v, "file": n}
                                             for t, f, v, n in self.choices]}

    def total_cells(self) -> list:
        """The 合计 row under HEADERS: each task once, and how many units sent their workbook back."""
        returned = sum(1 for u in self.units if u.returns)
        return [*self.total.cells()[:-1], f"{returned}/{len(self.units)} 个单位已交回"]

    def table_lines(self) -> list[str]:
        lines = ["\t".join(HEADERS)]
        for cells in [u.cells() for u in self.units] + ([self.total_cells()] if self.units else []):
            cells[-2] = f"{cells[-2]:.0%}"
            lines.append("\t".join(str(c) for c in cells))
        if self.choices:
            lines.append(f"本轮已选定的值（{len(self.choices)} 处，优先于本轮任何文件，直到重新选择）：")
            lines += [f"  {task}：{label} = {value or '（空）'}（采用 {name}）"
                      for task, label, value, name in self.choices]
        return lines


def compute_status(tasks, returns, round_name: str, today: dt.date | None = None, known=()) -> LedgerStatus:
    """`tasks`: plan-task WorkItemRecords; `returns`: LedgerReturnRecord-like (file_name, filler_unit, read_at);
    `known`: the library's units (name, aliases), so a copy signed with an alias or a department's full name counts."""
    today = today or dt.date.today()
    units: dict[str, UnitStatus] = {}
    total = UnitStatus("合计")
    for item in tasks:
        status = item.status if item.status in layout.STATUSES else NOT_FILLED
        due = deadline_date(item.deadline)
        late = due is not None and due < today and status != "已完成"
        for u in (total, *(units.setdefault(unit, UnitStatus(unit)) for unit in lead_units(item))):
            u.tasks += 1
            u.statuses[status] += 1
            u.overdue += late
    by_file = {safe_file_name(name): name for name in units}
    for ret in returns:
        target = match_filler(ret.filler_unit, units, known) or by_file.get(ret.file_name)
        if target is not None:
            units[target].returns.append((ret.file_name, ret.read_at))
    ordered = sorted(units.values(), key=lambda u: (u.unit == UNASSIGNED, -u.tasks, u.unit))
    return LedgerStatus(round_name, ordered, total)


def status_from_library(repo, refs=None, round_name: str | None = None) -> LedgerStatus:
    from desktop.ledger.selection import default_round, select_reports

    round_name = (round_name or default_round()).strip()
    ids = {r.id for r in select_reports(repo, refs)}
    tasks = [w for w in repo.items.work_items(kind="plan_task") if w.report_id in ids]
    status = compute_status(tasks, repo.ledger.ledger_returns(round_name), round_name, known=repo.units.units())
    by_id = {w.id: w for w in tasks}
    status.choices = [(_task_name(by_id[c["work_item_id"]]), TRACKING_FIELDS.get(c["field"], c["field"]),
                       c["value"], c["file_name"]) for c in repo.ledger.ledger_choices(round_name)
                      if c["work_item_id"] in by_id]
    return status


def _task_name(item) -> str:
    text = " ".join((item.text or "").split())
    return f"{item.uid} {text[:24]}{'…' if len(text) > 24 else ''}"
