"""Checks of what the parts say: figures in achievements, candour about problems, measurable plans, indicators."""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.report.lexicon import LEAD_ITEM
from desktop.report.model import Reading
from desktop.review.findings import TITLES, Evidence, Finding, evidence
from desktop.review.structure import Unit, cause_sections, in_section, locate_parts, units
from desktop.review.text import SpanIndex, bigrams, cosine, figures, find_all, fold, sentences, tfidf_vectors

_INDEXES: list[tuple[Reading, SpanIndex]] = []  # the last readings' indicator indexes (checks run several lookups)
# A rate is recomputed from the counts written next to it: this many counts before it and after it are tried.
RATE_WINDOW_BEFORE, RATE_WINDOW_AFTER = 12, 4
# problems.answered compares each problem with each plan theme and with the tasks of its best theme; a report
# has a handful of each, so beyond these the rest are not compared (said in the finding) — the check stays linear.
MAX_PROBLEMS, MAX_THEMES, MAX_TASKS_PER_THEME = 40, 40, 60


def indicator_index(reading: Reading) -> SpanIndex:
    """The reading's indicators by offset, built once per reading."""
    for cached, index in _INDEXES:
        if cached is reading:
            return index
    index = SpanIndex(reading.indicators)
    _INDEXES.insert(0, (reading, index))
    del _INDEXES[4:]
    return index


def _finding(check: str, result: str, explanation: str, spans=(), **data) -> Finding:
    return Finding(check, TITLES.get(check, check), result, explanation, (), tuple(spans), data)


def _label(u: Unit) -> str:
    tail = u.path.rsplit(".", 1)[-1]
    return f"{tail}{u.title}" if u.title else tail


def _figure_spans(reading: Reading, path: str, start: int, end: int) -> list[tuple[int, int]]:
    """Figures of a section: the reader's indicators, or a plain scan when the reader found none at all."""
    if reading.indicators:
        return [(i.start, i.end) for i in indicator_index(reading).within(start, end) if in_section(i.section, path)]
    return figures(reading.clean_text, start, end)


# ---- 3. data in the achievements ----

def check_data(reading: Reading, places=None) -> list[Finding]:
    places = locate_parts(reading) if places is None else places
    sections = units(reading, "achievements", places)
    if not sections:
        return [_finding("data", "unknown", "未找到“主要举措和成效”部分，无法统计数据。")]
    text, rows, spans, empty = reading.clean_text, [], [], []
    for u in sections:
        found = _figure_spans(reading, u.path, u.start, u.end)
        rows.append({"path": u.path, "title": u.title, "figures": len(found)})
        if not found:
            empty.append(u)
            spans.append(evidence(text, u.title_start, u.title_end, "无数据"))
    total = sum(r["figures"] for r in rows)
    per = "，".join(f"{r['path'].rsplit('.', 1)[-1]} {r['figures']} 个" for r in rows)
    data = {"sections": rows, "total": total, "without_figures": [u.path for u in empty]}
    if total == 0:
        return [_finding("data", "fail", f"成效部分 {len(rows)} 节都没有数据，只列工作名称。", spans, **data)]
    if empty:
        names = "；".join(_label(u) for u in empty)
        return [_finding("data", "warn", f"成效部分 {len(rows)} 节共 {total} 个数据（{per}）；"
                                        f"{len(empty)} 节没有数据：{names}。", spans, **data)]
    return [_finding("data", "pass", f"成效部分 {len(rows)} 节都有数据，共 {total} 个（{per}）。", spans, **data)]


# ---- 4. problems ----

_ORDINALS = re.compile(LEAD_ITEM)


