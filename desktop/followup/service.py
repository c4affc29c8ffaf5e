"""The follow-up service the CLI, the desk and the ledger share: compare two reports, pair a unit's years.

    compare_readings(earlier, later)        -> FollowUp   (two files, nothing stored)
    compare_stored(repo, earlier_id, later_id) -> FollowUp (library reports, with the reviewer's decisions and
                                                            the ledger's tracking status of each task)
    pairs(repo) / earlier_for(repo, later_id)              consecutive years of one unit, paired automatically
    missing_finding(repo, later_id)                        the "N 项上年安排未提及" finding beside the checks
    letter_texts(repo, later_id)                           what the opinion letter may state, and what is 待确认

Each row is 确定 (the rule in certainty.py found the evidence sufficient; its reason is always given), 已确认 (the
reviewer decided it, accepting or changing the proposal) or 待确认. Only the first two are findings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.followup.matcher import DONE, MISSING, PARTLY, Matcher, PlanMatch, follow_up, plan_tasks
from desktop.report.model import Reading
from desktop.review.findings import Finding
from desktop.store import followup_repo

ORDER = {MISSING: 0, PARTLY: 1, DONE: 2}
CONFIRMED, SURE, PENDING = "已确认", "确定", "待确认"  # a task's standing, as the reviewer reads it


# Said wherever the verdicts are shown: the matcher reads words, not meaning (README: about half right on pairs
# written to paraphrase), so the verdicts are a first pass for the reviewer.
CAUTION = "自动结论按字面比对得出，换了说法的落实情况可能判为部分体现或未提及，请逐项确认"


@dataclass(frozen=True)
class FollowUpRow:
    plan: PlanMatch
    work_item_id: int | None = None
    uid: str | None = None
    tracking_status: str | None = None  # 完成状态 from the ledger rounds
    decision: str | None = None  # the reviewer's verdict, when they changed the matcher's
    note: str | None = None

    @property
    def verdict(self) -> str:
        """The verdict that stands: the reviewer's, else the matcher's."""
        return self.decision or self.plan.verdict

    @property
    def certain(self) -> bool:
        """The matcher's verdict is certain (its reason in `reason`); the others wait for the reviewer."""
        return self.plan.certainty.certain

    @property
    def reason(self) -> str:
        return self.plan.certainty.reason

    @property
    def confirmed(self) -> bool:
        """The reviewer has decided this task (accepting the proposal or changing it)."""
        return self.decision is not None

    @property
    def settled(self) -> bool:
        """The verdict can be stated as a finding: the reviewer's, or a certain one."""
        return self.confirmed or self.certain

    @property
    def status(self) -> str:
        """已确认 (the reviewer's), 确定 (certain by the rule) or 待确认."""
        return CONFIRMED if self.confirmed else SURE if self.certain else PENDING

    @property
    def questionable(self) -> bool:
        """A task the department marked 已完成 that the report never mentions is worth a question."""
        return self.verdict == MISSING and (self.tracking_status or "") == "已完成"

    def to_dict(self) -> dict:
        d = self.plan.to_dict()
        d.update(verdict=self.verdict, machine_verdict=self.plan.verdict, decision=self.decision, note=self.note,
                 tracking_status=self.tracking_status, work_item_id=self.work_item_id, status=self.status)
        return d


