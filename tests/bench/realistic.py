"""Realistic season generator for the benches: distinct annual reports of real length, layout and unit variety.

API (stable; other benches import it):
    generate_reports(n, seed=0) -> list[tuple[str, bytes]]    # (file name, file bytes), deterministic
    generate_texts(n, seed=0) -> list[tuple[str, str]]        # (file name, text) before encoding
    write_reports(folder, n, seed=0) -> list[Path]            # the same files on disk
    build_library(path, n, reviewers=3, seed=0, rounds=2)     # see realistic_library.py

Every report is written from a grammar of sentences with varied vocabulary and figures, in the layouts real
reports use (一、/（一）/1．/一是, 【】 chapters, 第一部分, combined problems-and-plans chapters, closing plans
without a plans chapter, portal headers and metadata blocks, the body printed twice, ASCII or full-width
punctuation), 3–13k characters, some GB18030-encoded. Units (省/市/县/区 governments and departments) report
for consecutive years and take up their earlier plans, so cross-year comparisons have pairs. Never the sample.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

CN = "一二三四五六七八九十"


def cn_num(k: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十 (item numbers as printed)."""
    if k <= 10:
        return CN[k - 1]
    tens, ones = divmod(k, 10)
    return (CN[tens - 1] if tens > 1 else "") + "十" + (CN[ones - 1] if ones else "")
PLACE = ("安宁平江临清永丰长兴德化泰和新昌东阳西华南宫北川云溪河源石龙青城高明金瑞宝山岳阳桂林柳河沙湾"
         "松原白水青田嘉禾盛泽通远广济崇仁乐平万载靖安宜川富顺华容汉阴洛南双流海门")
DEPTS = ("司法局", "公安局", "市场监督管理局", "生态环境局", "教育局", "卫生健康委员会", "应急管理局",
         "自然资源和规划局", "交通运输局", "住房和城乡建设局", "人力资源和社会保障局", "民政局", "财政局",
         "农业农村局", "文化广电旅游局", "税务局", "城市管理局", "水利局")
AREAS = ("行政执法", "行政复议", "合法性审查", "法治化营商环境", "政务公开", "普法宣传", "基层依法治理",
         "矛盾纠纷多元化解", "数字法治政府", "重大行政决策", "行政规范性文件管理", "公共法律服务",
         "安全生产监管", "生态环境执法", "信用监管", "法治督察", "行政应诉", "涉外法治", "综合行政执法改革",
         "政务服务增值化改革", "包容审慎监管", "乡镇合法性审查", "行政执法监督", "法治人才队伍建设")
VERBS = ("深化", "推进", "健全", "完善", "强化", "优化", "落实", "加强", "创新", "规范", "提升", "统筹")
OBJECTS = ("工作机制", "制度体系", "改革", "平台建设", "责任清单", "试点工作", "能力建设", "协同机制", "标准化建设")
ENTITIES = ("市场主体", "行政执法人员", "村（社区）", "镇街", "部门", "企业", "律师事务所", "调解组织", "学校", "网格员")
DOCS = ("实施方案", "工作要点", "管理办法", "操作指引", "工作规则", "考核细则", "行动计划")
ACTIONS = ("办理", "审查", "受理", "调处", "备案", "清理", "评查", "化解", "公开", "答复")
THINGS = ("案件", "文件", "事项", "纠纷", "申请", "卷宗", "信息", "意见书")
MEASURE = ("件", "次", "场", "个", "项", "人次", "家", "条")
LEADERS = ("主要负责同志", "党组书记", "政府主要负责人", "局长", "区长", "县长", "市长")
MEETINGS = ("常务会议", "党组会议", "专题会议", "法治政府建设推进会", "理论学习中心组学习会")
SITES = ("门户网站", "政府网", "信息公开平台", "政务网")


@dataclass(frozen=True)
class Unit:
    name: str  # issuer as printed, e.g. 安宁市司法局
    short: str  # how it names itself in the text, e.g. 我局 / 安宁市
    level: str  # province | city | county | district | department


