"""Merge a round of read-backs without loss: blanks never erase, disagreements wait for a choice."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop.ledger.diff import FieldChange, LedgerDiff, RowProblem, norm_cell, shortened
from desktop.ledger.selection import default_round  # noqa: F401  (where callers have always found it)
from desktop.store.records import TRACKING_FIELDS
from desktop.store.repo_ledger import ReturnInput


@dataclass(frozen=True)
class Claim:
    """What one file (of this run, or read earlier in the same round) says about one field of one task."""

    file_name: str
    unit: str | None
    value: str
    row: int | None
    earlier: bool = False
    path: str | None = None  # the file of this run (None for an earlier one)

    @property
    def source(self) -> str:
        where = f"{self.file_name}" + (f" 第{self.row}行" if self.row else "")
        who = f"（填报单位：{self.unit}）" if self.unit else ""
        return f"{'本轮此前读回的 ' if self.earlier else ''}{where}{who}"


@dataclass(frozen=True)
class Conflict:
    item_id: int
    uid: str
    task: str | None
    field: str
    label: str
    old: str | None
    claims: tuple[Claim, ...]

    @property
    def key(self) -> tuple[int, str]:
        return self.item_id, self.field


@dataclass
class RoundPlan:
    """A read-back of several files in one round: per-file changes, problems and unresolved conflicts."""

    round: str
    diffs: list[LedgerDiff]
    changes: dict[str, list[FieldChange]] = field(default_factory=dict)  # file path -> its changes to apply
    conflicts: list[Conflict] = field(default_factory=list)  # unresolved: nothing applied for these fields
    resolved: list[tuple[Conflict, Claim]] = field(default_factory=list)
    chosen: list[tuple[int, str, str, str]] = field(default_factory=list)  # new choices: item, field, value, file
    remembered: int = 0  # fields settled by a choice made earlier in this round
    rectification_undo: list = field(default_factory=list)  # earlier 整改清单 values, set by apply_round
    skipped: list = field(default_factory=list)  # digests.Skipped: files read before in the round, unchanged

    @property
    def problems(self) -> list[tuple[str, RowProblem]]:
        return [(d.path, p) for d in self.diffs for p in d.problems]

    @property
    def all_changes(self) -> list[FieldChange]:
        return [c for changes in self.changes.values() for c in changes]

    def returns(self) -> list[ReturnInput]:
        """What the repository stores: one return per readable file, its changes and what it reported."""
        out = []
        for d in self.diffs:
            if d.file_problems:
                continue
            updates: dict[int, dict] = {}
            for c in self.changes.get(d.path, []):
                updates.setdefault(c.item_id, {})[c.field] = c.new
            out.append(ReturnInput(Path(d.path).name, d.unit, tuple(updates.items()),
                                   tuple((item_id, row, dict(rep)) for item_id, row, rep in d.reported)))
        return out

    def reverts(self) -> list[tuple[int, dict]]:
        """The stored values the changes replace (to undo the read-back)."""
        olds: dict[int, dict] = {}
        for c in self.all_changes:
            olds.setdefault(c.item_id, {}).setdefault(c.field, c.old)
        return list(olds.items())

    @property
    def exit_status(self) -> int:
        return 1 if self.problems or self.conflicts else 0

    def summary(self) -> str:
        changes = self.all_changes
        parts = [f"{len(self.diffs)} 个文件（{self.round}）" + (
            f"，另有 {len(self.skipped)} 个文件与本轮此前读回的相同，已跳过" if self.skipped else ""),
                 f"{len({c.item_id for c in changes})} 项工作任务共 {len(changes)} 处修改"]
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} 处冲突待选择")
        if self.resolved:
            parts.append(f"{len(self.resolved)} 处冲突已按选择处理"
                         + (f"（其中 {self.remembered} 处按本轮此前的选择）" if self.remembered else ""))
        if self.problems:
            parts.append(f"{len(self.problems)} 处未导入")
        parts += [d.rectification.summary() for d in self.diffs if d.rectification is not None]
        return "，".join(parts)


def _matches(claim: Claim, prefer) -> bool:
    """A --prefer FILE names this claim's file: by path, or by file name alone."""
    for p in prefer:
        if claim.path and Path(claim.path).resolve() == Path(p).resolve():
            return True
        if claim.file_name == Path(p).name:
            return True
    return False


