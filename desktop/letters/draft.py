"""The letter's draft: what the program proposes from findings, annotations and scores; the reviewer edits it.

A LetterDraft is plain data (no Qt): the desk's preview dialog and the CLI both render the same object.
"""
from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

from desktop.letters import wording
from desktop.report.lexicon import CN_ORDINALS

SECTIONS = ("overall", "problems", "suggestions")
SECTION_TITLES = {"overall": "总体评价", "problems": "存在的主要问题", "suggestions": "修改完善建议"}
KIND_LABELS = {"overall": "总体评价", "score": "评分", "finding": "检查结果", "annotation": "批注",
               "suggestion": "建议"}
LETTER_STATUSES = ("需整改", "需核实")  # annotation statuses that go into a letter
OFFICE_SETTING = "office_name"
DEFAULT_CLOSING = ("请你单位对照上述意见认真研究，修改完善报告，并于收到本意见之日起15个工作日内"
                   "将修改完善及整改落实情况书面反馈。")


@dataclass
class LetterItem:
    """One opinion of the letter. `text` is the wording the reviewer may edit; `include` says whether it prints."""

    key: str  # stable within a draft: "finding:problems.causes", "annotation:12", "score:evidence"…
    section: str  # one of SECTIONS
    kind: str  # overall | score | finding | annotation | suggestion
    text: str
    quote: str = ""  # the quoted words (annotations)
    where: str = ""  # the section they stand in, e.g. 第二章“存在的不足和原因”
    status: str = ""  # the annotation's status (需整改 / 需核实)
    source: str = ""  # what the preview shows as the origin, e.g. 问题原因（未通过）
    include: bool = True


@dataclass
class LetterDraft:
    report_id: int | None
    report_title: str
    unit: str  # the addressee
    office: str  # the signature
    date: dt.date
    opening: str
    closing: str
    items: list[LetterItem] = field(default_factory=list)
    doc_no: str = ""  # 文号, printed by templates that have the line
    warnings: list[str] = field(default_factory=list)  # what the reviewer should fix before sending (no unit…)

    @property
    def title(self) -> str:
        return f"关于《{wording.clean(self.report_title)}》的审阅意见"

    def section_items(self, section: str, *, included: bool = True) -> list[LetterItem]:
        return [i for i in self.items if i.section == section and (i.include or not included)]

    def move(self, key: str, delta: int) -> bool:
        """Move an item up (-1) or down (+1) among the items of its section; False when it cannot move."""
        index = next((n for n, i in enumerate(self.items) if i.key == key), None)
        if index is None:
            return False
        item = self.items[index]
        peers = [n for n, i in enumerate(self.items) if i.section == item.section]
        pos = peers.index(index) + delta
        if not 0 <= pos < len(peers):
            return False
        other = peers[pos]
        self.items[index], self.items[other] = self.items[other], self.items[index]
        return True

    def item(self, key: str) -> LetterItem:
        return next(i for i in self.items if i.key == key)

    def copy(self) -> LetterDraft:
        return copy.deepcopy(self)


_CN_NUMBERS = CN_ORDINALS  # 一、 （一）: the letter numbers its parts as the reports it answers do


def letter_blocks(draft: LetterDraft) -> list[tuple[str, str]]:
    """The letter's body as it prints, (kind, text) with kind para | h1 | h2 | item; numbers included.

    One layout for the .docx and the desk's preview: 一、二、三 for the parts present, （一）（二） when
    the problems come both from the checks and from annotations, 1. 2. 3. for the opinions."""
    clean = wording.clean
    blocks = [("para", clean(draft.opening))] if clean(draft.opening) else []
    chapter = 0
    for section in SECTIONS:
        items = draft.section_items(section)
        if not items:
            continue
        blocks.append(("h1", f"{_CN_NUMBERS[chapter]}、{SECTION_TITLES[section]}"))
        chapter += 1
        groups = [("", items)]
        if section == "problems":
            groups = [(name, group) for name, group in (
                ("报告编写方面", [i for i in items if i.kind != "annotation"]),
                ("具体内容方面", [i for i in items if i.kind == "annotation"])) if group]
        for g, (name, group) in enumerate(groups):
            if len(groups) > 1:
                blocks.append(("h2", f"（{_CN_NUMBERS[g]}）{name}"))
            blocks += _numbered(group)
    if clean(draft.closing):
        blocks.append(("para", clean(draft.closing)))
    return blocks


