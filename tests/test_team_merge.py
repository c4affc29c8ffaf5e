"""Three reviewers, three libraries in temporary folders: they annotate, edit and score, exchange bundles in
different orders and twice, and end with the same content, nothing duplicated, conflicts recorded."""
from __future__ import annotations

import itertools

import pytest

from desktop.review.service import score_summary, set_score
from desktop.store.bundle import export_bundle, import_bundle
from desktop.store.db import open_library
from tests.libraries import sample_library  # noqa: E402

NAMES = ("甲", "乙", "丙")


def _other_report(sample_path, city: str) -> bytes:
    raw = sample_path.read_text(encoding="utf-8")
    return raw.replace("杭州市", f"{city}市").replace("杭州", city).replace("7518件", "6000件").encode("utf-8")


@pytest.fixture
def team(tmp_path, sample_path):
    """Three libraries (each with the bundled sample); 甲 and 乙 each also hold a report the others lack."""
    repos = [sample_library(tmp_path / name / "library.db") for name in ("a", "b", "c")]
    repos[0].reports.import_bytes(_other_report(sample_path, "宁波"), "ningbo.txt", who="甲")
    repos[1].reports.import_bytes(_other_report(sample_path, "温州"), "wenzhou.txt", who="乙")
    yield repos
    for repo in repos:
        repo.close()


def _exchange(repos, tmp_path, order, tag):
    """Every library exports a bundle, then each imports the others' in `order`."""
    paths = []
    for i, repo in enumerate(repos):
        path = tmp_path / f"{tag}-{i}.fzr"
        export_bundle(repo, path, author=NAMES[i])
        paths.append(path)
    for j in order:
        for i in order[::-1]:
            if i != j:
                import_bundle(repos[j], paths[i])
    return paths


def _work(repos):
    a, b, c = repos
    sample = a.reports.find_report("杭州市司法局").id
    assert sample == b.reports.find_report("杭州市司法局").id == 1
    # the same passage annotated by two reviewers; a third annotates a section
    a.annotations.add_annotation(sample, target_kind="span", start=100, end=130, body="甲：数据需核实", reviewer="甲")
    b.annotations.add_annotation(sample, target_kind="span", start=100, end=130, body="乙：表述空泛", reviewer="乙")
    c.annotations.add_annotation(sample, target_kind="section", section_path=c.reports.sections(sample)[1].path, body="丙：结构清楚",
                     reviewer="丙", status="已审")
    # the same tracking field edited by two reviewers: a conflict, the later wins
    item_a = a.items.work_items(sample, kind="plan_task")[0]
    item_b = b.items.work_items(sample, kind="plan_task")[0]
    assert item_a.uid == item_b.uid  # the same report read on two machines: the same ids
    a.items.update_work_item(item_a.id, {"progress": "已完成一半"}, who="甲")
    b.items.update_work_item(item_b.id, {"progress": "刚启动", "owner": "张三"}, who="乙")
    # structural edits: a split in one library, a delete and a merge in another, an added indicator
    a.items.split_work_item(a.items.work_items(sample, kind="plan_task")[2].id, 4, who="甲")
    tasks_b = b.items.work_items(sample, kind="plan_task")
    b.items.merge_work_items(tasks_b[4].id, tasks_b[5].id, who="乙")
    b.items.delete_indicator(b.items.indicators(sample)[0].id, who="乙")
    c.items.add_indicator(sample, {"value": 12, "unit": "件", "text": "12件", "name": "丙补充"}, who="丙")
    # scores per reviewer: the same criterion far apart, another close
    set_score(a, sample, "completeness", 4.5, who="甲")
    set_score(b, sample, "completeness", 2, who="乙")
    set_score(c, sample, "completeness", 4, who="丙")
    set_score(a, sample, "evidence", 3, who="甲")
    set_score(b, sample, "evidence", 3.5, who="乙")
    a.team.assign(sample, "乙", who="甲")
    a.team.assign(a.reports.find_report("宁波").id, "丙", who="甲")
    # an annotation on a report only 乙 holds
    b.annotations.add_annotation(b.reports.find_report("温州").id, target_kind="report", body="乙：整体较好", reviewer="乙")


