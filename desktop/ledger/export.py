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

from desktop.ledger import layout
from desktop.ledger.cells import (
    chinese_numeral, column_width, needs_quote_prefix, parse_date, row_height, safe_text,
)
from desktop.ledger.errors import LedgerCancelled, LedgerError
from desktop.ledger.styles import (
    BORDER, HEADER_FILL, StyleIds, body_font, heading_font, put_text, setup_print, style_cell,
)
from desktop.ledger.xmlrows import RowWriter, splice
from desktop.outfiles import OutputError, write_atomic
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

    @property
    def label(self) -> str:
        return self.report.title or self.report.file_name

    def plan_tasks(self) -> list[WorkItemRecord]:
        return sorted((w for w in self.work_items if w.kind == "plan_task" and not w.deleted),
                      key=lambda w: (w.position, w.id))


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


def _write_tracking(wb, bundles, labels, progress: Progress) -> tuple[object, RowWriter, str]:
    ws = wb.active
    ws.title = layout.SHEET_TRACKING
    multi = len(bundles) > 1
    cols = layout.tracking_columns(with_report=multi)
    keys = [c.key for c in cols]
    ncol = len(cols)
    visible = ncol - 1  # the last column holds the hidden stable IDs
    last_letter = get_column_letter(visible)
    uid_letter = get_column_letter(ncol)
    letter = {c.key: get_column_letter(i) for i, c in enumerate(cols, 1)}

    # Title and 填报单位/填报日期 rows, then the header.
    title = ws.cell(layout.TITLE_ROW, 1)
    put_text(title, safe_text(ledger_title(bundles)))
    style_cell(title, font=heading_font(18), align=Alignment(horizontal="center", vertical="center"),
               border=None)
    ws.merge_cells(f"A{layout.TITLE_ROW}:{last_letter}{layout.TITLE_ROW}")
    ws.row_dimensions[layout.TITLE_ROW].height = 40
    split = max(2, visible - 4)
    unit = ws.cell(layout.FILLER_ROW, 1, "填报单位（盖章）：")
    style_cell(unit, font=body_font(12), align=Alignment(horizontal="left", vertical="center"), border=None)
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

    styles = StyleIds(ws)
    s_text, s_text_q = styles.get(), styles.get(quote=True)
    s_mid, s_mid_q = styles.get(centered=True), styles.get(centered=True, quote=True)
    s_date = styles.get(centered=True, date=True)
    s_group_no = styles.get(centered=True, wrap=False, heading=True, fill=True)
    s_group, s_group_q = styles.get(wrap=False, heading=True, fill=True), styles.get(wrap=False, heading=True, fill=True, quote=True)
    s_hidden = styles.get(hidden_text=True, wrap=False)
    col_style = [(s_mid, s_mid_q) if c.centered else (s_text, s_text_q) for c in cols]
    col_style[-1] = (s_hidden, s_hidden)
    widths: dict[str, list] = {k: [c.header] for k, c in zip(keys, cols)}

    rows = RowWriter(layout.FIRST_DATA_ROW)
    pending: list[tuple[list, int]] = []
    seq = 0
    for bundle in bundles:
        groups: dict[str, list[WorkItemRecord]] = {}
        for item in bundle.plan_tasks():
            groups.setdefault(safe_text(item.category or item.theme) or "", []).append(item)
        for gno, (category, items) in enumerate(groups.items(), 1):
            group = [(None, s_group)] * ncol
            group[0] = (chinese_numeral(gno), s_group_no)
            group[1] = (category or "（未分类）", s_group_q if needs_quote_prefix(category) else s_group)
            if multi:
                group[keys.index("report")] = (safe_text(labels[bundle.report.id]), s_group)
            group[-1] = (f"{layout.THEME_MARK}{gno}", s_hidden)
            pending.append((group, 0))
            for item in items:
                seq += 1
                cells = []
                for k, (base, quoted) in zip(keys, col_style):
                    if k == "seq":
                        value = seq
                    elif k == "text":
                        value = safe_text(item.text)
                    elif k == "category":
                        value = category or None
                    elif k == "deadline":
                        value = _deadline_value(item.deadline)
                        if isinstance(value, dt.date):
                            cells.append((value, s_date))
                            widths[k].append("2024年12月31日")
                            continue
                    elif k == "report":
                        value = safe_text(labels[bundle.report.id])
                    elif k == "uid":
                        value = safe_text(item.uid)
                    else:
                        value = safe_text(getattr(item, k))
                    cells.append((value, quoted if isinstance(value, str) and needs_quote_prefix(value) else base))
                    if value is not None and k not in ("text", "progress", "uid"):
                        widths[k].append(value)
                pending.append((cells, 1))
                progress.step()

    col_widths = []
    for i, col in enumerate(cols, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        if col.key in ("text", "progress"):
            dim.width = col.max_width
        else:
            dim.width = column_width(widths[col.key], minimum=col.min_width, maximum=col.max_width)
        col_widths.append(dim.width if col.key not in ("uid", "seq") else None)
    ws.column_dimensions[uid_letter].hidden = True
    for cells, level in pending:
        if level:
            rows.add(cells, outline_level=1, height=row_height([v for v, _ in cells], col_widths))
        else:
            rows.add(cells, height=22)
    last = max(rows.last_row, layout.FIRST_DATA_ROW)

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

    ws.freeze_panes = f"A{first}"
    ws.auto_filter.ref = f"A{layout.HEADER_ROW}:{last_letter}{last}"
    setup_print(ws, title_rows=f"{layout.TITLE_ROW}:{layout.HEADER_ROW}", area=f"A1:{last_letter}{last}")
    return ws, rows, f"A1:{uid_letter}{last}"


def _review_sheet_writer():
    """The 审阅评分 sheet's writer (imported by name, so the import contracts see the dependency)."""
    from desktop.review.excel import write_review_sheet  # noqa: PLC0415 (openpyxl styles load with the export)

    return write_review_sheet


def ledger_bytes(bundles, library_id: str, *, progress=None, cancel=None, now: dt.datetime | None = None,
                 crossyear=()) -> bytes:
    """The whole workbook as .xlsx bytes."""
    from desktop.ledger import extra_sheets  # noqa: PLC0415 (keeps this module's imports short)

    bundles = list(bundles)
    labels = report_labels(bundles)
    total = sum(len(b.plan_tasks()) + len(b.indicators) + len(b.annotations) + len(b.sections) for b in bundles)
    meter = Progress(total + 1, progress, cancel)
    meter.check()
    wb = openpyxl.Workbook()
    spliced = {}
    ws, rows, ref = _write_tracking(wb, bundles, labels, meter)
    spliced[ws] = (rows, ref)
    for ws, rows, ref in extra_sheets.write_all(wb, bundles, labels, meter):
        spliced[ws] = (rows, ref)
    writer = _review_sheet_writer()
    if writer is not None:
        writer(wb, bundles)
    from desktop.ledger import crossyear as cross  # noqa: PLC0415  跨年对照 + 指标年度对比 (issue 11)
    cross.write(wb, list(crossyear))
    extra_sheets.write_meta(wb, bundles, labels, library_id, now or dt.datetime.now())
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    meter.check()
    data = splice(buf.getvalue(), {ws.path.lstrip("/"): value for ws, value in spliced.items()})
    meter.step()
    return data


def export_ledger(bundles, path, library_id: str, *, progress=None, cancel=None,
                  now: dt.datetime | None = None, crossyear=()) -> ExportSummary:
    """Write the ledger to `path` atomically (a cancelled or failed export leaves no file behind)."""
    bundles = list(bundles)
    data = ledger_bytes(bundles, library_id, progress=progress, cancel=cancel, now=now, crossyear=crossyear)
    target = Path(path)
    try:
        write_atomic(target, data)  # the folder must exist; the user's normal file mode
    except OSError as exc:
        if isinstance(exc, OutputError):
            reason = exc.reason
        elif isinstance(exc, PermissionError):
            reason = "没有写入权限，或文件正在 Excel/WPS 中打开"
        else:
            reason = f"无法写入文件（{exc.strerror or exc}）"
        raise LedgerError(reason, path=path) from exc
    return ExportSummary(str(target), len(bundles), sum(len(b.plan_tasks()) for b in bundles),
                         sum(len(b.indicators) for b in bundles), sum(len(b.annotations) for b in bundles))
