"""The schema of every mergeable part of a review bundle, declared as data (no SQL, no Qt), and the validator
that checks a whole state record by record before anything is written: types, ranges, enumerations, offsets
within the report's text, stamps not beyond now plus a day, no NUL in any text, years as numbers. One bad
record refuses the bundle. A team server validates with the same code (validate_state)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from desktop.kernel.labels import (
    ANCHOR_LABELS, ANNOTATION_STATUSES, BASIS_LABELS, REPORT_LEVELS, REPORT_REVIEW_STATUSES, REPORT_TYPES,
)
from desktop.kernel.limits import MAX_TEXT_CHARS
from desktop.report.model import DOC_KINDS, ITEM_KINDS, QUALIFIERS, ROLES
from desktop.store.followup_repo import VERDICTS
from desktop.store.records import TARGET_KINDS
from desktop.store.repo_letters import RECTIFICATION_STATES

FUTURE_SLACK = timedelta(days=1)  # a clock may run ahead; a stamp further ahead is refused
SHORT = 2_000  # names, labels, paths, units
LONG = 200_000  # a comment, a quote, a field a department filled in
_HEX = re.compile(r"[0-9A-Za-z_.\-]{1,128}")  # gids, keys and digests: a token, never free text
_STAMP = re.compile(r"(?:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})Z)?\|[^|\x00]{1,128}\|[0-9a-f]{1,32}")


class SchemaError(ValueError):
    """A record breaks the schema; the message names the part, the field and why, in Chinese."""


@dataclass(frozen=True)
class F:
    """One field: its kind ("text", "int", "num", "enum", "time", "date", "year", "offset", "flag", "hex",
    "json", "tags"), whether it may be None, and its bounds (length, range or values)."""
    kind: str
    optional: bool = True
    limit: object = None


def _text(n=SHORT, optional=True):
    return F("text", optional, n)


_OFFSETS = {"start": F("offset"), "end": F("offset")}
_ITEM_COMMON = {"uid": _text(64), "gid": F("hex", False), "section_path": _text(), "text": _text(LONG),
                "position": F("int", False, (0, 10**7)), "origin": F("enum", False, ("extracted", "reviewer")),
                "edited_fields": F("json"), "extracted": F("json"), "deleted": F("flag", False),
                "anchor": F("enum", False, tuple(ANCHOR_LABELS)), **_OFFSETS}
_TRACKING = {k: _text(LONG) for k in ("category", "target", "lead_unit", "partner_units", "owner", "deadline",
                                      "progress", "status", "evidence", "review_opinion", "remarks")}

# Each mergeable part and its fields (the keys a bundle may carry; `stamps` is checked for every part).
SCHEMA: dict[str, dict[str, F]] = {
    "reports": {
        "key": F("hex", False), "file_name": _text(1_000, False), "sha256": F("hex", False),
        "doc_kind": F("enum", False, DOC_KINDS), "title": _text(), "issuer": _text(), "report_year": F("year"),
        "plan_year": F("year"), "published": F("date"), "metadata": F("json"), "warnings": F("json"),
        "identity": _text(), "imported_at": F("time"), "reading_no": F("int", True, (1, 10_000)),
        "level": F("enum", True, REPORT_LEVELS), "region": _text(), "report_type": F("enum", True, REPORT_TYPES),
        "review_status": F("enum", True, REPORT_REVIEW_STATUSES), "edited_fields": F("json"),
        "extracted_identity": F("json"),
    },
    "readings": {"reading_no": F("int", False, (1, 10_000)), "file_name": _text(1_000, False),
                 "sha256": F("hex", False), "imported_at": F("time", False),
                 "clean_text": _text(MAX_TEXT_CHARS, False)},
    "sections": {"path": _text(optional=False), "parent_path": _text(), "number": _text(optional=False),
                 "label": _text(optional=False), "title": _text(LONG, False), "level": F("int", False, (0, 50)),
                 "role": F("enum", False, ROLES), "title_start": F("offset"), "title_end": F("offset"),
                 "position": F("int", False, (0, 10**7)), **_OFFSETS},
    "indicators": {**_ITEM_COMMON, "value": F("num", False), "unit": _text(), "qualifier": F("enum", False, QUALIFIERS),
                   "kind": _text(64, False), "name": _text(), "context": _text(LONG), "change_value": F("num"),
                   "change_unit": _text(), "change_basis": F("enum", True, tuple(k for k in BASIS_LABELS if k)),
                   "change_text": _text(), "check_status": F("enum", True, ANNOTATION_STATUSES)},
    "work_items": {**_ITEM_COMMON, "kind": F("enum", False, ITEM_KINDS), "theme": _text(LONG),
                   "merged_into": F("hex"), **_TRACKING},
    "annotations": {"gid": F("hex", False), "target_kind": F("enum", False, TARGET_KINDS), "target_gid": F("hex"),
                    "section_path": _text(), "quote": _text(LONG), "body": _text(LONG, False), "tags": F("tags"),
                    "score": F("num", True, "score"), "status": F("enum", False, ANNOTATION_STATUSES),
                    "reviewer": _text(200), "created_at": F("time"), "updated_at": F("time"),
                    "deleted": F("flag", False), "anchor": F("enum", False, tuple(ANCHOR_LABELS)), **_OFFSETS},
    "rubric_scores": {"gid": F("hex", False), "criterion_id": _text(200, False), "score": F("num", True, "score"),
                      "comment": _text(LONG), "reviewer": _text(200, False), "updated_at": F("time")},
    "assignments": {"gid": F("hex", False), "reviewer": _text(200, False), "note": _text(LONG),
                    "deleted": F("flag", False), "created_at": F("time")},
    "conflicts": {"gid": F("hex", False), "entity": _text(64, False), "entity_gid": _text(128, False),
                  "field": _text(64, False), "value": _text(LONG), "stamp": F("stamp", False),
                  "author": _text(200), "winner_author": _text(200), "confirmed_by": _text(200),
                  "confirmed_at": F("time")},
    "followup_decisions": {"gid": F("hex", False), "task_gid": F("hex", False), "task_report": F("hex", False),
                           "machine_verdict": _text(64),
                           "decision": F("enum", True, VERDICTS), "note": _text(LONG), "reviewer": _text(200),
                           "updated_at": F("time"), "deleted": F("flag", False)},
    "rectifications": {"gid": F("hex", False), "annotation_gid": F("hex", False), "progress": _text(LONG),
                       "state": F("enum", True, RECTIFICATION_STATES), "updated_at": F("time"), "updated_by": _text(200)},
}
PARTS = ("sections", "indicators", "work_items", "annotations", "rubric_scores", "assignments", "conflicts",
         "followup_decisions", "rectifications")  # the record lists under each report


class _Check:
    def __init__(self, now: datetime, score_range: tuple[float, float]):
        self.latest = now + FUTURE_SLACK
        self.latest_stamp = self.latest.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.score_range = score_range
        self.text_len = 0
        self.seen: set = set()  # stamps already found valid (one write stamps many fields and rows)

    def fail(self, part: str, name: str, why: str):
        raise SchemaError(f"审阅记录中 {part}.{name} {why}")

    def row(self, part: str, row, *, skip=()) -> None:
        if type(row) is not dict:
            raise SchemaError(f"审阅记录中 {part} 的一条记录不是对象")
        fields = SCHEMA[part]
        for name, value in row.items():
            if name in skip:
                continue
            if name == "stamps":
                self.stamps(part, value)
                continue
            spec = fields.get(name)
            if spec is None:
                if value is None:
                    continue  # a column of a newer version that this one lacks, left empty
                raise SchemaError(f"审阅记录中 {part} 的字段不对（未知字段“{str(name)[:30]}”）")
            if spec.kind == "text" and type(value) is str and len(value) <= spec.limit and "\x00" not in value:
                continue  # the common case, checked without a call
            self.value(part, name, spec, value)
        if "start" in row and "end" in row and row["start"] is not None and row["end"] is not None \
                and row["end"] < row["start"]:
            self.fail(part, "end", "在 start 之前")

    def value(self, part: str, name: str, spec: F, v) -> None:
        if v is None:
            if not spec.optional:
                self.fail(part, name, "不能为空")
            return
        kind, limit = spec.kind, spec.limit
        if kind == "text" or kind == "json":
            if type(v) is not str and not (kind == "json" and type(v) in (list, dict)):
                self.fail(part, name, "应为文字")
            if type(v) is str:
                if "\x00" in v:
                    self.fail(part, name, "含有 NUL 字符")
                if limit is not None and len(v) > limit:
                    self.fail(part, name, f"超过 {limit} 字")
        elif kind in ("int", "year", "offset", "flag"):
            if type(v) is not int:
                self.fail(part, name, "应为整数")
            lo, hi = {"year": (1949, self.latest.year + 2), "offset": (0, self.text_len), "flag": (0, 1)}.get(
                kind, limit)
            if not lo <= v <= hi:
                self.fail(part, name, f"超出范围（{lo}–{hi}）：{v}")
        elif kind == "num":
            if type(v) not in (int, float) or not math.isfinite(v):
                self.fail(part, name, "应为数字")
            if limit == "score" and not self.score_range[0] <= v <= self.score_range[1]:
                self.fail(part, name, f"超出评分范围（{self.score_range[0]:g}–{self.score_range[1]:g}）：{v:g}")
        elif kind == "enum":
            if v not in limit:
                self.fail(part, name, f"不是可用的值（{'、'.join(map(str, limit))}）：{str(v)[:40]}")
        elif kind == "hex":
            if type(v) is not str or not _HEX.fullmatch(v):
                self.fail(part, name, "不是有效的标识")
        elif kind == "time":
            self.time(part, name, v)
        elif kind == "date":
            if type(v) is not str or "\x00" in v or len(v) > 40:
                self.fail(part, name, "不是日期")
        elif kind == "stamp":
            self.stamp(part, name, v)
        elif kind == "tags":
            if type(v) is not list or not all(type(t) is str and "\x00" not in t and len(t) <= 200 for t in v):
                self.fail(part, name, "应为标签列表")

    def time(self, part: str, name: str, v) -> None:
        if type(v) is not str or "\x00" in v:
            self.fail(part, name, "不是时间")
        try:
            moment = datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            self.fail(part, name, f"不是时间：{v[:40]}")
        if moment.tzinfo is None:
            moment = moment.astimezone()
        if moment > self.latest:
            self.fail(part, name, f"的时间在未来（{v[:30]}），拒绝")

    def stamp(self, part: str, name: str, v, *, base: bool = False) -> None:
        if base and v == "":
            return
        m = _STAMP.fullmatch(v) if type(v) is str else None
        if m is None:
            self.fail(part, name, "的时间戳无效")
        if m.group(1) and m.group(1) + "Z" > self.latest_stamp:
            self.fail(part, name, f"的时间戳在未来（{m.group(1)[:10]}），拒绝")

    def stamps(self, part: str, stamps) -> None:
        if type(stamps) is not dict:
            self.fail(part, "stamps", "的时间戳无效（应为对象）")
        for field, entry in stamps.items():
            if type(field) is not str or type(entry) is not list or len(entry) != 3:
                self.fail(part, "stamps", "的时间戳无效")
            if type(entry[0]) is not str or entry[0] not in self.seen:
                self.stamp(part, f"stamps.{field}", entry[0])
                self.seen.add(entry[0])
            if type(entry[1]) is not str or entry[1] not in self.seen:
                self.stamp(part, f"stamps.{field}", entry[1], base=True)
                self.seen.add(entry[1])
            if entry[2] is not None and (type(entry[2]) is not str or "\x00" in entry[2] or len(entry[2]) > 200):
                self.fail(part, f"stamps.{field}", "的作者无效")


def validate_state(state, *, now: datetime | None = None, score_range=(0.0, 100.0)) -> None:
    """Raise SchemaError unless every record of `state` (a bundle's records, texts attached) fits SCHEMA."""
    check = _Check(now or datetime.now(timezone.utc), score_range)
    if type(state) is not dict or type(state.get("reports")) is not list:
        raise SchemaError("审阅记录的结构不对")
    tags = state.get("tags") or []
    if type(tags) is not list or not all(type(t) is str and "\x00" not in t and len(t) <= 200 for t in tags):
        raise SchemaError("审阅记录中的标签无效")
    for rep in state["reports"]:
        if type(rep) is not dict:
            raise SchemaError("审阅记录中的报告不是对象")
        readings = rep.get("readings")
        if type(readings) is not list or not readings:
            raise SchemaError("审阅记录中的报告缺少正文")
        check.text_len = MAX_TEXT_CHARS
        for reading in readings:
            check.row("readings", reading)
        latest = max(readings, key=lambda r: r["reading_no"])
        check.text_len = len(latest["clean_text"])
        check.row("reports", rep, skip=("readings", *PARTS))
        for part in PARTS:
            rows = rep.get(part, [])
            if type(rows) is not list:
                raise SchemaError(f"审阅记录中的 {part} 不是列表")
            for row in rows:
                check.row(part, row)