def _place(rng: random.Random) -> str:
    i = rng.randrange(0, len(PLACE) - 1)
    return PLACE[i] + PLACE[(i * 7 + rng.randrange(1, 9)) % len(PLACE)]


def make_units(count: int, seed: int) -> list[Unit]:
    """Distinct units of every level, each named once."""
    rng = random.Random(f"units-{seed}")
    seen: set[str] = set()
    out: list[Unit] = []
    while len(out) < count:
        kind = rng.choices(("province", "city", "county", "district", "department"), (1, 4, 4, 4, 8))[0]
        city = _place(rng)
        if kind == "province":
            unit = Unit(f"{city}省人民政府", f"{city}省", kind)
        elif kind == "city":
            unit = Unit(f"{city}市人民政府", f"{city}市", kind)
        elif kind == "county":
            county = _place(rng)
            unit = Unit(f"{city}市{county}县人民政府" if rng.random() < 0.5 else f"{county}县人民政府",
                        f"{county}县", kind)
        elif kind == "district":
            district = _place(rng)
            unit = Unit(f"{city}市{district}区人民政府", f"{district}区", kind)
        else:
            dept = rng.choice(DEPTS)
            where = city + rng.choice(("市", "市", "县", "区"))
            unit = Unit(f"{where}{dept}", "我局" if dept.endswith("局") else "我委", kind)
        if unit.name not in seen:
            seen.add(unit.name)
            out.append(unit)
    return out


def season_plan(n: int, seed: int) -> list[tuple[Unit, int]]:
    """(unit, report year) for n reports: most units report for 1–4 consecutive years."""
    rng = random.Random(f"season-{seed}")
    units = make_units(n, seed)
    out: list[tuple[Unit, int]] = []
    for unit in units:
        span = rng.choices((1, 2, 3, 4), (3, 4, 2, 1))[0]
        first = rng.randint(2019, 2025 - span + 1)
        for year in range(first, first + span):
            out.append((unit, year))
            if len(out) == n:
                return out
    return out


