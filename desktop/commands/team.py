"""Team commands: `export bundle`, `import bundle` (dispatched from `import`), `assign`, `conflicts`, `reviewers`."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from desktop.commands.common import CommandError, add_db_option, library


def register(sub, export) -> None:
    p = export.add_parser("bundle", help="导出审阅包（.fzr）：批注、评分、修改和分工，连同报告正文")
    p.add_argument("reports", metavar="报告", nargs="*", help="报告编号、文件名或标题中的文字（或用 --all）")
    p.add_argument("--all", action="store_true", help="导出审阅库中的全部报告")
    p.add_argument("--reviewer", metavar="姓名", help="只导出这位审阅人的批注、评分和分工")
    p.add_argument("--since", metavar="日期", help="只导出该日期（如 2026-03-01）以来的批注、评分和分工")
    p.add_argument("--who", metavar="姓名",
                   help="导出人（写入审阅包，合并时显示；默认为 --reviewer 所给的姓名，否则为“未署名”）")
    p.add_argument("-o", "--output", required=True, metavar="文件.fzr", help="审阅包文件")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    add_db_option(p)
    p.set_defaults(handler=run_export_bundle)

    p = sub.add_parser("team", help="团队协作的签名密钥：team keys 列出，team trust 姓名 审阅包 确认变化的密钥")
    p.add_argument("action", choices=["keys", "trust"], help="keys：列出已记录的密钥；trust：确认某审阅人的新密钥")
    p.add_argument("name", metavar="姓名", nargs="?", help="审阅人姓名（trust 时）")
    p.add_argument("bundle", metavar="审阅包.fzr", nargs="?", help="因密钥变化被拒绝的审阅包（trust 时）")
    add_db_option(p)
    p.set_defaults(handler=run_team)

    p = sub.add_parser("assign", help="分工：把报告分给审阅人（--remove 收回）")
    p.add_argument("report", metavar="报告", help="报告编号、文件名或标题中的文字")
    p.add_argument("reviewers", metavar="姓名", nargs="+", help="审阅人")
    p.add_argument("--remove", action="store_true", help="收回分工")
    p.add_argument("--who", metavar="姓名", help="记录在修改历史中的操作人")
    add_db_option(p)
    p.set_defaults(handler=run_assign)

    p = sub.add_parser("conflicts", help="合并审阅包时记录的冲突（被覆盖的修改）；--confirm 确认")
    p.add_argument("report", metavar="报告", nargs="?", help="只看一份报告")
    p.add_argument("--all", action="store_true", help="包括已确认的冲突")
    p.add_argument("--confirm", metavar="编号", type=int, action="append", default=[], help="确认该编号的冲突（编号见 conflicts 的输出）")
    p.add_argument("--who", metavar="姓名", help="确认人")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    add_db_option(p)
    p.set_defaults(handler=run_conflicts)

    p = sub.add_parser("reviewers", help="一份报告的分工和各审阅人的评分：均分、分差、分歧")
    p.add_argument("report", metavar="报告", help="报告编号、文件名或标题中的文字")
    p.add_argument("--rubric", metavar="路径", help="使用本单位调整过的评分表")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    add_db_option(p)
    p.set_defaults(handler=run_reviewers)


def _dump(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


def run_export_bundle(args) -> int:
    from desktop.store.bundle import SUFFIX, BundleError, export_bundle

    if not args.reports and not args.all:
        raise CommandError("请指定要导出的报告，或用 --all 导出全部")
    if args.since and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.since):
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{args.since}")
    out = Path(args.output)
    if out.suffix.lower() != SUFFIX:
        raise CommandError(f"审阅包文件名应以 {SUFFIX} 结尾：{out.name}")
    if out.exists() and not args.force:
        raise CommandError(f"{out}: 文件已存在，未覆盖（用 --force 覆盖）")
    with library(args) as repo:
        ids = None if args.all else [repo.reports.find_report(ref).id for ref in args.reports]
        try:
            manifest = export_bundle(repo, out, ids, reviewer=args.reviewer, since=args.since, author=args.who)
        except BundleError as exc:
            raise CommandError(str(exc)) from None
    size = out.stat().st_size
    who = f"（审阅人：{args.reviewer}）" if args.reviewer else ""
    print(f"已导出审阅包 {out}：{manifest['reports']} 份报告{who}，{_size(size)}")
    return 0


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def import_bundle_parser():
    """`import bundle --help`: the bundle's own options (the generic `import` help speaks of report files)."""
    import argparse

    from desktop.helpformat import ChineseHelpFormatter
    from desktop.kernel.paths import program_name

    p = argparse.ArgumentParser(
        prog=f"{program_name()} import bundle", formatter_class=ChineseHelpFormatter,
        description="合并同事导出的审阅包（.fzr）：批注、评分、修改、分工和已删除的报告。先检查审阅包的完整性，"
                    "有问题则一项也不写入；同一字段两人都改过时以后改者为准，被覆盖的值列在 conflicts 中。")
    p.add_argument("file", metavar="文件.fzr", help="审阅包文件")
    p.add_argument("--dry-run", action="store_true", help="只预览将新增和修改的内容，不写入")
    p.add_argument("--who", metavar="姓名", help="记录在修改历史中的操作人")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--db", metavar="路径", help="审阅库文件（默认在用户数据目录）")
    return p


