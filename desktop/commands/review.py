"""`check FILE|REPORT [--json] [--rubric PATH] [--db PATH]`: run the review checks on a file or a library report."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from desktop.commands import CommandError


def register(sub, export) -> None:
    from desktop.commands import (
        add_db_option,  # defined after the package loads its command modules
    )

    p = sub.add_parser("check", help="按评分表对报告做自动检查（文件路径，或审阅库中的报告编号/标题）")
    p.add_argument("target", metavar="FILE|REPORT", help="报告文件路径，或审阅库中报告的编号、文件名、标题片段")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--rubric", metavar="PATH", help="使用本单位调整过的评分表（TOML 或 JSON）")
    add_db_option(p)
    p.set_defaults(handler=run_check)


def run_check(args) -> int:
    from desktop.review.rubric import RubricError, load_rubric

    try:
        rubric = load_rubric(args.rubric) if getattr(args, "rubric", None) else load_rubric()
    except RubricError as exc:
        raise CommandError(str(exc)) from None
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
    from desktop.review.service import check_stored, scores_of
    from desktop.store.db import open_library
    from desktop.store.errors import LibraryError

    try:
        repo = open_library(getattr(args, "db", None))
    except LibraryError as exc:
        raise CommandError(str(exc)) from None
    try:
        try:
            report = repo.find_report(args.target)
        except LookupError as exc:
            raise CommandError(f"{args.target}: 不是文件，审阅库中也{exc.args[0] if exc.args else '找不到该报告'}")
        reading = repo.reading(report.id)
        from desktop.followup.service import with_followup  # "N 项上年安排未提及" beside the checks (issue 11)

        findings = with_followup(repo, report.id, check_stored(repo, report.id, rubric))
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
            "weighted_total": total_of(rubric, scores) if scores else None}


def format_text(out: dict) -> str:
    lines = [out["title"], f"检查结果：{out['summary']}", ""]
    for f in out["findings"]:
        lines.append(f"[{f['label']}] {f['title']}：{f['explanation']}")
        for e in f["evidence"][:3]:
            quote = e["quote"] if len(e["quote"]) <= 40 else e["quote"][:40] + "…"
            lines.append(f"    {e['note'] + '：' if e['note'] else ''}“{quote}”（{e['start']}–{e['end']}）")
        if len(f["evidence"]) > 3:
            lines.append(f"    ……另有 {len(f['evidence']) - 3} 处")
    if out["weighted_total"] is not None:
        lines += ["", f"评分（{out['rubric']['name']}）："]
        for c in out["rubric"]["criteria"]:
            lines.append(f"  {c['name']}（权重 {c['weight']:g}）：{c['display'] or '未评分'}")
        lines.append(f"  加权总分：{out['weighted_total']:g} / 100")
    return "\n".join(lines) + "\n"
