"""Batch import of folders and zip archives of mixed reports: per-file results, a corrupt file among them."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desktop.season.batch import collect, import_batch
from desktop.store.db import open_library
from tests.season_texts import docx_bytes, html, variant
from tests.test_report_pdf import _cjk_pdf  # draws a PDF with Qt and a CJK font

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def mixed_folder(tmp_path, qapp):
    folder = tmp_path / "收到的报告"
    (folder / "区县").mkdir(parents=True)
    (folder / "宁波.txt").write_text(variant("宁波"), encoding="gb18030")
    (folder / "区县" / "温州.html").write_bytes(html(variant("温州")))
    (folder / "区县" / "嘉兴.docx").write_bytes(docx_bytes(variant("嘉兴")))
    _cjk_pdf(folder / "湖州.pdf", variant("湖州"))
    (folder / "损坏.docx").write_bytes(b"PK\x03\x04" + b"not a word file" * 40)
    (folder / "说明.xls").write_bytes(b"ignored: not a report format")
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    return folder


def _by_name(items):
    return {Path(i.name.replace("\\", "/")).name: i for i in items}


def test_folder_of_mixed_formats_imports_recursively_and_a_corrupt_file_fails_alone(tmp_path, mixed_folder):
    repo = open_library(tmp_path / "lib.db", seed_sample=False)
    try:
        items = import_batch(repo, [mixed_folder])
        got = _by_name(items)
        assert set(got) == {"宁波.txt", "温州.html", "嘉兴.docx", "湖州.pdf", "损坏.docx"}
        assert got["损坏.docx"].status == "failed" and got["损坏.docx"].reason
        for name in ("宁波.txt", "温州.html", "嘉兴.docx", "湖州.pdf"):
            assert got[name].status == "new", (name, got[name])
        units = {r.issuer for r in repo.reports.list_reports()}
        assert {"宁波市司法局", "温州市司法局", "嘉兴市司法局", "湖州市司法局"} <= units
        # the same folder again: nothing new; a changed file is a new reading of its report
        (mixed_folder / "宁波.txt").write_text(variant("宁波", figures=5), encoding="utf-8")
        again = _by_name(import_batch(repo, [mixed_folder]))
        assert again["宁波.txt"].status == "new_reading"
        assert again["宁波.txt"].report_id == got["宁波.txt"].report_id
        assert {again[n].status for n in ("温州.html", "嘉兴.docx", "湖州.pdf")} == {"unchanged"}
        assert again["损坏.docx"].status == "failed"
    finally:
        repo.close()


def _gbk_names(archive: Path, names: dict[str, str]) -> None:
    """Rewrite placeholder member names as GBK bytes without the UTF-8 flag, as Windows' zip tools write them."""
    data = archive.read_bytes()
    for placeholder, name in names.items():
        raw = name.encode("gbk")
        assert len(raw) == len(placeholder) and data.count(placeholder.encode()) == 2
        data = data.replace(placeholder.encode(), raw)
    archive.write_bytes(data)


def test_zip_with_gbk_names_traversal_and_bomb(tmp_path):
    archive = tmp_path / "报告.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        gbk = "各单位/绍兴市司法局.txt"
        placeholder = "g" * len(gbk.encode("gbk"))
        zf.writestr(placeholder, variant("绍兴").encode("utf-8"))
        zf.writestr("台州.html", html(variant("台州")))
        zf.writestr("损坏.pdf", b"%PDF-1.4 broken")
        zf.writestr("../../evil.txt", variant("丽水").encode("utf-8"))
        zf.writestr("bomb.txt", b"\x00" * (9 * 1024 * 1024))  # ~1000x compression
        zf.writestr("huge.txt", b"a" * (11 * 1024 * 1024))
        zf.writestr("inner.zip", b"PK")
    _gbk_names(archive, {placeholder: gbk})
    with zipfile.ZipFile(archive) as zf:
        assert any(not i.flag_bits & 0x800 and not i.filename.isascii() for i in zf.infolist())
    repo = open_library(tmp_path / "lib.db", seed_sample=False)
    try:
        items = import_batch(repo, [archive])
        got = {i.name.split("报告.zip/", 1)[1]: i for i in items}
        assert got["各单位/绍兴市司法局.txt"].status == "new"
        assert got["台州.html"].status == "new"
        assert got["损坏.pdf"].status == "failed"
        assert got["../../evil.txt"].status == "failed" and "路径" in got["../../evil.txt"].reason
        assert got["bomb.txt"].status == "failed" and "压缩" in got["bomb.txt"].reason
        assert got["huge.txt"].status == "failed" and "上限" in got["huge.txt"].reason
        assert got["inner.zip"].status == "failed"
        assert not (tmp_path.parent / "evil.txt").exists()
        assert repo.reports.report_count() == 2
    finally:
        repo.close()


def test_not_a_zip_and_missing_paths_are_results_not_errors(tmp_path):
    bad = tmp_path / "坏的.zip"
    bad.write_bytes(b"this is not a zip")
    items = collect([bad, tmp_path / "不存在.txt", tmp_path])
    assert [bool(i.refused) for i in items[:2]] == [True, True]


def test_cancel_stops_and_lists_the_rest(tmp_path):
    for city in ("宁波", "温州", "嘉兴"):
        (tmp_path / f"{city}.txt").write_text(variant(city), encoding="utf-8")
    repo = open_library(tmp_path / "lib.db", seed_sample=False)
    try:
        items = import_batch(repo, [tmp_path], progress=lambda done, total, msg: done < 1)
        assert [i.status for i in items] == ["new", "cancelled", "cancelled"]
    finally:
        repo.close()


def test_cli_import_folder_and_zip_prints_per_file_results(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "宁波.txt").write_text(variant("宁波"), encoding="utf-8")
    (folder / "坏.docx").write_bytes(b"PK\x03\x04broken")
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as zf:
        zf.writestr("温州.txt", variant("温州"))
    db = tmp_path / "lib.db"
    run = subprocess.run([sys.executable, "main.py", "import", str(folder), str(tmp_path / "b.zip"), "--db", str(db),
                          "--json"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    rows = {Path(r["file"]).name: r for r in json.loads(run.stdout)}
    assert rows["宁波.txt"]["label"] == "新导入" and rows["温州.txt"]["label"] == "新导入"
    assert rows["坏.docx"]["label"] == "失败" and rows["坏.docx"]["reason"]
    plain = subprocess.run([sys.executable, "main.py", "import", str(folder), "--db", str(db)], cwd=ROOT,
                           capture_output=True, text=True)
    assert "未变化 #" in plain.stdout and "失败 1" in plain.stdout and "Traceback" not in plain.stderr
    assert plain.stderr.count("\n") == 1 and "坏.docx" in plain.stderr
