"""Corpus-style tests: one invented report per layout found on real report pages (units and wording are made up).

Each asserts what a reviewer relies on: the outline (chapter titles and roles), the metadata and the plans."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_text


def chapters(reading):
    return [(c.title, c.role) for c in reading.outline]


def tasks(reading):
    return [w for w in reading.work_items if w.kind == "plan_task"]


def assert_offsets(reading):
    text = reading.clean_text
    for sec in reading.sections():
        assert 0 <= sec.title_start <= sec.title_end <= sec.end <= len(text)
        assert text[sec.title_start:sec.title_end].strip() == sec.title
    for item in reading.work_items:
        assert text[item.start:item.end] == item.text


# A county report whose title is printed over two lines, with a sign-off at the end.
TWO_LINE_TITLE = """青禾县人民政府
关于2024年度法治政府建设情况的报告
市委、市政府：
2024年，青禾县坚持依法行政，扎实推进法治政府建设，各项工作取得新进展。现将有关情况报告如下。
一、主要举措和成效
（一）加强组织领导。县政府常务会议专题研究法治政府建设工作4次，制定年度工作要点。
（二）规范行政执法。全年开展执法案卷评查2次，评查案卷120卷。
二、存在的问题
基层执法力量仍然薄弱，部分干部法治意识有待提高。
三、2025年工作安排
（一）深化法治学习。组织领导干部旁听庭审。健全学法清单制度。
（二）强化执法监督。开展行政执法质量提升行动。
青禾县人民政府
2025年2月12日
"""


def test_title_over_two_lines_and_sign_off():
    r = read_text(TWO_LINE_TITLE)
    md = r.metadata
    assert md.title == "青禾县人民政府关于2024年度法治政府建设情况的报告"
    assert r.clean_text.startswith(md.title + "\n")
    assert md.issuer == "青禾县人民政府"
    assert (md.report_year, md.plan_year) == (2024, 2025)
    assert md.published == "2025-02-12"
    assert chapters(r) == [("主要举措和成效", "achievements"), ("存在的问题", "problems"), ("2025年工作安排", "plans")]
    assert [t.text for t in tasks(r)] == ["组织领导干部旁听庭审。", "健全学法清单制度。", "开展行政执法质量提升行动。"]
    assert not r.warnings or all("未能识别" not in w for w in r.warnings)
    assert_offsets(r)


# A mirror's advertisement glued before the title, the title glued to the body, the advert stamped again inside.
GLUED_TO_BANNER = ("范文仓库—每日更新www.fanwen-demo.com长汀市交通运输局2023年法治政府建设工作报告2023年，市交通运输局坚持依法行政，"
                   "推进交通运输领域法治建设取得实效。\n一、主要做法和成效\n（一）健全制度体系。全年审核规范性文件6件，"
                   "范文仓库—每日更新www.fanwen-demo.com清理文件12件。\n二、存在不足\n执法装备更新不够及时。\n"
                   "三、下一步工作打算\n（一）推进执法规范化。开展执法人员轮训。\n")


def test_title_glued_to_an_advertisement_and_to_the_body():
    r = read_text(GLUED_TO_BANNER)
    md = r.metadata
    assert md.title == "长汀市交通运输局2023年法治政府建设工作报告"
    assert md.issuer == "长汀市交通运输局"
    assert md.report_year == 2023 and md.plan_year == 2024
    assert "www." not in r.clean_text and "审核规范性文件6件，清理文件12件" in r.clean_text
    assert [role for _, role in chapters(r)] == ["achievements", "problems", "plans"]
    assert [t.text for t in tasks(r)] == ["开展执法人员轮训。"]
    assert_offsets(r)


# A saved page: a local path line, a breadcrumb, a key-value header above a separator, no title line in the body.
KEY_VALUE_HEADER = r"""D:\资料\2024\云岭区法治政府建设年度报告.docx
当前位置：首页 > 政务公开 > 法治政府建设
标题: 云岭区2023年度法治政府建设情况报告
发布时间: 2024-03-21
发布机构: 云岭区人民政府
文号: 云区府〔2024〕9号
------------------------------------------
2023年，云岭区深入学习贯彻习近平法治思想，全面推进依法行政，法治政府建设迈出新步伐。
一、推进法治政府建设的主要举措
（一）优化营商环境。新增经营主体2300户，办理涉企许可事项全部网上办理。
二、存在的不足和原因
部分部门合法性审查把关不够严格。
三、2024年主要安排
（一）提升复议质效。推动行政争议实质性化解。
"""


def test_key_value_header_gives_title_date_issuer_and_number():
    r = read_text(KEY_VALUE_HEADER)
    md = r.metadata
    assert md.title == "云岭区2023年度法治政府建设情况报告"
    assert md.published == "2024-03-21"
    assert md.issuer == "云岭区人民政府"
    assert md.doc_no == "云区府〔2024〕9号"
    assert (md.report_year, md.plan_year) == (2023, 2024)
    for noise in ("D:\\", "当前位置", "------", "标题"):
        assert noise not in r.clean_text
    assert [role for _, role in chapters(r)] == ["achievements", "problems", "plans"]
    assert_offsets(r)


# No title at all: the body opens with '现将…报告如下', the year is only in that sentence; the sign-off names
# issuer and date.
NO_TITLE = """根据《法治政府建设与责任落实督察工作规定》要求，现将市政府2023年度法治政府建设情况报告如下：
一、主要工作情况
（一）坚持党的领导。市政府党组专题学习习近平法治思想5次。
二、存在的问题
法治督察的刚性约束仍需加强。
三、下一步工作计划
（一）抓好法治督察。组织开展年度法治督察。
中共白溪市委 白溪市人民政府
2024年3月1日
"""


def test_no_title_year_from_the_opening_sentence_and_issuer_from_the_sign_off():
    r = read_text(NO_TITLE)
    md = r.metadata
    assert md.title is None
    assert "未能识别标题，请补充" in r.warnings
    assert md.report_year == 2023 and md.plan_year == 2024
    assert md.issuer == "中共白溪市委白溪市人民政府"
    assert md.published == "2024-03-01" and md.written == "2024-03-01"
    assert chapters(r)[0] == ("主要工作情况", "achievements")
    assert r.doc_kind == "annual_report"
    assert_offsets(r)


@pytest.mark.parametrize("first_chapter,year", [("一、2022年总体情况", 2022), ("一、2024年主要工作情况", 2024)])
def test_year_from_the_first_chapter(first_chapter, year):
    text = (f"今年以来，我局在上级部门的指导下，持续推进依法行政工作，法治建设各项任务有序推进。\n{first_chapter}\n"
            "（一）完善制度建设。制定内部管理制度3项。\n二、存在困难\n专业人员不足。\n三、下一步打算\n持续提升执法水平。\n")
    r = read_text(text)
    assert r.metadata.report_year == year
    assert r.metadata.plan_year == year + 1
    assert [role for _, role in chapters(r)] == ["achievements", "problems", "plans"]


# The whole body on one line, as some sites and crawlers deliver it.
RUN_ON = ("溪口县2024年法治政府建设年度报告\n"
          "2024年，溪口县全面推进法治政府建设，取得明显成效。现将有关情况报告如下：一、主要工作（一）加强组织领导一是成立领导小组，"
          "由县长任组长；二是建立工作台账，明确任务分工。（二）推进严格规范公正文明执法1.深化执法改革。整合执法队伍5支。"
          "2.规范执法行为。全面推行执法公示制度。二、存在问题 与此同时，基层执法人员专业能力还有差距。"
          "三、下一步工作（一）强化法治保障。健全重大决策合法性审查机制。完善行政复议案件审理机制。")


def test_run_on_body_finds_headings_inline():
    r = read_text(RUN_ON)
    assert chapters(r) == [("主要工作", "achievements"), ("存在问题", "problems"), ("下一步工作", "plans")]
    first = r.outline[0]
    assert [c.title for c in first.children] == ["加强组织领导", "推进严格规范公正文明执法"]
    assert all(not c.children or all(g.kind != "arabic" for g in c.children) for c in first.children)
    assert [t.text for t in tasks(r)] == ["健全重大决策合法性审查机制。", "完善行政复议案件审理机制。"]
    assert r.metadata.report_year == 2024 and r.metadata.plan_year == 2025
    assert r.metadata.issuer == "溪口县人民政府"  # a county's own report: the title names the county only
    assert_offsets(r)


# Plans without sub-headings: a chapter whose tasks run 一是…二是… in one sentence.
YISHI_PLANS = """石桥镇人民政府2023年法治政府建设情况报告
2023年，石桥镇坚持依法行政，法治政府建设稳步推进。
一、主要举措和成效
全年调解矛盾纠纷86件，调解成功率98%。
二、存在的不足
村级法律顾问作用发挥不充分。
三、2024年工作打算
下一步，我镇将重点做好以下工作：一是深化法治宣传，开展送法进村活动；二是规范执法程序，落实执法全过程记录；三是加强队伍建设，组织执法人员培训。
"""


def test_plans_as_yishi_list_in_one_sentence():
    r = read_text(YISHI_PLANS)
    assert chapters(r)[-1] == ("2024年工作打算", "plans")
    texts = [t.text for t in tasks(r)]
    assert len(texts) == 3
    assert texts[0].startswith("一是深化法治宣传") or texts[0].startswith("深化法治宣传")
    assert texts[2].rstrip("。").endswith("组织执法人员培训")
    assert r.metadata.plan_year == 2024
    assert_offsets(r)


# Plans as one closing paragraph without a heading.
CLOSING_PLANS = """清河区市场监督管理局2023年法治政府建设工作报告
2023年，我局认真贯彻落实区委、区政府部署，扎实推进市场监管领域法治建设。
一、主要工作及成效
（一）推进依法决策。重大行政决策全部经过合法性审查。
二、存在的问题
执法办案信息化水平不高。
下一步，我局将持续深化市场监管综合执法改革，推动执法办案全流程网上运行。同时加强执法人员法律培训，提升依法行政能力。
"""


def test_plans_as_a_closing_paragraph_without_heading():
    r = read_text(CLOSING_PLANS)
    assert [role for _, role in chapters(r)] == ["achievements", "problems"]
    texts = [t.text for t in tasks(r)]
    assert texts == ["下一步，我局将持续深化市场监管综合执法改革，推动执法办案全流程网上运行。",
                     "同时加强执法人员法律培训，提升依法行政能力。"]
    assert r.metadata.issuer == "清河区市场监督管理局"
    assert r.metadata.plan_year == 2024  # the year after the report's: the closing paragraph names none
    assert_offsets(r)


# A combined report: last year's work and this year's plan in one document.
COMBINED = """东岗区司法局2023年法治政府建设工作情况暨2024年工作要点
一、2023年工作情况
（一）法治宣传深入开展。组织法治讲座40场。
（二）法律服务持续优化。办理法律援助案件310件。
二、存在的问题
普法形式创新不足。
三、2024年工作要点
（一）深化普法宣传。开展民法典宣传月活动。推进法治文化阵地建设。
（二）优化法律服务。推进公共法律服务平台建设。
"""


def test_combined_report_and_plan():
    r = read_text(COMBINED)
    assert r.doc_kind == "annual_report"
    assert chapters(r) == [("2023年工作情况", "achievements"), ("存在的问题", "problems"), ("2024年工作要点", "plans")]
    assert (r.metadata.report_year, r.metadata.plan_year) == (2023, 2024)
    assert r.metadata.issuer == "东岗区司法局"
    assert len(tasks(r)) == 3
    assert_offsets(r)


# A 工作要点: every chapter plans, tasks numbered through the document with 牵头/协同 labels after them.
WORK_POINTS = """南屿县2024年法治政府建设工作要点
为深入推进依法行政，结合本县实际，制定本要点。
一、加强党的领导
1.深入学习贯彻习近平法治思想。（牵头单位：县委依法治县办，协同单位：县委宣传部）
2.落实党政主要负责人述法制度。（牵头单位：县委组织部；协同单位：县司法局）
二、推进依法决策
3.严格执行重大行政决策程序规定。（牵头单位：县政府办公室）
4.健全规范性文件合法性审核机制。（牵头单位：县司法局；协同单位：各乡镇人民政府）
"""


def test_work_points_numbered_through_with_owner_labels():
    r = read_text(WORK_POINTS)
    assert r.doc_kind == "work_plan"
    assert chapters(r) == [("加强党的领导", "plans"), ("推进依法决策", "plans")]
    assert [c.title for c in r.outline[1].children] == ["严格执行重大行政决策程序规定", "健全规范性文件合法性审核机制"]
    found = tasks(r)
    assert len(found) == 4
    assert found[0].lead_unit == "县委依法治县办" and found[0].partner_units == "县委宣传部"
    assert found[3].lead_unit == "县司法局" and found[3].partner_units == "各乡镇人民政府"
    assert r.metadata.plan_year == 2024 and r.metadata.title == "南屿县2024年法治政府建设工作要点"
    assert_offsets(r)


# Traditional characters from a mirror's conversion; the clean text keeps them.
TRADITIONAL = """廣東省某市司法局2023年法治政府建設年度報告
發布時間：2024-03-18  來源：某市司法局
2023年，市司法局堅持以習近平法治思想為指導，紮實推進法治政府建設。
一、主要舉措和成效
（一）加強黨的領導。局黨組專題研究法治工作6次。
二、存在的不足和原因
基層法治力量還不夠強。
三、2024年推進法治政府建設的主要安排
（一）深化行政執法改革。推進執法監督平台建設。
"""


def test_traditional_characters_read_as_simplified_and_kept():
    r = read_text(TRADITIONAL)
    md = r.metadata
    assert md.title == "廣東省某市司法局2023年法治政府建設年度報告"
    assert md.issuer == "廣東省某市司法局"
    assert md.published == "2024-03-18"
    assert (md.report_year, md.plan_year) == (2023, 2024)
    assert chapters(r) == [("主要舉措和成效", "achievements"), ("存在的不足和原因", "problems"),
                           ("2024年推進法治政府建設的主要安排", "plans")]
    assert "建設" in r.clean_text and "建设" not in r.clean_text
    assert [t.text for t in tasks(r)] == ["推進執法監督平台建設。"]
    assert_offsets(r)


def test_every_missing_field_is_a_warning():
    r = read_text("加强法治建设，推进依法行政工作，取得一定成效。\n一、主要工作\n完善制度。\n二、存在问题\n力量不足。\n")
    joined = " ".join(r.warnings)
    for label in ("标题", "发布单位", "发布日期", "报告年度"):
        assert f"未能识别{label}" in joined


# A whole page on one line: an advertisement, the title, the body, the advertisement again mid-word.
ONE_LINE_PAGE = ("公文范本网—海量范文免费下载www.gongwen-demo.net松岭省人民政府关于2023年度法治政府建设情况的报告2023年，省政府坚持"
                 "依法行政，法治政府建设取得新成效。一、坚持党的领导，压实法治建设责任。一是深学笃行习近平法治思想。省政府常务会议"
                 "专题学法4次。二是压实第一公文范本网—海量范文免费下载www.gongwen-demo.net责任人职责。召开述法会议2次。"
                 "二、存在的问题和不足一些地方执法不够规范。三、2024年工作安排（一）深化依法行政。完善政府立法机制。推进综合执法改革。")


def test_one_line_page_with_advertisement():
    r = read_text(ONE_LINE_PAGE + "【打印本页】【关闭窗口】上一篇：无 下一篇：无")
    assert r.clean_text.endswith("推进综合执法改革。")
    md = r.metadata
    assert md.title == "松岭省人民政府关于2023年度法治政府建设情况的报告"
    assert md.issuer == "松岭省人民政府"
    assert (md.report_year, md.plan_year) == (2023, 2024)
    assert "gongwen" not in r.clean_text and "压实第一责任人职责" in r.clean_text
    assert chapters(r) == [("坚持党的领导，压实法治建设责任", "achievements"), ("存在的问题和不足", "problems"),
                           ("2024年工作安排", "plans")]
    assert [t.text for t in tasks(r)] == ["完善政府立法机制。", "推进综合执法改革。"]
    assert_offsets(r)


# A site banner glued to the title (no address), with a breadcrumb that ends in the title.
BANNER_TITLE = """当前位置：首页 > 政务公开 > 法治政府建设 > 北渡县2023年度法治政府建设情况报告
北渡县人民政府门户网站北渡县2023年度法治政府建设情况报告
来源：北渡县人民政府办公室  发布日期：2024-02-27
2023年，北渡县人民政府坚持依法行政，全面推进法治政府建设。
一、主要举措和成效
（一）推进依法决策。县政府常务会议审议重大事项前均经合法性审查。
二、存在的问题
依法行政能力有待提升。
"""


def test_banner_glued_to_title_and_breadcrumb_is_not_a_title():
    r = read_text(BANNER_TITLE)
    md = r.metadata
    assert md.title == "北渡县2023年度法治政府建设情况报告"
    assert md.issuer == "北渡县人民政府"
    assert md.published == "2024-02-27" and md.report_year == 2023
    assert "门户网站" not in r.clean_text and "当前位置" not in r.clean_text
    assert r.clean_text.startswith(md.title + "\n")


# A traditional-script plan over several years from a mirror: pinyin glosses, goal and measure labels,
# tasks numbered through the document.
TRADITIONAL_PLAN = """首頁 > 政策文件 > 正文
桐江市法治政府建設實施方案(2023-2025年)
為加快建設法治政府，結合本市實際，制定本方案。
一、依法全面履行政府職(zhí)能
目標(biāo)：政府職能轉變基本到位。
措施：
1.深化行政審批改革。推進審批事項清單管理。
2.優化營商環境。落實公平競爭審查制度。
二、健全行政執(zhí)法體制機制
目標：執法行為更加規範。
措施：
3.理順行政執法體制。推進綜合執法改革。
4.規範執法程序。全面落實執法公示制度。
"""


def test_traditional_plan_with_glosses_goals_and_running_numbers():
    r = read_text(TRADITIONAL_PLAN)
    assert r.doc_kind == "work_plan"
    assert r.metadata.plan_year == 2023
    assert "(zhí)" not in r.clean_text and "執法" in r.clean_text
    assert [c.title for c in r.outline[1].children] == ["理順行政執法體制", "規範執法程序"]
    assert [t.text for t in tasks(r)] == ["推進審批事項清單管理。", "落實公平競爭審查制度。", "推進綜合執法改革。",
                                          "全面落實執法公示制度。"]
    assert_offsets(r)


# A joint title (party committee and government) over two lines, a bare ISO date under it.
JOINT_TITLE = """中共东坝市委 东坝市人民政府
关于2023年度法治政府建设情况的报告
2024-02-20
2023年，东坝市坚持依法行政，法治政府建设取得新进展。
一、主要举措和成效
（一）加强领导。研究法治工作5次。
二、存在的不足
执法力量不足。
三、2024年主要安排
（一）加强立法。推进重点立法。
"""


def test_joint_title_names_both_bodies_and_a_bare_date_dates_the_page():
    r = read_text(JOINT_TITLE)
    md = r.metadata
    assert md.title == "中共东坝市委 东坝市人民政府关于2023年度法治政府建设情况的报告"
    assert md.issuer == "中共东坝市委东坝市人民政府"  # as test_issuer_from_year_first_and_joint_titles reads it unspaced
    assert md.published == "2024-02-20"
    assert (md.report_year, md.plan_year) == (2023, 2024)


def test_page_source_names_the_issuer_when_nothing_else_does():
    r = read_text("2023年度法治政府建设工作报告\n来源：南湾县应急管理局  发布时间：2024-01-30\n"
                  "过去一年，全局上下坚持依法行政，各项工作有序推进，取得积极成效。\n一、主要工作\n完善制度3项。\n")
    assert r.metadata.issuer == "南湾县应急管理局"
    assert r.metadata.report_year == 2023


# A copy site's repost: its own intro line, its upload line; and a department page with glued header labels.
REPOST = """2023年某区法治政府建设工作情况报告
时间:2023-05-07 17:15:05 公文范文 来源:网友投稿
下面是小编为大家整理的2023年某区法治政府建设工作情况报告，供大家参考。
2023年某区法治政府建设工作情况报告
五年来，某区严格落实党政主要负责人履行推进法治建设第一责任人职责规定，全面推进依法行政。现报告如下：
一、抬高政治站位，统筹推进法治政府建设
（一）全面加强党的领导。深入学习贯彻党的二十大精神。
"""


def test_copy_site_words_are_dropped():
    r = read_text(REPOST)
    assert "小编" not in r.clean_text and "网友投稿" not in r.clean_text
    assert r.metadata.title == "2023年某区法治政府建设工作情况报告"
    assert r.metadata.report_year == 2023


@pytest.mark.parametrize("header", ["日期:2025-01-24来源:区司法局",
                                    "信息来源:区司法局 信息提供日期:2025-01-24 16:51 【字体: 视力保护色:"])
def test_glued_and_uncommon_header_labels(header):
    r = read_text(header + "\n2024年，在区委、区政府的坚强领导下，区司法局坚持依法行政，扎实推进法治政府建设。"
                  "现将2024年法治政府建设情况报告如下。\n一、2024年推进法治政府建设的主要举措和成效\n（一）坚持党的领导。学习80余场次。\n")
    md = r.metadata
    assert md.published == "2025-01-24"
    assert md.issuer == "区司法局"
    assert md.report_year == 2024
    assert "字体" not in r.clean_text and "来源" not in r.clean_text


def test_sign_off_date_in_chinese_numerals():
    r = read_text("现将本局2024年度法治政府建设情况报告如下：\n一、主要工作\n完善制度3项，开展培训2次。\n二、存在问题\n力量不足。\n"
                  "西湾市水务局\n二〇二四年十二月二十六日\n")
    assert r.metadata.issuer == "西湾市水务局"
    assert r.metadata.published == "2024-12-26"
    assert r.metadata.report_year == 2024


def test_the_sample_in_traditional_characters_reads_as_the_sample(sample_path):
    """A mirror's automatic conversion of a whole report reads the same, field for field, figure for figure."""
    import opencc
    from desktop.report.hanzi import simplified

    seed = sample_path.read_text(encoding="utf-8")
    plain, trad = read_text(seed), read_text(opencc.OpenCC("s2t.json").convert(seed))
    assert trad.clean_text != plain.clean_text and len(trad.clean_text) == len(plain.clean_text)
    for key, value in plain.metadata.to_dict().items():
        got = trad.metadata.to_dict()[key]
        assert (simplified(got) if isinstance(got, str) else got) == value, key
    assert [(s.path, s.role, s.start, s.end) for s in trad.sections()] == \
        [(s.path, s.role, s.start, s.end) for s in plain.sections()]
    assert [(i.value, i.unit, i.start, i.end) for i in trad.indicators] == \
        [(i.value, i.unit, i.start, i.end) for i in plain.indicators]
    assert [(w.kind, w.start, w.end) for w in trad.work_items] == [(w.kind, w.start, w.end) for w in plain.work_items]
    assert_offsets(trad)


