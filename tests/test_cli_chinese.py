"""The command line speaks Chinese: every --help, --version, usage and argparse error (issue 20)."""
from __future__ import annotations

import argparse
import re

import pytest

from desktop.cli import build_parser, main

# Names a reviewer types or reads as names, not English words: formats and programs.
PROPER_NAMES = {"JSON", "Excel", "Word", "WPS", "SQLite", "PDF", "TOML", "zip", "Python", "PNG", "Qt", "LibreOffice"}


def _parsers(parser, path=()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def _names(parser) -> set[str]:
    """Option strings, subcommand names and choice values: what the user types, so what help must show."""
    names = set()
    for _, p in _parsers(parser):
        for action in p._actions:
            names.update(action.option_strings)
            if action.choices:
                names.update(str(c) for c in action.choices)
    return names


def _english_words(text: str, names: set[str], prog: str) -> list[str]:
    text = text.replace(prog, " ")
    for name in sorted(names, key=len, reverse=True):  # longest first: --by-unit before --by
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", text)
    text = re.sub(r"\.[A-Za-z][A-Za-z0-9.]*", " ", text)  # file extensions: .xlsx, .db.gz
    words = re.findall(r"[A-Za-z]{2,}", text)
    return [w for w in words if w not in PROPER_NAMES]


def _all_helps():
    parser = build_parser()
    return [(" ".join(path) or "（主命令）", p.format_help()) for path, p in _parsers(parser)]


@pytest.mark.parametrize("command, text", [pytest.param(c, t, id=c) for c, t in _all_helps()])
def test_help_has_no_english_word_but_option_names(command, text):
    parser = build_parser()
    english = _english_words(text, _names(parser), parser.prog)
    assert english == [], f"{command}: {english}\n{text}"
    assert text.startswith("用法：") and "参数" in text or "选项" in text


def test_every_command_is_covered():
    helps = dict(_all_helps())
    for name in ("extract", "import", "export ledger", "export letter", "follow-up", "repair", "units"):
        assert name in helps
    assert len(helps) >= 25


def test_the_checker_sees_english():
    """The word finder is not blind: argparse's own English and a stray word are caught."""
    assert _english_words("show program's version number and exit", set(), "PROG") == \
        ["show", "program", "version", "number", "and", "exit"]
    assert _english_words("用法：PROG --db 路径 DIR/台账.xlsx", {"--db"}, "PROG") == ["DIR"]


def test_version_names_the_version_and_the_library(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "我的库.db"), "--version"])
    out = capsys.readouterr().out
    from desktop import __version__

    assert exit_.value.code == 0
    assert f"版本 {__version__}" in out and f"审阅库：{tmp_path / '我的库.db'}" in out and "程序位置：" in out
    from desktop.kernel.paths import install_location

    assert not _english_words(out.replace(str(tmp_path), "").replace(str(install_location()), ""), set(), "PROG")


@pytest.mark.parametrize("argv, words", [
    (["extract"], "缺少必需的参数"),
    (["bogus"], "无效的取值"),
    (["list", "--nope"], "无法识别的参数"),
    (["annotate", "1", "--comment", "x"], "必须给出其中一个参数"),
    (["export"], "缺少必需的参数"),
])
def test_argparse_errors_are_one_chinese_line(capsys, argv, words):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("错误：") and words in err, err
    assert "usage" not in err and "error" not in err


def test_help_lines_fit_the_terminal_and_line_up(monkeypatch):
    """Chinese takes two columns: help wraps at the terminal's width and the help texts start in one column."""
    from desktop.kernel.textwidth import display_width as width

    monkeypatch.setenv("COLUMNS", "80")
    for command, text in _all_helps():
        lines = text.splitlines()
        too_wide = [line for line in lines if width(line) > 80 and "(--section" not in line]  # an unbreakable group
        assert too_wide == [], command
        starts = set()
        for line in lines:
            option = re.match(r"^  (-\S.*?)\s{2,}(\S.*)$", line)  # an option and its help on one line
            if option:
                starts.add(width(line) - width(option.group(2)))
        assert len(starts) <= 1, (command, starts)
