"""Indicators over time: the same unit's figures matched across years by name (纠错率, 败诉率, 案件数…).

A figure is recognised as one of the well-known indicators of these reports by its name, or by the clause
it stands in when the name is empty (行政机关负责人出庭“应出尽出”实现100%); other figures pair across years
only when their names are the same. Each row has each year's value and the change between consecutive years:
percentage points for rates, a percentage for counts and amounts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# (label, unit, pattern on the name, pattern on the clause when the name alone does not say)
KNOWN = (
    ("行政复议纠错率", "%", re.compile(r"纠错率"), None),
    ("行政诉讼败诉率", "%", re.compile(r"败诉率"), None),
    ("负责人出庭应诉率", "%", re.compile(r"出庭(?:应诉)?率"), re.compile(r"出庭")),
    ("行政复议调撤率", "%", re.compile(r"调撤率"), None),
    ("调解成功率", "%", re.compile(r"调解成功率"), None),
    ("公共法律服务满意率", "%", re.compile(r"满意(?:率|度)"), None),
    ("规范性文件备案审查率", "%", re.compile(r"备案审查率|报备率"), None),
    ("合法性审查率", "%", re.compile(r"合法性审查率"), None),
    ("行政复议案件数", "件", re.compile(r"复议.{0,4}(?:收案|案件)|(?:收|受理).{0,4}复议"), re.compile(r"复议.{0,4}收案")),
    ("一审行政诉讼案件数", "件", re.compile(r"行政诉讼.{0,2}案件|行政应诉案件"), None),
    ("法律援助案件数", "件", re.compile(r"法律援助案件"), None),
    ("公证事项数", "件", re.compile(r"公证"), None),
    ("调解矛盾纠纷数", "件", re.compile(r"调解.{0,6}纠纷|纠纷.{0,4}调解"), None),
    ("行政处罚案件数", "件", re.compile(r"行政处罚案件"), None),
    ("合法性审查事项数", "件", re.compile(r"审查.{0,4}事项"), re.compile(r"合法性审查")),
)
RATE_UNITS = ("%", "‰")


@dataclass(frozen=True)
class YearValue:
    year: int
    report_id: int | None
    value: float
    unit: str
    text: str  # the figure as printed
    indicator_id: int | None = None


@dataclass
class IndicatorRow:
    label: str
    unit: str
    values: dict[int, YearValue] = field(default_factory=dict)

    @property
    def is_rate(self) -> bool:
        return self.unit in RATE_UNITS

    def change(self, year: int) -> float | None:
        """Change from the previous year: points for a rate, percent for a count; None without both years."""
        now, before = self.values.get(year), self.values.get(year - 1)
        if now is None or before is None:
            return None
        if self.is_rate:
            return round(now.value - before.value, 2)
        if before.value == 0:
            return None
        return round((now.value - before.value) / before.value * 100, 1)

    def change_text(self, year: int) -> str:
        c = self.change(year)
        if c is None:
            return ""
        if c == 0:
            return "持平"
        sign = "+" if c > 0 else ""
        return f"{sign}{c:g} 个百分点" if self.is_rate else f"{sign}{c:g}%"


@dataclass(frozen=True)
class IndicatorTable:
    unit_name: str
    years: tuple[int, ...]
    rows: tuple[IndicatorRow, ...]

    def to_dict(self) -> dict:
        return {"unit": self.unit_name, "years": list(self.years), "rows": [
            {"name": r.label, "unit": r.unit,
             "values": {str(y): (r.values[y].value if y in r.values else None) for y in self.years},
             "changes": {str(y): r.change(y) for y in self.years[1:]}} for r in self.rows]}


def indicator_key(name: str, context: str, unit: str) -> tuple[str, str] | None:
    """(label, unit) an indicator is tracked under across years, or None when it cannot be told apart."""
    name, context = name or "", context or ""
    cleaned = _clean(name)
    rate = unit in RATE_UNITS
    for label, known_unit, on_name, on_context in KNOWN:
        if rate != (known_unit in RATE_UNITS):
            continue
        if on_name.search(name) or (not cleaned and on_context and on_context.search(context)):
            return label, known_unit if known_unit in RATE_UNITS else unit
        if on_context and on_context.search(context) and on_name.search(context):
            return label, known_unit if known_unit in RATE_UNITS else unit
    if len(cleaned) >= 3:
        return cleaned, unit
    return None


_COUNT_LEAD = re.compile(r"^(?:全年|全市|全县|全区|共|累计|新|办理|发生)+")


def _clean(name: str | None) -> str:
    return _COUNT_LEAD.sub("", (name or "").strip())


def build_table(unit_name: str, years: list[tuple[int, int | None, list]]) -> IndicatorTable:
    """`years`: (year, report_id, indicators) for each report of one unit; indicators have name/context/value/
    unit/text (and id). The first figure of a name in a report counts (the headline one)."""
    rows: dict[tuple[str, str], IndicatorRow] = {}
    seen_years = []
    for year, report_id, indicators in sorted(years, key=lambda y: y[0]):
        seen_years.append(year)
        for ind in indicators:
            key = indicator_key(ind.name, getattr(ind, "context", ""), ind.unit)
            if key is None:
                continue
            row = rows.setdefault(key, IndicatorRow(*key))
            if year not in row.values:
                row.values[year] = YearValue(year, report_id, ind.value, ind.unit, ind.text, getattr(ind, "id", None))
    multi = [r for r in rows.values() if len(r.values) >= 2]
    known = [k[0] for k in KNOWN]
    multi.sort(key=lambda r: (known.index(r.label) if r.label in known else len(known), r.label))
    return IndicatorTable(unit_name, tuple(sorted(set(seen_years))), tuple(multi))


def unit_indicators(repo, report_id: int, *, index=None, indicators: dict | None = None) -> IndicatorTable:
    """The indicators of every annual report of the unit of `report_id`, matched across years.

    `index` (a followup.service.UnitIndex) and `indicators` (report id -> its indicators, filled as read) let a
    caller asking for many reports index the library and read each report's figures once."""
    from desktop.followup.service import UnitIndex

    index = index if index is not None else UnitIndex.of(repo)
    reports = index.same_unit(report_id)
    first = repo.reports.get_report(report_id)
    indicators = {} if indicators is None else indicators
    years = []
    for r in reports:
        if r["id"] not in indicators:
            indicators[r["id"]] = repo.items.indicators(r["id"])
        years.append((r["report_year"], r["id"], indicators[r["id"]]))
    return build_table(first.issuer or first.title or first.file_name, years)
