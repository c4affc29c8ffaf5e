"""Which reports and which round a ledger command works on (apart from the export: `ledger-status` loads no openpyxl)."""
from __future__ import annotations

import datetime as dt

from desktop.ledger.errors import LedgerError

_QUARTERS = "一二三四"


def default_round(today: dt.date | None = None) -> str:
    """The quarter of today: 2026年第四季度."""
    today = today or dt.date.today()
    return f"{today.year}年第{_QUARTERS[(today.month - 1) // 3]}季度"


def select_reports(repo, refs=None) -> list:
    """Reports named by id / file name / title fragment, or every report but the bundled sample when `refs` is empty."""
    if not refs:
        reports = repo.removal.reports_for_export()
        if not reports:
            raise LedgerError("审阅库中还没有报告（内置示例报告只在点名时导出），无法导出台账")
        return reports
    chosen, seen = [], set()
    for ref in refs:
        try:
            report = repo.reports.find_report(ref)
        except LookupError as exc:
            raise LedgerError(str(exc).strip("'\"")) from exc
        if report.id not in seen:
            seen.add(report.id)
            chosen.append(report)
    return chosen