def _numbered(group: list[LetterItem]) -> list[tuple[str, str]]:
    """1. 2. 3. for the opinions; the criteria's scores after the 各项得分如下 line are its sub-items （1）（2）."""
    out, n, sub = [], 0, None
    for item in group:
        if sub is not None and item.kind == "score" and item.key != "score:total":
            sub += 1
            out.append(("item", f"（{sub}）{_opinion(item)}"))
            continue
        n += 1
        sub = 0 if item.key == "score:total" else None
        out.append(("item", f"{n}.{_opinion(item)}"))
    return out


_ENDS = tuple("。！？；：…）)”」』")


def _opinion(item: LetterItem) -> str:
    text = wording.clean(item.text)
    if text and not text.endswith(_ENDS):
        text += "。"  # an opinion is a sentence
    if item.kind != "annotation" or not (item.quote or item.where):
        return text
    where, quote = wording.clean(item.where), wording.clean(item.quote)
    lead = "关于" + (f"{where}中" if where and quote else where)
    if quote:
        lead += f"“{quote}”的表述"
    return f"{lead}：{text}"


def chinese_date(day: dt.date) -> str:
    """成文日期 as GB/T 9704-2012 prints it: 2026年12月2日."""
    return f"{day.year}年{day.month}月{day.day}日"


def section_labels(sections) -> dict[str, str]:
    """path -> how a letter names the section: 第二章“存在的不足和原因”, 一.(二)“…”."""
    out = {}
    for s in sections:
        title = wording.short_quote(s.title, 40)
        if s.level == 1 and s.number:
            out[s.path] = f"第{s.number}部分“{title}”"
        else:
            out[s.path] = f"“{title}”部分"
    return out


def draft_letter(repo, report_id: int, *, rubric=None, findings=None, today: dt.date | None = None,
                 office: str | None = None) -> LetterDraft:
    """The program's draft for one library report: every applicable item included, in reading order."""
    from desktop.review.rubric import load_rubric
    from desktop.review.service import scores_of, total_of

    rubric = rubric or load_rubric()
    report = repo.reports.get_report(report_id)
    if findings is None:
        findings = _findings(repo, report_id, rubric)
    sections = repo.reports.sections(report_id)
    labels = section_labels(sections)
    titles = {s.path: wording.short_quote(s.title, 30) for s in sections}
    unit = report.issuer or (report.metadata or {}).get("issuer") or ""
    title = report.title or _title_of_untitled(report)
    warnings = []
    if not unit:  # never "报告单位：" — the letter goes without an addressee line, and the reviewer is told
        warnings.append(f"#{report.id}《{wording.clean(title)}》的报告单位不详，意见书未写抬头；"
                        f"请先更正单位（set {report.id} --issuer 单位名称，或审阅台“报告信息…”）")
    items: list[LetterItem] = [LetterItem("overall", "overall", "overall", wording.overall_text(findings, "报告"),
                                          source=KIND_LABELS["overall"])]
    items += _score_items(rubric, scores_of(repo, report_id, rubric=rubric), total_of)
    items += _problem_items(findings, titles)
    items += _followup_items(repo, report_id)
    notes = [a for a in repo.annotations.annotations(report_id) if a.status in LETTER_STATUSES]
    items += _annotation_items(notes, labels)
    items += _suggestion_items(findings, notes)
    office = office if office is not None else (repo.letters.library_setting(OFFICE_SETTING) or "")
    return LetterDraft(
        report_id=report.id, report_title=wording.clean(title), unit=wording.clean(unit), office=office,
        date=today or dt.date.today(),
        opening=f"我们对你单位《{wording.clean(title)}》进行了审阅。现将审阅意见反馈如下：",
        closing=DEFAULT_CLOSING, items=items, warnings=warnings)


def _findings(repo, report_id: int, rubric) -> list:
    """The stored check results when they are current; a read-only library cannot store them, so the checks
    run for this letter only."""
    from desktop.review.service import check_stored, findings_for
    from desktop.store.errors import LibraryError

    try:
        return findings_for(repo, report_id, rubric)
    except LibraryError:
        return check_stored(repo, report_id, rubric)