def check_problems(reading: Reading, places=None, params: dict | None = None) -> list[Finding]:
    places = locate_parts(reading) if places is None else places
    params = params or {}
    problems = units(reading, "problems", places)
    ids = ("problems.count", "problems.boilerplate", "problems.causes", "problems.answered")
    if not problems:
        return [_finding(c, "unknown", "未找到“存在的不足和原因”部分。") for c in ids]
    text = reading.clean_text
    out = [_count(reading, problems, int(params.get("min_count", 3)))]
    # boilerplate
    spans, used = [], []
    for u in problems:
        hits = find_all(text, params.get("boilerplate", []), u.title_start, u.end)
        if hits:
            used.append({"path": u.path, "phrases": [h[2] for h in hits]})
        spans += [evidence(text, a, b, "套话") for a, b, _ in hits]
    if used:
        n = sum(len(x["phrases"]) for x in used)
        out.append(_finding("problems.boilerplate", "warn",
                            f"{len(used)}/{len(problems)} 个问题使用“有待进一步加强”等套话，共 {n} 处。", spans,
                            problems=used))
    else:
        out.append(_finding("problems.boilerplate", "pass", "问题表述未见常见套话。"))
    out.append(_causes(reading, problems, places, params.get("cause_markers", [])))
    out.append(_answered(reading, problems, places, float(params.get("answer_threshold", 0.05))))
    return out


def _count(reading, problems, minimum) -> Finding:
    text = reading.clean_text
    n = len(problems)
    if n == 1:  # one unsplit chapter: count 一是/二是… inside
        a, b = body_span_of(problems[0])
        n = max(1, len(set(m.group() for m in _ORDINALS.finditer(text, a, b))))
    spans = [evidence(text, u.title_start, u.title_end, "问题") for u in problems if u.title_end > u.title_start]
    data = {"count": n, "paths": [u.path for u in problems]}
    if n >= minimum:
        return _finding("problems.count", "pass", f"列出 {n} 个问题。", spans, **data)
    return _finding("problems.count", "warn", f"只列出 {n} 个问题，少于 {minimum} 个，查摆可能不充分。", spans, **data)


def body_span_of(u: Unit) -> tuple[int, int]:
    return max(u.title_end, u.start), u.end


def _causes(reading, problems, places, markers) -> Finding:
    text = reading.clean_text
    general = []
    for chapter in places["problems"].sections:  # a lead paragraph, or a section about causes
        first = chapter.children[0].start if chapter.children else chapter.title_end
        general += find_all(text, markers, chapter.title_end, first)
    for u in problems:
        if "原因" in fold(u.title):
            general.append((u.title_start, u.title_end, u.title))
    general += [(c.title_start, c.title_end, c.title) for c in cause_sections(reading, places)]
    stated, missing, spans = [], [], []
    for u in problems:
        a, b = body_span_of(u)
        hits = find_all(text, markers, a, b)
        (stated if hits else missing).append(u.path)
        spans += [evidence(text, x, y, "原因") for x, y, _ in hits[:2]]
        if not hits:
            spans.append(evidence(text, u.title_start, u.title_end, "未写原因"))
    spans += [evidence(text, x, y, "原因") for x, y, _ in general[:2]]
    data = {"with_causes": stated, "without_causes": missing, "general": bool(general)}
    if general:
        return _finding("problems.causes", "pass", "问题部分有专门的原因分析。", spans, **data)
    if not missing:
        return _finding("problems.causes", "pass", f"{len(stated)} 个问题都写明了原因。", spans, **data)
    names = "；".join(_label(u) for u in problems if u.path in missing)
    if not stated:
        return _finding("problems.causes", "fail",
                        f"{len(missing)} 个问题都只描述现象，未写明原因：{names}。", spans, **data)
    return _finding("problems.causes", "warn", f"{len(missing)} 个问题未写明原因：{names}。", spans, **data)


@dataclass(frozen=True)
class Task:
    start: int
    end: int
    text: str
    section: str
    seq: int
    lead_unit: str | None = None
    deadline: str | None = None


