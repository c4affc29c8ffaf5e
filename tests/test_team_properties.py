"""Property: whatever reviewers do on several libraries and however bundles travel between them, after everyone
has exchanged with everyone (twice: the second round spreads the conflicts the first found) the libraries hold
the same content, and one more import changes nothing."""
from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.store.bundle import export_bundle, import_bundle
from desktop.store.db import open_library
from desktop.store.followup_repo import VERDICTS, delete_decision, set_decision
from tests.libraries import sample_library  # noqa: E402

LATER = Path(__file__).parent / "followup_pairs" / "hz-sfj-2024.txt"  # the seed's successor: report 2 everywhere

NAMES = ("甲", "乙", "丙")
LIBS = st.integers(0, len(NAMES) - 1)
SMALL = st.integers(0, 5)

OPS = st.one_of(
    st.tuples(st.just("annotate"), LIBS, SMALL, st.sampled_from(["需核实", "表述空泛", "亮点"])),
    st.tuples(st.just("edit_note"), LIBS, SMALL, st.sampled_from(["改一", "改二"])),
    st.tuples(st.just("delete_note"), LIBS, SMALL),
    st.tuples(st.just("restore_note"), LIBS, SMALL),
    st.tuples(st.just("field"), LIBS, SMALL, st.sampled_from(["progress", "status", "remarks"]),
              st.sampled_from(["推进中", "已完成", "滞后", ""])),
    st.tuples(st.just("delete_item"), LIBS, SMALL),
    st.tuples(st.just("restore_item"), LIBS, SMALL),
    st.tuples(st.just("split"), LIBS, SMALL),
    st.tuples(st.just("merge"), LIBS, SMALL),
    st.tuples(st.just("add_item"), LIBS, st.sampled_from(["补充任务一", "补充任务二"])),
    st.tuples(st.just("indicator"), LIBS, SMALL, st.sampled_from(["已审", "需核实"]), st.sampled_from([1, 2.5])),
    st.tuples(st.just("delete_indicator"), LIBS, SMALL),
    st.tuples(st.just("identity"), LIBS, st.sampled_from(["region", "issuer"]), st.sampled_from(["甲地", "乙地"])),
    st.tuples(st.just("score"), LIBS, st.sampled_from(["completeness", "plans"]), st.sampled_from([1, 2.5, 4])),
    st.tuples(st.just("assign"), LIBS, st.sampled_from(NAMES), st.booleans()),
    st.tuples(st.just("confirm"), LIBS, SMALL),
    st.tuples(st.just("decide"), LIBS, SMALL, st.sampled_from([*VERDICTS, None])),
    st.tuples(st.just("decision_note"), LIBS, SMALL, st.sampled_from(["见佐证", "未见成效"])),
    st.tuples(st.just("undecide"), LIBS, SMALL),
    st.tuples(st.just("rectify"), LIBS, SMALL, st.sampled_from(["progress", "state"]),
              st.sampled_from(["未整改", "整改中", "已整改", None])),
    st.tuples(st.just("office"), LIBS, st.sampled_from(["某市司法局", "某市依法治市办", ""])),
    st.tuples(st.just("send"), LIBS, LIBS),
    st.tuples(st.just("send"), LIBS, LIBS),
)


def _pick(rows, k):
    return rows[k % len(rows)] if rows else None


