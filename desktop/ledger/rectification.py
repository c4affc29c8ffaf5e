"""整改清单: the annotations marked 需整改 as a sheet of the ledger that the unit fills, and its read-back.

Written beside the tracking sheet (one small hook in export.ledger_bytes); read back with the ledger's own
safe opening (readback.open_workbook) by the hidden stable ID, every refused row listed with its reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from desktop.ledger import layout
from desktop.excel.cells import column_width, row_height, safe_sheet_name, safe_text
from desktop.ledger.diff import DiffRow, RowProblem
from desktop.ledger.readback import as_text, open_workbook
from desktop.kernel.labels import section_label
from desktop.excel.styles import BORDER, HEADER_FILL, body_font, heading_font, put_text, setup_print, style_cell
from desktop.store.repo_letters import (
    CLOSED, OPEN, RECTIFICATION_STATES, is_rectification_item, quoted_words_state, rectification_state,
)

SHEET = "整改清单"
STATES = (*RECTIFICATION_STATES, CLOSED)  # the dropdown; 已销号 closes the item
ID_PREFIX = "批注-"
TITLE_ROW, FILLER_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4
# (key, header, min width, max width, centered)
_COLUMNS = (("seq", "序号", 5, 6, True), ("section", "章节", 14, 24, False), ("quote", "引文", 30, 36, False),
            ("opinion", "审阅意见", 30, 40, False), ("progress", "整改情况", 36, 44, False),
            ("state", "整改状态", 10, 11, True), ("words", "原文变化", 10, 11, True), ("uid", "编号", 10, 10, False))
_REPORT_COLUMN = ("report", layout.REPORT_HEADER, 14, 24, False)


def columns(with_report: bool) -> list[tuple]:
    cols = list(_COLUMNS)
    if with_report:
        cols.insert(1, _REPORT_COLUMN)
    return cols


def _items(bundle):
    records = {r.annotation_id: r for r in bundle.rectifications}
    sections = {s.path: f"{s.path} {s.title}".strip() for s in bundle.sections}
    for a in sorted(bundle.annotations, key=lambda a: (a.start if a.start is not None else -1, a.id)):
        if not is_rectification_item(a):
            continue
        record = records.get(a.id)
        yield a, {
            "section": sections.get(a.section_path) or section_label(a.section_path),
            "quote": a.quote, "opinion": a.body, "progress": record.progress if record else None,
            "state": rectification_state(a, record), "words": quoted_words_state(a, bundle.report),
            "uid": f"{ID_PREFIX}{a.id}",
        }


def write_sheet(wb, bundles, labels) -> object | None:
    """Add the 整改清单 sheet when any report has items; returns the worksheet (or None)."""
    items = [(b, a, v) for b in bundles for a, v in _items(b)]
    if not items:
        return None
    multi = len(bundles) > 1
    cols = columns(multi)
    ws = wb.create_sheet(safe_sheet_name(SHEET, wb.sheetnames))
    last = get_column_letter(len(cols) - 1)
    issuers = {b.report.issuer for b in bundles}
    title = f"{issuers.pop() if len(issuers) == 1 and None not in issuers else ''}法治政府建设年度报告审阅意见整改清单"
    put_text(ws.cell(TITLE_ROW, 1), safe_text(title))
    style_cell(ws.cell(TITLE_ROW, 1), font=heading_font(18), border=None,
               align=Alignment(horizontal="center", vertical="center"))
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 40
    style_cell(ws.cell(FILLER_ROW, 1, "填报单位（盖章）：                    填报日期：      年    月    日"),
               font=body_font(12), border=None, align=Alignment(horizontal="left", vertical="center"))
    ws.merge_cells(f"A{FILLER_ROW}:{last}{FILLER_ROW}")
    for i, (_, header, *_rest) in enumerate(cols, 1):
        style_cell(ws.cell(HEADER_ROW, i, header), font=heading_font(11), fill=HEADER_FILL, border=BORDER,
                   align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    widths = []
    for i, (key, header, lo, hi, _) in enumerate(cols, 1):
        values = [header] + [v.get(key) for _, _, v in items] if key not in ("quote", "opinion", "progress") else []
        widths.append(hi if not values else column_width(values, minimum=lo, maximum=hi))
        ws.column_dimensions[get_column_letter(i)].width = widths[-1]
    ws.column_dimensions[get_column_letter(len(cols))].hidden = True
    for n, (bundle, _, values) in enumerate(items, 1):
        r = FIRST_ROW + n - 1
        values = {**values, "seq": n, "report": labels.get(bundle.report.id)}
        for i, (key, _, _, _, centered) in enumerate(cols, 1):
            cell = ws.cell(r, i)
            value = values.get(key)
            if isinstance(value, str) or value is None:
                put_text(cell, safe_text(value))
            else:
                cell.value = value
            style_cell(cell, font=body_font(11), border=None if key == "uid" else BORDER,
                       align=Alignment(horizontal="center" if centered else "left", vertical="center",
                                       wrap_text=key != "uid"))
        ws.row_dimensions[r].height = row_height([values.get(c[0]) for c in cols], widths)
    end = FIRST_ROW + len(items) - 1
    state = get_column_letter(next(i for i, c in enumerate(cols, 1) if c[0] == "state"))
    choices = ",".join(STATES)
    dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=True,
                        errorTitle="整改状态", error=f"请从下拉列表选择：{choices}")
    dv.add(f"{state}{FIRST_ROW}:{state}{end}")
    ws.add_data_validation(dv)
    ws.freeze_panes = f"A{FIRST_ROW}"
    setup_print(ws, title_rows=f"{TITLE_ROW}:{HEADER_ROW}", area=f"A1:{last}{end}")
    return ws


# ---------------------------------------------------------------- read-back
@dataclass(frozen=True)
class RectRow:
    row: int
    seq: str | None
    uid: str | None
    opinion: str | None
    progress: str | None
    state: str | None


@dataclass(frozen=True)
class RectChange:
    row: int
    seq: str | None
    annotation_id: int
    quote: str | None
    label: str  # 整改情况 | 整改状态
    old: str | None
    new: str | None


@dataclass
class RectDiff:
    changes: list[RectChange] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    unchanged_rows: int = 0

    def updates(self) -> list[tuple[int, dict]]:
        """(annotation id, {progress?, state?, status?}) for Library.letters.apply_rectification_updates."""
        out: dict[int, dict] = {}
        for c in self.changes:
            entry = out.setdefault(c.annotation_id, {})
            if c.label == "整改情况":
                entry["progress"] = c.new
            elif c.new == CLOSED:
                entry["status"] = CLOSED
            else:
                entry["state"] = c.new
                if c.old == CLOSED:
                    entry["status"] = OPEN  # reopened
        return list(out.items())

    def rows(self) -> list[DiffRow]:
        return [DiffRow(c.row, c.seq, f"{SHEET}：{_short(c.quote)}", c.label, c.old, c.new) for c in self.changes]

    def summary(self) -> str:
        """What it changes (its refused rows are counted with the ledger's: attach adds them there)."""
        return f"{SHEET} {len({c.annotation_id for c in self.changes})} 项有更新"


def _short(text, n: int = 30) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _norm(value) -> str | None:
    text = safe_text(as_text(value))
    text = text.replace("\r\n", "\n").strip() if text else None
    return text or None


def read_sheet(path) -> tuple[list[RectRow], str | None] | None:
    """The 整改清单 rows of a returned ledger (None when it has no such sheet) and a sheet-level problem."""
    wb = open_workbook(path)
    try:
        if SHEET not in wb.sheetnames:
            return None
        rows_iter = wb[SHEET].iter_rows(values_only=True)
        header, header_row = [], 0
        for r, values in enumerate(rows_iter, 1):
            if values and _norm(values[0]) == "序号":
                header, header_row = [_norm(v) or "" for v in values], r
                break
            if r >= 10:
                break
        while header and not header[-1]:
            header.pop()
        expected = [c[1] for c in columns(layout.REPORT_HEADER in header)]
        if header != expected:
            return [], f"{SHEET}的表头与导出时不同（列被改名、插入、删除或调整顺序），整表未导入"
        index = {c[0]: i for i, c in enumerate(columns(layout.REPORT_HEADER in header))}
        out = []
        for r, values in enumerate(rows_iter, header_row + 1):
            values = list(values) + [None] * (len(index) - len(values))
            at = {k: _norm(values[i]) for k, i in index.items()}
            if not any(at.values()):
                continue
            out.append(RectRow(r, at["seq"], at["uid"], at["opinion"], at["progress"], at["state"]))
        return out, None
    finally:
        wb.close()


def preview(repo, path, ledger) -> RectDiff | None:
    """What the returned 整改清单 would change; refusals by row. `ledger` is the tracking sheet's LedgerFile."""
    found = read_sheet(path)
    if found is None:
        return None
    rows, sheet_problem = found
    diff = RectDiff()
    file_problems = list(ledger.problems)
    if ledger.library_id and ledger.library_id != repo.library_id():
        file_problems.append("台账来自另一个审阅库，与当前审阅库不符，整表未导入")
    if sheet_problem:
        file_problems.append(sheet_problem)
    if file_problems:
        diff.problems = [RowProblem(r.row, r.seq, r.uid, f"{SHEET}：{_short(r.opinion)}", file_problems[-1])
                         for r in rows] or [RowProblem(None, None, None, SHEET, file_problems[-1])]
        return diff
    annotations = {a.id: a for a in repo.annotations.annotations(include_deleted=True)}
    live = {a.id for a in repo.annotations.annotations()}
    records = repo.letters.rectifications()
    seen: dict[str, list[int]] = {}
    for r in rows:
        if r.uid:
            seen.setdefault(r.uid, []).append(r.row)
    for r in rows:
        reason = _refusal(r, seen, annotations, live)
        if reason:
            diff.problems.append(RowProblem(r.row, r.seq, r.uid, f"{SHEET}：{_short(r.opinion)}", reason))
            continue
        a = annotations[int(r.uid[len(ID_PREFIX):])]
        record = records.get(a.id)
        before = record.progress if record else None
        changes = []
        if r.progress != _norm(before):
            changes.append(RectChange(r.row, r.seq, a.id, a.quote, "整改情况", before, r.progress))
        old_state = rectification_state(a, record)
        if r.state is not None and r.state != old_state:
            changes.append(RectChange(r.row, r.seq, a.id, a.quote, "整改状态", old_state, r.state))
        diff.changes += changes
        diff.unchanged_rows += not changes
    return diff


def _refusal(r: RectRow, seen, annotations, live) -> str | None:
    if not r.uid:
        return "缺少编号（可能是新增或复制来的行），本行未导入；新的整改事项请在审阅台中标为“需整改”"
    if len(seen[r.uid]) > 1:
        return f"编号重复（第 {'、'.join(str(n) for n in seen[r.uid])} 行使用同一编号），本行未导入"
    ident = r.uid[len(ID_PREFIX):] if r.uid.startswith(ID_PREFIX) else ""
    a = annotations.get(int(ident)) if ident.isdigit() else None
    if a is None:
        return f"编号“{r.uid}”在审阅库中不存在，本行未导入"
    if a.id not in live or not is_rectification_item(a):
        return "该审阅意见已不再需要整改（已删除或状态已改），本行未导入"
    if r.opinion != _norm(a.body):
        return "“审阅意见”内容被修改，本行未导入（意见请在审阅台中修改）"
    if r.state is not None and r.state not in STATES:
        return f"整改状态“{r.state}”不是可选值（{'、'.join(STATES)}），本行未导入"
    return None


def apply(repo, diff: RectDiff | None, who=None) -> list[tuple[int, dict]]:
    """Store the accepted 整改清单 changes in one transaction; returns the earlier values (the undo)."""
    if diff is None or not diff.changes:
        return []
    return repo.letters.apply_rectification_updates(diff.updates(), who=who)


def attach(diff, repo, path, ledger) -> None:
    """Hook for service.preview_import: the 整改清单 part of a ledger diff (its refusals join the ledger's)."""
    diff.rectification = preview(repo, path, ledger)
    if diff.rectification is not None:
        diff.problems.extend(diff.rectification.problems)


def apply_plan(repo, plan, who=None) -> list[tuple[int, dict]]:
    """A read-back of several files: each readable file's 整改清单 changes; returns the earlier values."""
    reverts: list[tuple[int, dict]] = []
    for d in plan.diffs:
        if not d.file_problems:
            reverts += apply(repo, getattr(d, "rectification", None), who)
    return reverts


def undo(repo, reverts, who=None) -> None:
    """Put back what apply/apply_plan replaced (latest first, so an item changed twice ends as it was)."""
    if reverts:
        repo.letters.apply_rectification_updates(list(reversed(reverts)), who=who)


def format_changes(diff) -> str:
    """The 整改清单 changes of one file as the command line lists them (its refusals are in diff.problems)."""
    from desktop.ledger.diff import describe

    part = getattr(diff, "rectification", None)
    if part is None:
        return ""
    return "\n".join(f"  ✓ 第{r.row}行 序号{r.seq} {r.task}：{r.field} {describe(r.old)} → {describe(r.new)}"
                     for r in part.rows())