def test_the_sample_with_its_body_on_one_line_keeps_its_outline_figures_and_plans(sample_path):
    seed = sample_path.read_text(encoding="utf-8")
    start = seed.index("2023年,在市委")
    end = seed.index("加入收藏", start)
    plain = read_text(seed)
    run_on = read_text(seed[:start] + seed[start:end].replace("\n", "") + "\n" + seed[end:])
    assert [(c.role, [k.title for k in c.children]) for c in run_on.outline] == \
        [(c.role, [k.title for k in c.children]) for c in plain.outline]
    assert [c.title for c in run_on.outline][:2] == [c.title for c in plain.outline][:2]
    assert [(i.value, i.unit) for i in run_on.indicators] == [(i.value, i.unit) for i in plain.indicators]
    assert [w.text for w in run_on.work_items if w.kind == "plan_task"] == \
        [w.text for w in plain.work_items if w.kind == "plan_task"]
    assert run_on.metadata == plain.metadata
    assert_offsets(run_on)


def test_a_title_beginning_with_guanyu_and_the_issuer_in_the_sign_off():
    r = read_text("关于2023年度法治政府建设情况的报告\n2023年，我局坚持依法行政，法治政府建设取得成效。\n一、主要工作\n完善制度3项。\n"
                  "南山县林业局\n2024年1月20日\n")
    md = r.metadata
    assert (md.title, md.issuer, md.published, md.report_year) == \
        ("关于2023年度法治政府建设情况的报告", "南山县林业局", "2024-01-20", 2023)
    assert not r.warnings


