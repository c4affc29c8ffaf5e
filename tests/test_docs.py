"""The README, the user guide and the maintainer's page: their shape, and every command and option they name exists."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from desktop.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = [README, ROOT / "resources" / "guide.md", ROOT / "resources" / "maintainer.md"]
INSTALL_AND_RUN = "pip install -e . && python main.py"
INSTALL_AND_TEST = "pip install -e '.[test,build]' && python -m pytest"
COMMAND = re.compile(r"(?:fazhi-review|python main\.py)((?:[ \t]+(?:[^\s`|#;，。）)]+))*)")


def _subparsers(parser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser) -> set[str]:
    return {s for a in parser._actions for s in a.option_strings}


def _command_lines(text: str) -> list[str]:
    """Command lines in code blocks and `code` spans (a trailing backslash continues the line)."""
    text = text.replace("\\\n", " ")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, re.S) + re.findall(r"`([^`\n]+)`", text)
    lines = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("#")[0]
            lines += [m.group(0) for m in COMMAND.finditer(line)]
    return lines


def _check(line: str, parser) -> list[str]:
    """What in one command line the program does not know: the subcommand, `export WHAT`, or an option."""
    words = [w.strip("[]()|.…") for w in line.split()[1 if line.startswith("fazhi-review") else 2:]]
    words = [w for w in words if w]
    top, subs = _options(parser), _subparsers(parser)
    valued = {s for a in parser._actions if a.nargs is None and a.option_strings for s in a.option_strings}
    command, i = None, 0
    while i < len(words):  # skip global options and their values: `fazhi-review --db 路径 list`
        if words[i].startswith("-"):
            i += 2 if words[i] in valued else 1
            continue
        command = words[i]
        break
    unknown_top = [w for w in words[:i] if w.startswith("-") and w not in top]
    if command is None or not re.search(r"[a-z]", command):  # no subcommand: the desk, --version…
        return unknown_top
    if command not in subs:
        return [command]
    target, rest = subs[command], words[i + 1:]
    if command == "export":
        inner = _subparsers(target)
        if not rest or rest[0] not in inner:
            return [f"export {rest[0] if rest else ''}".strip()]
        target, rest = inner[rest[0]], rest[1:]
    known = _options(target) | top
    return unknown_top + [w for w in rest if re.fullmatch(r"--?[a-z][a-z-]*", w.split("=")[0])
                          and w.split("=")[0] not in known]


def test_readme_starts_with_the_two_commands_and_fits_on_a_screen():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 120, len(lines)
    assert lines[0].startswith("# ") and lines[2] == "```bash"
    assert lines[3].startswith(INSTALL_AND_RUN + " ") and lines[4].startswith(INSTALL_AND_TEST + " ")
    assert lines[5] == "```"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install -q -e '.[test,build]'" in ci and "python -m pytest" in ci


def test_readme_is_chinese_for_its_readers():
    text = README.read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```|`[^`]*`|<!--.*?-->|\(resources/[^)]*\)|\[[^\]]*\]\([^)]*\)", "", text, flags=re.S)
    han = len(re.findall(r"[\u4e00-\u9fff]", prose))
    names = {"fazhi", "review", "Word", "PDF", "zip", "SQLite", "Excel", "Linux", "Windows", "Debian", "Python",
             "Qt", "PyInstaller", "GitHub", "desk", "exe", "deb", "amd", "arm", "libc", "dpkg", "import", "linter"}
    latin_words = [w for w in re.findall(r"[A-Za-z]{3,}", prose) if w not in names]
    assert han > 1000 and len(latin_words) < 30, latin_words
    for step in ("导入报告", "批注", "评分", "牵头单位", "导出台账", "读回台账", "审阅意见书", "对比工作簿", "上年安排"):
        assert step in text
    steps = text[text.index("一个审阅季的步骤"):]
    positions = [steps.index(s) for s in ("导入报告", "批注", "检查与评分", "牵头单位", "导出台账", "读回台账",
                                          "审阅意见书", "对比工作簿", "上年安排对照")]
    assert positions == sorted(positions), "the season's steps in order"
    assert "没有 Windows" in text


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_a_page_names_exists(doc):
    parser = build_parser()
    lines = _command_lines(doc.read_text(encoding="utf-8"))
    assert len(lines) >= (10 if doc.name != "maintainer.md" else 1)
    unknown = {line: bad for line in lines if (bad := _check(line, parser))}
    assert unknown == {}


def test_the_checker_refuses_what_does_not_exist():
    parser = build_parser()
    assert _check("fazhi-review exportt ledger -o x.xlsx", parser) == ["exportt"]
    assert _check("fazhi-review export ledgers -o x.xlsx", parser) == ["export ledgers"]
    assert _check("fazhi-review export ledger --by-units -o x", parser) == ["--by-units"]
    assert _check("python main.py import bundle 张三.fzr --dry-run", parser) == []
    assert _check("fazhi-review annotate 1 --whole --comment 好 --db x.db", parser) == []


def test_the_guide_synopsis_of_annotate_lists_every_option():
    guide = (ROOT / "resources" / "guide.md").read_text(encoding="utf-8")
    synopsis = guide[guide.index("fazhi-review annotate"):guide.index("fazhi-review annotations")]
    annotate = _subparsers(build_parser())["annotate"]
    options = {s for s in _options(annotate) if s.startswith("--") and s not in ("--help", "--db")}
    assert {o for o in options if o not in synopsis} == set()


def test_every_subcommand_is_in_the_guide():
    guide = (ROOT / "resources" / "guide.md").read_text(encoding="utf-8")
    named = {line.split()[1] for line in _command_lines(guide) if len(line.split()) > 1}
    assert set(_subparsers(build_parser())) - named == set()
