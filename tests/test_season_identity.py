"""A report's identity corrected by the reviewer: kept across re-imports, undoable, and units that group years."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.review.service import findings_for
from desktop.store.db import open_library
from desktop.store.identity import guess_level, guess_region, unit_name
from tests.season_texts import variant

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def lib(tmp_path):
    repo = open_library(tmp_path / "lib.db", seed_sample=False)
    yield repo
    repo.close()


def _import(repo, text, name):
    return repo.reports.import_bytes(text.encode("utf-8"), name)


def test_parser_identity_guesses_level_region_and_type(lib):
    report = _import(lib, variant("宁波"), "nb.txt").report
    assert (report.issuer, report.level, report.region, report.report_type) == ("宁波市司法局", "部门", "宁波市", "年度报告")
    assert guess_level("浙江省人民政府") == "省" and guess_level("西湖区人民政府") == "县区"
    assert guess_level("宁波市人民政府") == "市" and guess_region("市场监管局") is None
    assert unit_name("市司法局", "杭州市") == "杭州市司法局"
    assert unit_name("我局", None, "温州市司法局2023年法治政府建设年度报告") == "温州市司法局"


def test_edits_survive_a_reimport_and_undo_restores_the_parser_values(lib):
    first = _import(lib, variant("宁波"), "nb.txt").report
    edited = lib.season.update_report_identity(first.id, {"issuer": "宁波市人民政府", "level": "市", "published": "2024年4月8日"},
                                        who="张三")
    assert edited.published == "2024-04-08" and set(edited.edited_fields) == {"issuer", "level", "published"}
    timeliness = {f.check: f.result for f in findings_for(lib, first.id)}["timeliness"]
    assert timeliness == "fail"  # the corrected date counts for the checks
    history = [h for h in lib.annotations.history(first.id) if h.entity == "report" and h.action == "update"]
    assert {h.field for h in history} >= {"issuer", "level", "published"} and all(h.who == "张三" for h in history)
    # a changed version of the same file: the reviewer's values stay, the parser's others follow the new text
    result = _import(lib, variant("宁波", figures=9), "nb.txt")
    assert result.status == "new_reading" and result.report.id == first.id
    again = result.report
    assert (again.issuer, again.level, again.published) == ("宁波市人民政府", "市", "2024-04-08")
    assert again.report_year == 2023 and again.region == "宁波市"
    assert {f.check: f.result for f in findings_for(lib, first.id)}["timeliness"] == "fail"
    # undo = write the old values back: the edits are cleared, the parser's values rule again
    lib.season.update_report_identity(first.id, {"issuer": first.issuer, "level": first.level,
                                          "published": first.published})
    back = lib.reports.get_report(first.id)
    assert (back.issuer, back.level, back.published, back.edited_fields) == (first.issuer, "部门", "2024-03-04", ())
    assert {f.check: f.result for f in findings_for(lib, first.id)}["timeliness"] == "pass"


def test_bad_values_are_refused_with_a_message(lib):
    rid = _import(lib, variant("宁波"), "nb.txt").report.id
    for changes in ({"level": "乡镇"}, {"report_year": "去年"}, {"published": "四月"}, {"issuer": ""},
                    {"report_type": "通知"}):
        with pytest.raises(ValueError):
            lib.season.update_report_identity(rid, changes)
    assert lib.reports.get_report(rid).edited_fields == ()


def test_aliases_group_one_units_reports_across_years(lib):
    a = _import(lib, variant("宁波", 2022), "nb-2022.txt").report
    b = _import(lib, variant("宁波", 2023, issuer="宁波市依法治市办"), "nb-2023.txt").report
    assert a.unit_id != b.unit_id
    # 市司法局 in a 宁波 report is 宁波市司法局
    c = lib.season.update_report_identity(b.id, {"issuer": "市司法局"})
    assert c.unit_id == a.unit_id and c.region == "宁波市"
    lib.season.update_report_identity(b.id, {"issuer": "宁波市依法治市办"})
    source = lib.reports.get_report(b.id).unit_id
    moved = lib.units.merge_units(source, a.unit_id)
    assert moved == [b.id] and lib.reports.get_report(b.id).unit_id == a.unit_id
    target = lib.units.get_unit(a.unit_id)
    assert "宁波市依法治市办" in target.aliases and target.reports == 2
    # next year's report under the old name joins the same unit
    d = _import(lib, variant("宁波", 2024, issuer="宁波市依法治市办"), "nb-2024.txt").report
    assert d.unit_id == a.unit_id
    lib.units.unmerge_units(source, moved)
    assert lib.reports.get_report(b.id).unit_id == source and lib.reports.get_report(a.id).unit_id == a.unit_id
    renamed = lib.units.rename_unit(a.unit_id, "宁波市司法局（宁波市依法治市办）")
    assert "宁波市司法局" in renamed.aliases


def test_cli_set_and_units(tmp_path):
    db = tmp_path / "lib.db"
    (tmp_path / "nb.txt").write_text(variant("宁波"), encoding="utf-8")

    def run(*args):
        return subprocess.run([sys.executable, "main.py", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                              text=True)

    assert run("import", str(tmp_path / "nb.txt")).returncode == 0
    out = run("set", "nb.txt", "--issuer", "宁波市人民政府", "--level", "市", "--year", "2023", "--published",
              "2024-03-30", "--type", "年度报告")
    assert out.returncode == 0, out.stderr
    assert "单位：宁波市司法局 → 宁波市人民政府" in out.stdout and "issuer" not in out.stdout
    bad = run("set", "nb.txt", "--level", "乡镇")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "层级" in bad.stderr
    units = run("units")
    assert "宁波市人民政府" in units.stdout


def test_a_corrected_unit_brings_its_level_and_the_misread_unit_goes(tmp_path):
    """杭州市人民政府 is 市 whatever the misread said; the unit made from the misread leaves `units`."""
    db = tmp_path / "lib.db"
    (tmp_path / "hz.txt").write_text(variant("杭州", issuer="关于杭州市人民政府"), encoding="utf-8")
    (tmp_path / "hz2.txt").write_text(variant("杭州", 2024, issuer="本单位"), encoding="utf-8")

    def run(*args):
        return subprocess.run([sys.executable, "main.py", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                              text=True)

    assert run("import", str(tmp_path / "hz.txt"), str(tmp_path / "hz2.txt")).returncode == 0
    with open_library(db, seed_sample=False, backups=False) as repo:
        misread, vague = (next(r for r in repo.reports.list_reports() if r.file_name == n) for n in ("hz.txt", "hz2.txt"))
        assert misread.issuer == "关于杭州市人民政府" and vague.level != "市"
        assert "关于杭州市人民政府" in [u.name for u in repo.units.units()]
    for name in ("hz.txt", "hz2.txt"):
        out = run("set", name, "--issuer", "杭州市人民政府")
        assert out.returncode == 0, out.stderr
    assert f"层级：{vague.level} → 市" in out.stdout
    with open_library(db, seed_sample=False, backups=False) as repo:
        levels = {repo.reports.get_report(r.id).level for r in (misread, vague)}
        names = {u.name: u.reports for u in repo.units.units()}
    assert levels == {"市"}
    assert "关于杭州市人民政府" not in names and names["杭州市人民政府"] == 2
    assert "关于杭州市人民政府" not in run("units").stdout


def test_a_unit_someone_relies_on_stays_when_its_last_report_moves(lib):
    a = _import(lib, variant("宁波"), "nb.txt").report
    lib.units.add_unit_alias(a.unit_id, "宁波司法")
    lib.season.update_report_identity(a.id, {"issuer": "宁波市人民政府"})
    assert "宁波市司法局" in [u.name for u in lib.units.units()]  # an alias the reviewer added keeps it
    assert lib.reports.get_report(a.id).level == "市"
    lib.season.update_report_identity(a.id, {"issuer": "宁波市法治办", "level": "部门"})  # an explicit 层级 wins
    assert lib.reports.get_report(a.id).level == "部门"