def test_sign_off_run_into_the_last_sentence_of_a_run_on_body():
    r = read_text("2023年，全县坚持依法行政，推进法治政府建设。一、主要工作（一）健全制度。制定制度3项。二、存在问题 执法力量不足。"
                  "三、下一步工作（一）强化培训。开展执法培训。西岭县人民政府2024年2月6日")
    md = r.metadata
    assert (md.issuer, md.published, md.report_year) == ("西岭县人民政府", "2024-02-06", 2023)
    assert r.clean_text.endswith("开展执法培训。\n西岭县人民政府\n2024年2月6日")
    assert "西岭" not in r.clean_text[r.outline[-1].start:r.outline[-1].end]
    assert [t.text for t in tasks(r)] == ["开展执法培训。"]


def test_a_report_without_any_heading_plans_in_its_last_paragraph():
    r = read_text("东湖街道2023年法治政府建设工作总结\n"
                  "2023年，东湖街道认真落实法治政府建设各项要求，依法行政水平稳步提升。全年办理行政执法案件46件。\n"
                  "同时也要看到，基层执法力量仍然不足，执法规范化水平有待提高。\n"
                  "2024年，我们将继续深化综合行政执法改革，推进执法人员持证上岗全覆盖。同时加强法治宣传，提升居民法治意识。\n")
    assert r.outline == ()
    assert [t.text for t in tasks(r)] == ["2024年，我们将继续深化综合行政执法改革，推进执法人员持证上岗全覆盖。",
                                          "同时加强法治宣传，提升居民法治意识。"]
    md = r.metadata
    assert (md.issuer, md.report_year, md.plan_year) == ("东湖街道办事处", 2023, 2024)
    assert_offsets(r)


