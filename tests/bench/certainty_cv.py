"""Leave-one-batch-out estimate of the follow-up certainty rule: precision per reason kind per batch, and the pooled figure.

python tests/bench/certainty_cv.py — for each kind of reason a certain verdict carries, its precision and count on each
labelled batch under the current rule; the kinds kept certain are chosen on seven batches and scored on the eighth,
rotating (a kind is kept when it is at least KEEP precise on every one of the seven where it fires). The current rule was
tuned on all eight, so this part is a proxy; the second part does the same on what each fresh batch's frozen rule did at
its first scoring (certainty_oneshots.json): a kind is kept when it is at least T precise pooled over the other fresh
batches (or fired on none of them), T chosen there too, and the held-out batch is scored."""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from followup_eval import TUNED, app_matcher, load_pairs, read_pair  # noqa: E402

KEEP = 0.95  # a reason kind stays certain only when at least this precise on each batch it fires on
# Reason kinds, by the words the reason opens or is made of (desktop/followup/certainty.py writes them).
KINDS = (
    ("未提及·再次提到", re.compile(r"^举措成效中没有报告，且本年报告在")),
    ("未提及·无相近", re.compile(r"^本年报告的举措成效中没有相近的表述")),
    ("部分体现·数字未达到", re.compile(r"^数字目标未达到")),
    ("部分体现·一项有据一项未报告", re.compile(r"有明确依据；")),
    ("部分体现·较小的一步", re.compile(r".")),
)


def kind_of(verdict: str, reason: str) -> str:
    """The kind of a certain verdict's reason."""
    if verdict == "已体现":
        many = "多项" if "项内容均有明确依据" in reason else "一项"
        return f"已体现·{many}{'·含数字' if '数字目标已达到' in reason else ''}"
    for name, pattern in KINDS:
        if name.startswith(verdict) and pattern.search(reason):
            return name
    return f"{verdict}·其他"


def batch_of(pair: dict) -> int:
    return max(pair.get("batch") or 2, 2)


def collect() -> list[tuple[int, str, bool]]:
    """(batch, kind, right) of every certain verdict on the labelled batches, and (batch, "", False) for each other task."""
    rows = []
    for pair in load_pairs():
        if batch_of(pair) not in TUNED:
            continue
        earlier, later = read_pair(pair)
        results = app_matcher(earlier, later)
        for label in pair["plans"]:
            hits = [r for r in results if label["match"] in r["text"]]
            got = hits[0] if len(hits) == 1 else None
            if got is None or not got.get("certain"):
                rows.append((batch_of(pair), "", False))
                continue
            rows.append((batch_of(pair), kind_of(got["verdict"], got["reason"]), got["verdict"] == label["verdict"]))
    return rows


def table(rows) -> dict:
    """kind -> batch -> [right, count]."""
    t: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for b, kind, right in rows:
        if kind:
            t[kind][b][0] += right
            t[kind][b][1] += 1
    return t


def kept(t, batches) -> set[str]:
    return {k for k, per in t.items()
            if all(per[b][0] >= KEEP * per[b][1] for b in batches if b in per and per[b][1])}


def main() -> int:
    rows = collect()
    batches = sorted({b for b, _k, _r in rows})
    t = table(rows)
    print("理由类别".ljust(22) + "".join(f"{b:>8}" for b in batches) + "     合计")
    for kind in sorted(t):
        per = t[kind]
        cells = "".join(f"{per[b][0]:>4}/{per[b][1]:<3}" if per[b][1] else " " * 8 for b in batches)
        r, n = sum(v[0] for v in per.values()), sum(v[1] for v in per.values())
        print(f"{kind:<22}{cells}  {r}/{n} {r / n:.2f}")
    total = {b: sum(1 for bb, _k, _r in rows if bb == b) for b in batches}
    print("\n留一批：在其余七批上选出保留的类别，在这一批上计分")
    pooled = [0, 0, 0]
    for b in batches:
        keep = kept(t, [x for x in batches if x != b])
        right = sum(t[k][b][0] for k in keep)
        n = sum(t[k][b][1] for k in keep)
        pooled[0] += right
        pooled[1] += n
        pooled[2] += total[b]
        dropped = sorted(set(t) - keep)
        print(f"  第 {b} 批：确定 精确率 {right / n if n else 0:.2f}（{right}/{n}） 覆盖率 {n / total[b]:.2f}"
              f"  不计为确定：{'、'.join(dropped) or '无'}")
    print(f"  合计：精确率 {pooled[0] / pooled[1]:.3f}（{pooled[0]}/{pooled[1]}） 覆盖率 {pooled[1] / pooled[2]:.3f}")
    allr = sum(r for _b, k, r in rows if k)
    alln = sum(1 for _b, k, _r in rows if k)
    print(f"现行规则（1–8 合计）：精确率 {allr / alln:.3f}（{allr}/{alln}） 覆盖率 {alln / len(rows):.3f}")
    oneshots()
    return 0


