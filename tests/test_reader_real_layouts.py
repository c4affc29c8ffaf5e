"""Layouts seen in a survey of real annual reports, each as a complete invented report (units, places, figures
and wording made up): the outline roles, the 第一责任人 part, the problems and the plan tasks a reviewer relies on."""
from __future__ import annotations

from desktop.report.extract import read_text

from test_report_layouts import assert_offsets, chapters  # the same checks on every invented layout


def tasks(reading):
    return [w.text for w in reading.work_items if w.kind == "plan_task"]


def problems(reading):
    return [w.title for w in reading.work_items if w.kind == "problem"]


# A 街道办事处 report: numbered sections under a 基本情况 chapter, signed by the 办事处 at the end.
SUBDISTRICT_SIGNED = """北园街道办事处2024年法治政府建设年度报告
2024年，北园街道办事处坚持以习近平法治思想为指导，将法治建设融入基层治理，现将全年工作情况报告如下：
一、2024年法治政府建设基本情况
（一）强化政治引领，压实法治建设责任
1.健全领导机制。成立法治建设领导小组，全年召开党工委专题会议4次。
2.落实第一责任人职责。党政主要负责人带头开展法治专题宣讲3场次。
（二）深化法治学习，提升干部法治素养
1.强化干部学法。组织集中学法8次。
二、存在的不足
一是法治专业人员不足；二是执法规范化水平有待提升。
三、2025年工作计划
（一）加强法治队伍建设。配备专职法治工作人员2名。
（二）推进执法规范化。开展执法案卷自查。
北园街道办事处
2025年1月10日
"""


def test_a_subdistrict_office_signs_off_and_is_the_issuer():
    r = read_text(SUBDISTRICT_SIGNED)
    md = r.metadata
    assert md.issuer == "北园街道办事处"
    assert md.published == "2025-01-10"
    assert [role for _, role in chapters(r)] == ["achievements", "problems", "plans"]
    assert tasks(r) == ["配备专职法治工作人员2名。", "开展执法案卷自查。"]
    assert "北园街道办事处" not in r.work_items[-1].text
    assert_offsets(r)


# Chapters named by the required parts, without numbers: bare lines, or set in 【】.
UNNUMBERED_CHAPTERS = """云台县交通运输局2024年法治政府建设工作情况报告
2024年，县交通运输局深入践行习近平法治思想，扎实推进交通运输领域法治建设。现将有关情况报告如下：
主要举措和成效
（一）加强组织领导。局党组专题研究法治建设3次，制定年度法治建设工作要点。
（二）规范行政执法。开展路政执法案卷评查2次，评查案卷96卷。
存在的不足和原因
执法人员年龄结构偏大，信息化执法装备不足，原因在于队伍补充渠道有限、经费投入不够。
党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责人认真履行第一责任人职责，带头述法，组织党组会前学法8次。
下一年度推进法治政府建设的主要安排
（一）推进执法规范化。开展执法人员轮训。更新执法记录仪40台。
（二）加强普法宣传。开展“法治进站点”活动。
云台县交通运输局
2025年3月5日
"""

BRACKETED_CHAPTERS = """青陵市自然资源局2024年度法治政府建设情况报告
2024年，市自然资源局认真落实法治政府建设各项任务。现将有关情况报告如下：
【主要举措和成效】
（一）完善制度体系。制定修订规范性文件5件，清理文件18件。
（二）严格执法监管。立案查处违法用地案件47件。
【存在的不足和原因】
执法力量与监管任务不相适应，基层所执法人员不足。
【第一责任人履职情况】
局主要负责人主持召开局务会议研究法治工作6次。
【2025年主要安排】
（一）深化执法改革。推进执法事项清单动态调整。
（二）强化普法宣传。开展土地日主题宣传活动。
"""


def test_chapters_without_numbers_are_found_by_their_names():
    r = read_text(UNNUMBERED_CHAPTERS)
    assert chapters(r) == [("主要举措和成效", "achievements"), ("存在的不足和原因", "problems"),
                           ("党政主要负责人履行推进法治建设第一责任人职责情况", "first_responsible"),
                           ("下一年度推进法治政府建设的主要安排", "plans")]
    assert [s.title for s in r.outline[0].children] == ["加强组织领导", "规范行政执法"]
    assert r.metadata.title == "云台县交通运输局2024年法治政府建设工作情况报告"
    assert (r.metadata.report_year, r.metadata.plan_year) == (2024, 2025)
    assert tasks(r) == ["开展执法人员轮训。", "更新执法记录仪40台。", "开展“法治进站点”活动。"]
    assert problems(r) == ["存在的不足和原因"]
    assert not any("未识别到章节标题" in w for w in r.warnings)
    assert_offsets(r)


