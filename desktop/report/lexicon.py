"""The reader's and the matcher's vocabulary in one place: numerals, item markers, measure words, bodies and places,
chapter words, synonyms and generic words, and the one character-bigram cut.

Plain Python tables (no TOML): most entries are pieces of regular expressions that the modules compose with
f-strings, several tables are ordered (the order of an alternation decides what it matches), and a module is
loaded once by import at no cost, type-checked and found by grep. tests/test_lexicon.py checks the tables
themselves: no duplicate inside a group, no word in two roles unless BOTH_ROLES declares it, synonyms that keep
offsets, every group non-empty, every pattern compiles.

Adding a word is a one-line change here plus its case in tests/test_lexicon.py (resources/maintainer.md).
"""
from __future__ import annotations

from typing import Iterable, Iterator

# ---- Numerals -------------------------------------------------------------------------------------------------
CN_DIGITS = "一二三四五六七八九"  # 1..9
CN_ORDINALS = CN_DIGITS + "十"  # what numbers a heading, an item or a date's month and day: 一、 （十） 十二月
CN_ZEROS = "〇零○"  # 〇 and 零, and ○ (a circle typed for 〇)
YEAR_DIGITS = CN_ZEROS + CN_DIGITS  # a year written digit by digit: 二〇二四 (maps onto YEAR_DIGIT_VALUES)
YEAR_DIGIT_VALUES = "000123456789"  # str.maketrans(YEAR_DIGITS, YEAR_DIGIT_VALUES) reads 二〇二四 as 2024
NUMERAL_VALUES = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                  "七": 7, "八": 8, "九": 9}
NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_BIG = {"万": 10_000, "亿": 100_000_000}
# Every character of a number in words (三千二百零五, 两万), as numbers.cn_to_number reads it.
NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万亿"
# A count in words in running text (the figure finder): no 万/亿, which it reads as a multiplier after the number.
COUNT_CHARS = "零〇○一二两三四五六七八九十百千"
COUNT_FIRST = "一二两三四五六七八九十"  # what a count in words starts with (never 零 nor 百)
# A percentage in words after 百分之 (百分之九十五点五).
PERCENT_CHARS = "零〇一二两三四五六七八九十百点"

# ---- Item markers (pieces of patterns) -----------------------------------------------------------------------
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# After the dot of an Arabic item number (1. 1、 1．): no digit follows (1.5 is a number), unless a year does
# ('1．2025年底前…').
ARABIC_DOT_END = r"(?:(?!\d)|(?=\d{4}年))"
ARABIC_ITEM = rf"\d{{1,2}}[.、．]{ARABIC_DOT_END}"  # 1. 2、 3．
CN_ITEM = rf"[{CN_ORDINALS}]{{1,3}}、"  # 一、
PAREN_ITEM = rf"[（(][{CN_ORDINALS}\d]{{1,3}}[)）]"  # （一） (2) （3）
LEAD_ITEM = rf"[{CN_ORDINALS}]是"  # 一是 二是
PART_HEAD = rf"第[{CN_ORDINALS}]+(?:部分|章)"  # 第一部分 第二章
PART_HEAD_SHORT = rf"第[{CN_ORDINALS}]+[部章]"  # the same, matched by its first character after the number
# A paragraph that opens with a number (a heading the outline may refuse): 一、 （二） 3. 第一部分.
NUMBERED_OPENING = rf"(?:[（(]?[{CN_ORDINALS}\d]{{1,3}}[)）、.．]|{PART_HEAD})"

# ---- Dates (pieces of patterns) ------------------------------------------------------------------------------
YEAR_NUMBER = rf"(?:\d{{4}}|[{YEAR_DIGITS}]{{4}})"  # 2024 or 二〇二四, before 年
MONTH_DAY_NUMBER = rf"[\d{CN_ORDINALS}]{{1,3}}"  # 3 or 三 or 十二, before 月 or 日

# ---- Measure words -------------------------------------------------------------------------------------------
# The reader's units of a figure (sorted longest first where they are joined into a pattern). A measure word is
# normalised: 万人次 is 人次 with the value scaled.
MEASURE_WORDS = ("个百分点", "百分点", "人次", "户次", "件次", "场次", "批次", "个工作日", "工作日", "平方公里", "平方米",
                 "公里", "千米", "小时", "元", "%", "件", "本", "名", "家", "个", "人", "项", "次", "条", "场", "期", "篇",
                 "部", "所", "批", "份", "户", "宗", "起", "类", "座", "处", "台", "套", "支", "位", "门", "间", "辆",
                 "张", "笔", "册", "卷", "天", "倍", "期次", "课时", "学时", "村", "盏", "块", "吨", "亩", "单", "轮")