DEMOTED = ("部分体现·一项有据一项未报告", "目标未说到")  # kinds the current rule no longer makes certain
THRESHOLDS = (0.8, 0.85, 0.9, 0.95, 1.0)
AIM = 0.93  # the held-out precision the choice of T aims at on the batches it is chosen on


def _kept_by(data, batches, t) -> set[str]:
    pooled: dict = defaultdict(lambda: [0, 0])
    for d in data:
        if d["batch"] in batches:
            for kind, (r, n) in d["certain"].items():
                pooled[kind][0] += r
                pooled[kind][1] += n
    kinds = {k for d in data for k in d["certain"]}
    return {k for k in kinds if k not in pooled or pooled[k][0] >= t * pooled[k][1]}


def _score(data, batches, keep) -> tuple[int, int, int]:
    right = n = total = 0
    for d in data:
        if d["batch"] in batches:
            total += d["tasks"]
            for kind, (r, c) in d["certain"].items():
                if kind in keep:
                    right, n = right + r, n + c
    return right, n, total


def oneshots() -> None:
    data = json.loads((Path(__file__).with_name("certainty_oneshots.json")).read_text(encoding="utf-8"))["batches"]
    for d in data:  # coarser kinds: a few verdicts a batch per kind is too few to choose on
        merged: dict = defaultdict(lambda: [0, 0])
        for kind, (r, n) in d["certain"].items():
            kind = "已体现·目标未说到" if "目标未说到" in kind else kind.replace("·含数字", "")
            merged[kind] = [merged[kind][0] + r, merged[kind][1] + n]
        d["certain"] = dict(merged)
    fresh = [d["batch"] for d in data]
    kinds = {k for d in data for k in d["certain"]}
    print("\n各新批首次计分时（冻结的规则）各类理由：")
    for kind in sorted(kinds):
        cells = "  ".join(f"第{d['batch']}批 {d['certain'][kind][0]}/{d['certain'][kind][1]}" for d in data if kind in d["certain"])
        print(f"  {kind:<24}{cells}")
    every = kinds
    now = {k for k in kinds if not any(x in k for x in DEMOTED)}
    for name, keep in (("首次计分时的规则", every), ("降级两类之后", now)):
        r, n, total = _score(data, fresh, keep)
        print(f"{name}（第 {fresh[0]}–{fresh[-1]} 批合计）：精确率 {r / n:.3f}（{r}/{n}） 覆盖率 {n / total:.3f}")
    print("留一新批：阈值 T 与保留的类别在其余新批上选出，在这一批上计分")
    pooled = [0, 0, 0]
    for b in fresh:
        rest = [x for x in fresh if x != b]
        best = max(THRESHOLDS, key=lambda t: (_ok(_score(data, rest, _kept_by(data, rest, t))), _cover(data, rest, t), -t))
        keep = _kept_by(data, rest, best)
        r, n, total = _score(data, [b], keep)
        pooled = [pooled[0] + r, pooled[1] + n, pooled[2] + total]
        print(f"  第 {b} 批：T={best}  精确率 {r / n if n else 0:.2f}（{r}/{n}） 覆盖率 {n / total:.2f}"
              f"  不计为确定：{'、'.join(sorted(kinds - keep)) or '无'}")
    print(f"  合计：精确率 {pooled[0] / pooled[1]:.3f}（{pooled[0]}/{pooled[1]}） 覆盖率 {pooled[1] / pooled[2]:.3f}")


def _ok(score) -> bool:
    r, n, _total = score
    return bool(n) and r >= AIM * n


def _cover(data, batches, t) -> float:
    _r, n, total = _score(data, batches, _kept_by(data, batches, t))
    return n / total


if __name__ == "__main__":
    raise SystemExit(main())
