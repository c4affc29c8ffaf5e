"""The library subcommands over a real library file: import, list, show, annotate, annotations, history, backup."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from desktop.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_list_show(capsys, db_path, sample_path, tmp_path):
    db = str(db_path)
    other = tmp_path / "县.txt"
    other.write_text("某县司法局2023年法治政府建设年度报告\n一、主要举措和成效\n全年办理行政复议案件12件。\n",
                     encoding="gbk")
    code, out, _ = _run(capsys, "--db", db, "import", str(sample_path), str(other))
    assert code == 0
    assert "新导入 #1" in out and "新导入 #2" in out  # a --db library starts empty
    code, out, _ = _run(capsys, "--db", db, "import", str(sample_path))
    assert "未变化 #1" in out

    code, out, _ = _run(capsys, "list", "--db", db, "--json")  # --db after the subcommand works too
    listed = json.loads(out)
    assert [r["id"] for r in listed] == [1, 2]
    assert listed[0]["counts"]["indicators"] == 43 and listed[0]["counts"]["plan_task"] == 11
    assert "clean_text" not in listed[0]

    code, out, _ = _run(capsys, "--db", db, "show", "杭州市司法局")
    assert code == 0 and "章节 18  指标 43  事项 25（工作任务 11）" in out and "四.(三)" in out
    code, out, _ = _run(capsys, "--db", db, "show", "1", "--json")
    shown = json.loads(out)
    assert len(shown["sections"]) == 18 and shown["sections"][0]["state"] == "unreviewed"
    assert len(shown["work_items"]) == 25 and len(shown["indicators"]) == 43


def test_annotate_annotations_history_backup(capsys, db_path, tmp_path, sample_path):
    db = str(db_path)
    _run(capsys, "--db", db, "import", str(sample_path))
    code, out, _ = _run(capsys, "--db", db, "annotate", "1", "--section", "一.(二)", "--comment", "材料翔实",
                        "--tag", "亮点", "--tag", "营商环境", "--score", "4.5", "--status", "已审", "--reviewer", "张三")
    assert code == 0 and "已添加批注 #1" in out
    code, out, _ = _run(capsys, "--db", db, "annotate", "1", "--span", "100:110", "--comment", "出处？", "--json")
    span = json.loads(out)
    assert span["target_kind"] == "span" and len(span["quote"]) == 10
    _run(capsys, "list", "--db", db)  # plain listing
    code, out, _ = _run(capsys, "--db", db, "show", "1", "--json")
    item_uid = json.loads(out)["work_items"][12]["uid"]
    code, out, _ = _run(capsys, "--db", db, "annotate", "1", "--item", item_uid, "--comment", "时限不明")
    assert code == 0
    code, out, _ = _run(capsys, "--db", db, "annotations", "1", "--json")
    anns = json.loads(out)
    assert [a["body"] for a in anns] == ["出处？", "材料翔实", "时限不明"]  # in text order
    tagged = next(a for a in anns if a["body"] == "材料翔实")
    assert tagged["tags"] == ["亮点", "营商环境"] and tagged["score"] == 4.5 and tagged["reviewer"] == "张三"
    code, out, _ = _run(capsys, "--db", db, "annotations")
    assert "[已审]" in out and "#亮点 #营商环境" in out
    code, out, _ = _run(capsys, "--db", db, "show", "1")
    assert "✔ " in out  # the reviewed section is marked in the tree

    code, out, _ = _run(capsys, "--db", db, "history", "--json")
    rows = json.loads(out)
    assert [r["entity"] for r in rows if r["entity"] != "edit"][:3] == ["annotation", "annotation", "annotation"]
    assert [r["old"] for r in rows if r["entity"] == "edit"] == ["添加批注"] * 3  # each annotate is an undoable edit
    assert any(r["entity"] == "tag" and r["new"] == "营商环境" for r in rows)
    code, out, _ = _run(capsys, "--db", db, "history", "--report", "1", "--limit", "2")
    assert code == 0 and len(out.strip().splitlines()) == 2

    dest = tmp_path / "备份" / "copy.db"
    code, out, err = _run(capsys, "--db", db, "backup", str(dest))  # one rule with export -o: no new folders
    assert code == 2 and "保存位置的文件夹不存在" in err and not dest.parent.exists()
    dest.parent.mkdir()
    code, out, _ = _run(capsys, "--db", db, "backup", str(dest))
    assert code == 0 and dest.is_file()
    conn = sqlite3.connect(dest)
    assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 3
    conn.close()
    code, _, err = _run(capsys, "--db", db, "backup", str(dest))
    assert code == 2 and "已存在" in err


def test_bad_input_gives_one_line_and_status_2(capsys, db_path, tmp_path, sample_path):
    db = str(db_path)
    _run(capsys, "--db", db, "import", str(sample_path))
    code, _, err = _run(capsys, "--db", db, "import", str(tmp_path / "missing.txt"))
    assert code == 2 and "missing.txt" in err and "不存在" in err and len(err.strip().splitlines()) == 1
    code, _, err = _run(capsys, "--db", db, "show", "上海")
    assert code == 2 and "找不到报告" in err
    code, _, err = _run(capsys, "--db", db, "annotate", "1", "--span", "9:x", "--comment", "c")
    assert code == 2 and "--span" in err
    code, _, err = _run(capsys, "--db", db, "annotate", "1", "--span", "10:5", "--comment", "c")
    assert code == 2 and "范围" in err
    not_db = tmp_path / "notes.db"
    not_db.write_text("备忘", encoding="utf-8")
    code, _, err = _run(capsys, "--db", str(not_db), "list")
    assert code == 2 and "notes.db" in err and "SQLite" in err and len(err.strip().splitlines()) == 1
    assert not_db.read_text(encoding="utf-8") == "备忘"


def test_commands_run_as_a_separate_process(db_path, sample_path):
    main(["--db", str(db_path), "import", str(sample_path)])
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--db", str(db_path)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "杭州市司法局2023年法治政府建设年度报告" in proc.stdout


def test_without_a_name_history_and_annotations_say_who_clearly(capsys, db_path, sample_path, monkeypatch):
    """No --reviewer: the configured reviewer (FAZHI_REVIEWER) or 未署名 — never the OS account — in history and in
    the annotation list."""
    import getpass

    db = str(db_path)
    _run(capsys, "--db", db, "import", str(sample_path))
    monkeypatch.delenv("FAZHI_REVIEWER", raising=False)
    code, out, _ = _run(capsys, "--db", db, "annotate", "1", "--section", "一", "--comment", "无名之批")
    assert code == 0
    monkeypatch.setenv("FAZHI_REVIEWER", "王审阅")
    _run(capsys, "--db", db, "annotate", "1", "--section", "二", "--comment", "有名之批")
    code, out, _ = _run(capsys, "--db", db, "annotations", "1")
    lines = out.strip().splitlines()
    assert any("无名之批" in x and x.endswith("—— 未署名") for x in lines)
    assert any("有名之批" in x and x.endswith("—— 王审阅") for x in lines)
    code, out, _ = _run(capsys, "--db", db, "history", "--json")
    whos = {r["who"] for r in json.loads(out) if r["entity"] == "annotation"}
    assert whos == {"未署名", "王审阅"}
    user = getpass.getuser()
    assert user in ("未署名", "王审阅") or all(r["who"] != user for r in json.loads(out))
