"""Read-back: open a ledger a department filled in, safely, and turn it into rows keyed by stable ID."""
from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field

import openpyxl

from desktop.ledger import layout
from desktop.ledger.errors import LedgerCancelled, LedgerError
from desktop.ledger.safety import RowBudget, check_package
from desktop.ledger.sheetstream import StreamBook
from desktop.store.records import TRACKING_FIELDS


@dataclass(frozen=True)
class LedgerRow:
    row: int  # row number in the sheet
    seq: str | None  # 序号 as shown
    uid: str | None  # hidden stable ID
    text: str | None  # 工作任务
    values: dict  # tracking field -> cell value (str, datetime, number or None)
    report: str | None = None  # 来源报告
    refused: dict = field(default_factory=dict)  # tracking field -> why its cell is not taken (formula, error)


@dataclass(frozen=True)
class LedgerFile:
    path: str
    format: str | None
    library_id: str | None
    exported_at: str | None
    headers: tuple[str, ...]
    rows: tuple[LedgerRow, ...]
    problems: tuple[str, ...] = field(default=())  # sheet-level: every row is refused with these reasons
    unit: str | None = None  # 填报单位 as written in the file (or pre-filled at export)


def _fail(path, message: str):
    raise LedgerError(message, path=path)


def open_workbook(path):
    """The workbook as a stream of rows (sheetstream.StreamBook: the parts read-back needs, parsed by expat
    without a tree, after safety.check_package bounded every part), errors in one sentence.

    Cells mean what openpyxl's read-only mode (not data_only) makes of them: a formula stays visible as a
    formula, so read-back can refuse it instead of trusting a cached result."""
    check_package(path)
    try:
        return StreamBook(path)
    except LedgerError:
        raise
    except Exception as exc:  # noqa: BLE001 -- any parser failure of an untrusted file is "corrupt"
        _parse_failure(path, exc)


