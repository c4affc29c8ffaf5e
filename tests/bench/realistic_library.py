"""A season's library for the benches: realistic reports imported, annotated, scored by several reviewers,
plan tasks given 牵头单位/status/deadline, and ledger rounds read back by unit.

API: build_library(path, n, reviewers=3, seed=0, rounds=2) -> Library (open; the caller closes it).
     season_work(repo, reviewers=3, seed=0, rounds=2)  # the same review work on reports already imported
An existing library at `path` with at least n reports is reused as it is.
"""
from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from realistic import write_reports  # noqa: E402

REVIEWERS = ("张敏", "李强", "王芳", "赵磊", "陈静")
LEAD_UNITS = ("市司法局", "市发改委", "市公安局", "市市场监管局", "市生态环境局", "市人力社保局", "市教育局",
              "市卫生健康委", "市住建局", "市交通运输局", "市自然资源规划局", "市应急管理局", "市数据资源局",
              "市财政局", "市民政局", "各区、县（市）政府")
NOTES = ("请补充{t}的数据来源", "{t}部分表述笼统，缺少量化指标", "{t}与上年报告重复较多", "{t}的成效需要佐证材料")
TAGS = ("数据存疑", "表述笼统", "亮点", "需整改")
ROUNDS = ("第一季度", "第二季度", "第三季度", "第四季度")


def build_library(path, n: int, reviewers: int = 3, seed: int = 0, rounds: int = 2):
    """The library at `path` holding n generated reports and a season's review work on them."""
    from desktop.season.batch import import_batch
    from desktop.store.db import open_library

    repo = open_library(Path(path), seed_sample=False, backups=False)
    if repo.reports.report_count() >= n:
        return repo
    with tempfile.TemporaryDirectory(prefix="realistic-") as tmp:
        write_reports(tmp, n, seed)
        try:
            import_batch(repo, [tmp], checks=True)  # checks stored by the import (branch h27-import on)
        except TypeError:  # an import_batch without `checks`: the benches store the checks themselves
            import_batch(repo, [tmp])
    season_work(repo, reviewers, seed, rounds)
    return repo


def season_work(repo, reviewers: int = 3, seed: int = 0, rounds: int = 2) -> None:
    """The review work of a season on the reports in `repo`: assignments, annotations, every reviewer's scores,
    牵头单位/status/deadline on plan tasks and `rounds` ledger rounds read back."""
    names = REVIEWERS[:reviewers]
    rng = random.Random(f"library-{seed}")
    review(repo, names, rng)
    tasks = assign_leads(repo, rng)
    for r in range(rounds):
        ledger_round(repo, ROUNDS[r % len(ROUNDS)], tasks, rng)


def review(repo, names, rng: random.Random) -> None:
    """Each report: assigned to one reviewer, 1–4 annotations, every criterion scored by every reviewer."""
    from desktop.review.rubric import load_rubric

    rubric = load_rubric()
    with repo.db.tx():  # one transaction: this sets the scene, it is not what the benches measure
        for k, report in enumerate(repo.reports.list_reports()):
            repo.team.assign(report.id, names[k % len(names)], who="组长")
            sections = repo.reports.sections(report.id)
            for j in range(rng.randint(1, 4)):
                s = sections[rng.randrange(len(sections))]
                body = rng.choice(NOTES).format(t=s.title[:12])
                if j % 2 and s.end - s.start > 40:
                    a = rng.randrange(s.start, s.end - 30)
                    repo.annotations.add_annotation(report.id, target_kind="span", start=a, end=a + rng.randint(5, 30), body=body,
                                        tags=[rng.choice(TAGS)], status="待审", reviewer=names[j % len(names)])
                else:
                    repo.annotations.add_annotation(report.id, target_kind="section", section_path=s.path, body=body,
                                        tags=[rng.choice(TAGS)], status="待审", reviewer=names[j % len(names)])
            for who in names:
                for c in rubric.criteria:
                    choices = c.scale.choices()
                    repo.scores.set_rubric_score(report.id, c.id, choices[rng.randrange(len(choices))][1], None, who)


def assign_leads(repo, rng: random.Random) -> list[tuple[int, str]]:
    """牵头单位, status and deadline on every plan task; returns (task id, lead unit)."""
    from desktop.store.records import WORK_STATUSES

    updates, tasks = [], []
    for report in repo.reports.list_reports():
        year = (report.plan_year or 2024)
        for i, t in enumerate(repo.items.work_items(report.id, kind="plan_task")):
            lead = rng.choice(LEAD_UNITS) + ("、市司法局" if i % 7 == 0 else "")
            tasks.append((t.id, lead))
            updates.append((t.id, {"lead_unit": lead, "status": rng.choice(WORK_STATUSES),
                                   "deadline": f"{year}-{rng.choice(('06-30', '09-30', '12-31'))}"}))
    if updates:
        repo.items.apply_work_item_updates(updates, who="组长")
    return tasks


def ledger_round(repo, name: str, tasks: list[tuple[int, str]], rng: random.Random) -> None:
    """One round of unit workbooks read back: most units return, most rows filled."""
    from desktop.store.records import WORK_STATUSES
    from desktop.store.repo_ledger import ReturnInput

    by_unit: dict[str, list[int]] = {}
    for tid, lead in tasks:
        by_unit.setdefault(lead.split("、")[0], []).append(tid)
    returns = []
    for unit, ids in sorted(by_unit.items()):
        if rng.random() < 0.15:
            continue  # this unit did not return its workbook this round
        updates, reports = [], []
        for row, tid in enumerate(ids, 3):
            if rng.random() < 0.2:
                continue
            filled = {"status": rng.choice(WORK_STATUSES), "progress": f"{name}已完成{rng.randint(10, 100)}%，"
                                                                        f"召开推进会{rng.randint(1, 9)}次"}
            updates.append((tid, filled))
            reports.append((tid, row, filled))
        returns.append(ReturnInput(f"{unit}-{name}.xlsx", unit, tuple(updates), tuple(reports)))
    repo.ledger.apply_ledger_returns(name, returns, who="组长")
