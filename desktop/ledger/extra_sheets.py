"""The ledger's other sheets: 指标汇总, 审阅意见, 报告结构, and the very hidden 台账信息."""
from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from desktop import __version__
from desktop.ledger import layout
from desktop.excel.cells import approx_width, needs_quote_prefix, row_height, safe_sheet_name, safe_text
from desktop.excel.styles import BORDER, HEADER_FILL, StyleIds, heading_font, put_text, setup_print, style_cell
from desktop.excel.xmlrows import RowWriter
from desktop.kernel.labels import PREAMBLE, PREAMBLE_LABEL, WHOLE_REPORT_LABEL, local_time

# (header, min width, max width, centered); the first column is 来源报告 when several reports.
_SPECS = {
    layout.SHEET_INDICATORS: [(18, 30, False), (16, 26, False), (8, 12, True), (6, 8, True), (6, 8, True),
                              (12, 20, False), (40, 50, False), (8, 10, True)],
    layout.SHEET_ANNOTATIONS: [(18, 30, False), (24, 36, False), (30, 44, False), (10, 16, False),
                               (6, 8, True), (8, 10, True), (8, 10, True), (12, 19, True), (8, 12, True)],
    layout.SHEET_OUTLINE: [(10, 14, False), (30, 50, False), (10, 14, True), (7, 8, True), (9, 10, True),
                           (9, 10, True)],
}
_FIXED_WIDTH = {("指标汇总", "原文"), ("审阅意见", "引文"), ("审阅意见", "意见")}


def _section_labels(bundle) -> dict[str, str]:
    labels = {s.path: f"{s.path} {s.title}".strip() for s in bundle.sections}
    labels[PREAMBLE] = PREAMBLE_LABEL
    return labels


