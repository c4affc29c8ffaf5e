"""What one input file may cost: each limit named, so every refusal can say which one was reached.

A report is a few hundred KB; the limits sit far above real files and far below what exhausts memory or
time (every input is read in well under 10 s and 500 MB on a loaded two-core machine).
"""
from __future__ import annotations

MB = 1024 * 1024

MAX_FILE_BYTES = 10 * MB  # bytes read from a report file (.txt, .html, .docx, .pdf)
MAX_TEXT_CHARS = 2_500_000  # characters of decoded text handed to the reader (100x a long report)
MAX_TEXT_LINES = 400_000  # lines of decoded text

MAX_HTML_TAGS = 150_000  # tags of a web page (a long report's page has 5,000-20,000)

# Word (.docx): checked on the zip's directory before anything is unpacked or parsed.
MAX_DOCX_PARTS = 2_000  # members of the package
MAX_DOCX_UNPACKED = 80 * MB  # all members together, uncompressed
MAX_DOCX_XML = 5 * MB  # word/document.xml uncompressed (a long report is 1-3 MB)
MAX_DOCX_RATIO = 200  # uncompressed / compressed for a member above 1 MB

# PDF (pypdf): checked on each page's decoded content stream before text extraction.
MAX_PDF_PAGES = 2_000
MAX_PDF_CONTENT = 8 * MB  # decoded content streams of all pages together
MAX_PDF_OPS = 300_000  # operators of all pages' content streams together
MAX_PDF_TEXT_OPS = 50_000  # text-showing operators (Tj TJ) of all pages together
MAX_PDF_PAGE_GLYPHS = 100_000  # glyphs drawn on one page (a dense A4 page has ~3,000; each is laid out)

# OCR of scans and page images (desktop/report/ocr.py): what one page may cost. A 200-dpi A4 scan is ~3.7
# million pixels and ~30 lines; at these sizes a page takes a few seconds and the process stays under 600 MB.
OCR_MAX_PAGES = 100  # pages of one scanned PDF or multi-page TIFF
OCR_MAX_PIXELS = 60_000_000  # pixels of one page image, checked before it is decoded
OCR_PAGE_SIDE = 1754  # the page is scaled so its longer side is at most this (A4 at 150 dpi)
OCR_DET_SIDE = 1280  # the text-line detector sees a strip at most this large (no scaling at OCR_PAGE_SIDE)
OCR_STRIP = 480  # the detector reads the page in strips this tall (its memory grows with the area it sees)
OCR_STRIP_OVERLAP = 120  # strips overlap by more than the tallest text line
OCR_MAX_LINES = 200  # text lines recognised on one page
OCR_THREADS = 1  # threads of the recogniser: a second one spins more than it helps on a busy two-core machine
OCR_PAGE_SECONDS = 120  # recognition of one page stops after this (what was read is kept, with a note)


def describe(limit_bytes: int) -> str:
    """A limit in bytes as a reader sees it: "10 MB"."""
    return f"{limit_bytes // MB} MB" if limit_bytes >= MB else f"{limit_bytes // 1024} KB"

# XML parts of Office packages (.xlsx, .docx): counted by a streaming pass (desktop/kernel/xmlbounds.py)
# before any full parser sees them. A long report's document.xml has ~100,000 elements; a 1,000-report
# ledger's tracking sheet about 1.5 million.
MAX_XML_ELEMENTS_XLSX = 4_000_000  # elements of all parts of a workbook together
MAX_XML_ELEMENTS_DOCX = 1_500_000  # elements of all parts of a Word document together
MAX_XML_PART_ELEMENTS = 200_000  # one part other than a worksheet, shared strings or the document body
MAX_DOCX_PARAGRAPHS = 60_000  # a long report has 1,000-3,000
XML_COUNTED = {  # label (as a reviewer reads it) -> (local element names, limit over the whole package)
    "单元格": (("c",), 2_000_000),
    "行": (("row",), 200_000),
    "样式": (("xf", "font", "fill", "border", "numFmt", "dxf", "cellStyle", "style", "tableStyle", "lsdException"),
           50_000),
    "定义名称": (("definedName",), 10_000),
    "共享字符串": (("si",), 1_000_000),
    "表格单元格": (("tc",), 60_000),
    "合并单元格": (("mergeCell", "vMerge", "hMerge", "gridSpan"), 20_000),
    "段落": (("p",), MAX_DOCX_PARAGRAPHS),
    "部件声明": (("Override", "Default", "Relationship"), 5_000),
}
