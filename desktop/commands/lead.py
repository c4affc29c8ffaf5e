"""`lead TASK… --unit UNIT [--with UNIT…]` (or --report / --theme): set 牵头单位 and 配合单位 of plan tasks."""
from __future__ import annotations

from desktop.commands.common import CommandError, add_db_option, library


def register(sub, export) -> None:
    p = sub.add_parser(
        "lead", help="为工作任务指定牵头单位和配合单位（按任务编号、按报告或按主题词），供按牵头单位导出台账",
        description="为下一年度工作安排指定牵头单位（--unit）和配合单位（--with，可重复）。任务可按编号"
                    "给出（见 show 的输出），也可用 --report 选一份报告的全部任务、用 --theme 选文字中含某个词的任务。")
    p.add_argument("tasks", metavar="任务", nargs="*", help="工作任务编号（show 的输出中 # 后的数字）")
    p.add_argument("--unit", required=True, metavar="单位", help="牵头单位")
    p.add_argument("--with", dest="partners", action="append", default=[], metavar="单位", help="配合单位（可重复）")
    p.add_argument("--report", action="append", default=[], metavar="报告", help="该报告的全部工作任务（可重复）")
    p.add_argument("--theme", metavar="词", help="文字中含此词的工作任务（可与 --report 同用，只在这些报告中找）")
    p.add_argument("--who", metavar="姓名", help="记录在修改历史中的操作人")
    add_db_option(p)
    p.set_defaults(handler=run_lead)


def _chosen_tasks(repo, args) -> list:
    tasks, seen = [], set()

    def take(item):
        if item.id not in seen:
            seen.add(item.id)
            tasks.append(item)

    for ref in args.tasks:
        item = repo.items.find_work_item(ref)
        if item.kind != "plan_task" or item.deleted:
            raise CommandError(f"#{item.id} 不是工作任务（只有下一年度安排中的工作任务进台账）")
        take(item)
    if args.report or args.theme:
        reports = [repo.reports.find_report(ref).id for ref in args.report] or None
        pool = [w for w in repo.items.work_items(kind="plan_task") if reports is None or w.report_id in reports]
        word = (args.theme or "").strip()
        for item in pool:
            if not word or word in (item.text or ""):
                take(item)
        if word and not pool:
            raise CommandError("所选报告中没有工作任务")
    if not tasks:
        what = f"含“{args.theme}”的工作任务" if args.theme else "工作任务"
        raise CommandError(f"没有找到{what}：请给出任务编号（见 show 的输出），或用 --report / --theme 选择")
    return tasks


def run_lead(args) -> int:
    unit = args.unit.strip()
    if not unit:
        raise CommandError("--unit 不能为空")
    partners = "、".join(dict.fromkeys(p.strip() for p in args.partners if p.strip())) or None
    with library(args) as repo:
        tasks = _chosen_tasks(repo, args)
        changes = {"lead_unit": unit}
        if args.partners:
            changes["partner_units"] = partners
        repo.items.apply_work_item_updates([(t.id, dict(changes)) for t in tasks], who=args.who)
    for t in tasks:
        text = " ".join((t.text or "").split())
        print(f"  #{t.id} {text[:30]}{'…' if len(text) > 30 else ''}")
    print(f"已为 {len(tasks)} 项工作任务指定牵头单位：{unit}" + (f"，配合单位：{partners}" if partners else ""))
    return 0