def plan_tasks(reading: Reading, places=None) -> list[Task]:
    """Task sentences of the plans: the reader's plan_task items, or the sentences of each plan theme."""
    places = locate_parts(reading) if places is None else places
    place = places.get("plans")
    paths = [s.path for s in place.sections] if place is not None else None  # None: the closing plans, if any
    items = [w for w in reading.work_items
             if w.kind == "plan_task" and (paths is None or any(in_section(w.section, p) for p in paths))]
    if items:
        return [Task(w.start, w.end, w.text, w.section, w.seq, w.lead_unit, w.deadline) for w in items]
    text, out = reading.clean_text, []
    for u in units(reading, "plans", places) if place is not None else ():
        a, b = body_span_of(u)
        for i, (x, y) in enumerate(sentences(text, a, b)):
            sec = reading.section_at(x)
            out.append(Task(x, y, text[x:y], sec.path if sec else u.path, len(out) + i))
    return out


def _answered(reading, problems, places, threshold) -> Finding:
    """Each problem against each plan theme: half heading-to-heading, half whole-text similarity."""
    text = reading.clean_text
    themes = units(reading, "plans", places)
    if not themes:
        return _finding("problems.answered", "unknown", "未找到下一年度安排，无法核对问题是否有对应措施。")
    tasks = plan_tasks(reading, places)
    skipped = max(0, len(problems) - MAX_PROBLEMS) + max(0, len(themes) - MAX_THEMES)
    problems, themes = problems[:MAX_PROBLEMS], themes[:MAX_THEMES]
    np_, nt = len(problems), len(themes)
    by_theme = _tasks_by_theme(tasks, themes)
    score = _problem_scorer(text, problems, themes, tasks)
    pairs, spans, unanswered = [], [], []
    for i, u in enumerate(problems):
        scores = [score(i, np_ + j) for j in range(nt)]
        best = max(range(nt), key=scores.__getitem__)
        theme = themes[best]
        inside = [(score(i, np_ + nt + k), t) for k, t in by_theme[theme.path]]
        task = max(inside, key=lambda st: st[0])[1] if inside else None
        ok = scores[best] >= threshold
        pairs.append({"problem": u.path, "theme": theme.path if ok else None, "best_theme": theme.path,
                      "score": round(scores[best], 3), "task": task.text if (ok and task) else None,
                      "also": [themes[j].path for j in range(nt) if j != best and scores[j] >= threshold]})
        if ok:
            spans.append(evidence(text, u.title_start, u.title_end, f"问题 → 安排{theme.path}"))
            a, b = (task.start, task.end) if task else (theme.title_start, theme.title_end)
            spans.append(evidence(text, a, b, f"回应问题{u.path}"))
        else:
            unanswered.append(u)
            spans.append(evidence(text, u.title_start, u.title_end, "未见对应安排"))
    return _answered_finding(pairs, spans, unanswered, len(problems), skipped)


def _tasks_by_theme(tasks: list[Task], themes) -> dict[str, list]:
    """Theme path -> (index, task) of the tasks inside it, at most MAX_TASKS_PER_THEME each."""
    by_theme: dict[str, list] = {t.path: [] for t in themes}
    for k, t in enumerate(tasks):
        for theme in themes:
            if in_section(t.section, theme.path) and len(by_theme[theme.path]) < MAX_TASKS_PER_THEME:
                by_theme[theme.path].append((k, t))
                break
    return by_theme


def _problem_scorer(text: str, problems, themes, tasks: list[Task]):
    """score(i, j): problem i against document j of the collection problems + themes + tasks, half
    heading-to-heading and half whole-text TF-IDF similarity."""
    task_bags = [bigrams(t.text) for t in tasks]  # in both collections
    full = tfidf_vectors([text[u.title_start:u.end] for u in problems] + [text[t.title_start:t.end] for t in themes]
                         + task_bags)
    heads = tfidf_vectors([u.title for u in problems] + [t.title for t in themes] + task_bags)

    def score(i: int, j: int) -> float:
        whole = cosine(full[i], full[j])
        return 0.5 * cosine(heads[i], heads[j]) + 0.5 * whole if heads[i] and heads[j] else whole

    return score


