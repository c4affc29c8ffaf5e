"""The ledger over a review library: collect bundles, export, preview an import, apply it (CLI and UI)."""
from __future__ import annotations

from desktop.ledger.diff import LedgerDiff, diff_ledger
from desktop.ledger.errors import LedgerError
from desktop.ledger.export import ExportSummary, LedgerBundle, export_ledger
from desktop.ledger.readback import read_ledger


def bundle_for(repo, report) -> LedgerBundle:
    rid = report.id
    return LedgerBundle(
        report=report,
        sections=tuple(repo.sections(rid)),
        work_items=tuple(repo.work_items(rid)),
        indicators=tuple(repo.indicators(rid)),
        annotations=tuple(repo.annotations(rid)),
        rubric_scores=tuple(repo.rubric_scores(rid)),
    )


def select_reports(repo, refs=None) -> list:
    """Reports named by id / file name / title fragment, or every report when `refs` is empty."""
    if not refs:
        reports = list(repo.list_reports())
        if not reports:
            raise LedgerError("审阅库中还没有报告，无法导出台账")
        return reports
    chosen, seen = [], set()
    for ref in refs:
        try:
            report = repo.find_report(ref)
        except LookupError as exc:
            raise LedgerError(str(exc).strip("'\"")) from exc
        if report.id not in seen:
            seen.add(report.id)
            chosen.append(report)
    return chosen


def export_from_library(repo, path, refs=None, *, progress=None, cancel=None) -> ExportSummary:
    """导出台账: the chosen reports (all when none) into one workbook at `path`."""
    from desktop.ledger.crossyear import collect  # noqa: PLC0415

    reports = select_reports(repo, refs)
    bundles = [bundle_for(repo, r) for r in reports]
    return export_ledger(bundles, path, repo.library_id(), progress=progress, cancel=cancel,
                         crossyear=collect(repo, reports))


def preview_import(repo, path, *, progress=None, cancel=None) -> LedgerDiff:
    """导入台账, first step: what would change and which rows are refused. Writes nothing."""
    ledger = read_ledger(path, progress=progress, cancel=cancel)
    items = repo.work_items(include_deleted=True)
    return diff_ledger(ledger, items, repo.library_id())


def apply_import(repo, diff: LedgerDiff, who=None) -> int:
    """导入台账, after confirmation: store the accepted changes in one transaction; returns items changed."""
    updates = diff.updates()
    if updates:
        repo.apply_work_item_updates(updates, who=who)
    return len(updates)
