"""Property: any sequence of edits by three reviewers and syncs in any order through a real PostgreSQL converges —
after everyone has synced twice at the end (the first to sync cannot see what the last pushes before its second
sync), the three libraries hold the same content (canonical dumps), conflicts included, and a further sync moves
nothing."""
from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.review.service import set_score
from tests.libraries import sample_library
from tests.pgserver import team_database

pytest.importorskip("psycopg")
NAMES = ("甲", "乙", "丙")
STATUSES = ("待审", "审阅中", "已审")


def _edit(repo, who: str, op: tuple) -> None:
    kind, n = op
    notes = [a for a in repo.annotations.annotations(1)]
    if kind == "annotate":
        repo.annotations.add_annotation(1, target_kind="span", start=100 + n, end=120 + n, body=f"{who}的批注{n}", reviewer=who)
    elif kind == "status" and notes:
        repo.annotations.update_annotation(notes[n % len(notes)].id, {"status": ("待审", "已审", "需核实")[n % 3]}, who=who)
    elif kind == "delete" and notes:
        repo.annotations.delete_annotation(notes[n % len(notes)].id, who=who)
    elif kind == "score":
        set_score(repo, 1, "completeness", 1 + n % 5, who=who)
    elif kind == "assign":
        repo.team.assign(1, NAMES[n % 3], assigned=bool(n % 2), who=who)
    elif kind == "review":
        repo.season.set_review_status(1, STATUSES[n % 3], who=who)
    elif kind == "progress":
        item = repo.items.work_items(1, kind="plan_task")[n % 3]
        repo.items.update_work_item(item.id, {"progress": f"{who}填的进展{n}"}, who=who)


_ops = st.tuples(st.sampled_from(("annotate", "status", "delete", "score", "assign", "review", "progress")),
                 st.integers(0, 5))
_steps = st.lists(st.tuples(st.integers(0, 2), st.one_of(_ops, st.just(("sync", 0)))), min_size=1, max_size=8)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(steps=_steps, final=st.permutations([0, 1, 2]))
def test_random_edits_and_syncs_converge(pg_server, steps, final):
    from desktop.server.sync import sync

    server = team_database(pg_server, pg_server.create_database("prop_" + uuid.uuid4().hex[:10]), NAMES)
    folder = Path(tempfile.mkdtemp(prefix="h25-prop-"))
    repos = [sample_library(folder / f"{i}.db", backups=False) for i in range(3)]
    try:
        for i, repo in enumerate(repos):
            repo.default_who = NAMES[i]
        for i, op in steps:
            if op[0] == "sync":
                sync(repos[i], server[NAMES[i]])
            else:
                _edit(repos[i], NAMES[i], op)
        for _ in range(2):
            for i in final:
                sync(repos[i], server[NAMES[i]])
        dumps = [repo.team.canonical_dump() for repo in repos]
        assert dumps[0] == dumps[1] == dumps[2]
        for i in final:  # and nothing left to move: no upload, no new conflict, no change anywhere
            again = sync(repos[i], server[NAMES[i]])
            assert (again.uploaded, again.conflicts, again.new_reports) == (0, 0, 0)
        assert [repo.team.canonical_dump() for repo in repos] == dumps
    finally:
        for repo in repos:
            repo.close()
        shutil.rmtree(folder, ignore_errors=True)
