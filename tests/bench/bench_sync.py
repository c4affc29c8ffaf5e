"""Team server benchmark (issue 25): a 1,000-report season library of three reviewers synced through a real
PostgreSQL started in a temporary folder (tests/pgserver.py), beside bundle export + import of the same content in
the same run. Goals: a first sync ≤ 15 s; a sync carrying 10 new edits ≤ 1 s.

Run: python tests/bench/bench_sync.py [N]   (N reports, default 1000; the library is built once and kept in the
temporary folder as bench-sync-N.db, so later runs start at once)."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]

from realistic_library import REVIEWERS, build_library  # noqa: E402


def clocked(label: str, fn, results: dict):
    started = time.perf_counter()
    out = fn()
    results[label] = time.perf_counter() - started
    print(f"{label:<44} {results[label]:7.2f} s", flush=True)
    return out


def ten_edits(repo, who: str) -> None:
    """Ten edits a reviewer makes between two syncs: annotations, a status, scores, a tracking field."""
    from desktop.review.service import set_score

    ids = [r.id for r in repo.removal.reports_for_export() if repo.items.work_items(r.id, kind="plan_task")][:4]
    for rid in ids[:4]:
        repo.annotations.add_annotation(rid, target_kind="report", body="基准：请补充数据来源", reviewer=who)
    repo.season.set_review_status(ids[0], "已审", who=who)
    for rid in ids[:3]:
        set_score(repo, rid, "completeness", 3, who=who)
    task = repo.items.work_items(ids[1], kind="plan_task")[0]
    repo.items.update_work_item(task.id, {"progress": "基准进展"}, who=who)
    repo.items.update_work_item(task.id, {"status": "进行中"}, who=who)


def main(argv: list[str]) -> int:
    from desktop.server.sync import sync
    from desktop.store.bundle import export_bundle, import_bundle
    from desktop.store.db import open_library
    from tests.pgserver import PgServer, team_database

    n = int(argv[0]) if argv else 1000
    cache = Path(tempfile.gettempdir()) / f"bench-sync-{n}.db"
    print(f"building/reusing the season library: {cache}", flush=True)
    build_library(cache, n).close()
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    server = PgServer().start()
    results: dict[str, float] = {}
    try:
        team = team_database(server, server.create_database("bench"), REVIEWERS[:3])
        shutil.copy(cache, work / "office.db")
        office = open_library(work / "office.db", seed_sample=False, backups=False)
        zhang = open_library(work / "zhang.db", seed_sample=False, backups=False)
        zhang.default_who = REVIEWERS[0]
        first = clocked("first sync, push (office library, admin)", lambda: sync(office, team["admin"]), results)
        print(f"  {first.line()}")
        pulled = clocked("first sync, pull (a new reviewer's library)", lambda: sync(zhang, team[REVIEWERS[0]]),
                         results)
        print(f"  {pulled.line()}, {pulled.new_reports} reports")
        assert zhang.team.canonical_dump() == office.team.canonical_dump(), "the pulled library differs"
        ten_edits(zhang, REVIEWERS[0])
        pushed = clocked("sync with 10 new edits (push)", lambda: sync(zhang, team[REVIEWERS[0]]), results)
        got = clocked("sync with 10 new edits (the office pulls)", lambda: sync(office, team["admin"]), results)
        print(f"  push: {pushed.line()}; pull: {got.line()}")
        idle = clocked("sync with nothing new", lambda: sync(zhang, team[REVIEWERS[0]]), results)
        print(f"  {idle.line()}")
        # the same content by bundle, in the same run
        bundle = work / "office.fzr"
        clocked("bundle export (whole library)", lambda: export_bundle(office, bundle), results)
        fresh = open_library(work / "fresh.db", seed_sample=False, backups=False)
        clocked("bundle import into a new library", lambda: import_bundle(fresh, bundle, allow_unsigned=True), results)
        small = work / "office-10.fzr"
        ten_edits(office, REVIEWERS[0])
        clocked("bundle export, 10 new edits (--since today)",
                lambda: export_bundle(office, small, reviewer=REVIEWERS[0], since=time.strftime("%Y-%m-%d")), results)
        clocked("bundle import, 10 new edits", lambda: import_bundle(fresh, small, allow_unsigned=True), results)
        for repo in (office, zhang, fresh):
            repo.close()
    finally:
        server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    bundle_first = results["bundle export (whole library)"] + results["bundle import into a new library"]
    bundle_small = results["bundle export, 10 new edits (--since today)"] + results["bundle import, 10 new edits"]
    first_push, first_pull = results["first sync, push (office library, admin)"], \
        results["first sync, pull (a new reviewer's library)"]
    print(f"\nfirst sync: push {first_push:.2f} s, pull {first_pull:.2f} s (goal ≤ 15 s each); "
          f"bundle export+import {bundle_first:.2f} s; pull/bundle ratio {first_pull / bundle_first:.2f}")
    small_sync = results["sync with 10 new edits (push)"]
    print(f"10 new edits: sync {small_sync:.2f} s (goal ≤ 1 s); bundle export+import {bundle_small:.2f} s; "
          f"ratio {small_sync / bundle_small:.2f}")
    ok = max(first_push, first_pull) <= 15 and small_sync <= 1
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