def _answered_finding(pairs: list[dict], spans: list, unanswered: list, n_problems: int, skipped: int) -> Finding:
    lines = "；".join(f"问题{p['problem'].rsplit('.', 1)[-1]}→安排{p['theme'].rsplit('.', 1)[-1]}"
                     for p in pairs if p["theme"])
    data = {"pairs": pairs, "unanswered": [u.path for u in unanswered], "not_compared": skipped}
    if skipped:
        lines += f"（问题或安排过多，另有 {skipped} 个未比对）"
    if not unanswered:
        return _finding("problems.answered", "pass", f"每个问题都有对应的安排：{lines}。", spans, **data)
    names = "；".join(_label(u) for u in unanswered)
    result = "fail" if len(unanswered) == n_problems else "warn"
    head = f"对应：{lines}。" if lines else ""
    return _finding("problems.answered", result, f"{head}未见对应安排的问题：{names}。", spans, **data)


# ---- 5. plans ----

_RATE_STOP = "、，,和及与。；;：:“”《》（）()的 \n"
_RATE_VERBS = ("提升", "提高", "确保", "保持", "达到", "实现", "增强", "降低", "压降", "巩固", "稳定")
_NOT_RATES = ("效率", "频率", "概率", "功率", "坦率", "草率", "轻率", "直率", "表率", "税率", "汇率", "利率")
_RATE_END = re.compile(r"率|满意度|知晓度|获得感")
_GROUP_JOIN = re.compile(r"^\s*(、|和|及|与|以及|，)\s*$")
_VALUE_AFTER = re.compile(r"^[^，,。；;]{0,10}?(\d|百分之)")


def rate_groups(text: str, start: int, end: int) -> list[tuple[int, int, list[str]]]:
    """Runs of rate names in text[start:end] not followed by a value: (start, end, names)."""
    names = []
    for m in _RATE_END.finditer(text, start, end):
        a = m.start()
        while a > start and m.end() - a < 12 and (text[a - 1] not in _RATE_STOP or text[a - 1:a + 1] == "及时") \
                and not any(text.endswith(v, 0, a) for v in _RATE_VERBS):
            a -= 1
        name = text[a:m.end()]
        if len(name) >= 2 and not any(name.endswith(x) for x in _NOT_RATES) and name != "率":
            names.append((a, m.end(), name))
    groups: list[list] = []
    for a, b, name in names:
        if groups and _GROUP_JOIN.match(text[groups[-1][1]:a]):
            groups[-1][1] = b
            groups[-1][2].append(name)
        else:
            groups.append([a, b, [name]])
    return [(a, b, ns) for a, b, ns in groups if not _VALUE_AFTER.match(text[b:end])]


# A named output (出台…标准, 建立…工作站): concrete, though not measurable without a date or an owner.
_DELIVERABLE = re.compile(r"(出台|制定|印发|发布|修订|建成|上线|建立)[^，,。；;]{0,20}?(标准|办法|规定|方案|清单|指引|制度|平台|"
                          r"工作站|中心|条例|意见|细则|成果)")


def check_plans(reading: Reading, places=None, params: dict | None = None) -> list[Finding]:
    places = locate_parts(reading) if places is None else places
    params = params or {}
    tasks = plan_tasks(reading, places)
    if not tasks:
        msg = "未找到下一年度安排。" if "plans" not in places else "下一年度安排中未识别出具体任务。"
        return [_finding("plans.measurable", "unknown", msg), _finding("plans.rates", "unknown", msg)]
    text = reading.clean_text
    patterns = ([re.compile(p) for p in params.get("deadline_patterns", [])],
                [re.compile(p) for p in params.get("owner_patterns", [])])
    rated, spans, rate_spans, rates = [], [], [], []
    for t in tasks:
        entry, span = _rate_task(reading, t, patterns, params.get("vague_verbs", []))
        rated.append(entry)
        spans.append(span)
        for a, b, ns in rate_groups(text, t.start, t.end):
            rates.append({"seq": t.seq, "names": ns, "quote": text[a:b]})
            rate_spans.append(evidence(text, a, b, "比率未给目标值"))
    if rates:
        listed = "；".join(r["quote"] for r in rates)
        rate_finding = _finding("plans.rates", "warn", f"提到比率但没有目标值：{listed}。", rate_spans, rates=rates)
    else:
        rate_finding = _finding("plans.rates", "pass", "安排中提到的比率都有目标值（或未提比率）。", rates=[])
    return [_measurable_finding(rated, spans), rate_finding]


