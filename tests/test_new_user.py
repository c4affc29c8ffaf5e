"""What a new user trips over on the command line, each tried as they would (issue 16, section 3)."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(repo, db_path):
    repo.close()  # a seeded library file (the sample is report #1)
    return db_path


def _count(db, table):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_section_paths_as_extract_prints_them(capsys, db):
    code, out, _ = _run(capsys, "annotate", "1", "--section", "一.（八）", "--comment", "全角括号", "--db", db)
    assert code == 0 and "已添加批注" in out
    code, out, _ = _run(capsys, "annotations", "1", "--json", "--db", db)
    assert json.loads(out)[0]["section_path"] == "一.(八)"
    code, _, err = _run(capsys, "annotate", "1", "--section", "一.(九)", "--comment", "x", "--db", db)
    assert code == 2 and err.count("\n") == 1
    assert "没有章节“一.(九)”" in err and "可用的章节：一、一.(一)" in err and "四.(三)" in err


@pytest.mark.parametrize("score", ["150", "-1", "优", "4.3"])
def test_annotation_scores_off_the_rubric_scale_are_refused_in_chinese(capsys, db, score):
    code, _, err = _run(capsys, "annotate", "1", "--whole", "--comment", "x", "--score", score, "--db", db)
    assert code == 2 and err.startswith("错误：--score") and "可填：0–5（步长 0.5）" in err
    assert "invalid" not in err and "Traceback" not in err
    assert _count(db, "annotations") == 0


def test_annotation_score_on_the_scale_is_kept(capsys, db):
    code, out, _ = _run(capsys, "annotate", "1", "--whole", "--comment", "好", "--score", "4.5", "--json", "--db", db)
    assert code == 0 and json.loads(out)["score"] == 4.5


def test_score_command_and_check_shows_the_scores(capsys, db):
    code, out, _ = _run(capsys, "check", "1", "--db", db)
    assert code == 0 and "总体评价（overall，权重 5）：未评分" in out and "加权总分：0 / 100" in out
    code, out, _ = _run(capsys, "score", "1", "overall", "优", "--reviewer", "张三", "--db", db)
    assert code == 0 and "总体评价 优（张三）" in out
    assert "张三的加权总分 5 / 100" in out and "团队" not in out  # one reviewer: one figure
    code, out, _ = _run(capsys, "score", "杭州市司法局", "内容完整", "4.5", "--db", db)
    assert code == 0 and "内容完整 4.5（未署名）" in out
    assert "未署名的加权总分 13.5 / 100" in out and "团队加权总分 18.5 / 100（2 人评分）" in out
    code, out, _ = _run(capsys, "check", "1", "--db", db)
    assert "总体评价（overall，权重 5）：优" in out and "内容完整（completeness，权重 15）：4.5" in out
    code, out, _ = _run(capsys, "check", "1", "--db", db, "--json")
    scored = {c["id"]: c["score"] for c in json.loads(out)["rubric"]["criteria"]}
    assert scored["overall"] == 4 and scored["completeness"] == 4.5
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT reviewer FROM rubric_scores WHERE criterion_id = 'overall'").fetchone()[0] == "张三"
    conn.close()

    for criterion, value, valid in (("completeness", "150", "0–5（步长 0.5）"), ("completeness", "-1", "0–5"),
                                    ("overall", "4.5", "优、良、中、差"), ("overall", "很好", "优、良、中、差")):
        code, _, err = _run(capsys, "score", "1", criterion, value, "--db", db)
        assert code == 2 and f"可填：{valid}" in err and err.count("\n") == 1, err
    code, _, err = _run(capsys, "score", "1", "nope", "3", "--db", db)
    assert code == 2 and "可用的评分项：completeness（内容完整）" in err
    code, out, _ = _run(capsys, "history", "--db", db)
    assert "评分项“总体评价”：∅ → 优" in out


def test_error_messages_name_what_is_read(capsys, db, tmp_path):
    code, _, err = _run(capsys, "extract", db)
    assert code == 2 and "SQLite 数据库" in err and "Word" in err and "PDF" in err and "不是文本或网页" not in err
    ledger = tmp_path / "台账.xlsx"
    assert _run(capsys, "export", "ledger", "1", "-o", ledger, "--db", db)[0] == 0
    code, _, err = _run(capsys, "extract", ledger)
    assert code == 2 and "Excel 工作簿" in err and "import-ledger" in err and "Word（.docx）" in err
    assert "Office 文档" not in err
    code, _, err = _run(capsys, "export", "ledger", "99", "-o", tmp_path / "x.xlsx", "--db", db)
    assert code == 2 and err.strip() == "错误：找不到报告：99"


def test_backup_and_export_follow_one_folder_rule(capsys, db, tmp_path):
    missing = tmp_path / "没有的文件夹"
    code, _, backup_err = _run(capsys, "backup", missing / "copy.db", "--db", db)
    code2, _, export_err = _run(capsys, "export", "ledger", "-o", missing / "台账.xlsx", "--db", db)
    assert code == code2 == 2 and not missing.exists()
    assert backup_err.endswith("保存位置的文件夹不存在\n") and export_err.endswith("保存位置的文件夹不存在\n")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_exported_workbooks_get_the_users_normal_file_mode(capsys, db, tmp_path, umask):
    old = os.umask(umask)
    try:
        target = tmp_path / "台账.xlsx"
        assert _run(capsys, "export", "ledger", "-o", target, "--db", db)[0] == 0
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_show_explains_its_marks(capsys, repo, db_path):
    item = repo.items.work_items(1, kind="plan_task")[0]
    repo.items.update_work_item(item.id, {"status": "推进中"})
    repo.close()
    code, out, _ = _run(capsys, "show", "1", "--db", db_path)
    assert code == 0 and "工作事项（* 审阅人修改过或新增的）：" in out
    assert re.search(rf"^  \*#{item.id}\s", out, re.M)
    assert "章节（✎ 有批注，✔ 已审）" in out


def test_screenshot_leaves_no_temporary_folder(db, tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    shot = tmp_path / "shot.png"
    env = {**os.environ, "TMPDIR": str(temp), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), "--screenshot", str(shot)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 10_000
    assert [p.name for p in temp.iterdir() if p.name.startswith("fazhi-shot")] == []


@pytest.mark.parametrize("argv, expected", [
    (["score"], "缺少必需的参数：报告, 评分项, 值"),
    (["annotate", "1", "--comment", "x", "--status", "坏"], "无效的取值 '坏'"),
    (["annotate", "1", "--whole", "--section", "一", "--comment", "x"], "不能与 --whole 同时使用"),
    (["list", "--bogus"], "无法识别的参数：--bogus"),
])
def test_argument_errors_are_chinese(capsys, argv, expected):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    _, err = capsys.readouterr()
    assert stop.value.code == 2
    assert expected in err and err.count("\n") == 1 and err.startswith("错误：") and "-h 查看用法" in err
    assert not re.search(r"\b(usage|error|required|invalid|unrecognized)\b", err)


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["score", "-h"])
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "显示帮助并退出" in out and "options" not in out