def test_chapters_set_in_square_brackets():
    r = read_text(BRACKETED_CHAPTERS)
    assert chapters(r) == [("主要举措和成效", "achievements"), ("存在的不足和原因", "problems"),
                           ("第一责任人履职情况", "first_responsible"), ("2025年主要安排", "plans")]
    assert r.metadata.plan_year == 2025
    assert tasks(r) == ["推进执法事项清单动态调整。", "开展土地日主题宣传活动。"]
    assert_offsets(r)


def test_a_short_named_line_inside_numbered_chapters_is_no_chapter():
    text = BRACKETED_CHAPTERS.replace("【主要举措和成效】", "一、主要举措和成效").replace(
        "【存在的不足和原因】", "二、存在的不足和原因\n存在的问题").replace("【第一责任人履职情况】", "三、第一责任人履职情况").replace(
        "【2025年主要安排】", "四、2025年主要安排")
    r = read_text(text)
    assert [role for _, role in chapters(r)] == ["achievements", "problems", "first_responsible", "plans"]


def sections(reading):
    return [(s.path, s.role) for c in reading.outline for s in c.walk() if s.level == 2]


# Problems and plans in one chapter, each a section of it; the sign-off of a 街道办事处 below.
PROBLEMS_AND_PLANS_IN_ONE = """白沙街道办事处2024年法治政府建设情况报告
2024年，白沙街道坚持以习近平法治思想为指导，扎实推进法治街道建设。现将有关情况报告如下：
一、2024年推进法治政府建设的主要举措和成效
（一）强化组织领导。街道党工委专题研究法治建设4次，制定年度法治建设要点。
（二）规范综合执法。全年立案查处违法行为215件，结案率98%。
二、存在的问题及下一步工作打算
（一）存在的问题
一是执法人员专业能力有待提升；二是社区法治宣传覆盖面不够广。
（二）下一步工作打算
1.加强执法队伍建设，全年组织执法培训3次。
2.深化普法宣传，推动法律明白人培养覆盖全部社区。
白沙街道办事处
2025年1月20日
"""


def test_a_chapter_of_problems_and_plans_gives_each_section_its_part():
    r = read_text(PROBLEMS_AND_PLANS_IN_ONE)
    assert chapters(r)[1] == ("存在的问题及下一步工作打算", "problems")
    assert sections(r)[2:] == [("二.(一)", "problems"), ("二.(二)", "plans")]
    assert [s.role for s in r.outline[1].children[1].children] == ["plans", "plans"]
    assert problems(r) == ["存在的问题"]
    assert tasks(r) == ["加强执法队伍建设，全年组织执法培训3次。", "深化普法宣传，推动法律明白人培养覆盖全部社区。"]
    assert r.metadata.issuer == "白沙街道办事处" and r.metadata.plan_year == 2025
    assert_offsets(r)


# Topical chapters (no part named); the 第一责任人 part is a section inside the first one.
FIRST_RESPONSIBLE_AS_A_SECTION = """柳溪镇2024年法治政府建设工作报告
2024年，我镇坚持以习近平法治思想为指导，依法履行法定职责，全面完成年度法治政府建设任务。现将工作情况报告如下：
一、提高政治站位，强化组织领导，压实工作责任
（一）深入学习贯彻习近平法治思想。镇党委常态化学习习近平法治思想4次，开展专题党课2次。
（二）全面履行主要负责人推进法治建设第一责任人职责。主要负责人亲自研究部署法治政府建设，全年召开专题会议3次。
二、健全决策机制，推动行政决策规范有序
（一）严格执行重大行政决策程序。重大事项均经合法性审查和集体讨论。
（二）落实法律顾问制度。法律顾问审查合同21份。
三、存在的问题
（一）第一责任人职责落实还不够到位，个别村居重视不够。
（二）法治宣传形式较为单一。
四、下一步工作打算
（一）压实第一责任人职责。将履职情况纳入年终述职。
（二）规范执法行为。推进综合行政执法规范化建设。
柳溪镇人民政府
2025年1月15日
"""


