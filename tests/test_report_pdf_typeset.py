"""PDFs as an office prints them: the sample and each corpus text typeset by LibreOffice from a Word document
with Chinese/Latin autospace on and justified lines, read to the same figures, work items and outline as the text."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.report.extract import read_file, read_text
from desktop.report.pdftext import drop_typeset_spaces, join_line
from tests.scans import write_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CORPUS_NAMES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "shared" / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def typeset(tmp_path_factory, sample_path, shared_dir):
    """{name: (text, pdf path)} for the sample and every corpus text, converted in one LibreOffice run."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    work = tmp_path_factory.mktemp("typeset")
    sources = {"sample": sample_path.read_text(encoding="utf-8")}
    for path in sorted((shared_dir / "corpus").glob("*.txt")):
        sources[path.stem] = path.read_text(encoding="utf-8")
    for name, text in sources.items():
        write_docx(work / f"{name}.docx", text)
    profile = work / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), *[str(work / f"{n}.docx") for n in sources]],
                   check=True, capture_output=True, timeout=600)
    return {name: (text, work / f"{name}.pdf") for name, text in sources.items()}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _same_reading(text_reading, pdf_reading) -> None:
    assert [(c.path, c.title) for c in pdf_reading.sections()] == [(c.path, c.title) for c in text_reading.sections()]
    ind = [(i.value, i.unit, i.qualifier, i.kind, i.section) for i in text_reading.indicators]
    assert [(i.value, i.unit, i.qualifier, i.kind, i.section) for i in pdf_reading.indicators] == ind
    items = [(w.kind, w.section, _squeeze(w.text)) for w in text_reading.work_items]
    assert [(w.kind, w.section, _squeeze(w.text)) for w in pdf_reading.work_items] == items


def test_the_pdf_has_the_typesetting_spaces_the_reader_removes(typeset):
    """The test is only worth its name if LibreOffice really set a gap between Chinese and digits."""
    from pypdf import PdfReader

    raw = "".join(page.extract_text() or "" for page in PdfReader(typeset["sample"][1]).pages)
    assert re.search(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", raw)
    assert not re.search(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", read_file(typeset["sample"][1]).clean_text)


def test_sample_pdf_reads_like_its_text(typeset, offsets_hold):
    text, pdf = typeset["sample"]
    reading = read_file(pdf)
    offsets_hold(reading)
    assert len(reading.indicators) >= 40
    _same_reading(read_text(text), reading)


@pytest.mark.parametrize("name", CORPUS_NAMES or ["none"])
def test_corpus_pdf_reads_like_its_text(typeset, name, offsets_hold):
    if name not in typeset:
        pytest.skip(f"corpus text {name} is not present")
    text, pdf = typeset[name]
    reading = read_file(pdf)
    offsets_hold(reading)
    _same_reading(read_text(text), reading)


def test_positional_gaps_become_spaces_only_between_latin_words_or_columns():
    def line(*glyphs):  # (x0, text) of 12 pt glyphs: CJK ones 12 wide, Latin 6.5
        return [(x, x + (12 if ord(t[0]) > 0x2e80 else 6.5), 12.0, t) for x, t in glyphs]

    # '获 2023 年度' with autospace gaps of 2.5 pt, and a justified CJK line stretched by 1.5 pt a glyph
    assert join_line(line((0, "获"), (14.5, "2"), (21, "0"), (27.5, "2"), (34, "3"), (43, "年"), (55, "度"))) \
        == "获2023年度"
    assert join_line(line((0, "共"), (13.5, "办"), (27, "理"))) == "共办理"
    # two numbers set apart stay apart; a full-width digit counts as a digit
    assert join_line(line((0, "2"), (6.5, "."), (13, "3"), (23, "3"))) == "2.3 3"
    assert join_line(line((0, "第"), (14.5, "２"), (26.5, "期"))) == "第２期"
    # a quotation mark drawn after its line (a fallback font) goes back between the glyphs it stands between
    assert join_line(line((24, "“"), (0, "一"), (12, "是"), (30, "好"))) == "一是“好"
    # a column gap (a table's cells) and a space the document holds stay
    assert join_line(line((0, "序"), (12, "号"), (60, "任"), (72, "务"))) == "序号 任务"
    assert join_line(line((0, "发"), (12, "布"), (24, " "), (28, "区"), (40, "办"))) == "发布 区办"


def test_text_without_positions_drops_the_single_spaces_around_figures():
    assert drop_typeset_spaces("共办理 28 件，2019 年度，２０２３ 年") == "共办理28件，2019年度，２０２３年"
    assert drop_typeset_spaces("分别为 12 15 件") == "分别为12 15件"


def test_a_page_drawing_more_glyphs_than_the_limit_is_refused_before_it_is_laid_out():
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    from desktop.kernel import limits
    from desktop.report.extract import read_bytes
    from desktop.report.model import ReportError

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()  # one text operator showing three times the limit
    stream.set_data(b"BT /F1 1 Tf 10 10 Td (" + b"A" * (3 * limits.MAX_PDF_PAGE_GLYPHS) + b") Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ReportError, match="第 1 页的文字超过上限"):
        read_bytes(out.getvalue(), "many-glyphs.pdf")
