"""Fuzz suite: hostile and broken files through the real commands. For every input: one line on stderr and
exit 2, or success; peak memory under 500 MB and under 10 s each (measured in one worker process: the
peak RSS is reset before each case through /proc/self/clear_refs, so each case's peak is its own)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_bounds as hb
import hostile_files as hf
from tests.libraries import sample_library  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 10.0
MAX_MB = 500
LINUX_PEAK = Path("/proc/self/clear_refs").exists()


def _worker() -> None:
    """Run each argv from stdin's JSON list through the CLI in this process; print rc/stderr/time/peak per case."""
    import contextlib
    import io

    from desktop.cli import main

    results = []
    for argv in json.loads(sys.stdin.read()):
        if LINUX_PEAK:
            Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM (peak RSS) to the current RSS
        err, out = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                rc = main(argv)
            except SystemExit as exc:
                rc = exc.code if isinstance(exc.code, int) else 2
        seconds = time.perf_counter() - start
        peak = 0
        if LINUX_PEAK:
            status = Path("/proc/self/status").read_text()
            peak = int(next(ln for ln in status.splitlines() if ln.startswith("VmHWM")).split()[1]) // 1024
        results.append({"argv": argv, "rc": rc, "stderr": err.getvalue(), "stdout": out.getvalue()[-2000:],
                        "seconds": seconds, "peak_mb": peak})
    json.dump(results, sys.stdout, ensure_ascii=False)


