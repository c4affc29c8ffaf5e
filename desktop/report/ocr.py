"""Text of scanned reports: PDFs without a text layer and page images (.png/.jpg/.tif), read by OCR offline.

RapidOCR's onnxruntime package (the optional extra `ocr`) ships PP-OCRv4's Chinese detection and recognition
models inside its wheel: nothing is downloaded at run time. Each page is made grey on white with red ink (a
seal, a red letterhead) removed, scaled to a bounded size, its text lines found and recognised one at a time
(so a page can be stopped, cancelled and its progress shown), then the lines are put back in reading order;
page numbers are dropped. The reading says 经OCR识别 and each page's confidence in its notes.

Chosen over Tesseract (Debian's chi_sim): on the sample typeset, scanned at 200 dpi and read whole, RapidOCR
reached indicator F1 0.988 with the outline equal, Tesseract 0.84 with a chapter lost (its CPU time and memory
are lower: ~1.7 s and ~115 MB a page against ~5.5 s and ~440 MB); and Tesseract needs a system install with a
separate language pack on Windows, RapidOCR is one pip install.

Progress and cancel: a caller (the desk's import job, the batch import) wraps the reading in
`watching(callback)`; callback(done_pages, total_pages, message) returning False cancels (OcrCancelled).
"""
from __future__ import annotations

import io
import re
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from desktop.kernel import limits
from desktop.report.model import ReportError
from desktop.kernel.paths import is_frozen

MISSING = ("这是扫描件或图片，需要文字识别（OCR）组件才能读取；请先安装：pip install -e '.[ocr]'"
           "（或 pip install rapidocr_onnxruntime），安装后重新导入")
# The bundle leaves the OCR extra out (its model and runtime would double the download): no pip to point at.
MISSING_FROZEN = "这是扫描件或图片，需要文字识别（OCR）组件才能读取；此版本的程序不含该组件，请使用文字版报告，或改用带文字识别的源码安装"


def _missing() -> str:
    """What to do when the OCR extra is absent: pip in a source install, nothing to install in the bundle."""
    return MISSING_FROZEN if is_frozen() else MISSING
OCR_MARK = "经OCR识别"  # begins the reading's note: the desk and the checks can tell an OCR reading by it
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}

_watch: ContextVar = ContextVar("ocr_progress", default=None)
_engine = None
_engine_lock = threading.Lock()  # one page at a time per process: bounds memory whoever calls


class OcrCancelled(ReportError):
    """The reviewer cancelled while pages were being recognised."""


class OcrDeferred(ReportError):
    """Raised instead of recognising pages inside `deferred()`: a reader process leaves scans to the process that
    shows progress and can cancel."""


_defer: ContextVar = ContextVar("ocr_deferred", default=False)


@contextmanager
def deferred():
    """Within this block a file that needs OCR raises OcrDeferred at once (nothing recognised)."""
    token = _defer.set(True)
    try:
        yield
    finally:
        _defer.reset(token)


@dataclass(frozen=True)
class Box:
    """One recognised text line on a page (pixel coordinates of the prepared page)."""
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float


def is_image(data: bytes) -> bool:
    return data.startswith(tuple(_IMAGE_MAGIC))


def _image_kind(data: bytes) -> str:
    return next((kind for magic, kind in _IMAGE_MAGIC.items() if data.startswith(magic)), "")


@contextmanager
def watching(callback):
    """Report OCR progress to `callback(done, total, message)` in this thread; False from it cancels."""
    token = _watch.set(callback)
    try:
        yield
    finally:
        _watch.reset(token)


