"""`follow-up EARLIER LATER [--json]`: last year's plans against this year's report; `decide` records a verdict."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from desktop.commands.common import CommandError, add_db_option, library
from desktop.kernel.textwidth import display_width



_REPORT_SUFFIXES = (".txt", ".htm", ".html", ".docx", ".pdf")


def register(sub, export) -> None:
    p = sub.add_parser("follow-up", help="上年主要安排在本年报告中的落实情况（已体现/部分体现/未提及）")
    p.add_argument("earlier", metavar="上年报告", nargs="?",
                   help="上年报告或工作要点：文件路径，或审阅库中的编号/文件名/标题片段；只给一份库中报告时，"
                        "它是本年报告，上年报告自动配对")
    p.add_argument("later", metavar="本年报告", nargs="?", help="本年报告：文件路径，或审阅库中的编号/文件名/标题片段")
    p.add_argument("--pairs", action="store_true", help="列出审阅库中自动配对的相邻年度报告")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--pending", action="store_true",
                   help="只列出待确认的安排（自动结论不确定、审阅人尚未确认），附最相近的本年报告段落")
    add_db_option(p)
    p.set_defaults(handler=run_follow_up)

    p = sub.add_parser("follow-up-decide", help="记录审阅人对一项上年安排的结论或批注")
    p.add_argument("later", metavar="本年报告", help="本年报告（审阅库中的编号/文件名/标题片段）")
    p.add_argument("item", metavar="任务编号", help="上年安排任务的编号（见 follow-up --json 的输出）")
    p.add_argument("--verdict", choices=("已体现", "部分体现", "未提及", "撤销"),
                   help="审阅结论；“撤销”恢复为自动结论")
    p.add_argument("--accept", action="store_true", help="确认自动结论（与审阅台按回车相同）")
    p.add_argument("--note", metavar="文字", help="结论批注（空字符串清除）")
    p.add_argument("--who", metavar="姓名", help="记录在修改历史中的操作人")
    add_db_option(p)
    p.set_defaults(handler=run_decide)


def run_follow_up(args) -> int:
    if args.pairs:
        return _print_pairs(args)
    if not args.earlier:
        raise CommandError("请给出两份报告：follow-up 上年报告 本年报告（或用 --pairs 查看库中的配对）")
    if not args.later:  # one library report: its unit's previous year, paired automatically
        return _print(args, _paired(args))
    files = [Path(a) for a in (args.earlier, args.later)]
    for p in files:  # a path that names no file: say so, rather than look for it in the library
        if not p.exists() and (p.suffix.lower() in _REPORT_SUFFIXES or len(p.parts) > 1):
            raise CommandError(f"{p}: 文件不存在")
    if all(p.is_file() for p in files):
        from desktop.followup.service import compare_readings

        fu = compare_readings(*(_read(p) for p in files))
    else:
        with library(args) as repo:
            from desktop.followup.service import compare_readings, compare_stored

            sides = [_side(repo, a) for a in (args.earlier, args.later)]
            if all(isinstance(s, int) for s in sides):
                fu = compare_stored(repo, sides[0], sides[1])
            else:
                fu = compare_readings(*(repo.reports.reading(s) if isinstance(s, int) else s for s in sides))
    return _print(args, fu)


def _print(args, fu) -> int:
    if getattr(args, "pending", False):
        return _print_pending(args, fu)
    if args.json:
        json.dump(fu.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_table(fu))
    return 0


def _print_pending(args, fu) -> int:
    """What is left for the reviewer: each 待确认 task with its proposal, why it is not certain and where to look."""
    rows = fu.pending()
    if args.json:
        json.dump({"earlier": fu.earlier_title, "later": fu.later_title, "later_id": fu.later_id,
                   "pending": [r.to_dict() for r in rows]}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    decided, needing = fu.progress()
    lines = [f"上年安排：{fu.earlier_title}", f"对照报告：{fu.later_title}",
             f"待确认 {len(rows)} 项（已确认 {decided} / {needing}）", ""]
    if not rows:
        lines.append("没有待确认的安排")
    for n, r in enumerate(rows, 1):
        ref = (f"#{r.work_item_id}" if r.work_item_id is not None
               else "（报告未入库，不能记录结论）" if fu.later_id is None else "（工作要点中的标题，不能记录结论）")
        lines.append(f"{n}. {ref} {_clip(r.plan.text, 70)}")
        lines.append(f"   自动结论：{r.plan.verdict}；{r.reason}")
        for k, near in enumerate(r.plan.nearest, 1):
            lines.append(f"   相近段落{k}（相似度 {near.score:.2f}）：{_clip(near.text, 70)}")
    if rows and fu.later_id is not None:
        lines += ["", "记录结论：follow-up-decide 本年报告 任务编号 --accept | --verdict 已体现/部分体现/未提及 [--note 批注]"]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _paired(args):
    from desktop.followup.service import compare_stored, earlier_for

    if Path(args.earlier).is_file():
        raise CommandError("只给一份报告时，它须是审阅库中的报告（本年），上年报告由库中自动配对")
    with library(args) as repo:
        later = repo.reports.find_report(args.earlier)
        earlier_id = earlier_for(repo, later.id)
        if earlier_id is None:
            raise CommandError(f"审阅库中没有《{later.title or later.file_name}》所属单位上一年度的报告或本年度工作要点")
        return compare_stored(repo, earlier_id, later.id)


def _read(path: Path):
    from desktop.report.extract import read_file
    from desktop.report.model import ReportError

    try:
        return read_file(path)
    except ReportError as exc:
        raise CommandError(str(exc) if exc.source else f"{path}: {exc.message}") from None


def _side(repo, ref: str):
    """A library report id, or a Reading when `ref` is a file."""
    path = Path(ref)
    if path.is_file():
        return _read(path)
    if path.is_dir():
        raise CommandError(f"{ref}: 是文件夹，请指定一份报告文件")
    try:
        return repo.reports.find_report(ref).id
    except LookupError as exc:
        raise CommandError(f"{ref}: 不是文件，审阅库中也{exc.args[0] if exc.args else '找不到该报告'}") from None


def _print_pairs(args) -> int:
    from desktop.followup.service import pairs

    with library(args) as repo:
        found = pairs(repo)
        if args.json:
            json.dump([{"earlier_id": a, "later_id": b} for a, b in found], sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
            return 0
        if not found:
            print("审阅库中没有同一单位相邻年度的报告")
        for a, b in found:
            ea, la = repo.reports.get_report(a), repo.reports.get_report(b)
            print(f"#{a} {ea.title or ea.file_name}  →  #{b} {la.title or la.file_name}")
    return 0


def run_decide(args) -> int:
    from desktop.followup.service import decide, earlier_for

    with library(args) as repo:
        later = repo.reports.find_report(args.later)
        item = repo.items.find_work_item(args.item)
        if item.kind != "plan_task":
            raise CommandError(f"{args.item}: 不是计划任务")
        if earlier_for(repo, later.id) != item.report_id:
            raise CommandError(f"{args.item}: 不是与《{later.title or later.file_name}》配对的上年报告中的任务")
        if args.verdict is None and args.note is None and not args.accept:
            raise CommandError("请给出 --verdict、--accept 或 --note")
        if args.accept and args.verdict is not None:
            raise CommandError("--accept 与 --verdict 只能给一个")
        kwargs = {}
        machine = _machine_verdict(repo, item.report_id, later.id, item.id)
        if args.verdict is not None:
            kwargs["decision"] = None if args.verdict == "撤销" else args.verdict
        if args.accept:
            if machine is None:
                raise CommandError(f"{args.item}: 在本年报告的对照中找不到这项安排")
            kwargs["decision"] = machine
        if args.note is not None:
            kwargs["note"] = args.note
        d = decide(repo, later.id, item.id, who=args.who, machine_verdict=machine, **kwargs)
        print(f"已记录：{_clip(item.text, 30)} —— {d.decision or '（自动结论）'}" + (f"；批注：{d.note}" if d.note else ""))
    return 0


def _machine_verdict(repo, earlier_id: int, later_id: int, item_id: int) -> str | None:
    from desktop.followup.service import compare_stored

    row = next((r for r in compare_stored(repo, earlier_id, later_id).rows if r.work_item_id == item_id), None)
    return row.plan.verdict if row else None


# ---------------------------------------------------------------- plain output
def _width(text: str) -> int:
    return display_width(text)  # a terminal's columns


def _clip(text: str, width: int) -> str:
    """The text cut to `width` terminal columns (CJK counting two), "…" where it was cut."""
    text = " ".join(text.split())
    if _width(text) <= width:
        return text
    out, w = [], 0
    for ch in text:
        w += _width(ch)
        if w > width - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_table(fu) -> str:
    from desktop.followup.service import CAUTION

    counts = fu.counts()
    decided, needing = fu.progress()
    lines = [f"上年安排：{fu.earlier_title}", f"对照报告：{fu.later_title}",
             f"共 {len(fu.rows)} 项：未提及 {counts['未提及']}，部分体现 {counts['部分体现']}，已体现 {counts['已体现']}",
             f"确定 {sum(r.certain and not r.confirmed for r in fu.rows)} 项，待确认 {len(fu.pending())} 项"
             f"（已确认 {decided} / {needing}）", ""]
    if not fu.rows:
        lines.append("上年报告中没有找到主要安排（计划任务）")
        return "\n".join(lines) + "\n"
    tracked = any(r.tracking_status for r in fu.rows)
    numbered = any(r.work_item_id for r in fu.rows)  # library reports: the number follow-up-decide takes
    head = ([_pad("任务编号", 8)] if numbered else []) + [_pad("结论", 10), _pad("确定性", 7), _pad("得分", 5),
                                                         _pad("上年安排", 46)]
    if tracked:
        head.append(_pad("台账状态", 9))
    head.append("本年报告中的依据")
    lines.append(" ".join(head))
    for r in fu.sorted_rows():
        verdict = r.verdict + ("*" if r.decision else "")
        cells = ([_pad(f"#{r.work_item_id}" if r.work_item_id else "—", 8)] if numbered else []) + [
            _pad(verdict, 10), _pad(r.status, 7), _pad(f"{r.plan.score:.2f}", 5), _pad(_clip(r.plan.text, 46), 46)]
        if tracked:
            cells.append(_pad((r.tracking_status or "—") + ("?" if r.questionable else ""), 9))
        ev = r.plan.evidence[0].text if r.plan.evidence else "—"
        more = f"（另 {len(r.plan.evidence) - 1} 处）" if len(r.plan.evidence) > 1 else ""
        notes = "；".join(r.plan.remarks)  # 行政机关负责人出庭应诉率：安排 100%，本年 97.5%
        cells.append(_clip(notes, 64) if notes else _clip(ev, 40) + more)
        lines.append(" ".join(cells))
    if any(r.decision for r in fu.rows):
        lines.append("")
        lines.append("* 审阅人修改过的结论")
    if any(r.questionable for r in fu.rows):
        lines.append("? 台账填报已完成，但本年报告未提及，值得核实")
    lines += ["", "确定：依据足以下结论（理由见 --json 的 reason）；待确认：请逐项核对（follow-up --pending 列出）。",
              f"{CAUTION}（审阅台：视图 → 上年安排对照，或 follow-up-decide）。"]
    return "\n".join(lines) + "\n"