class _Writer:
    """Sentences of one report: its own random stream, unit, years and punctuation."""

    def __init__(self, rng: random.Random, unit: Unit, year: int):
        self.rng, self.unit, self.year = rng, unit, year

    def pick(self, seq):
        return self.rng.choice(seq)

    def n(self, lo=3, hi=900) -> int:
        return self.rng.randint(lo, hi)

    def pct(self) -> str:
        return self.pick(("100", f"{self.rng.randint(80, 99)}.{self.rng.randint(1, 9)}", str(self.rng.randint(60, 99))))

    def lead(self, area=None) -> str:
        return f"{self.pick(VERBS)}{area or self.pick(AREAS)}{self.pick(OBJECTS)}"

    def prose(self) -> str:
        """A clause without figures: most of a real report's words."""
        area, r = self.pick(AREAS), self.rng.random()
        if r < 0.3:
            return (f"{self.pick(('聚焦', '围绕', '紧盯'))}{area}中的{self.pick(('堵点难点', '突出问题', '薄弱环节'))}，"
                    f"{self.pick(VERBS)}{self.pick(('部门协作', '上下联动', '源头治理', '全过程监督'))}")
        if r < 0.55:
            return (f"{self.pick(('推动', '指导', '督促'))}{self.pick(ENTITIES)}{self.pick(VERBS)}{area}"
                    f"{self.pick(OBJECTS)}，{self.pick(('做到应审尽审', '实现全流程留痕', '确保依法规范', '切实提高质效'))}")
        if r < 0.8:
            return (f"将{area}纳入{self.pick(('年度考核', '督察清单', '重点任务', '党委理论学习'))}，"
                    f"{self.pick(('压实', '明确', '细化'))}{self.pick(('主体责任', '工作责任', '任务分工'))}")
        return (f"{self.pick(('在全市率先', '首次', '创新'))}{self.pick(('探索', '建立', '推行'))}{area}"
                f"{self.pick(('“一件事”改革', '联席会议制度', '数字化场景', '首违不罚清单'))}")

    def fact(self) -> str:
        if self.rng.random() < 0.55:
            return self.prose()
        r, area = self.rng.random(), self.pick(AREAS)
        if r < 0.18:
            return (f"全年{self.pick(ACTIONS)}{area}{self.pick(THINGS)}{self.n()}{self.pick(('件', '项', '条'))}，"
                    f"同比{self.pick(('增长', '下降', '上升'))}{self.rng.randint(2, 60)}.{self.rng.randint(0, 9)}%")
        if r < 0.32:
            return (f"组织开展{area}专项行动{self.n(2, 40)}次，覆盖{self.pick(ENTITIES)}{self.n(10, 3000)}"
                    f"{self.pick(('家', '个'))}")
        if r < 0.44:
            return f"{self.pick(ENTITIES)}{self.pick(('参与率', '覆盖率', '办结率', '满意率'))}达{self.pct()}%"
        if r < 0.56:
            return f"出台《{self.unit.short.strip('我')}{area}{self.pick(DOCS)}》等制度文件{self.n(2, 30)}件"
        if r < 0.66:
            return f"培训{self.pick(ENTITIES)}{self.n(50, 9000)}人次，{self.pick(('考试', '考核'))}通过率{self.pct()}%"
        if r < 0.76:
            money = f"{self.rng.randint(1, 999)}.{self.rng.randint(1, 99)}{self.pick(('万元', '亿元'))}"
            return f"为{self.pick(ENTITIES)}挽回损失{money}，惠及{self.n(10, 5000)}{self.pick(('家', '人'))}"
        if r < 0.86:
            return f"建成{area}{self.pick(('服务站', '联系点', '工作室', '中心'))}{self.n(2, 120)}个"
        return (f"{self.pick(('坚持', '注重', '着力'))}{self.lead(area)}，{self.pick(('形成', '构建', '打造'))}"
                f"{self.pick(('闭环管理', '常态长效', '上下联动', '多跨协同'))}的工作格局")

    def paragraph(self, k: int) -> str:
        return "，".join(self.fact() for _ in range(k)) + "。"

    def problem(self) -> str:
        area = self.pick(AREAS)
        return (f"{area}{self.pick(('工作', '能力', '机制'))}有待进一步{self.pick(('加强', '提升', '完善', '健全'))}。"
                f"部分{self.pick(ENTITIES)}{self.pick(('对', '在'))}{self.pick(AREAS)}方面"
                f"{self.pick(('认识不足', '力量薄弱', '衔接不够', '标准不一'))}，"
                f"{self.pick(('主要原因是', '究其原因，'))}{self.pick(('人员配备不足', '制度供给滞后', '数字化手段不多', '考核导向不够明确'))}。")

    def duty(self) -> str:
        return (f"{self.pick(LEADERS)}主持召开{self.pick(MEETINGS)}{self.n(2, 30)}次，研究{self.pick(AREAS)}议题"
                f"{self.n(2, 40)}项，{self.pick(('带头讲法', '专题述法', '批示督办'))}{self.n(1, 12)}次。")

    def plan_body(self) -> str:
        parts = [f"{self.pick(('持续', '进一步', '全面', '着力'))}{self.lead()}",
                 f"{self.pick(('力争', '确保', '推动'))}{self.pick(AREAS)}{self.pick(('覆盖率达到', '办结率保持'))}{self.pct()}%"]
        if self.rng.random() < 0.5:
            parts.append(f"年内完成{self.pick(AREAS)}{self.pick(DOCS)}{self.n(1, 9)}{self.pick(('件', '项'))}")
        return "，".join(parts) + "。"


