"""Removing reports: `remove` over a real library file — what goes, history, the backup, restore; the sample's place."""
from __future__ import annotations

import gzip
import sqlite3

from desktop.cli import main
from desktop.review.service import set_score
from desktop.store.db import list_backups, open_library
from tests.libraries import sample_library
from tests.season_texts import variant
from tests.test_ledger_rounds import _fill


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _two_reports(db_path):
    """The sample (#1) annotated, scored and with a ledger round, and a second report (宁波)."""
    from desktop.ledger.service import apply_round, export_from_library, preview_round

    with sample_library(db_path) as repo:
        repo.reports.import_bytes(variant("宁波").encode("utf-8"), "宁波.txt")
        repo.annotations.add_annotation(1, target_kind="section", section_path="一", body="数据需核实", reviewer="甲")
        set_score(repo, 1, "completeness", 4, who="甲")
        book = db_path.parent / "台账.xlsx"
        export_from_library(repo, book, ["1"])
        task = repo.items.work_items(1, kind="plan_task")[0]
        _fill(book, book, {task.uid: {"完成状态": "已完成"}})
        apply_round(repo, preview_round(repo, [str(book)], "2024年第一季度"), who="甲")


def test_remove_names_what_goes_keeps_history_and_a_backup(capsys, db_path):
    _two_reports(db_path)
    db = str(db_path)
    code, out, err = _run(capsys, "--db", db, "remove", "1")
    assert code == 2 and "--yes" in err  # not a terminal: nothing removed without --yes
    assert "批注 1 条" in out and "评分 1 项" in out and "台账读回 1 轮" in out
    with open_library(db_path, backups=False) as repo:
        assert repo.reports.report_count() == 2
    code, out, err = _run(capsys, "--db", db, "remove", "1", "--yes", "--who", "张三")
    assert code == 0, err
    assert "已删除 #1 杭州市司法局2023年法治政府建设年度报告" in out and "删除前的备份" in out
    with open_library(db_path, backups=False) as repo:
        assert [r.file_name for r in repo.reports.list_reports()] == ["宁波.txt"]
        assert repo.annotations.annotations() == [] and repo.scores.all_rubric_scores() == []
        removed = [h for h in repo.annotations.history() if h.action == "remove"]
        assert [(h.entity, h.entity_id, h.who) for h in removed] == [("report", 1, "张三")]
        assert repo.integrity_check() == "ok"
    code, out, _ = _run(capsys, "--db", db, "history", "--limit", "1")
    assert "删除" in out and "张三" in out
    # the backup written just before holds what went
    backup = [p for p in list_backups(db_path) if "before-remove" in p.name][-1]
    copy = db_path.parent / "copy.db"
    copy.write_bytes(gzip.decompress(backup.read_bytes()) if backup.suffix == ".gz" else backup.read_bytes())
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1
    conn.close()
    code, _, err = _run(capsys, "--db", db, "remove", "不存在的报告", "--yes")
    assert code == 2 and "找不到报告" in err


def test_restore_puts_every_row_back_with_its_ids(db_path):
    _two_reports(db_path)
    with open_library(db_path, backups=False) as repo:
        before = repo.team.canonical_dump()
        ids = (repo.annotations.annotations(1)[0].id, [w.id for w in repo.items.work_items(1)])
        progress = repo.ledger.ledger_returns("2024年第一季度")
        tombs = repo.removal.remove_reports([1])
        assert repo.reports.report_count() == 1 and repo.removal.removed_reports()[0]["report_id"] == 1
        assert repo.removal.restore_reports(tombs) == [1]
        assert repo.team.canonical_dump() == before
        assert (repo.annotations.annotations(1)[0].id, [w.id for w in repo.items.work_items(1)]) == ids
        assert repo.ledger.ledger_returns("2024年第一季度") == progress and repo.removal.removed_reports() == []
        assert [h.action for h in repo.annotations.history(1)][:2] == ["restore", "remove"]


def test_a_db_library_starts_empty_and_the_default_one_shows_the_sample(capsys, tmp_path, monkeypatch):
    code, out, _ = _run(capsys, "--db", str(tmp_path / "new.db"), "list")
    assert code == 0 and "还没有报告" in out
    monkeypatch.setenv("FAZHI_DATA_DIR", str(tmp_path / "data"))
    code, out, _ = _run(capsys, "list")
    assert code == 0 and out.startswith("#1") and "【示例】杭州市司法局2023年法治政府建设年度报告" in out


def test_exports_leave_the_sample_out_unless_named(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_DATA_DIR", str(tmp_path / "data"))
    with open_library() as repo:  # the default library: the sample, marked 示例
        assert repo.removal.sample_report_id() == 1
        repo.reports.import_bytes(variant("宁波").encode("utf-8"), "宁波.txt")
    code, out, _ = _run(capsys, "export", "letter", "--all", "-o", str(tmp_path / "letters"))
    assert code == 0 and "共 1 份审阅意见书" in out
    assert [p.name for p in (tmp_path / "letters").iterdir()] == [n for n in
                                                                 [p.name for p in (tmp_path / "letters").iterdir()]
                                                                 if "宁波" in n]
    code, out, _ = _run(capsys, "export", "ledger", "-o", str(tmp_path / "台账.xlsx"))
    assert code == 0 and "已导出 1 份报告" in out
    code, out, _ = _run(capsys, "export", "ledger", "1", "-o", str(tmp_path / "示例台账.xlsx"))
    assert code == 0 and "已导出 1 份报告" in out  # named: the sample is exported
    code, out, _ = _run(capsys, "summary")
    assert "宁波" in out and "杭州市司法局2023" not in out
    code, out, _ = _run(capsys, "export", "bundle", "--all", "-o", str(tmp_path / "全部.fzr"))
    assert code == 0
    from desktop.store.bundle import read_bundle

    _manifest, state = read_bundle(tmp_path / "全部.fzr")
    assert len(state["reports"]) == 1 and "宁波" in state["reports"][0]["title"]  # the sample stays home unless named


def test_a_removed_sample_does_not_mark_the_next_report_and_a_taken_number_is_not_overwritten(tmp_path,
                                                                                              monkeypatch):
    """SQLite gives the next report the freed number: it is not 示例, and restoring the old one says why it cannot."""
    monkeypatch.setenv("FAZHI_DATA_DIR", str(tmp_path / "data"))
    with open_library() as repo:
        assert repo.removal.sample_report_id() == 1
        tombs = repo.removal.remove_reports([1])
        new = repo.reports.import_bytes(variant("宁波").encode("utf-8"), "宁波.txt").report
        assert new.id == 1 and repo.removal.sample_report_id() is None
        try:
            repo.removal.restore_reports(tombs)
        except ValueError as exc:
            assert "已被此后导入的报告使用" in str(exc)
        else:
            raise AssertionError("restored over another report")
        assert [r.file_name for r in repo.reports.list_reports()] == ["宁波.txt"]
