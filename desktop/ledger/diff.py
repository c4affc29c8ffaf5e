"""Compare a ledger read back with the stored work items: per-field changes and per-row refusals."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from openpyxl.utils.datetime import from_excel

from desktop.ledger import layout
from desktop.excel.cells import parse_date, safe_text
from desktop.ledger.readback import LedgerFile, LedgerRow, as_text
from desktop.store.records import TRACKING_FIELDS, WorkItemRecord


@dataclass(frozen=True)
class FieldChange:
    row: int
    seq: str | None
    uid: str
    item_id: int
    task: str | None
    field: str  # attribute of WorkItemRecord
    label: str  # its column header
    old: str | None
    new: str | None


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # None: the whole file
    seq: str | None
    uid: str | None
    task: str | None
    reason: str


class SheetPart(Protocol):
    """Another sheet's part of a file's diff (rectification.RectDiff, a layer above this one): its rows and summary."""

    def rows(self) -> list[DiffRow]: ...

    def summary(self) -> str: ...


@dataclass(frozen=True)
class DiffRow:
    """One line of the confirmation table: a change (field/old/new) or a refusal (problem)."""

    row: int | None
    seq: str | None
    task: str | None
    field: str | None
    old: str | None
    new: str | None
    problem: str | None = None


@dataclass
class LedgerDiff:
    path: str
    changes: list[FieldChange] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    unchanged_rows: int = 0
    unit: str | None = None  # 填报单位 written in the file
    unreadable: bool = False  # the file could not be opened at all (its one problem says why)
    # what the file reported, blank cells left out: (work item id, row, {field: value as it would be stored})
    reported: list[tuple[int, int, dict]] = field(default_factory=list)
    rectification: SheetPart | None = None  # the 整改清单 part (rectification.RectDiff), when the workbook has one
    sha256: str | None = None  # the file's digest (digests.py): remembered with the round once applied cleanly

    def rows(self) -> list[DiffRow]:
        return diff_rows(self.changes, self.problems)


def diff_rows(changes, problems) -> list[DiffRow]:
    """Changes and refusals as the lines of one table, in sheet order (a refusal before a change of its row)."""
    out = [DiffRow(c.row, c.seq, c.task, c.label, c.old, c.new) for c in changes]
    out += [DiffRow(p.row, p.seq, p.task, None, None, None, p.reason) for p in problems]
    return sorted(out, key=lambda d: (d.row or 0, d.problem is None))


def shortened(text: str | None, n: int = 40) -> str | None:
    if text is None:
        return None
    return text if len(text) <= n else text[: n - 1] + "…"


def norm_cell(value) -> str | None:
    """How a stored or read text compares: as exported (safe_text), line ends unified, edges stripped."""
    text = safe_text(value)
    if text is None:
        return None
    text = text.replace("\r\n", "\n").strip()
    return text or None


def _deadline(value, old: str | None) -> tuple[bool, str | None]:
    """(valid, new stored text). Dates become YYYY-MM-DD; unchanged text (e.g. 2024年底前) stays."""
    if value is None:
        return True, None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 36526 <= value <= 73415:
        value = from_excel(value)
    day = parse_date(value)
    if day is not None:
        old_day = parse_date(old) if old else None
        return True, old if old_day == day else day.isoformat()
    text = norm_cell(as_text(value))
    if text == norm_cell(old):
        return True, old
    return False, text


def diff_ledger(ledger: LedgerFile, items, library_id: str) -> LedgerDiff:
    """Changes to apply and rows refused (with the reason). Nothing is refused silently."""
    diff = LedgerDiff(ledger.path, file_problems=list(ledger.problems), unit=ledger.unit)
    if ledger.library_id and ledger.library_id != library_id:
        diff.file_problems.append(f"台账来自另一个审阅库（{ledger.library_id}），与当前审阅库不符，整表未导入")
    by_uid: dict[str, WorkItemRecord] = {w.uid: w for w in items}
    seen: dict[str, list[int]] = {}
    for row in ledger.rows:
        if row.uid:
            seen.setdefault(row.uid, []).append(row.row)

    def refuse(row: LedgerRow, reason: str) -> None:
        diff.problems.append(RowProblem(row.row, row.seq, row.uid, shortened(row.text), reason))

    if diff.file_problems:
        for row in ledger.rows:
            refuse(row, diff.file_problems[-1])
        if not ledger.rows:
            diff.problems.append(RowProblem(None, None, None, None, "；".join(diff.file_problems)))
        return diff

    duplicates: dict[str, str] = {}  # one shared message per duplicated ID: the report stays linear
    for row in ledger.rows:
        reason, item, deadline = _check_row(row, seen, duplicates, by_uid)
        if reason is not None:
            refuse(row, reason)
            continue
        assert row.uid is not None  # _check_row refuses a row without an ID
        changes, reported = [], {}
        for key, label in TRACKING_FIELDS.items():
            if key in row.refused:
                refuse(row, f"{label}：{row.refused[key]}")
                continue
            new = _reported(row, item, key, deadline)
            if new is None:
                continue
            reported[key] = new
            old = getattr(item, key)
            if new == old or (key != "deadline" and new == norm_cell(old)):
                continue
            changes.append(FieldChange(row.row, row.seq, row.uid, item.id, shortened(item.text), key, label, old, new))
        if reported:
            diff.reported.append((item.id, row.row, reported))
        if changes:
            diff.changes.extend(changes)
        else:
            diff.unchanged_rows += 1
    return diff


def _check_row(row: LedgerRow, seen: dict, duplicates: dict, by_uid: dict):
    """(why the row is refused, None, None), or (None, its task, its 完成时限 as stored)."""
    if not row.uid:
        return "缺少编号（可能是新增或复制来的行），本行未导入；新任务请在审阅台中添加", None, None
    if len(seen[row.uid]) > 1:
        return duplicates.get(row.uid) or duplicates.setdefault(row.uid, _duplicate_reason(seen[row.uid])), None, None
    item = by_uid.get(row.uid)
    if item is None:
        return f"编号“{row.uid}”在审阅库中不存在，本行未导入", None, None
    if item.deleted:
        return "该工作任务已在审阅库中删除，本行未导入", None, None
    if norm_cell(row.text) != norm_cell(item.text):
        return "“工作任务”内容被修改，本行未导入（任务内容请在审阅台中修改）", None, None
    status = norm_cell(as_text(row.values.get("status")))
    if status is not None and status not in layout.STATUSES and status != norm_cell(item.status):
        return f"完成状态“{status}”不是可选值（{'、'.join(layout.STATUSES)}），本行未导入", None, None
    ok, deadline = _deadline(row.values.get("deadline"), item.deadline)
    if not ok:
        return f"完成时限“{deadline}”不是有效日期（例如 2024-12-31），本行未导入", None, None
    return None, item, deadline


def _reported(row: LedgerRow, item, key: str, deadline):
    """The value a row reports for one field, or None: a blank cell means "not reported" (it never erases a
    stored value), and a 任务类别 left at the exported default (the theme) says nothing."""
    new = deadline if key == "deadline" else norm_cell(as_text(row.values.get(key)))
    if new is not None and key == "category" and getattr(item, key) is None and new == norm_cell(item.theme):
        return None  # exported default: the theme
    return new


def _duplicate_reason(rows: list[int], shown: int = 5) -> str:
    listed = "、".join(str(r) for r in rows[:shown])
    more = f" 等共 {len(rows)} 行" if len(rows) > shown else " 行"
    return f"编号重复（第 {listed}{more}使用同一编号），本行未导入"


def describe(value) -> str:
    """A value as the confirmation table shows it."""
    if value is None:
        return "（空）"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