def test_three_libraries_converge_in_any_order(team, tmp_path):
    _work(team)
    _exchange(team, tmp_path, (0, 1, 2), "r1")
    _exchange(team, tmp_path, (2, 0, 1), "r2")  # again, another order: conflicts spread, nothing doubles
    dumps = [repo.team.canonical_dump() for repo in team]
    assert dumps[0] == dumps[1] == dumps[2]

    for repo in team:
        assert repo.reports.report_count() == 3  # the missing reports were imported from the bundles' texts
        sample = repo.reports.find_report("杭州市司法局").id
        notes = sorted(a.body for a in repo.annotations.annotations(sample))
        assert notes == ["丙：结构清楚", "乙：表述空泛", "甲：数据需核实"]  # beside each other, none lost
        span = [a for a in repo.annotations.annotations(sample) if a.target_kind == "span"]
        assert {(a.start, a.end) for a in span} == {(100, 130)}
        task = repo.items.work_items(sample, kind="plan_task")[0]
        assert (task.progress, task.owner) == ("刚启动", "张三")  # 乙 wrote last
        conflicts = repo.team.conflicts(sample)
        assert [(c["field"], c["value"], c["author"]) for c in conflicts] == [("progress", "已完成一半", "甲")]
        summary = {s.criterion_id: s for s in score_summary(repo, sample)}
        assert summary["completeness"].scores == (("丙", 4.0), ("乙", 2.0), ("甲", 4.5))
        assert summary["completeness"].spread == 2.5 and summary["completeness"].disagree
        assert summary["evidence"].mean == 3.25 and not summary["evidence"].disagree
        assert repo.team.assignments(sample) == {sample: ["乙"]}
        assert len(repo.annotations.annotations(repo.reports.find_report("温州").id)) == 1
        assert [i.name for i in repo.items.indicators(sample) if i.origin == "reviewer"] == ["丙补充"]
        assert len({w.text for w in repo.items.work_items(sample, include_deleted=True)}) == \
            len(repo.items.work_items(sample, include_deleted=True))  # the split and merge once, not twice


def test_idempotent_and_order_free(team, tmp_path):
    _work(team)
    a, b, c = team
    pa = tmp_path / "a.fzr"
    pb = tmp_path / "b.fzr"
    export_bundle(a, pa)
    export_bundle(b, pb)
    # c gets a then b; a copy of c's starting state gets b then a (and each twice)
    pc = tmp_path / "c0.fzr"
    export_bundle(c, pc)
    d = open_library(tmp_path / "d" / "library.db", seed_sample=False)
    try:
        import_bundle(d, pc)
        for repo, order in ((c, (pa, pb, pa, pb)), (d, (pb, pa, pb, pa))):
            for path in order:
                import_bundle(repo, path)
        assert c.team.canonical_dump() == d.team.canonical_dump()
        before = c.team.canonical_dump()
        history = len(c.annotations.history())
        _, summary = import_bundle(c, pa)
        assert summary.unchanged and c.team.canonical_dump() == before and len(c.annotations.history()) == history
    finally:
        d.close()


def test_dry_run_changes_nothing_and_tells_what_would(team, tmp_path):
    _work(team)
    a, b, _ = team
    path = tmp_path / "b.fzr"
    export_bundle(b, path)
    before = a.team.canonical_dump()
    _, preview = import_bundle(a, path, dry_run=True)
    assert a.team.canonical_dump() == before
    _, real = import_bundle(a, path)
    assert (preview.new_reports, preview.inserted, preview.changed, len(preview.conflicts)) == \
        (real.new_reports, real.inserted, real.changed, len(real.conflicts))
    assert real.new_reports == [b.reports.find_report("温州").title] and real.conflicts


def test_reviewer_and_since_filters(team, tmp_path):
    _work(team)
    a, b, c = team
    path = tmp_path / "yi.fzr"
    export_bundle(b, path, reviewer="乙")
    _, summary = import_bundle(c, path)
    sample = c.reports.find_report("杭州市司法局").id
    assert sorted(x.body for x in c.annotations.annotations(sample)) == ["丙：结构清楚", "乙：表述空泛"]
    assert sorted(r.reviewer for r in c.scores.rubric_scores(sample) if r.criterion_id == "completeness") == ["丙", "乙"]
    late = tmp_path / "late.fzr"
    export_bundle(a, late, since="2999-01-01")
    _, summary = import_bundle(c, late)
    assert not summary.inserted.get("annotations")


