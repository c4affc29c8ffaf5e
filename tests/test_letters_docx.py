"""The 审阅意见书: drafted from a real library, written as .docx, read back with python-docx."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from desktop.cli import main
from desktop.letters.draft import draft_letter
from desktop.letters.render import LetterError, render_letter, write_letter
from desktop.letters.template import build_default_template
from desktop.review.service import set_score

DAY = dt.date(2026, 12, 2)
HOSTILE = "数据存疑 {{ 7*7 }} {% for x in range(3) %}循环{% endfor %} <w:t>&amp; \x00\x07\x1b\ufffe 结束"


@pytest.fixture
def annotated(repo):
    """The sample with a 需整改 section note, a 需核实 span note, a 已审 note (left out) and two scores."""
    sec = next(s for s in repo.reports.sections(1) if s.path == "二.(一)")
    text = repo.reports.get_report(1).clean_text
    at = text.index("行政复议")
    repo.annotations.add_annotation(1, target_kind="section", section_path=sec.path, body="问题表述空泛，请写明具体表现。",
                        status="需整改")
    repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 4, body="案件数与统计公报不一致", status="需核实")
    repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 2, body="亮点，已审", status="已审")
    set_score(repo, 1, "completeness", 4.5)
    set_score(repo, 1, "evidence", 2, comment="个别章节缺少数据")
    return repo


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def _letter(repo, **kw) -> Document:
    draft = draft_letter(repo, 1, today=DAY, office="某市法治政府建设办公室", **kw)
    return Document(io.BytesIO(render_letter(draft))), draft


def test_letter_has_the_sections_in_order_with_numbered_opinions(annotated):
    doc, draft = _letter(annotated)
    texts = _texts(doc)
    title = "关于《杭州市司法局2023年法治政府建设年度报告》的审阅意见"
    assert title in texts
    assert "杭州市司法局：" in texts
    assert texts[0] == "某市法治政府建设办公室"  # the letterhead
    order = [texts.index(t) for t in (title, "杭州市司法局：", "一、总体评价", "二、存在的主要问题",
                                       "三、修改完善建议")]
    order += [len(texts) - 2, len(texts) - 1]
    assert order == sorted(order) and texts[-2:] == ["某市法治政府建设办公室", "2026年12月2日"]
    assert texts[texts.index("杭州市司法局：") + 1].startswith("我们对你单位《杭州市司法局")
    problems = texts[texts.index("二、存在的主要问题"):texts.index("三、修改完善建议")]
    assert problems[1] == "（一）报告编写方面" and "（二）具体内容方面" in problems
    numbered = [t for t in problems if t[:2] in {f"{n}." for n in range(1, 10)}]
    assert numbered[0].startswith("1.") and any(t.startswith("2.") for t in numbered)
    joined = "\n".join(problems)
    assert "对存在的不足只描述现象，未深入分析产生问题的原因" in joined  # worded for the unit
    assert "未通过" not in joined and "提醒" not in joined  # not the checker's labels
    assert "问题表述空泛，请写明具体表现。" in joined
    assert "关于" in joined and "“行政复议”的表述：案件数与统计公报不一致，请予以核实。" in joined
    assert "亮点，已审" not in "\n".join(texts)
    overall = texts[texts.index("一、总体评价"):texts.index("二、存在的主要问题")]
    assert any(t.endswith("已评分的2项得分如下：") for t in overall)  # no total over part of the criteria
    assert any(t.startswith("2.") or "内容完整：4.5分（满分5分）" in t for t in overall)
    assert any("成效有数据、有案例：2分（满分5分），个别章节缺少数据。" in t for t in overall)
    closing = texts[-3]
    assert closing == draft.closing


def test_a_fully_scored_report_gets_its_weighted_total(annotated):
    from desktop.review.rubric import load_rubric

    for c in load_rubric().criteria:
        set_score(annotated, 1, c.id, c.scale.choices()[1][1])
    doc, _ = _letter(annotated)
    assert any("报告加权得分为" in t and "（满分100分），各项得分如下：" in t for t in _texts(doc))


def test_the_letter_gives_the_teams_score_when_several_reviewers_scored(repo):
    set_score(repo, 1, "completeness", 4, who="甲")
    set_score(repo, 1, "completeness", 5, who="乙")
    doc, _ = _letter(repo)
    assert any(t.endswith("内容完整：4.5分（满分5分），较好。") for t in _texts(doc))  # the mean on the scale


def test_a_library_that_cannot_store_check_results_still_gets_its_letter(repo, monkeypatch):
    from desktop.store.errors import LibraryError

    def refuse(*args, **kw):
        raise LibraryError("审阅库文件是只读的，无法保存修改", reason="readonly")

    monkeypatch.setattr(repo.checks, "save_check_result", refuse)
    doc, _ = _letter(repo)
    assert "二、存在的主要问题" in _texts(doc)


def _fonts(run) -> dict:
    rfonts = run._element.rPr.find(qn("w:rFonts"))
    return {k: rfonts.get(qn(f"w:{k}")) for k in ("ascii", "eastAsia")}


def test_fonts_sizes_line_spacing_and_page_setup(annotated):
    doc, _ = _letter(annotated)
    by_text = {p.text: p for p in doc.paragraphs}
    title = by_text["关于《杭州市司法局2023年法治政府建设年度报告》的审阅意见"]
    assert _fonts(title.runs[0])["eastAsia"] == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    heading = by_text["一、总体评价"]
    assert _fonts(heading.runs[0])["eastAsia"] == "黑体" and heading.runs[0].font.size == Pt(16)
    sub = by_text["（一）报告编写方面"]
    assert _fonts(sub.runs[0])["eastAsia"] == "楷体_GB2312"
    body = next(p for t, p in by_text.items() if t.startswith("我们对你单位"))
    assert all(_fonts(r)["eastAsia"] == "仿宋_GB2312" and r.font.size == Pt(16) for r in body.runs)
    assert body.paragraph_format.line_spacing == Pt(28)
    assert str(body.paragraph_format.line_spacing_rule).startswith("EXACTLY")
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    section = doc.sections[0]
    mm = lambda v: round(v.mm, 1)  # noqa: E731 - lengths are stored in twips
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin),
            mm(section.right_margin)] == [37, 35, 28, 26]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
    with zipfile.ZipFile(io.BytesIO(render_letter(draft_letter(annotated, 1, today=DAY)))) as zf:
        fonts = zf.read("word/fontTable.xml").decode()
    assert 'w:name="方正小标宋简体"' in fonts and 'w:altName w:val="黑体"' in fonts


def test_reviewer_edits_include_flags_and_order_are_what_prints(annotated):
    draft = draft_letter(annotated, 1, today=DAY)
    problems = draft.section_items("problems")
    first, second = problems[0], problems[1]
    first.include = False
    second.text = "改写后的意见。"
    note = next(i for i in problems if i.kind == "annotation")
    assert draft.move(note.key, -1)
    assert not draft.move(draft.section_items("overall", included=False)[0].key, -1)  # first stays first
    texts = _texts(Document(io.BytesIO(render_letter(draft))))
    joined = "\n".join(texts)
    assert first.text not in joined
    assert "1.改写后的意见。" in texts


def test_hostile_annotation_text_is_printed_never_evaluated(annotated, tmp_path):
    at = annotated.reports.get_report(1).clean_text.index("行政复议")
    annotated.annotations.add_annotation(1, target_kind="span", start=at, end=at + 4, body=HOSTILE, status="需整改")
    long_at = 500
    annotated.annotations.add_annotation(1, target_kind="span", start=long_at, end=long_at + 1500, body="很长的引文",
                             status="需整改")
    draft = draft_letter(annotated, 1, today=DAY)
    draft.report_title = "标题<b>&\x01{{ 1+1 }}"
    path = write_letter(draft, tmp_path / "l.docx")
    doc = Document(str(path))
    joined = "\n".join(_texts(doc))
    assert "{{ 7*7 }}" in joined and "{% for x in range(3) %}循环{% endfor %}" in joined
    assert "49" not in joined and "循环循环" not in joined
    assert "<w:t>&amp;" in joined and "\x00" not in joined and "\x07" not in joined
    assert "关于《标题<b>&{{ 1+1 }}》的审阅意见" in joined
    long_line = next(t for t in _texts(doc) if "很长的引文" in t)
    assert "……" in long_line and len(long_line) < 250


def test_office_template_with_placeholders_renders(annotated, tmp_path):
    src = Document(io.BytesIO(build_default_template()))
    src.paragraphs[0].insert_paragraph_before("本单位信笺 {{ office }}")
    src.add_paragraph("（印章）{{ report_title }} 文号：{{ doc_no }}")
    tpl = tmp_path / "office.docx"
    src.save(tpl)
    draft = draft_letter(annotated, 1, today=DAY, office="某市司法局")
    draft.doc_no = "某法函〔2026〕3号"
    texts = _texts(Document(io.BytesIO(render_letter(draft, tpl))))
    assert "本单位信笺 某市司法局" in texts
    assert "（印章）杭州市司法局2023年法治政府建设年度报告 文号：某法函〔2026〕3号" in texts
    assert "二、存在的主要问题" in texts


def test_bad_templates_are_refused_in_one_sentence(annotated, tmp_path):
    draft = draft_letter(annotated, 1, today=DAY)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(LetterError, match="不是 Word 文档"):
        render_letter(draft, bad)
    broken = Document(io.BytesIO(build_default_template()))
    broken.add_paragraph("{{ title ")
    broken.add_paragraph("{% if %}")
    path = tmp_path / "broken.docx"
    broken.save(path)
    with pytest.raises(LetterError, match="占位符有误"):
        render_letter(draft, path)
    evil = Document(io.BytesIO(build_default_template()))
    evil.add_paragraph("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    evil_path = tmp_path / "evil.docx"
    evil.save(evil_path)
    with pytest.raises(LetterError):
        render_letter(draft, evil_path)  # the sandbox refuses attribute games in an office's template
    entity = tmp_path / "entity.docx"
    with zipfile.ZipFile(io.BytesIO(build_default_template())) as src, zipfile.ZipFile(entity, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>', 1)
            dst.writestr(info, data)
    with pytest.raises(LetterError, match="模板文件"):
        render_letter(draft, entity)  # the reader's package checks: no DTD or entities
    with pytest.raises(LetterError, match="文件夹不存在"):
        write_letter(draft, tmp_path / "missing" / "x.docx")


def test_cli_one_file_a_folder_and_the_office_setting(annotated, db_path, tmp_path, capsys):
    annotated.reports.import_file(_second_report(tmp_path))
    annotated.close()
    out = tmp_path / "one.docx"
    assert main(["export", "letter", "1", "-o", str(out), "--db", str(db_path), "--office", "某市依法治市办",
                 "--date", "2026-12-02", "--doc-no", "某法办函〔2026〕1号"]) == 0
    texts = _texts(Document(str(out)))
    assert texts.count("某市依法治市办") == 2 and "2026年12月2日" in texts and "某法办函〔2026〕1号" in texts
    folder = tmp_path / "letters"
    assert main(["export", "letter", "1", "2", "-o", str(folder), "--db", str(db_path)]) == 0
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 and all(f.startswith("审阅意见-") and f.endswith(".docx") for f in files)
    assert all("某市依法治市办" in _texts(Document(str(folder / f))) for f in files)  # the setting was kept
    assert Document(str(folder / files[0])).core_properties.author == "某市依法治市办"
    every = tmp_path / "all"
    assert main(["export", "letter", "--all", "-o", str(every), "--db", str(db_path)]) == 0
    assert len(list(every.iterdir())) == 2
    assert main(["export", "letter", "--all", "1", "-o", str(every), "--db", str(db_path)]) == 2
    capsys.readouterr()
    assert main(["export", "letter", "1", "2", "-o", str(tmp_path / "x.docx"), "--db", str(db_path)]) == 2
    assert "文件夹" in capsys.readouterr().err
    assert main(["export", "letter", "1", "2", "-o", str(tmp_path / "无此目录" / "意见书"), "--db", str(db_path)]) == 2
    assert not (tmp_path / "无此目录").exists()
    assert main(["export", "letter", "不存在的报告", "-o", str(out), "--db", str(db_path)]) == 2
    assert main(["export", "letter", "1", "-o", str(out), "--date", "2026-13-40", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "日期" in err


def test_a_report_without_a_title_is_named_by_its_issuer_and_year(repo, tmp_path):
    text = "滨江区司法局2023年法治政府建设情况\n\n一、主要举措和成效\n\n（一）推进依法行政。全年办理复议案件12件。\n"
    path = tmp_path / "009.txt"
    path.write_text(text.replace("滨江区司法局2023年法治政府建设情况\n\n", ""), encoding="utf-8")
    report = repo.reports.import_file(path).report
    draft = draft_letter(repo, report.id, today=DAY)
    assert "009" not in draft.title and draft.title.startswith("关于《") and "法治政府建设" in draft.title


def _second_report(tmp_path):
    from tests.conftest import SAMPLE

    text = SAMPLE.read_text(encoding="utf-8").replace("杭州市司法局", "宁波市司法局")
    path = tmp_path / "ningbo.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_scores_are_sub_items_of_their_line_and_the_sign_off_keeps_with_the_body(repo, tmp_path):
    """各项得分 are （1）（2） under item 2, not items 3. 4. 5.; the last paragraph keeps with the signature."""
    import docx

    from desktop.letters.draft import draft_letter, letter_blocks
    from desktop.letters.render import render_letter
    from desktop.review.service import set_score

    for cid, value in (("completeness", 4), ("evidence", 3), ("overall", "良")):
        set_score(repo, 1, cid, value, who="甲")
    draft = draft_letter(repo, 1)
    items = [text for kind, text in letter_blocks(draft) if kind == "item"]
    head = next(i for i, t in enumerate(items) if "各项得分如下" in t or "得分如下" in t)
    assert items[head].startswith("2.")
    assert [t[:3] for t in items[head + 1:head + 4]] == ["（1）", "（2）", "（3）"]
    assert not any(t.startswith(("3.", "4.", "5.")) and "分" in t[:12] for t in items[head + 1:head + 4])
    document = docx.Document(io.BytesIO(render_letter(draft)))
    paragraphs = document.paragraphs
    closing = next(i for i, p in enumerate(paragraphs) if p.text.startswith(draft.closing[:10]))
    for p in paragraphs[closing:closing + 4]:  # the closing, two blank lines, the office: each keeps with next
        assert p.paragraph_format.keep_with_next, p.text


def test_a_report_without_a_unit_is_not_addressed_to_a_blank_unit(tmp_path, capsys):
    """No 单位 read: no "报告单位：" line, and the command line says what to fix."""
    import docx

    from desktop.cli import main
    from desktop.store.db import open_library

    text = "二〇二三年度法治政府建设情况报告\n一、主要举措和成效\n全年办理行政复议案件12件。\n二、存在的不足和原因\n基层力量不足。\n"
    src = tmp_path / "无名.txt"
    src.write_text(text, encoding="utf-8")
    db = tmp_path / "lib.db"
    assert main(["--db", str(db), "import", str(src)]) == 0
    with open_library(db, backups=False) as repo:
        (report,) = repo.reports.list_reports()
        assert not report.issuer
    capsys.readouterr()
    out_path = tmp_path / "意见书.docx"
    assert main(["--db", str(db), "export", "letter", str(report.id), "-o", str(out_path)]) == 0
    out = capsys.readouterr().out
    assert "报告单位不详" in out and "--issuer" in out
    lines = [p.text for p in docx.Document(str(out_path)).paragraphs]
    assert not any(x.strip() in ("报告单位：", "：") for x in lines)
