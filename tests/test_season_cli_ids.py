"""The command line as a new user meets it: IDs other commands need in plain output, `lead` before --by-unit,
exports that never overwrite silently, `import bundle --help` (real library files, real workbooks)."""
from __future__ import annotations

import re

import openpyxl

from desktop.cli import main
from desktop.ledger import layout


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_show_lists_indicator_numbers_that_annotate_takes(capsys, db_path, sample_path):
    db = str(db_path)
    _run(capsys, "--db", db, "import", sample_path)
    code, out, _ = _run(capsys, "--db", db, "show", "1")
    block = [x for x in out.split("指标（编号用于 annotate --indicator）：")[1].splitlines() if x.strip()]
    first = re.match(r"\s+#(\d+)\s", block[0])
    assert code == 0 and first and len([x for x in block if x.strip()]) == 43
    code, out, err = _run(capsys, "--db", db, "annotate", "1", "--indicator", first.group(1), "--comment", "口径？")
    assert code == 0, err


def test_lead_assigns_units_by_task_by_report_and_by_theme_then_by_unit_exports_them(capsys, db_path,
                                                                                     sample_path, tmp_path):
    db = str(db_path)
    _run(capsys, "--db", db, "import", sample_path)
    code, out, _ = _run(capsys, "--db", db, "export", "ledger", "--by-unit", "-o", tmp_path / "a")
    assert code == 0 and "11 项工作任务尚未指定牵头单位" in out and "lead" in out
    tasks = [int(n) for n in re.findall(r"#(\d+)\s+\[工作任务\]", _run(capsys, "--db", db, "show", "1")[1])]
    assert len(tasks) == 11
    code, out, err = _run(capsys, "--db", db, "lead", tasks[0], tasks[1], "--unit", "市司法局", "--with", "市发改委",
                          "--with", "市公安局")
    assert code == 0 and "已为 2 项工作任务指定牵头单位：市司法局，配合单位：市发改委、市公安局" in out, err
    code, out, _ = _run(capsys, "--db", db, "lead", "--report", "1", "--theme", "行政复议", "--unit", "市司法局")
    assert code == 0 and "已为 1 项" in out
    code, out, err = _run(capsys, "--db", db, "lead", "--theme", "没有这个词", "--unit", "市司法局")
    assert code == 2 and "没有找到含“没有这个词”的工作任务" in err
    code, out, err = _run(capsys, "--db", db, "lead", 1, "--unit", "市司法局")  # #1 is an achievement, not a task
    assert code == 2 and "不是工作任务" in err
    code, out, _ = _run(capsys, "--db", db, "export", "ledger", "--by-unit", "-o", tmp_path / "b")
    assert code == 0 and "8 项工作任务尚未指定牵头单位" in out
    wb = openpyxl.load_workbook(tmp_path / "b" / "台账-市司法局.xlsx")
    ws = wb[layout.SHEET_TRACKING]
    header = [c.value for c in ws[layout.HEADER_ROW]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=layout.FIRST_DATA_ROW) if isinstance(r[0].value, int)]
    assert len(rows) == 3 and {r[header.index("牵头单位")] for r in rows} == {"市司法局"}
    assert "市发改委、市公安局" in {r[header.index("配合单位")] for r in rows}
    code, out, _ = _run(capsys, "--db", db, "lead", "--report", "1", "--unit", "市司法局")
    code, out, _ = _run(capsys, "--db", db, "export", "ledger", "--by-unit", "-o", tmp_path / "c")
    assert code == 0 and "尚未指定" not in out


def test_ledger_and_letter_exports_refuse_to_overwrite_without_force(capsys, db_path, sample_path, tmp_path):
    db = str(db_path)
    _run(capsys, "--db", db, "import", sample_path)
    book, letter = tmp_path / "台账.xlsx", tmp_path / "意见书.docx"
    for argv, path in ((("export", "ledger", "1", "-o", book), book), (("export", "letter", "1", "-o", letter), letter),
                       (("export", "ledger", "1", "--by-unit", "-o", tmp_path), None)):
        assert _run(capsys, "--db", db, *argv)[0] == 0
        before = path.read_bytes() if path else None
        code, _, err = _run(capsys, "--db", db, *argv)
        assert code == 2 and "--force" in err and len(err.strip().splitlines()) == 1
        if path:
            assert path.read_bytes() == before
        assert _run(capsys, "--db", db, *argv, "--force")[0] == 0


def test_import_bundle_help_is_its_own(capsys):
    code, out, _ = _run(capsys, "import", "bundle", "--help")
    assert code == 0 and "import bundle" in out and "文件.fzr" in out and "--dry-run" in out
    assert "文件|文件夹|压缩包" not in out