def _tick(done: int, total: int, message: str) -> None:
    callback = _watch.get()
    if callback is not None and callback(done, total, message) is False:
        raise OcrCancelled("文字识别已取消")


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _get_engine():
    global _engine
    if _engine is None:
        import os

        saved = {k: v for k, v in os.environ.items() if k.startswith("QT_QPA_")}
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:
            raise ReportError(_missing()) from None
        finally:  # OpenCV's wheel points Qt at its own plugins when imported: the desk's Qt must keep its own
            for key in [k for k in os.environ if k.startswith("QT_QPA_")]:
                if key not in saved:
                    del os.environ[key]
            os.environ.update(saved)
        # No angle classifier (report pages are upright); detection on a bounded side; recognition one line at
        # a time (batches pad every line to the longest: slower and several times the memory).
        _engine = RapidOCR(use_cls=False, det_limit_type="max", det_limit_side_len=limits.OCR_DET_SIDE,
                           max_side_len=limits.OCR_PAGE_SIDE, rec_batch_num=1, print_verbose=False,
                           intra_op_num_threads=limits.OCR_THREADS, inter_op_num_threads=1)
    return _engine


# ------------------------------------------------------------------------------------------ page images
def pdf_page_images(data: bytes, name: str = ""):
    """(number of pages, iterator of (page number, PIL image or None)) of a PDF without text: each page's
    largest image (a scan), decoded only when reached and only after its declared size was checked."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    pages = len(reader.pages)
    if pages > limits.OCR_MAX_PAGES:
        raise ReportError(f"扫描件有 {pages} 页，文字识别的上限为 {limits.OCR_MAX_PAGES} 页", source=name or None)
    return pages, _pdf_images(reader, name)


def _pdf_images(reader, name: str):
    for number, page in enumerate(reader.pages, 1):
        best, best_area = None, 0
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for key, ref in (xobjects.get_object().items() if xobjects is not None else ()):
            obj = ref.get_object()
            if obj.get("/Subtype") != "/Image":
                continue
            area = int(obj.get("/Width", 0)) * int(obj.get("/Height", 0))
            if area > limits.OCR_MAX_PIXELS:
                raise ReportError(f"第 {number} 页的扫描图像过大（{area // 1_000_000} 百万像素），上限为 "
                                  f"{limits.OCR_MAX_PIXELS // 1_000_000} 百万像素", source=name or None)
            if area > best_area:
                best, best_area = key, area
        if best is None:
            yield number, None
            continue
        image = next((img.image for img in page.images if img.name.split(".")[0] == best.lstrip("/")), None)
        if image is None and page.images:
            image = page.images[0].image
        yield number, image


def file_page_images(data: bytes, name: str = ""):
    """(number of pages, iterator of (page number, PIL image)) of a .png/.jpg or (multi-page) .tif, each
    frame's size checked before it is decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError):
        raise ReportError(f"{_image_kind(data)} 图片已损坏或无法识别", source=name or None) from None
    frames = getattr(image, "n_frames", 1)
    if frames > limits.OCR_MAX_PAGES:
        raise ReportError(f"图片有 {frames} 页，文字识别的上限为 {limits.OCR_MAX_PAGES} 页", source=name or None)
    return frames, _frames(image, frames, name)


def _frames(image, frames: int, name: str):
    for index in range(frames):
        image.seek(index)
        w, h = image.size
        if w * h > limits.OCR_MAX_PIXELS:
            raise ReportError(f"图片过大（{w}×{h} 像素），上限为 {limits.OCR_MAX_PIXELS // 1_000_000} 百万像素",
                              source=name or None)
        from PIL import ImageOps

        yield index + 1, ImageOps.exif_transpose(image.copy())  # a phone photo of a page stands upright


def prepare(image):
    """A page as the recogniser wants it: BGR, red ink (seals, red letterheads) made white, the longer side
    at most OCR_PAGE_SIDE pixels."""
    import numpy as np

    image = image.convert("RGB")
    w, h = image.size
    scale = limits.OCR_PAGE_SIDE / max(w, h)
    if scale < 1:
        image = image.resize((max(1, round(w * scale)), max(1, round(h * scale))))
    pixels = np.asarray(image, dtype=np.int16)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    red = (r > 120) & (r - g > 50) & (r - b > 50)
    out = np.ascontiguousarray(pixels[..., ::-1], dtype=np.uint8)
    out[red] = 255
    return out