@dataclass(frozen=True)
class Layout:
    chapters: str  # num | bracket | part
    items: str  # paren_inline | paren_line | arabic | yishi | plain
    structure: str  # standard | duty_first | combined | closing | no_plans | extra
    header: str  # portal | bullets | pipe | bracket | title
    twice: bool
    ascii_punct: bool
    encoding: str  # utf-8 | gb18030


def choose_layout(rng: random.Random) -> Layout:
    return Layout(
        chapters=rng.choices(("num", "bracket", "part"), (8, 1, 1))[0],
        items=rng.choices(("paren_inline", "paren_line", "arabic", "yishi", "plain"), (5, 2, 2, 2, 1))[0],
        structure=rng.choices(("standard", "duty_first", "combined", "closing", "no_plans", "extra"),
                              (10, 1, 2, 2, 1, 1))[0],
        header=rng.choice(("portal", "bullets", "pipe", "bracket", "title")),
        twice=rng.random() < 0.1, ascii_punct=rng.random() < 0.3,
        encoding="gb18030" if rng.random() < 0.15 else "utf-8")


def _chapter_title(layout: Layout, k: int, title: str) -> str:
    if layout.chapters == "bracket":
        return f"【{title}】"
    if layout.chapters == "part":
        return f"第{cn_num(k + 1)}部分 {title}"
    return f"{cn_num(k + 1)}、{title}"


def _items(w: _Writer, layout: Layout, entries: list[tuple[str, str]]) -> list[str]:
    """Level-2 items (lead, body) in the report's numbering style; paragraphs joined later by blank lines."""
    out = []
    if layout.items == "yishi":
        for start in range(0, len(entries), 3):
            chunk = entries[start:start + 3]
            out.append("".join(f"{cn_num(j + 1)}是{lead}。{body}" for j, (lead, body) in enumerate(chunk)))
        return out
    for j, (lead, body) in enumerate(entries):
        if layout.items == "paren_inline":
            out.append(f"（{cn_num(j + 1)}）{lead}。{body}")
        elif layout.items == "paren_line":
            out += [f"（{cn_num(j + 1)}）{lead}", body]
        elif layout.items == "arabic":
            out.append(f"{j + 1}．{lead}。{body}")
        else:
            out.append(f"{lead}。{body}")
    return out


def _work_items(w: _Writer, layout: Layout, entries: list[tuple[str, list[str]]]) -> list[str]:
    """The work chapter: level-2 items, each with one or more paragraphs (numbered 1．2． under （一） in some)."""
    if layout.items == "yishi":
        return _items(w, layout, [(lead, "".join(bodies)) for lead, bodies in entries])
    out = []
    for j, (lead, bodies) in enumerate(entries):
        first = _items(w, layout, [(lead, bodies[0])])
        if layout.items in ("paren_inline", "paren_line"):
            first[0] = first[0].replace("（一）", f"（{cn_num(j + 1)}）", 1)
        elif layout.items == "arabic":
            first[0] = f"{j + 1}．" + first[0].split("．", 1)[1]
        out += first
        numbered = layout.items == "paren_line" and w.rng.random() < 0.5
        out += [f"{k + 2}．{b}" if numbered else b for k, b in enumerate(bodies[1:])]
    return out


def _header(w: _Writer, layout: Layout, title: str) -> list[str]:
    pub = f"{w.year + 1}-0{w.rng.randint(1, 3)}-{w.rng.randint(10, 28)}"
    code = f"{w.unit.short[:2]}{w.pick(('政发', '司发', '办发', '政办'))}〔{w.year + 1}〕{w.n(1, 60)}号"
    index = f"{w.n(100000000, 999999999):09d}/{w.year + 1}-{w.n(1, 99999):05d}"
    if layout.header == "portal":
        return [title, f"时间: {pub} {w.n(8, 17)}: {w.n(10, 59)}       来源: {w.unit.name}{w.pick(SITES)}        浏览次数:"]
    if layout.header == "bullets":
        return ["法治政府建设年度报告", title, "  • 信息索引号:", f"  • {index}", "  • 文件编号:", f"  • {code}",
                "  • 发布时间:", f"  • {pub}"]
    if layout.header == "pipe":
        return [f"| 索引号 | {index} | 发文字号 | {code} |", f"| 成文日期 | {pub} | 标题 | {title} |", "", title]
    if layout.header == "bracket":
        return [f"[ 索引号 ] {index}", f"[ 发文字号 ] {code}", f"[ 发布日期 ] {pub}", "", title, f"发布时间：{pub}"]
    return [title]


