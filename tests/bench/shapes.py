"""Inputs that grow in one shape (issue 26: every pass linear on every shape under the character limit).

API: SHAPES = {name: make(size_bytes) -> str}; make() is deterministic and returns about size_bytes of UTF-8.
Shapes: sub-headings (a chapter of numbered sub-headings and nothing else), near-duplicate paragraphs (one
paragraph again and again with one figure changed), short lines (hard-wrapped), long lines (paragraphs of
5,000 characters), one line (the whole report on one line), bare owner lines (a plans chapter where owner lines
follow one another: each after the first follows no task of its own and gives owners to the section's tasks).
"""
from __future__ import annotations

import random

HEAD = "某市司法局2023年法治政府建设年度报告\n\n2023年，某市司法局坚持依法行政，现将有关情况报告如下：\n\n一、主要举措和成效\n\n"
TAIL = "\n二、存在的不足和原因\n\n基层力量有待加强。\n\n三、2024年工作安排\n\n（一）深化行政执法改革。\n"
_POOL = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def _fill(size: int, piece) -> str:
    out, n, k = [HEAD], 0, 0
    while n < size:
        part = piece(k)
        out.append(part)
        n += len(part.encode("utf-8"))
        k += 1
    out.append(TAIL)
    return "".join(out)


def _cn(k: int) -> str:
    """1..9999 as printed: 十二, 一百零五, 二千三百."""
    digits, out, zero = "零一二三四五六七八九", "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, k = divmod(k, value)
        if d:
            out += ("零" if zero and out else "") + ("" if (unit == "十" and d == 1 and not out) else digits[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


def sub_headings(size: int) -> str:
    """（一）… then 1．2．3． under each: one chapter holding thousands of numbered sub-headings."""
    return _fill(size, lambda k: f"（{_cn(k % 9999 + 1)}）加强第{k + 1}项重点工作\n"
                 + "".join(f"{j}．完善第{k + 1}-{j}项制度\n" for j in range(1, 4)))


def near_duplicates(size: int) -> str:
    para = ("全年办理行政复议案件{n}件，同比增长{p}%，纠错率{q}%，组织开展执法监督检查{m}次，覆盖市场主体{c}家，"
            "推动行政争议实质性化解，切实提升依法行政水平。")
    rng = random.Random(5)
    return _fill(size, lambda k: para.format(n=rng.randint(100, 999), p=rng.randint(1, 40), q=rng.randint(1, 9),
                                             m=k, c=rng.randint(100, 9999)) + "\n\n")


def short_lines(size: int) -> str:
    rng = random.Random(3)

    def line(k: int) -> str:
        text = "".join(rng.choices(_POOL, k=rng.choice((30, 30, 30, 5, 8))))
        return (text[:3] + "，" + text[3:] if rng.random() < 0.3 else text) + "\n"
    return _fill(size, line)


def long_lines(size: int) -> str:
    rng = random.Random(4)

    def para(k: int) -> str:
        words = []
        for _ in range(120):
            words.append("".join(rng.choices(_POOL, k=rng.randint(6, 14))))
            words.append(rng.choice(("，", "，", "。", f"，办理{rng.randint(1, 999)}件，")))
        return "".join(words) + "。\n\n"
    return _fill(size, para)


def one_line(size: int) -> str:
    return near_duplicates(size).replace("\n", "")


PLANS_HEAD = ("某市司法局2023年法治政府建设年度报告\n\n2023年，某市司法局坚持依法行政，现将有关情况报告如下：\n\n"
              "一、主要举措和成效\n\n全年办理行政复议案件120件。\n\n二、存在的不足和原因\n\n基层力量有待加强。\n\n"
              "三、2024年工作安排\n\n（一）深化行政执法改革。\n")


def owner_lines(size: int) -> str:
    """One plan theme holding thousands of tasks, each followed by a run of owner lines (责任单位, 配合单位, 完成时限):
    every owner line after the first follows no task of its own."""
    labels = ("责任单位：市司法局第{}处", "配合单位：第{}区政府", "完成时限：2024年底前第{}批", "协同单位：第{}工作组")
    out, n, k = [PLANS_HEAD], 0, 0
    while n < size:  # every owner line differs (a repeated line would be dropped as a repeat by the cleaning)
        part = f"推进第{k + 1}项执法制度改革，完善配套措施。\n\n" + "".join(f"（{lab.format(k + 1)}）\n\n" for lab in labels)
        out.append(part)
        n += len(part.encode("utf-8"))
        k += 1
    return "".join(out)


SHAPES = {"sub-headings": sub_headings, "near-duplicate paragraphs": near_duplicates, "short lines": short_lines,
          "long lines": long_lines, "one line": one_line,
          "bare owner lines": owner_lines}