def test_delete_is_a_tombstone_and_restore_wins_later(team, tmp_path):
    a, b, _ = team
    note = a.annotations.add_annotation(1, target_kind="report", body="待删", reviewer="甲")
    path = tmp_path / "a1.fzr"
    export_bundle(a, path)
    import_bundle(b, path)
    a.annotations.delete_annotation(note.id, who="甲")
    export_bundle(a, tmp_path / "a2.fzr")
    import_bundle(b, tmp_path / "a2.fzr")
    import_bundle(b, path)  # the older bundle again does not bring it back
    assert [x.body for x in b.annotations.annotations(1)] == []
    restored = next(x for x in b.annotations.annotations(1, include_deleted=True) if x.body == "待删")
    b.annotations.restore_annotation(restored.id, who="乙")
    export_bundle(b, tmp_path / "b.fzr")
    import_bundle(a, tmp_path / "b.fzr")
    assert [x.body for x in a.annotations.annotations(1)] == ["待删"]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_every_arrival_order_gives_the_same_library(tmp_path, sample_path, order):
    repos = [sample_library(tmp_path / f"l{i}" / "library.db") for i in range(3)]
    try:
        for i, repo in enumerate(repos):
            set_score(repo, 1, "plans", i + 1, who=NAMES[i])
            repo.items.update_work_item(repo.items.work_items(1)[0].id, {"remarks": f"{NAMES[i]}的备注"}, who=NAMES[i])
        paths = []
        for i, repo in enumerate(repos):
            paths.append(tmp_path / f"{i}.fzr")
            export_bundle(repo, paths[-1])
        target = sample_library(tmp_path / "t" / "library.db")
        reference = sample_library(tmp_path / "ref" / "library.db")
        try:
            for i in order:
                import_bundle(target, paths[i])
            for i in range(3):
                import_bundle(reference, paths[i])
            assert target.team.canonical_dump() == reference.team.canonical_dump()
            assert target.items.work_items(1)[0].remarks == "丙的备注"  # the last writer
            assert len(target.team.conflicts(1)) == 2
        finally:
            target.close()
            reference.close()
    finally:
        for repo in repos:
            repo.close()


def _old_library(path, *, padding: bool):
    """A library as the version before 0007 left it: the same report and item in both, at other row ids."""
    from sqlite_utils import Database

    from desktop.store import migrations

    db = Database(path)
    migrations.apply(db, stop_before="0007_team")
    texts = (["另一份报告的全文。"] if padding else []) + ["旧的报告全文，有一句话。"]
    for n, text in enumerate(texts, 1):
        db.execute("INSERT INTO reports (file_name, sha256, doc_kind, title, clean_text, imported_at)"
                   " VALUES (?, ?, 'annual_report', ?, ?, '2024-01-01')", [f"r{n}.txt", f"sha{n}", text[:4], text])
        db.execute("INSERT INTO readings (report_id, reading_no, file_name, sha256, clean_text, imported_at)"
                   " VALUES (?, 1, ?, ?, ?, '2024-01-01')", [n, f"r{n}.txt", f"sha{n}", text])
    rid = len(texts)
    extracted = '{"kind": "plan_task", "text": "有一句话。"}'
    db.execute("INSERT INTO work_items (report_id, uid, kind, section_path, theme, text, start, \"end\", extracted)"
               " VALUES (?, ?, 'plan_task', '一', '主题', '有一句话。', 7, 12, ?)",
               [rid, f"old-{padding}", extracted])
    db.execute("INSERT INTO rubric_scores (report_id, criterion_id, score, reviewer, updated_at)"
               " VALUES (?, 'completeness', ?, ?, '2024-01-02')", [rid, 4 if padding else 2, "甲" if padding else None])
    db.conn.commit()
    db.close()