def run_import_bundle(args) -> int:
    """`import bundle FILE.fzr [--dry-run]`: check, then merge (or only preview) a bundle."""
    from desktop.store.bundle import BundleError, import_bundle
    from desktop.store.team_text import summary_lines

    files = args.files[1:]
    if len(files) != 1:
        raise CommandError("用法：import bundle 文件.fzr [--dry-run]（一次导入一个审阅包）")
    with library(args) as repo:
        try:
            manifest, summary = import_bundle(repo, files[0], dry_run=args.dry_run, who=args.who,
                                              allow_unsigned=getattr(args, "allow_unsigned", False),
                                              score_range=_score_range())
        except BundleError as exc:
            raise CommandError(str(exc)) from None
    author = manifest.get("author") or "未署名"
    head = "预览（未写入）" if args.dry_run else "已合并"
    if args.json:
        _dump({"dry_run": args.dry_run, "author": manifest.get("author"), "new_reports": summary.new_reports,
               "removed_reports": summary.removed,
               "inserted": summary.inserted, "changed": summary.changed, "conflicts": summary.conflicts,
               "notes": summary.notes})
        return 0
    print(f"{head}审阅包 {Path(files[0]).name}（{author} 导出，{manifest.get('reports', 0)} 份报告）")
    for line in summary_lines(summary):
        print(f"  {line}")
    return 0


def _score_range() -> tuple[float, float]:
    """The lowest and highest score any scale of the rubric allows (what a bundle's scores are checked against)."""
    from desktop.review.rubric import RubricError, load_rubric

    try:
        scales = [c.scale for c in load_rubric().criteria]
    except RubricError:
        return (0.0, 100.0)
    values = [v for s in scales for v in (s.min, s.max, *(stored for _, stored in s.levels))]
    return (min(values), max(values)) if values else (0.0, 100.0)


def run_team(args) -> int:
    """`team keys` lists the signing keys known for each reviewer; `team trust NAME FILE.fzr` takes the key that
    signed that bundle as NAME's (after a refusal for a changed key, once the reviewer has confirmed it)."""
    from desktop.store.bundle import BundleError, trust_signer
    from desktop.store.signing import known_keys

    with library(args) as repo:
        if args.action == "trust":
            if not args.name or not args.bundle:
                raise CommandError("用法：team trust 审阅人姓名 审阅包.fzr（用这个审阅包的签名密钥作为该审阅人的新密钥）")
            try:
                done = trust_signer(repo, args.name, args.bundle)
            except BundleError as exc:
                raise CommandError(str(exc)) from None
            if done is None:
                raise CommandError(f"“{args.name}”没有需要更换的密钥（只有导入时因密钥变化被拒绝后才需要确认）")
            print(f"已确认“{args.name}”的新签名密钥（指纹 {done}），请重新导入该审阅包")
            return 0
        rows = known_keys(repo)
    if not rows:
        print("尚未记录任何审阅人的签名密钥（导入或导出审阅包时记录）")
    for r in rows:
        kind, _, name = r["principal"].partition(":")
        label = f"审阅人 {name}" if kind == "reviewer" else f"审阅库 {name}"
        print(f"{label}：密钥指纹 {r['fingerprint']}")
    return 0


def run_assign(args) -> int:
    with library(args) as repo:
        report = repo.reports.find_report(args.report)
        for name in args.reviewers:
            repo.team.assign(report.id, name, assigned=not args.remove, who=args.who)
        names = repo.team.assignments(report.id).get(report.id, [])
        print(f"#{report.id} {report.title or report.file_name} 的审阅人：{'、'.join(names) or '（未分工）'}")
    return 0


def run_conflicts(args) -> int:
    from desktop.store.team_text import conflict_line, local_time

    with library(args) as repo:
        for cid in args.confirm:
            repo.team.confirm_conflict(cid, who=args.who)
        report_id = repo.reports.find_report(args.report).id if args.report else None
        rows = repo.team.conflicts(report_id, include_confirmed=args.all)
        if args.json:
            _dump([{k: r[k] for k in ("id", "report_id", "report_title", "entity", "field", "value", "author",
                                      "winner_author", "current", "confirmed_by")} | {"time": local_time(r["stamp"])}
                   for r in rows])
            return 0
        if args.confirm:
            print(f"已确认 {len(args.confirm)} 处冲突")
        if not rows:
            print("没有待确认的冲突" if not args.all else "没有冲突记录")
        for r in rows:
            done = f"  ✔ {r['confirmed_by'] or ''} 已确认" if r["confirmed_at"] else ""
            print(f"[{r['id']}] {local_time(r['stamp'])}  {conflict_line(r)}{done}")
    return 0


def run_reviewers(args) -> int:
    from desktop.review.rubric import RubricError, load_rubric
    from desktop.review.service import score_summary

    try:
        rubric = load_rubric(args.rubric) if args.rubric else load_rubric()
    except RubricError as exc:
        raise CommandError(str(exc)) from None
    with library(args) as repo:
        report = repo.reports.find_report(args.report)
        rows = score_summary(repo, report.id, rubric)
        assigned = repo.team.assignments(report.id).get(report.id, [])
    if args.json:
        _dump({"report_id": report.id, "assigned": assigned,
               "criteria": [{"criterion": r.criterion_id, "name": r.name, "scores": dict(r.scores), "mean": r.mean,
                             "spread": r.spread, "threshold": r.threshold, "disagree": r.disagree} for r in rows]})
        return 0
    print(f"#{report.id} {report.title or report.file_name}")
    print(f"分工：{'、'.join(assigned) or '（未分工）'}")
    for r in rows:
        if not r.scores:
            print(f"  {r.name}：未评分")
            continue
        flag = f"  ⚠ 分歧（分差超过 {r.threshold:g}）" if r.disagree else ""
        print(f"  {r.name}：均分 {r.shown(r.mean)}，分差 {r.spread:g}（{r.who_text()}）{flag}")
    return 0
