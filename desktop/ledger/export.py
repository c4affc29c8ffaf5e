"""Export: the tracking ledger workbook built from stored records (pure functions, no database)."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from desktop.ledger import layout, review_sheet, summary_sheet
from desktop.excel.cells import (
    chinese_numeral, column_width, needs_quote_prefix, parse_date, row_height, safe_text,
)
from desktop.ledger.errors import LedgerCancelled, LedgerError
from desktop.ledger.merge import default_round
from desktop.ledger.status import compute_status
from desktop.excel.styles import (
    BORDER, HEADER_FILL, StyleIds, body_font, heading_font, put_text, setup_print, style_cell,
)
from desktop.ledger.units import UNASSIGNED, lead_units, safe_file_name
from desktop.excel.xmlrows import RowWriter, splice
from desktop.kernel.outfiles import failure_reason, write_atomic
from desktop.store.records import (
    AnnotationRecord, IndicatorRecord, ReportRecord, RubricScoreRecord, SectionRecord, WorkItemRecord,
)


@dataclass(frozen=True)
class LedgerBundle:
    """One report and everything the ledger shows about it."""

    report: ReportRecord
    sections: tuple[SectionRecord, ...] = ()
    work_items: tuple[WorkItemRecord, ...] = ()
    indicators: tuple[IndicatorRecord, ...] = ()
    annotations: tuple[AnnotationRecord, ...] = ()
    rubric_scores: tuple[RubricScoreRecord, ...] = ()
    rectifications: tuple = ()  # RectificationRecord: what the unit reported on items marked 需整改

    @property
    def label(self) -> str:
        return self.report.title or self.report.file_name

    def plan_tasks(self) -> list[WorkItemRecord]:
        return sorted((w for w in self.work_items if w.kind == "plan_task" and not w.deleted),
                      key=lambda w: (w.position, w.id))


class IndicatorSource:
    """Where the sheets get a report's indicators: the bundle's own, or read from the library when a sheet needs
    them and let go after (`load(report_id)`), so an export of 1,000 reports never holds 300,000 records at once
    (issue 27). `counts`: report id -> how many (for progress and the summary line)."""

    def __init__(self, load=None, counts: dict[int, int] | None = None):
        self._load, self._counts = load, counts or {}
        self._sections: dict[int, dict[str, int]] = {}

    def __call__(self, bundle) -> tuple[IndicatorRecord, ...]:
        records = bundle.indicators if self._load is None else tuple(self._load(bundle.report.id))
        paths: dict[str, int] = {}
        for ind in records:
            if not ind.deleted:
                paths[ind.section_path] = paths.get(ind.section_path, 0) + 1
        self._sections[bundle.report.id] = paths
        return records

    def count(self, bundle) -> int:
        return len(bundle.indicators) if self._load is None else self._counts.get(bundle.report.id, 0)

    def section_paths(self, bundle) -> list[str]:
        """The section path of each (not deleted) indicator, from the last read of the report's indicators."""
        if bundle.report.id not in self._sections:
            self(bundle)
        return [path for path, n in self._sections[bundle.report.id].items() for _ in range(n)]


@dataclass(frozen=True)
class ExportSummary:
    path: str | None
    reports: int
    tasks: int
    indicators: int
    annotations: int


class Progress:
    """Calls progress(done, total) now and then and raises LedgerCancelled when cancel() says so."""

    def __init__(self, total: int, progress=None, cancel=None, every: int = 250):
        self.total, self.done = max(total, 1), 0
        self._progress, self._cancel, self._every = progress, cancel, every

    def step(self, n: int = 1) -> None:
        before, self.done = self.done, self.done + n
        if before // self._every != self.done // self._every or self.done >= self.total:
            self.check()

    def check(self) -> None:
        if self._cancel is not None and self._cancel():
            raise LedgerCancelled()
        if self._progress is not None:
            self._progress(min(self.done, self.total), self.total)


