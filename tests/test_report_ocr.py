"""Scanned reports read by OCR: a report of our own typeset by LibreOffice, scanned (pdftoppm) with page numbers and a
red seal, as an image-only PDF, a .png and a multi-page .tif; reading order, seal and page numbers, progress and
cancel in the batch import, the message when the OCR extra is missing; the whole sample (slow)."""
from __future__ import annotations

import sys

import pytest

from desktop.report import ocr
from desktop.report.extract import read_bytes, read_file, read_text
from desktop.report.model import ReportError
from desktop.report.normalise import fold
from tests.scans import OWN_REPORT, PDFTOPPM, SOFFICE, scan, to_pdf, write_docx

needs_tools = pytest.mark.skipif(SOFFICE is None or PDFTOPPM is None, reason="LibreOffice or poppler is not installed")
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the OCR extra (rapidocr_onnxruntime) is not installed")

SEAL = "青禾县司法局"


@pytest.fixture(scope="module")
def own_scan(tmp_path_factory):
    if SOFFICE is None or PDFTOPPM is None:
        pytest.skip("LibreOffice or poppler is not installed")
    work = tmp_path_factory.mktemp("own-scan")
    write_docx(work / "own.docx", OWN_REPORT, page_numbers=True)
    (pdf,) = to_pdf([work / "own.docx"], work)
    return pdf, scan(pdf, work, dpi=200, seal=SEAL)


def _f1(found, expected) -> float:
    found, expected = list(found), list(expected)
    hits = 0
    pool = list(expected)
    for x in found:
        if x in pool:
            pool.remove(x)
            hits += 1
    if not found or not expected:
        return float(found == expected)
    p, r = hits / len(found), hits / len(expected)
    return 2 * p * r / (p + r) if hits else 0.0


def _figures(reading):
    return [(i.value, i.unit) for i in reading.indicators]


def _outline(reading):
    return [(s.path, ocr_fold(s.title)) for s in reading.sections()]


def ocr_fold(title: str) -> str:
    """Titles compared as the reader matches them (fold: full-/half-width punctuation alike); quotes alike."""
    return fold(title).translate(str.maketrans("“”\"", "'''"))


# ------------------------------------------------------------------------------------------ without OCR
def test_lines_are_rebuilt_in_reading_order_and_page_numbers_dropped():
    B = ocr.Box
    boxes = [  # as a detector may return them: out of order, one printed line split in two, a page number
        B(100, 300, 900, 330, "（二）规范行政执法。组织培训6期", 0.97),
        B(100, 100, 600, 130, "一、主要举措和成效", 0.99),
        B(620, 102, 900, 128, "（一）完善决策", 0.95),
        B(450, 1900, 520, 1930, "- 3 -", 0.99),
        B(100, 200, 900, 230, "全年审查文件37件·提出意见", 0.98),
    ]
    assert ocr.page_lines(boxes, 2000) == ["一、主要举措和成效（一）完善决策", "全年审查文件37件。提出意见",
                                           "（二）规范行政执法。组织培训6期"]
    # a number inside the page is text, not a page number
    assert ocr.page_lines([B(100, 900, 200, 930, "2024", 0.9)], 2000) == ["2024"]


def test_ocr_slips_that_chinese_context_settles():
    B = ocr.Box
    lines = ocr.page_lines([B(0, 0, 900, 30, "完备率达100%°开展丶推进“清单及整改指引l”，居全省第", 0.9),
                            B(0, 40, 60, 70, "l。", 0.6)], 2000)
    assert lines == ["完备率达100%。开展、推进“清单及整改指引”，居全省第", "一。"]
    assert ocr.pair_quotes('实施“一号工程"和"两大工程"，\n"法护营商”') == "实施“一号工程”和“两大工程”，\n“法护营商”"


def test_red_ink_is_removed_and_black_ink_under_it_kept():
    from PIL import Image, ImageDraw

    from tests.scans import draw_seal

    page = Image.new("RGB", (400, 400), "white")
    ImageDraw.Draw(page).rectangle((50, 190, 350, 210), fill="black")  # a line of text under the seal
    sealed = draw_seal(page, (200, 200), 120, SEAL)
    prepared = ocr.prepare(sealed)  # BGR
    assert (prepared[200, 80] < 60).all()  # black under red stays black
    assert (prepared[200 - 120 + 2, 200] == 255).all()  # the ring is gone
    assert (prepared[300, 200] == 255).all()


def test_missing_ocr_extra_gives_a_clear_chinese_message(monkeypatch, tmp_path):
    from PIL import Image

    path = tmp_path / "page.png"
    Image.new("RGB", (200, 100), "white").save(path)
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # as when the extra is not installed
    with pytest.raises(ReportError, match=r"pip install -e '\.\[ocr\]'"):
        read_file(path)


def test_the_bundle_without_ocr_does_not_point_at_pip(monkeypatch, tmp_path):
    """The frozen program has no pip: the message says the bundle lacks OCR instead."""
    from PIL import Image

    path = tmp_path / "page.png"
    Image.new("RGB", (200, 100), "white").save(path)
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(ReportError, match="此版本的程序不含该组件") as caught:
        read_file(path)
    assert "pip" not in str(caught.value)


def test_broken_image_is_refused_in_one_line():
    with pytest.raises(ReportError, match="PNG 图片已损坏"):
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "page.png")


