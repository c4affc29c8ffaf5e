"""What the follow-up matcher finds for one task: its verdict, parts, evidence and nearest passages, and whether
the verdict is certain. The matcher (matcher.py) fills these; the certainty rule (certainty.py) reads them."""
from __future__ import annotations

from dataclasses import dataclass

DONE, PARTLY, MISSING = "已体现", "部分体现", "未提及"
VERDICTS = (DONE, PARTLY, MISSING)
COVERED = 0.62  # a part whose best sentence shares this much of its weight is reported on
LOOSE = 0.5  # … this much: loosely reported on


@dataclass(frozen=True)
class Certainty:
    certain: bool
    reason: str  # why the verdict is certain, or what the reviewer should look at; never empty when certain


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Near:
    """A passage of the later report close to a task, by the matcher's similarity (share of the task covered)."""

    start: int
    end: int
    text: str
    score: float

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "score": round(self.score, 3)}


@dataclass(frozen=True)
class PartMatch:
    text: str
    weight: float
    goal: bool
    coverage: float
    evidence: Evidence | None
    reached: bool | None = None  # the figure the part promises: reached, short of it, or not reported
    named: float = 0.0  # coverage with the heads of its words checked: a mention at all (see _head_factors)
    figure: Evidence | None = None  # the sentence giving the later figure for the one the part promises
    notes: tuple[str, ...] = ()  # why the part is held below its coverage, for the reviewer (短于目标, 试点)


@dataclass(frozen=True)
class PlanMatch:
    text: str
    theme: str
    verdict: str
    score: float
    evidence: tuple[Evidence, ...]
    parts: tuple[PartMatch, ...]
    start: int = 0  # offsets of the task in the EARLIER report's clean text
    end: int = 0
    again: tuple[str, ...] = ()  # where the later report names the task again outside its outcomes
    nearest: tuple[Near, ...] = ()  # the later report's closest passages outside its plans, best first
    echoes: tuple[str, ...] = ()  # of a 未提及 task: its quoted names whose words the later report uses (text.py)
    again_parts: tuple[str, ...] = ()  # the parts (their text) the later report names again outside its outcomes
    # whether the verdict is certain (确定) or waits for the reviewer (待确认), with its reason: the rule of
    # certainty.py, applied by the matcher once the rest is known
    certainty: Certainty = Certainty(False, "")

    @property
    def notes(self) -> tuple[str, ...]:
        """Figures short of their targets and smaller steps (试点), in the reviewer's words."""
        return tuple(dict.fromkeys(n for p in self.parts for n in p.notes))

    @property
    def remarks(self) -> tuple[str, ...]:
        """What to tell the reviewer beside the evidence: the notes, and where a task not 已体现 is named again."""
        return (*self.notes, *(self.again if self.verdict != DONE else ()))

    @property
    def why(self) -> str:
        """What holds the task below 已体现: the remarks, else how many of its parts are reported."""
        notes = list(self.remarks)
        if self.verdict == PARTLY and not notes:
            concrete = concrete_parts(self.parts)
            found = sum(p.coverage >= COVERED for p in concrete)
            if len(concrete) > 1:
                notes.append(f"{len(concrete)} 项内容中 {found} 项有明确依据")
        return "；".join(notes)

    def to_dict(self) -> dict:
        sure = self.certainty
        return {"text": self.text, "theme": self.theme, "verdict": self.verdict, "score": round(self.score, 3),
                "evidence": [e.to_dict() for e in self.evidence], "why": self.why,
                "certain": sure.certain, "reason": sure.reason, "nearest": [n.to_dict() for n in self.nearest]}


def concrete_parts(parts) -> list[PartMatch]:
    """The parts that are the task: not its aims, except an aim or target whose promised figure the later report
    gives; all parts when every one is an aim."""
    return [p for p in parts if not p.goal or p.reached is not None] or list(parts)
