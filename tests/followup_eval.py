"""Scores a follow-up matcher on the hand-labelled pairs in tests/followup_pairs (used by tests and the bench)."""
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


def load_pairs(held_out: bool | None = None) -> list[dict]:
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    return [p for p in pairs if held_out is None or p["held_out"] == held_out]


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
