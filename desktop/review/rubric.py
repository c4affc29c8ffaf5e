"""The review rubric: load the editable TOML/JSON file, check scores against scales, compute the weighted total.

API:
    load_rubric(path=None) -> Rubric        # None = the bundled desktop/review/rubric.toml
    weighted_total(rubric, scores) -> float # 0–100; unscored criteria count as 0
    scored_weight(rubric, scores) -> float  # share (0–100) of the weight already scored
    rubric.criterion(id), rubric.criteria_for_check(check_id), rubric.check_params(check_name)
    scale.parse(value) -> float             # accepts a number or a level label (优/良/…); RubricError if off-scale
    scale.display(value) -> str             # "4.5" or "优"
A malformed file raises RubricError with a Chinese message naming the file and the problem.
"""
from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

BUNDLED = Path(__file__).with_name("rubric.toml")
_TOML_POSITION = re.compile(r"line (\d+),? column (\d+)")


def _where(exc: ValueError) -> str:
    """'（第 3 行第 5 列）' from a TOML or JSON parser's English message (the message itself goes to the log)."""
    from desktop.kernel.plain import plain

    plain(exc, context="rubric")
    found = _TOML_POSITION.search(str(exc))
    return f"（第 {found[1]} 行第 {found[2]} 列）" if found else ""


class RubricError(Exception):
    """The rubric file is missing or malformed, or a score is off its scale; the message is Chinese."""


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    min: float
    max: float
    step: float | None = None
    levels: tuple[tuple[str, float], ...] = ()  # label -> stored value, best first

    def parse(self, value) -> float:
        """A score as stored: a number within [min, max] on the step grid, or a level label."""
        if isinstance(value, str):
            text = value.strip()
            for label, stored in self.levels:
                if text == label:
                    return stored
            try:
                value = float(text)
            except ValueError:
                raise RubricError(f"“{value}”不是量表“{self.name}”中的分值") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            raise RubricError(f"“{value}”不是量表“{self.name}”中的分值")
        value = float(value)
        if not self.min - 1e-9 <= value <= self.max + 1e-9:
            raise RubricError(f"分值 {value:g} 超出量表“{self.name}”的范围 {self.min:g}–{self.max:g}")
        if self.step:
            steps = (value - self.min) / self.step
            if abs(steps - round(steps)) > 1e-6:
                raise RubricError(f"分值 {value:g} 不在量表“{self.name}”的步长 {self.step:g} 上")
        return value

    def normalise(self, value: float) -> float:
        """0–1 position of a stored value on the scale."""
        span = self.max - self.min
        return 0.0 if span <= 0 else min(1.0, max(0.0, (float(value) - self.min) / span))

    def display(self, value: float | None) -> str:
        if value is None:
            return ""
        for label, stored in self.levels:
            if abs(stored - value) < 1e-9:
                return label
        return f"{value:g}"

    def choices(self) -> list[tuple[str, float]]:
        """(label, value) pairs a UI can offer: the levels, or every step from max down to min."""
        if self.levels:
            return list(self.levels)
        step = self.step or 1.0
        count = int(round((self.max - self.min) / step))
        return [(f"{self.max - i * step:g}", self.max - i * step) for i in range(count + 1)]


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    description: str
    weight: float
    scale: Scale
    checks: tuple[str, ...] = ()
    disagreement: float | None = None  # reviewers' spread above which the criterion is flagged (None: the rubric's)

    def covers(self, check_id: str) -> bool:
        """True when the finding `check_id` (e.g. "problems.causes") informs this criterion."""
        return any(check_id == c or check_id.startswith(c + ".") for c in self.checks)