@dataclass(frozen=True)
class FollowUp:
    earlier_title: str
    later_title: str
    later_text: str
    rows: tuple[FollowUpRow, ...]
    earlier_id: int | None = None
    later_id: int | None = None

    def counts(self) -> dict[str, int]:
        out = {DONE: 0, PARTLY: 0, MISSING: 0}
        for r in self.rows:
            out[r.verdict] += 1
        return out

    def pending(self) -> list[FollowUpRow]:
        """The tasks still waiting for the reviewer (neither certain nor decided), in the report's order."""
        return [r for r in self.rows if not r.settled]

    def queue(self) -> list[FollowUpRow]:
        """The reviewer's queue: 待确认 first (those a decision can be recorded on before the headings of a 工作要点 that
        are not stored tasks), then the decided, then the certain; the report's order within each."""
        return sorted(self.rows, key=lambda r: (r.settled, not r.confirmed if r.settled else r.work_item_id is None))

    def progress(self) -> tuple[int, int]:
        """(decided, needing a decision): 已确认 N / M over the tasks the rule left to the reviewer (in the library,
        those a decision can be recorded on)."""
        open_ = [r for r in self.rows if not r.certain and (self.later_id is None or r.work_item_id is not None)]
        return sum(r.confirmed for r in open_), len(open_)

    def settled_counts(self) -> dict[str, int]:
        """The verdicts that may be stated as findings (confirmed or certain), by verdict."""
        out = {DONE: 0, PARTLY: 0, MISSING: 0}
        for r in self.rows:
            if r.settled:
                out[r.verdict] += 1
        return out

    def sorted_rows(self) -> list[FollowUpRow]:
        """未提及 first, then 部分体现, then 已体现; the report's order within each."""
        return sorted(self.rows, key=lambda r: ORDER[r.verdict])

    def to_dict(self) -> dict:
        decided, needing = self.progress()
        return {"earlier": self.earlier_title, "later": self.later_title,
                "earlier_id": self.earlier_id, "later_id": self.later_id,
                "counts": self.counts(), "plans": [r.to_dict() for r in self.rows],
                "settled_counts": self.settled_counts(), "pending": len(self.pending()),
                "progress": {"confirmed": decided, "to_confirm": needing}}


def _title(reading: Reading) -> str:
    return reading.metadata.title or reading.source_name or "（无标题）"


def compare_readings(earlier: Reading, later: Reading) -> FollowUp:
    rows = tuple(FollowUpRow(p) for p in follow_up(earlier, later))
    return FollowUp(_title(earlier), _title(later), later.clean_text, rows)


def compare_stored(repo, earlier_id: int, later_id: int) -> FollowUp:
    """Library reports: the earlier report's plan tasks (with the reviewer's edits) against the later one."""
    earlier_report, later = repo.reports.get_report(earlier_id), repo.reports.reading(later_id)
    stored = repo.items.work_items(earlier_id, kind="plan_task")
    matcher = Matcher(later, issuers=(earlier_report.issuer,))
    decided = followup_repo.decisions(repo, later_id)
    if stored and earlier_report.doc_kind != "work_plan":
        tasks = [(w.text, w.theme, w.start, w.end, w) for w in stored]
    else:  # a 工作要点: tasks may also be numbered headings, matched but not stored as work items to decide on
        by_span = {(w.start, w.end): w for w in stored}
        tasks = [(*t, by_span.get((t[2], t[3]))) for t in plan_tasks(repo.reports.reading(earlier_id))]
    rows = []
    for text, theme, start, end, w in tasks:
        d = decided.get(w.id) if w is not None else None
        rows.append(FollowUpRow(matcher.match(text, theme, start, end), w.id if w else None, w.uid if w else None,
                                w.status if w else None, d.decision if d else None, d.note if d else None))
    earlier_title = earlier_report.title or earlier_report.file_name
    return FollowUp(earlier_title, _title(later), later.clean_text, tuple(rows), earlier_id, later_id)


def decide(repo, later_id: int, work_item_id: int, *, decision=..., note=..., machine_verdict=None, who=None):
    """Store the reviewer's verdict (None: back to the matcher's) and/or note on one earlier task."""
    return followup_repo.set_decision(repo, later_id, work_item_id, decision=decision, note=note,
                                      machine_verdict=machine_verdict, who=who)


# ---------------------------------------------------------------- pairing across years
_UNIT_SUFFIX = re.compile(r"(?:关于)?\d{4}年.*$")
_GOVERNMENT = re.compile(r"(?:人民政府|政府)(?:办公室|办公厅)?$")


def unit_key(issuer: str | None, title: str | None) -> str | None:
    """Who published it, as a key: the issuer, else the title up to its year (东湖区2024年法治政府建设工作要点 ->
    东湖区); a government's name without 人民政府, so 东湖区人民政府 and 东湖区 are one unit."""
    name = (issuer or "").strip() or _UNIT_SUFFIX.sub("", (title or "").strip())
    return _GOVERNMENT.sub("", name) or name or None


def _keys(row: dict) -> list[tuple]:
    """The unit a report belongs to: the library's unit (aliases and merges resolved), and its name as a key,
    so a 工作要点 the library could not assign to a unit still pairs by name."""
    keys = [("unit", row["unit_id"])] if row.get("unit_id") is not None else []
    name = unit_key(row["issuer"], row["title"])
    return keys + ([("name", name)] if name else [])


