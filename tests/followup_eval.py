"""Scores a follow-up matcher on the hand-labelled pairs in tests/followup_pairs (used by tests and the bench).

Run by hand to score one batch once: python tests/followup_eval.py --batch 5 [--mistakes]
(accuracy, 未提及 precision/recall, and the precision and share of the verdicts marked certain)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "followup_pairs" / "pairs.json"
MISSING = "未提及"


@dataclass
class Scores:
    total: int = 0
    right: int = 0
    tp: int = 0  # 未提及 predicted and true
    fp: int = 0
    fn: int = 0
    evidence_ok: int = 0
    evidence_total: int = 0
    certain: int = 0  # verdicts marked certain …
    certain_right: int = 0  # … and right
    certain_no_reason: int = 0  # certain verdicts that came without their reason (must stay 0)

    @property
    def certain_precision(self) -> float:
        return self.certain_right / self.certain if self.certain else 0.0

    @property
    def coverage(self) -> float:
        return self.certain / self.total if self.total else 0.0

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def line(self) -> str:
        return (f"准确率 {self.accuracy:.2f}（{self.right}/{self.total}）  未提及 精确率 {self.precision:.2f}"
                f" 召回率 {self.recall:.2f}  证据命中 {self.evidence_ok}/{self.evidence_total}")

    def certain_line(self) -> str:
        return (f"确定的结论 精确率 {self.certain_precision:.2f}（{self.certain_right}/{self.certain}）"
                f"  覆盖率 {self.coverage:.2f}（{self.certain}/{self.total}）  无理由的确定结论 {self.certain_no_reason}")


TUNED = (1, 2, 3, 4, 5, 6, 7)  # batches the rules were tuned on (5, 6 and 7 after their one-shot scores); any later one is unscored


def load_pairs(held_out: bool | None = None, batch: int | None = None,
               unscored: bool = False) -> list[dict]:
    """The labelled pairs; `batch` 1 or 2 picks the first pairs (written before batches were numbered); `unscored`
    keeps only the batches no rule was tuned on."""
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    pairs = [p for p in pairs if held_out is None or p["held_out"] == held_out]
    pairs = [p for p in pairs if not unscored or (p.get("batch") or 2) not in TUNED]
    if batch is not None:
        pairs = [p for p in pairs if (p.get("batch") or 2) == max(batch, 2)] if batch <= 2 else \
            [p for p in pairs if p.get("batch") == batch]
    return pairs


def read_pair(pair: dict):
    from desktop.report.extract import read_file

    return read_file(ROOT / pair["earlier"]), read_file(ROOT / pair["later"])


def find_plan(results, phrase: str):
    hits = [r for r in results if phrase in r["text"]]
    assert len(hits) == 1, f"{phrase}: {len(hits)} plan tasks hold it"
    return hits[0]


def score(matcher, pairs: list[dict], mistakes: list | None = None) -> Scores:
    """`matcher(earlier, later)` returns dicts with text, verdict and evidence (start/end/text)."""
    s = Scores()
    for pair in pairs:
        earlier, later = read_pair(pair)
        results = matcher(earlier, later)
        for label in pair["plans"]:
            got = find_plan(results, label["match"])
            s.total += 1
            s.right += got["verdict"] == label["verdict"]
            pred_missing, true_missing = got["verdict"] == MISSING, label["verdict"] == MISSING
            s.tp += pred_missing and true_missing
            s.fp += pred_missing and not true_missing
            s.fn += true_missing and not pred_missing
            if got.get("certain"):
                s.certain += 1
                s.certain_right += got["verdict"] == label["verdict"]
                s.certain_no_reason += not (got.get("reason") or "").strip()
            if label.get("evidence"):
                s.evidence_total += 1
                s.evidence_ok += any(label["evidence"] in e["text"] for e in got["evidence"])
            if mistakes is not None and got["verdict"] != label["verdict"]:
                mistakes.append((pair["name"], label["match"], label["verdict"], got))
    return s


def app_matcher(earlier, later):
    from desktop.followup.matcher import follow_up

    return [m.to_dict() for m in follow_up(earlier, later)]


def bigram_baseline(earlier, later):
    """The ten-minute matcher: share of the task's character bigrams found in the best sentence of the later text."""
    import re

    from desktop.followup.matcher import plan_tasks  # the same task list as the matcher's, to be fair

    def grams(t):
        t = re.sub(r"[\s\W\d]", "", t)
        return {t[i:i + 2] for i in range(len(t) - 1)}

    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^。；\n]+", later.clean_text)]
    sets = [grams(later.clean_text[a:b]) for a, b in sentences]
    out = []
    for text, _theme, _s, _e in plan_tasks(earlier):
        g = grams(text)
        best, where = 0.0, None
        for (a, b), sg in zip(sentences, sets):
            share = len(g & sg) / len(g) if g else 0.0
            if share > best:
                best, where = share, (a, b)
        verdict = "已体现" if best >= 0.5 else "部分体现" if best >= 0.3 else MISSING
        ev = [] if where is None or verdict == MISSING else [
            {"start": where[0], "end": where[1], "text": later.clean_text[where[0]:where[1]]}]
        out.append({"text": text, "verdict": verdict, "score": best, "evidence": ev})
    return out


def main(argv=None) -> int:
    import argparse
    import sys

    sys.path.insert(0, str(ROOT))
    ap = argparse.ArgumentParser(description="score the follow-up matcher on one labelled batch")
    ap.add_argument("--batch", type=int, help="batch number (1 and 2: the first, unnumbered pairs together)")
    ap.add_argument("--held-out", action="store_true",
                    help="the held-out pairs not yet scored (held_out true, batch not 1–7), whatever their batch number")
    ap.add_argument("--mistakes", action="store_true", help="also list the certain verdicts that are wrong")
    args = ap.parse_args(argv)
    if args.held_out:
        pairs = load_pairs(held_out=True, unscored=True)
    else:
        pairs = load_pairs(batch=args.batch)
    if not pairs:
        print(f"没有{'未评过的留出' if args.held_out else f'第 {args.batch} 批的'}标注数据")
        return 1
    mistakes: list = []
    s = score(app_matcher, pairs, mistakes)
    name = "留出集" if args.held_out else f"第 {args.batch} 批" if args.batch else "全部"
    print(f"{name}：{len(pairs)} 对报告，{s.total} 项安排")
    print("  " + s.line())
    print("  " + s.certain_line())
    if args.mistakes:
        for name, phrase, truth, got in mistakes:
            if got.get("certain"):
                print(f"  确定但错：{name} {phrase} 标注 {truth}，自动 {got['verdict']}（{got['reason']}）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
