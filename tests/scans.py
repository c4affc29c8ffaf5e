"""Make report documents as offices send them, with LibreOffice and poppler: a justified Word document with
autospace and page numbers, its PDF, and that PDF as page images (a scan, optionally with a red seal on the
last page) assembled into an image-only PDF. Used by the OCR and typeset-PDF tests and by tests/bench."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
SEAL_FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def write_docx(path: Path, text: str, page_numbers: bool = False) -> None:
    """`text` as a Word document, one paragraph a line, justified, with Word's autospace between Chinese and
    Latin text and digits switched on explicitly (w:autoSpaceDE / w:autoSpaceDN); optionally a page number
    (a PAGE field) centred in the footer."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(12)
    for line in text.split("\n"):
        para = document.add_paragraph(line)
        para.paragraph_format.alignment = 3  # justified: the line's characters are stretched apart
        ppr = para._p.get_or_add_pPr()
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), "1")
            ppr.append(el)
    if page_numbers:
        footer = document.sections[0].footer.paragraphs[0]
        footer.alignment = 1
        run = footer.add_run()
        for kind, value in (("begin", None), ("instr", " PAGE "), ("end", None)):
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = value
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
    document.save(str(path))


def to_pdf(docs: list[Path], outdir: Path) -> list[Path]:
    """Convert Word documents to PDF in one LibreOffice run (its own profile, so it runs beside a desktop one)."""
    profile = outdir / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, docs)], check=True, capture_output=True, timeout=600)
    return [outdir / (d.stem + ".pdf") for d in docs]


def draw_seal(image, centre: tuple[int, int], radius: int, text: str):
    """A round red seal (ring, star, the body's name round the top) printed over the page: red multiplies
    with the ink beneath, so black text under it stays black, as on a stamped page."""
    import math

    from PIL import Image, ImageChops, ImageDraw, ImageFont

    layer = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(layer)
    red = (215, 30, 35)
    cx, cy = centre
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=max(4, radius // 18))
    star = [(cx + radius * 0.28 * math.cos(math.radians(90 + k * 36)) * (1 if k % 2 == 0 else 0.4),
             cy - radius * 0.28 * math.sin(math.radians(90 + k * 36)) * (1 if k % 2 == 0 else 0.4)) for k in range(10)]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(str(SEAL_FONT), size=max(12, radius // 4))
    span = 220  # degrees the name runs over, centred on the top
    for k, ch in enumerate(text):
        angle = math.radians(90 + span / 2 - k * span / max(1, len(text) - 1))
        x = cx + radius * 0.75 * math.cos(angle)
        y = cy - radius * 0.75 * math.sin(angle)
        glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(glyph).text((font.size // 2, font.size // 2), ch, font=font, fill=255)
        glyph = glyph.rotate(math.degrees(angle) - 90, resample=Image.BICUBIC)
        layer.paste(Image.new("RGB", glyph.size, red), (int(x - font.size), int(y - font.size)), glyph)
    return ImageChops.multiply(image.convert("RGB"), layer)


def scan(pdf: Path, outdir: Path, dpi: int = 200, seal: str | None = None) -> Path:
    """`pdf` rendered to page images at `dpi` (pdftoppm) and put back together as a PDF of images only, with a
    red seal over the last page's lower half when `seal` names the body."""
    from PIL import Image

    prefix = outdir / f"{pdf.stem}-page"
    subprocess.run([PDFTOPPM, "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=600)
    pages = [Image.open(p).convert("RGB") for p in sorted(outdir.glob(f"{pdf.stem}-page-*.png"))]
    if seal:
        w, h = pages[-1].size
        pages[-1] = draw_seal(pages[-1], (int(w * 0.62), int(h * 0.42)), int(w * 0.12), seal)
    out = outdir / f"{pdf.stem}-scan.pdf"
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=dpi)
    return out