def test_libraries_upgraded_from_the_previous_version_merge(tmp_path):
    """Migration 0007 derives the same report keys and item gids in two old libraries, keeps old scores (a
    missing reviewer becomes ""), and their bundles then merge."""
    paths = [tmp_path / "old1.db", tmp_path / "old2.db"]
    _old_library(paths[0], padding=True)
    _old_library(paths[1], padding=False)
    repos = [sample_library(p) for p in paths]
    try:
        one, two = repos
        key = one.team.team_state([2])["reports"][0]["key"]
        assert two.team.team_state([1])["reports"][0]["key"] == key
        assert one.items.work_items(2)[0].uid == "old-True"  # ledgers already sent out keep reading back
        assert [(r.reviewer, r.score) for r in two.scores.rubric_scores(1)] == [("", 2.0)]
        one.items.update_work_item(one.items.work_items(2)[0].id, {"status": "推进中"}, who="甲")
        export_bundle(one, tmp_path / "1.fzr")
        export_bundle(two, tmp_path / "2.fzr")
        import_bundle(two, tmp_path / "1.fzr")
        import_bundle(one, tmp_path / "2.fzr")
        assert one.team.canonical_dump() == two.team.canonical_dump()
        assert two.reports.report_count() == 2 and len(two.items.work_items(1)) == 1 and two.items.work_items(1)[0].status == "推进中"
        assert sorted((r.reviewer, r.score) for r in two.scores.rubric_scores(1)) == [("", 2.0), ("甲", 4.0)]
    finally:
        for repo in repos:
            repo.close()


def test_an_upgraded_library_and_a_new_one_agree_on_ids(tmp_path, sample_path):
    """A library written by the previous version (rows as it stored them) and a new library that imported
    the same file derive the same report key and the same gid for every item the reader found."""
    from sqlite_utils import Database

    from desktop.store import migrations

    new = sample_library(tmp_path / "new.db")
    old_path = tmp_path / "old.db"
    db = Database(old_path)
    migrations.apply(db, stop_before="0007_team")
    try:
        skip = {"gid", "stamps", "report_key"}
        for table in ("reports", "readings", "sections", "work_items", "indicators"):
            for row in new.db.rows(f"SELECT * FROM {table} ORDER BY id"):
                row = {k: v for k, v in row.items() if k not in skip}
                db[table].insert(row)
        db.conn.commit()
        db.close()
        with sample_library(old_path) as old:
            assert old.team.team_state()["reports"][0]["key"] == new.team.team_state()["reports"][0]["key"]
            for table in ("work_items", "indicators"):
                mine = [r["gid"] for r in old.team.team_state()["reports"][0][table]]
                theirs = [r["gid"] for r in new.team.team_state()["reports"][0][table]]
                assert mine == theirs and len(set(mine)) == len(mine)
            assert old.team.canonical_dump() == new.team.canonical_dump()
    finally:
        new.close()


def test_the_teams_score_is_the_mean_on_the_scale(tmp_path):
    from desktop.review.rubric import load_rubric
    from desktop.review.service import scores_of, total_of

    with sample_library(tmp_path / "lib.db") as repo:
        set_score(repo, 1, "completeness", 4.5, comment="较完整", who="甲")
        set_score(repo, 1, "completeness", 2, who="乙")
        set_score(repo, 1, "overall", "优", who="甲")
        set_score(repo, 1, "overall", "中", who="乙")
        set_score(repo, 1, "evidence", 3, who="乙")
        team = scores_of(repo, 1)
        assert (team["completeness"].score, team["completeness"].comment, team["completeness"].reviewer) == \
            (3.5, "较完整", "乙、甲")  # mean 3.25 on the 0.5 step, half up
        assert team["overall"].score == 3 and team["evidence"].score == 3  # 优/中 -> 良; one reviewer as is
        assert scores_of(repo, 1, reviewer="甲")["completeness"].score == 4.5
        rubric = load_rubric()
        assert total_of(rubric, team) > 0  # every team score is on its scale, so the total counts it
        assert {c: r.score for c, r in team.items()} == {c: rubric.criterion(c).scale.parse(r.score)
                                                         for c, r in team.items()}


def test_summaries_of_many_reports_in_one_read(team):
    from desktop.review.service import score_summaries

    _work(team)
    a = team[0]
    many = score_summaries(a)
    assert set(many) == {1}
    assert many[1] == score_summary(a, 1)
    assert [s.scores for s in many[1] if s.criterion_id == "completeness"] == [(("甲", 4.5),)]