# A measure word read as another (个百分点 is 百分点).
UNIT_ALIASES = {"个百分点": "百分点", "个工作日": "工作日"}
# Matched so that the number is consumed, then dropped: periods and dates are never indicators.
PERIOD_WORDS = ("个月", "周年", "年度", "年", "月", "日", "周", "岁", "号", "届", "季度", "世纪", "点", "时", "分")
# The checks' counting units after a number (review/text.figures), in the order of its alternation.
CHECK_MEASURES = ("件", "个", "家", "人次", "人", "名", "次", "场", "期", "项", "篇", "本", "条", "所", "部", "份", "批",
                  "户", "元", "万元", "亿元", "小时", "天", "日")
# The measure words of a plan's target (followup/targets): a target and the later figure share one of these.
TARGET_MEASURES = ("%", "个百分点", "万人次", "人次", "场次", "家次", "户次", "件次", "学时", "课时", "小时", "万件", "万元",
                   "件", "个", "家", "次", "场", "项", "名", "人", "所", "期", "篇", "部", "卷", "批", "户", "天", "日", "座")
# The compound measures the two lists above may add to MEASURE_WORDS: a multiplier (万 亿) written before the unit,
# or a unit the reader does not list (家次).
COMPOUND_MEASURES = ("万元", "亿元", "万人次", "万件", "家次")

# ---- Bodies and places ---------------------------------------------------------------------------------------
# A government or its office, longest first (某县人民政府办公室 before 某县人民政府).
GOVERNMENT_SUFFIXES = ("人民政府办公室", "人民政府办公厅", "人民政府", "政府办公室")
# The end of an issuing body's name, longest first where they share an end (metadata: 某市人民政府办公室).
BODY_SUFFIXES = GOVERNMENT_SUFFIXES + (
    "办公室", "办公厅", "委员会", "司法局", "公安局", "市场监督管理局", "市场监管局", "管理局", "总局", "街道办事处", "办事处",
    "局", "厅", "委", "办", "部", "署", "院", "中心")
# The same for a line that is only a body's name (a title's first line, a sign-off): short forms suffice there.
BODY_LINE_SUFFIXES = ("政府", "办公室", "办公厅", "委员会", "办事处", "局", "厅", "委", "办", "部", "署", "院", "中心")
# Administrative levels that end a place name, for a title's place (安徽省, 某某自治区, 某某旗)…
PLACE_SUFFIXES = ("省", "自治区", "市", "州", "盟", "区", "县", "旗")
# … and the smaller ones a place may also end in (a township's report: 某某镇, 某某街道).
TOWN_SUFFIXES = ("乡", "镇", "街道")
# One-character levels written bare in a list or a scope (省、市两级; 对6个县（区）开展督察; 乡镇村).
LEVEL_CHARS = "省市县区乡镇村"
# A level at the start of a body's name that stands for the place left out (市公安局 -> 宜春市公安局).
BARE_LEVEL_CHARS = "市区县省州"
# The place in an issuer's name the matcher blanks (杭州市司法局 -> 杭州市, 杭州).
ISSUER_PLACE_SUFFIXES = ("省", "市", "县", "区", "州", "旗")


def alternation(words: Iterable[str]) -> str:
    """'a|b|c' for a regex, in the table's own order (an alternation tries its words in order)."""
    return "|".join(words)


# ---- Chapter vocabulary --------------------------------------------------------------------------------------
# A chapter heading in the usual words, run straight into its body in a run-on text (headings.CHAPTER_NAMED);
# longer wording first where two share a start.
CHAPTER_NAMES = ("主要举措和成效", "主要做法和成效", "主要工作及成效", "主要工作和成效", "主要工作情况", "工作开展情况",
                 "工作推进情况",
                 "存在的问题和不足", "存在的不足和原因", "存在的问题和原因", "存在的问题及原因", "存在的问题", "存在的不足",
                 "存在问题", "存在不足",
                 "下一步工作安排", "下一步工作计划", "下一步工作打算", "下一步工作思路", "下一步工作", "下一步打算", "下一步计划",
                 "工作计划", "工作安排", "工作打算", "主要安排", "其他需要报告的情况")
