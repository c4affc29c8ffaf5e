"""The ledger over a review library: collect bundles, export (office or by unit), read back rounds (CLI and UI)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from desktop.ledger import digests, rectification
from desktop.ledger.diff import LedgerDiff, RowProblem, diff_ledger
from desktop.ledger.errors import LedgerCancelled, LedgerError
from desktop.ledger.export import ExportSummary, IndicatorSource, LedgerBundle, export_by_unit, export_ledger
from desktop.ledger.merge import RoundPlan, default_round, plan_round
from desktop.ledger.readback import read_ledger
from desktop.ledger.selection import select_reports  # noqa: F401  (light module: ledger-status needs no openpyxl)
from desktop.ledger.status import compute_status
from desktop.ledger.library import LedgerLibrary


def bundle_for(repo: LedgerLibrary, report, *, indicators: bool = True) -> LedgerBundle:
    """`indicators=False`: without them (the export reads them per report through an IndicatorSource)."""
    from desktop.review.service import scores_of

    rid = report.id
    return LedgerBundle(
        report=report,
        sections=tuple(repo.reports.sections(rid)),
        work_items=tuple(repo.items.work_items(rid)),
        indicators=tuple(repo.items.indicators(rid)) if indicators else (),
        annotations=tuple(repo.annotations.annotations(rid)),
        rubric_scores=tuple(scores_of(repo, rid).values()),  # the team's: several reviewers' mean on the scale
        rectifications=tuple(repo.letters.rectifications(rid).values()),
    )


def export_from_library(repo: LedgerLibrary, path, refs=None, *, progress=None, cancel=None,
                        round_name: str | None = None) -> ExportSummary:
    """导出台账: the chosen reports (all when none) into one workbook at `path`, 汇总 for the round."""
    from desktop.ledger.crossyear import collect  # noqa: PLC0415  跨年对照 (issue 11)

    reports = select_reports(repo, refs)
    bundles = [bundle_for(repo, r, indicators=False) for r in reports]  # read per report by the sheets (issue 27)
    counts = repo.reports.counts()
    source = IndicatorSource(repo.items.indicators, {rid: c.get("indicators", 0) for rid, c in counts.items()})
    round_name = round_name or default_round()
    tasks = [t for b in bundles for t in b.plan_tasks()]
    status = compute_status(tasks, repo.ledger.ledger_returns(round_name), round_name)
    return export_ledger(bundles, path, repo.library_id(), progress=progress, cancel=cancel, status=status,
                         findings_of=stored_findings(repo),
                         crossyear=collect(repo, reports), indicators=source)


def stored_findings(repo: LedgerLibrary):
    """findings_of for the 审阅评分 sheet: each report's stored check results (computed and stored when stale).

    A library that cannot be written (read-only) still exports: the checks then run on the bundle.
    """
    from desktop.ledger.review_sheet import bundle_findings
    from desktop.review.rubric import load_rubric
    from desktop.review.service import findings_for
    from desktop.store.errors import LibraryError

    rubric = load_rubric()

    def findings_of(bundle):
        try:
            return findings_for(repo, bundle.report.id, rubric)
        except LibraryError:
            if not bundle.indicators:  # the export's bundles leave them in the library until a sheet needs them
                bundle = replace(bundle, indicators=tuple(repo.items.indicators(bundle.report.id)))
            return bundle_findings(bundle, rubric)
    return findings_of


def export_units_from_library(repo: LedgerLibrary, folder, refs=None, *, progress=None, cancel=None) -> list[ExportSummary]:
    """导出台账（按牵头单位）: DIR/台账-<单位>.xlsx, one per unit, only its own tasks."""
    bundles = [LedgerBundle(r, work_items=tuple(repo.items.work_items(r.id, kind="plan_task")))
               for r in select_reports(repo, refs)]
    return export_by_unit(bundles, folder, repo.library_id(), progress=progress, cancel=cancel)


def ledger_paths(paths) -> list[Path]:
    """The workbooks named: files as given, folders as the .xlsx files they hold (no Office lock files)."""
    out, seen = [], set()
    for given in paths:
        p = Path(given)
        found = sorted(f for f in p.iterdir() if f.suffix.lower() == ".xlsx" and f.is_file()
                       and not f.name.startswith(("~$", "."))) if p.is_dir() else [p]
        if p.is_dir() and not found:
            raise LedgerError("文件夹里没有 .xlsx 台账", path=p)
        for f in found:
            try:
                key = f.resolve()
            except (RuntimeError, OSError):  # a symlink loop: read_ledger names it in one line
                key = f.absolute()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def preview_round(repo: LedgerLibrary, paths, round_name: str | None = None, *, prefer=(), choices=None,
                  progress=None, cancel=None, reread: bool = False) -> RoundPlan:
    """读回台账 (any number of files or folders) into one round: what would change, conflicts, refusals.

    A file that cannot be read becomes a file-level problem; the other files are still read. A file whose bytes
    were read back before in this round (its digest remembered, that read-back not undone) is not opened: it is
    listed in `plan.skipped` — unless `reread`, or a choice is being made (`prefer`, `choices`: every file named
    is read then). Writes nothing.
    """
    round_name = (round_name if round_name is not None else default_round()).strip()
    if not round_name:
        raise LedgerError("轮次不能为空（例如 2024年第二季度）")
    earlier = {} if reread or prefer or choices else digests.read_before(repo, round_name)
    files, skipped = digests.split_read_before(ledger_paths(paths), earlier)
    if not files:  # nothing new: not even the library's tasks are loaded
        return RoundPlan(round_name, [], skipped=skipped)
    items = repo.items.work_items(include_deleted=True)
    library_id = repo.library_id()
    diffs = []
    for i, (path, sha) in enumerate(files):
        step = None if progress is None else (
            lambda done, total, i=i: progress(i * 1000 + min(done * 1000 // max(total, 1), 1000), len(files) * 1000))
        try:
            ledger = read_ledger(path, progress=step, cancel=cancel)
        except LedgerCancelled:
            raise
        except LedgerError as exc:
            diffs.append(LedgerDiff(str(path), problems=[RowProblem(None, None, None, None, exc.message)],
                                    file_problems=[exc.message], unreadable=True))
            continue
        diffs.append(diff_ledger(ledger, items, library_id))
        diffs[-1].sha256 = sha
        rectification.attach(diffs[-1], repo, path, ledger)  # the 整改清单 sheet, when the workbook has one
    plan = plan_round(round_name, diffs, items, repo.ledger.round_reports(round_name), prefer=prefer, choices=choices,
                      remembered=remembered_choices(repo, round_name))
    plan.skipped = skipped
    return plan


def remembered_choices(repo: LedgerLibrary, round_name: str) -> dict:
    """{(task id, field): (value, file)} chosen earlier in this round: they win over its files."""
    return {(c["work_item_id"], c["field"]): (c["value"], c["file_name"]) for c in repo.ledger.ledger_choices(round_name)}


def replan_with_choices(repo: LedgerLibrary, plan: RoundPlan, choices: dict) -> RoundPlan:
    """The same files again with the reviewer's picks (the desk's conflict dialog)."""
    return plan_round(plan.round, plan.diffs, repo.items.work_items(include_deleted=True), repo.ledger.round_reports(plan.round),
                      choices=choices, remembered=remembered_choices(repo, plan.round))


def apply_round(repo: LedgerLibrary, plan: RoundPlan, who=None) -> list[int]:
    """Store a planned round in one transaction; returns the ids of the recorded returns (for undo)."""
    ids = repo.ledger.apply_ledger_returns(plan.round, plan.returns(), who)
    if plan.chosen:  # --prefer or the desk's pick: remembered for the round (ledger-status shows it)
        repo.ledger.remember_ledger_choices(plan.round, plan.chosen, who)
    plan.rectification_undo = rectification.apply_plan(repo, plan, who)  # 整改情况/整改状态, 已销号
    digests.record(repo, plan, ids)  # the same files again in this round are skipped unread
    return ids
