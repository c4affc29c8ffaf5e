"""Archive crawls: a header block (标题 / 发布时间 / 文号 / 发布机构 / 栏目 / 原文链接 / 本地目录, then 正文) gives the
fields; a 本地目录 or 原文链接 line, or any path, is never the title, part of it, or of the letter's file name."""
from __future__ import annotations

import pytest

from desktop.report.extract import read_text

BODY = (
    "2023年，我局坚持以法治思维和法治方式推进生态环境保护，各项工作取得新的进展，现将有关情况报告如下。\n"
    "一、主要举措和成效\n"
    "（一）健全制度体系。对照年度立法计划，共制定修订内部管理制度14项，清理规范性文件9件，其中废止3件，"
    "修改2件，制度体系进一步完善，执法依据更加清晰。\n"
    "（二）规范执法行为。全年开展执法检查326次，办理行政处罚案件57件，案卷评查优秀率达到91.5%，"
    "执法全过程记录实现全覆盖。\n"
    "二、存在的不足和原因\n"
    "（一）执法队伍力量不足。基层执法人员专业水平有待提升，新进人员培训不够系统。\n"
    "三、2024年工作安排\n"
    "（一）深化执法改革。开展执法练兵2轮，完善执法监督机制，推动执法能力整体提升。\n"
)
TITLE = "白杨市生态环境局关于2023年法治政府建设工作情况的报告"


def _header(title=TITLE, path_title=TITLE, with_title=True):
    lines = [f"标题: {title}"] if with_title else []
    lines += ["发布时间: 2024-03-25 10:12", "文号: 白环〔2024〕12号", "发布机构: 白杨市生态环境局", "栏目: 法治政府建设",
              "原文链接: https://www.baiyang.gov.cn/art/2024/3/25/art_1229_5581.html",
              f"本地目录: zwgk/fzzfjs/202403/5581_{path_title}", "正文"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("shape", ["body without title", "body repeats title", "short lines", "full-width colons",
                                   "path on its own line"])
def test_archive_header_gives_the_fields_and_the_path_is_never_the_title(shape):
    text = _header() + BODY
    if shape == "body repeats title":
        text = _header() + TITLE + "\n" + BODY
    elif shape == "short lines":  # body lines of a similar short length: must not be taken for a wrapped page
        text = _header() + "\n".join(ln[:30] if len(ln) > 30 else ln for ln in BODY.split("\n"))
    elif shape == "full-width colons":
        text = _header().replace(": ", "：") + BODY
    elif shape == "path on its own line":
        text = _header().replace("本地目录: ", "本地目录:\n") + BODY
    reading = read_text(text)
    meta = reading.metadata
    assert meta.title == TITLE
    assert meta.doc_no == "白环〔2024〕12号"
    assert meta.published == "2024-03-25"
    assert meta.issuer == "白杨市生态环境局"
    assert meta.report_year == 2023
    assert meta.channel == "法治政府建设"
    assert "本地目录" not in reading.clean_text and "zwgk/" not in reading.clean_text
    assert "正文" not in reading.clean_text.split("\n")
    assert [c.title for c in reading.outline] == ["主要举措和成效", "存在的不足和原因", "2024年工作安排"]


def test_without_a_title_field_the_path_is_still_no_title():
    reading = read_text(_header(with_title=False) + BODY)
    assert reading.metadata.title is None or not reading.metadata.title.startswith(("本地目录", "zwgk"))
    assert "zwgk/" not in (reading.metadata.title or "")


@pytest.mark.parametrize("line", ["zwgk/fzzfjs/202403/5581_白杨市2023年法治政府建设情况报告",
                                  "D:\\crawl\\202403\\白杨市2023年法治政府建设情况报告",
                                  "https://www.baiyang.gov.cn/白杨市2023年法治政府建设情况报告.html"])
def test_a_path_line_above_the_body_is_never_a_title(line):
    reading = read_text(line + "\n" + BODY)
    assert reading.metadata.title is None or "/" not in reading.metadata.title and "\\" not in reading.metadata.title


def test_letter_file_name_comes_from_the_header_title(tmp_path):
    from desktop.letters.service import file_name
    from desktop.store.db import open_library
    from desktop.letters.draft import draft_letter

    repo = open_library(tmp_path / "lib.db", seed_sample=False, backups=False)
    try:
        data = (_header() + BODY).encode("utf-8")
        result = repo.reports.import_bytes(data, "5581_crawl.txt")
        draft = draft_letter(repo, result.report.id)
        name = file_name(draft)
    finally:
        repo.close()
    assert name == f"审阅意见-{TITLE}.docx"
    assert draft.report_title == TITLE


def test_no_title_of_the_sample_or_the_corpus_is_a_path(sample_path, shared_dir):
    from desktop.report.titles import PATH_LIKE

    for path in [sample_path, *sorted((shared_dir / "corpus").glob("*.txt"))]:
        title = read_text(path.read_text(encoding="utf-8")).metadata.title or ""
        assert not PATH_LIKE.search(title) and not title.startswith("本地目录"), path.name


def test_a_title_with_two_years_and_a_slash_is_still_a_title():
    reading = read_text("某市2023/2024年度法治政府建设情况报告\n" + BODY)
    assert reading.metadata.title == "某市2023/2024年度法治政府建设情况报告"