# -------------------------------------------------------------------------------------------- with OCR
@needs_tools
@needs_ocr
def test_scanned_pdf_reads_like_its_text(own_scan, offsets_hold):
    _pdf, scanned = own_scan
    reading = read_file(scanned)
    offsets_hold(reading)
    text = read_text(OWN_REPORT)
    assert reading.warnings[0].startswith(ocr.OCR_MARK) and "第1页" in reading.warnings[0]
    assert _outline(reading) == _outline(text)
    assert _f1(_figures(reading), _figures(text)) >= 0.95
    assert reading.metadata.title == text.metadata.title
    assert [w.kind for w in reading.work_items] == [w.kind for w in text.work_items]
    # the seal's name is not read (only the sign-off's), no page number became text
    assert reading.clean_text.count(SEAL) == text.clean_text.count(SEAL)
    assert not any(line.strip() in {"1", "- 1 -"} for line in reading.clean_text.split("\n"))


@needs_tools
@needs_ocr
def test_png_and_multipage_tif_pages_are_read(own_scan, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    _pdf, scanned = own_scan
    pages = [img.image for page in PdfReader(scanned).pages for img in page.images]
    pages[0].save(tmp_path / "page.png")
    pages[0].save(tmp_path / "pages.tif", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    png = read_file(tmp_path / "page.png")
    tif = read_file(tmp_path / "pages.tif")
    assert png.warnings[0].startswith(ocr.OCR_MARK)
    assert "一、主要举措和成效" in png.clean_text
    assert [s.title for s in tif.outline] == [s.title for s in read_text(OWN_REPORT).outline]
    assert isinstance(Image.open(tmp_path / "pages.tif").n_frames, int)


@needs_tools
@needs_ocr
def test_batch_import_shows_page_progress_and_cancel_stops_the_recognition(own_scan, repo, tmp_path):
    from desktop.season.batch import import_batch

    _pdf, scanned = own_scan
    other = tmp_path / "other.txt"
    other.write_text(OWN_REPORT.replace("青禾县", "白杨县"), encoding="utf-8")
    seen: list[str] = []

    def stop_at_first_page(done, total, message):
        seen.append(message)
        return "正在识别" not in message

    items = import_batch(repo, [str(scanned), str(other)], progress=stop_at_first_page)
    assert [i.status for i in items] == ["cancelled", "cancelled"]
    assert any("正在识别第 1/" in m and scanned.name in m for m in seen)
    assert repo.reports.report_count() == 1  # only the bundled sample: nothing half-read was stored

    messages: list[str] = []
    items = import_batch(repo, [str(scanned)], progress=lambda d, t, m: messages.append(m))
    assert [i.status for i in items] == ["new"]
    assert any("正在识别第" in m for m in messages)


@needs_tools
@needs_ocr
def test_a_scan_among_many_files_is_recognised_by_the_importing_process_with_progress(own_scan, repo, tmp_path):
    """Reader processes leave a scan to the process that shows progress and can cancel (a worker cannot)."""
    from desktop.season.batch import import_batch

    _pdf, scanned = own_scan
    files = []
    for n, county in enumerate("东南西北中上下左"):
        path = tmp_path / f"text-{n}.txt"
        path.write_text(OWN_REPORT.replace("青禾县", f"{county}禾县"), encoding="utf-8")
        files.append(str(path))
    seen: list[str] = []

    def stop_at_first_page(done, total, message):
        seen.append(message)
        return "正在识别" not in message

    items = import_batch(repo, [*files[:4], str(scanned), *files[4:]], progress=stop_at_first_page, workers=2)
    assert [i.status for i in items] == ["new"] * 4 + ["cancelled"] * 5  # the four before it stored, then stopped
    assert any("正在识别第 1/" in m and scanned.name in m for m in seen)
    messages: list[str] = []
    items = import_batch(repo, [*files, str(scanned)], progress=lambda d, t, m: messages.append(m), workers=2)
    assert [i.status for i in items] == ["unchanged"] * 4 + ["new"] * 5
    assert any("正在识别第" in m for m in messages)


@pytest.mark.slow
@needs_tools
@needs_ocr
def test_whole_sample_scanned_at_200_dpi_reads_to_the_same_figures_and_outline(sample_path, tmp_path):
    text = sample_path.read_text(encoding="utf-8")
    write_docx(tmp_path / "sample.docx", text, page_numbers=True)
    (pdf,) = to_pdf([tmp_path / "sample.docx"], tmp_path)
    scanned = scan(pdf, tmp_path, dpi=200, seal="杭州市司法局")
    reading = read_file(scanned)
    expected = read_text(text)
    assert _f1(_figures(reading), _figures(expected)) >= 0.95
    assert _outline(reading) == _outline(expected)
    assert reading.warnings[0].startswith(ocr.OCR_MARK)


@needs_ocr
def test_loading_the_recogniser_leaves_qt_pointed_at_its_own_plugins():
    """OpenCV's wheel sets QT_QPA_PLATFORM_PLUGIN_PATH to its own Qt when imported; a desk process must not see it."""
    import os
    import subprocess
    from pathlib import Path

    code = ("import os; from desktop.report import ocr; ocr._get_engine(); "
            "print(sorted(k for k in os.environ if k.startswith('QT_QPA_')))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_QPA_")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         cwd=Path(__file__).resolve().parents[1])
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_a_photo_of_a_page_is_turned_upright_by_its_exif_orientation():
    import io

    from PIL import Image

    photo = Image.new("RGB", (300, 100), "white")
    exif = photo.getexif()
    exif[0x0112] = 6  # taken with the phone on its side: rotate 90° clockwise to view
    data = io.BytesIO()
    photo.save(data, "JPEG", exif=exif.tobytes())
    total, pages = ocr.file_page_images(data.getvalue(), "page.jpg")
    assert total == 1 and [image.size for _, image in pages] == [(100, 300)]