def test_a_footer_of_site_credits_in_sentences_is_not_body_text():
    footer = "主办单位：北渡县人民政府办公室。承办单位：北渡县大数据发展中心。网站标识码：1234567890。ICP备12345678号。"
    r = read_text(BANNER_TITLE + "【打印本页】【关闭窗口】\n" + footer + "\n")
    assert "主办单位" not in r.clean_text and "网站标识码" not in r.clean_text
    assert [role for _, role in chapters(r)] == ["achievements", "problems"]


@pytest.mark.parametrize("labels,lead,partner", [
    ("\n牵头：市委依法治市办；协同：市司法局、市直各部门", "市委依法治市办", "市司法局、市直各部门"),
    ("\n牵头单位：市司法局  协同单位：各县（市、区）人民政府", "市司法局", "各县（市、区）人民政府"),
    ("【牵头单位】市司法局【协同单位】市直各执法部门", "市司法局", "市直各执法部门"),
])
def test_owner_labels_in_their_usual_forms(labels, lead, partner):
    r = read_text("北岭市2024年法治政府建设工作要点\n一、规范行政执法\n1.全面推行行政执法三项制度。" + labels + "\n")
    [task] = tasks(r)
    assert (task.text, task.lead_unit, task.partner_units) == ("全面推行行政执法三项制度。", lead, partner)