def _rate_task(reading: Reading, t: Task, patterns, vague_verbs) -> tuple[dict, Evidence]:
    """One plan task rated measurable (a figure, a deadline or an owner) or vague, and its evidence."""
    text = reading.clean_text
    deadline_res, owner_res = patterns
    body = fold(text[t.start:t.end])
    numbers = [(i.start, i.end) for i in indicator_index(reading).within(t.start, t.end)] \
        or figures(text, t.start, t.end)
    deadline = bool(t.deadline) or any(r.search(body) for r in deadline_res)
    owner = bool(t.lead_unit) or any(r.search(body) for r in owner_res)
    reasons = [r for r, ok in (("量化目标", numbers), ("完成时限", deadline), ("责任单位", owner)) if ok]
    verbs = sorted({h[2] for h in find_all(text, vague_verbs, t.start, t.end)})
    rating = "measurable" if reasons else "vague"
    output = _DELIVERABLE.search(body)
    entry = {"seq": t.seq, "section": t.section, "text": t.text, "rating": rating,
             "has": reasons, "vague_verbs": verbs, "deliverable": output.group() if output else None}
    note = ("可衡量：" + "、".join(reasons)) if reasons else ("笼统：" + "、".join(verbs[:4]) if verbs else "笼统")
    if output and not reasons:
        note += f"（有具体产出“{output.group()}”，但无目标、时限或责任单位）"
    return entry, evidence(text, t.start, t.end, note)


def _measurable_finding(rated: list[dict], spans: list) -> Finding:
    vague = [r for r in rated if r["rating"] == "vague"]
    n, v = len(rated), len(vague)
    data = {"tasks": rated, "measurable": n - v, "vague": v}
    if v == 0:
        return _finding("plans.measurable", "pass", f"{n} 项任务都有量化目标、时限或责任单位。", spans, **data)
    if v == n:
        return _finding("plans.measurable", "fail", f"{n} 项任务都没有量化目标、完成时限或责任单位，"
                                                    f"多用“推进”“加强”“深化”等表述。", spans, **data)
    return _finding("plans.measurable", "warn", f"{n} 项任务中 {v} 项笼统，没有量化目标、完成时限或责任单位。",
                    spans, **data)


# ---- 6. indicator consistency ----

_DECIMALS = re.compile(r"\d+\.(\d+)")
_RATE_WORD = re.compile(r"(比)?率$")


def _decimals(text: str) -> int:
    m = _DECIMALS.search(text)
    return len(m.group(1)) if m else 0


def check_indicators(reading: Reading) -> list[Finding]:
    text = reading.clean_text
    rates = [i for i in reading.indicators if i.unit in ("%", "％") and i.kind == "rate"]
    counts = [i for i in reading.indicators if i.kind == "count" and i.qualifier == "exact" and i.value > 0]
    checked, spans = [], []
    by_section: dict[str, list] = {}
    for c in counts:
        by_section.setdefault(c.section, []).append(c)
    indexes = {sec: SpanIndex(cs) for sec, cs in by_section.items()}
    for r in rates:
        index = indexes.get(r.section)
        got = _recompute(text, r, index.near(r.start, RATE_WINDOW_BEFORE, RATE_WINDOW_AFTER) if index else [])
        if got is not None:
            checked.append(got[0])
            spans.append(got[1])
    return [_recompute_finding(checked, spans), _change_units(reading, rates)]


