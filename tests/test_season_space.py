"""A library that stays small: each text stored once, old readings compressed, backups compressed and restorable."""
from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from desktop.store import migrations
from desktop.store.backups import backups_size, restore_backup, write_backup
from desktop.store.db import open_library
from tests.season_texts import variant
from tests.libraries import sample_library  # noqa: E402


def test_the_current_text_is_stored_once_and_old_readings_compressed(tmp_path):
    with open_library(tmp_path / "lib.db", seed_sample=False) as repo:
        first = repo.reports.import_bytes(variant("宁波").encode("utf-8"), "nb.txt").report
        second = repo.reports.import_bytes(variant("宁波", figures=3).encode("utf-8"), "nb.txt").report
        assert second.id == first.id and second.reading_no == 2
        rows = repo.db.execute("SELECT reading_no, length(clean_text), text_z IS NOT NULL FROM readings"
                               " ORDER BY reading_no").fetchall()
        assert rows == [(1, 0, 1), (2, 0, 0)]
        assert repo.season.reading_text(first.id, 1) == first.clean_text
        assert repo.season.reading_text(first.id, 2) == second.clean_text != first.clean_text
        # the same bytes as the first reading are still recognised
        assert repo.reports.import_bytes(variant("宁波").encode("utf-8"), "nb.txt").status == "unchanged"


def test_an_older_library_is_filled_in_by_the_migration(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="0005_season")
    text = variant("宁波")
    db.execute("INSERT INTO reports (file_name, sha256, doc_kind, title, issuer, report_year, published, clean_text,"
               " imported_at, reading_no) VALUES ('nb.txt', 'x', 'annual_report', '宁波市司法局2023年法治政府建设年度报告',"
               " '我局', 2023, '2024-03-04', ?, '2024-03-05', 2)", [text])
    for n, body in ((1, "旧版本的全文"), (2, text)):
        db.execute("INSERT INTO readings (report_id, reading_no, file_name, sha256, clean_text, imported_at)"
                   " VALUES (1, ?, 'nb.txt', ?, ?, '2024-03-05')", [n, f"s{n}", body])
    full = '{"kind": "plan_task", "text": "原文任务", "theme": "主题", "lead_unit": null, "section_path": "四"}'
    db.execute("INSERT INTO work_items (report_id, uid, kind, section_path, theme, text, start, \"end\", lead_unit,"
               " edited_fields, extracted) VALUES (1, 'u1', 'plan_task', '四', '主题', '原文任务', 0, 4, '市司法局',"
               " '[\"lead_unit\"]', ?)", [full])
    db.conn.commit()
    db.close()
    with sample_library(path) as repo:
        stored = repo.db.execute("SELECT extracted FROM work_items").fetchone()[0]
        assert stored == '{"lead_unit": null}'  # only the value the reviewer overrides
        assert repo.items.work_items(1)[0].lead_unit == "市司法局"
        report = repo.reports.get_report(1)
        assert (report.issuer, report.level, report.region, report.report_type) == \
            ("宁波市司法局", "部门", "宁波市", "年度报告")
        assert repo.units.get_unit(report.unit_id).name == "宁波市司法局"
        assert repo.season.reading_text(1, 1) == "旧版本的全文" and repo.season.reading_text(1, 2) == text
        assert repo.db.execute("SELECT sum(length(clean_text)) FROM readings").fetchone()[0] == 0


def test_compressed_backup_restores_the_library(tmp_path):
    path = tmp_path / "lib.db"
    with sample_library(path) as repo:
        for city in ("宁波", "温州", "嘉兴"):
            repo.reports.import_bytes(variant(city).encode("utf-8"), f"{city}.txt")
        repo.annotations.add_annotation(2, target_kind="report", body="整体较好")
        dest = write_backup(repo, tmp_path / "lib-backups" / "lib-20260101-000000-000000-daily.db.gz")
    assert dest.stat().st_size < path.stat().st_size / 2
    assert backups_size(path) == dest.stat().st_size
    restored = restore_backup(dest, tmp_path / "restored.db")
    conn = sqlite3.connect(restored)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 4
    assert conn.execute("SELECT body FROM annotations").fetchone()[0] == "整体较好"
    conn.close()


def test_daily_backups_are_compressed_and_pruned(tmp_path):
    path = tmp_path / "lib.db"
    sample_library(path).close()
    sample_library(path).close()  # the first open of the day with an existing library makes the daily copy
    from desktop.store.db import list_backups

    (daily,) = list_backups(path)
    assert daily.name.endswith("-daily.db.gz")


def test_item_rows_keep_only_the_parser_values_a_reviewer_changed(tmp_path):
    with open_library(tmp_path / "lib.db", seed_sample=False) as repo:
        rid = repo.reports.import_bytes(variant("宁波").encode("utf-8"), "nb.txt").report.id
        assert repo.db.execute("SELECT count(*) FROM work_items WHERE extracted != '{}'").fetchone()[0] == 0
        item = repo.items.work_items(rid, kind="plan_task")[0]
        repo.items.update_work_item(item.id, {"text": "改写后的任务", "lead_unit": "市司法局"})
        stored = repo.db.execute("SELECT extracted FROM work_items WHERE id = ?", [item.id]).fetchone()[0]
        import json

        assert json.loads(stored) == {"text": item.text, "lead_unit": item.lead_unit}
        # back to the parser's wording: no longer an edit
        repo.items.update_work_item(item.id, {"text": item.text})
        assert "text" not in repo.items.get_work_item(item.id).edited_fields
        # a new version keeps the reviewer's lead unit and follows the parser's text elsewhere
        again = repo.reports.import_bytes(variant("宁波", figures=4).encode("utf-8"), "nb.txt")
        assert again.status == "new_reading"
        kept = repo.items.get_work_item(item.id)
        assert kept.lead_unit == "市司法局" and kept.text == item.text and kept.edited_fields == ("lead_unit",)


def test_backups_stay_within_the_size_budget(tmp_path):
    from desktop.store.backups import MIN_KEEP, SIZE_BUDGET, prune_backups

    folder = tmp_path / "lib-backups"
    folder.mkdir()
    for day in range(1, 8):
        (folder / f"lib-2026010{day}-000000-000000-daily.db.gz").write_bytes(b"x" * 100)
    (folder / "notes.txt").write_text("not a backup", encoding="utf-8")
    gone = prune_backups(folder, "lib", keep=7, library_bytes=300)  # budget 450 bytes: four copies fit
    assert SIZE_BUDGET == 1.5 and len(gone) == 3 and all("2026010" + str(d) in g.name for d, g in zip((1, 2, 3), gone))
    assert (folder / "notes.txt").exists()
    prune_backups(folder, "lib", keep=7, library_bytes=10)  # a tiny library: the newest copies still stay
    kept = sorted(p.name for p in folder.glob("lib-*"))
    assert len(kept) == MIN_KEEP and kept[-1].startswith("lib-20260107")