def _index(rows: list[dict]) -> dict[tuple, dict]:
    """(unit key, kind, year) -> the newest report of that unit, kind and year (report year; plan year for plans)."""
    index: dict[tuple, dict] = {}
    for r in rows:
        year = r["report_year"] if r["doc_kind"] == "annual_report" else r["plan_year"]
        if not year:
            continue
        for unit in _keys(r):
            key = (unit, r["doc_kind"], year)
            if key not in index or r["id"] > index[key]["id"]:
                index[key] = r
    return index


def _earlier_row(index: dict[tuple, dict], later: dict) -> dict | None:
    """The unit's previous-year report, else its 工作要点 for the later report's year."""
    if later["doc_kind"] != "annual_report" or not later["report_year"]:
        return None
    for kind, year in (("annual_report", later["report_year"] - 1), ("work_plan", later["report_year"])):
        for unit in _keys(later):
            found = index.get((unit, kind, year))
            if found is not None and found["id"] != later["id"] and _same_unit(found, later):
                return found
    return None


def _same_unit(a: dict, b: dict) -> bool:
    """The same unit of the library (aliases and merges resolved); else the same name (东湖区人民政府 and the
    东湖区 of a 工作要点) unless the library places them in different regions."""
    if a.get("unit_id") is not None and a.get("unit_id") == b.get("unit_id"):
        return True
    if a.get("region") and b.get("region") and a["region"] != b["region"]:
        return False
    return unit_key(a["issuer"], a["title"]) == unit_key(b["issuer"], b["title"])


def pairs(repo) -> list[tuple[int, int]]:
    """(earlier_id, later_id) for each report whose unit has the previous year's report (or this year's 工作要点)."""
    rows = followup_repo.report_years(repo)
    index = _index(rows)
    out = []
    for later in rows:
        earlier = _earlier_row(index, later)
        if earlier is not None:
            out.append((earlier["id"], later["id"]))
    return out


def earlier_for(repo, later_id: int) -> int | None:
    """The report (or 工作要点) the later report's unit published the year before, when it is in the library."""
    later = repo.reports.get_report(later_id)
    if not later.report_year:
        return None
    rows = followup_repo.report_years(repo, (later.report_year - 1, later.report_year))
    return UnitIndex(rows).earlier_id(later_id)


def same_unit_reports(repo, report_id: int) -> list[dict]:
    """The annual reports of the unit of `report_id`, one per report year (the newest import), oldest first."""
    return UnitIndex(followup_repo.report_years(repo)).same_unit(report_id)


class UnitIndex:
    """Every report's unit, indexed once: the previous year's report and a unit's reports without a scan each
    (an export of the whole library asks both for every report; issue 27)."""

    def __init__(self, rows: list[dict]):
        self.rows = rows
        self.by_id = {r["id"]: r for r in rows}
        self._years = _index(rows)
        self._by_key: dict[tuple, list[dict]] = {}
        for r in rows:
            for key in self._candidate_keys(r):
                self._by_key.setdefault(key, []).append(r)

    @classmethod
    def of(cls, repo) -> UnitIndex:
        return cls(followup_repo.report_years(repo))

    @staticmethod
    def _candidate_keys(row: dict) -> list[tuple]:
        """_keys, and a key for the reports with no name at all (_same_unit pairs those with each other)."""
        keys = _keys(row)
        return keys if unit_key(row["issuer"], row["title"]) else [*keys, ("name", None)]

    def earlier_id(self, later_id: int) -> int | None:
        me = self.by_id.get(later_id)
        found = _earlier_row(self._years, me) if me else None
        return found["id"] if found else None

    def same_unit(self, report_id: int) -> list[dict]:
        """As same_unit_reports: the unit's annual reports, one per report year (the newest), oldest first."""
        me = self.by_id.get(report_id)
        if me is None:
            raise LookupError(f"找不到编号为 {report_id} 的报告")
        # _same_unit holds only for rows sharing the unit id or the name key: those are the candidates
        candidates = {r["id"]: r for key in self._candidate_keys(me) for r in self._by_key.get(key, ())}
        candidates[report_id] = me
        by_year: dict[int, dict] = {}
        for r in sorted(candidates.values(), key=lambda row: row["id"]):
            if r["doc_kind"] != "annual_report" or not r["report_year"]:
                continue
            if r["id"] != report_id and not _same_unit(me, r):
                continue
            held = by_year.get(r["report_year"])
            if held is None or (held["id"] != report_id and (r["id"] == report_id or r["id"] > held["id"])):
                by_year[r["report_year"]] = r
        return [by_year[y] for y in sorted(by_year)]


