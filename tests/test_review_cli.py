"""`python main.py check FILE|REPORT [--json] [--rubric PATH] [--db PATH]` run as a real subprocess."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, timeout=120)


def test_check_a_file_as_json(sample_path):
    proc = run("check", sample_path, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["title"] == "杭州市司法局2023年法治政府建设年度报告"
    results = {f["check"]: f["result"] for f in out["findings"]}
    assert results["required_parts"] == "pass" and results["timeliness"] == "pass"
    assert results["problems.causes"] == "fail"
    assert out["weighted_total"] is None  # a file outside the library has no scores
    assert [c["id"] for c in out["rubric"]["criteria"]][0] == "completeness"


def test_check_a_file_as_text(sample_path):
    proc = run("check", sample_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("杭州市司法局2023年法治政府建设年度报告\n检查结果：")
    assert "[未通过] 问题原因：3 个问题都只描述现象" in proc.stdout
    assert "“全力争创全国法治政府建设示范市”" in proc.stdout


def test_check_with_an_adapted_rubric(tmp_path, sample_path):
    path = tmp_path / "r.toml"
    text = (ROOT / "desktop" / "review" / "rubric.toml").read_text(encoding="utf-8")
    path.write_text(text.replace("min_count = 3", "min_count = 4"), encoding="utf-8")
    out = json.loads(run("check", sample_path, "--json", "--rubric", path).stdout)
    assert {f["check"]: f["result"] for f in out["findings"]}["problems.count"] == "warn"


def test_bad_input_gets_one_line_and_status_2(tmp_path, sample_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    bad_rubric = tmp_path / "bad.toml"
    bad_rubric.write_text("[[criteria\n", encoding="utf-8")
    cases = [
        (("check", binary), "x.txt"),
        (("check", tmp_path), "文件夹"),
        (("check", sample_path, "--rubric", bad_rubric), "bad.toml"),
        (("check", "没有这份报告", "--db", tmp_path / "lib.db"), "没有这份报告"),
    ]
    for args, words in cases:
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and "Traceback" not in proc.stderr, proc.stderr
