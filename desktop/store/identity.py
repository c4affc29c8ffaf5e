"""A report's identity (unit, level, region, years, date, type): the parser's guess and the reviewer's values checked."""
from __future__ import annotations

import re
from datetime import date

from desktop.kernel.labels import REPORT_LEVELS, REPORT_TYPES, field_label

# Fields a reviewer may correct; the parser's values are kept apart (reports.extracted_identity).
IDENTITY_FIELDS = ("title", "issuer", "level", "region", "report_year", "plan_year", "published", "report_type")
IDENTITY_LABELS = {f: field_label(f, "report") for f in IDENTITY_FIELDS}  # 标题, 单位, 层级, 地区…
LEVELS, REPORT_TYPES = REPORT_LEVELS, REPORT_TYPES
DOC_KIND_TYPES = {"annual_report": "年度报告", "work_plan": "工作要点"}
# Issuers that name no one: the unit is then taken from the title.
_ANONYMOUS = {"", "我局", "本局", "我委", "本委", "我办", "本办", "我厅", "本厅", "我市", "本市", "我区", "本区",
              "我县", "本县", "发布单位不详", "不详", "未知"}
_PLACE = re.compile(r"^((?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|特别行政区))?"
                    r"(?:[\u4e00-\u9fff]{1,7}?(?:自治州|地区|盟|市))?"
                    r"(?:[\u4e00-\u9fff]{1,7}?(?:自治县|县|区|旗))?)")
_BARE = re.compile(r"^(省|市|区|县|州|旗)(?=[\u4e00-\u9fff])")  # 市司法局: the place left out
_GOVERNMENT = re.compile(r"(人民政府|政府)(办公厅|办公室)?$")
_DEPARTMENT = re.compile(r"(厅|局|委员会|委|办公室|办|署|中心|院|会|处|队|所|站)$")
_TITLE_UNIT = re.compile(r"^\s*([\u4e00-\u9fff（）()]{2,40}?)(?:关于)?(?:\d{4}|二[〇零○]..)\s*年")
_NOT_PLACE_HEADS = ("中共", "中国", "全国", "国家")


def _place(name: str) -> str:
    if name.startswith(_NOT_PLACE_HEADS):
        return ""
    m = _PLACE.match(name)
    place = m.group(1) if m else ""
    # a place is only a place when an agency follows it ("市场监管局" is not the city "市场")
    return place if place and len(place) < len(name) and not place.endswith(("市场", "区域")) else ""


def unit_from_title(title: str | None) -> str | None:
    m = _TITLE_UNIT.match(title or "")
    return m.group(1) if m else None


def named_issuer(issuer: str | None, title: str | None) -> str | None:
    """The issuer, or the unit the title names when the issuer is missing or only says 我局."""
    issuer = (issuer or "").strip()
    if issuer in _ANONYMOUS:
        return unit_from_title(title)
    return issuer


def guess_region(issuer: str | None, title: str | None = None) -> str | None:
    for name in (named_issuer(issuer, title), unit_from_title(title)):
        place = _place(name or "")
        if place:
            return place
    return None


def guess_level(issuer: str | None, title: str | None = None) -> str:
    name = named_issuer(issuer, title) or ""
    if not name:
        return "其他"
    if _GOVERNMENT.search(name) and not _GOVERNMENT.search(name).group(2):
        place = _place(name) or name
        if re.search(r"(省|自治区)$", place):
            return "省"
        if re.search(r"(市|自治州|地区|盟)$", place):
            return "市"
        if re.search(r"(县|区|旗)$", place):
            return "县区"
        return "其他"
    if _DEPARTMENT.search(name):
        return "部门"
    return "其他"


def unit_name(issuer: str | None, region: str | None, title: str | None = None) -> str | None:
    """The unit's full name: 市司法局 in a 杭州市 report is 杭州市司法局."""
    name = named_issuer(issuer, title)
    if not name:
        return None
    bare = _BARE.match(name)
    if bare and region and region.endswith(bare.group(1)):
        return region + name[1:]
    return name


def parser_identity(doc_kind: str, title, issuer, report_year, plan_year, published) -> dict:
    """What the parser says, with level, region and type guessed from it."""
    region = guess_region(issuer, title)
    return {"title": title, "issuer": named_issuer(issuer, title) or issuer, "level": guess_level(issuer, title),
            "region": region, "report_year": report_year, "plan_year": plan_year, "published": published,
            "report_type": DOC_KIND_TYPES.get(doc_kind, "其他")}


_DATE = re.compile(r"^\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value: str) -> str:
    m = _DATE.match(value or "")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat() if m else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value) -> str:
    raise ValueError(f"发布日期“{value}”不是日期（应写成 2024-03-28 或 2024年3月28日）")


def clean_identity(changes: dict) -> dict:
    """Reviewer values checked and normalised; ValueError (a Chinese message) for a value off the list."""
    out = {}
    for field, value in changes.items():
        if field not in IDENTITY_FIELDS:
            raise ValueError(f"不能修改报告的“{field}”")
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None):
            if field in ("title", "issuer"):
                raise ValueError(f"{IDENTITY_LABELS[field]}不能为空")
            out[field] = None
            continue
        if field == "level" and value not in LEVELS:
            raise ValueError(f"层级应为 {'/'.join(LEVELS)} 之一，收到：{value}")
        if field == "report_type" and value not in REPORT_TYPES:
            raise ValueError(f"类型应为 {'/'.join(REPORT_TYPES)} 之一，收到：{value}")
        if field in ("report_year", "plan_year"):
            try:
                value = int(str(value).rstrip("年度"))
            except ValueError:
                raise ValueError(f"{IDENTITY_LABELS[field]}应为年份，收到：{value}") from None
            if not 1990 <= value <= 2100:
                raise ValueError(f"{IDENTITY_LABELS[field]}“{value}”不在 1990–2100 之间")
        if field == "published":
            value = parse_date(str(value))
        out[field] = value
    return out


def on_time(published: str | None, report_year: int | None, month: int = 4, day: int = 1) -> bool | None:
    """Published by 1 April of the following year; None when the date or the year is unknown."""
    if not published or not report_year:
        return None
    m = _DATE.match(published[:10]) or _DATE.match(published)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) <= date(report_year + 1, month, day)
    except ValueError:
        return None