def _titles(w: _Writer) -> dict[str, str]:
    y, p = w.year, w.year + 1
    return {
        "work": w.pick(("主要举措和成效", f"{y}年推进法治政府建设的主要举措和成效", f"{y}年法治政府建设主要工作及成效",
                        "法治政府建设工作开展情况")),
        "problems": w.pick(("存在的不足和原因", "存在的问题和不足", "存在的主要问题及原因")),
        "duty": w.pick(("党政主要负责人履行推进法治建设第一责任人职责情况",
                        "主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况")),
        "plans": w.pick((f"{p}年推进法治政府建设的主要安排", "下一步工作计划", f"{p}年工作打算")),
        "combined": w.pick(("存在的问题及下一步工作打算", "存在的不足和下一年度工作安排")),
        "extra": w.pick(("其他需要报告的事项", "法治政府建设示范创建情况")),
    }


def _body(w: _Writer, layout: Layout, target: int, earlier: list[str]) -> tuple[list[str], list[str]]:
    """The report's paragraphs (chapter titles included) and the leads of its plans (for the next year)."""
    t, s = _titles(w), layout.structure
    plan_leads = [w.lead() for _ in range(w.rng.randint(3, 8))]
    plans = [(lead, w.plan_body()) for lead in plan_leads]
    problems = [(f"{w.pick(AREAS)}{w.pick(('有待加强', '仍有短板', '需要提升'))}", w.problem())
                for _ in range(w.rng.randint(2, 4))]
    duty = [w.duty() for _ in range(w.rng.randint(1, 3))]
    chapters: list[tuple[str, list[str]]] = []
    if s == "duty_first":
        chapters.append((t["duty"], duty))
    work: list[str] = []
    chapters.append((t["work"], work))
    if s == "combined":
        chapters.append((t["combined"], _items(w, layout, problems + plans)))
    else:
        chapters.append((t["problems"], _items(w, layout, problems)))
    if s != "duty_first":
        chapters.append((t["duty"], duty))
    if s == "extra":
        chapters.append((t["extra"], [w.paragraph(3)]))
    if s in ("standard", "duty_first", "extra"):
        chapters.append((t["plans"], _items(w, layout, plans)))
    tail = []
    if s == "closing":
        tail = [f"下一步，{w.unit.short}将" + "；".join(body.rstrip("。") for _, body in plans) + "。"]
    if s == "no_plans":
        plan_leads = []
    intro = (f"{w.year}年，{w.unit.short.replace('我', '')}坚持以习近平新时代中国特色社会主义思想为指导，"
             f"深入学习贯彻习近平法治思想，{w.paragraph(2)}现将有关情况报告如下：")
    size = len(intro) + sum(len(x) for _, ps in chapters for x in ps) + sum(len(x) for x in tail)
    leads = list(earlier[: w.rng.randint(1, max(1, len(earlier)))]) if earlier else []
    groups = w.rng.randint(3, 8)
    entries: list[tuple[str, list[str]]] = [(leads.pop(0) if leads else w.lead(), []) for _ in range(groups)]
    j = 0
    while size < target or j < groups:
        body = w.paragraph(w.rng.randint(2, 5))
        entries[j % groups][1].append(body)
        size += len(body) + 2
        j += 1
    work += _work_items(w, layout, entries)
    out = [intro]
    for k, (title, paras) in enumerate(chapters):
        out += ["", _chapter_title(layout, k, title), ""]
        out += [x for p in paras for x in (p, "")]
    out += tail
    return out, plan_leads