def test_a_crawled_page_on_one_line_with_its_toolbar_inside_still_has_a_body(sample_path):
    seed = sample_path.read_text(encoding="utf-8")
    start = seed.index("2023年,在市委")
    r = read_text(seed[:start] + seed[start:].replace("\n", ""))
    assert [c.role for c in r.outline][:4] == ["achievements", "problems", "first_responsible", "plans"]
    assert len([w for w in r.work_items if w.kind == "plan_task"]) >= 11
    assert_offsets(r)


def test_chapters_numbered_with_a_full_stop():
    r = read_text("某县2023年法治政府建设情况报告\n2023年，某县坚持依法行政，法治政府建设稳步推进。\n一．主要工作\n（一）完善制度。制定制度3项。\n"
                  "二．存在问题\n执法力量不足。\n三．下一步打算\n（一）加强培训。开展执法培训。\n")
    assert chapters(r) == [("主要工作", "achievements"), ("存在问题", "problems"), ("下一步打算", "plans")]
    assert [t.text for t in tasks(r)] == ["开展执法培训。"]


def test_a_paragraph_after_the_repeated_copy_is_kept(sample_path):
    seed = sample_path.read_text(encoding="utf-8")
    reading = read_text(seed + "\n附：补充说明一段。\n")
    assert reading.clean_text.endswith("\n附：补充说明一段。")
    assert reading.clean_text.count("2023年,在市委、市政府的正确领导下") == 1
