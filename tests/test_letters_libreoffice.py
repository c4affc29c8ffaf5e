"""LibreOffice opens the letter: converted to PDF, its text and pages are what an office sends (skipped without soffice)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest

from desktop.letters.draft import draft_letter
from desktop.letters.render import write_letter

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None,
                                reason="LibreOffice (soffice) or poppler (pdftotext) is not installed")

# Machines without the 公文 fonts: show 仿宋/楷体 as a serif CJK face and 黑体 as a sans one, as WPS would.
FONTS_CONF = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}</fontconfig>"""
ALIASES = {"仿宋_GB2312": "Noto Serif CJK SC", "仿宋": "Noto Serif CJK SC", "楷体_GB2312": "Noto Serif CJK SC",
           "楷体": "Noto Serif CJK SC", "方正小标宋简体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC",
           "宋体": "Noto Serif CJK SC"}


def convert(docx, outdir, profile) -> str:
    conf = outdir / "fonts.conf"
    conf.write_text(FONTS_CONF.format(aliases="".join(
        f"<alias binding='same'><family>{a}</family><prefer><family>{b}</family></prefer></alias>"
        for a, b in ALIASES.items())), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                   check=True, capture_output=True, timeout=180, env=env)
    pdf = outdir / (docx.stem + ".pdf")
    assert pdf.is_file()
    return str(pdf)


def test_libreoffice_converts_the_letter_to_a_paged_pdf(repo, tmp_path):
    text = repo.reports.get_report(1).clean_text
    at = text.index("行政复议")
    repo.annotations.add_annotation(1, target_kind="span", start=at, end=at + 4, body="请核对 {{ 数字 }} 与统计公报", status="需整改")
    draft = draft_letter(repo, 1, today=dt.date(2026, 12, 2), office="某市法治政府建设办公室")
    docx = write_letter(draft, tmp_path / "letter.docx")
    pdf = convert(docx, tmp_path, tmp_path / "profile")
    out = subprocess.run([PDFTOTEXT, "-layout", pdf, "-"], check=True, capture_output=True, text=True).stdout
    pages = out.split("\f")
    flat = "".join(out.split())
    assert "审阅意见" in flat and "杭州市司法局：" in flat and "一、总体评价" in flat
    assert "{{数字}}" in flat
    assert "2026年12月2日" in flat
    assert len([p for p in pages if p.strip()]) >= 2
    for n, page in enumerate((p for p in pages if p.strip()), 1):
        assert f"—{n}—" in "".join(page.split())  # the PAGE field, updated by LibreOffice on every page


def test_the_signature_never_stands_alone_on_the_last_page(repo, tmp_path):
    """Letters of every length from one to many opinions (a real-length report, its notes): converted by LibreOffice,
    no page carries only the office and the date — the closing paragraph goes with them."""
    import re

    text = repo.reports.get_report(1).clean_text
    office = "某市法治政府建设办公室"
    spots = [m.start() for m in re.finditer("。", text)][5:200:6]
    made = []
    docs = []
    for n, at in enumerate(spots[:24]):
        made.append(repo.annotations.add_annotation(1, target_kind="span", start=at - 6, end=at, status="需整改",
                                        body=f"第{n + 1}处表述需要补充具体数据和完成时限，请对照年度计划逐项说明落实情况。"))
        if n % 3 == 2:  # letters of 3, 6, 9 … opinions: the body ends at many places on its last page
            draft = draft_letter(repo, 1, today=dt.date(2026, 12, 2), office=office)
            docs.append(write_letter(draft, tmp_path / f"letter-{n + 1:02d}.docx"))
    conf_dir = tmp_path / "pdf"
    conf_dir.mkdir()
    for docx in docs:
        pdf = convert(docx, conf_dir, tmp_path / "profile")
        out = subprocess.run([PDFTOTEXT, "-layout", pdf, "-"], check=True, capture_output=True, text=True).stdout
        pages = [p for p in out.split("\f") if p.strip()]
        for page in pages:
            rest = "".join(page.split()).replace(office, "").replace("2026年12月2日", "")
            rest = re.sub(r"—\d+—", "", rest)
            assert rest, f"{docx.name}: a page with only the signature and date ({len(pages)} pages)"