def ledger_title(bundles) -> str:
    """杭州市司法局2024年法治政府建设主要安排落实情况跟踪表 when all reports share issuer and plan year."""
    issuers = {b.report.issuer for b in bundles}
    years = {b.report.plan_year for b in bundles}
    issuer = issuers.pop() if len(issuers) == 1 else None
    year = years.pop() if len(years) == 1 else None
    return f"{issuer or ''}{f'{year}年' if year else ''}{layout.GENERIC_TITLE}"


def report_labels(bundles) -> dict[int, str]:
    """来源报告 texts, made unique when two reports share a title."""
    labels: dict[int, str] = {}
    seen: dict[str, int] = {}
    for b in bundles:
        seen[b.label] = seen.get(b.label, 0) + 1
    for b in bundles:
        labels[b.report.id] = b.label if seen[b.label] == 1 else f"{b.label}（{b.report.file_name}，#{b.report.id}）"
    return labels


def _deadline_value(text: str | None):
    """A real date when the stored deadline is one (so the date validation and TODAY() rule work)."""
    day = parse_date(text) if text else None
    return day if day is not None else safe_text(text)


def _write_tracking(wb, bundles, labels, progress: Progress, unit: str | None = None) -> tuple[object, RowWriter, str]:
    ws = wb.active
    ws.title = layout.SHEET_TRACKING
    multi = len(bundles) > 1
    cols = layout.tracking_columns(with_report=multi)
    ncol = len(cols)
    visible = ncol - 1  # the last column holds the hidden stable IDs
    last_letter = get_column_letter(visible)
    uid_letter = get_column_letter(ncol)
    letter = {c.key: get_column_letter(i) for i, c in enumerate(cols, 1)}
    _tracking_frame(ws, bundles, cols, unit)

    looks = _tracking_looks(ws, cols)
    widths: dict[str, list] = {c.key: [c.header] for c in cols}
    pending = _tracking_rows(bundles, labels, cols, looks, widths, progress)
    col_widths = _column_widths(ws, cols, widths)
    ws.column_dimensions[uid_letter].hidden = True
    rows = RowWriter(layout.FIRST_DATA_ROW)
    # A theme row's text spans the table (to the last column before 来源报告), so nothing spills over a line.
    theme_end = get_column_letter(visible - 1 if multi else visible)
    for cells, level in pending:
        if level:
            rows.add(cells, outline_level=1, height=row_height([v for v, _ in cells], col_widths))
        else:
            r = rows.add(cells, height=22)
            rows.merges.append(f"B{r}:{theme_end}{r}")
    last = max(rows.last_row, layout.FIRST_DATA_ROW)
    _tracking_rules(ws, letter, last_letter, last)
    first = layout.FIRST_DATA_ROW
    ws.freeze_panes = f"A{first}"
    ws.auto_filter.ref = f"A{layout.HEADER_ROW}:{last_letter}{last}"
    setup_print(ws, title_rows=f"{layout.TITLE_ROW}:{layout.HEADER_ROW}", area=f"A1:{last_letter}{last}")
    return ws, rows, f"A1:{uid_letter}{last}"


