"""GB/T 9704 look in python-docx: east-Asian font names on runs and styles, 公文 sizes, margins, page numbers."""
from __future__ import annotations

from xml.sax.saxutils import escape

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "黑体"
BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
HEADING2_FALLBACK = "楷体"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
LINE = Pt(28)  # exact line spacing of the body: 22 lines on a 版心 of 225 mm
INDENT = Pt(32)  # two characters of 三号
RED = RGBColor(0xE6, 0x00, 0x12)

# Fonts a machine may lack, and what to show instead (written into the font table as w:altName).
ALT_NAMES = {TITLE_FONT: TITLE_FALLBACK, BODY_FONT: BODY_FALLBACK, HEADING2_FONT: HEADING2_FALLBACK}
_FAMILIES = {TITLE_FONT: "roman", BODY_FONT: "modern", HEADING1_FONT: "modern", HEADING2_FONT: "modern",
             PAGE_FONT: "auto"}


def paragraph_xml(text: str, east_asia: str = BODY_FONT, *, size=SIZE_3, indent=INDENT, line=LINE,
                  keep_next: bool = False) -> str:
    """One justified body paragraph as WordprocessingML, the text escaped as data (fast path for the body).

    The same formatting style_paragraph + style_run give through python-docx: exact line spacing, first-line
    indent, the east-Asian font in w:rFonts, no snapping to a document grid."""
    half_points = int(size.pt * 2)
    body = escape(text).replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    fonts = f'w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{east_asia}" w:cs="{LATIN_FONT}"'
    keep = "<w:keepNext/><w:keepLines/>" if keep_next else ""  # the last paragraph holds the sign-off
    return (f'<w:p><w:pPr>{keep}<w:widowControl/><w:snapToGrid w:val="0"/>'
            f'<w:spacing w:before="0" w:after="0" w:line="{int(line.pt * 20)}" w:lineRule="exact"/>'
            f'<w:ind w:firstLine="{int(indent.pt * 20)}"/><w:jc w:val="both"/></w:pPr>'
            f'<w:r><w:rPr><w:rFonts {fonts}/><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
            f'<w:t xml:space="preserve">{body}</w:t></w:r></w:p>')


def set_fonts(rpr_owner, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set w:rFonts ascii/hAnsi/eastAsia/cs on a run, or on a style's run properties."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def style_run(run, east_asia: str, size=SIZE_3, *, bold: bool = False, color=None) -> None:
    run.font.name = LATIN_FONT
    set_fonts(run._element, east_asia)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def style_paragraph(paragraph, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=INDENT, line=LINE,
                    before=0, after=0) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = indent
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.widow_control = True
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:snapToGrid")) is None:  # exact 28 pt lines, not snapped to a document grid
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        _insert(ppr, snap)


def add_text(paragraph, text: str, east_asia: str = BODY_FONT, size=SIZE_3, **kw):
    run = paragraph.add_run(text)
    style_run(run, east_asia, size, **kw)
    return run


def page_setup(section) -> None:
    """A4 portrait with the 公文 margins (天头 37 mm, 订口 28 mm), the footer 7 mm below the 版心."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(20)


def style_normal(document) -> None:
    """The Normal style in 仿宋_GB2312 三号, exact 28 pt, so text typed into the letter matches its body."""
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_3
    set_fonts(normal.element, BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    for name, font, size in (("公文标题", TITLE_FONT, SIZE_2), ("一级标题", HEADING1_FONT, SIZE_3),
                             ("二级标题", HEADING2_FONT, SIZE_3)):
        if name in [s.name for s in document.styles]:
            continue
        style = document.styles.add_style(name, 1)
        style.base_style = normal
        style.font.size = size
        set_fonts(style.element, font)


def page_number(paragraph, size=SIZE_4) -> None:
    """— 1 —: a PAGE field between two em dashes, in 宋体 四号."""
    add_text(paragraph, "— ", PAGE_FONT, size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        style_run(run, PAGE_FONT, size)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    add_text(paragraph, " —", PAGE_FONT, size)


def register_fonts(document) -> None:
    """Font-table entries with the GB2312 charset and w:altName fallbacks (方正小标宋简体 -> 黑体)."""
    part = document.part
    table = next((rel.target_part for rel in part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if table is None:
        return
    from lxml import etree

    root = etree.fromstring(table.blob)
    have = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name in (TITLE_FONT, BODY_FONT, HEADING1_FONT, HEADING2_FONT, PAGE_FONT, TITLE_FALLBACK, BODY_FALLBACK,
                 HEADING2_FALLBACK):
        if name in have:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if name in ALT_NAMES:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), ALT_NAMES[name])
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), _FAMILIES.get(name, "auto"))
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def bottom_rule(paragraph, color: str = "E60012", size: int = 12) -> None:
    """A red rule under a paragraph (the 红色分隔线 below the letterhead)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(k), v)
    borders.append(bottom)
    _insert(ppr, borders)


def _insert(ppr, element) -> None:
    """Insert a pPr child in schema order (Word rejects out-of-order properties)."""
    tag = "w:" + element.tag.split("}")[1]
    ppr.insert_element_before(element, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1:])


# The order of w:pPr children from pBdr on (ECMA-376 CT_PPrBase), for _insert.
_PPR_ORDER = ("w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
              "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
              "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
              "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
              "w:rPr", "w:sectPr", "w:pPrChange")