def plan_round(round_name: str, diffs: list[LedgerDiff], items, earlier=(), *, prefer=(),
               choices: dict | None = None, remembered: dict | None = None) -> RoundPlan:
    """Combine the files of one run with what the same round already reported.

    `earlier`: ProgressRecord-like entries (file_name, filler_unit, work_item_id, reported) of this round;
    a unit (or file name) that sends its workbook again supersedes its own earlier report.
    `prefer`: file names whose value wins a conflict; `choices`: {(item id, field): chosen value}.
    `remembered`: {(item id, field): (value, file name)} chosen earlier in this round (--prefer or the desk): it
    wins over every file of the round until a new explicit choice; new explicit choices are in `plan.chosen`.
    """
    remembered = dict(remembered or {})
    by_id = {w.id: w for w in items}
    plan = RoundPlan(round_name, diffs)
    claims, rows = _claims(diffs)
    _add_earlier(claims, diffs, earlier)
    chosen = dict(choices or {})
    for (item_id, key), found in claims.items():
        item = by_id.get(item_id)
        if item is None:
            continue
        conflict = Conflict(item_id, item.uid, shortened(item.text), key, TRACKING_FIELDS[key], getattr(item, key),
                            tuple(found))
        settled, winner = _settle(plan, conflict, found, remembered.get((item_id, key)), chosen, prefer)
        if settled:
            _add_change(plan, item, key, winner, rows)
    for changes in plan.changes.values():
        changes.sort(key=lambda c: (c.row or 0, list(TRACKING_FIELDS).index(c.field)))
    plan.conflicts.sort(key=lambda c: (c.item_id, list(TRACKING_FIELDS).index(c.field)))
    return plan


def _claims(diffs: list[LedgerDiff]):
    """Every file's value of each (item, field) as claims, and the first (file, row) that reported each."""
    claims: dict[tuple[int, str], list[Claim]] = {}
    rows: dict[tuple[int, str], tuple[str, int]] = {}
    for d in diffs:
        name = Path(d.path).name
        for item_id, row, reported in d.reported:
            for key, value in reported.items():
                claims.setdefault((item_id, key), []).append(Claim(name, d.unit, value, row, path=d.path))
                rows.setdefault((item_id, key), (d.path, row))
    return claims, rows


def _add_earlier(claims: dict, diffs: list[LedgerDiff], earlier) -> None:
    """Add the latest earlier report of this round of each other sender to the fields this run reports; a
    sender of this run supersedes its own earlier report."""
    senders = {d.unit or Path(d.path).name for d in diffs}
    latest: dict[tuple[str, int, str], Claim] = {}
    for e in earlier:
        sender = e.filler_unit or e.file_name
        if sender in senders:
            continue
        for key, value in e.reported.items():
            latest[(sender, e.work_item_id, key)] = Claim(e.file_name, e.filler_unit, value, None, earlier=True)
    for (_, item_id, key), claim in latest.items():
        if (item_id, key) in claims:
            claims[(item_id, key)].append(claim)


def _settle(plan: RoundPlan, conflict: Conflict, found: list[Claim], kept, chosen: dict, prefer):
    """(settled, winner) for one field: a choice remembered in this round stands unless a new explicit one is
    made; one value wins alone; several values need --prefer or a choice, else the conflict goes to the plan
    (settled False). `winner` None: nothing of this run to take."""
    key = conflict.key
    values = list(dict.fromkeys(c.value for c in found))
    explicit = key in chosen or (len(values) > 1 and any(_matches(c, prefer) for c in found))
    if kept is not None and not explicit:
        winner = Claim(kept[1], None, kept[0], None, earlier=True)
        if values != [kept[0]]:  # a file disagrees with the choice: the choice stands
            plan.resolved.append((conflict, winner))
            plan.remembered += 1
        return True, winner
    if len(values) == 1:
        return True, next(c for c in found if not c.earlier) if any(not c.earlier for c in found) else None
    picked = [c for c in found if _matches(c, prefer)]
    if key in chosen:
        picked = [c for c in found if c.value == chosen[key]]
    if len({c.value for c in picked}) == 1:
        winner = picked[0]
        plan.resolved.append((conflict, winner))
        plan.chosen.append((conflict.item_id, conflict.field, winner.value, winner.file_name))
        return True, winner
    plan.conflicts.append(conflict)
    return False, None


def _add_change(plan: RoundPlan, item, key: str, winner: Claim | None, rows: dict) -> None:
    """The winning value as a change of its file, unless it changes nothing or no file of this run reported it."""
    old = getattr(item, key)
    if winner is None or winner.value == old or (key != "deadline" and winner.value == norm_cell(old)):
        return
    path, row = (winner.path, winner.row) if not winner.earlier else rows.get((item.id, key), (None, None))
    if path is None:  # only earlier files speak of this field: nothing of this run to attach the change to
        return
    assert row is not None  # a file's row comes with its path
    plan.changes.setdefault(path, []).append(FieldChange(
        row, None, item.uid, item.id, shortened(item.text), key, TRACKING_FIELDS[key], getattr(item, key),
        winner.value))
