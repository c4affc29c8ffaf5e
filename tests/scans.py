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

# A report of our own (no real report's text): chapters, run-in sections, figures, plans, a sign-off.
OWN_REPORT = """青禾县司法局2024年法治政府建设年度报告
2024年，青禾县司法局围绕县委县政府中心工作，扎实推进法治政府建设，现将有关情况报告如下。
一、主要举措和成效
（一）完善依法决策机制。全年审查县政府规范性文件37件，提出修改意见126条，办理合法性审查事项215件。
（二）规范行政执法行为。组织执法人员培训6期，累计培训1280人次，行政执法案卷评查合格率达到98.5%。
（三）化解矛盾纠纷。共接待来访群众46批次，调解各类纠纷1532件，调解成功率96.2%。
二、存在的不足和原因
（一）基层法治力量薄弱。部分乡镇法治审核人员不足，专业能力有待提高。
（二）执法监督手段单一。数字化监督平台应用不够深入。
三、2025年工作安排
（一）推进执法规范化。开展行政执法质量评查2轮，覆盖县级执法部门20个。
（二）加强法治宣传。开展法治讲座40场，建设法治文化阵地5处。
青禾县司法局
2025年3月18日"""


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