# The part of a report a heading names, tried in this order (outline.title_meaning): each role's words are
# regex pieces (a few hold a gap such as 存在.{0,6}问题).
CHAPTER_ROLES = (
    ("first_responsible", ("第一责任人", "主要负责人履行", "主要负责同志履行", "履行推进法治建设", "主要领导.{0,6}履[行职]")),
    ("problems", ("不足", "差距", "短板", "薄弱环节", "存在.{0,6}(?:问题|困难)", "问题(?:和|及|与)原因", "困难和问题")),
    ("other", ("其他需要报告", "其它需要报告", "其他事项", "其他情况", "需要说明的")),
    ("plans", ("安排", "打算", "下一步", "下步", "工作计划", "工作思路", "展望", "明年", "下一年", "努力方向", "工作重点",
               "工作设想", "工作要点")),
    ("achievements", ("举措", "成效", "做法", "主要工作", "工作情况", "成绩", "进展", "亮点", "开展情况", "推进情况", "总结")),
)
# Headings inside a plan chapter that frame the plan, not tasks of it (总体要求, 保障措施…).
PLAN_FRAME_HEADINGS = ("总体要求", "指导思想", "基本原则", "工作原则", "主要目标", "工作目标", "总体目标", "保障措施", "组织保障",
                       "工作要求", "组织领导", "实施步骤", "工作步骤", "编制说明", "适用范围")