def _render(w: _Writer, layout: Layout, body: list[str]) -> str:
    title = f"{w.unit.name}关于{w.year}年法治政府建设情况的报告" if w.rng.random() < 0.5 else \
        f"{w.unit.name}{w.year}年法治政府建设年度报告"
    lines = _header(w, layout, title) + [""] + body
    footer = ["", "【打印】  【关闭】", "", f"{w.unit.name}", f"{w.year + 1}年{w.rng.randint(1, 3)}月{w.rng.randint(1, 28)}日"]
    lines += footer
    if layout.twice:  # portals that print the article and then its printable copy
        lines += ["", title, ""] + body
    text = "\n".join(lines) + "\n"
    if layout.ascii_punct:
        text = text.replace("，", ",").replace("（", "(").replace("）", ")").replace("：", ":")
    return text


def generate_texts(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """n distinct reports as (file name, text); the same n and seed give the same reports."""
    out, last_plans = [], {}
    for i, (unit, year) in enumerate(season_plan(n, seed)):
        rng = random.Random(f"report-{seed}-{i}")
        w, layout = _Writer(rng, unit, year), choose_layout(rng)
        target = int(rng.triangular(3000, 13000, 5500)) // (2 if layout.twice else 1)
        body, plans = _body(w, layout, target, last_plans.get(unit.name, []))
        last_plans[unit.name] = plans
        out.append((f"{unit.name}{year}年法治政府建设年度报告.txt", _render(w, layout, body)))
    return out


def generate_reports(n: int, seed: int = 0) -> list[tuple[str, bytes]]:
    """n distinct report files as (file name, bytes): UTF-8 or GB18030 as the report's layout says."""
    out = []
    for i, (name, text) in enumerate(generate_texts(n, seed)):
        layout = choose_layout(random.Random(f"report-{seed}-{i}"))
        out.append((name, text.encode(layout.encoding)))
    return out


def write_reports(folder, n: int, seed: int = 0) -> list[Path]:
    """The generated reports written as files into `folder` (created if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in generate_reports(n, seed):
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def build_library(path, n: int, reviewers: int = 3, seed: int = 0, rounds: int = 2):
    """A library of n generated reports with annotations, scores, 牵头单位 and ledger rounds (realistic_library)."""
    from realistic_library import build_library as build

    return build(path, n, reviewers=reviewers, seed=seed, rounds=rounds)


_NAIVE = None


def naive_read(data: bytes) -> tuple[int, int, int]:
    """The reference every reader figure is measured against: what a naive one-pass regex reader does —
    decode (UTF-8, else GB18030), fold full-width punctuation, then line by line: strip, tell chapter /
    sub-heading / item lines apart with one regex each, and take each figure with its unit and a window of
    context. Returns (chapters, items, figures)."""
    import re

    global _NAIVE
    if _NAIVE is None:
        _NAIVE = (re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|【)"),
                  re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+[．.、]|[一二三四五六七八九十]+是)"),
                  re.compile(r"(?:近|约|超过|超)?\d+(?:\.\d+)?(?:万|亿)?(?:余|多)?"
                             r"(?:件|个|项|次|人次|人|家|条|场|%|万元|亿元|元|天|年)(?:以上|左右)?"),
                  str.maketrans("，（）：；", ",():;"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    chapter, item, figure, table = _NAIVE
    chapters = items = figures = 0
    for line in text.translate(table).splitlines():
        line = line.strip()
        if not line:
            continue
        if chapter.match(line):
            chapters += 1
        elif item.match(line):
            items += 1
        for m in figure.finditer(line):
            figures += 1
            _ = (m.group(), line[max(0, m.start() - 30):m.end() + 30])
    return chapters, items, figures