def _problem_items(findings, titles: dict[str, str]) -> list[LetterItem]:
    """存在的主要问题 from the checks that did not pass, in the wording for the unit."""
    from desktop.review.findings import RESULT_LABELS

    items = []
    for f in findings:
        text = wording.problem_text(f, titles)
        if text:
            items.append(LetterItem(f"finding:{f.check}", "problems", "finding", text,
                                    source=f"{f.title}（{RESULT_LABELS[f.result]}）"))
    return items


def _annotation_items(notes, labels: dict[str, str]) -> list[LetterItem]:
    """The reviewer's 需整改/需核实 annotations as problems (a 需核实 one asks for verification)."""
    items = []
    for a in notes:
        body = wording.clean(a.body)
        if a.status == "需核实" and "核实" not in body:
            body = body.rstrip("。") + "，请予以核实。"
        items.append(LetterItem(f"annotation:{a.id}", "problems", "annotation", body,
                                quote=wording.short_quote(a.quote) if a.target_kind != "section" else "",
                                where=labels.get(a.section_path, "") if a.section_path else "",
                                status=a.status, source=f"批注 #{a.id}（{a.status}）"))
    return items


def _suggestion_items(findings, notes) -> list[LetterItem]:
    """修改完善建议: one per distinct suggestion of the checks, then one for 需整改 and one for 需核实 notes."""
    from desktop.review.findings import RESULT_LABELS

    items, seen = [], set()
    for f in findings:
        text = wording.suggestion_text(f)
        if text and text not in seen:
            seen.add(text)
            items.append(LetterItem(f"suggestion:{f.check}", "suggestions", "suggestion", text,
                                    source=f"{f.title}（{RESULT_LABELS[f.result]}）"))
    for status, text in (("需整改", wording.RECTIFY_SUGGESTION), ("需核实", wording.VERIFY_SUGGESTION)):
        if any(a.status == status for a in notes):
            items.append(LetterItem(f"suggestion:{status}", "suggestions", "suggestion", text,
                                    source=f"批注（{status}）"))
    return items


def _followup_items(repo, report_id: int) -> list[LetterItem]:
    """Last year's plans (issue 23): the confirmed or certain verdicts as a finding; the tasks still 待确认 listed as
    such, left out of the printed letter until the reviewer includes them."""
    from desktop.followup.service import letter_texts

    fact, pending = letter_texts(repo, report_id)
    items = []
    if fact:
        items.append(LetterItem("finding:followup.missing", "problems", "finding", fact,
                                source="上年安排落实（已确定或审阅人已确认）"))
    if pending:
        items.append(LetterItem("finding:followup.pending", "problems", "finding", pending,
                                source="上年安排落实（待确认，不作为结论）", include=False))
    return items


def _title_of_untitled(report) -> str:
    """A page scraped without its title: name the report by issuer and year, not by a file name like 009.txt."""
    year = f"{report.report_year}年度" if report.report_year else ""
    if report.issuer:
        return f"{report.issuer}{year}法治政府建设情况报告"
    stem = report.file_name.rsplit(".", 1)[0]
    return stem if not stem.isdigit() else f"{year}法治政府建设情况报告"


def _score_items(rubric, scores: dict, total_of) -> list[LetterItem]:
    scored = {cid: rec for cid, rec in scores.items() if getattr(rec, "score", None) is not None}
    if not scored:
        return []
    from desktop.review.rubric import scored_weight

    if scored_weight(rubric, scores) >= 100:
        head = f"按照{rubric.name}，报告加权得分为{total_of(rubric, scores):g}分（满分100分），各项得分如下："
    else:  # a total over part of the criteria would read as a low score: give the scored ones only
        head = f"按照{rubric.name}，已评分的{len(scored)}项得分如下："
    out = [LetterItem("score:total", "overall", "score", head, source="评分")]
    for c in rubric.criteria:
        rec = scored.get(c.id)
        if rec is None:
            continue
        try:
            value = c.scale.parse(rec.score)
        except Exception:  # noqa: BLE001 — a score off an adapted scale is left out, as in the total
            continue
        shown = c.scale.display(value)
        shown = shown if c.scale.levels else f"{shown}分（满分{c.scale.max:g}分）"
        comment = wording.clean(rec.comment).rstrip("。")
        text = f"{c.name}：{shown}，{comment or wording.verdict(c.scale.normalise(value))}。"
        out.append(LetterItem(f"score:{c.id}", "overall", "score", text, source=f"评分：{c.name}"))
    return out