def _recompute(text: str, r, same: list):
    """(what was checked, its evidence) for rate `r` recomputed from the counts `same` near it in its section:
    a numerator and denominator giving it, else the counts named like it that give another rate; None if none."""
    tol = 0.5 * 10 ** -_decimals(r.text) + 1e-9
    match = next(((n, d) for n in same for d in same if n is not d and n.unit == d.unit
                  and n.value <= d.value and abs(100 * n.value / d.value - r.value) <= tol), None)
    if match:
        n, d = match
        return ({"rate": r.text, "name": r.name, "section": r.section, "ok": True,
                 "numerator": n.text, "denominator": d.text},
                evidence(text, r.start, r.end, f"= {n.text} / {d.text}"))
    stem = _RATE_WORD.sub("", r.name or "")[-4:]
    linked = [c for c in same if len(stem) >= 2 and stem in c.name and c.end <= r.start]
    if not linked:
        return None
    n = linked[-1]
    dens = [d for d in same if d is not n and d.unit == n.unit and d.value > n.value and d.start < n.start]
    if not dens:
        return None
    d = dens[-1]
    got = 100 * n.value / d.value
    return ({"rate": r.text, "name": r.name, "section": r.section, "ok": False,
             "numerator": n.text, "denominator": d.text, "computed": round(got, 2)},
            evidence(text, r.start, r.end, f"{n.text} / {d.text} = {got:.2f}%，与 {r.text} 不符"))


def _recompute_finding(checked: list[dict], spans: list) -> Finding:
    if not checked:
        return _finding("indicators.recompute", "unknown", "没有可由同段数量复算的比率。", checked=[])
    bad = [c for c in checked if not c["ok"]]
    if bad:
        listed = "；".join(f"{c['name'] or c['rate']} {c['rate']}（{c['numerator']}/{c['denominator']}"
                          f" = {c['computed']}%）" for c in bad)
        return _finding("indicators.recompute", "warn", f"比率与同段数量不符，请核对：{listed}。", spans,
                        checked=checked)
    return _finding("indicators.recompute", "pass", f"{len(checked)} 个比率可由同段数量复算，结果一致。",
                    spans, checked=checked)


_PCT_CHANGE = re.compile(r"率[^。；;，,]{0,12}?(?:同比|较上年|比上年|较去年|环比)?(?:提高|提升|上升|增长|增加|下降|降低|减少)了?"
                         r"\s*(\d+(?:\.\d+)?)\s*[%％]")


def _change_units(reading: Reading, rates) -> Finding:
    text = reading.clean_text
    changes = [r.change for r in rates if r.change is not None]
    ambiguous = [(c.start, c.end) for c in changes if "百分点" not in c.unit]
    for m in _PCT_CHANGE.finditer(text):
        a, b = m.start(1), m.end()
        if not any(x <= a < y for x, y in ambiguous) and not any(c.start <= a < c.end and "百分点" in c.unit
                                                                  for c in changes):
            ambiguous.append((a, b))
    spans = [evidence(text, a, b, "比率变化用了“%”，应为“个百分点”？") for a, b in sorted(set(ambiguous))]
    data = {"rate_changes": len(changes), "ambiguous": [s.quote for s in spans]}
    if spans:
        return _finding("indicators.change_unit", "warn",
                        f"{len(spans)} 处比率的变化用“%”表述，可能应为“个百分点”：{'；'.join(data['ambiguous'])}。",
                        spans, **data)
    if changes:
        return _finding("indicators.change_unit", "pass", f"{len(changes)} 处比率变化都以“个百分点”表述。",
                        [evidence(text, c.start, c.end, "个百分点") for c in changes], **data)
    return _finding("indicators.change_unit", "unknown", "未见比率的同比变化。", **data)