def _run_all(cases: list[list[str]], home: Path) -> dict[str, dict]:
    env = dict(os.environ, XDG_DATA_HOME=str(home), FAZHI_DATA_DIR=str(home / "fazhi-review"),
               PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'tests'}")
    proc = subprocess.run([sys.executable, __file__, "--worker"], input=json.dumps(cases), capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {" ".join(r["argv"]): r for r in json.loads(proc.stdout)}


def _ledger_files(filled: Path, folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Workbooks read back with --dry-run: damaged, lying, duplicated, bombs, a symlink loop, a DTD in each part."""
    ledgers = {
        "xlsx-deflate": hf.damage_member(filled, "xl/worksheets/sheet1.xml", folder / "deflate.xlsx"),
        "xlsx-dimension": hf.dimension_lie(filled, folder / "dimension.xlsx"),
        "xlsx-dup5000": hf.duplicated_rows(filled, folder / "dup5000.xlsx", 5_000),
        "xlsx-dup100000": hf.duplicated_rows(filled, folder / "dup100000.xlsx", 100_000),
        "xlsx-sst-bomb": hf.shared_strings_bomb(filled, folder / "sst.xlsx"),
        "xlsx-unread-part": hb.unread_part(filled, folder),
    }
    loop = folder / "loop-a.xlsx"
    os.symlink(folder / "loop-b.xlsx", loop)
    os.symlink(loop, folder / "loop-b.xlsx")
    ledgers["symlink-loop"] = loop
    with __import__("zipfile").ZipFile(filled) as zf:
        xml_parts = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
    for part in xml_parts:
        key = "xlsx-entity-" + part.replace("/", "_").strip("[]")
        ledgers[key] = hf.with_entity(filled, part, folder / f"{key}.xlsx")
    return ledgers, xml_parts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_path):
    """Every crafted file, a library with the sample, an exported ledger and the results of all cases."""
    folder = tmp_path_factory.mktemp("hostile")
    home = tmp_path_factory.mktemp("home")
    seed = sample_path.read_bytes()
    lib = folder / "lib.db"
    ledger = folder / "ledger.xlsx"
    prep = _run_all([["import", str(sample_path), "--db", str(lib)], ["export", "ledger", "-o", str(ledger), "--db", str(lib)]], home)
    assert all(r["rc"] == 0 for r in prep.values()), prep
    from desktop.ledger import layout

    filled, n_filled = hf.fill_status(ledger, folder / "filled.xlsx", layout.SHEET_TRACKING)
    files = {f"stray-{k}": v for k, v in hf.stray_byte_variants(seed, folder).items()}
    files["short-lines"] = hf.short_lines(folder)
    files["html-tags"] = hf.html_many_tags(folder)
    files.update({f"docx-{k}": v for k, v in hf.docx_files(folder).items()})
    files.update({f"pdf-{k}": v for k, v in hf.pdf_files(folder).items()})
    files.update(hb.docx_files(folder))
    files.update(hb.pdf_files(folder))
    files.update(hb.text_files(seed, folder))
    linked = hb.symlink_sources(seed, folder)
    fifo = folder / "pipe"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        files["fifo"] = fifo
    if Path("/dev/zero").exists():
        files["dev-zero"] = Path("/dev/zero")
    files["folder"] = folder
    ledgers, xml_parts = _ledger_files(filled, folder)
    bounded = hb.xlsx_files(filled, folder)  # imported for real (no dry run) into a copy: refused, never written
    lib2 = folder / "lib2.db"
    lib2.write_bytes(lib.read_bytes())
    lib2_sha = hashlib.sha256(lib2.read_bytes()).hexdigest()
    damaged = folder / "damaged.db"
    damaged.write_bytes(lib.read_bytes())
    hf.damage_history(damaged)
    cases = [["extract", str(p)] for p in files.values()]
    cases += [["import-ledger", str(p), "--dry-run", "--db", str(lib)] for p in ledgers.values()]
    cases += [["import-ledger", str(p), "--db", str(lib2)] for p in bounded.values()]
    cases += [["list", "--db", str(damaged)], ["import", str(files["stray-ff"]), "--db", str(damaged)],
              ["repair", "--db", str(damaged)], ["import", str(folder / "dup-section.txt"), "--db", str(lib)]]
    (folder / "dup-section.txt").write_text(seed.decode("utf-8").replace("(二)统筹", "(一)统筹"), encoding="utf-8")
    cases += [["import", str(p), "--db", str(lib2)] for p in linked.values()]
    usage = {"usage-missing": ["extract"], "usage-unknown": ["no-such-command"],
             "usage-sub": ["import-ledger"], "usage-option": ["list", "--no-such-option"]}
    cases += list(usage.values())
    results = _run_all(cases, home)
    named = {k: results[" ".join(["extract", str(p)])] for k, p in files.items()}
    named.update({k: results[" ".join(["import-ledger", str(p), "--dry-run", "--db", str(lib)])]
                  for k, p in ledgers.items()})
    named.update({k: results[" ".join(["import-ledger", str(p), "--db", str(lib2)])] for k, p in bounded.items()})
    named.update({k: results[" ".join(argv)] for k, argv in usage.items()})
    named.update({k: results[" ".join(["import", str(p), "--db", str(lib2)])] for k, p in linked.items()})
    named["damaged-list"] = results[f"list --db {damaged}"]
    named["damaged-import"] = results[f"import {files['stray-ff']} --db {damaged}"]
    named["repair"] = results[f"repair --db {damaged}"]
    named["dup-section-import"] = results[f"import {folder / 'dup-section.txt'} --db {lib}"]
    return {"results": named, "filled": n_filled, "lib2": (lib2, lib2_sha), "folder": folder, "xml_parts": xml_parts, "home": home}


def test_every_case_is_one_line_or_success_within_time_and_memory(corpus):
    for name, r in corpus["results"].items():
        print(f"{name:40} rc={r['rc']} {r['seconds']:6.2f} s {r['peak_mb']:5d} MB")  # shown with pytest -s
        assert r["rc"] in (0, 1, 2), (name, r)
        if r["rc"] == 2:
            lines = r["stderr"].strip().splitlines()
            if name.startswith("link-"):  # a batch: one line per refused file
                assert lines and all(ln.startswith("错误：") for ln in lines), (name, r["stderr"])
            else:
                assert len(lines) == 1 and lines[0].startswith("错误："), (name, r["stderr"])
        else:
            assert "Traceback" not in r["stderr"], (name, r["stderr"])
        assert r["seconds"] < MAX_SECONDS, (name, r["seconds"])
        if LINUX_PEAK:
            assert r["peak_mb"] < MAX_MB, (name, r["peak_mb"])


def test_stray_bytes_are_read_and_counted(corpus):
    res = corpus["results"]
    for key in ("stray-ff", "stray-nul", "stray-gbk", "stray-cut"):
        assert res[key]["rc"] == 0, res[key]
        assert "无法按" in res[key]["stdout"] and "已替换为" in res[key]["stdout"], key
    for key in ("stray-utf16le", "stray-utf16be"):
        assert res[key]["rc"] == 0 and "合计：章节 18，指标 43" in res[key]["stdout"], res[key]


@pytest.mark.parametrize("key, reason", [
    ("html-tags", "上限"), ("fifo", "不是普通文件"), ("dev-zero", "不是普通文件"), ("folder", "文件夹"),
    ("docx-bomb", "压缩比"), ("docx-big-body", "上限"), ("docx-entity", "不安全的 XML"),
    ("docx-entity-rels", "不安全的 XML"), ("docx-many-parts", "上限"), ("docx-deflate", "损坏"),
    ("pdf-text-ops", "上限"), ("pdf-huge-stream", "上限"), ("pdf-damaged", "损坏"),
    ("xlsx-deflate", "损坏"), ("xlsx-dup100000", "上限"), ("xlsx-sst-bomb", "上限"),
    ("damaged-import", "已损坏"),
    ("xlsx-wide-row", "单元格超过上限"), ("xlsx-styles", "样式超过上限"), ("xlsx-content-types", "部件声明超过上限"),
    ("xlsx-defined-names", "定义名称超过上限"), ("xlsx-strings", "共享字符串超过上限"),
("xlsx-dtd-comment", "不安全的 XML"), ("xlsx-dtd-pi", "不安全的 XML"),
    ("xlsx-dtd-utf16", "不安全的 XML"), ("docx-styles", "样式超过上限"), ("docx-vmerge", "合并单元格超过上限"),
    ("docx-paragraphs", "段落超过上限"), ("symlink-loop", "循环"), ("usage-missing", "缺少必需的参数"),
    ("text-nul", "大部分无法识别"), ("text-bom-garbage", "大部分无法识别"), ("usage-unknown", "无效的取值"), ("usage-sub", "查看用法"), ("usage-option", "无法识别的参数"), ("pdf-nested-forms", "嵌套的表单"), ("pdf-inflate-bomb", "解开后超过上限"),
])
def test_refusals_name_the_reason(corpus, key, reason):
    r = corpus["results"].get(key)
    if r is None:
        pytest.skip(f"{key} cannot be made on this system")
    assert r["rc"] == 2 and reason in r["stderr"], r


def test_refused_workbooks_leave_the_library_byte_for_byte(corpus):
    lib, before = corpus["lib2"]
    assert all(corpus["results"][k]["rc"] == 2 for k in corpus["results"] if k.startswith("xlsx-")
               and k in ("xlsx-wide-row", "xlsx-styles", "xlsx-strings", "xlsx-dtd-utf16"))
    assert hashlib.sha256(lib.read_bytes()).hexdigest() == before
    assert not Path(f"{lib}-wal").exists() or Path(f"{lib}-wal").stat().st_size == 0


def test_a_part_nobody_reads_is_not_read(corpus):
    r = corpus["results"]["xlsx-unread-part"]
    assert r["rc"] == 0 and r["seconds"] < 2.0, r


@pytest.mark.parametrize("key", ["docx-vmerge-under", "docx-paragraphs-under"])
def test_shapes_just_under_a_count_limit_are_read(corpus, key):
    r = corpus["results"][key]
    assert r["rc"] == 0 and "合计：" in r["stdout"], r


def test_a_mixed_encoding_file_is_read_line_by_line(corpus):
    r = corpus["results"]["text-bom-gbk"]
    assert r["rc"] == 0 and "混用了两种编码" in r["stdout"] and "合计：章节 18" in r["stdout"], r


@pytest.mark.parametrize("key, link", [("link-folder", "passwd.txt"), ("link-zip", "secret.txt")])
def test_symlinks_in_folders_and_zips_are_named_and_not_followed(corpus, key, link):
    r = corpus["results"][key]
    line = next(ln for ln in r["stderr"].splitlines() if link in ln)
    assert "符号链接" in line and "root:" not in r["stdout"] + r["stderr"], r
    assert "共 2 个文件" in r["stdout"] or "共 3 个文件" in r["stdout"], r  # the report beside the link is read


def test_entity_declarations_are_refused_in_every_part_that_is_read(corpus):
    """Every part read-back reads is refused with a DTD in it; a part it never reads is never inflated."""
    from desktop.ledger.safety import read_parts

    res = corpus["results"]
    read = [p for p in corpus["xml_parts"] if read_parts(p)]
    assert len(read) >= 6 and len(corpus["xml_parts"]) >= 8
    for part in corpus["xml_parts"]:
        r = res["xlsx-entity-" + part.replace("/", "_").strip("[]")]
        if part in read:
            assert r["rc"] == 2 and "不安全的 XML" in r["stderr"], (part, r)
        else:
            assert "不安全的 XML" not in r["stderr"], (part, r)


def test_every_row_is_read_whatever_the_dimension_says(corpus):
    r = corpus["results"]["xlsx-dimension"]
    assert r["rc"] == 0, r
    assert f"{corpus['filled']} 项工作任务共 {corpus['filled']} 处修改" in r["stdout"]


def test_duplicated_ids_are_each_refused_in_linear_space(corpus):
    r = corpus["results"]["xlsx-dup5000"]
    assert r["rc"] == 1, r
    assert "编号重复" in r["stdout"] and "等共 5001 行" in r["stdout"]


def test_damaged_library_is_read_with_a_warning_but_not_written(corpus):
    r = corpus["results"]["damaged-list"]
    assert r["rc"] == 0 and "已损坏" in r["stderr"] and "杭州市司法局" in r["stdout"], r


def test_damaged_library_is_repaired_into_a_new_file(corpus):
    r = corpus["results"]["repair"]
    assert r["rc"] == 0, r
    assert "新文件" in r["stdout"] and "未做任何改动" in r["stdout"]
    assert list(corpus["folder"].glob("damaged-recovered-*.db"))


def test_third_party_warnings_go_to_the_log_not_the_terminal(corpus):
    r = corpus["results"]["pdf-bad-xref"]
    assert r["rc"] == 0 and r["stderr"] == "", r
    log = Path(corpus["home"]) / "fazhi-review" / "cli.log"
    assert "startxref" in log.read_text(encoding="utf-8")


def test_four_megabytes_of_short_lines_are_read(corpus):
    r = corpus["results"]["short-lines"]
    assert r["rc"] == 0 and "合并了按页宽折断的行" in r["stdout"], r


def test_repeated_section_number_imports(corpus):
    r = corpus["results"]["dup-section-import"]
    assert r["rc"] == 0, r


# ------------------------------------------------------------------- hypothesis, in process (fast)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".html", ".docx", ".pdf", ""]))
def test_random_bytes_read_or_refused(data, suffix):
    from desktop.report.extract import read_bytes
    from desktop.report.model import ReportError

    try:
        reading = read_bytes(data, f"r{suffix}")
    except ReportError as exc:
        assert "\n" not in str(exc)
    else:
        assert reading.clean_text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6))
def test_mutated_docx_read_or_refused(cuts):
    from desktop.report.extract import read_bytes
    from desktop.report.model import ReportError

    doc = ("<w:p><w:r><w:t>一、主要举措和成效</w:t></w:r></w:p>" + "<w:p><w:r><w:t>推进法治政府建设。</w:t></w:r></w:p>" * 50)
    data = bytearray(hf.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": hf._document(doc)}))
    for pos, byte in cuts:
        data[pos % len(data)] = byte
    start = time.perf_counter()
    try:
        read_bytes(bytes(data), "m.docx")
    except ReportError as exc:
        assert "\n" not in str(exc)
    assert time.perf_counter() - start < MAX_SECONDS


@pytest.fixture(scope="module")
def ledger_bytes(tmp_path_factory):
    from desktop.ledger.service import export_from_library
    from desktop.store.db import open_library

    folder = tmp_path_factory.mktemp("ledger")
    with sample_library(folder / "lib.db") as repo:
        export_from_library(repo, folder / "t.xlsx")
    return (folder / "t.xlsx").read_bytes()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6))
def test_mutated_ledger_read_or_refused(ledger_bytes, tmp_path, cuts):
    from desktop.ledger.errors import LedgerError
    from desktop.ledger.readback import read_ledger

    data = bytearray(ledger_bytes)
    for pos, byte in cuts:
        data[pos % len(data)] = byte
    path = tmp_path / "m.xlsx"
    path.write_bytes(bytes(data))
    start = time.perf_counter()
    try:
        read_ledger(path)
    except LedgerError as exc:
        assert "\n" not in str(exc)
    assert time.perf_counter() - start < MAX_SECONDS


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _worker()