# ------------------------------------------------------------------------------------------- recognition
def detect(engine, page) -> list:
    """Text-line boxes (four corner points each) of a page, top to bottom, found in overlapping horizontal
    strips: the detector's memory grows with the area it sees (a whole 150-dpi page costs ~450 MB), a strip's
    is a fraction of that. A line belongs to the strip that holds its centre away from the strip's edges; the
    overlap is taller than any text line, so each line is whole in the strip it belongs to."""
    height = page.shape[0]
    step = limits.OCR_STRIP - limits.OCR_STRIP_OVERLAP
    boxes: list = []
    top = 0
    while True:
        bottom = min(height, top + limits.OCR_STRIP)
        found, _ = engine(page[top:bottom], use_det=True, use_cls=False, use_rec=False)
        low = top + (limits.OCR_STRIP_OVERLAP / 2 if top else 0)
        high = bottom - (limits.OCR_STRIP_OVERLAP / 2 if bottom < height else 0)
        for quad in found or ():
            centre = top + sum(y for _, y in quad) / 4
            if low <= centre < high:
                boxes.append([[x, y + top] for x, y in quad])
        if bottom >= height:
            break
        top += step
    return boxes


def recognise(page, number: int, total: int) -> tuple[list[Box], bool]:
    """The text lines of one prepared page, and whether its time ran out before every line was read."""
    import numpy as np

    engine = _get_engine()
    started = time.monotonic()
    boxes = detect(engine, page)[: limits.OCR_MAX_LINES]
    found: list[Box] = []
    for i, quad in enumerate(boxes):
        if i % 4 == 0:
            _tick(number - 1, total, f"正在识别第 {number}/{total} 页（{i}/{len(boxes)} 行）")
        if time.monotonic() - started > limits.OCR_PAGE_SECONDS:
            return found, True
        points = np.array(quad, dtype=np.float32)
        crop = engine.get_crop_img_list(page, [points])[0]
        result, _ = engine(crop, use_det=False, use_cls=False, use_rec=True)
        if not result:
            continue
        text, score = result[0][0], float(result[0][1])
        if text.strip() and score >= 0.5:
            xs, ys = points[:, 0], points[:, 1]
            found.append(Box(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()), text.strip(), score))
    return found, False


_PAGE_NUMBER = re.compile(r"^[-—－–―~〜\s]*(?:第\s*)?\d{1,4}\s*页?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—－–―~〜\s]*$")
_LATIN = re.compile(r"[0-9A-Za-z０-９]")
# OCR slips that Chinese context settles: a middle dot or degree sign for 。, a lone l/I/| for 一, 丶 for 、.
_DOT = re.compile(r"(?<=[\u4e00-\u9fff”）)%\d])[·•°](?=[\u4e00-\u9fff“（(]|$)")
_ONE = re.compile(r"(?:(?<=[\u4e00-\u9fff，、])|^)[lI|](?=[\u4e00-\u9fff。，、；])")
_STRAY = re.compile(r"(?<=[\u4e00-\u9fff])[1lI|](?=[”’])")  # a stroke read before a closing quote: '指引l”'


def _join(boxes: list[Box]) -> str:
    """One printed line from the boxes on it, left to right: a space only at a column gap or between Latin words."""
    boxes = sorted(boxes, key=lambda b: b.x0)
    out = boxes[0].text
    for prev, box in zip(boxes, boxes[1:]):
        height = max(1.0, min(prev.y1 - prev.y0, box.y1 - box.y0))
        gap = box.x0 - prev.x1
        latin = _LATIN.match(box.text[:1]) and _LATIN.match(prev.text[-1:])
        out += (" " if gap >= 2 * height or (latin and gap > 0.3 * height) else "") + box.text
    return out


