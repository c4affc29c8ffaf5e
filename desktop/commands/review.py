"""`check FILE|REPORT [--json] [--rubric PATH] [--db PATH]`: the review checks of a file or a library report (with
its scores); `score REPORT CRITERION VALUE [--reviewer NAME]`: score one criterion of the rubric."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from desktop.commands.common import CommandError, add_db_option, library
from desktop.kernel.paths import program_name


def register(sub, export) -> None:
    p = sub.add_parser("check", help="按评分表对报告做自动检查（文件路径，或审阅库中的报告编号/标题）")
    p.add_argument("target", metavar="文件|报告", help="报告文件路径，或审阅库中报告的编号、文件名、标题片段")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--rubric", metavar="路径", help="使用本单位调整过的评分表（TOML 或 JSON）")
    add_db_option(p)
    p.set_defaults(handler=run_check)

    p = sub.add_parser("score", help="给审阅库中的报告按评分表的一个评分项打分",
                       description="按评分表打分：分值须在该评分项的量表上（0–5 分，步长 0.5；或 优/良/中/差）。")
    p.add_argument("report", metavar="报告", help="报告编号、文件名或标题片段")
    p.add_argument("criterion", metavar="评分项", help="评分项编号或名称，如 内容完整（编号见 check 的输出）")
    p.add_argument("value", metavar="值", help="分值，如 4.5 或 优；写“清除”取消评分")
    p.add_argument("--comment", metavar="文字", help="评语")
    p.add_argument("--reviewer", metavar="姓名", help="审阅人（记录在修改历史中）")
    p.add_argument("--rubric", metavar="路径", help="使用本单位调整过的评分表（TOML 或 JSON）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    add_db_option(p)
    p.set_defaults(handler=run_score)


def _rubric(args):
    from desktop.review.rubric import RubricError, load_rubric

    try:
        return load_rubric(args.rubric) if getattr(args, "rubric", None) else load_rubric()
    except RubricError as exc:
        raise CommandError(str(exc)) from None


def run_score(args) -> int:
    from desktop.review.rubric import RubricError
    from desktop.review.service import find_criterion, scores_of, set_score, total_of

    rubric = _rubric(args)
    clear = args.value.strip() in ("清除", "无", "-")
    try:
        criterion = find_criterion(rubric, args.criterion)
        with library(args) as repo:
            report = repo.reports.find_report(args.report)
            old = scores_of(repo, report.id).get(criterion.id)
            comment = args.comment if args.comment is not None else getattr(old, "comment", None)
            rec = set_score(repo, report.id, criterion.id, None if clear else args.value, comment,
                            args.reviewer, rubric)
            total = total_of(rubric, scores_of(repo, report.id))
            mine = total_of(rubric, scores_of(repo, report.id, reviewer=rec.reviewer))
            others = {r.reviewer for r in repo.scores.rubric_scores(report.id) if r.score is not None} - {rec.reviewer}
    except RubricError as exc:
        raise CommandError(f"{args.criterion} {args.value}: {exc}") from None
    shown = criterion.scale.display(rec.score) or "未评分"
    if args.json:
        json.dump({"report_id": report.id, "criterion": criterion.id, "name": criterion.name, "score": rec.score,
                   "display": shown, "comment": rec.comment, "reviewer": rec.reviewer, "weighted_total": total},
                  sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        # one score per figure, labelled: this reviewer's total, and the team's where others scored too
        team = f"；团队加权总分 {total:g} / 100（{len(others) + 1} 人评分）" if others else ""
        print(f"#{report.id} {report.title or report.file_name}：{criterion.name} {shown}（{rec.reviewer or '未署名'}）"
              f"；{rec.reviewer or '未署名'}的加权总分 {mine:g} / 100{team}")
    return 0


def run_check(args) -> int:
    rubric = _rubric(args)
    target = Path(args.target)
    if target.exists():
        title, reading, findings, scores = _from_file(target, rubric)
        report_id = None
    else:
        title, reading, findings, scores, report_id = _from_library(args, rubric)
    out = _result(title, reading, findings, scores, rubric, report_id)
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(out))
    return 0


def _from_file(path: Path, rubric):
    from desktop.report.extract import read_file
    from desktop.report.model import ReportError
    from desktop.review.checks import run_checks

    if path.is_dir():
        raise CommandError(f"{path}: 是文件夹，请指定一份报告文件")
    try:
        reading = read_file(path)
    except ReportError as exc:
        raise CommandError(str(exc) if exc.source else f"{path}: {exc.message}") from None
    return reading.metadata.title or path.name, reading, run_checks(reading, rubric), {}


def _from_library(args, rubric):
    from desktop.review.service import findings_for, scores_of
    from desktop.store.db import open_library
    from desktop.store.errors import LibraryError

    try:
        repo = open_library(getattr(args, "db", None))
    except LibraryError as exc:
        raise CommandError(str(exc)) from None
    try:
        try:
            report = repo.reports.find_report(args.target)
        except LookupError as exc:
            raise CommandError(f"{args.target}: 不是文件，审阅库中也{exc.args[0] if exc.args else '找不到该报告'}")
        reading = repo.reports.reading(report.id)
        from desktop.followup.service import with_followup  # "N 项上年安排未提及" beside the checks (issue 11)

        findings = with_followup(repo, report.id, findings_for(repo, report.id, rubric))
        return (report.title or report.file_name, reading, findings,
                scores_of(repo, report.id), report.id)
    except LibraryError as exc:
        raise CommandError(str(exc)) from None
    finally:
        repo.close()


def _result(title, reading, findings, scores, rubric, report_id) -> dict:
    from desktop.review.findings import summary
    from desktop.review.service import total_of

    criteria = []
    for c in rubric.criteria:
        rec = scores.get(c.id)
        criteria.append({"id": c.id, "name": c.name, "weight": c.weight, "scale": c.scale.name,
                         "score": getattr(rec, "score", None),
                         "display": c.scale.display(getattr(rec, "score", None)),
                         "comment": getattr(rec, "comment", None),
                         "checks": [f.check for f in findings if c.id in f.criteria]})
    return {"title": title, "source": reading.source_name, "report_id": report_id, "doc_kind": reading.doc_kind,
            "summary": summary(findings), "findings": [f.to_dict() for f in findings],
            "rubric": {"name": rubric.name, "source": rubric.source, "criteria": criteria},
            "weighted_total": total_of(rubric, scores) if report_id is not None else None}


def format_text(out: dict) -> str:
    lines = [out["title"], f"检查结果：{out['summary']}", ""]
    for f in out["findings"]:
        lines.append(f"[{f['label']}] {f['title']}：{f['explanation']}")
        for e in f["evidence"][:3]:
            quote = e["quote"] if len(e["quote"]) <= 40 else e["quote"][:40] + "…"
            lines.append(f"    {e['note'] + '：' if e['note'] else ''}“{quote}”（{e['start']}–{e['end']}）")
        if len(f["evidence"]) > 3:
            lines.append(f"    ……另有 {len(f['evidence']) - 3} 处")
    if out["weighted_total"] is not None:  # a library report: its scores, scored or not
        lines += ["", f"评分（{out['rubric']['name']}）："]
        for c in out["rubric"]["criteria"]:
            lines.append(f"  {c['name']}（{c['id']}，权重 {c['weight']:g}）：{c['display'] or '未评分'}")
        lines.append(f"  加权总分：{out['weighted_total']:g} / 100（未评分的评分项按 0 计；"
                     f"打分：{program_name()} score {out['report_id']} 评分项 分值）")
    return "\n".join(lines) + "\n"
