"""PDF reports and text wrapped at a fixed width: the same reading as the web text of the same report."""
from __future__ import annotations

import textwrap

import pytest

from desktop.report.normalise import normalise_line
from desktop.report.extract import read_bytes, read_file, read_text
from desktop.report.model import ReportError


@pytest.fixture(scope="module")
def seed_reading(sample_path):
    return read_file(sample_path)


def test_kangxi_and_supplement_radicals_become_the_characters_they_look_like():
    assert normalise_line("⼀、主要举措和成效 ⾏政 ⼯作 ⺠⽣ 部⻔") == "一、主要举措和成效 行政 工作 民生 部门"


def test_hard_wrapped_text_is_rejoined(sample_path, seed_reading):
    lines = []
    for para in sample_path.read_text(encoding="utf-8").split("\n"):
        lines.extend(textwrap.wrap(para, 38) or [""])
        if len(lines) % 40 < 2:
            lines.append(str(len(lines) // 40 + 1))  # a page number between pages
    reading = read_text("\n".join(lines))
    assert reading.clean_text == seed_reading.clean_text
    assert any("折断" in w for w in reading.warnings)


def test_web_text_is_not_mistaken_for_wrapped_text(seed_reading):
    assert not any("折断" in w for w in seed_reading.warnings)


def _cjk_pdf(path, text, size=11):
    """Draw `text` into a PDF with Qt (needs pytest-qt's qapp running) and a CJK font."""
    from PySide6 import QtGui
    from PySide6.QtCore import QLocale

    # The desk sets a Chinese default locale for the process; font family names (and so the face picked) follow
    # it, so draw under one fixed locale whatever tests ran before.
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    try:
        families = sorted(f for f in QtGui.QFontDatabase.families() if "CJK" in f or "Hei" in f or "Song" in f)
        if not families:
            pytest.skip("no CJK font to draw a PDF with")
        writer = QtGui.QPdfWriter(str(path))
        writer.setPageSize(QtGui.QPageSize(QtGui.QPageSize.A4))
        doc = QtGui.QTextDocument()
        doc.setDefaultFont(QtGui.QFont(families[0], size))
        doc.setPlainText(text)
        doc.print_(writer)
    finally:
        QLocale.setDefault(before)


def test_pdf_report_reads_like_the_web_text(qapp, tmp_path, sample_path, seed_reading):
    pdf = tmp_path / "report.pdf"
    _cjk_pdf(pdf, sample_path.read_text(encoding="utf-8"))
    reading = read_file(pdf)
    assert reading.clean_text == seed_reading.clean_text
    assert reading.metadata == seed_reading.metadata
    assert len(reading.indicators) == 43


@pytest.mark.parametrize("size", [12, 16])
def test_chapter_heading_filling_the_line_keeps_its_title_and_not_its_body(qapp, tmp_path, sample_path, seed_reading,
                                                                         size):
    pdf = tmp_path / "report.pdf"
    _cjk_pdf(pdf, sample_path.read_text(encoding="utf-8"), size)  # 三、… fills (12 pt) or wraps (16 pt) its line
    reading = read_file(pdf)
    assert [c.title for c in reading.outline] == [c.title for c in seed_reading.outline]


def test_pdf_without_text_or_damaged(tmp_path):
    with pytest.raises(ReportError, match="损坏|无法解析"):
        read_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50, "broken.pdf")
    import pypdf
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)  # a scan has pages but no text layer
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(ReportError, match="扫描件"):
        read_file(path)