def test_the_ledgers_score_sheet_gets_the_teams_score(tmp_path):
    from desktop.ledger.service import bundle_for

    with sample_library(tmp_path / "lib.db") as repo:
        set_score(repo, 1, "completeness", 5, who="甲")
        set_score(repo, 1, "completeness", 2, who="乙")
        bundle = bundle_for(repo, repo.reports.get_report(1))
        assert [(r.criterion_id, r.score, r.reviewer) for r in bundle.rubric_scores] == [("completeness", 3.5, "乙、甲")]


def test_report_identity_corrections_travel_and_clash_like_any_field(team, tmp_path):
    """标题/单位/地区 corrected in the season's 报告信息 are reviewer edits too: they merge per field, a clash is
    recorded, the unit follows the merged identity, and the libraries end equal."""
    a, b, c = team
    a.season.update_report_identity(1, {"region": "浙江省", "issuer": "杭州市司法局（市依法治市办）"}, who="甲")
    b.season.update_report_identity(1, {"issuer": "杭州市司法局"}, who="乙")  # the parser's value: no edit
    b.season.update_report_identity(1, {"issuer": "杭州市司法局机关", "level": "市"}, who="乙")  # later than 甲's issuer
    _exchange(team, tmp_path, (0, 1, 2), "id1")
    _exchange(team, tmp_path, (1, 2, 0), "id2")
    assert a.team.canonical_dump() == b.team.canonical_dump() == c.team.canonical_dump()
    units = set()
    for repo in team:
        report = repo.reports.get_report(1)
        assert (report.issuer, report.region, report.level) == ("杭州市司法局机关", "浙江省", "市")
        assert set(report.edited_fields) == {"issuer", "region", "level"}
        units.add(repo.units.get_unit(report.unit_id).name)  # the unit follows the merged 单位
        clash = [x for x in repo.team.conflicts(1) if x["entity"] == "report"]
        assert [(x["field"], x["value"], x["author"], x["current"]) for x in clash] == \
            [("issuer", "杭州市司法局（市依法治市办）", "甲", "杭州市司法局机关")]
    assert len(units) == 1 and "杭州市司法局机关" in units.pop()


def test_a_removed_report_travels_as_a_tombstone(team, tmp_path):
    """甲 removes 宁波 after everyone has it: 乙 and 丙 lose it too on merging 甲's bundle, with notes and their own
    annotations on it kept in their tombstones; the removal travels on from 乙 to a library that never had it."""
    a, b, c = team
    _exchange(team, tmp_path, (0, 1, 2), "first")
    key = next(r for r in a.reports.list_reports() if r.file_name == "ningbo.txt")
    rid_b = next(r.id for r in b.reports.list_reports() if r.file_name == "ningbo.txt")
    b.annotations.add_annotation(rid_b, target_kind="report", body="乙的批注", reviewer="乙")
    a.removal.remove_reports([key.id], who="甲")
    path = tmp_path / "a-removed.fzr"
    export_bundle(a, path, author="甲")
    summary = import_bundle(b, path)[1]
    assert summary.removed == [key.title or "ningbo.txt"]
    assert "ningbo.txt" not in [r.file_name for r in b.reports.list_reports()]
    (tomb,) = b.removal.removed_reports()
    assert tomb["removed_by"] == "甲" and [h.who for h in b.annotations.history(rid_b) if h.action == "remove"] == ["甲"]
    assert b.removal.restore_reports([tomb["id"]]) == [rid_b]  # 乙 can take it back, with 乙's annotation
    assert "乙的批注" in [x.body for x in b.annotations.annotations(rid_b)]
    b.removal.remove_reports([rid_b], who="乙")
    again = import_bundle(b, path)[1]  # the same removal again: nothing more happens
    assert again.removed == [] and len(b.removal.removed_reports()) == 1
    fresh = sample_library(tmp_path / "d" / "library.db")  # 丁 never had 宁波: 乙's bundle passes the removal on
    onward = tmp_path / "b-onward.fzr"
    export_bundle(b, onward, author="乙")
    import_bundle(fresh, onward)
    assert [t["report_key"] for t in fresh.removal.removed_reports()] == [tomb["report_key"]]
    import_bundle(c, onward)
    assert "ningbo.txt" not in [r.file_name for r in c.reports.list_reports()]
    assert a.team.canonical_dump() == b.team.canonical_dump() == c.team.canonical_dump()
    fresh.close()