# ---- The matcher's words (desktop/followup) ------------------------------------------------------------------
# Ways reports word the same act; each group is mapped onto its first member in place, so every member has the
# length of the first (the replacement keeps offsets: followup/text.synonymised, targets.targets).
SYNONYMS = (
    ("出台", "印发", "发布", "制定", "颁布", "制发", "修订", "编制"),
    ("建立", "建成", "构建", "搭建", "组建", "设立", "成立", "创建", "新建", "开设", "开辟", "上线", "新设"),
    ("推行", "实施", "实行", "施行", "推广", "执行"),
    ("聘请", "聘任", "选聘", "招募", "聘用"),
    ("举办", "举行", "召开"),
    ("清理", "清查"),
    ("培训", "轮训", "参训", "集训"),
    ("公布", "公开", "公示"),
    ("下降", "减少", "降低"),
    ("监测", "监控"),
    ("检查", "巡查", "核查"),
    ("评估", "评价", "测评"),
    ("宣传", "宣讲"),
    ("考核", "考评"),
    ("汇编", "编印", "编纂"),
    ("审查", "审核"),
    ("督察", "督查"),
    ("投诉", "举报"),
    ("网上", "线上", "网络"),
    ("纠纷", "争端", "争议", "矛盾"),
    ("化解", "解纷", "调处"),
    ("下放", "赋权", "赋予"),
)
# Words every task uses: they say nothing about which task a passage reports on, blanked after the synonyms are
# swapped (so a word here never holds a synonym's word: 实施方案 would be read as 推行方案 and never be found).
GENERIC = (
    "进一步", "全方位", "常态化", "规范化", "制度化", "体系化", "高质量", "高水平",
    "推进", "推动", "深化", "加强", "强化", "健全", "完善", "优化", "提升", "提高", "促进", "落实", "贯彻",
    "持续", "不断", "全面", "积极", "切实", "扎实", "有效", "着力", "大力", "深入", "稳步", "加快", "努力",
    "工作", "法治", "政府", "建设", "依法", "全市", "全县", "全区", "全省", "我市", "我县", "我区", "本市",
    "市级", "县级", "区级", "各级", "机制", "体系", "制度", "水平", "能力", "质效", "质量", "作用", "成效",
    "举措", "活动", "群众", "各类", "相关", "有关", "开展", "组织", "围绕", "聚焦", "坚持", "发挥", "实现",
    "目标", "改革", "年度", "方面", "领域", "重点", "主要", "统筹", "迭代", "升级", "及时", "进行", "做好",
    "力争", "确保", "保持", "达到", "不少于", "以上", "以下", "左右", "并", "和", "及", "与", "等", "的",
    "紧抓", "紧盯", "紧扣", "抓住", "攻坚", "全域", "相互", "有机", "融合", "衔接", "协同", "一体",
    "行政机关", "有关部门", "各部门", "向社会",
    "工作方案", "方案", "办法", "细则", "全覆盖",
)
# Government wording that says the same matter in phrases of different lengths (首违不罚 / 不予行政处罚); matched
# as concepts on the folded text, never swapped. Members are regular expressions (a few carry a look-ahead).
CONCEPTS: tuple[tuple[str, ...], ...] = (
    # no penalty for a first, minor offence
    ("首违不罚", "首违免罚", "轻微违法不罚", "轻微免罚", "免罚清单", "不予行政处罚", "不予处罚", "从轻减轻",
     "包容审慎"),
    # the Party committee or government deliberating rule-of-law work
    ("听取(?=[^，。；]{0,16}汇报)", "汇报", "专题研究", "研究部署", "专题会议", "研究法治", "审议法治"),
    # checking a document or decision for legality
    ("合法性审查", "合法性审核", "法制审核", "合法性把关"),
    # services done on line
    ("一网通办", "全程网办", "网上办理", "网上可办", "掌上办", "一网办", "网办率", "全流程网办"),
    # publicity and teaching of the law
    ("普法", "法治宣传", "法治宣讲", "法律宣传", "送法"),
    # officials reporting on their own rule-of-law duties
    ("述法", "述职述法", "年终述法"),
    # discretion standards in penalties
    ("裁量基准", "裁量权基准", "裁量标准", "自由裁量"),
    # random inspections
    ("双随机", "随机抽查", "随机抽取"),
    # enforcement without going on site
    ("非现场执法", "非现场监管", "远程监管", "在线监测", "在线监控", "远程监控", "智能监控", "远程执法", "非现场"),
    # a clean-up of documents, reported by what it repealed or changed
    ("清理", "废止", "宣布失效", "失效"),
    # fewer certificates demanded of citizens
    ("无证明", "减证", "免证", "取消证明", "免于提交证明"),
    # the three enforcement systems
    ("三项制度", "执法公示", "全过程记录", "法制审核制度"),
    # skills contests of enforcement staff
    ("大练兵", "大比武", "练兵比武", "岗位练兵", "技能竞赛"),
    # legislation plans and projects
    ("立法计划", "立法项目", "审议项目", "立法审议", "调研项目"),
    # document kinds: a 规定 promised may be issued as an 办法 or 细则
    ("规定", "办法", "细则", "指引", "规程", "标准(?!化)", "准则", "导则", "指南"),
    # the evaluation of rule-of-law work
    ("考核", "考评", "评估", "测评"),
    # filing documents for review
    ("备案审查", "报备", "备案"),
    # enforcement certificates
    ("执法证", "执法资格", "执法证件"),
    # demonstration sites
    ("示范创建", "示范市", "示范县", "示范区", "示范项目", "示范单位", "示范点"),
    # must-know law for officials
    ("应知应会", "学法清单"),
    # major administrative decisions
    ("重大行政决策", "重大决策"),
    # open government
    ("政务公开", "信息公开"),
    # a campaign on one matter
    ("专项整治", "专项行动", "专项治理", "集中整治"),
    # names reports shorten
    ("法律援助", "法援"),
    ("综合行政执法", "综合执法"),
    ("人力资源和社会保障", "人社"),
    ("市场监督管理", "市场监管"),
    ("行政规范性文件", "规范性文件"),
    # supervision graded by credit
    ("分级分类", "信用等级", "差异化监管"),
    # one visit for several inspections
    ("综合查一次", "进一次门", "联合检查", "跨部门联合执法"),
    # one window for a citizen's matter
    ("一站式", "一窗受理", "一站化", "一站办"),
    # conflicts settled before they reach the courts
    ("诉源治理", "诉前调解", "诉调对接"),
)
# The checks' own generic words (review/text.bigrams, which problem answers which plan): function characters and
# the stock phrasing every problem and plan shares, cut out before the texts are compared.
CHECK_STOP_CHARS = "的和与及在对等为是了把将以中并向从其各全有要仍还未不"
CHECK_STOP_WORDS = ("有待", "进一步", "法治政府建设", "法治政府", "法治建设", "建设", "推进", "加强", "提升", "提高",
                    "增强", "深化", "健全", "完善", "持续", "不断", "全面", "优化", "强化", "工作", "机制", "水平",
                    "能力", "加快", "着力", "积极", "切实", "扎实", "存在", "问题", "不足", "以及")
# Words deliberately in two of the matcher's tables (SYNONYMS, GENERIC, CONCEPTS). A synonym is swapped in the text the bigrams are cut from, a
# concept is matched on the unswapped text, so a word may be both: the synonym joins 考评 to 考核 (and 测评 to
# 评估) character for character, the concept joins the two groups as one matter (考核 ~ 评估); 清理 is swapped
# with 清查 and, as a concept, also found as 废止/失效. 办法 and 细则 are blanked as generic words (every plan
# issues one: they never tell two tasks apart) and are still document kinds as a concept, so a task that
# promises a 规定 counts a sentence issuing an 办法 as the same kind of act (the task's own 办法 weighs nothing).
BOTH_ROLES = frozenset({"考核", "考评", "评估", "测评", "清理", "办法", "细则"})


# ---- The one character-bigram cut ----------------------------------------------------------------------------
def run_bigrams(runs: Iterable[str]) -> Iterator[str]:
    """The character bigrams inside each run, never across two runs: the cut the checks' similarity
    (review/text.bigrams) and the matcher's (followup/text.bigrams) both make, over CJK runs or over the text
    between blanks."""
    for run in runs:
        yield from map(str.__add__, run, run[1:])