def _tracking_frame(ws, bundles, cols, unit: str | None) -> None:
    """The title and 填报单位/填报日期 rows, then the header."""
    visible = len(cols) - 1
    last_letter = get_column_letter(visible)
    title = ws.cell(layout.TITLE_ROW, 1)
    put_text(title, safe_text(ledger_title(bundles)))
    style_cell(title, font=heading_font(18), align=Alignment(horizontal="center", vertical="center"),
               border=None)
    ws.merge_cells(f"A{layout.TITLE_ROW}:{last_letter}{layout.TITLE_ROW}")
    ws.row_dimensions[layout.TITLE_ROW].height = 40
    split = max(2, visible - 4)
    filler = ws.cell(layout.FILLER_ROW, 1)
    put_text(filler, safe_text(f"{layout.FILLER_LABEL}{unit or ''}"))
    style_cell(filler, font=body_font(12), align=Alignment(horizontal="left", vertical="center"), border=None)
    ws.merge_cells(f"A{layout.FILLER_ROW}:{get_column_letter(split)}{layout.FILLER_ROW}")
    day = ws.cell(layout.FILLER_ROW, split + 1, "填报日期：      年    月    日")
    style_cell(day, font=body_font(12), align=Alignment(horizontal="right", vertical="center"), border=None)
    ws.merge_cells(f"{get_column_letter(split + 1)}{layout.FILLER_ROW}:{last_letter}{layout.FILLER_ROW}")
    ws.row_dimensions[layout.FILLER_ROW].height = 24
    for i, col in enumerate(cols, 1):
        cell = ws.cell(layout.HEADER_ROW, i, col.header)
        style_cell(cell, font=heading_font(11), fill=HEADER_FILL, border=BORDER,
                   align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.row_dimensions[layout.HEADER_ROW].height = 30


def _tracking_looks(ws, cols) -> dict:
    """The style ids of the data rows, made in a fixed order (the ids are part of the file):
    per column (plain, with quote prefix); the date cell; the theme row's number, text (and quoted) and hidden ID."""
    styles = StyleIds(ws)
    s_text, s_text_q = styles.get(), styles.get(quote=True)
    s_mid, s_mid_q = styles.get(centered=True), styles.get(centered=True, quote=True)
    s_date = styles.get(centered=True, date=True)
    s_group_no = styles.get(centered=True, wrap=False, heading=True, fill=True)
    s_group = styles.get(wrap=False, heading=True, fill=True)
    s_group_q = styles.get(wrap=False, heading=True, fill=True, quote=True)
    s_hidden = styles.get(hidden_text=True, wrap=False)
    col_style = [(s_mid, s_mid_q) if c.centered else (s_text, s_text_q) for c in cols]
    col_style[-1] = (s_hidden, s_hidden)
    return {"columns": col_style, "date": s_date, "group_no": s_group_no, "group": s_group,
            "group_q": s_group_q, "hidden": s_hidden}


def _tracking_rows(bundles, labels, cols, looks: dict, widths: dict, progress: Progress) -> list[tuple[list, int]]:
    """(cells, outline level) of every theme row (0) and task row (1), in order; `widths` gathers each column's
    values for its width."""
    keys = [c.key for c in cols]
    multi = len(bundles) > 1
    pending: list[tuple[list, int]] = []
    seq = 0
    for bundle in bundles:
        groups: dict[str, list[WorkItemRecord]] = {}
        for item in bundle.plan_tasks():
            groups.setdefault(safe_text(item.category or item.theme) or "", []).append(item)
        label = labels[bundle.report.id] if multi else None  # 来源报告 is a column only with several reports
        for gno, (category, items) in enumerate(groups.items(), 1):
            group = [(None, looks["group"])] * len(cols)
            group[0] = (chinese_numeral(gno), looks["group_no"])
            group[1] = (category or "（未分类）", looks["group_q"] if needs_quote_prefix(category) else looks["group"])
            if multi:
                group[keys.index("report")] = (safe_text(label), looks["group"])
            group[-1] = (f"{layout.THEME_MARK}{gno}", looks["hidden"])
            pending.append((group, 0))
            for item in items:
                seq += 1
                pending.append((_task_cells(item, seq, label, keys, looks, widths), 1))
                progress.step()
    return pending


def _task_value(item, key: str, seq: int, label: str | None):
    if key == "seq":
        return seq
    if key == "text":
        return safe_text(item.text)
    if key == "category":
        return None  # the theme row above names it; a department may type another one
    if key == "report":
        return safe_text(label)
    if key == "uid":
        return safe_text(item.uid)
    return safe_text(getattr(item, key))


def _task_cells(item, seq: int, label: str | None, keys: list[str], looks: dict, widths: dict) -> list:
    """One task's row: (value, style id) per column; a deadline that is a date is written as a date."""
    cells = []
    for k, (base, quoted) in zip(keys, looks["columns"]):
        if k == "deadline":
            value = _deadline_value(item.deadline)
            if isinstance(value, dt.date):
                cells.append((value, looks["date"]))
                widths[k].append("2024年12月31日")
                continue
        else:
            value = _task_value(item, k, seq, label)
        cells.append((value, quoted if isinstance(value, str) and needs_quote_prefix(value) else base))
        if value is not None and k not in ("text", "progress", "uid"):
            widths[k].append(value)
    return cells


def _column_widths(ws, cols, widths: dict) -> list:
    """Set each column's width (task and progress texts: their maximum; others: fitted to their values);
    returns the widths the row heights are fitted to (None for the ID and 序号 columns)."""
    col_widths = []
    for i, col in enumerate(cols, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        if col.key in ("text", "progress"):
            dim.width = col.max_width
        else:
            dim.width = column_width(widths[col.key], minimum=col.min_width, maximum=col.max_width)
        col_widths.append(dim.width if col.key not in ("uid", "seq") else None)
    return col_widths


def _tracking_rules(ws, letter: dict, last_letter: str, last: int) -> None:
    """The 完成状态 list and 完成时限 date validations, and the colours of overdue, 滞后 and 已完成 rows."""
    first = layout.FIRST_DATA_ROW
    status_range = f"{letter['status']}{first}:{letter['status']}{last}"
    statuses = ",".join(layout.STATUSES)
    dv = DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True,
                        showErrorMessage=True, errorTitle="完成状态", error=f"请从下拉列表选择：{statuses}",
                        showInputMessage=True, promptTitle="完成状态", prompt="请从下拉列表选择")
    dv.add(status_range)
    ws.add_data_validation(dv)
    deadline_range = f"{letter['deadline']}{first}:{letter['deadline']}{last}"
    dates = DataValidation(type="date", operator="between", formula1="36526", formula2="73415",
                           allow_blank=True, showErrorMessage=True, errorTitle="完成时限",
                           error="请输入日期，例如 2024-12-31", showInputMessage=True,
                           promptTitle="完成时限", prompt="请输入日期，例如 2024-12-31")
    dates.add(deadline_range)
    ws.add_data_validation(dates)

    d, s = f"${letter['deadline']}{first}", f"${letter['status']}{first}"
    row_range = f"A{first}:{last_letter}{last}"
    ws.conditional_formatting.add(deadline_range, FormulaRule(
        formula=[f'AND(ISNUMBER({d}),{d}<TODAY(),{s}<>"已完成")'], stopIfTrue=False,
        fill=PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C"), font=Font(color="9C0006", bold=True)))
    ws.conditional_formatting.add(row_range, FormulaRule(
        formula=[f'{s}="滞后"'], fill=PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE"),
        font=Font(color="9C0006")))
    ws.conditional_formatting.add(row_range, FormulaRule(
        formula=[f'{s}="已完成"'], fill=PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE"),
        font=Font(color="006100")))


def ledger_bytes(bundles, library_id: str, *, progress=None, cancel=None, now: dt.datetime | None = None,
                 unit: str | None = None, status=None, findings_of=None, crossyear=(),
                 indicators: IndicatorSource | None = None) -> bytes:
    """The whole workbook as .xlsx bytes.

    `unit`: a department's workbook — the tracking sheet only (plus the hidden 台账信息), 填报单位 pre-filled,
    so its page count is its own. Otherwise the office's workbook: 汇总 (`status`, a LedgerStatus; computed
    from the tasks when None), 指标汇总, 审阅意见, 报告结构 and 审阅评分 (`findings_of(bundle)` gives a
    report's check findings; run once per report when None). `indicators`: where the sheets read each report's
    indicators (the bundles' own when None).
    """
    from desktop.ledger import extra_sheets, rectification  # noqa: PLC0415 (keeps this module's imports short)

    bundles = list(bundles)
    labels = report_labels(bundles)
    office = unit is None
    source = indicators if indicators is not None else IndicatorSource()
    total = sum(len(b.plan_tasks()) + (source.count(b) + len(b.annotations) + len(b.sections)) * office
                for b in bundles)
    meter = Progress(total + 1, progress, cancel)
    meter.check()
    wb = openpyxl.Workbook()
    spliced = {}
    ws, rows, ref = _write_tracking(wb, bundles, labels, meter, unit)
    spliced[ws] = (rows, ref)
    if office:
        if status is None:
            status = compute_status([t for b in bundles for t in b.plan_tasks()], (), default_round())
        summary_sheet.write_summary(wb, status, ledger_title(bundles))
        for ws, rows, ref in extra_sheets.write_all(wb, bundles, labels, meter, source):
            spliced[ws] = (rows, ref)
        review = review_sheet.write_review_rows(wb, bundles, findings_of)
        if review is not None:
            ws, rows, ref = review
            spliced[ws] = (rows, ref)
        from desktop.ledger import crossyear as cross  # noqa: PLC0415  跨年对照 + 指标年度对比 (issue 11)
        for ws, rows, ref in cross.write(wb, list(crossyear)):
            spliced[ws] = (rows, ref)
        rectification.write_sheet(wb, bundles, labels)  # 整改清单, when any annotation is marked 需整改
    extra_sheets.write_meta(wb, bundles, labels, library_id, now or dt.datetime.now(), unit=unit)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    meter.check()
    data = splice(buf.getvalue(), {ws.path.lstrip("/"): value for ws, value in spliced.items()})
    meter.step()
    return data


def _write_atomic(target: Path, data: bytes, path) -> None:
    """outfiles.write_atomic (whole or not at all), its failures as one LedgerError sentence."""
    try:
        write_atomic(target, data)  # the folder must exist; the user's normal file mode
    except OSError as exc:
        raise LedgerError(failure_reason(exc), path=path) from exc


def export_ledger(bundles, path, library_id: str, *, progress=None, cancel=None,
                  now: dt.datetime | None = None, status=None, findings_of=None, crossyear=(),
                  indicators: IndicatorSource | None = None) -> ExportSummary:
    """Write the ledger to `path` atomically (a cancelled or failed export leaves no file behind)."""
    bundles = list(bundles)
    source = indicators if indicators is not None else IndicatorSource()
    data = ledger_bytes(bundles, library_id, progress=progress, cancel=cancel, now=now, status=status,
                        findings_of=findings_of, crossyear=crossyear, indicators=source)
    target = Path(path)
    _write_atomic(target, data, path)
    return ExportSummary(str(target), len(bundles), sum(len(b.plan_tasks()) for b in bundles),
                         sum(source.count(b) for b in bundles), sum(len(b.annotations) for b in bundles))


def unit_bundles(bundles) -> dict[str, list[LedgerBundle]]:
    """Each 牵头单位's share of the plan tasks (a task led by two units goes to both; 未分配 last)."""
    shares: dict[str, dict[int, list]] = {}
    for b in bundles:
        for item in b.plan_tasks():
            for unit in lead_units(item):
                shares.setdefault(unit, {}).setdefault(b.report.id, []).append(item)
    by_id = {b.report.id: b for b in bundles}
    ordered = sorted(shares, key=lambda u: (u == UNASSIGNED, u))
    return {u: [LedgerBundle(by_id[rid].report, work_items=tuple(items)) for rid, items in shares[u].items()]
            for u in ordered}


def export_by_unit(bundles, folder, library_id: str, *, progress=None, cancel=None,
                   now: dt.datetime | None = None) -> list[ExportSummary]:
    """DIR/台账-<单位>.xlsx per 牵头单位. All are built before any is written, so a cancel leaves no file."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise LedgerError("不是文件夹", path=folder)
    groups = unit_bundles(list(bundles))
    if not groups:
        raise LedgerError("所选报告中没有工作任务，无法按单位导出台账")
    total = sum(len(b.work_items) for share in groups.values() for b in share)
    meter = Progress(total, progress, cancel)
    now = now or dt.datetime.now()
    built, taken = [], set()
    for unit, share in groups.items():
        data = ledger_bytes(share, library_id, cancel=cancel, now=now, unit=unit)
        meter.step(sum(len(b.work_items) for b in share))
        built.append((folder / safe_file_name(unit, taken), data, share))
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"无法创建文件夹（{exc.strerror or exc}）", path=folder) from exc
    out = []
    for target, data, share in built:
        _write_atomic(target, data, target)
        out.append(ExportSummary(str(target), len(share), sum(len(b.work_items) for b in share), 0, 0))
    return out