def page_lines(boxes: list[Box], page_height: float) -> list[str]:
    """Boxes in reading order: grouped into printed lines (vertical overlap), top to bottom; a page number at
    the top or bottom of the page dropped; OCR slips fixed."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        mid = (box.y0 + box.y1) / 2
        if lines:
            last = lines[-1]
            top, bottom = min(b.y0 for b in last), max(b.y1 for b in last)
            if top <= mid <= bottom:
                last.append(box)
                continue
        lines.append([box])
    out: list[str] = []
    for group in lines:
        text = _join(group)
        centre = sum((b.y0 + b.y1) / 2 for b in group) / len(group)
        edge = centre < 0.12 * page_height or centre > 0.88 * page_height
        if edge and _PAGE_NUMBER.match(text):
            continue
        text = _STRAY.sub("", _ONE.sub("一", _DOT.sub("。", text))).replace("丶", "、")
        out.append(text)
    return out


def pair_quotes(text: str) -> str:
    """Straight double quotes the recogniser read for Chinese ones made “ or ” by where they stand: a quote opens
    unless one is open (Chinese reports quote with “…”; a straight quote is an OCR slip)."""
    if '"' not in text:
        return text
    out: list[str] = []
    open_ = False
    for ch in text:
        if ch == '"':
            ch = "”" if open_ else "“"
        if ch == "“":
            open_ = True
        elif ch == "”":  # a quote may run over a printed line's break: lines do not close it
            open_ = False
        out.append(ch)
    return "".join(out)


def _confidence(boxes: list[Box]) -> float:
    chars = sum(len(b.text) for b in boxes)
    return sum(b.score * len(b.text) for b in boxes) / chars if chars else 0.0


_SPACE = re.compile(r"\s")


def ocr_pages(total: int, pages, name: str = "") -> tuple[str, tuple[str, ...]]:
    """Text and notes of `total` page images, (number, PIL image or None) from `pages`, read by OCR one by one."""
    texts: list[str] = []
    scores: list[str] = []
    notes: list[str] = []
    with _engine_lock:
        for number, image in pages:
            _tick(number - 1, total, f"正在识别第 {number}/{total} 页")
            if image is None:
                scores.append(f"第{number}页无图像")
                continue
            page = prepare(image)
            boxes, late = recognise(page, number, total)
            texts.append("\n".join(page_lines(boxes, page.shape[0])))
            scores.append(f"第{number}页 {_confidence(boxes):.0%}")
            if late:
                notes.append(f"第 {number} 页文字识别超过 {limits.OCR_PAGE_SECONDS} 秒，只读取了前 {len(boxes)} 行")
        _tick(total, total, "文字识别完成")
    text = pair_quotes("\n".join(texts))
    if len(_SPACE.sub("", text)) < 20:
        raise ReportError("扫描件中没有识别出文字（图像可能过于模糊或不是报告）", source=name or None)
    low = [s for s in scores if s.endswith("%") and int(s.split()[-1][:-1]) < 90]
    notes.insert(0, f"{OCR_MARK}（扫描件，共 {total} 页），文字可能有误，请对照原件核对；各页识别置信度：" + "，".join(scores)
                 + (f"；置信度较低的页：{'，'.join(s.split()[0] for s in low)}" if low else ""))
    return text, tuple(notes)


def _may_recognise(name: str) -> None:
    """Before any page is decoded: deferred to the importing process (OcrDeferred), or the extra is missing."""
    if _defer.get():
        raise OcrDeferred("需要文字识别", source=name or None)
    if not available():
        raise ReportError(_missing(), source=name or None)


def pdf_ocr(data: bytes, name: str = "") -> tuple[str, tuple[str, ...]]:
    """A PDF without a text layer read by OCR (a clear message when the OCR extra is not installed)."""
    _may_recognise(name)
    return ocr_pages(*pdf_page_images(data, name), name)


def image_ocr(data: bytes, name: str = "") -> tuple[str, tuple[str, ...]]:
    """A page image (.png/.jpg/.tif, several pages in one .tif) read by OCR."""
    _may_recognise(name)
    return ocr_pages(*file_page_images(data, name), name)
