"""The default letter template (resources/letter-template.docx): letterhead, title, addressee, body, signature.

An office can give its own .docx instead; these placeholders are filled (as data, never as template source):
    {{ office }} {{ doc_no }} {{ title }} {{ unit }} {{ date }} {{ report_title }}  — text
    {{p body }}  — the numbered opinions, on a paragraph of its own
Rebuild the shipped file with `python -m desktop.letters.template resources/letter-template.docx`.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from desktop.letters import styling as st

TEMPLATE_NAME = "letter-template.docx"
PLACEHOLDERS = ("office", "doc_no", "title", "unit", "date", "report_title", "body")


def default_template_path() -> Path | None:
    """The shipped template (beside the bundled sample in resources/), when this installation has it."""
    from desktop.kernel.paths import resource

    return resource(TEMPLATE_NAME)


def _line(doc, text: str = "", font=st.BODY_FONT, size=st.SIZE_3, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
          indent=None, right=None, line=st.LINE, **run):
    p = doc.add_paragraph()
    st.style_paragraph(p, align=align, indent=indent, line=line)
    if right is not None:
        p.paragraph_format.right_indent = right
    if text:
        st.add_text(p, text, font, size, **run)
    return p


def build_default_template() -> bytes:
    """The default template as .docx bytes (GB/T 9704 page, fonts and page numbers)."""
    doc = Document()
    st.style_normal(doc)
    st.register_fonts(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag.endswith("}p"):
            body.remove(child)
    section = doc.sections[0]
    st.page_setup(section)
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    st.style_paragraph(odd, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=None)
    odd.paragraph_format.right_indent = Pt(14)  # 单页码居右空一字
    st.page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    st.style_paragraph(even, align=WD_ALIGN_PARAGRAPH.LEFT, indent=None)
    even.paragraph_format.left_indent = Pt(14)  # 双页码居左空一字
    st.page_number(even)

    _line(doc, "{%p if office %}")
    _line(doc, "{{ office }}", st.TITLE_FONT, Pt(30), align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(44), color=st.RED)
    docno = _line(doc, "{{ doc_no }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    st.bottom_rule(docno)
    _line(doc, "{%p endif %}")
    _line(doc)
    _line(doc, "{{ title }}", st.TITLE_FONT, st.SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    _line(doc)
    _line(doc, "{%p if unit %}")
    _line(doc, "{{ unit }}：")
    _line(doc, "{%p endif %}")
    _line(doc, "{{p body }}")
    # the sign-off stays with the body's last paragraph (which keeps with next): never a page of its own
    for p in (_line(doc), _line(doc), _line(doc, "{{ office }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right=Pt(64))):
        p.paragraph_format.keep_with_next = True
    _line(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right=Pt(64))
    _slim(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


_DROP = ("stylesWithEffects", "customXml", "webSettings", "thumbnail")
_KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}


def _slim(doc) -> None:
    """Leave out what python-docx's stock file carries and a letter never uses (800 KB of unused styles, a
    thumbnail): every letter is read and written from this file, so its size is the letters' speed."""
    for owner in (doc.part, doc.part.package):
        for rid, rel in list(owner.rels.items()):
            if any(rel.reltype.endswith(k) for k in _DROP):
                owner.rels.pop(rid)
    styles = doc.styles.element
    used = {v for part in [doc.part, *(s.footer.part for s in doc.sections),
                           *(s.even_page_footer.part for s in doc.sections)]
            for v in part.element.xpath(".//w:pStyle/@w:val | .//w:rStyle/@w:val")}
    keep = _KEEP_STYLES | used
    keep |= {v for child in styles if child.get(qn("w:styleId")) in keep
             for v in child.xpath("./w:link/@w:val | ./w:basedOn/@w:val")}
    for child in list(styles):
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "latentStyles":
            styles.remove(child)
        elif tag == "style" and child.get(qn("w:styleId")) not in keep and not _ours(child):
            styles.remove(child)


def _ours(style) -> bool:
    name = style.find(qn("w:name"))
    return name is not None and name.get(qn("w:val")) in ("公文标题", "一级标题", "二级标题")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else Path("resources") / TEMPLATE_NAME
    target.write_bytes(build_default_template())
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