@dataclass(frozen=True)
class Rubric:
    name: str
    criteria: tuple[Criterion, ...]
    scales: dict[str, Scale] = field(default_factory=dict)
    params: dict = field(default_factory=dict)  # [checks.*] tables
    source: str = ""
    version: int = 1
    disagreement: float = 1.5  # default spread (max − min of reviewers' scores) that flags a criterion

    def disagreement_of(self, criterion_id: str) -> float:
        c = self.criterion(criterion_id)
        return self.disagreement if c.disagreement is None else c.disagreement

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise RubricError(f"评分表中没有评分项“{criterion_id}”")

    def criteria_for_check(self, check_id: str) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria if c.covers(check_id))

    def check_params(self, name: str) -> dict:
        """Parameters of one check ([checks.<name>]), overlaid on the bundled defaults."""
        merged = dict(_bundled_params().get(name, {}))
        merged.update(self.params.get(name, {}))
        return merged


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Read a rubric (TOML or JSON, same structure); None loads the bundled one."""
    path = Path(path) if path is not None else BUNDLED
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RubricError(f"{path.name}: 无法读取评分表（{exc.strerror or exc}）") from None
    cached = _PARSED.get((str(path), raw))
    if cached is not None:  # the same file, byte for byte: parsed once per process (batch import checks 1,000)
        return cached
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RubricError(f"{path.name}: 评分表不是 UTF-8 编码的 TOML 或 JSON 文本") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RubricError(f"{path.name}: 评分表格式错误{_where(exc)}，请检查该处的写法") from None
    try:
        rubric = _build(data, str(path))
    except RubricError as exc:
        raise RubricError(f"{path.name}: {exc}") from None
    if len(_PARSED) >= 8:
        _PARSED.clear()
    _PARSED[(str(path), raw)] = rubric
    return rubric


_PARSED: dict[tuple[str, bytes], Rubric] = {}


def _build(data: dict, source: str) -> Rubric:
    if not isinstance(data, dict):
        raise RubricError("评分表应为表结构")
    head = data.get("rubric", {}) or {}
    scales = {}
    for sid, spec in (data.get("scales") or {}).items():
        scales[sid] = _scale(sid, spec)
    scales.setdefault("points", Scale("points", "0–5 分", 0.0, 5.0, 0.5))
    criteria: list[Criterion] = []
    seen: set[str] = set()
    for i, spec in enumerate(data.get("criteria") or [], 1):
        criteria.append(_criterion(i, spec, scales, seen))
    if not criteria:
        raise RubricError("评分表没有任何评分项")
    if sum(c.weight for c in criteria) <= 0:
        raise RubricError("评分项的权重合计必须大于 0")
    params = data.get("checks") or {}
    if not isinstance(params, dict):
        raise RubricError("[checks] 应为表结构")
    return Rubric(str(head.get("name") or "审阅评分表"), tuple(criteria), scales, params, source,
                  int(head.get("version") or 1), _threshold(head.get("disagreement"), "[rubric] disagreement") or 1.5)


def _criterion(i: int, spec, scales: dict[str, Scale], seen: set[str]) -> Criterion:
    """The i-th criterion of a rubric file (1-based, for the message), checked in this order: an id not in `seen`
    (which gains it), a weight ≥ 0, a known scale."""
    if not isinstance(spec, dict) or not str(spec.get("id", "")).strip():
        raise RubricError(f"第 {i} 个评分项缺少 id")
    cid = str(spec["id"]).strip()
    if cid in seen:
        raise RubricError(f"评分项 id“{cid}”重复")
    seen.add(cid)
    try:
        weight = float(spec.get("weight", 1))
    except (TypeError, ValueError):
        raise RubricError(f"评分项“{cid}”的权重不是数字") from None
    if weight < 0 or math.isnan(weight):
        raise RubricError(f"评分项“{cid}”的权重不能为负")
    sid = str(spec.get("scale", "points"))
    if sid not in scales:
        raise RubricError(f"评分项“{cid}”引用了不存在的量表“{sid}”")
    checks = spec.get("checks") or []
    if isinstance(checks, str):
        checks = [checks]
    return Criterion(cid, str(spec.get("name") or cid), str(spec.get("description") or ""),
                     weight, scales[sid], tuple(str(c) for c in checks),
                     _threshold(spec.get("disagreement"), f"评分项“{cid}”的 disagreement"))


def _threshold(value, what: str) -> float | None:
    """A disagreement threshold: a number ≥ 0, or None when not set."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RubricError(f"{what} 不是数字") from None
    if number < 0 or math.isnan(number):
        raise RubricError(f"{what} 不能为负")
    return number


def _scale(sid: str, spec: dict) -> Scale:
    if not isinstance(spec, dict):
        raise RubricError(f"量表“{sid}”应为表结构")
    levels = spec.get("levels") or {}
    try:
        pairs = tuple(sorted(((str(k), float(v)) for k, v in levels.items()), key=lambda kv: -kv[1]))
        lo = float(spec.get("min", min((v for _, v in pairs), default=0)))
        hi = float(spec.get("max", max((v for _, v in pairs), default=5)))
        step = spec.get("step")
        step = float(step) if step not in (None, 0) else None
    except (TypeError, ValueError, AttributeError):
        raise RubricError(f"量表“{sid}”的取值不是数字") from None
    if hi <= lo:
        raise RubricError(f"量表“{sid}”的最大值应大于最小值")
    if any(not lo <= v <= hi for _, v in pairs):
        raise RubricError(f"量表“{sid}”的等级分值超出 {lo:g}–{hi:g}")
    return Scale(sid, str(spec.get("name") or sid), lo, hi, step, pairs)


_BUNDLED_PARAMS: dict | None = None


def _bundled_params() -> dict:
    global _BUNDLED_PARAMS
    if _BUNDLED_PARAMS is None:
        _BUNDLED_PARAMS = tomllib.loads(BUNDLED.read_text(encoding="utf-8")).get("checks", {})
    return _BUNDLED_PARAMS


def weighted_total(rubric: Rubric, scores: dict) -> float:
    """Weighted score out of 100: sum of weight × position on scale over all criteria, divided by the
    total weight. Unscored criteria (missing or None) count as 0; unknown criterion ids are ignored.
    `scores` maps criterion id -> number, level label, or an object with a `.score` attribute."""
    total = 0.0
    for c in rubric.criteria:
        value = _score_of(scores.get(c.id))
        if value is None:
            continue
        total += c.weight * c.scale.normalise(c.scale.parse(value))
    return round(100.0 * total / rubric.total_weight, 2)


def scored_weight(rubric: Rubric, scores: dict) -> float:
    """Share of the total weight (0–100) whose criteria have a score."""
    done = sum(c.weight for c in rubric.criteria if _score_of(scores.get(c.id)) is not None)
    return round(100.0 * done / rubric.total_weight, 2)


def _score_of(value):
    if value is not None and hasattr(value, "score"):  # a RubricScoreRecord
        value = value.score
    return value