def test_the_first_responsible_part_inside_a_topical_chapter_is_marked():
    r = read_text(FIRST_RESPONSIBLE_AS_A_SECTION)
    assert [role for _, role in chapters(r)] == ["achievements", "achievements", "problems", "plans"]
    assert sections(r) == [("一.(一)", "achievements"), ("一.(二)", "first_responsible"),
                           ("二.(一)", "achievements"), ("二.(二)", "achievements"),
                           ("三.(一)", "problems"), ("三.(二)", "problems"),
                           ("四.(一)", "plans"), ("四.(二)", "plans")]
    assert problems(r) == ["第一责任人职责落实还不够到位，个别村居重视不够", "法治宣传形式较为单一"]
    assert tasks(r) == ["将履职情况纳入年终述职。", "推进综合行政执法规范化建设。"]
    assert_offsets(r)


# Chapters as 第一部分…第四部分 with 一、二、 sections inside them.
PARTS_OVER_NUMBERED_SECTIONS = """江浦市人民政府关于2024年度法治政府建设情况的报告
2024年，江浦市深入学习贯彻习近平法治思想，法治政府建设迈出新步伐。现将有关情况报告如下：
第一部分 2024年推进法治政府建设的主要举措和成效
一、健全政府机构职能体系
（一）深化简政放权。动态调整权责清单，取消和下放事项21项。
（二）优化营商环境。整改涉企问题64个。
二、健全依法行政制度体系。审查市政府规范性文件16件。
第二部分 党政主要负责人履行推进法治建设第一责任人职责情况
市长主持市政府常务会议专题学法6次，听取法治政府建设情况汇报2次。
第三部分 存在的不足和原因
一是行政执法规范化水平仍需提高；二是法治督察整改不够彻底。
第四部分 2025年推进法治政府建设的主要安排
一、深化行政执法协调监督工作体系建设。年内建成市县乡三级执法监督网络。
二、开展规范涉企行政执法专项行动。清理涉企执法事项。
江浦市人民政府
2025年3月25日
"""


def test_parts_hold_numbered_sections():
    r = read_text(PARTS_OVER_NUMBERED_SECTIONS)
    assert chapters(r) == [("2024年推进法治政府建设的主要举措和成效", "achievements"),
                           ("党政主要负责人履行推进法治建设第一责任人职责情况", "first_responsible"),
                           ("存在的不足和原因", "problems"), ("2025年推进法治政府建设的主要安排", "plans")]
    first = r.outline[0]
    assert [s.title for s in first.children] == ["健全政府机构职能体系", "健全依法行政制度体系"]
    assert [s.title for s in first.children[0].children] == ["深化简政放权", "优化营商环境"]
    assert tasks(r) == ["年内建成市县乡三级执法监督网络。", "清理涉企执法事项。"]
    assert r.metadata.plan_year == 2025
    assert_offsets(r)


# A county's report read to its people's congress: 一是 closes the （一） heading's line, 二是 and 三是 open lines.
FIRST_ITEM_ON_THE_HEADING_LINE = """南屏县人民政府关于2024年法治政府建设情况的报告
根据会议安排，现将全县法治政府建设情况报告如下，请予审议。
一、主要工作成效
（一）聚焦高位推进，压紧压实工作责任。一是强化领导压实责任。
召开县委全面依法治县委员会会议1次，县政府主要领导严格履行推进法治政府建设第一责任人职责，定期听取汇报。
二是示范引领提升能力。
坚持政府常务会议会前学法制度，全年学法14次。
三是强化考评落实责任。
将法治政府建设成效纳入综合考核，权重提高到8%。
（二）聚焦依法决策，提升行政决策质量。
严格落实重大行政决策程序，全年审查重大行政决策事项5件。
二、存在问题
部分乡镇法治工作力量薄弱，执法人员持证率仅为86%。
三、下一步工作打算
（一）持续压实责任。开展法治督察1次。
（二）提升决策质量。推行重大行政决策目录管理。
南屏县人民政府
2025年3月18日
"""


def test_the_first_item_on_its_heading_line_is_a_section_as_the_next_ones():
    r = read_text(FIRST_ITEM_ON_THE_HEADING_LINE)
    first = r.outline[0].children[0]
    assert first.title == "聚焦高位推进，压紧压实工作责任"
    assert [(s.path, s.title) for s in first.children] == [
        ("一.(一).一是", "强化领导压实责任"), ("一.(一).二是", "示范引领提升能力"), ("一.(一).三是", "强化考评落实责任")]
    assert [role for _, role in chapters(r)] == ["achievements", "problems", "plans"]
    assert tasks(r) == ["开展法治督察1次。", "推行重大行政决策目录管理。"]
    assert_offsets(r)