# ---------------------------------------------------------------- the finding beside the checks
def missing_finding(repo, later_id: int) -> Finding | None:
    """"N 项上年安排未提及" for a later report whose unit's earlier report is in the library; None otherwise.

    Only confirmed or certain verdicts count as findings; the tasks still 待确认 are listed as such, never stated
    as facts about the unit."""
    earlier_id = earlier_for(repo, later_id)
    if earlier_id is None:
        return None
    fu = compare_stored(repo, earlier_id, later_id)
    if not fu.rows:
        return None
    return Finding(check="followup.missing", title="上年安排落实", result="warn" if _settled_missing(fu) else "pass",
                   explanation=finding_text(fu),
                   data={"earlier_id": earlier_id, "missing": len(_settled_missing(fu)), "total": len(fu.rows),
                         "counts": fu.settled_counts(), "pending": len(fu.pending()),
                         "pending_tasks": [_short(r.plan.text) for r in fu.pending()]})


def _settled_missing(fu: FollowUp) -> list[FollowUpRow]:
    return [r for r in fu.rows if r.settled and r.verdict == MISSING]


def finding_text(fu: FollowUp) -> str:
    """The summary of a follow-up for the checks and the letter: the settled 未提及, then what is 待确认."""
    missing, pending = _settled_missing(fu), fu.pending()
    n = len(missing)
    if n:
        text = (f"{n} 项上年安排未提及（共 {len(fu.rows)} 项，对照《{fu.earlier_title}》）："
                + "；".join(_short(r.plan.text) for r in missing[:5]) + ("……" if n > 5 else ""))
    elif pending:
        text = f"上年 {len(fu.rows)} 项安排中，已确定或已确认的均有体现（对照《{fu.earlier_title}》）"
    else:
        text = f"上年 {len(fu.rows)} 项安排在本报告中均有体现（对照《{fu.earlier_title}》）"
    if pending:
        text += f"。另有 {len(pending)} 项待确认（自动比对未能确定，尚待审阅人核对）"
    return text


def letter_texts(repo, later_id: int) -> tuple[str | None, str | None]:
    """What an opinion letter may say about last year's plans: (the finding, stated as a fact — only the confirmed or
    certain 未提及 and 部分体现; the tasks still 待确认, listed as such and never as facts). None where there is
    nothing to say, or when the unit's earlier report is not in the library."""
    earlier_id = earlier_for(repo, later_id)
    if earlier_id is None:
        return None, None
    fu = compare_stored(repo, earlier_id, later_id)
    missing = [r for r in fu.rows if r.settled and r.verdict == MISSING]
    partly = [r for r in fu.rows if r.settled and r.verdict == PARTLY]
    facts = []
    if missing:
        facts.append(f"以下 {len(missing)} 项在本年度报告中未见落实情况：{_quoted(missing)}")
    if partly:
        facts.append(f"以下 {len(partly)} 项仅部分落实：{_quoted(partly)}")
    fact = ("对照你单位上一年度报告提出的主要安排，" + "；".join(facts) + "。") if facts else None
    pending = fu.pending()
    open_text = (f"上一年度主要安排中另有 {len(pending)} 项的落实情况待确认（自动比对未能确定，请审阅人核对后再写入意见）："
                 f"{_quoted(pending)}。") if pending else None
    return fact, open_text


def _quoted(rows, n: int = 8) -> str:
    return "、".join(f"“{_short(r.plan.text, 24)}”" for r in rows[:n]) + ("等" if len(rows) > n else "")


def with_followup(repo, later_id: int, findings) -> list:
    """The checks' findings with the follow-up finding added when the unit's earlier report is in the library."""
    extra = missing_finding(repo, later_id)
    return [*findings, extra] if extra is not None else list(findings)


def _short(text: str, n: int = 30) -> str:
    text = text.strip().rstrip("。")
    return text if len(text) <= n else text[:n] + "…"