def _number(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _change(ind) -> str | None:
    if ind.change_text:
        return ind.change_text
    if ind.change_value is None:
        return None
    return f"{layout.BASIS_NAMES.get(ind.change_basis, '')}{ind.change_value:+g}{ind.change_unit or ''}"


def _subtree_counts(paths) -> dict[str, int]:
    """How many of `paths` fall in each section, its descendants included ("一" holds "一.(二).3")."""
    counts: dict[str, int] = {}
    for path in paths:
        if not path:
            continue
        parts = path.split(".")
        for i in range(1, len(parts) + 1):
            key = ".".join(parts[:i])
            counts[key] = counts.get(key, 0) + 1
    return counts


def _indicator_rows(bundle, indicators=None):
    sections = _section_labels(bundle)
    indicators = bundle.indicators if indicators is None else indicators
    for ind in sorted((i for i in indicators if not i.deleted), key=lambda i: (i.position, i.start)):
        yield [sections.get(ind.section_path, ind.section_path), ind.name, _number(ind.value), ind.unit,
               layout.QUALIFIER_NAMES.get(ind.qualifier, ind.qualifier) or None, _change(ind), ind.context,
               ind.check_status]


def _annotation_rows(bundle):
    sections = _section_labels(bundle)
    for a in sorted(bundle.annotations, key=lambda a: (a.start if a.start is not None else -1, a.id)):
        section = sections.get(a.section_path, a.section_path) if a.section_path else WHOLE_REPORT_LABEL
        yield [section, a.quote, a.body, "、".join(a.tags) or None, _number(a.score), a.status, a.reviewer,
               local_time(a.updated_at or a.created_at) or None, layout.ANCHOR_NAMES.get(a.anchor, a.anchor) or None]


def _outline_rows(bundle, indicator_paths=None):
    if indicator_paths is None:
        indicator_paths = [i.section_path for i in bundle.indicators if not i.deleted]
    indicators = _subtree_counts(indicator_paths)
    items = _subtree_counts(w.section_path for w in bundle.work_items if not w.deleted)
    notes = _subtree_counts(a.section_path for a in bundle.annotations)
    for s in sorted(bundle.sections, key=lambda s: (s.position, s.start)):
        yield s.level, [s.path, s.title, layout.ROLE_NAMES.get(s.role, s.role), indicators.get(s.path, 0),
                        items.get(s.path, 0), notes.get(s.path, 0)]


def _data_sheet(wb, name, headers, spec, bundles, labels, make_rows, meter, indent=False):
    multi = len(bundles) > 1
    ws = wb.create_sheet(safe_sheet_name(name, wb.sheetnames))
    headers = ([layout.REPORT_HEADER] if multi else []) + list(headers)
    spec = ([(14, 24, False)] if multi else []) + list(spec)
    for i, header in enumerate(headers, 1):
        style_cell(ws.cell(1, i, header), font=heading_font(11), fill=HEADER_FILL, border=BORDER,
                   align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.row_dimensions[1].height = 28
    styles = StyleIds(ws)
    plain = [(styles.get(centered=c), styles.get(centered=c, quote=True)) for _, _, c in spec]
    # Two passes over the reports, so no sheet is held in memory: the column widths first (a row's height needs
    # them), then the rows, spooled to disk by the RowWriter (issue 27).
    widest = _widest(headers, spec, bundles, labels, make_rows, indent)
    col_widths = _set_widths(ws, name, headers, spec, widest)
    rows = RowWriter(2)
    for bundle in bundles:
        for produced in make_rows(bundle):
            level, values = produced if indent else (1, produced)
            values = ([labels[bundle.report.id]] if multi else []) + values
            cells = _data_cells(values, level if indent else 1, headers, plain, styles)
            rows.add(cells, height=row_height([v for v, _ in cells], col_widths))
            meter.step()
    last = max(rows.last_row, 2)
    last_letter = get_column_letter(len(headers))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last_letter}{last}"
    setup_print(ws, title_rows="1:1", area=f"A1:{last_letter}{last}")
    return ws, rows, f"A1:{last_letter}{last}"


def _widest(headers, spec, bundles, labels, make_rows, indent: bool) -> list[float]:
    """Each column's widest line (headers and every value), counted only until it reaches the column's cap."""
    multi = len(bundles) > 1
    widest = [max((approx_width(line) for line in h.splitlines()), default=0) for h in headers]
    caps = [hi for _, hi, _ in spec]
    for bundle in bundles:
        for produced in make_rows(bundle):
            values = ([labels[bundle.report.id]] if multi else []) + list(produced[1] if indent else produced)
            for i, value in enumerate(values):
                if value is None or widest[i] >= caps[i]:
                    continue
                if isinstance(value, str):
                    value = safe_text(value)
                for line in str(value).splitlines():
                    widest[i] = max(widest[i], approx_width(line))
    return widest


def _set_widths(ws, name, headers, spec, widest) -> list[float]:
    """Column widths from the widest values, within each column's (min, max); some columns are always max."""
    col_widths = []
    for i, (header, (lo, hi, _)) in enumerate(zip(headers, spec), 1):
        fixed = (name, header) in _FIXED_WIDTH
        width = hi if fixed else (hi if widest[i - 1] >= hi else float(min(max(widest[i - 1] + 2, lo), hi)))
        ws.column_dimensions[get_column_letter(i)].width = width
        col_widths.append(width)
    return col_widths


def _data_cells(values, level: int, headers, plain, styles) -> list:
    """(value, style id) of one row: text sanitised and quote-prefixed where needed; a 标题 below the top level
    indented by its level (at most 6)."""
    cells = []
    for i, value in enumerate(values):
        if isinstance(value, str) or value is None:
            value = safe_text(value)
        base, quoted = plain[i]
        if headers[i] == "标题" and level > 1:
            base = styles.get(indent=min(level - 1, 6))
        cells.append((value, quoted if isinstance(value, str) and needs_quote_prefix(value) else base))
    return cells


def write_all(wb, bundles, labels, meter, source=None):
    """指标汇总, 审阅意见, 报告结构: (worksheet, rows, dimension) for each. `source` (export.IndicatorSource) gives
    each report's indicators when a sheet needs them (the bundles' own when None)."""
    if source is None:
        indicator_rows, outline_rows = _indicator_rows, _outline_rows
    else:
        def indicator_rows(bundle):
            return _indicator_rows(bundle, source(bundle))

        def outline_rows(bundle):
            return _outline_rows(bundle, source.section_paths(bundle))
    return [
        _data_sheet(wb, layout.SHEET_INDICATORS, layout.INDICATOR_HEADERS, _SPECS[layout.SHEET_INDICATORS],
                    bundles, labels, indicator_rows, meter),
        _data_sheet(wb, layout.SHEET_ANNOTATIONS, layout.ANNOTATION_HEADERS, _SPECS[layout.SHEET_ANNOTATIONS],
                    bundles, labels, _annotation_rows, meter),
        _data_sheet(wb, layout.SHEET_OUTLINE, layout.OUTLINE_HEADERS, _SPECS[layout.SHEET_OUTLINE],
                    bundles, labels, outline_rows, meter, indent=True),
    ]


def write_meta(wb, bundles, labels, library_id: str, now: dt.datetime, unit: str | None = None) -> None:
    """台账信息 (very hidden): what the importer checks before it trusts the file."""
    ws = wb.create_sheet(layout.SHEET_META)
    ws.sheet_state = "veryHidden"
    multi = len(bundles) > 1
    rows = [
        ("format", layout.FORMAT),
        ("library_id", library_id),
        ("exported_at", now.isoformat(timespec="seconds")),
        ("app_version", __version__),
        ("columns", "|".join(c.header for c in layout.tracking_columns(with_report=multi))),
    ]
    if unit is not None:
        rows.append(("unit", unit))  # the 牵头单位 this copy went to
    rows += [("report", f"{b.report.id}|{labels[b.report.id]}") for b in bundles]
    for r, (key, value) in enumerate(rows, 1):
        ws.cell(r, 1, key)
        put_text(ws.cell(r, 2), safe_text(value))