def _apply(op, repos, folder: Path, counter) -> None:
    kind, i, *rest = op
    repo, who = repos[i], NAMES[i]
    if kind == "annotate":
        start = 40 * rest[0]
        repo.annotations.add_annotation(1, target_kind="span", start=start, end=start + 12, body=f"{who}：{rest[1]}",
                            reviewer=who)
    elif kind in ("edit_note", "delete_note", "restore_note"):
        note = _pick(repo.annotations.annotations(1, include_deleted=True), rest[0])
        if note is None:
            return
        if kind == "edit_note":
            repo.annotations.update_annotation(note.id, {"body": f"{who}{rest[1]}"}, who=who)
        elif kind == "delete_note":
            repo.annotations.delete_annotation(note.id, who=who)
        else:
            repo.annotations.restore_annotation(note.id, who=who)
    elif kind == "field":
        item = _pick(repo.items.work_items(1, kind="plan_task", include_deleted=True), rest[0])
        repo.items.update_work_item(item.id, {rest[1]: rest[2] or None}, who=who)
    elif kind in ("delete_item", "restore_item"):
        item = _pick(repo.items.work_items(1, kind="plan_task", include_deleted=True), rest[0])
        (repo.items.delete_work_item if kind == "delete_item" else repo.items.restore_work_item)(item.id, who=who)
    elif kind == "split":
        item = _pick(repo.items.work_items(1, kind="plan_task"), rest[0])
        if item is not None and len(item.text) > 6:
            repo.items.split_work_item(item.id, 3, who=who)
    elif kind == "merge":
        items = repo.items.work_items(1, kind="plan_task")
        if len(items) > 1:
            first = _pick(items, rest[0])
            second = items[(items.index(first) + 1) % len(items)]
            repo.items.merge_work_items(first.id, second.id, who=who)
    elif kind == "add_item":
        repo.items.add_work_item(1, {"text": rest[0], "kind": "plan_task"}, who=who)
    elif kind == "indicator":
        ind = _pick(repo.items.indicators(1, include_deleted=True), rest[0])
        repo.items.update_indicator(ind.id, {"check_status": rest[1], "value": rest[2]}, who=who)
    elif kind == "delete_indicator":
        ind = _pick(repo.items.indicators(1), rest[0])
        if ind is not None:
            repo.items.delete_indicator(ind.id, who=who)
    elif kind == "identity":
        repo.season.update_report_identity(1, {rest[0]: rest[1]}, who=who)
    elif kind == "score":
        repo.scores.set_rubric_score(1, rest[0], rest[1], who=who)
    elif kind == "assign":
        repo.team.assign(1, rest[0], assigned=rest[1], who=who)
    elif kind == "confirm":
        conflict = _pick(repo.team.conflicts(1), rest[0])
        if conflict is not None:
            repo.team.confirm_conflict(conflict["id"], who=who)
    elif kind in ("decide", "decision_note", "undecide"):  # last year's plan tasks (#1) against this year's (#2)
        task = _pick(repo.items.work_items(1, kind="plan_task", include_deleted=True), rest[0])
        if kind == "undecide":
            delete_decision(repo, 2, task.id, who=who)
        else:
            set_decision(repo, 2, task.id, **{"decision" if kind == "decide" else "note": rest[1]}, who=who)
    elif kind == "rectify":  # what the unit reported on a note (整改情况 / 整改状态)
        note = _pick(repo.annotations.annotations(1, include_deleted=True), rest[0])
        if note is not None:
            value = rest[2] if rest[1] == "state" else (rest[2] and f"{who}：{rest[2]}")
            repo.letters.apply_rectification_updates([(note.id, {rest[1]: value})], who=who)
    elif kind == "office":
        repo.letters.set_library_setting("office_name", rest[0], who=who)
    elif kind == "send" and i != rest[0]:
        counter[0] += 1
        path = folder / f"send-{counter[0]}.fzr"
        export_bundle(repo, path)
        import_bundle(repos[rest[0]], path)


@settings(max_examples=int(os.environ.get("TEAM_EXAMPLES", "20")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, min_size=1, max_size=25), st.permutations(range(len(NAMES))))
def test_libraries_converge_whatever_the_edits_and_exchange_order(ops, order):
    folder = Path(tempfile.mkdtemp(prefix="team-prop-"))
    repos = [sample_library(folder / name / "library.db") for name in NAMES]
    try:
        for repo in repos:
            repo.reports.import_file(LATER)
        counter = [0]
        for op in ops:
            _apply(op, repos, folder, counter)
        for rnd in range(2):
            paths = {}
            for i in order:
                paths[i] = folder / f"final-{rnd}-{i}.fzr"
                export_bundle(repos[i], paths[i])
            for i, j in itertools.permutations(order, 2):
                import_bundle(repos[j], paths[i])
        dumps = [repo.team.canonical_dump() for repo in repos]
        assert dumps[0] == dumps[1] == dumps[2]
        again = folder / "again.fzr"
        export_bundle(repos[order[0]], again)
        for repo in repos:
            _, summary = import_bundle(repo, again)
            assert summary.unchanged
        # nothing doubled: every annotation and work item is one row per gid
        for repo in repos:
            dump = repo.team.canonical_dump()
            for rep in dump["reports"].values():
                for table in ("annotations", "work_items", "indicators", "rubric_scores", "conflicts",
                              "followup_decisions", "rectifications"):
                    gids = [r["gid"] for r in rep[table]]
                    assert len(gids) == len(set(gids))
    finally:
        for repo in repos:
            repo.close()
        shutil.rmtree(folder, ignore_errors=True)