def open_workbook_openpyxl(path):
    """openpyxl's read-only load of the same file (the reference the streaming reader is measured against)."""
    check_package(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. "Data Validation extension is not supported"
        return openpyxl.load_workbook(path, read_only=True, data_only=False)


def _parse_failure(path, exc: Exception):
    kind = type(exc).__name__
    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps parser errors in ValueError
        if "Forbidden" in type(cause).__name__:  # defusedxml: DTD/Entities/ExternalReference Forbidden
            _fail(path, "工作簿含有不安全的 XML 内容（实体或外部引用），已拒绝读取")
        cause = cause.__cause__ or cause.__context__
    _fail(path, f"文件已损坏或格式无法识别（{kind}）")


def _cell_value(value):
    """Strings stripped (empty -> None); numbers and dates kept."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        return value or None
    return value


def _row_values(cells) -> tuple[list, dict[int, str]]:
    """Cell values of one row, and the columns whose cell holds a formula or an error value (with why)."""
    values, bad = [], {}
    for i, cell in enumerate(cells):
        kind = getattr(cell, "data_type", None)
        value = cell.value
        if kind == "f" or (kind != "s" and isinstance(value, str) and value.startswith("=")):
            text = value if isinstance(value, str) else getattr(value, "text", None) or "公式"
            bad[i] = f"单元格含公式“{_clip(text)}”，不是填写的值，未导入（请改为直接填写内容）"
            value = None
        elif kind == "e":
            bad[i] = f"单元格是错误值“{value}”，未导入（请改为直接填写内容）"
            value = None
        values.append(_cell_value(value))
    return values, bad


def _clip(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


_FILLER_LABEL = "填报单位"


def _filler_unit(values) -> str | None:
    """The unit a department wrote after 填报单位（盖章）： in the rows above the header."""
    for v in values:
        if isinstance(v, str) and v.startswith(_FILLER_LABEL):
            rest = v[len(_FILLER_LABEL):].lstrip()
            for mark in ("（盖章）", "(盖章)"):
                rest = rest.removeprefix(mark).lstrip()
            rest = rest.lstrip("：:").strip()
            return rest.splitlines()[0].strip() or None if rest else None
    return None


def as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _meta(wb) -> dict[str, str]:
    if layout.SHEET_META not in wb.sheetnames:
        return {}
    info: dict[str, str] = {}
    for row in wb[layout.SHEET_META].iter_rows(max_col=2, values_only=True):
        if row and isinstance(row[0], str) and row[0] not in info:
            info[row[0]] = as_text(row[1] if len(row) > 1 else None) or ""
    return info


def _header_problem(found: list[str], expected: list[str]) -> str | None:
    if found == expected:
        return None
    if sorted(found) == sorted(expected):
        return "表头的列顺序被调整过，与导出时不同，整表未导入"
    for i, (want, got) in enumerate(zip(expected, found), 1):
        if want != got:
            col = openpyxl.utils.get_column_letter(i)
            return f"表头第 {col} 列应为“{want}”，实为“{got or '（空）'}”：列被改名、插入或删除，整表未导入"
    return f"表头应有 {len(expected)} 列，实有 {len(found)} 列，整表未导入"


def read_ledger(path, *, progress=None, cancel=None, opener=None) -> LedgerFile:
    """Parse the tracking sheet of a ledger workbook; sheet-level problems go into `problems`. `opener` (tests and
    benches) swaps the streaming reader for openpyxl's read-only load to compare the two."""
    wb = (opener or open_workbook)(path)
    try:
        if layout.SHEET_TRACKING not in wb.sheetnames:
            _fail(path, f"不是本程序导出的台账：找不到工作表“{layout.SHEET_TRACKING}”")
        meta = _meta(wb)
        problems = _meta_problems(meta)
        ws = wb[layout.SHEET_TRACKING]
        ws.reset_dimensions()  # read every row, whatever the sheet's <dimension> claims
        rows_iter = ws.iter_rows()  # cells, not values: a formula or an error value is seen as such
        header, header_row, unit = _find_header(rows_iter)
        expected = meta.get("columns", "").split("|") if meta.get("columns") else [
            c.header for c in layout.tracking_columns(with_report=layout.REPORT_HEADER in header)]
        if not header_row:
            problems.append("找不到表头行（第一列为“序号”的行），整表未导入")
        else:
            problem = _header_problem(header, expected)
            if problem:
                problems.append(problem)
        keys = {c.header: c.key for c in layout.tracking_columns(True)}
        index = {keys.get(h, h): i for i, h in enumerate(expected)}
        if cancel is not None and cancel():
            raise LedgerCancelled(path)
        rows = _data_rows(path, ws, rows_iter if header_row else (), header_row, index, progress, cancel)
        if progress is not None:
            progress(len(rows), len(rows))
        return LedgerFile(str(path), meta.get("format"), meta.get("library_id"), meta.get("exported_at"),
                          tuple(header), tuple(rows), tuple(problems), unit or meta.get("unit") or None)
    except LedgerError:
        raise
    except Exception as exc:  # noqa: BLE001 -- malformed sheet content inside a valid package
        _parse_failure(path, exc)
    finally:
        wb.close()


def _meta_problems(meta: dict[str, str]) -> list[str]:
    """Why the whole sheet is refused because of its hidden 台账信息 sheet (missing, or another format)."""
    if not meta:
        return ["缺少台账信息（隐藏的“台账信息”工作表），无法确认台账来自哪个审阅库，整表未导入"]
    if meta.get("format") != layout.FORMAT:
        return [f"台账格式“{meta.get('format')}”不受支持，整表未导入"]
    return []


def _find_header(rows_iter) -> tuple[list[str], int, str | None]:
    """Read rows until the header (first cell 序号, within the first 10 rows): its texts without trailing blanks,
    its row number (0: not found) and the 填报单位 written above it. The iterator is left after the header."""
    header: list[str] = []
    header_row = 0
    unit = None
    for r, cells in enumerate(rows_iter, 1):
        values = [_cell_value(c.value) for c in cells]
        if values and values[0] == "序号":
            header = [as_text(v) or "" for v in values]
            header_row = r
            break
        unit = unit or _filler_unit(values)
        if r >= 10:
            break
    while header and not header[-1]:
        header.pop()
    return header, header_row, unit


def _data_rows(path, ws, rows_iter, header_row: int, index: dict, progress, cancel) -> list[LedgerRow]:
    """The task rows under the header (blank rows, theme rows and notes below the table skipped), within the
    file's row budget; progress and cancel are looked at every 200 rows."""
    budget = RowBudget(path)
    rows: list[LedgerRow] = []
    for r, cells in enumerate(rows_iter, header_row + 1):
        if cancel is not None and r % 200 == 0 and cancel():
            raise LedgerCancelled(path)
        if progress is not None and r % 200 == 0:
            progress(r, max(r, ws.max_row or r))
        values, bad = _row_values(cells)
        if not any(v is not None for v in values) and not bad:
            continue
        budget.take(values)
        row = _ledger_row(r, values, bad, index)
        if row is not None:
            rows.append(row)
    return rows


def _ledger_row(r: int, values: list, bad: dict[int, str], index: dict) -> LedgerRow | None:
    """One sheet row as a LedgerRow, or None for a theme row (its mark, or no ID, text or tracked value)."""

    def at(key):
        i = index.get(key)
        return values[i] if i is not None and i < len(values) else None

    uid = as_text(at("uid"))
    if uid and uid.startswith(layout.THEME_MARK):
        return None
    tracked = {k: at(k) for k in TRACKING_FIELDS}
    refused = {k: bad[index[k]] for k in TRACKING_FIELDS if index.get(k) in bad}
    text = as_text(at("text"))
    if not uid and not text and not refused and not any(
            v is not None for k, v in tracked.items() if k != "category"):
        return None  # a theme row that lost its mark, or a note typed under the table
    return LedgerRow(r, as_text(at("seq")), uid, text, tracked, as_text(at("report")), refused)
